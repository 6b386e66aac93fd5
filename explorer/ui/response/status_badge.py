"""The status badge: what a response means at a glance, by colour, icon glyph and words.

The badge shows a :class:`~explorer.core.status.StatusInfo` from the one core
classification (:func:`explorer.core.status.classify`). The status class goes to a Qt
dynamic property (``statusClass``) and a stylesheet built from
:func:`explorer.ui.style.theme.status_colors` picks the colours, so colour, glyph and text always
say the same thing. A 429 with Retry-After counts down once a second; hovering shows the
legend of every class.
"""

from __future__ import annotations

import html
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from explorer.core.models import StatusClass
from explorer.ui.style.theme import is_dark, status_colors

if TYPE_CHECKING:
    from explorer.core.status import StatusInfo

#: One glyph per icon name of :class:`explorer.core.status.StatusIcon` (all in DejaVu Sans).
GLYPHS: dict[str, str] = {
    "ok": "✔",
    "info": "ℹ",
    "redirect": "↪",
    "warning": "⚠",
    "error": "✖",
    "lock": "⊘",
    "clock": "◷",
    "network": "⇄",
    "unknown": "?",
    "pending": "…",
    "cancelled": "⊘",
}


def glyph_for(icon: str) -> str:
    return GLYPHS.get(str(icon), "?")


def badge_stylesheet(*, dark: bool) -> str:
    """One selector per status class on the ``statusClass`` property."""
    rules = [
        "StatusBadge { border-radius: 5px; padding: 2px; }",
        "StatusBadge QLabel { background: transparent; color: palette(window-text); }",
        # the keyboard focus is a ring in the selection colour, in every theme
        "StatusBadge:focus { border: 2px solid palette(highlight); }",
    ]
    for status_class in StatusClass:
        background, foreground = status_colors(status_class, dark=dark)
        rules.append(
            f'StatusBadge[statusClass="{status_class.value}"] {{ background: {background}; }}'
            f'StatusBadge[statusClass="{status_class.value}"] QLabel {{ color: {foreground}; }}'
        )
    # A response that breaks its contract: never plain green, whatever its status says.
    background, foreground = status_colors(StatusClass.CLIENT_ERROR, dark=dark)
    rules.append(
        f'StatusBadge[contract="broken"] {{ background: {background}; '
        f"border: 2px solid {foreground}; }}"
        f'StatusBadge[contract="broken"] QLabel {{ color: {foreground}; }}'
        "StatusBadge QLabel#contractVerdict { font-weight: bold; }"
    )
    return "\n".join(rules)


