"""The explanation panel: why a response looks as it does, and the fix, one click away."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from explorer.core.models import Explanation, FixAction

ACTION_LABELS: dict[FixAction, str] = {
    FixAction.REFRESH_TOKEN_AND_RETRY: "Refresh token and retry",
    FixAction.SET_AUDIENCE_AND_RETRY: "Set audience to urn:partner-api and retry",
    FixAction.USE_ENVIRONMENT_TOKEN_SERVER: "Use this environment's token server",
    FixAction.OPEN_SCOPE_EDITOR: "Edit scopes…",
    FixAction.OPEN_PROFILE_EDITOR: "Edit profile…",
    FixAction.RETRY_AFTER: "Retry when allowed",
    FixAction.RETRY: "Retry",
    FixAction.COPY_TRACE_ID: "Copy traceID for support",
}


class ExplanationPanel(QWidget):
    """Shows an :class:`Explanation`; emits ``action_requested(FixAction)`` for one-click fixes."""

    action_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Send a request to see its explanation here.")
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.title.setObjectName("explanationTitle")
        self.body = QLabel("")
        self.body.setWordWrap(True)
        self.body.setOpenExternalLinks(True)
        self.body.setObjectName("explanationBody")
        self.actions_row = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addLayout(self.actions_row)
        layout.addStretch(1)
        self.explanation: Explanation | None = None
        self.buttons: dict[FixAction, QPushButton] = {}

    def show_explanation(self, explanation: Explanation | None) -> None:
        self.explanation = explanation
        for button in self.buttons.values():
            self.actions_row.removeWidget(button)
            button.deleteLater()
        self.buttons.clear()
        if explanation is None:
            self.title.setText("No explanation")
            self.body.setText("")
            return
        self.title.setText(explanation.title)
        parts = [f"<p>{html.escape(explanation.cause)}</p>"]
        if not explanation.documented:
            parts.append("<p><b>Unverified:</b> this is inferred, not documented by Thumbtack.</p>")
        if explanation.fix:
            steps = "".join(f"<li>{html.escape(step)}</li>" for step in explanation.fix)
            parts.append(f"<ol>{steps}</ol>")
        if explanation.doc_url:
            url = html.escape(explanation.doc_url, quote=True)
            parts.append(f'<p><a href="{url}">Thumbtack documentation</a></p>')
        self.body.setText("".join(parts))
        for action in explanation.actions:
            button = QPushButton(ACTION_LABELS.get(action, action.value))
            button.clicked.connect(lambda _=False, a=action: self.action_requested.emit(a))
            self.actions_row.addWidget(button)
            self.buttons[action] = button
