"""The command-line face: one click group over the same core as the window.

With no subcommand it opens the main window (or renders it to a PNG with
``--screenshot``). Subcommands live in :mod:`explorer.commands` and are imported only
when used, so ``thumbtack-explorer --version`` stays instant. This module never imports
Qt: the window is started through the ``launch_gui`` callable that the composition root
(:mod:`explorer.app`) passes in.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path

import click

from explorer import __version__
from explorer.options import GuiOptions

__all__ = ["GuiOptions", "LazyGroup", "build_cli"]

#: subcommand name -> module under explorer.commands that defines ``command``
SUBCOMMANDS: dict[str, str] = {
    "sandbox": "sandbox",
    "endpoints": "endpoints",
    "call": "call",
    "explain": "explain",
    "profile": "profile",
    "history": "history",
    "import": "importing",
    "export": "exporting",
    "webhooks": "webhooks",
    "verify": "verify",
    "run": "run",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        present = [
            name
            for name, module in SUBCOMMANDS.items()
            if importlib.util.find_spec(f"explorer.commands.{module}") is not None
        ]
        return sorted(present)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = SUBCOMMANDS.get(cmd_name)
        if module_name is None:
            return None
        if importlib.util.find_spec(f"explorer.commands.{module_name}") is None:
            return None
        module = importlib.import_module(f"explorer.commands.{module_name}")
        command = getattr(module, "command", None)
        if not isinstance(command, click.Command):
            raise click.ClickException(
                f"The '{cmd_name}' command is damaged; reinstall the program."
            )
        return command

    def invoke(self, ctx: click.Context) -> object:
        """Run the subcommand; what it raises becomes one clean line, never a traceback."""
        from explorer.commands.output import safe_text

        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            exc.message = safe_text(exc.message)  # type: ignore[misc]
            raise
        except (click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except RecursionError:
            raise click.ClickException(
                "The input is nested too deeply to be read (thousands of levels of arrays or "
                "objects); flatten it and try again."
            ) from None
        except OSError as exc:
            raise click.ClickException(safe_text(describe_os_error(exc))) from None


def describe_os_error(exc: OSError) -> str:
    """An operating-system failure in words, with what to do."""
    import errno

    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk is full{where}; nothing was changed. Free some space and try again."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            f"Permission denied{where}. Make the program's folder readable and writable "
            "for you (or point THUMBTACK_EXPLORER_HOME at one that is) and try again."
        )
    if exc.errno == errno.EROFS:
        return (
            f"The program's folder is on a read-only file system{where}. Point "
            "THUMBTACK_EXPLORER_HOME at a writable folder and try again."
        )
    reason = exc.strerror or str(exc)
    return f"The operating system refused: {reason}{where}. Check the path and try again."


def _parse_size(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        width_text, height_text = value.lower().split("x")
        width, height = int(width_text), int(height_text)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not WIDTHxHEIGHT, for example 1280x800.") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise click.BadParameter("Width must be 320-7680 and height 240-4320 pixels.")
    return width, height


def build_cli(launch_gui: Callable[[GuiOptions], int]) -> click.Group:
    """Build the command group; ``launch_gui`` opens the window and returns an exit code."""

    @click.group(
        cls=LazyGroup,
        invoke_without_command=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        help="Thumbtack API Explorer: explore, test and explain the Thumbtack Partner API v4.\n\n"
        "With no command, opens the main window on the embedded Sandbox.",
    )
    @click.version_option(__version__, "--version", prog_name="thumbtack-explorer")
    @click.option(
        "--screenshot",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Render the main window offscreen to this PNG file and exit.",
    )
    @click.option("--demo", is_flag=True, help="With --screenshot: send a sample request first.")
    @click.option(
        "--theme", type=click.Choice(["dark", "light", "high-contrast"]), help="Override the theme."
    )
    @click.option("--size", callback=_parse_size, metavar="WxH", help="Window size, e.g. 1280x800.")
    @click.pass_context
    def cli(
        ctx: click.Context,
        screenshot: Path | None,
        demo: bool,
        theme: str | None,
        size: tuple[int, int] | None,
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        if demo and screenshot is None:
            raise click.UsageError("--demo goes with --screenshot FILE.png.")
        options = GuiOptions(screenshot=screenshot, demo=demo, theme=theme, size=size)
        ctx.exit(launch_gui(options))

    return cli
