"""Looks of the session views: problem texts, token state chips and notice bars.

One small stylesheet, built from the palette now shown (:mod:`explorer.ui.style.palette`),
applied to the profile editor, the token panel, the bars and the status bar's token label,
and built again when the theme changes. Text always says what the colour says.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from explorer.ui.style.palette import Palette, current, follow_theme


def session_stylesheet(c: Palette | None = None) -> str:
    # No rule for QLabel[role="dim"]: such a label paints in the palette's PlaceholderText
    # colour (explorer.ui.style.app_style), which a colour rule here would halve.
    c = c or current()
    return f"""
QLabel[role="error"] {{ color: {c.error}; }}
QLabel[role="warning"] {{ color: {c.warning}; }}
QLabel[role="ok"] {{ color: {c.ok}; }}
QLabel[role="chip"] {{ border-radius: 9px; padding: 2px 10px; color: {c.token_text};
    background: {c.token_none}; }}
QLabel[role="chip"][state="valid"] {{ background: {c.token_valid}; }}
QLabel[role="chip"][state="expiring"] {{ background: {c.token_expiring}; }}
QLabel[role="chip"][state="expired"], QLabel[role="chip"][state="error"] {{
    background: {c.token_expired}; }}
QFrame[role="notice"] {{ background: {c.notice_bg}; border: 1px solid {c.notice_border};
    border-radius: 6px; }}
QFrame[role="notice"][level="error"] {{ background: {c.notice_error_bg};
    border-color: {c.notice_error_border}; }}
QFrame[role="notice"] QLabel {{ background: transparent; border: none; }}
QLabel[role="noticeIcon"] {{ font-size: 16px; color: {c.warning}; }}
QLineEdit:read-only {{ color: {c.dim_text}; }}
QListWidget::item {{ padding: 4px 2px; }}
"""


def style_session_widget(widget: QWidget) -> None:
    """Apply the session stylesheet, now and after every theme switch."""
    follow_theme(widget, lambda colors: widget.setStyleSheet(session_stylesheet(colors)))


def make_checks_visible(widget: QWidget) -> None:
    """Fusion draws check-box outlines from the Window colour, which vanishes on a dark
    base; a lighter Window colour for this widget alone makes them visible."""

    def restyle(colors: Palette) -> None:
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(colors.check_outline))
        widget.setPalette(palette)

    follow_theme(widget, restyle)


def status_label_colour(state: str, c: Palette | None = None) -> str:
    """The token label's text colour for a token state."""
    c = c or current()
    return {
        "valid": c.ok,
        "expiring": c.warning,
        "expired": c.error,
        "error": c.error,
    }.get(state, c.dim_text)
