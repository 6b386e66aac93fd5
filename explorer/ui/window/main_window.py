"""The main window: toolbar, endpoint tree, request builder, response and explanation.

The window composes panels and wires their signals; it does no networking and reads no
secrets itself. Everything it needs comes in through :class:`WindowServices`, built by
the composition root (:mod:`explorer.ui.app.application`), so tests build the same window
with their own services.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# Only what the frame needs is imported here: importing a Qt class builds its enums, and
# the panels' classes are imported by complete(), after the frame has painted.
from PySide6.QtCore import QByteArray, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from explorer import __version__
from explorer.core.settings import Settings, SettingsStore, ThemeChoice

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from explorer.core.models import Endpoint, Explanation, FixAction, RequestSpec, ResponseRecord
    from explorer.core.status import StatusInfo
    from explorer.ui.dialogs import Ask
    from explorer.ui.endpoints.quick_open import QuickOpenDialog
    from explorer.ui.endpoints.tree import EndpointTree
    from explorer.ui.request.drafts import DraftKeeper
    from explorer.ui.request.panel import RequestPanel
    from explorer.ui.response.explanation import ExplanationPanel
    from explorer.ui.response.pane import ResponsePane
    from explorer.ui.sharing.presentation import RedactionContext
    from explorer.ui.window.dock_area import DockArea
    from explorer.ui.workers import TaskRunner

log = logging.getLogger(__name__)

ENDPOINT_TREE_MIN_WIDTH = 200  # the tree stays readable however narrow the window
#: The request builder's least width: an 800 px window still shows its form side by side
#: (with less room, from a larger font or longer labels, each label goes above its editor).
REQUEST_PANEL_MIN_WIDTH = 340
HELP_URL = "https://developers.thumbtack.com/docs/getting-started/troubleshooting"


@dataclass(frozen=True)
class ShownResponse:
    """A record with its classification and explanation, both computed on the worker."""

    record: ResponseRecord
    status: StatusInfo
    explanation: Explanation | None


@dataclass
class WindowServices:
    """What the window needs from the core, injected by the composition root."""

    settings_store: SettingsStore
    settings: Settings
    endpoints: list[Endpoint] = field(default_factory=list)
    catalog: Any = None  # explorer.core.catalog.Catalog, when one is loaded
    drafts: Any = None  # explorer.core.drafts.DraftStore; None keeps drafts in memory only
    #: The environment's ``{{name}}`` variables, read whenever a request is previewed or sent.
    variables: Callable[[], Mapping[str, str]] = lambda: {}
    #: (spec, cancel event) -> record. Adds authentication, sends, retries. Runs on a worker.
    perform: Callable[[RequestSpec, threading.Event], ResponseRecord] | None = None
    #: record -> explanation; called on the worker thread. None: no explanations.
    explain: Callable[[ResponseRecord], Explanation | None] = lambda _record: None
    #: record -> badge; None uses the core's one classification.
    classify: Callable[[ResponseRecord], StatusInfo] | None = None
    #: Starts the environment's servers if needed (the Sandbox); returns the API base URL.
    start_environment: Callable[[str], str] | None = None
    #: Whether Thumbtack's documented meanings apply to an environment's answers (by id).
    speaks_thumbtack: Callable[[str], bool] = lambda env_id: (
        env_id
        in (
            "sandbox",
            "production",
            "staging",
        )
    )
    environments: list[tuple[str, str]] = field(default_factory=lambda: [("sandbox", "Sandbox")])
    #: explorer.ui.session.controller.SessionController: profiles, tokens, pre-flight checks.
    session: Any = None
    shutdown: Callable[[], None] = lambda: None


def default_classify(record: ResponseRecord) -> StatusInfo:
    from explorer.core.status import classify

    return classify(record)


class MainWindow(QMainWindow):
    """One window for the whole program."""

    response_shown = Signal(object)  # ResponseRecord, after it is on screen
    environment_ready = Signal(str)  # API base URL
    environment_failed = Signal(str)  # what went wrong
    catalog_ready = Signal()  # the endpoint tree shows a description
    ready = Signal()  # the panels are built (see complete())

    def __init__(
        self, services: WindowServices | None = None, *, settings: Settings | None = None
    ) -> None:
        """``MainWindow(services)`` builds the whole window. ``MainWindow(settings=...)``
        builds only its frame (title, size, an "Opening…" placeholder), which paints at
        once; :meth:`complete` then builds the panels. The program starts that way so the
        window appears before the panels' modules are even imported."""
        super().__init__()
        chosen = services.settings if services is not None else settings
        if chosen is None:
            raise TypeError("MainWindow needs its services, or settings to open its frame")
        self.settings = chosen
        self.completed = False
        self.setWindowTitle(f"Thumbtack API Explorer {__version__}")
        self._restore_geometry()
        if services is None:
            opening = self._central_note("openingPlaceholder", "Opening Thumbtack API Explorer…")
            opening.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # dim
        else:
            self.complete(services)

    def show_opening_failed(self, reason: str) -> None:
        """In place of the frame's "Opening…" line: the window could not be built."""
        self._central_note(
            "openingFailed",
            f"Thumbtack API Explorer could not finish opening: {reason}\n\n"
            "Close it and start it again. If this happens again, copy the report from the "
            '"Something went wrong" dialog into a bug report. Your settings, saved '
            "requests and history are untouched.",
        )

    def _central_note(self, name: str, text: str) -> QLabel:
        """A centred line of text as the whole window, while it has no panels."""
        note = QLabel(text)
        note.setObjectName(name)
        note.setWordWrap(True)
        note.setMargin(24)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(note)
        return note

    def complete(self, services: WindowServices) -> None:
        """Build the panels, menus and toolbar and wire them; emits :attr:`ready`."""
        if self.completed:
            raise RuntimeError("the window is already complete")
        from explorer.ui.dialogs import Ask
        from explorer.ui.endpoints.description_loader import DescriptionLoader
        from explorer.ui.endpoints.tree import EndpointTree
        from explorer.ui.request.drafts import DraftKeeper
        from explorer.ui.request.panel import RequestPanel
        from explorer.ui.response.explanation import ExplanationPanel
        from explorer.ui.response.pane import ResponsePane
        from explorer.ui.sharing.presentation import RedactionContext
        from explorer.ui.window import safe_features
        from explorer.ui.window.dock_area import DockArea
        from explorer.ui.workers import TaskRunner

        self.services = services
        self.settings = services.settings
        self.base_url = ""
        self.last_record: ResponseRecord | None = None
        self.last_shown: ShownResponse | None = None
        self.last_asked: tuple[RequestSpec, str] | None = None  # (request, base URL) sent last
        self.runner: TaskRunner = TaskRunner(self, latest_only=True)
        self.background: TaskRunner = TaskRunner(self, latest_only=False, max_workers=2)
        self._request_id: int | None = None
        self._client: Any = None
        self.ask: Ask = Ask(self)
        self.redaction: RedactionContext = RedactionContext(
            self, presentation=self.settings.presentation_mode
        )
        self.redaction.changed.connect(self.on_redaction_changed)

        self.endpoint_tree: EndpointTree = EndpointTree()
        self.drafts: DraftKeeper = DraftKeeper(services.drafts, self)
        self.request_panel: RequestPanel = RequestPanel(
            drafts=self.drafts, variables=services.variables
        )
        self.request_panel.set_redactor(lambda: self.redaction.redactor, self.redaction.changed)
        self.response_pane: ResponsePane = ResponsePane()
        self.explanation_panel: ExplanationPanel = ExplanationPanel()
        self._build_layout()
        self.docks: DockArea = DockArea(self)
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()

        self.endpoint_tree.endpoint_selected.connect(self.on_endpoint_tree_selected)
        self.request_panel.send_requested.connect(self.send_current)
        self.request_panel.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.drafts.problem.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.descriptions = DescriptionLoader(self, self.background)
        self.descriptions.install(self.file_menu)
        self.descriptions.loaded.connect(self.set_catalog)
        self.quick_open_dialog: QuickOpenDialog | None = None
        self.request_panel.cancel_requested.connect(self.cancel_current)
        self.explanation_panel.action_requested.connect(self.on_explanation_action)
        self.response_pane.badge.countdown_tick.connect(self.explanation_panel.set_retry_wait)
        self.runner.finished.connect(self.on_runner_finished)
        self.runner.failed.connect(self.on_runner_failed)
        self.runner.cancelled.connect(self.on_runner_cancelled)
        self.background.finished.connect(self.on_background_finished)
        self.background.failed.connect(self.on_background_failed)

        self.catalog = services.catalog
        self.request_panel.set_catalog_name(getattr(self.catalog, "title", ""))
        self.endpoint_tree.load(services.endpoints)
        self._restore_splitters()
        self.session_ui: Any = None
        if services.session is not None:
            from explorer.ui.session.bar import SessionUi

            self.session_ui = SessionUi(self, services.session)
        self.safe = safe_features.install(self)
        if self.settings.last_endpoint:
            self.endpoint_tree.select(self.settings.last_endpoint)
        if self.drafts.load_problem:
            self.statusBar().showMessage(self.drafts.load_problem, 15000)
        self.completed = True
        self.ready.emit()

    # ----- layout -------------------------------------------------------------------------
    def _build_layout(self) -> None:
        from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("responseSplitter")
        right.addWidget(self.response_pane)
        right.addWidget(self.explanation_panel)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([460, 300])
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.endpoint_tree)
        self.main_splitter.addWidget(self.request_panel)
        self.main_splitter.addWidget(right)
        self.endpoint_tree.setMinimumWidth(ENDPOINT_TREE_MIN_WIDTH)
        self.request_panel.setMinimumWidth(REQUEST_PANEL_MIN_WIDTH)
        self.main_splitter.setCollapsible(0, False)
        self.main_splitter.setStretchFactor(0, 2)
        self.main_splitter.setStretchFactor(1, 3)
        self.main_splitter.setStretchFactor(2, 4)
        self.main_splitter.setSizes([300, 420, 560])
        self.response_splitter = right
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(4, 0, 4, 4)
        self.banner = QLabel("")
        self.banner.setProperty("role", "banner")
        self.banner.hide()
        layout.addWidget(self.banner)
        layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(container)

    def _build_toolbar(self) -> None:
        from PySide6.QtWidgets import QComboBox, QToolBar

        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        toolbar.addWidget(QLabel(" Environment "))
        self.environment_combo = QComboBox()
        self.environment_combo.setObjectName("environmentCombo")
        for env_id, name in self.services.environments:
            self.environment_combo.addItem(name, env_id)
        toolbar.addWidget(self.environment_combo)
        toolbar.addWidget(QLabel("  Profile "))
        self.profile_combo = QComboBox()
        self.profile_combo.setObjectName("profileCombo")
        self.profile_combo.addItem("Sandbox demo (demand)", "sandbox-demand")
        toolbar.addWidget(self.profile_combo)
        self.toolbar = toolbar

    def _build_menus(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QKeySequence

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu

        request_menu = bar.addMenu("&Request")
        self.send_action = QAction("&Send", self)
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.send_action.triggered.connect(self.request_panel.request_send)
        self.cancel_action = QAction("&Cancel", self)
        self.cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_action.triggered.connect(self.cancel_current)
        self.quick_open_action = QAction("&Quick open endpoint…", self)
        self.quick_open_action.setShortcut(QKeySequence("Ctrl+K"))
        self.quick_open_action.triggered.connect(self.on_quick_open)
        for action in (self.send_action, self.cancel_action, self.quick_open_action):
            request_menu.addAction(action)
            self.addAction(action)

        view_menu = bar.addMenu("&View")
        theme_menu = view_menu.addMenu("&Theme")
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[ThemeChoice, QAction] = {}
        for choice, label in (
            (ThemeChoice.SYSTEM, "Follow the system"),
            (ThemeChoice.DARK, "Dark"),
            (ThemeChoice.LIGHT, "Light"),
        ):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.settings.theme is choice)
            action.triggered.connect(lambda _=False, c=choice: self.set_theme(c))
            self.theme_group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[choice] = action
        self.view_menu = view_menu

        from explorer.ui.window.sandbox_menu import build_sandbox_menu

        self.sandbox_menu = build_sandbox_menu(self)
        self.sandbox_menu.fault_changed.connect(self.on_sandbox_fault_changed)
        bar.addMenu(self.sandbox_menu)
        self.request_panel.set_send_preparation(self._with_sandbox_fault)

        help_menu = bar.addMenu("&Help")
        self.help_action = QAction("&Troubleshooting guide", self)
        self.help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.help_action.triggered.connect(lambda: QDesktopServices.openUrl(QUrl(HELP_URL)))
        about = QAction("&About", self)
        about.triggered.connect(self.on_about)
        help_menu.addAction(self.help_action)
        help_menu.addAction(about)
        self.addAction(self.help_action)
        self.help_menu = help_menu

    def _build_status_bar(self) -> None:
        self.environment_label = QLabel("Sandbox: starting…")
        self.environment_label.setObjectName("environmentStatus")
        self.fault_label = QLabel("")
        self.fault_label.setObjectName("faultStatus")
        self.fault_label.setStyleSheet("color: #d48a00; font-weight: 600;")
        self.fault_label.setToolTip("Requests to the Sandbox carry this fault (Sandbox menu).")
        self.fault_label.hide()
        self.statusBar().addPermanentWidget(self.fault_label)
        self.token_label = QLabel("Token: none yet")
        self.token_label.setObjectName("tokenStatus")
        self.statusBar().addPermanentWidget(self.environment_label)
        self.statusBar().addPermanentWidget(self.token_label)

    # ----- state --------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray(base64.b64decode(self.settings.window_geometry)))
        else:
            self.resize(1280, 800)

    def _restore_splitters(self) -> None:
        for name, splitter in (("main", self.main_splitter), ("response", self.response_splitter)):
            state = self.settings.splitters.get(name)
            if state:
                splitter.restoreState(QByteArray(base64.b64decode(state)))

    def save_state(self) -> None:
        def b64(data: QByteArray) -> str:
            return base64.b64encode(bytes(data.data())).decode("ascii")

        self.settings = self.settings.with_changes(
            window_geometry=b64(self.saveGeometry()),
            splitters={
                "main": b64(self.main_splitter.saveState()),
                "response": b64(self.response_splitter.saveState()),
            },
        )
        try:
            self.services.settings_store.save(self.settings)
        except OSError as exc:
            log.warning("could not save settings: %s", exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.completed:  # closed while opening: nothing was changed, nothing to save
            super().closeEvent(event)
            return
        self.save_state()
        self.request_panel.remember_draft()
        self.drafts.flush()
        self.runner.shutdown()
        self.background.shutdown()
        self.safe.shutdown()
        self.response_pane.shutdown()
        self.services.shutdown()
        if self._client is not None:
            self._client.close()
            self._client = None
        super().closeEvent(event)

    @Slot(object)
    def set_theme(self, choice: ThemeChoice) -> None:
        from explorer.ui.style.theme import apply_theme, resolve_dark

        self.settings = self.settings.with_changes(theme=choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, dark=resolve_dark(choice), font_scale=self.settings.font_scale)
        self.theme_actions[choice].setChecked(True)
        self.response_pane.refresh_theme()

    @Slot(object)
    def on_system_color_scheme_changed(self, _scheme: object = None) -> None:
        """The OS switched between dark and light: follow it unless the user chose a theme."""
        if self.completed and self.settings.theme is ThemeChoice.SYSTEM:
            self.set_theme(ThemeChoice.SYSTEM)

    # ----- environment --------------------------------------------------------------------
    def start_environment(self) -> None:
        """Start the selected environment (the Sandbox starts a local server) off the GUI thread."""
        env_id = self.environment_combo.currentData() or "sandbox"
        starter = self.services.start_environment
        if starter is None:
            return
        self.environment_label.setText(f"{self.environment_combo.currentText()}: starting…")
        self._env_task = self.background.submit(lambda _cancel: ("environment", starter(env_id)))

    @Slot(int, object)
    def on_background_finished(self, _task_id: int, result: object) -> None:
        if isinstance(result, tuple) and result and result[0] == "environment":
            self.base_url = str(result[1])
            self.environment_label.setText(
                f"{self.environment_combo.currentText()}: {self.base_url}"
            )
            endpoint = self.endpoint_tree.current_endpoint()
            if endpoint is not None:
                self.request_panel.load_endpoint(endpoint, self._base_for(endpoint))
            self.environment_ready.emit(self.base_url)

    @Slot(int, object)
    def on_background_failed(self, _task_id: int, exc: object) -> None:
        self.environment_label.setText(f"{self.environment_combo.currentText()}: not available")
        self.statusBar().showMessage(f"Could not start the environment: {exc}", 10000)
        self.environment_failed.emit(str(exc))

    def _base_for(self, _endpoint: Endpoint) -> str:
        return self.base_url

    # ----- requests -----------------------------------------------------------------------
    @Slot(object)
    def on_endpoint_tree_selected(self, endpoint: Endpoint) -> None:
        self.request_panel.load_endpoint(endpoint, self._base_for(endpoint))
        self.settings = self.settings.with_changes(last_endpoint=endpoint.key)

    @Slot()
    def send_current(self) -> None:
        spec = self.request_panel.build_spec()
        if spec is None:
            self.statusBar().showMessage("Enter a URL or pick an endpoint first.", 5000)
            return
        if self.session_ui is not None and not self.session_ui.approve_send(spec):
            return  # held back by the pre-flight bar, or waiting for the secret store
        self.send_spec(spec)

    def send_spec(self, spec: RequestSpec) -> int:
        perform = self.services.perform or self._plain_perform
        self.last_asked = (spec, self.base_url)  # what a retry rebuilds from
        spec = self._with_sandbox_fault(spec)
        from explorer.core.status import with_meanings

        spec = with_meanings(
            spec,
            base_url=self.base_url,
            thumbtack=self.services.speaks_thumbtack(
                self.environment_combo.currentData() or "sandbox"
            ),
        )

        self.response_pane.show_pending(self.redaction.redactor.redact_spec(spec))
        self.explanation_panel.show_explanation(None)
        self.request_panel.set_busy(True)
        classify = self.services.classify or default_classify
        explain = self.services.explain

        def run(cancel: threading.Event) -> ShownResponse:
            # Classifying and explaining parse the body: done here, off the GUI thread.
            record = perform(spec, cancel)
            status, explanation = classify(record), explain(record)
            return ShownResponse(record=record, status=status, explanation=explanation)

        self._request_id = self.runner.submit(run)
        return self._request_id

    def _with_sandbox_fault(self, spec: RequestSpec) -> RequestSpec:
        """Adds the Sandbox menu's fault header to requests bound for the Sandbox only."""
        from explorer.core.resend import with_sandbox_fault

        on_sandbox = self.environment_combo.currentData() in (None, "sandbox")
        base = self.base_url if on_sandbox else ""
        return with_sandbox_fault(spec, self.sandbox_menu.selected_fault(), sandbox_base=base)

    def retry_spec(self) -> RequestSpec | None:
        """The last request rebuilt from the current state: the user's request (never the
        headers of the answer that failed), on the current base URL; the current token and
        Sandbox fault are added when it is sent."""
        from explorer.core.resend import rebuild_for_retry

        if self.last_asked is None:
            return None
        asked, asked_base = self.last_asked
        return rebuild_for_retry(asked, asked_base=asked_base, current_base=self.base_url)

    @Slot(object)
    def on_sandbox_fault_changed(self, fault: str | None) -> None:
        self.request_panel.refresh_preview()  # the preview shows the fault it will send
        self.fault_label.setText(f"⚠ Sandbox fault: {fault}" if fault else "")
        self.fault_label.setVisible(bool(fault))
        if fault:
            self.statusBar().showMessage(f"Fault on: {fault} (Sandbox > No fault stops it)", 8000)
        else:
            self.statusBar().showMessage("Sandbox: no fault injected.", 4000)

    def _plain_perform(self, spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        """Sends without authentication, for windows built without a ``perform`` service."""
        from explorer.core.http import make_client, send

        if self._client is None:
            self._client = make_client()
        return send(spec, client=self._client, cancel=cancel)

    @Slot()
    def cancel_current(self) -> None:
        if self.runner.busy:
            self.runner.cancel()

    @Slot(int, object)
    def on_runner_finished(self, _task_id: int, result: object) -> None:
        self.request_panel.set_busy(False)
        if isinstance(result, ShownResponse):
            self._show_record(result)

    def _show_record(self, shown: ShownResponse, *, rerender: bool = False) -> None:
        """Show a response; ``rerender`` repaints the same one (theme or redaction changed)
        without announcing a new response."""
        from explorer.core.sandbox_note import sandbox_fault_note

        self.last_record = shown.record
        self.last_shown = shown
        explanation = self.redaction.redact_explanation(shown.explanation)
        self.explanation_panel.show_explanation(
            explanation, sandbox_note=sandbox_fault_note(shown.record)
        )
        self.response_pane.show_record(
            self.redaction.redactor.redact_record(shown.record),
            status=shown.status,
            explanation=explanation,
        )
        if not rerender:
            self.response_shown.emit(shown.record)

    @Slot()
    def on_redaction_changed(self) -> None:
        if self.last_shown is not None:
            self._show_record(self.last_shown, rerender=True)

    @Slot(int, object)
    def on_runner_failed(self, _task_id: int, exc: object) -> None:
        self.request_panel.set_busy(False)
        self.response_pane.clear()
        self.statusBar().showMessage(f"The request could not be made: {exc}", 10000)
        raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))

    @Slot(int)
    def on_runner_cancelled(self, _task_id: int) -> None:
        self.request_panel.set_busy(False)
        self.response_pane.show_cancelled()

    @Slot(object)
    def on_explanation_action(self, action: FixAction) -> None:
        """Do a one-click fix. Fixes that need credentials go to :meth:`on_credential_fix`."""
        from explorer.core.models import FixAction

        if self.session_ui is not None and self.session_ui.handle_fix(action):
            return
        if action in (FixAction.RETRY, FixAction.RETRY_AFTER):
            spec = self.retry_spec()
            if spec is not None:
                self.send_spec(spec)
        elif action is FixAction.COPY_TRACE_ID:
            explanation = self.explanation_panel.explanation
            if explanation is not None and explanation.trace_id:
                self.redaction.copy_text(explanation.trace_id)
                self.statusBar().showMessage(f"Copied traceID {explanation.trace_id}", 5000)
        else:
            self.on_credential_fix(action)

    def on_credential_fix(self, action: FixAction) -> None:
        """Hook for fixes that change the profile or token (refresh, audience, token
        server, scopes, profile). Until profiles are wired in, it says what would happen."""
        from explorer.core.models import FixAction

        what = {
            FixAction.REFRESH_TOKEN_AND_RETRY: "Refreshing the token",
            FixAction.SET_AUDIENCE_AND_RETRY: "Setting the audience to urn:partner-api",
            FixAction.USE_ENVIRONMENT_TOKEN_SERVER: "Switching to this environment's token server",
            FixAction.OPEN_SCOPE_EDITOR: "The scope editor",
            FixAction.OPEN_PROFILE_EDITOR: "The profile editor",
        }.get(action, str(action))
        self.statusBar().showMessage(
            f"{what} needs a credential profile; profiles are not set up in this window yet.",
            8000,
        )

    @Slot()
    def on_quick_open(self) -> None:
        from explorer.ui.endpoints.quick_open import QuickOpenDialog

        endpoints = list(getattr(self.catalog, "endpoints", None) or self.services.endpoints)
        dialog = QuickOpenDialog(endpoints, self.catalog, self)
        dialog.endpoint_chosen.connect(lambda endpoint: self.endpoint_tree.select(endpoint.key))
        self.quick_open_dialog = dialog
        dialog.open()
        dialog.search.setFocus()

    @Slot(object)
    def set_catalog(self, catalog: Any) -> None:
        """Show another API description's endpoints; drafts are kept per description."""
        self.request_panel.remember_draft()
        self.catalog = catalog
        self.services.endpoints = list(catalog.endpoints)
        self.request_panel.set_catalog_name(catalog.title)
        self.endpoint_tree.load(catalog.endpoints)
        if self.endpoint_tree.current_endpoint() is None and self.settings.last_endpoint:
            self.endpoint_tree.select(self.settings.last_endpoint)
        self.statusBar().showMessage(
            f"Loaded {catalog.title} {catalog.version}: {len(catalog.endpoints)} endpoints.", 8000
        )
        self.catalog_ready.emit()

    def load_catalog(self) -> None:
        """Load the shipped description off the GUI thread, unless one is already shown."""
        if self.catalog is None and not self.services.endpoints:
            self.statusBar().showMessage("Loading the Thumbtack API description…")
            self.descriptions.on_reload_triggered()
        else:
            self.catalog_ready.emit()

    @Slot()
    def on_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About Thumbtack API Explorer",
            f"Thumbtack API Explorer {__version__}\n\nExplore, test and explain the Thumbtack "
            "Partner API v4. The Sandbox is a local simulator, not Thumbtack.",
        )
