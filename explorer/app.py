"""Composition root: the only place that picks concrete implementations.

``main`` builds the CLI and hands it the function that starts the window; the window's
own wiring (paths -> settings -> secret store -> profiles -> window) happens in
:mod:`explorer.ui.application`, imported only when a window is wanted.
"""

from __future__ import annotations

import sys

from explorer.cli import GuiOptions, build_cli


def launch_gui(options: GuiOptions) -> int:
    from explorer.ui.application import run

    return run(options)


def main(argv: list[str] | None = None) -> None:
    cli = build_cli(launch_gui)
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="thumbtack-explorer")
