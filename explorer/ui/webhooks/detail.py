"""One delivery on screen: its checks and meaning, its bytes, and replaying it.

:class:`DeliveryView` has three tabs. *Checks*: the credential check (red, with what was
sent, masked, when it failed), the contract verdict with each finding, the ordering note,
what the event means (with how well that is known) and one button per follow-up call,
which opens that request with the delivery's IDs filled. *Delivery*: the same response
pane as a response (body, headers, raw), fed the delivery. *Replay*: send it to the
user's endpoint with the webhook's credentials and see the answer, or copy it as curl.
Everything shown has passed the window's redactor (presentation mode masks customer data).
"""

from __future__ import annotations

import contextlib
import html
import json

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.builder import RequestInputs
from explorer.core.inbox.events import event_info, follow_ups
from explorer.core.inbox.model import (
    CredentialState,
    Delivery,
    EndpointAnswer,
    VerdictState,
    parse_json,
)
from explorer.core.inbox.store import redact_with
from explorer.core.models import RequestSpec, ResponseRecord, Timing
from explorer.core.redact import Redactor
from explorer.ui.response.pane import ResponsePane
from explorer.ui.style.palette import current, follow_theme

REPLY_BODY = '{\n  "text": "Thanks for reaching out! When would suit you?"\n}'


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _coloured(text: str, meaning: str, *, bold: bool = True) -> str:
    """``text`` in the palette's colour for ``meaning`` ("error", "ok" or "warning"); the
    text itself says the same (✓, ✗, ⚠ and words)."""
    colour = getattr(current(), meaning)
    weight = "font-weight:600;" if bold else ""
    return f'<span style="color:{colour};{weight}">{_e(text)}</span>'


def delivery_record(delivery: Delivery, base_url: str = "") -> ResponseRecord:
    """A delivery in the shape the response pane shows: its headers and body as the
    "response", the request line as the "request"."""
    url = (base_url.rstrip("/") + delivery.path) if base_url else delivery.path
    spec = RequestSpec(
        method=delivery.method, url=url, headers=delivery.headers, body=delivery.body
    )
    return ResponseRecord(
        request=spec,
        status=delivery.answered_status,
        headers=delivery.headers,
        body=delivery.body,
        body_truncated=delivery.body_truncated,
        timing=Timing(),
        started_at=delivery.received_at,
        url=url,
    )


