"""Dark and light themes: the widget style, a palette and the status colours.

The theme follows the OS colour scheme unless the user overrides it. There is no
application-wide style sheet: :mod:`explorer.ui.style.app_style` says why and what replaces it.
Status colours are chosen by :class:`~explorer.core.models.StatusClass` here, once, for
every view; the text and icon beside a colour always say the same thing, so colour is
never the only signal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from explorer.core.settings import ThemeChoice

if TYPE_CHECKING:
    from explorer.core.models import StatusClass


@dataclass(frozen=True)
class Colors:
    window: str
    base: str
    alt_base: str
    text: str
    dim_text: str
    highlight: str
    highlight_text: str
    button: str
    border: str


DARK = Colors(
    "#1e1f22",
    "#17181a",
    "#222327",
    "#e6e6e6",
    "#a0a4ab",
    "#3d6fd6",
    "#ffffff",
    "#2b2d31",
    "#3a3d42",
)
LIGHT = Colors(
    "#f4f5f7",
    "#ffffff",
    "#f0f1f3",
    "#1d1f23",
    "#5b6068",
    "#2f62cc",
    "#ffffff",
    "#e9ebee",
    "#c9cdd3",
)


@cache
def _status_table() -> dict[StatusClass, tuple[tuple[str, str], tuple[str, str]]]:
    """(background, foreground) per status class, for dark and light. Contrast >= 4.5:1.

    Built on first use: the window's frame paints before the core's models are imported."""
    from explorer.core.models import StatusClass

    return {
        StatusClass.SUCCESS: (("#1f6f3f", "#ffffff"), ("#d7f2e0", "#0d4a25")),
        StatusClass.INFORMATIONAL: (("#3b4a63", "#ffffff"), ("#e1e8f5", "#23324d")),
        StatusClass.REDIRECT: (("#3b4a63", "#ffffff"), ("#e1e8f5", "#23324d")),
        StatusClass.CHALLENGE: (("#8a5a00", "#ffffff"), ("#ffe9bf", "#5c3b00")),
        StatusClass.RATE_LIMITED: (("#8a5a00", "#ffffff"), ("#ffe9bf", "#5c3b00")),
        StatusClass.BAD_REQUEST: (("#9c3a12", "#ffffff"), ("#ffe0d2", "#6b2408")),
        StatusClass.CLIENT_ERROR: (("#9c3a12", "#ffffff"), ("#ffe0d2", "#6b2408")),
        StatusClass.NOT_FOUND: (("#9c3a12", "#ffffff"), ("#ffe0d2", "#6b2408")),
        StatusClass.AUTH_ERROR: (("#a3243b", "#ffffff"), ("#ffd9df", "#6e1023")),
        StatusClass.FORBIDDEN: (("#a3243b", "#ffffff"), ("#ffd9df", "#6e1023")),
        StatusClass.LEGAL: (("#6a2c91", "#ffffff"), ("#efdcfa", "#45175f")),
        StatusClass.SETUP_ERROR: (("#7a3aa8", "#ffffff"), ("#eddffa", "#4a1f6b")),
        StatusClass.SERVER_ERROR: (("#b3261e", "#ffffff"), ("#ffd6d3", "#6d0f0a")),
        StatusClass.NETWORK_ERROR: (("#4a4f57", "#ffffff"), ("#e3e5e8", "#2a2e33")),
        StatusClass.UNKNOWN: (("#4a4f57", "#ffffff"), ("#e3e5e8", "#2a2e33")),
    }


def status_colors(status_class: StatusClass, *, dark: bool) -> tuple[str, str]:
    """(background, foreground) for a status badge."""
    from explorer.core.models import StatusClass

    table = _status_table()
    pair = table.get(status_class) or table[StatusClass.UNKNOWN]
    return pair[0] if dark else pair[1]


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_dark(choice: ThemeChoice) -> bool:
    if choice is ThemeChoice.DARK:
        return True
    if choice is ThemeChoice.LIGHT:
        return False
    return system_prefers_dark()


def apply_theme(
    app: QApplication, *, dark: bool, font_scale: float = 1.0, style: bool = True
) -> None:
    """Palette, font size and (with ``style``) the program's widget style.

    ``style=False`` is for the window's first frame, which only needs the palette: the
    platform's default style paints it (creating a style costs as much as the frame), and
    :func:`install_style` follows once the frame has painted."""
    colors = DARK if dark else LIGHT
    if style:
        install_style(app)
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: colors.window,
        QPalette.ColorRole.WindowText: colors.text,
        QPalette.ColorRole.Base: colors.base,
        QPalette.ColorRole.AlternateBase: colors.alt_base,
        QPalette.ColorRole.Text: colors.text,
        QPalette.ColorRole.Button: colors.button,
        QPalette.ColorRole.ButtonText: colors.text,
        QPalette.ColorRole.Highlight: colors.highlight,
        QPalette.ColorRole.HighlightedText: colors.highlight_text,
        QPalette.ColorRole.ToolTipBase: colors.base,
        QPalette.ColorRole.ToolTipText: colors.text,
        QPalette.ColorRole.PlaceholderText: colors.dim_text,
        QPalette.ColorRole.Link: "#6ea0ff" if dark else "#1d4fb8",
        QPalette.ColorRole.Mid: colors.border,
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(colors.dim_text))
    palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(colors.dim_text)
    )
    app.setPalette(palette)
    font = app.font()
    base_size = app.property("explorer_base_point_size")
    if base_size is None:
        base_size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        app.setProperty("explorer_base_point_size", base_size)
    font.setPointSizeF(float(base_size) * font_scale)
    app.setFont(font)
    app.setProperty("explorer_dark", dark)


def install_style(app: QApplication) -> None:
    """Set :class:`~explorer.ui.style.app_style.AppStyle` once: a new style re-polishes
    every widget."""
    from explorer.ui.style.app_style import AppStyle

    if not isinstance(app.style(), AppStyle):
        # A panel's own style sheet then sets only the colours its rules name; without this
        # Qt gives each widget under it a fixed copy of the palette, deaf to a theme switch.
        app.setAttribute(Qt.ApplicationAttribute.AA_UseStyleSheetPropagationInWidgetStyles)
        app.setStyle(AppStyle())


def is_dark(app: QApplication | None = None) -> bool:
    instance = app or QApplication.instance()
    return bool(instance.property("explorer_dark")) if instance is not None else False
