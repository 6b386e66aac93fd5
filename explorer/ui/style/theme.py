"""Themes (dark, light, high contrast): the widget style, the Qt palette and the font scale.

The theme follows the OS colour scheme unless the user overrides it. There is no
application-wide style sheet: :mod:`explorer.ui.style.app_style` says why and what replaces it.
Every colour comes from :mod:`explorer.ui.style.palette`; status colours are chosen there by
:class:`~explorer.core.models.StatusClass`, once, for every view; the text and icon beside a
colour always say the same thing, so colour is never the only signal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from explorer.core.settings import ThemeChoice
from explorer.ui.style.palette import DARK, HIGH_CONTRAST, LIGHT, Palette, for_dark

if TYPE_CHECKING:
    from explorer.core.models import StatusClass


def status_colors(status_class: StatusClass, *, dark: bool) -> tuple[str, str]:
    """(background, foreground) for a status badge, in the palette now shown (``dark``
    picks between the dark and the light palette when no theme has been applied)."""
    return for_dark(dark).status_pair(str(status_class))


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_dark(choice: ThemeChoice) -> bool:
    return resolve_palette(choice).dark


def resolve_palette(choice: ThemeChoice) -> Palette:
    """The palette a theme choice shows (the system's scheme for "Follow the system")."""
    if choice is ThemeChoice.HIGH_CONTRAST:
        return HIGH_CONTRAST
    if choice is ThemeChoice.DARK:
        return DARK
    if choice is ThemeChoice.LIGHT:
        return LIGHT
    return DARK if system_prefers_dark() else LIGHT


def apply_theme(
    app: QApplication,
    *,
    dark: bool | None = None,
    palette: Palette | None = None,
    font_scale: float = 1.0,
    style: bool = True,
) -> None:
    """Palette (``palette``, or the dark or light one), font size and (with ``style``) the
    program's widget style.

    ``style=False`` is for the window's first frame, which only needs the palette: the
    platform's default style paints it (creating a style costs as much as the frame), and
    :func:`install_style` follows once the frame has painted."""
    colors = palette if palette is not None else (DARK if dark else LIGHT)
    if style:
        install_style(app)
    # Before the palette: widgets that follow the theme read it while Qt tells them.
    app.setProperty("explorer_dark", colors.dark)
    app.setProperty("explorer_palette", colors.name)
    qt_palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: colors.window,
        QPalette.ColorRole.WindowText: colors.text,
        QPalette.ColorRole.Base: colors.base,
        QPalette.ColorRole.AlternateBase: colors.alt_base,
        QPalette.ColorRole.Text: colors.text,
        QPalette.ColorRole.Button: colors.button,
        QPalette.ColorRole.ButtonText: colors.text,
        QPalette.ColorRole.BrightText: colors.error,
        QPalette.ColorRole.Highlight: colors.highlight,
        QPalette.ColorRole.HighlightedText: colors.highlight_text,
        QPalette.ColorRole.ToolTipBase: colors.base,
        QPalette.ColorRole.ToolTipText: colors.text,
        QPalette.ColorRole.PlaceholderText: colors.dim_text,
        QPalette.ColorRole.Link: colors.link,
        QPalette.ColorRole.LinkVisited: colors.link,
        QPalette.ColorRole.Mid: colors.border,
    }
    for role, value in roles.items():
        qt_palette.setColor(role, QColor(value))
    qt_palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(colors.dim_text)
    )
    qt_palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(colors.dim_text)
    )
    qt_palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(colors.dim_text)
    )
    app.setPalette(qt_palette)
    if style:  # the first frame (no style yet) has no labels with a look
        from explorer.ui.style.app_style import refresh_looks

        refresh_looks(app)
    font = app.font()
    base_size = app.property("explorer_base_point_size")
    if base_size is None:
        base_size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        app.setProperty("explorer_base_point_size", base_size)
    font.setPointSizeF(float(base_size) * font_scale)
    app.setFont(font)


def install_style(app: QApplication) -> None:
    """Set :class:`~explorer.ui.style.app_style.AppStyle` once: a new style re-polishes
    every widget."""
    from explorer.ui.style.app_style import AppStyle
    from explorer.ui.style.focus_ring import install_focus_ring

    install_focus_ring(app)
    if not isinstance(app.style(), AppStyle):
        # A panel's own style sheet then sets only the colours its rules name; without this
        # Qt gives each widget under it a fixed copy of the palette, deaf to a theme switch.
        app.setAttribute(Qt.ApplicationAttribute.AA_UseStyleSheetPropagationInWidgetStyles)
        app.setStyle(AppStyle())


def is_dark(app: QApplication | None = None) -> bool:
    instance = app or QApplication.instance()
    return bool(instance.property("explorer_dark")) if instance is not None else False
