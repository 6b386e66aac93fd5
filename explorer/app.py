"""Composition root: the only place that picks concrete implementations.

``main`` opens the window straight away when there is nothing to parse; otherwise it builds
the CLI and hands it the function that starts the window; the window's
own wiring (paths -> settings -> secret store -> profiles -> window) happens in
:mod:`explorer.ui.app.application`, imported only when a window is wanted.
"""

from __future__ import annotations

import sys

from explorer.options import GuiOptions


def launch_gui(options: GuiOptions) -> int:
    from explorer.ui.app.application import run

    return run(options)


def main(argv: list[str] | None = None) -> None:
    if getattr(sys, "frozen", False):  # the bundle: its checking process starts through it
        import multiprocessing

        multiprocessing.freeze_support()
    args = sys.argv[1:] if argv is None else argv
    if not args:
        # How the launcher and the desktop entry start it: with nothing to parse, the
        # window opens without loading the command-line parser (a tenth of the start-up).
        try:
            code = launch_gui(GuiOptions())
        except KeyboardInterrupt:  # Ctrl+C before the window took over: as the parser does
            print("Aborted!", file=sys.stderr)
            code = 1
        raise SystemExit(code)
    from explorer.cli import build_cli

    cli = build_cli(launch_gui)
    cli.main(args=args, prog_name="thumbtack-explorer")