def legend_html(*, dark: bool) -> str:
    """The hover legend: every badge kind with its colour, glyph, label and meaning."""
    from explorer.core.status import legend

    rows = []
    for info in legend():
        background, foreground = status_colors(info.status_class, dark=dark)
        label = info.label.split(" ", 1)[-1] if info.code else info.label
        code = f"{info.code} " if info.code else ""
        rows.append(
            f'<tr><td style="background:{background}; color:{foreground};">&nbsp;'
            f"{glyph_for(info.icon)} {html.escape(code + label)}&nbsp;</td>"
            f"<td>&nbsp;{html.escape(info.meaning)}</td></tr>"
        )
    return (
        "<b>Status legend</b> (colour, symbol and words always agree)"
        f'<table cellspacing="2">{"".join(rows)}</table>'
    )


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when narrower than its text; ``text()`` stays whole."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(
            min(hint.width(), self.fontMetrics().horizontalAdvance("…") * 4), hint.height()
        )

    def shown_text(self) -> str:
        """What fits: the whole text, or its start and "…"."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def is_elided(self) -> bool:
        return self.shown_text() != self.text()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )


class StatusBadge(QFrame):
    """Shows one status; ``countdown_finished`` fires when a Retry-After wait is over."""

    countdown_tick = Signal(int)  # seconds left
    countdown_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBadge")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # F1 on it; a reader says its words
        self.setProperty("statusClass", "none")
        self.icon = QLabel("")
        self.icon.setObjectName("statusIcon")
        self.icon.setFixedWidth(28)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = ElidedLabel("No response yet")
        self.label.setObjectName("statusLabel")
        self.meaning = ElidedLabel("")
        self.meaning.setObjectName("statusMeaning")
        self.contract = ElidedLabel("")
        self.contract.setObjectName("contractVerdict")
        self.contract.hide()
        self.countdown = QLabel("")
        self.countdown.setObjectName("retryCountdown")
        self.detail = ElidedLabel("")
        self.detail.setObjectName("statusDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.label)
        words.addWidget(self.meaning)
        words.addWidget(self.contract)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 10, 4)
        layout.addWidget(self.icon)
        layout.addLayout(words, 3)
        layout.addWidget(self.countdown)
        layout.addWidget(self.detail, 1)
        self.info: StatusInfo | None = None
        self.verdict: Any = None
        self.seconds_left = 0
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.on_timer_timeout)
        self._scale_fonts()
        self.refresh_theme()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._scale_fonts()  # presentation mode's larger font reaches the badge too

    def _scale_fonts(self) -> None:
        base = self.font()
        icon = QFont(base)
        icon.setPointSizeF(base.pointSizeF() * 1.5)
        self.icon.setFont(icon)
        bold = QFont(base)
        bold.setBold(True)
        bold.setPointSizeF(base.pointSizeF() * 1.1)
        self.label.setFont(bold)
        self.countdown.setFont(bold)

    # ----- theme --------------------------------------------------------------------------
    def refresh_theme(self) -> None:
        dark = is_dark()
        self.setStyleSheet(badge_stylesheet(dark=dark))
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        """The whole text (the badge may show it cut short), then the legend."""
        parts = (self.label, self.meaning, self.contract, self.detail)
        words = [w.text() for w in parts if w.text() and not w.isHidden()]
        if self.verdict is not None:
            words.append(self.verdict.summary)
        shown = (
            "<b>" + html.escape(words[0]) + "</b><br>" + "<br>".join(map(html.escape, words[1:]))
            if words
            else ""
        )
        self.setToolTip((shown + "<hr>" if shown else "") + legend_html(dark=is_dark()))
        # A screen reader says the badge's words, never its colour.
        self.setAccessibleName(f"Status: {self.text()}" if self.text() else "Status")
        self.setAccessibleDescription(self.detail.text())

    def _set_class(self, value: str) -> None:
        self.setProperty("statusClass", value)
        self.style().unpolish(self)
        self.style().polish(self)
        for child in (
            self.icon,
            self.label,
            self.meaning,
            self.contract,
            self.countdown,
            self.detail,
        ):
            self.style().unpolish(child)
            self.style().polish(child)

    def text(self) -> str:
        """Everything the badge says in words, as one line (label, meaning, countdown)."""
        parts = (self.label, self.meaning, self.countdown, self.contract)
        return "  ".join(w.text() for w in parts if w.text() and not w.isHidden())

    def colors(self) -> tuple[str, str]:
        """(background, foreground) now shown (for tests and screenshots)."""
        value = str(self.property("statusClass"))
        if value not in StatusClass.__members__.values():
            return ("", "")
        return status_colors(StatusClass(value), dark=is_dark())

    # ----- states -------------------------------------------------------------------------
    def show_neutral(self, glyph_name: str, text: str, meaning: str = "") -> None:
        """Pending, cancelled or empty: no status class, no countdown."""
        self.stop_countdown()
        self.info = None
        self._set_class("none")
        self.icon.setText(glyph_for(glyph_name))
        self.label.setText(text)
        self.meaning.setText(meaning)
        self.meaning.setVisible(bool(meaning))
        self.detail.setText("")
        self.show_contract(None)

    def show_status(self, info: StatusInfo, *, detail: str = "") -> None:
        """Show a classification; start the countdown when it carries a Retry-After."""
        self.stop_countdown()
        self.info = info
        self._set_class(info.status_class.value)
        self.icon.setText(glyph_for(info.icon))
        self.label.setText(info.label)
        suffix = (
            ""
            if info.documented
            else "  (not in Thumbtack's status table)"
            if info.source == "thumbtack"
            else "  (not a standard HTTP status)"
        )
        self.meaning.setText(info.meaning[:1].upper() + info.meaning[1:] + suffix)
        self.meaning.setVisible(info.meaning.lower() not in info.label.lower())
        self.detail.setText(detail)
        self.show_contract(None)
        if info.retry_after_s is not None and info.retry_after_s > 0:
            self.start_countdown(info.retry_after_s)

    def show_contract(self, verdict: Any) -> None:
        """The badge's second line: the contract verdict (a ContractResult) or nothing.

        A response that breaks the contract is never shown in plain success colours: the
        badge takes the warning style and the line says what is wrong.
        """
        from explorer.core.contract import Verdict

        self.verdict = verdict
        if verdict is None:
            self.contract.setText("")
            self.contract.hide()
            state = "none"
        else:
            broken = verdict.verdict in {
                Verdict.VIOLATES,
                Verdict.UNDOCUMENTED_STATUS,
                Verdict.UNEXPECTED_CONTENT_TYPE,
            }
            kept = verdict.verdict is Verdict.CONFORMS
            glyph = glyph_for("error" if broken else "ok" if kept else "info")
            first = ""
            if verdict.verdict is Verdict.VIOLATES and verdict.problems:
                first = f" — {verdict.problems[0].path}: {verdict.problems[0].message}"
            self.contract.setText(f"{glyph} Contract: {verdict.label}{first}")
            self.contract.show()
            state = "broken" if broken else "kept" if kept else "unchecked"
        self.setProperty("contract", state)
        self._set_class(str(self.property("statusClass")))
        self._update_tooltip()

    # ----- Retry-After countdown ----------------------------------------------------------
    def start_countdown(self, seconds: float) -> None:
        self._deadline = time.monotonic() + seconds
        self.seconds_left = max(0, round(seconds))
        self._timer.start()
        self._show_left()

    def stop_countdown(self) -> None:
        self._timer.stop()
        self.seconds_left = 0
        self.countdown.setText("")
        self.countdown.hide()  # nothing to say: not in the way of a screen reader either

    @property
    def counting(self) -> bool:
        return self._timer.isActive()

    @Slot()
    def on_timer_timeout(self) -> None:
        self.seconds_left = max(0, round(self._deadline - time.monotonic()))
        self._show_left()
        if self.seconds_left <= 0:
            self._timer.stop()
            self.countdown.setText("◷ Retry allowed now")
            self.countdown_finished.emit()

    def _show_left(self) -> None:
        self.countdown.setText(f"◷ Retry in {self.seconds_left} s")
        self.countdown.show()
        self.countdown_tick.emit(self.seconds_left)
