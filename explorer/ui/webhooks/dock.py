"""The Webhooks dock: run the inbox, see deliveries arrive checked, open and replay them.

The dock takes its collaborators (the inbox service, the window's redaction, a way to open
a request with inputs filled, a confirmation question, a status-line callback and, on the
Sandbox, the demo pro's business) and never reaches into the window. The receiver's
settings (port, who may connect, the credentials the webhook carries, the answer, a
forward URL) apply a moment after they change, also while it runs (the receiver restarts
on its port); the secret is kept in memory only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.builder import RequestInputs
from explorer.core.codegen import to_curl
from explorer.core.inbox.events import EVENTS
from explorer.core.inbox.listener import AnswerPlan, InboxConfig
from explorer.core.inbox.model import AuthKind, Delivery, WebhookCredentials
from explorer.core.inbox.replay import check_url, delivery_headers_for
from explorer.core.loopback import is_loopback_host
from explorer.core.models import RequestSpec
from explorer.core.redact import Redactor, redactor_for_output
from explorer.ui.style.palette import follow_theme
from explorer.ui.webhooks.detail import DeliveryView
from explorer.ui.webhooks.model import DELIVERY_ROLE, DeliveryFilterModel, DeliveryModel
from explorer.ui.webhooks.service import (
    Detail,
    InboxService,
    Loaded,
    Replayed,
    SampleSent,
    Started,
    Stopped,
)

ALL_EVENTS = "All events"
EXPOSED_HOST = "0.0.0.0"
EXPOSED_WARNING = (
    "⚠ Other machines on your network can send deliveries to the inbox. Leave this off "
    "unless a sender outside this computer must reach it."
)


class Redaction(Protocol):
    """What the dock needs of the window's redaction (RedactionContext)."""

    changed: Any

    @property
    def redactor(self) -> Redactor: ...

    @property
    def presentation(self) -> bool: ...

    def copy_text(self, text: str) -> str: ...


#: The Sandbox's demo pro business (Robert's Remodeling), which the demo pro profile owns.
SANDBOX_PRO_BUSINESS = "468046965846925323"


@dataclass(frozen=True)
class SandboxLink:
    """The Sandbox's demo pro business, for the set-up buttons and realistic samples."""

    business_id: str = SANDBOX_PRO_BUSINESS


