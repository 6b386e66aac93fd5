"""The request builder in the centre: endpoint header, URL, headers and body.

Contract used by the main window: ``load_endpoint(endpoint, base_url)``,
``build_spec() -> RequestSpec | None`` (without authentication; the window adds it),
``set_busy(bool)``, and the signals ``send_requested`` / ``cancel_requested``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.models import Endpoint, RequestSpec

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class RequestPanel(QWidget):
    """Edits one request and asks the window to send it."""

    send_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.endpoint: Endpoint | None = None
        self.title = QLabel("Pick an endpoint on the left")
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.details = QLabel("")
        self.details.setProperty("role", "dim")
        self.details.setWordWrap(True)
        self.details.setOpenExternalLinks(True)
        self.method = QComboBox()
        self.method.addItems(METHODS)
        self.url = QLineEdit(placeholderText="https://…")
        self.url.setObjectName("requestUrl")
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip("Send the request (Ctrl+Enter)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Cancel the request in flight (Esc)")
        self.cancel_button.setEnabled(False)
        self.headers = QPlainTextEdit(placeholderText="Header-Name: value   (one per line)")
        self.headers.setMaximumHeight(90)
        self.body = QPlainTextEdit(placeholderText="JSON body")
        self.body.setObjectName("requestBody")

        line = QHBoxLayout()
        line.addWidget(self.method)
        line.addWidget(self.url, 1)
        line.addWidget(self.send_button)
        line.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addLayout(line)
        layout.addWidget(QLabel("Headers"))
        layout.addWidget(self.headers)
        layout.addWidget(QLabel("Body"))
        layout.addWidget(self.body, 1)
        self.send_button.clicked.connect(self.send_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)

    def load_endpoint(self, endpoint: Endpoint, base_url: str) -> None:
        self.endpoint = endpoint
        self.title.setText(endpoint.summary or endpoint.operation_id)
        scopes = ", ".join(endpoint.scopes) or "none listed"
        flows = ", ".join(flow.value for flow in endpoint.flows) or "none"
        doc = f' · <a href="{endpoint.doc_url}">documentation</a>' if endpoint.doc_url else ""
        self.details.setText(f"{endpoint.operation_id} · flow: {flows} · scopes: {scopes}{doc}")
        self.method.setCurrentText(endpoint.method)
        self.url.setText(base_url.rstrip("/") + endpoint.path)

    def build_spec(self) -> RequestSpec | None:
        url = self.url.text().strip()
        if not url:
            return None
        headers: list[tuple[str, str]] = []
        for raw in self.headers.toPlainText().splitlines():
            if ":" in raw:
                name, value = raw.split(":", 1)
                headers.append((name.strip(), value.strip()))
        body_text = self.body.toPlainText()
        body = body_text.encode("utf-8") if body_text.strip() else None
        if body is not None and not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", "application/json"))
        return RequestSpec(
            method=self.method.currentText(),
            url=url,
            headers=tuple(headers),
            body=body,
            operation_id=self.endpoint.operation_id if self.endpoint else None,
        )

    @Slot(bool)
    def set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
