"""How the window is asked to start; shared by the command line and the launcher path.

Kept apart from :mod:`explorer.cli` so that starting the window with no arguments needs
no command-line parser at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, kw_only=True)
class GuiOptions:
    """How to start the window."""

    screenshot: Path | None = None
    demo: bool = False
    theme: str | None = (
        None  # "dark", "light", "high-contrast" or None (follow the system / saved choice)
    )
    size: tuple[int, int] | None = None