class WebhooksDock(QDockWidget):
    """Deliveries newest first, filterable; the chosen one checked, explained, replayable."""

    message = Signal(str)

    def __init__(
        self,
        service: InboxService,
        *,
        redaction: Redaction,
        open_request: Callable[[str, RequestInputs], bool],
        confirm: Callable[[str, str], bool],
        sandbox: SandboxLink | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Webhooks", parent)
        self.setObjectName("webhooksDock")
        self.action = self.toggleViewAction()
        self.action.setText("&Webhooks")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+W"))
        self.action.setObjectName("webhooksAction")
        self.service = service
        self.redaction = redaction
        self.open_request = open_request
        self.confirm = confirm
        self.sandbox = sandbox
        self._shown_id: int | None = None

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._build_top())
        self.pages = QTabWidget()
        self.pages.setObjectName("webhooksPages")
        deliveries = QWidget()
        listing = QVBoxLayout(deliveries)
        listing.setContentsMargins(0, 4, 0, 0)
        listing.addLayout(self._build_filter())
        self.model = DeliveryModel(self)
        self.proxy = DeliveryFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("deliveryTable")
        self.table.setAccessibleName("Webhook deliveries")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setMinimumHeight(50)
        # Columns are sized to their contents once, with the first rows: sizing them on
        # every insert would measure every row, which a burst turns into a visible stall.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._sized = False
        self.detail = DeliveryView()
        self.detail.setMinimumHeight(90)  # small windows: its parts scroll or clip
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("webhooksSplitter")
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.split = split
        listing.addWidget(split, 1)
        setup = QWidget()
        column = QVBoxLayout(setup)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self._build_settings())
        column.addLayout(self._build_actions())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(setup)
        self.pages.addTab(deliveries, "Deliveries")
        self.pages.addTab(scroll, "Receiver and samples")
        self.pages.setCurrentIndex(1)
        layout.addWidget(self.pages, 1)
        # In a small window the dock scrolls rather than pushing the window taller.
        outer = QScrollArea()
        outer.setObjectName("webhooksScroll")
        outer.setWidgetResizable(True)
        outer.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.setWidget(body)
        outer.setMinimumHeight(160)
        outer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.setMinimumWidth(body.minimumSizeHint().width() + 16)
        self.setWidget(outer)

        self.dockLocationChanged.connect(self.on_dock_location_changed)
        self.table.selectionModel().selectionChanged.connect(self.on_table_selection_changed)
        self.model.flushed.connect(self.on_model_flushed)
        self.detail.follow_up_requested.connect(self.on_detail_follow_up)
        self.detail.replay_requested.connect(self.on_detail_replay)
        self.detail.copy_curl_requested.connect(self.on_detail_copy_curl)
        service.arrived.connect(self.on_service_arrived)
        service.started.connect(self.on_service_started)
        service.stopped.connect(self.on_service_stopped)
        service.loaded.connect(self.on_service_loaded)
        service.detail_loaded.connect(self.on_service_detail_loaded)
        service.replayed.connect(self.on_service_replayed)
        service.sample_sent.connect(self.on_service_sample_sent)
        service.failed.connect(self.on_service_failed)
        redaction.changed.connect(self.on_redaction_changed)
        self._apply_settings()
        self._update_running(False)
        self._loaded = False
        self.visibilityChanged.connect(self.on_visibility_changed)

    @Slot(Qt.DockWidgetArea)
    def on_dock_location_changed(self, area: Qt.DockWidgetArea) -> None:
        """Below the panels the list and the delivery sit side by side; beside them, one
        above the other."""
        wide = area in (Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.TopDockWidgetArea)
        self.split.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)

    @Slot(bool)
    def on_visibility_changed(self, visible: bool) -> None:
        if visible and not self._loaded:  # the store is read when first needed
            self._loaded = True
            self.service.load_recent()

    # -- building -------------------------------------------------------------------------
    def _build_top(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.start_button = QPushButton("Start inbox")
        self.start_button.setObjectName("inboxStart")
        self.start_button.clicked.connect(self.on_start_clicked)
        self.url_label = QLabel("Not listening")
        self.url_label.setObjectName("inboxUrl")
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_url_button = QPushButton("Copy URL")
        self.copy_url_button.setObjectName("inboxCopyUrl")
        self.copy_url_button.clicked.connect(self.on_copy_url_clicked)
        row.addWidget(self.start_button)
        row.addWidget(self.url_label, 1)
        row.addWidget(self.copy_url_button)
        return row

    def _build_settings(self) -> QGroupBox:
        box = QGroupBox("Receiver")
        box.setObjectName("inboxSettings")
        form = QFormLayout(box)
        self.port = QSpinBox()
        self.port.setObjectName("inboxPort")
        self.port.setRange(0, 65535)
        self.port.setSpecialValueText("any free port")
        self.exposed = QCheckBox("Reachable from other machines")
        self.exposed.setObjectName("inboxExposed")
        self.exposed.setToolTip("Listen on 0.0.0.0 instead of 127.0.0.1 only")
        self.exposed_warning = QLabel(EXPOSED_WARNING)
        self.exposed_warning.setWordWrap(True)
        warning = self.exposed_warning
        follow_theme(warning, lambda colors: warning.setStyleSheet(f"color: {colors.warning};"))
        self.exposed_warning.hide()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Port", self.port)
        form.addRow(self.exposed)
        form.addRow(self.exposed_warning)
        self.auth_kind = QComboBox()
        self.auth_kind.setObjectName("inboxAuthKind")
        self.auth_kind.addItem("No credentials", AuthKind.NONE)
        self.auth_kind.addItem("HTTP Basic", AuthKind.BASIC)
        self.auth_kind.addItem("Custom header", AuthKind.HEADER)
        self.auth_name = QLineEdit()
        self.auth_name.setObjectName("inboxAuthName")
        self.auth_secret = QLineEdit()
        self.auth_secret.setObjectName("inboxAuthSecret")
        self.auth_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.auth_secret.setToolTip("Kept in memory only; masked everywhere it is shown")
        form.addRow("Expect", self.auth_kind)
        creds = QHBoxLayout()
        creds.addWidget(self.auth_name, 1)
        creds.addWidget(self.auth_secret, 1)
        form.addRow("", creds)
        self.answer_status = QSpinBox()
        self.answer_status.setObjectName("inboxAnswerStatus")
        self.answer_status.setRange(200, 599)
        self.answer_status.setValue(200)
        self.answer_delay = QDoubleSpinBox()
        self.answer_delay.setObjectName("inboxAnswerDelay")
        self.answer_delay.setRange(0, 120)
        self.answer_delay.setSuffix(" s")
        answer = QHBoxLayout()
        answer.addWidget(self.answer_status)
        answer.addWidget(QLabel("after"))
        answer.addWidget(self.answer_delay)
        answer.addStretch(1)
        form.addRow("Answer", answer)
        self.forward = QLineEdit()
        self.forward.setObjectName("inboxForward")
        self.forward.setPlaceholderText("optional: also pass each delivery to this URL")
        form.addRow("Forward to", self.forward)
        self.settings_box = box
        self.exposed.toggled.connect(self.exposed_warning.setVisible)
        self.auth_kind.currentIndexChanged.connect(self._on_auth_kind_changed)
        # Settings apply a moment after the last change (a running receiver restarts).
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(400)
        self._settle.timeout.connect(self._apply_settings)
        for editor in (self.auth_name, self.auth_secret, self.forward):
            editor.editingFinished.connect(self._settle.start)
        self.auth_kind.currentIndexChanged.connect(self._settle.start)
        self.answer_status.valueChanged.connect(self._settle.start)
        self.answer_delay.valueChanged.connect(self._settle.start)
        self._on_auth_kind_changed()
        return box

    def _build_actions(self) -> QVBoxLayout:
        rows = QVBoxLayout()
        row = QHBoxLayout()
        self.setup_button = QPushButton("Create Sandbox webhook…")
        self.setup_button.setObjectName("inboxSandboxSetup")
        self.setup_button.setToolTip(
            "Opens POST …/webhooks with the inbox's URL and credentials filled; press Send"
        )
        self.setup_button.clicked.connect(self.on_setup_clicked)
        self.test_lead_button = QPushButton("Test lead…")
        self.test_lead_button.setObjectName("inboxTestLead")
        self.test_lead_button.setToolTip("Opens POST …/webhooks/test-negotiation; press Send")
        self.test_lead_button.clicked.connect(self.on_test_lead_clicked)
        self.sample_event = QComboBox()
        self.sample_event.setObjectName("inboxSampleEvent")
        self.sample_event.setAccessibleName("Event type of the sample")
        for name in EVENTS:
            self.sample_event.addItem(name)
        self.sample_button = QPushButton("Send a sample delivery")
        self.sample_button.setObjectName("inboxSendSample")
        self.sample_button.clicked.connect(self.on_sample_clicked)
        for widget in (self.setup_button, self.test_lead_button):
            row.addWidget(widget)
            widget.setVisible(self.sandbox is not None)
        row.addStretch(1)
        samples = QHBoxLayout()
        samples.addWidget(self.sample_event)
        samples.addWidget(self.sample_button)
        samples.addStretch(1)
        rows.addLayout(row)
        rows.addLayout(samples)
        return rows

    def _build_filter(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("inboxSearch")
        self.search.setPlaceholderText("Filter: text in the event, path or body")
        self.search.setClearButtonEnabled(True)
        self.event_filter = QComboBox()
        self.event_filter.setObjectName("inboxEventFilter")
        self.event_filter.addItem(ALL_EVENTS, "")
        for name in EVENTS:
            self.event_filter.addItem(name, name)
        self.failed_only = QCheckBox("Failed checks only")
        self.failed_only.setObjectName("inboxFailedOnly")
        self.count_label = QLabel("")
        self.count_label.setObjectName("inboxCount")
        for widget in (self.search, self.event_filter, self.failed_only, self.count_label):
            row.addWidget(widget, 1 if widget is self.search else 0)
        self.search.textChanged.connect(self._apply_filter)
        self.event_filter.currentIndexChanged.connect(self._apply_filter)
        self.failed_only.toggled.connect(self._apply_filter)
        return row

    # -- settings ------------------------------------------------------------------------
    @Slot()
    def _on_auth_kind_changed(self) -> None:
        kind = AuthKind(self.auth_kind.currentData())
        self.auth_name.setVisible(kind is not AuthKind.NONE)
        self.auth_secret.setVisible(kind is not AuthKind.NONE)
        self.auth_name.setPlaceholderText("username" if kind is AuthKind.BASIC else "header name")
        self.auth_secret.setPlaceholderText("password" if kind is AuthKind.BASIC else "value")

    def credentials(self) -> WebhookCredentials:
        """The credentials typed in the settings (ValueError with words when incomplete)."""
        kind = AuthKind(self.auth_kind.currentData())
        name, secret = self.auth_name.text().strip(), self.auth_secret.text()
        if kind is AuthKind.NONE:
            return WebhookCredentials()
        if not name or not secret:
            what = "username and password" if kind is AuthKind.BASIC else "header name and value"
            raise ValueError(f"Type the {what} the webhook carries, or choose No credentials.")
        if kind is AuthKind.BASIC:
            return WebhookCredentials.basic(name, secret)
        return WebhookCredentials.header(f"{name}: {secret}")

    @Slot()
    def _apply_settings(self) -> None:
        try:
            credentials = self.credentials()
        except ValueError:
            credentials = WebhookCredentials()
        forward = self.forward.text().strip()
        if forward:
            try:
                forward = check_url(forward)
            except ValueError as exc:
                self.message.emit(str(exc))
                forward = ""
        self.service.configure(
            InboxConfig(
                credentials=credentials,
                answer=AnswerPlan(
                    status=self.answer_status.value(), delay_s=self.answer_delay.value()
                ),
                forward_url=forward,
            )
        )
        self.detail.set_credentials_note(
            credentials.describe().capitalize() + " (as the receiver settings say)."
            if credentials.configured
            else "None: the receiver settings expect no credentials."
        )

    # -- starting and stopping ------------------------------------------------------------------
    @Slot()
    def on_start_clicked(self) -> None:
        if self.service.running:
            self.start_button.setEnabled(False)
            self.service.stop()
            return
        try:
            self.credentials()
        except ValueError as exc:
            self.message.emit(str(exc))
            return
        self._settle.stop()
        self._apply_settings()
        host = EXPOSED_HOST if self.exposed.isChecked() else "127.0.0.1"
        self.start_button.setEnabled(False)
        self.url_label.setText("Starting…")
        self.service.start(host, self.port.value())

    def _update_running(self, running: bool) -> None:
        self.start_button.setEnabled(True)
        self.start_button.setText("Stop inbox" if running else "Start inbox")
        self.copy_url_button.setEnabled(running)
        self.sample_button.setEnabled(running)
        self.setup_button.setEnabled(running)
        self.port.setEnabled(not running)
        self.exposed.setEnabled(not running)
        if not running:
            self.url_label.setText("Not listening")

    @Slot(object)
    def on_service_started(self, started: Started) -> None:
        self._update_running(True)
        warning = "" if is_loopback_host(started.host) else "  ⚠ reachable from other machines"
        self.url_label.setText(started.url + warning)
        self.pages.setCurrentIndex(0)
        self.message.emit(f"Inbox listening on {started.url}: give it as the webhookURL.")

    @Slot(object)
    def on_service_stopped(self, stopped: Stopped) -> None:
        self._update_running(False)
        self.message.emit(f"Inbox stopped; {stopped.received} delivery(ies) recorded this time.")

    @Slot(str)
    def on_service_failed(self, text: str) -> None:
        self._update_running(self.service.running)
        if self.service.running:
            self.url_label.setText(self.service.url)
        self.message.emit(text)

    @Slot()
    def on_copy_url_clicked(self) -> None:
        if self.service.url:
            self.redaction.copy_text(self.service.url)
            self.message.emit(f"Copied {self.service.url}")

    # -- the Sandbox and samples ------------------------------------------------------------------
    @Slot()
    def on_setup_clicked(self) -> None:
        if self.sandbox is None or not self.service.url:
            return
        try:
            credentials = self.credentials()
        except ValueError as exc:
            self.message.emit(str(exc))
            return
        body: dict[str, Any] = {
            "webhookURL": self.service.url,
            "eventTypes": ["NegotiationCreatedV4", "MessageCreatedV4"],
            "enabled": True,
        }
        # The history and the drafts store this body with the auth values masked.
        if credentials.kind is AuthKind.BASIC:
            body["auth"] = {"username": credentials.name, "password": credentials.secret}
        elif credentials.kind is AuthKind.HEADER:
            body["auth"] = {"header": credentials.name, "value": credentials.secret}
        inputs = RequestInputs(
            path_params={"businessID": self.sandbox.business_id},
            body_text=json.dumps(body, indent=2),
        )
        if self.open_request("createBusinessWebhookV4", inputs):
            self.message.emit(
                "Press Send to create the webhook. Thumbtack requires an https:// webhookURL; "
                "the Sandbox also takes this http://127.0.0.1 one, so choose Send anyway when "
                "asked. Then Test lead… delivers a lead to the inbox."
            )

    @Slot()
    def on_test_lead_clicked(self) -> None:
        if self.sandbox is None:
            return
        inputs = RequestInputs(path_params={"businessID": self.sandbox.business_id})
        if self.open_request("createTestNegotiationV4", inputs):
            self.message.emit("Press Send: the Sandbox delivers the test lead to its webhooks.")

    @Slot()
    def on_sample_clicked(self) -> None:
        business = self.sandbox.business_id if self.sandbox is not None else ""
        self.service.send_sample(self.sample_event.currentText(), business)

    @Slot(object)
    def on_service_sample_sent(self, sent: SampleSent) -> None:
        where = "accepted" if sent.answer.accepted else f"answered {sent.answer.status}"
        self.message.emit(f"Sample {sent.event_type} delivered ({where}). {sent.note}")

    # -- the list -------------------------------------------------------------------------------
    @Slot(object)
    def on_service_arrived(self, delivery: Delivery) -> None:
        self.model.add(delivery)

    @Slot(object)
    def on_service_loaded(self, loaded: Loaded) -> None:
        self.model.load(loaded.deliveries)
        self._size_columns()
        self._update_count()

    @Slot(int)
    def on_model_flushed(self, _count: int) -> None:
        self._size_columns()
        self._update_count()

    def _size_columns(self) -> None:
        if self._sized or not self.model.rowCount():
            return
        self._sized = True
        for column in (0, 1, 3, 4, 5):
            self.table.resizeColumnToContents(column)
        self.table.setColumnWidth(
            4, max(self.table.columnWidth(4), self._text_width("undocumented"))
        )
        self.table.setColumnWidth(3, max(self.table.columnWidth(3), self._text_width("missing")))

    def _text_width(self, text: str) -> int:
        return self.table.fontMetrics().horizontalAdvance(text) + 16

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total}")

    @Slot()
    def _apply_filter(self) -> None:
        self.proxy.set_filter(
            event_type=self.event_filter.currentData() or "",
            text=self.search.text(),
            failed_only=self.failed_only.isChecked(),
        )
        self._update_count()

    def selected(self) -> Delivery | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        delivery = rows[0].data(DELIVERY_ROLE)
        return delivery if isinstance(delivery, Delivery) else None

    @Slot(QItemSelection, QItemSelection)
    def on_table_selection_changed(self, *_args: object) -> None:
        delivery = self.selected()
        if delivery is None or delivery.id is None:
            return
        self._shown_id = delivery.id
        self.service.load_detail(delivery.id)

    @Slot(object)
    def on_service_detail_loaded(self, detail: Detail | None) -> None:
        if detail is None or detail.delivery.id != self._shown_id:
            return
        self.detail.show_delivery(
            detail.delivery, detail.ordering, self.redaction.redactor, self.service.url
        )

    @Slot()
    def on_redaction_changed(self) -> None:
        current = self.detail.delivery
        if current is not None:
            self.detail.show_delivery(
                current, self.detail.ordering, self.redaction.redactor, self.service.url
            )

    # -- follow-ups, replay and copies ------------------------------------------------------------
    @Slot(str, object)
    def on_detail_follow_up(self, operation_id: str, inputs: RequestInputs) -> None:
        if not self.open_request(operation_id, inputs):
            self.message.emit(f"{operation_id} is not in the API description that is open.")

    def _target(self, url: str) -> str | None:
        target = url or self.service.url
        if not target:
            self.message.emit("Give your endpoint's URL (or start the inbox to send it there).")
            return None
        try:
            return check_url(target)
        except ValueError as exc:
            self.message.emit(str(exc))
            return None

    def _replay_credentials(self) -> WebhookCredentials:
        try:
            return self.credentials()
        except ValueError:
            return WebhookCredentials()

    @Slot(object, str)
    def on_detail_replay(self, delivery: Delivery, url: str) -> None:
        target = self._target(url)
        if target is None:
            self.detail.replay_result.setText("")
            return
        self.service.replay(delivery, target, self._replay_credentials())

    @Slot(object)
    def on_service_replayed(self, replayed: Replayed) -> None:
        self.detail.show_answer(replayed.answer, self.redaction.redactor)
        self.message.emit(replayed.answer.explanation)

    def curl_for(self, delivery: Delivery, url: str) -> RequestSpec | None:
        target = self._target(url)
        if target is None:
            return None
        headers = delivery_headers_for(delivery.headers, self._replay_credentials())
        return RequestSpec(method=delivery.method, url=target, headers=headers, body=delivery.body)

    @Slot(object, str, bool)
    def on_detail_copy_curl(self, delivery: Delivery, url: str, with_secrets: bool) -> None:
        spec = self.curl_for(delivery, url)
        if spec is None:
            return
        if not with_secrets:
            secrets = self._replay_credentials().known_secrets()
            known = (*secrets, *self.redaction.redactor.policy.known_secrets)
            self.redaction.copy_text(to_curl(spec, known_secrets=known))
            self.message.emit(
                "Copied as curl; the credentials are read from THUMBTACK_* variables."
            )
            return
        if self.redaction.presentation:
            self.message.emit("Turn presentation mode off to copy a delivery with its secrets.")
            return
        if not self.confirm(
            "Copy with secrets",
            "The copied command will hold the webhook's real credentials. Paste it only where "
            "nobody else can read it. Copy it?",
        ):
            return
        from explorer.ui.redaction import copy_text

        copy_text(to_curl(spec, masked=False), redactor_for_output(False))
        self.message.emit("Copied as curl WITH secrets: handle with care.")

    def shutdown(self) -> None:
        self.service.shutdown()