class DeliveryView(QWidget):
    """Checks, bytes and replay of the delivery chosen in the list."""

    follow_up_requested = Signal(str, object)  # operationId, RequestInputs
    replay_requested = Signal(object, str)  # Delivery, URL
    copy_curl_requested = Signal(object, str, bool)  # Delivery, URL, with secrets

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.delivery: Delivery | None = None
        self.ordering = ""
        self.tabs = QTabWidget()
        self.tabs.setObjectName("deliveryTabs")

        checks = QWidget()
        column = QVBoxLayout(checks)
        self.summary = _label("deliverySummary")
        self.credentials = _label("deliveryCredentials")
        self.contract = _label("deliveryContract")
        self.order_note = _label("deliveryOrdering")
        self.meaning = _label("deliveryMeaning")
        self.follow_row = QHBoxLayout()
        self.follow_buttons: list[QPushButton] = []
        for widget in (self.summary, self.credentials, self.contract, self.order_note):
            column.addWidget(widget)
        column.addWidget(self.meaning)
        column.addLayout(self.follow_row)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(checks)
        self.tabs.addTab(scroll, "Checks")

        self.pane = ResponsePane()
        self.pane.setObjectName("deliveryPane")
        self.tabs.addTab(self.pane, "Delivery")

        replay = QWidget()
        form = QFormLayout(replay)
        self.replay_url = QLineEdit()
        self.replay_url.setObjectName("replayUrl")
        self.replay_url.setPlaceholderText("http://127.0.0.1:8000/thumbtack/webhook")
        self.replay_url.setAccessibleName("Your endpoint's URL")
        form.addRow("Your endpoint", self.replay_url)
        self.replay_credentials = QLabel("")
        self.replay_credentials.setWordWrap(True)
        form.addRow("Credentials", self.replay_credentials)
        buttons = QHBoxLayout()
        self.replay_button = QPushButton("Replay to my endpoint")
        self.replay_button.setObjectName("replayButton")
        self.copy_curl_button = QPushButton("Copy as curl")
        self.copy_curl_button.setObjectName("copyDeliveryCurl")
        self.copy_curl_button.setToolTip(
            "A curl command that sends this delivery again (to your endpoint, or to the "
            "inbox when none is given); it reads the credentials from THUMBTACK_* variables"
        )
        self.copy_secret_button = QPushButton("Copy as curl (with secrets)…")
        self.copy_secret_button.setObjectName("copyDeliveryCurlSecrets")
        for button in (self.replay_button, self.copy_curl_button, self.copy_secret_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.replay_result = _label("replayResult")
        form.addRow(self.replay_result)
        self.tabs.addTab(replay, "Replay")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.replay_button.clicked.connect(self.on_replay_clicked)
        self.replay_url.returnPressed.connect(self.on_replay_clicked)
        self.copy_curl_button.clicked.connect(lambda: self._copy(False))
        self.copy_secret_button.clicked.connect(lambda: self._copy(True))
        self._shown: tuple[Delivery, str, Redactor, str] | None = None
        self._answer: tuple[EndpointAnswer, Redactor] | None = None
        self.clear()
        follow_theme(self, self._on_theme_changed)

    def _on_theme_changed(self, _colors: object) -> None:
        """The coloured words are rich text: written again in the new theme's colours."""
        if self.delivery is not None and self._shown is not None:
            answer = self._answer
            self.show_delivery(*self._shown)
            if answer is not None:
                self.show_answer(*answer)

    # -- showing ----------------------------------------------------------------------------
    def clear(self) -> None:
        self.delivery = None
        self.summary.setText("Choose a delivery in the list to see its checks.")
        for label in (self.credentials, self.contract, self.order_note, self.meaning):
            label.clear()
            label.hide()
        self._set_follow_ups([])
        self.pane.clear()
        self.replay_result.clear()
        for button in (self.replay_button, self.copy_curl_button, self.copy_secret_button):
            button.setEnabled(False)

    def set_credentials_note(self, text: str) -> None:
        self.replay_credentials.setText(text)

    def show_delivery(
        self, delivery: Delivery, ordering: str, redactor: Redactor, base_url: str = ""
    ) -> None:
        """Show ``delivery`` (as stored) through ``redactor``."""
        self.delivery = delivery
        self.ordering = ordering
        self._shown = (delivery, ordering, redactor, base_url)
        self._answer = None
        shown = redact_with(delivery, redactor)
        text = redactor.redact_text
        event = shown.event_type or "(no eventType)"
        self.summary.setText(
            f"<b>#{shown.id} {_e(event)}</b> — {_e(shown.method)} "
            f"{_e(shown.path)}<br>received {_e(shown.received_at)} from "
            f"{_e(shown.source)}; answered {shown.answered_status}"
            + ("" if shown.origin.value == "received" else f" ({shown.origin.value})")
        )
        cred = shown.credential
        if cred.failed:
            head = _coloured(
                "✗ Credentials " + ("wrong" if cred.state is CredentialState.WRONG else "missing"),
                "error",
            )
        elif cred.state is CredentialState.OK:
            head = _coloured("✓ Credentials match", "ok")
        else:
            head = "<b>Credentials not checked</b>"
        sent = f"<br>Sent: {_e(text(cred.sent))}" if cred.sent else ""
        self.credentials.setText(f"{head} — {_e(text(cred.summary))}{sent}")
        self.credentials.setProperty("failed", cred.failed)
        verdict = shown.verdict
        if verdict.failed:
            verdict_head = _coloured(f"✗ Contract: {verdict.state.value}", "error")
        elif verdict.state is VerdictState.VALID:
            verdict_head = _coloured("✓ Contract: valid", "ok")
        else:
            verdict_head = _coloured(f"Contract: {verdict.state.value}", "warning")
        items = "".join(
            f"<li>{_e(f.where)}: {_e(text(f.message))}"
            + (" (warning)" if f.warning else "")
            + "</li>"
            for f in verdict.findings
        )
        self.contract.setText(
            f"{verdict_head} — {_e(text(verdict.summary))}" + (f"<ul>{items}</ul>" if items else "")
        )
        self.contract.setProperty("failed", verdict.failed)
        self.order_note.setText(_coloured("⚠ " + ordering, "warning") if ordering else "")
        self.order_note.setVisible(bool(ordering))
        info = event_info(shown.event_type)
        if info is not None:
            advice = "".join(f"<li>{_e(a)}</li>" for a in info.advice)
            self.meaning.setText(
                f"<b>What {_e(info.event_type)} means</b> "
                f"<i>({_e(info.grade.value)})</i><br>{_e(info.meaning)}"
                + (f"<ul>{advice}</ul>" if advice else "")
            )
        else:
            self.meaning.setText(
                "<b>Unknown event.</b> The description documents no such webhook event."
            )
        for label in (self.credentials, self.contract, self.meaning):
            label.show()
        self._set_follow_ups(self._follow_ups(delivery))
        record = delivery_record(shown, base_url)
        from explorer.core.status import classify

        self.pane.show_record(record, status=classify(record))
        self.pane.badge.show_neutral(
            "info",
            f"{shown.method} {shown.path} — {event}",
            f"Received {shown.received_at} from {shown.source}; the inbox answered "
            f"{shown.answered_status}.",
        )
        for button in (self.replay_button, self.copy_curl_button, self.copy_secret_button):
            button.setEnabled(True)

    def _follow_ups(self, delivery: Delivery) -> list[QPushButton]:
        document = parse_json(delivery.body)
        data = document.get("data") if isinstance(document, dict) else None
        buttons = []
        for follow in follow_ups(delivery.event_type, data if isinstance(data, dict) else {}):
            button = QPushButton(follow.label)
            button.setObjectName(f"followUp_{follow.operation_id}")
            if follow.ready:
                button.setToolTip(
                    f"Open {follow.operation_id} with "
                    + ", ".join(f"{k}={v}" for k, v in follow.path_params.items())
                )
                body = REPLY_BODY if follow.operation_id == "sendMessageV4" else ""
                inputs = RequestInputs(path_params=dict(follow.path_params), body_text=body)
                button.clicked.connect(
                    lambda _=False, o=follow.operation_id, i=inputs: self.follow_up_requested.emit(
                        o, i
                    )
                )
            else:
                button.setEnabled(False)
                button.setToolTip(
                    "This delivery's data has no " + ", ".join(follow.missing) + " to fill in."
                )
            buttons.append(button)
        return buttons

    def _set_follow_ups(self, buttons: list[QPushButton]) -> None:
        for old in self.follow_buttons:
            self.follow_row.removeWidget(old)
            old.deleteLater()
        self.follow_buttons = buttons
        for button in buttons:
            self.follow_row.addWidget(button)

    # -- replay -------------------------------------------------------------------------------
    @Slot()
    def on_replay_clicked(self) -> None:
        if self.delivery is not None:
            self.replay_result.setText("Sending…")
            self.replay_requested.emit(self.delivery, self.replay_url.text().strip())

    def _copy(self, with_secrets: bool) -> None:
        if self.delivery is not None:
            self.copy_curl_requested.emit(
                self.delivery, self.replay_url.text().strip(), with_secrets
            )

    def show_answer(self, answer: EndpointAnswer, redactor: Redactor) -> None:
        self._answer = (answer, redactor)
        text = redactor.redact_text
        if answer.status is None:
            head = _coloured(f"No answer after {answer.total_ms:.0f} ms", "error")
        elif answer.accepted:
            head = _coloured(f"{answer.status} in {answer.total_ms:.0f} ms", "ok")
        else:
            head = _coloured(f"{answer.status} in {answer.total_ms:.0f} ms", "error")
        body = redactor.redact_body(answer.body, dict(answer.headers).get("Content-Type", ""))
        excerpt = body[:2000].decode("utf-8", errors="replace")
        with contextlib.suppress(ValueError):
            excerpt = json.dumps(json.loads(excerpt), indent=2)[:2000]
        self.replay_result.setText(
            f"{head} — {_e(text(answer.url))}<br>{_e(text(answer.explanation))}"
            + (f"<pre>{_e(text(excerpt))}</pre>" if excerpt else "")
        )
