"""The explanation panel: why a response looks as it does, and the fix, one click away.

Shows an :class:`~explorer.core.models.Explanation`: severity, title, cause, numbered fix
steps, the documentation link (opened in the browser; the text itself works offline),
an "unverified" note for inferred rules, the traceID, and a button per one-click fix.
Buttons emit ``action_requested(FixAction)``; the window does the work.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.core.evidence import MEANINGS, Evidence
from explorer.core.models import FIX_LABELS, Explanation, FixAction, Severity
from explorer.ui.plain import plain_labels

SEVERITY_GLYPHS: dict[Severity, tuple[str, str]] = {
    Severity.INFO: ("ℹ", "Information"),
    Severity.WARNING: ("⚠", "Warning"),
    Severity.ERROR: ("✖", "Error"),
}

#: The line above an explanation that is not documented, by grade (the rule id line says
#: "documented" for the others).
EVIDENCE_NOTES: dict[Evidence, str] = {
    Evidence.DOCUMENTED: "",
    Evidence.OBSERVED: (
        "◈ Seen in real traffic — partners captured this from Thumbtack; it is not "
        "documented by Thumbtack's pages."
    ),
    Evidence.INFERRED: (
        "⚠ Our inference — unverified, not documented by Thumbtack. Treat it as a lead."
    ),
}


class ExplanationPanel(QWidget):
    """Shows an :class:`Explanation`; emits ``action_requested(FixAction)`` for one-click fixes."""

    action_requested = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.open_url = open_url
        self.severity = QLabel("")
        self.severity.setObjectName("explanationSeverity")
        font = self.severity.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.severity.setFont(font)
        self.title = QLabel("Send a request to see its explanation here.")
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.title.setObjectName("explanationTitle")
        self.unverified = QLabel(EVIDENCE_NOTES[Evidence.INFERRED])
        self.unverified.setProperty("role", "inferred")
        self.unverified.setObjectName("explanationUnverified")
        self.unverified.setWordWrap(True)
        self.sandbox_note = QLabel("")
        self.sandbox_note.setProperty("role", "inferred")
        self.sandbox_note.setObjectName("explanationSandboxNote")
        self.sandbox_note.setWordWrap(True)
        self.cause = QLabel("")
        self.cause.setObjectName("explanationCause")
        self.cause.setWordWrap(True)
        self.cause.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix = QLabel("")
        self.fix.setObjectName("explanationFix")
        self.fix.setWordWrap(True)
        self.fix.setTextFormat(Qt.TextFormat.RichText)
        self.fix.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel("")
        self.facts.setObjectName("explanationFacts")
        self.facts.setProperty("role", "dim")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.doc_link = QLabel("")
        self.doc_link.setObjectName("explanationDocLink")
        self.doc_link.setTextFormat(Qt.TextFormat.RichText)
        self.doc_link.setWordWrap(True)
        self.doc_link.linkActivated.connect(self.on_doc_link_activated)
        self.body = self.cause  # older name used by the window's tests
        # the server's words (a problem title, a detail) are never rendered as HTML
        plain_labels(self.severity, self.title, self.sandbox_note, self.cause, self.facts)

        heading = QHBoxLayout()
        heading.addWidget(self.severity, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.title, 1)
        self.actions_row = QHBoxLayout()
        self.actions_row.setSpacing(6)
        self.actions_row.addStretch(1)

        content = QWidget()
        # Ignored width: the scroll area gives the text exactly its own width, so every
        # label wraps there instead of running past the right edge.
        content.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.content = content
        inner = QVBoxLayout(content)
        inner.setContentsMargins(10, 8, 10, 8)
        inner.setSpacing(6)
        inner.addLayout(heading)
        inner.addWidget(self.unverified)
        inner.addWidget(self.sandbox_note)
        inner.addWidget(self.cause)
        inner.addWidget(self.fix)
        inner.addWidget(self.facts)
        inner.addWidget(self.doc_link)
        self.extras = QVBoxLayout()  # what other features add under the explanation
        self.extras.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self.extras)
        inner.addLayout(self.actions_row)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.explanation: Explanation | None = None
        self.buttons: dict[FixAction, QPushButton] = {}
        self.show_explanation(None)

    def show_explanation(self, explanation: Explanation | None, *, sandbox_note: str = "") -> None:
        """Show ``explanation``; ``sandbox_note`` says the response was injected by the
        Sandbox (see :func:`explorer.core.sandbox_note.sandbox_fault_note`)."""
        self.explanation = explanation
        self.sandbox_note.setText(f"⚑ {sandbox_note}" if sandbox_note else "")
        self.sandbox_note.setVisible(bool(sandbox_note) and explanation is not None)
        for button in self.buttons.values():
            self.actions_row.removeWidget(button)
            button.deleteLater()
        self.buttons.clear()
        if explanation is None:
            self.severity.setText("")
            self.title.setText("No explanation yet")
            self.cause.setText("Send a request: its status and body are explained here.")
            for label in (self.fix, self.facts, self.doc_link):
                label.setText("")
                label.hide()
            self.unverified.hide()
            return
        glyph, words = SEVERITY_GLYPHS.get(explanation.severity, ("ℹ", "Information"))
        self.severity.setText(glyph)
        self.severity.setToolTip(words)
        self.title.setText(explanation.title)
        self.unverified.setText(
            "⚠ Unverified — inferred, not documented by Thumbtack. Treat it as a lead."
            if explanation.source == "thumbtack"
            else "⚠ Unverified — an inference, not the HTTP standard's or the API "
            "description's. Treat it as a lead."
        )
        grade = explanation.grade
        note = f" {explanation.evidence_note}" if explanation.evidence_note else ""
        self.unverified.setText(EVIDENCE_NOTES[grade] + note)
        self.unverified.setProperty("evidence", grade.value)
        self.unverified.setToolTip(MEANINGS[grade])
        self.unverified.setVisible(grade is not Evidence.DOCUMENTED)
        self.cause.setText(explanation.cause)
        if explanation.fix:
            steps = "".join(f"<li>{html.escape(step)}</li>" for step in explanation.fix)
            self.fix.setText(f"<b>How to fix it</b><ol style='margin-left:-20px'>{steps}</ol>")
        self.fix.setVisible(bool(explanation.fix))
        facts = []
        if explanation.trace_id:
            facts.append(f"traceID: {explanation.trace_id}")
        if explanation.retry_after_s is not None:
            facts.append(f"Retry-After: {explanation.retry_after_s:g} s")
        facts.append(f"Rule: {explanation.rule_id} ({grade.label})")
        self.facts.setText("   ·   ".join(facts))
        self.facts.show()
        if explanation.doc_url:
            url = html.escape(explanation.doc_url, quote=True)
            page = html.escape(explanation.doc_url.split("//", 1)[-1][:80])
            whose = (
                "Thumbtack documentation" if explanation.source == "thumbtack" else "HTTP standard"
            )
            self.doc_link.setText(f'↗ <a href="{url}">{whose}: {page}</a>')
            self.doc_link.setToolTip(explanation.doc_url)
        self.doc_link.setVisible(bool(explanation.doc_url))
        actions = list(explanation.actions)
        if FixAction.RETRY_AFTER in actions and FixAction.RETRY not in actions:
            actions.append(FixAction.RETRY)  # "Retry now" stays available during a countdown
        for index, action in enumerate(actions):
            caption = FIX_LABELS.get(action, action.value)
            if action is FixAction.RETRY and FixAction.RETRY_AFTER in actions:
                caption = "Retry now"
            button = QPushButton(caption)
            button.setObjectName(f"fix_{action.value}")
            button.setDefault(index == 0)
            button.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a))
            self.actions_row.insertWidget(self.actions_row.count() - 1, button)
            self.buttons[action] = button
        self._arrange_actions()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_actions()

    def _arrange_actions(self) -> None:
        """Fix buttons side by side when they fit, one under another when they do not."""
        needed = sum(
            b.sizeHint().width() + self.actions_row.spacing() for b in self.buttons.values()
        )
        room = self.scroll_area.viewport().width() - 20
        direction = (
            QBoxLayout.Direction.LeftToRight if needed <= room else QBoxLayout.Direction.TopToBottom
        )
        if self.actions_row.direction() != direction:
            self.actions_row.setDirection(direction)

    def set_retry_wait(self, seconds_left: int) -> None:
        """Keep "Retry when allowed" disabled while the Retry-After countdown runs."""
        button = self.buttons.get(FixAction.RETRY_AFTER)
        if button is None:
            return
        if seconds_left > 0:
            button.setEnabled(False)
            button.setText(f"Retry when allowed ({seconds_left} s)")
        else:
            button.setEnabled(True)
            button.setText("Retry (allowed now)")

    @Slot(str)
    def on_doc_link_activated(self, url: str) -> None:
        """Open the page in the browser; with no browser, copy the link and say so."""
        if self.open_url(QUrl(url)) is False:
            from PySide6.QtGui import QGuiApplication

            clipboard = QGuiApplication.clipboard()
            if clipboard is not None:
                clipboard.setText(url)
            note = "No browser could be opened here: the link is copied, paste it to read it."
            if note not in self.doc_link.text():
                self.doc_link.setText(f"{self.doc_link.text()}<br><i>{note}</i>")
