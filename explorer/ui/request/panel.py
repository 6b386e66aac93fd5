"""The request builder in the centre: endpoint header, URL, typed form, raw JSON, preview.

Contract used by the main window: ``load_endpoint(endpoint, base_url)``,
``build_spec() -> RequestSpec | None`` (without authentication; the window adds it),
``set_busy(bool)``, ``request_send()`` (checks the inputs first) and the signals
``send_requested`` / ``cancel_requested``. ``send_requested`` is emitted only when the
inputs have no problems, or after the user chose "Send anyway".

Data flow: the forms and the raw editor produce :class:`RequestInputs`; the core builds
(:func:`build_request`) and checks (:func:`validate_inputs`) them. The form and the raw
JSON stay in sync both ways; each endpoint's inputs are kept by a :class:`DraftKeeper`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, SignalInstance, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.bodies import BodyError, BodyKind, declared_kinds, encode
from explorer.core.builder import (
    InputProblem,
    ProblemLocation,
    RequestInputs,
    build_request,
    example_inputs,
    validate_inputs,
)
from explorer.core.codegen import TARGETS
from explorer.core.models import Endpoint, RequestSpec, Severity
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.reopen import FREE, inputs_for
from explorer.ui.overflow_bar import TabListButton
from explorer.ui.request.body_kinds import ALL_KINDS, BodyKindPanel
from explorer.ui.request.composite_editors import (
    ROWS_PER_SLICE,
    ObjectEditor,
    expand_within,
    make_editor,
)
from explorer.ui.request.drafts import DraftKeeper
from explorer.ui.request.field_editors import MISSING, Editor
from explorer.ui.request.json_editor import JsonEditor, monospace_font
from explorer.ui.request.parts import (
    AUTH_PLACEHOLDER,
    EndpointHeader,
    MessageBar,
    ProblemList,
    panel_stylesheet,
    preview_text,
)
from explorer.ui.request.problems import ProblemDisplay
from explorer.ui.style.palette import current
from explorer.ui.workers import Lane, TaskRunner

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CHECK_DELAY_MS = 300
LIVE_CHECK_LIMIT = 1_000_000  # bytes of body above which only Send checks it


class RequestPanel(ProblemDisplay, QWidget):
    """Edits one request and asks the window to send it."""

    send_requested = Signal()
    cancel_requested = Signal()
    problems_changed = Signal(list)  # list[InputProblem]
    request_judged = Signal(object)  # the ContractResult on the request shown, or None
    message = Signal(str)  # a short status-bar message
    #: copy the request as code: a target id of explorer.core.codegen.TARGETS ("curl",
    #: "httpx" and every language of the Copy as menu)
    copy_requested = Signal(str)
    define_variable = Signal(str)  # "Define it" for an undefined {{name}}

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        drafts: DraftKeeper | None = None,
        variables: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.endpoint: Endpoint | None = None
        self.base_url = ""
        self.drafts = drafts or DraftKeeper(None, self)
        self.variables = variables or (lambda: {})
        self.problems: list[InputProblem] = []
        self.body_editor: Editor | None = None
        self._example = RequestInputs()
        self._undo_inputs: RequestInputs | None = None
        self._syncing = False
        storage = Redactor(RedactionPolicy.for_storage())
        self._redactor: Callable[[], Redactor] = lambda: storage
        self._prepare: Callable[[RequestSpec], RequestSpec] = lambda spec: spec
        self._build()
        self._check_timer = _timer(self, self.run_checks)
        self._raw_timer = _timer(self, self.on_raw_settled)
        self._form_timer = _timer(self, self.on_form_slice)
        self._restyle()

    # ----- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = EndpointHeader()
        self.title, self.details = self.header.title, self.header.details
        self.method = QComboBox()
        self.method.addItems(METHODS)
        self.badge = QLabel("GET")
        self.badge.setObjectName("methodBadge")
        self.badge.hide()
        self.url = QLineEdit(placeholderText="https://…")
        self.url.setObjectName("requestUrl")
        self.url.setAccessibleName("Request URL")
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip("Check and send the request (Ctrl+Enter)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Cancel the request in flight (Esc)")
        self.cancel_button.setEnabled(False)

        self.fail_bar = MessageBar("error")
        self.fail_bar.setObjectName("validationBar")
        self.send_anyway_button = self.fail_bar.add_button(
            "Send anyway", self.on_send_anyway, "sendAnyway"
        )
        self.fix_button = self.fail_bar.add_button("Fix", self.on_fix_clicked, "fixButton")
        self.undo_bar = MessageBar("info")
        self.undo_bar.setObjectName("undoBar")
        self.undo_button = self.undo_bar.add_button("Undo", self.undo_reset, "undoButton")

        from explorer.ui.request.param_form import ParamForm

        self.param_form = ParamForm()
        self.body_holder = QWidget()
        self.body_layout = QVBoxLayout(self.body_holder)
        self.body_layout.setContentsMargins(8, 8, 8, 8)
        self.form_banner = QLabel("")
        self.form_banner.setProperty("note", "warning")
        self.form_banner.setWordWrap(True)
        self.form_banner.hide()
        self.raw = JsonEditor()
        self.raw_status = QLabel("")
        self.raw_status.setObjectName("rawStatus")
        self.raw_status.setWordWrap(True)
        raw_page = QWidget()
        raw_layout = QVBoxLayout(raw_page)
        raw_layout.setContentsMargins(0, 0, 0, 0)
        raw_layout.addWidget(self.raw, 1)
        raw_layout.addWidget(self.raw_status)
        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setObjectName("requestPreview")
        self.preview.setFont(monospace_font())
        self.preview.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.copy_curl_button = QPushButton("Copy as curl")
        self.copy_httpx_button = QPushButton("Copy as httpx")
        self.copy_menu_button = QPushButton("Copy as")
        self.copy_menu_button.setObjectName("copyAsMenuButton")
        self.copy_menu = QMenu(self.copy_menu_button)
        for code_target in TARGETS:
            action = self.copy_menu.addAction(code_target.label)
            action.setData(code_target.id)
            action.triggered.connect(
                lambda _=False, kind=code_target.id: self.copy_requested.emit(kind)
            )
        self.copy_menu_button.setMenu(self.copy_menu)
        for button in (self.copy_curl_button, self.copy_httpx_button, self.copy_menu_button):
            button.setToolTip(
                "Copies the request as code that runs as pasted; secrets are read from "
                "THUMBTACK_* environment variables"
            )
        preview_page = QWidget()
        preview_layout = QVBoxLayout(preview_page)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.preview, 1)
        copy_row = QHBoxLayout()
        copy_row.setContentsMargins(6, 2, 6, 6)
        masked_note = QLabel("Secrets are masked.")
        masked_note.setWordWrap(True)  # narrow, it wraps beside the buttons instead of pushing
        copy_row.addWidget(masked_note, 1)
        copy_row.addWidget(self.copy_curl_button)
        copy_row.addWidget(self.copy_httpx_button)
        copy_row.addWidget(self.copy_menu_button)
        preview_layout.addLayout(copy_row)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("requestTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(_scroll(self.param_form), "Parameters")
        self.tabs.addTab(_scroll(self.body_holder), "Body")
        self.tabs.addTab(raw_page, "Raw JSON")
        self.tabs.addTab(preview_page, "Preview")
        self.body_kinds = BodyKindPanel()
        self.body_kinds.setObjectName("bodyKinds")
        self.body_kinds.changed.connect(self.on_inputs_changed)
        self.body_kinds_page = _scroll(self.body_kinds)
        self.tabs.addTab(self.body_kinds_page, "Body kind")
        self.tabs.currentChanged.connect(lambda _index: self.show_problem_list())
        self.tab_list = TabListButton(self.tabs)  # narrow: every tab stays a click away
        self.reset_button = QToolButton()
        self.reset_button.setObjectName("resetButton")
        self.reset_button.setText("↺ Reset to example")
        self.reset_button.setToolTip(
            "Replace the inputs with the description's example (Ctrl+Z undoes it)"
        )
        self.problem_list = ProblemList()
        self.problem_count = QLabel("")
        self.problem_count.setObjectName("problemCount")
        self.problem_count.setWordWrap(True)
        # the request as it would be sent, judged against the description by the engine
        # that judges its response (on a worker; it never holds up typing or Send)
        self.contract_note = QLabel("")
        self.contract_note.setObjectName("requestContract")
        self.contract_note.setAccessibleName("Request against the description")
        self.contract_note.setTextFormat(Qt.TextFormat.PlainText)
        self.contract_note.setWordWrap(True)
        self.contract_note.hide()
        self.request_verdict: Any = None
        self._contract_runner = TaskRunner(self, latest_only=True, lane=Lane.CPU)

        line = QHBoxLayout()
        line.setSpacing(6)
        line.addWidget(self.method)
        line.addWidget(self.badge)
        line.addWidget(self.url, 1)
        line.addWidget(self.send_button)
        line.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        self.server_note = QLabel("")
        self.server_note.setObjectName("serverNote")
        self.server_note.setWordWrap(True)
        self.server_note.setProperty("role", "dim")
        self.server_note.hide()
        layout.addWidget(self.server_note)
        layout.addLayout(line)
        layout.addWidget(self.fail_bar)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem_list)
        self.below_problems = QVBoxLayout()  # bars other features put under the problems
        self.below_problems.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.below_problems)
        bottom = QHBoxLayout()
        bottom.addWidget(self.problem_count, 1)
        bottom.addWidget(self.reset_button)
        layout.addLayout(bottom)
        layout.addWidget(self.contract_note)

        self.send_button.clicked.connect(self.request_send)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.reset_button.clicked.connect(self.reset_to_example)
        self.param_form.changed.connect(self.on_inputs_changed)
        self.raw.textChanged.connect(self.on_raw_text_changed)
        self.problem_list.itemActivated.connect(self.on_problem_activated)
        self.problem_list.itemClicked.connect(self.on_problem_activated)
        self.copy_curl_button.clicked.connect(lambda: self.copy_requested.emit("curl"))
        self.copy_httpx_button.clicked.connect(lambda: self.copy_requested.emit("httpx"))
        self.undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self)
        self.undo_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_shortcut.setWhatsThis("Undo resetting the request form")
        self.undo_shortcut.activated.connect(self.undo_reset)
        self._show_mode()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        colors = current()
        self.setStyleSheet(panel_stylesheet(colors))
        self.raw.highlighter.set_dark(colors.dark)

    def _show_mode(self) -> None:
        has = self.endpoint is not None
        self.method.setVisible(not has)
        self.badge.setVisible(has)
        self.url.setReadOnly(has)
        self.reset_button.setEnabled(has)
        self.tabs.setTabEnabled(0, True)

    # ----- endpoints and inputs -----------------------------------------------------------
    def set_catalog_name(self, name: str) -> None:
        self.drafts.catalog_name = name

    def load_endpoint(
        self, endpoint: Endpoint, base_url: str, *, inputs: RequestInputs | None = None
    ) -> None:
        """Show ``endpoint`` with ``inputs`` (None: its draft, else its example)."""
        self.base_url = base_url
        if self.endpoint is not None and self.endpoint.key == endpoint.key:
            self.endpoint = endpoint
            self._show_server_note(endpoint)
            self.run_checks()
            return
        self.remember_draft()
        self.endpoint = endpoint
        self.header.show_endpoint(endpoint)
        self._show_server_note(endpoint)
        self.badge.setText(endpoint.method)
        self.badge.setProperty("badge", endpoint.method)
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self.method.setCurrentText(endpoint.method)
        self.fail_bar.hide()
        self.undo_bar.hide()
        self._undo_inputs = None
        self.param_form.load(endpoint)
        self._build_body_form(endpoint)
        self._example = example_inputs(endpoint)
        self.set_inputs(inputs or self.drafts.get(endpoint.key) or self._example)
        self._show_mode()
        takes_body = endpoint.body_schema is not None or endpoint.body_example is not None
        kinds = declared_kinds(endpoint.body_media_types) if endpoint.operation_id else ALL_KINDS
        self.body_kinds.set_kinds(kinds, media_types=endpoint.body_media_types)
        self.tab_list.set_tab_wanted(
            self.tabs.indexOf(self.body_kinds_page), any(k is not BodyKind.JSON for k in kinds)
        )
        self.tab_list.set_tab_wanted(1, takes_body)
        self.tab_list.set_tab_wanted(2, takes_body or bool(self.raw.toPlainText().strip()))
        if not self.tab_list.is_tab_wanted(self.tabs.currentIndex()):
            self.tabs.setCurrentIndex(0)
        if takes_body and not endpoint.parameters and self.tabs.currentIndex() == 0:
            self.tabs.setCurrentIndex(1)

    def _show_server_note(self, endpoint: Endpoint) -> None:
        """The authorize and token operations go to the authorization server, and the
        token request carries the client's own credentials: the form says so."""
        if endpoint.server != "auth":
            self.server_note.hide()
            return
        where = f" ({self.base_url})" if self.base_url else ""
        text = f"Sent to this environment's authorization server{where}, not the API."
        if endpoint.method == "POST":
            text += (
                " The selected profile's client authentication (client ID and secret) is "
                "added when it is sent; it is masked wherever it is shown."
            )
        self.server_note.setText(text)
        self.server_note.show()

    def _build_body_form(self, endpoint: Endpoint) -> None:
        old = self.body_editor
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is old and old is not None:
                old.hide()  # deleted on the next turn; taking a big form apart costs more
                old.deleteLater()
            elif widget is not None and widget is not self.form_banner:
                widget.setParent(None)
        self.body_layout.addWidget(self.form_banner)
        self.body_editor = None
        if endpoint.body_schema:
            self.body_editor = make_editor(endpoint.body_schema, endpoint.body_required, lazy=True)
            self.body_editor.setObjectName("bodyForm")
            expand_within(self.body_editor)  # a huge body keeps its deeper groups collapsed
            if isinstance(self.body_editor, ObjectEditor) and not self.body_editor.complete:
                self._form_timer.start(0)  # the rest of a long form, a slice per turn
            self.body_editor.changed.connect(self.on_body_form_changed)
            self.body_layout.addWidget(self.body_editor)
        else:
            note = QLabel(
                "This endpoint takes no request body."
                if endpoint.body_example is None
                else "The description gives no schema; edit the body as raw JSON."
            )
            note.setProperty("role", "dim")
            self.body_layout.addWidget(note)
        self.body_layout.addStretch(1)

    def current_inputs(self) -> RequestInputs:
        path, query, headers = self.param_form.parts()
        return RequestInputs(
            path_params=path, query_params=query, headers=headers, body_text=self.raw.toPlainText()
        )

    def set_inputs(self, inputs: RequestInputs) -> None:
        self.param_form.set_inputs(inputs)
        self._syncing = True
        try:
            self.raw.setPlainText(inputs.body_text)
        finally:
            self._syncing = False
        self.on_raw_settled()
        self.run_checks()

    def load_free(self, spec: RequestSpec) -> None:
        """Show a request of no endpoint in the description (a pasted curl command): its
        method, URL, headers and body, ready to edit and send."""
        self.remember_draft()
        self.endpoint = None
        self.header.show_endpoint(None)
        self.param_form.load(None)
        if self.body_editor is not None:
            self.body_editor.setParent(None)
            self.body_editor.deleteLater()
            self.body_editor = None
        if self.method.findText(spec.method) < 0:
            self.method.addItem(spec.method)
        self.method.setCurrentText(spec.method)
        self.fail_bar.hide()
        self.undo_bar.hide()
        self._show_mode()
        self.url.setText(spec.url)
        self.url.setCursorPosition(0)
        self.param_form.set_inputs(RequestInputs(headers=spec.headers))
        body = spec.body.decode("utf-8", errors="replace") if spec.body is not None else ""
        self._syncing = True
        try:
            self.raw.setPlainText(body)
        finally:
            self._syncing = False
        self.tab_list.set_tab_wanted(2, True)
        self.run_checks()

    def load_spec(self, spec: RequestSpec) -> bool:
        """Show a stored request to edit and send again: read back into the form when it
        is of the endpoint shown, else as a free URL with its headers and body. False when
        the panel shows another endpoint (its URL is then not free to change)."""
        self.undo_bar.hide()  # "Reset … Undo" was about the inputs this replaces
        self._undo_inputs = None
        if self.endpoint is not None and spec.operation_id == self.endpoint.operation_id:
            self.set_inputs(inputs_for(self.endpoint, spec))
            return True
        if self.url.isReadOnly():
            return False
        self.method.setCurrentText(spec.method.upper())
        self.url.setText(spec.url)
        headers = self.param_form.extra_headers
        if not headers.isReadOnly():
            shown = [f"{k}: {v}" for k, v in inputs_for(FREE, spec).headers]
            headers.setPlainText("\n".join(shown))
        if not self.raw.isReadOnly():
            self.raw.setPlainText(spec.body.decode("utf-8", errors="replace") if spec.body else "")
        return True

    def remember_draft(self) -> None:
        if self.endpoint is not None:
            self.drafts.remember(self.endpoint.key, self.current_inputs(), self._example)

    @Slot()
    def on_form_slice(self) -> None:
        """Add the next rows of a long body form (it is shown and usable meanwhile)."""
        editor = self.body_editor
        if not isinstance(editor, ObjectEditor) or editor.complete:
            return
        self._syncing = True
        try:
            editor.build_some(ROWS_PER_SLICE)
        finally:
            self._syncing = False
        if editor.complete:
            self._show_problems(dict(self.variables()))
        else:
            self._form_timer.start(0)

    # ----- sync between the form and the raw JSON -----------------------------------------
    @Slot()
    def on_inputs_changed(self) -> None:
        self.remember_draft()
        self._check_timer.start(CHECK_DELAY_MS)

    @Slot()
    def on_body_form_changed(self) -> None:
        if self._syncing or self.body_editor is None:
            return
        value = self.body_editor.value()
        text = "" if value is MISSING else json.dumps(value, indent=2, ensure_ascii=False)
        self._syncing = True
        try:
            cursor = self.raw.textCursor()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(text)  # keeps the raw editor's own undo history
        finally:
            self._syncing = False
        self.form_banner.hide()
        self.on_inputs_changed()

    @Slot()
    def on_raw_text_changed(self) -> None:
        if self._syncing:
            return
        self._raw_timer.start(CHECK_DELAY_MS)
        self.on_inputs_changed()

    @Slot()
    def on_raw_settled(self) -> None:
        """Bring the form up to date with the raw JSON when it is valid."""
        self._raw_timer.stop()
        if self.body_editor is None:
            return
        text = self.raw.toPlainText()
        if len(text) > LIVE_CHECK_LIMIT:
            self._form_note("The body is too large for the form; edit it as raw JSON.")
            return
        try:
            document = json.loads(text) if text.strip() else MISSING
        except ValueError as exc:
            line = getattr(exc, "lineno", None)
            self._form_note(
                f"The raw JSON is not valid (line {line}); the form shows the last "
                "valid body. Fix it in Raw JSON to update the form."
            )
            return
        self._syncing = True
        try:
            fits = self.body_editor.set_value(document)
        finally:
            self._syncing = False
        if fits:
            self.form_banner.hide()
            self.body_editor.setEnabled(True)
        else:
            self._form_note(
                "The raw JSON has a shape the form cannot show (for example a "
                "list where an object is expected); edit it in Raw JSON."
            )

    def _form_note(self, text: str) -> None:
        self.form_banner.setText(text)
        self.form_banner.show()
        if self.body_editor is not None:
            self.body_editor.setEnabled(False)

    # ----- checks, notes and preview ------------------------------------------------------
    @Slot()
    def run_checks(self) -> list[InputProblem]:
        self._check_timer.stop()
        if self.endpoint is None:
            self.problems = []
            self._show_problems()
            return self.problems
        inputs = self.current_inputs()
        values = dict(self.variables())
        big = len(inputs.body_text) > LIVE_CHECK_LIMIT
        checked = RequestInputs(
            path_params=inputs.path_params,
            query_params=inputs.query_params,
            headers=inputs.headers,
            body_text="" if big else inputs.body_text,
        )
        problems = validate_inputs(self.endpoint, checked, variables=values)
        other_body = self.body_kinds.body_input()
        if other_body is not None:  # the Body tab's JSON is not what is sent
            problems = [p for p in problems if p.location is not ProblemLocation.BODY]
            try:
                encode(other_body)
            except BodyError as exc:
                problems.insert(
                    0, InputProblem(location=ProblemLocation.BODY, field="", message=str(exc))
                )
        if big:
            problems = [p for p in problems if p.location is not ProblemLocation.BODY]
        unique = {
            (p.location, p.field, p.message): p for p in problems if p.severity is not Severity.INFO
        }
        self.problems = list(unique.values())
        if not self.problems:
            self.fail_bar.hide()  # the bar goes with its cause
        self._show_problems(values)
        self._update_preview(values)
        self._judge_request(big)
        self.problems_changed.emit(self.problems)
        return self.problems

    def _judge_request(self, big: bool) -> None:
        """Judge the request as it would be sent against the operation's parameters and
        body (openapi-core, the engine of the response verdict), on a worker."""
        endpoint = self.endpoint
        catalog = None
        if endpoint is not None and not big:
            from explorer.core.catalog import catalog_of

            catalog = catalog_of(endpoint)
        spec = None
        if catalog is not None:
            try:
                spec = self.build_spec()
            except Exception:  # inputs that cannot make a request: the problems say why
                spec = None
        if endpoint is None or catalog is None or spec is None:
            self._contract_runner.cancel()
            self._show_request_verdict(None)
            return

        def judge(_cancel: object) -> Any:
            from explorer.core.contract import check_request

            return check_request(catalog, endpoint, spec)

        self._contract_runner.run(judge, self._show_request_verdict, lambda _e: None)

    def _show_request_verdict(self, verdict: Any) -> None:
        from explorer.core.contract import Verdict

        self.request_verdict = verdict
        if verdict is None or (verdict.verdict is Verdict.NO_SCHEMA and not verdict.note):
            self.contract_note.hide()
            self.contract_note.setText("")
            self.request_judged.emit(verdict)
            return
        redact = self.redactor().redact_text
        broken = verdict.verdict is Verdict.VIOLATES
        text = f"{'✖' if broken else '✔'} Request vs. description: {verdict.label}"
        if verdict.verdict is Verdict.NO_SCHEMA:
            text = f"ℹ Request vs. description: {verdict.note}"
        if broken and verdict.problems:
            first = verdict.problems[0]
            text += f" — {first.path}: {first.message}"
        self.contract_note.setText(redact(text))
        lines = [verdict.summary, *(f"• {p.path}: {p.message}" for p in verdict.problems[:20])]
        self.contract_note.setToolTip(redact("\n".join(lines)))
        kept = verdict.verdict is Verdict.CONFORMS
        self.contract_note.setProperty("note", "warning" if broken else "ok" if kept else "")
        self.contract_note.style().polish(self.contract_note)
        self.contract_note.show()
        self.request_judged.emit(verdict)

    def _update_preview(self, values: Mapping[str, str]) -> None:
        spec = self.preview_spec(values)
        if spec is None:
            return
        self.url.setText(spec.url)
        self.url.setCursorPosition(0)
        self._show_preview(spec)

    def _show_preview(self, spec: RequestSpec) -> None:
        redactor = self.redactor()
        self.url.setToolTip(redactor.redact_url(spec.url))
        self.preview.setPlainText(preview_text(spec, redactor))

    def preview_spec(self, values: Mapping[str, str] | None = None) -> RequestSpec | None:
        """The request as Send would put it on the wire: the profile's Authorization as a
        placeholder, and what the window adds when sending (the Sandbox fault)."""
        if self.endpoint is None:
            built = self.build_spec()
            return None if built is None else self._prepare(built)
        secured = bool(self.endpoint.scopes or self.endpoint.flows)
        spec = build_request(
            self.endpoint,
            self.current_inputs(),
            base_url=self.base_url,
            variables=dict(self.variables()) if values is None else values,
            auth_header=AUTH_PLACEHOLDER if secured else None,
        )
        return self._prepare(self._with_body_kind(spec))

    def set_send_preparation(self, prepare: Callable[[RequestSpec], RequestSpec]) -> None:
        """What the window adds to a request when sending it, shown in the preview too."""
        self._prepare = prepare
        self.refresh_preview()

    def set_redactor(
        self, redactor: Callable[[], Redactor], changed: SignalInstance | None = None
    ) -> None:
        """Use the window's redactor (read at each use) for the preview, the URL tooltip
        and the copies; ``changed`` (e.g. presentation mode toggled) re-renders them."""
        self._redactor = redactor
        if changed is not None:
            changed.connect(self.refresh_preview)
        self.refresh_preview()

    def redactor(self) -> Redactor:
        """What the preview and copies are masked with now."""
        return self._redactor()

    @Slot()
    def refresh_preview(self) -> None:
        """Re-render the preview and URL tooltip (the redaction changed)."""
        spec = self.preview_spec()
        if spec is not None:
            self._show_preview(spec)

    # ----- sending ------------------------------------------------------------------------
    def build_spec(self) -> RequestSpec | None:
        if self.endpoint is not None:
            return self._with_body_kind(
                build_request(
                    self.endpoint,
                    self.current_inputs(),
                    base_url=self.base_url,
                    variables=dict(self.variables()),
                )
            )
        url = self.url.text().strip()
        if not url:
            return None
        _, _, headers = self.param_form.parts()
        body_text = self.raw.toPlainText()
        body = body_text.encode("utf-8") if body_text.strip() else None
        header_list = list(headers)
        if body is not None and not any(k.lower() == "content-type" for k, _ in header_list):
            header_list.append(("Content-Type", "application/json"))
        return self._with_body_kind(
            RequestSpec(
                method=self.method.currentText(), url=url, headers=tuple(header_list), body=body
            )
        )

    def _with_body_kind(self, spec: RequestSpec) -> RequestSpec:
        """``spec`` with the Body kind tab's body (form, multipart, raw text or a file) and
        its Content-Type, when one is chosen; a body that cannot be read is left out (the
        checks said why before sending)."""
        chosen = self.body_kinds.body_input()
        if chosen is None:
            return spec
        headers = tuple((k, v) for k, v in spec.headers if k.lower() != "content-type")
        try:
            encoded = encode(chosen)
        except BodyError:
            return replace(spec, headers=headers, body=None)
        if encoded is None:
            return replace(spec, headers=headers, body=None)
        return replace(
            spec,
            headers=(*headers, ("Content-Type", encoded.content_type)),
            body=encoded.content,
        )

    @Slot()
    def request_send(self) -> None:
        """Send, unless the inputs have problems: then say why and offer "Send anyway"."""
        problems = self.run_checks()
        if not problems:
            self.fail_bar.hide()
            self.send_requested.emit()
            return
        from explorer.ui.announce import announce

        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        message = f"This request would fail validation: {problems[0].message}{more}"
        self.fail_bar.show_message(message)
        self.send_anyway_button.setFocus()
        announce(self.send_anyway_button, message, urgent=True)

    @Slot()
    def on_send_anyway(self) -> None:
        self.fail_bar.hide()
        self.send_requested.emit()

    @Slot()
    def on_fix_clicked(self) -> None:
        self.fail_bar.hide()
        if self.problems:
            self.focus_problem(self.problems[0])

    @Slot(bool)
    def set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    # ----- reset and undo -----------------------------------------------------------------
    @Slot()
    def reset_to_example(self) -> None:
        if self.endpoint is None:
            return
        self._undo_inputs = self.current_inputs()
        self.set_inputs(self._example)
        self.remember_draft()
        self.undo_bar.show_message(
            "Reset to the description's example.  Ctrl+Z or Undo brings your inputs back."
        )
        self.reset_button.setFocus()

    @Slot()
    def undo_reset(self) -> None:
        if self._undo_inputs is None:
            return
        inputs, self._undo_inputs = self._undo_inputs, None
        self.set_inputs(inputs)
        self.remember_draft()
        self.undo_bar.hide()
        self.message.emit("Your inputs are back.")


def _timer(parent: QWidget, slot: Callable[[], object]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(CHECK_DELAY_MS)
    timer.timeout.connect(slot)
    return timer


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    # The forms shrink to their labels' width (labels go above the editors); past that
    # they scroll sideways rather than being cut.
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area
