"""Colours for the session views: problem texts, token state chips and notice bars.

One small stylesheet, chosen for the current theme, applied to the profile editor, the
token panel, the bars and the status bar's token label. Text always says what the colour
says.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from explorer.ui.style.theme import is_dark

_DARK = {
    "error": "#ff8a80",
    "warning": "#ffc266",
    "ok": "#7fd49b",
    "dim": "#a0a4ab",
    "notice_bg": "#3a2f12",
    "notice_border": "#8a6a1c",
    "error_bg": "#3d1a1d",
    "error_border": "#a3243b",
    "chip_valid": "#1f6f3f",
    "chip_expiring": "#8a5a00",
    "chip_expired": "#a3243b",
    "chip_none": "#4a4f57",
    "chip_text": "#ffffff",
    "check_outline": "#8a8f98",
}
_LIGHT = {
    "error": "#b3261e",
    "warning": "#8a5a00",
    "ok": "#1f6f3f",
    "dim": "#5b6068",
    "notice_bg": "#fff4d6",
    "notice_border": "#e0b44c",
    "error_bg": "#ffe4e4",
    "error_border": "#d05050",
    "chip_valid": "#d7f2e0",
    "chip_expiring": "#ffe9bf",
    "chip_expired": "#ffd9df",
    "chip_none": "#e3e5e8",
    "chip_text": "#1d1f23",
    "check_outline": "#6b7078",
}


def colors() -> dict[str, str]:
    return _DARK if is_dark() else _LIGHT


def session_stylesheet() -> str:
    # No rule for QLabel[role="dim"]: such a label paints in the palette's PlaceholderText
    # colour (explorer.ui.style.app_style), which a colour rule here would halve.
    c = colors()
    return f"""
QLabel[role="error"] {{ color: {c["error"]}; }}
QLabel[role="warning"] {{ color: {c["warning"]}; }}
QLabel[role="ok"] {{ color: {c["ok"]}; }}
QLabel[role="chip"] {{ border-radius: 9px; padding: 2px 10px; color: {c["chip_text"]};
    background: {c["chip_none"]}; }}
QLabel[role="chip"][state="valid"] {{ background: {c["chip_valid"]}; }}
QLabel[role="chip"][state="expiring"] {{ background: {c["chip_expiring"]}; }}
QLabel[role="chip"][state="expired"], QLabel[role="chip"][state="error"] {{
    background: {c["chip_expired"]}; }}
QFrame[role="notice"] {{ background: {c["notice_bg"]}; border: 1px solid {c["notice_border"]};
    border-radius: 6px; }}
QFrame[role="notice"][level="error"] {{ background: {c["error_bg"]};
    border-color: {c["error_border"]}; }}
QFrame[role="notice"] QLabel {{ background: transparent; border: none; }}
QLabel[role="noticeIcon"] {{ font-size: 16px; color: {c["warning"]}; }}
QLineEdit:read-only {{ color: {c["dim"]}; }}
QListWidget::item {{ padding: 4px 2px; }}
"""


def style_session_widget(widget: QWidget) -> None:
    """Apply the session stylesheet, and make check boxes visible on dark backgrounds."""
    widget.setStyleSheet(session_stylesheet())


def make_checks_visible(widget: QWidget) -> None:
    """Fusion draws check-box outlines from the Window colour, which vanishes on a dark
    base; a lighter Window colour for this widget alone makes them visible."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(colors()["check_outline"]))
    widget.setPalette(palette)


def status_label_style(state: str) -> str:
    c = colors()
    color = {
        "valid": c["ok"],
        "expiring": c["warning"],
        "expired": c["error"],
        "error": c["error"],
    }.get(state, c["dim"])
    return f"color: {color};"
