"""The main window: toolbar, endpoint tree, request builder, response and explanation.

The window composes the panels and the features and wires their signals; it reads no
secrets itself, and sends only through its :class:`~explorer.ui.exchange.ExchangeController`.
Everything it needs comes in through :class:`WindowServices`, built by the composition
root (:mod:`explorer.ui.app.application`), so tests build the same window with their own
services.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Only what the frame needs is imported here: importing a Qt class builds its enums, and
# the panels' classes are imported by complete(), after the frame has painted.
from PySide6.QtCore import QByteArray, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from explorer import __version__
from explorer.core.settings import Settings, SettingsStore, ThemeChoice

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
    from PySide6.QtWidgets import QMenu

    from explorer.core.builder import RequestInputs
    from explorer.core.environments import Environment
    from explorer.core.models import Endpoint, Explanation, FixAction, RequestSpec, ResponseRecord
    from explorer.ui.ask import Questions
    from explorer.ui.endpoints.quick_open import QuickOpenDialog
    from explorer.ui.endpoints.tree import EndpointTree
    from explorer.ui.exchange import CurrentExchange, ExchangeController, ShownResponse
    from explorer.ui.redaction import RedactionContext
    from explorer.ui.request.drafts import DraftKeeper
    from explorer.ui.request.panel import RequestPanel
    from explorer.ui.response.explanation import ExplanationPanel
    from explorer.ui.response.pane import ResponsePane
    from explorer.ui.session.bar import SessionUi
    from explorer.ui.settings_keeper import SettingsKeeper
    from explorer.ui.window.dock_area import DockArea
    from explorer.ui.window.sandbox_menu import SandboxMenu
    from explorer.ui.window.tabs import RequestTabs
    from explorer.ui.workers import TaskRunner

log = logging.getLogger(__name__)

ENDPOINT_TREE_MIN_WIDTH = 200  # the tree stays readable however narrow the window
#: The request builder's least width: an 800 px window still shows its form side by side
#: (with less room, from a larger font or longer labels, each label goes above its editor).
REQUEST_PANEL_MIN_WIDTH = 340


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
    #: Starts the environment's servers if needed (the Sandbox); returns the API base URL.
    start_environment: Callable[[str], str] | None = None
    #: Makes a loaded description's servers known to the session (as unsaved environments).
    add_environments: Callable[[list[Environment]], None] | None = None
    #: Whether Thumbtack's documented meanings apply to an environment's answers (by id).
    speaks_thumbtack: Callable[[str], bool] = lambda env_id: (
        env_id in ("sandbox", "production", "staging")
    )
    environments: list[tuple[str, str]] = field(default_factory=lambda: [("sandbox", "Sandbox")])
    #: explorer.ui.session.controller.SessionController: profiles, tokens, pre-flight checks.
    session: Any = None
    shutdown: Callable[[], None] = lambda: None
    #: The history database; None: the one in the program's data folder.
    history_path: Path | None = None
    #: The open tabs' file; None: the one in the program's data folder.
    tabs_path: Path | None = None


class MainWindow(QMainWindow):
    """One window for the whole program."""

    response_shown = Signal(object)  # ResponseRecord, after it is on screen
    environment_ready = Signal(str)  # API base URL
    environment_failed = Signal(str)  # what went wrong
    catalog_ready = Signal()  # the endpoint tree shows a description
    ready = Signal()  # the panels are built (see complete())

    # Made by explorer.ui.window.menus.build_menus when the window is completed.
    quit_action: QAction
    send_action: QAction
    cancel_action: QAction
    quick_open_action: QAction
    help_action: QAction
    file_menu: QMenu
    tabs_menu: QMenu
    view_menu: QMenu
    help_menu: QMenu
    theme_group: QActionGroup
    theme_actions: dict[ThemeChoice, QAction]

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
        self._frame_settings = chosen
        self.keeper: SettingsKeeper | None = None
        self.completed = False
        self.setWindowTitle(f"Thumbtack API Explorer {__version__}")
        self._restore_geometry()
        if services is None:
            opening = self._central_note("openingPlaceholder", "Opening Thumbtack API Explorer…")
            opening.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # dim
        else:
            self.complete(services)

    @property
    def settings(self) -> Settings:
        """The window's settings now (kept by its :class:`SettingsKeeper` once complete)."""
        return self.keeper.current if self.keeper is not None else self._frame_settings

    @Slot(object)
    def on_history_compare_ready(self, exchanges: list[Any]) -> None:
        from explorer.ui.diff.controller import current_side, history_side

        if len(exchanges) == 2:
            self.diffs.compare(history_side(exchanges[0]), history_side(exchanges[1]))
            return
        shown = self.exchange.last_shown
        if len(exchanges) == 1 and shown is not None:
            here = current_side(shown.record, self.names()[0])
            self.diffs.compare(history_side(exchanges[0]), here)

    @Slot()
    def on_compare_menu_about_to_show(self) -> None:
        """The newest exchanges of the history, those of the same request first."""
        from explorer.ui.diff.controller import fill_compare_menu

        shown = self.exchange.last_shown
        fill_compare_menu(
            self.response_pane.compare_menu,
            self.history.recent(),
            shown.record if shown is not None else None,
            pick=lambda exchange_id: self.history.load_for_compare([exchange_id]),
            open_history=self.history.show_dock,
        )

    def names(self) -> tuple[str, str]:
        """The environment's and the profile's names, as the toolbar shows them."""
        return self.environment_combo.currentText(), self.profile_combo.currentText()

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
        """Build the panels, the features, the menus and the toolbar, then wire them
        (:meth:`_connect_signals`); emits :attr:`ready`.

        The window is the only object that knows every feature: it builds each with the
        narrow collaborators it needs (the exchange, the redaction, the settings, an
        ``ask``, callables), places their docks, bars and actions, and connects one
        feature's signals to another's slots. No feature holds the window."""
        if self.completed:
            raise RuntimeError("the window is already complete")
        from explorer.ui.wheel_guard import install_wheel_guard

        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_wheel_guard(app)  # scrolling a form never changes a value under it
        from explorer.ui.ask import DialogAsk, Questions
        from explorer.ui.endpoints.description_loader import DescriptionLoader
        from explorer.ui.endpoints.tree import EndpointTree
        from explorer.ui.history.controller import HistoryController, default_history_path
        from explorer.ui.redaction import RedactionContext
        from explorer.ui.request.drafts import DraftKeeper
        from explorer.ui.request.panel import RequestPanel
        from explorer.ui.response.explanation import ExplanationPanel
        from explorer.ui.response.pane import ResponsePane
        from explorer.ui.saved.panel import SavedRequestsController
        from explorer.ui.settings_keeper import SettingsKeeper
        from explorer.ui.sharing.bundles import BundleExporter
        from explorer.ui.sharing.interop import InteropFeatures
        from explorer.ui.sharing.presentation import PresentationMode
        from explorer.ui.webhooks.dock import SandboxLink, WebhooksDock
        from explorer.ui.webhooks.service import InboxService
        from explorer.ui.window.dock_area import DockArea
        from explorer.ui.window.sandbox_menu import SandboxMenu
        from explorer.ui.workers import Lane, TaskRunner

        self.services = services
        self.keeper = SettingsKeeper(services.settings_store, services.settings, self)
        self.endpoints: list[Endpoint] = list(services.endpoints)
        self.base_url = ""
        self.background: TaskRunner = TaskRunner(self, latest_only=False, lane=Lane.CPU)
        self._client: Any = None
        self.ask: Questions = Questions(DialogAsk(self))
        self.redaction: RedactionContext = RedactionContext(
            self, presentation=self.settings.presentation_mode
        )
        self.sandbox_menu: SandboxMenu = SandboxMenu(self)
        status = self.statusBar()

        # ----- the panels: endpoints, request, response -----
        self.endpoint_tree: EndpointTree = EndpointTree()
        self.drafts: DraftKeeper = DraftKeeper(services.drafts, self)
        self.request_panel: RequestPanel = RequestPanel(
            drafts=self.drafts, variables=self.variable_values
        )
        self.request_panel.set_redactor(lambda: self.redaction.redactor, self.redaction.changed)
        self.response_pane: ResponsePane = ResponsePane()
        self.explanation_panel: ExplanationPanel = ExplanationPanel()
        self.tabs: RequestTabs = self._build_tabs()
        #: the current tab's exchange, which the features use
        self.exchange: CurrentExchange = self.tabs.exchange
        self._build_toolbar()
        self._build_status_bar()
        self.banner = QLabel("")
        self.banner.setProperty("role", "banner")
        self.banner.hide()

        # ----- the features, each with what it needs -----
        self.descriptions = DescriptionLoader(self, self.background)
        self.quick_open_dialog: QuickOpenDialog | None = None
        self.session_ui: SessionUi | None = None
        if services.session is not None:
            from explorer.ui.session.bar import SessionUi

            self.session_ui = SessionUi(
                services.session,
                self.exchange,
                self.redaction,
                environment_combo=self.environment_combo,
                profile_combo=self.profile_combo,
                token_label=self.token_label,
                status=status,
                current_endpoint=lambda: self.request_panel.endpoint,
                endpoints=lambda: self.endpoints,
                start_environment=self.start_environment,
                parent=self,
            )
        self.presentation = PresentationMode(
            self.redaction, self.keeper, banner=self.banner, status=status, parent=self
        )
        self.history = HistoryController(
            self.exchange,
            self.redaction,
            path=services.history_path or default_history_path(),
            names=self.names,
            open_request=self.open_request,
            status=status,
            parent=self,
        )
        from explorer.core.diff_rules import DiffRulesStore
        from explorer.ui.diff.controller import DiffController

        self.diffs = DiffController(
            redactor=lambda: self.redaction.redactor,
            store=DiffRulesStore.in_config(services.settings_store.path.parent),
            parent=self,
        )
        self.saved = SavedRequestsController(
            self.exchange,
            self.redaction,
            settings=self.keeper,
            ask=self.ask,
            current_spec=self.current_spec,
            open_request=self.open_request,
            status=status,
            parent=self,
            bases=self._bases,
            captures_for=self._captures_for,
            captures_loaded=self._adopt_captures,
        )
        self.bundles = BundleExporter(
            self.exchange,
            self.redaction,
            ask=self.ask,
            current_spec=lambda: self.current_spec(as_previewed=True),
            explanation=lambda: self.explanation_panel.explanation,
            names=self.names,
            selection=self.history.selected_id,
            with_credentials=getattr(services.session, "with_credentials", None),
            status=status,
            parent=self,
        )
        self.interop = InteropFeatures(
            self.request_panel,
            ask=self.ask,
            status=status,
            select_endpoint=self.endpoint_tree.select,
            endpoints=lambda: self.endpoints,
            catalog=lambda: self.catalog,
            saved_store=lambda: self.saved.store,
            choose_saved_folder=self.saved.choose_folder,
            saved_changed=self.saved.refresh,
            session=services.session,
            dialog_parent=self,
            parent=self,
        )

        self.webhooks = WebhooksDock(
            InboxService(services.history_path or default_history_path(), self),
            redaction=self.redaction,
            open_request=self.open_operation,
            confirm=lambda title, text: self.ask.confirm(title, text, action="Copy with secrets"),
            sandbox=SandboxLink(),
            parent=self,
        )

        self.variables = self._build_variables(services)
        self.flows = self._build_flows(services)
        self.runner = self._build_runner(services)

        self._build_layout()
        self.docks: DockArea = DockArea(self)
        if self.session_ui is not None:
            self.docks.add(self.session_ui.token_panel, min_width=260)
        self.docks.add(self.history.panel, min_width=260)
        self.docks.add(self.saved.panel, min_width=260)
        self.docks.add(self.webhooks, min_width=420)
        self.docks.add(self.variables.dock, min_width=320)
        self.docks.add(self.flows, min_width=320)
        self.docks.add(self.runner.dock, min_width=340)
        from explorer.ui.window.menus import build_menus

        build_menus(self)
        self._connect_signals()

        self.catalog = services.catalog
        self.server_environments: dict[str, Environment] = {}  # the description's servers
        self.request_panel.set_catalog_name(getattr(self.catalog, "title", ""))
        self.endpoint_tree.load(self.endpoints)
        self._restore_splitters()
        if self.session_ui is not None:
            self.session_ui.start()
        if not self.tabs.restore() and self.settings.last_endpoint:
            self.endpoint_tree.select(self.settings.last_endpoint)
        if self.drafts.load_problem:
            self.statusBar().showMessage(self.drafts.load_problem, 15000)
        if self.tabs.load_problem:
            self.statusBar().showMessage(self.tabs.load_problem, 20000)
        self.completed = True
        self.ready.emit()

    def _connect_signals(self) -> None:
        """Every connection between the window's parts, in one place."""
        status = self.statusBar()
        exchange, panel, pane = self.exchange, self.request_panel, self.response_pane
        history, bundles = self.history, self.bundles

        self.endpoint_tree.endpoint_selected.connect(self.on_endpoint_tree_selected)
        panel.send_requested.connect(self.send_current)
        panel.cancel_requested.connect(exchange.cancel)
        panel.copy_requested.connect(bundles.copy_as)
        panel.message.connect(lambda text: status.showMessage(text, 5000))
        panel.set_send_preparation(self._as_it_will_be_sent)
        self.drafts.problem.connect(lambda text: status.showMessage(text, 10000))
        assert self.keeper is not None
        self.keeper.problem.connect(lambda text: status.showMessage(text, 10000))
        self.descriptions.loaded.connect(self.set_catalog)
        self.explanation_panel.action_requested.connect(self.on_explanation_action)
        pane.badge.countdown_tick.connect(self.explanation_panel.set_retry_wait)
        self.redaction.changed.connect(self.on_redaction_changed)
        self.redaction.changed.connect(self.tabs.show_caption)
        self.sandbox_menu.fault_changed.connect(self.on_sandbox_fault_changed)

        # One exchange: the window shows it, the history records it.
        exchange.pending.connect(self.on_exchange_pending)
        exchange.settled.connect(lambda: panel.set_busy(False))
        exchange.shown.connect(self.on_exchange_shown)
        exchange.failed.connect(self.on_exchange_failed)
        exchange.cancelled.connect(pane.show_cancelled)
        exchange.finished.connect(history.on_exchange_finished)
        exchange.finished.connect(lambda shown: self.variables.on_response(shown.record))
        exchange.shown.connect(history.on_exchange_shown)
        exchange.cancelled.connect(history.on_exchange_cancelled)
        exchange.failed.connect(lambda _exc: history.on_exchange_failed())
        self.webhooks.message.connect(lambda text: status.showMessage(text, 10000))
        history.export_ready.connect(bundles.export_exchange)
        # Comparing: two history entries, or the answer on screen with one of them.
        history.compare_ready.connect(self.on_history_compare_ready)
        pane.compare_menu.aboutToShow.connect(self.on_compare_menu_about_to_show)
        bundles.export_requested.connect(history.load_for_export)

        session = self.session_ui
        if session is not None:
            # The readiness line under the request form says what the pre-flight check knows.
            controller = session.controller
            panel.set_readiness_check(controller.preflight_for)
            for signal in (
                controller.profile_changed,
                controller.environment_changed,
                controller.token_changed,
            ):
                signal.connect(lambda *_: panel.refresh_readiness())

    # ----- variables ----------------------------------------------------------------------
    def _build_variables(self, services: WindowServices) -> Any:
        """The variables feature: {{name}} values, the Variables editor, completion."""
        from explorer.paths import AppPaths
        from explorer.ui.variables.controller import VariablesController

        session = services.session
        ensure = getattr(session, "ensure_store", None)
        auth_base = getattr(session, "auth_base", None)
        combo = self.environment_combo
        feature = VariablesController(
            config=AppPaths.from_environment().config,
            redaction=self.redaction,
            secret_store=lambda: getattr(session, "user_store", None),
            environment=lambda: (
                str(combo.currentData() or "sandbox"),
                combo.currentText() or "Sandbox",
            ),
            base_url=lambda: self.base_url,
            auth_base_url=lambda: str(auth_base()) if callable(auth_base) else "",
            extra=services.variables,
            ensure_store=(
                (lambda then: ensure(lambda _store: then())) if callable(ensure) else None
            ),
            status=self.statusBar(),
            parent=self,
        )
        combo.currentIndexChanged.connect(lambda _index: feature.service.refresh())
        # a secret variable's value can be read once the secret store is open
        store_changed = getattr(session, "secret_store_changed", None)
        if store_changed is not None:
            store_changed.connect(lambda _where: feature.service.refresh())
        self.environment_ready.connect(lambda _base: feature.service.refresh())
        feature.assist_panel(self.request_panel)
        feature.assist_response(self.response_pane, lambda: self.exchange.last_record)
        feature.hint_under(self.explanation_panel)
        return feature

    def _build_flows(self, services: WindowServices) -> Any:
        """The Flows list: the documented journeys, run step by step."""
        from explorer.ui.flows.dock import FlowsDock

        dock = FlowsDock(
            prepare=self._prepare_flow,
            variables=self.variable_values,
            confirm_run=self._confirm_flow,
            describe=lambda result: (
                self.exchange.stored(result.record, None) if result.record is not None else None
            ),
            parent=self,
        )
        dock.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        dock.step_finished.connect(self._on_flow_step)
        dock.open_step.connect(self._open_flow_step)
        return dock

    def _build_runner(self, services: WindowServices) -> Any:
        """The Runner: suites run on the current environment, step by step."""
        from explorer.ui.runner.controller import RunnerController

        session = services.session
        combo = self.environment_combo

        def environments() -> list[tuple[str, str]]:
            return [(str(combo.itemData(i)), combo.itemText(i)) for i in range(combo.count())]

        def profiles(env_id: str) -> list[str]:
            if session is None or not env_id:
                return []
            try:
                return [p.name for p in session.profiles_for(env_id)]
            except Exception:  # an environment the session does not know: automatic only
                return []

        def choose(env_id: str) -> None:
            combo.setCurrentIndex(max(0, combo.findData(env_id)))

        assert self.keeper is not None
        keeper = self.keeper
        return RunnerController(
            session=lambda: getattr(session, "core", None),
            environments=environments,
            current_environment=lambda: str(combo.currentData() or ""),
            choose_environment=choose,
            environment_ready=self.environment_ready,
            profiles=profiles,
            saved_folder=lambda: keeper.current.saved_requests_dir,
            ask_folder=lambda: self.ask.folder("Run a folder of saved requests as a suite"),
            open_step=self._open_run_step,
            compare=self.diffs.compare,
            parent=self,
        )

    def _open_run_step(self, result: Any) -> None:
        """A run's step in a tab of its own (the current one when it is blank): its request,
        its answer with the explanation and the contract verdict it was judged by."""
        from explorer.core.history import Exchange
        from explorer.core.resend import without_added_headers

        record = result.record
        if record is None:
            self.statusBar().showMessage(f"{result.title} was not sent: {result.reason}", 10000)
            return
        spec = self.exchange.sendable(without_added_headers(Exchange(record=record).resend_spec()))
        endpoint = next((e for e in self.endpoints if e.operation_id == spec.operation_id), None)
        if endpoint is not None and not self.tabs.current.is_blank:
            self.tabs.open_in_new_tab(endpoint)
        self.open_request(spec)
        shown = self.exchange.stored(record, result.explanation, result.contract)
        self.exchange.show(shown, request=spec)
        contract = result.contract
        if contract is not None and getattr(contract, "verdict", "") != "conforms":
            self.response_pane.tabs.setCurrentWidget(self.response_pane.contract_view)
        self.statusBar().showMessage(
            f"Opened {result.title} from the run: "
            + ("passed." if result.passed else f"failed: {result.reason}"),
            10000,
        )

    def _flow_environment(self) -> Environment:
        from explorer.core.environments import sandbox_environment

        core = getattr(self.services.session, "core", None)
        environment = getattr(core, "environment", None)
        if environment is not None and environment.api_base:
            return environment  # type: ignore[no-any-return]
        return sandbox_environment(self.base_url)

    def _prepare_flow(self) -> Any:
        if not self.base_url:
            return "The environment has not started yet; run the flow once it shows its address."
        if not self.endpoints:
            return "No API description is open: open Thumbtack's (File ▸ Open description…)."
        core = getattr(self.services.session, "core", None)
        if core is not None:
            from explorer.core.flows import SandboxSender

            send: Any = SandboxSender(core)
        else:
            perform = self.services.perform or self._plain_perform

            def send(_step: Any, _endpoint: Any, spec: RequestSpec, cancel: Any) -> Any:
                return perform(spec, cancel)

        return list(self.endpoints), self._flow_environment(), send

    def _confirm_flow(self, flow: Any) -> bool:
        from explorer.core.environments import EnvironmentKind

        environment = self._flow_environment()
        if environment.kind is EnvironmentKind.SANDBOX:
            return True
        return bool(
            self.ask.confirm(
                f"Run {flow.title} on {environment.name}?",
                f"The flow sends {len(flow.steps)} real requests to {environment.name} "
                f"({environment.api_base}) with the profile {self.profile_combo.currentText()}. "
                "Steps that create things (a request creates real leads, and pros may be "
                "charged) do so there too.",
                action="Run the flow",
            )
        )

    def _on_flow_step(self, result: Any) -> None:
        """A finished flow step: what it captured is {{name}} for the next requests."""
        where = f"flow step {result.step.title}"
        for capture in result.captures:
            if capture.value is not None:
                self.variables.service.put_captured(
                    capture.name, capture.value, where=where, personal=capture.personal
                )

    def _open_flow_step(self, result: Any, shown: Any) -> None:
        """A flow step in a tab of its own (the current one when it is blank), with its
        response on screen: the steps of a flow stay side by side."""
        endpoint = next(
            (e for e in self.endpoints if e.operation_id == result.spec.operation_id), None
        )
        if endpoint is not None and not self.tabs.current.is_blank:
            self.tabs.open_in_new_tab(endpoint)
        self.open_request(result.spec)
        if shown is not None:
            self.exchange.show(shown, request=result.spec)

    def _show_hints(self, record: ResponseRecord | None, *, ok: bool = False) -> None:
        feature = getattr(self, "variables", None)  # tabs may show a response while building
        if feature is not None:
            feature.show_hints(record, ok=ok)

    def _captures_for(self, spec: RequestSpec) -> tuple[Any, ...]:
        return tuple(self.variables.captures_for(spec))

    def _adopt_captures(self, spec: RequestSpec, captures: tuple[Any, ...]) -> None:
        self.variables.adopt_captures(spec, captures)

    def _bases(self) -> tuple[str, str]:
        """The current ``(base_url, auth_base_url)``: what a saved request names instead."""
        auth_base = getattr(self.services.session, "auth_base", None)
        return self.base_url, (str(auth_base()) if callable(auth_base) else "")

    def variable_values(self) -> Mapping[str, str]:
        """What ``{{name}}`` means now (built-ins, captured, environment, workspace)."""
        feature = getattr(self, "variables", None)
        if feature is None:
            return dict(self.services.variables())
        values: Mapping[str, str] = feature.service.values()
        return values

    # ----- layout -------------------------------------------------------------------------
    def _build_tabs(self) -> RequestTabs:
        from explorer.core.tabs import TABS_FILE, TabStore
        from explorer.paths import AppPaths
        from explorer.ui.exchange import ExchangeController
        from explorer.ui.window.tabs import RequestTabs

        services = self.services

        def make_exchange() -> ExchangeController:
            return ExchangeController(
                services.perform or self._plain_perform,
                explain=self._explain_with_description,
                prepare=self._prepare_send,
                variables=self.variable_values,
                sandbox_base=self.current_sandbox_base,
                base_url=lambda: self.base_url,
                judge=self.judge_contract,
                parent=self,
            )

        def find_endpoint(key: str) -> Endpoint | None:
            finder = getattr(self.catalog, "lookup", None)
            found = finder(key) if callable(finder) else None
            return found or next((e for e in self.endpoints if e.key == key), None)

        path = services.tabs_path or AppPaths.from_environment().ensure().data / TABS_FILE
        self.catalog = services.catalog
        return RequestTabs(
            panel=self.request_panel,
            tree=self.endpoint_tree,
            make_exchange=make_exchange,
            find_endpoint=find_endpoint,
            base_for=self._base_for,
            present=self.present,
            redactor=lambda: self.redaction.redactor,
            known_secrets=lambda: self.redaction.known_secrets,
            store=TabStore(path),
            background=self.background,
            status=self.statusBar(),
            parent=self,
        )

    def _build_layout(self) -> None:
        from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("responseSplitter")
        answer = QWidget()
        answer_layout = QVBoxLayout(answer)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.setSpacing(0)
        answer_layout.addWidget(self.tabs.caption)
        answer_layout.addWidget(self.response_pane, 1)
        right.addWidget(answer)
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
        layout.addWidget(self.banner)
        if self.session_ui is not None:
            layout.addWidget(self.session_ui.notice_bar)
            layout.addWidget(self.session_ui.preflight_bar)
        layout.addWidget(self.tabs.row(self.main_splitter, self.endpoint_tree))
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

    def _build_status_bar(self) -> None:
        from explorer.ui.style.palette import follow_theme

        self.environment_label = QLabel("Sandbox: starting…")
        self.environment_label.setObjectName("environmentStatus")
        self.fault_label = QLabel("")
        self.fault_label.setObjectName("faultStatus")
        fault = self.fault_label
        follow_theme(fault, lambda c: fault.setStyleSheet(f"color: {c.warning}; font-weight: 600;"))
        self.fault_label.setToolTip("Requests to the Sandbox carry this fault (Sandbox menu).")
        self.fault_label.hide()
        self.statusBar().addPermanentWidget(self.fault_label)
        self.token_label = QLabel("Token: none yet")
        self.token_label.setObjectName("tokenStatus")
        from explorer.ui.plain import plain_labels

        plain_labels(self.environment_label, self.fault_label, self.token_label)
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

        assert self.keeper is not None
        self.keeper.change(
            window_geometry=b64(self.saveGeometry()),
            splitters={
                "main": b64(self.main_splitter.saveState()),
                "response": b64(self.response_splitter.saveState()),
            },
        )
        self.keeper.save_now()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.completed:  # closed while opening: nothing was changed, nothing to save
            super().closeEvent(event)
            return
        self.save_state()
        self.request_panel.remember_draft()
        self.drafts.flush()
        self.tabs.save_now()
        self.tabs.shutdown()
        self.background.shutdown()
        self.history.shutdown()
        self.diffs.shutdown()
        self.webhooks.shutdown()
        self.flows.shutdown()
        self.runner.shutdown()
        self.response_pane.shutdown()
        self.services.shutdown()
        if self._client is not None:
            self._client.close()
            self._client = None
        super().closeEvent(event)

    @Slot(object)
    def set_theme(self, choice: ThemeChoice) -> None:
        from explorer.ui.style.theme import apply_theme, resolve_palette

        assert self.keeper is not None
        self.keeper.change(theme=choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, palette=resolve_palette(choice), font_scale=self.settings.font_scale)
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
        server = self.server_environments.get(env_id)
        if server is not None:  # a server of the description: nothing to start
            self.on_environment_started(server.api_base.rstrip("/"))
            return
        starter = self.services.start_environment
        if starter is None:
            return
        self.environment_label.setText(f"{self.environment_combo.currentText()}: starting…")
        self.background.run(
            lambda _cancel: starter(env_id), self.on_environment_started, self.on_environment_failed
        )

    def on_environment_started(self, base_url: object) -> None:
        self.base_url = str(base_url)
        self.environment_label.setText(f"{self.environment_combo.currentText()}: {self.base_url}")
        endpoint = self.request_panel.endpoint
        if endpoint is not None:
            self.request_panel.load_endpoint(endpoint, self._base_for(endpoint))
        self.environment_ready.emit(self.base_url)

    def on_environment_failed(self, exc: object) -> None:
        self.environment_label.setText(f"{self.environment_combo.currentText()}: not available")
        self.statusBar().showMessage(f"Could not start the environment: {exc}", 10000)
        self.environment_failed.emit(str(exc))

    def _base_for(self, endpoint: Endpoint) -> str:
        """Where ``endpoint`` goes: the authorize and token operations to the environment's
        authorization server, every other one to its API base."""
        auth_base = getattr(self.services.session, "auth_base", None)
        if endpoint.server == "auth" and callable(auth_base) and auth_base():
            return str(auth_base())
        return self.base_url

    def _as_it_will_be_sent(self, spec: RequestSpec) -> RequestSpec:
        """For the Preview: the Sandbox fault, and on the token endpoint the profile's
        client authentication as a masked placeholder (added for real when sent)."""
        from explorer.core.redact import MASK

        spec = self._with_sandbox_fault(spec)
        endpoint = self.request_panel.endpoint
        profile = getattr(self.services.session, "profile", None)
        if (
            endpoint is not None
            and endpoint.server == "auth"
            and endpoint.method == "POST"
            and profile is not None
            and spec.header("authorization") is None
            and profile.auth_method.value == "client_secret_basic"
        ):
            spec = dataclasses.replace(
                spec, headers=(*spec.headers, ("Authorization", f"Basic {MASK}"))
            )
        return spec

    def current_sandbox_base(self) -> str:
        """The running Sandbox's base URL when the chosen environment is the Sandbox."""
        on_sandbox = self.environment_combo.currentData() in (None, "sandbox")
        return self.base_url if on_sandbox else ""

    # ----- requests -----------------------------------------------------------------------
    @Slot(object)
    def on_endpoint_tree_selected(self, endpoint: Endpoint) -> None:
        self.tabs.show_endpoint(endpoint)
        if self.keeper is not None:
            self.keeper.change(last_endpoint=endpoint.key)

    @Slot()
    def send_current(self) -> None:
        spec = self.request_panel.build_spec()
        if spec is None:
            self.statusBar().showMessage("Enter a URL or pick an endpoint first.", 5000)
            return
        if self.session_ui is not None and not self.session_ui.approve_send(spec):
            return  # held back by the pre-flight bar, or waiting for the secret store
        self.exchange.send(spec)

    def current_spec(self, *, as_previewed: bool = False) -> RequestSpec | None:
        """The request on screen (see :meth:`ExchangeController.on_screen`);
        ``as_previewed``: before it is sent, the request as its Preview shows it (with the
        profile's Authorization placeholder and the Sandbox fault the window will add)."""
        panel = self.request_panel
        return self.exchange.on_screen(panel.preview_spec() if as_previewed else panel.build_spec())

    def open_operation(self, operation_id: str, inputs: RequestInputs) -> bool:
        """Show ``operation_id`` in the request panel with ``inputs`` filled (False when the
        description that is open has no such operation)."""
        if not self.endpoint_tree.select(operation_id):
            return False
        self.request_panel.set_inputs(inputs)
        return True

    def open_request(self, spec: RequestSpec) -> bool:
        """Put a stored request into the request panel, under its endpoint when the tree
        has it; False when the panel could not take it."""
        if spec.operation_id:
            self.endpoint_tree.select(spec.operation_id)
        return self.request_panel.load_spec(spec)

    def _explain_with_description(self, record: ResponseRecord) -> Explanation | None:
        """The explanation (on the request worker); from a host that is not Thumbtack's,
        with what the open description documents for the operation's status."""
        explanation = self.services.explain(record)
        operation_id = record.request.operation_id
        if explanation is None or explanation.source != "http" or not operation_id:
            return explanation
        finder = getattr(self.catalog, "by_operation_id", None)
        endpoint = finder(operation_id) if callable(finder) else None
        if endpoint is None:
            return explanation
        from explorer.core.explain import with_description

        return with_description(explanation, endpoint, record.status)

    def _prepare_send(self, spec: RequestSpec) -> RequestSpec:
        """What the window adds to every request it sends: the Sandbox fault, and whether
        Thumbtack's documented meanings apply to the answer (the environment says so)."""
        from explorer.core.status import with_meanings

        return with_meanings(
            self._with_sandbox_fault(spec),
            base_url=self.base_url,
            thumbtack=self.services.speaks_thumbtack(
                self.environment_combo.currentData() or "sandbox"
            ),
        )

    def _with_sandbox_fault(self, spec: RequestSpec) -> RequestSpec:
        """Adds the Sandbox menu's fault header to requests bound for the Sandbox only."""
        from explorer.core.resend import with_sandbox_fault

        return with_sandbox_fault(
            spec, self.sandbox_menu.selected_fault(), sandbox_base=self.current_sandbox_base()
        )

    @Slot(object)
    def on_sandbox_fault_changed(self, fault: str | None) -> None:
        self.request_panel.refresh_preview()  # the preview shows the fault it will send
        self.fault_label.setText(f"⚠ Sandbox fault: {fault}" if fault else "")
        self.fault_label.setVisible(bool(fault))
        if fault:
            self.statusBar().showMessage(f"Fault on: {fault} (Sandbox > No fault stops it)", 8000)
        else:
            self.statusBar().showMessage("Sandbox: no fault injected.", 4000)

    def judge_contract(self, record: ResponseRecord) -> Any:
        """The contract verdict on ``record`` against the loaded description (runs on the
        exchange's worker), secrets masked; ``None`` when there is nothing to judge."""
        if record.status is None or record.failure is not None:
            return None
        from explorer.core.catalog import catalog_of
        from explorer.core.contract import check_response, masked
        from explorer.core.redact import RedactionPolicy, Redactor

        operation = record.request.operation_id
        if not operation:
            return None
        known = getattr(self.catalog, "endpoints", None) or self.endpoints
        endpoint = next((e for e in known if e.operation_id == operation), None)
        catalog = None if endpoint is None else catalog_of(endpoint)
        if endpoint is None or catalog is None:
            return None
        result = check_response(
            catalog, endpoint, status=record.status, headers=record.headers, body=record.body
        )
        storage = Redactor(RedactionPolicy.for_storage(self.redaction.known_secrets))
        return masked(result, storage, record.body)

    def _plain_perform(self, spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        """Sends without authentication, for windows built without a ``perform`` service."""
        from explorer.core.http import make_client, send

        if self._client is None:
            self._client = make_client()
        return send(spec, client=self._client, cancel=cancel)

    @Slot(object)
    def on_exchange_pending(self, spec: RequestSpec) -> None:
        self.response_pane.show_pending(self.redaction.redactor.redact_spec(spec))
        self.explanation_panel.show_explanation(None)
        self._show_hints(None)
        self.request_panel.set_busy(True)

    @Slot(object)
    def on_exchange_shown(self, shown: ShownResponse) -> None:
        from explorer.ui.announce import announce, response_words

        self._render(shown)
        explanation = self.redaction.redact_explanation(shown.explanation)
        announce(
            self.response_pane.badge,
            response_words(shown.status, explanation),
            urgent=not shown.status.ok,
        )
        self.response_shown.emit(shown.record)

    def _render(self, shown: ShownResponse) -> None:
        """Show a response, redacted as the screen is now."""
        from explorer.core.sandbox_note import sandbox_fault_note

        explanation = self.redaction.redact_explanation(shown.explanation)
        if self.session_ui is not None:
            explanation = self.session_ui.with_working_fixes(explanation, shown.record.request)
        self.explanation_panel.show_explanation(
            explanation, sandbox_note=sandbox_fault_note(shown.record)
        )
        self._show_hints(shown.record, ok=bool(shown.status.ok))
        self.response_pane.show_record(
            self.redaction.redactor.redact_record(shown.record),
            status=shown.status,
            explanation=explanation,
            contract=self.redaction.redact_contract(shown.contract),
        )

    def present(self, exchange: ExchangeController) -> None:
        """Put a tab's exchange on screen: its request on its way, its answer, or none."""
        if exchange.in_flight is not None:
            self.on_exchange_pending(exchange.in_flight)
        elif exchange.last_shown is not None:
            self._render(exchange.last_shown)
        else:
            self.response_pane.clear()
            self.explanation_panel.show_explanation(None)
            self._show_hints(None)

    @Slot()
    def on_redaction_changed(self) -> None:
        """Re-render the response on screen (from its record, not from the widgets)."""
        if self.exchange.last_shown is not None:
            self._render(self.exchange.last_shown)

    @Slot(object)
    def on_exchange_failed(self, exc: object) -> None:
        self.response_pane.clear()
        self.statusBar().showMessage(f"The request could not be made: {exc}", 10000)
        raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))

    @Slot(object)
    def on_explanation_action(self, action: FixAction) -> None:
        """Do a one-click fix. Fixes that need credentials go to :meth:`on_credential_fix`."""
        from explorer.core.models import FixAction

        if self.session_ui is not None and self.session_ui.handle_fix(action):
            return
        if action in (FixAction.RETRY, FixAction.RETRY_AFTER):
            spec = self.exchange.retry_spec()
            if spec is not None:
                self.exchange.send(spec)
        elif action is FixAction.COPY_TRACE_ID:
            explanation = self.explanation_panel.explanation
            if explanation is not None and explanation.trace_id:
                self.redaction.copy_text(explanation.trace_id)
                self.statusBar().showMessage(f"Copied traceID {explanation.trace_id}", 5000)
        else:
            self.on_credential_fix(action)

    def on_credential_fix(self, action: FixAction) -> None:
        """Fixes that change the profile or token (refresh, audience, token server, scopes,
        profile) in a window built without a session: it says what they would need."""
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

        endpoints = list(getattr(self.catalog, "endpoints", None) or self.endpoints)
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
        self.endpoints = list(catalog.endpoints)
        self.request_panel.set_catalog_name(catalog.title)
        self.endpoint_tree.load(catalog.endpoints)
        self.tabs.endpoints_changed()
        self._offer_servers(catalog)
        if self.tabs.current.is_blank and self.settings.last_endpoint:
            self.endpoint_tree.select_when_shown(self.settings.last_endpoint)
        self.statusBar().showMessage(
            f"Loaded {catalog.title} {catalog.version}: {len(catalog.endpoints)} endpoints.", 8000
        )
        self.endpoint_tree.when_filled(self.catalog_ready.emit)  # a long tree fills in slices

    def _offer_servers(self, catalog: Any) -> None:
        """The description's servers become environments in the toolbar (each server with
        its variables' defaults, and one per allowed value of an enum variable); the first
        is chosen, so requests go where the description says. Another description's
        servers are taken away."""
        from explorer.core.servers import description_environments

        document = getattr(catalog, "document", None) or {}
        base = str(getattr(catalog, "base_uri", "") or getattr(catalog, "source", "") or "")
        envs = description_environments(document, base_uri=base, title=str(catalog.title))
        combo = self.environment_combo
        was_server = combo.currentData() in self.server_environments
        combo.blockSignals(True)
        for index in reversed(range(combo.count())):
            if combo.itemData(index) in self.server_environments:
                combo.removeItem(index)
        combo.blockSignals(False)
        self.server_environments = {env.id: env for env in envs}
        if envs and self.services.add_environments is not None:
            self.services.add_environments(envs)
        for env in envs:
            combo.addItem(env.name, env.id)
            combo.setItemData(combo.count() - 1, env.api_base, Qt.ItemDataRole.ToolTipRole)
        if envs:
            combo.setCurrentIndex(combo.findData(envs[0].id))
            self.start_environment()
        elif was_server:
            combo.setCurrentIndex(max(0, combo.findData("sandbox")))
            self.start_environment()

    def load_catalog(self) -> None:
        """Load the shipped description off the GUI thread, unless one is already shown."""
        if self.catalog is None and not self.endpoints:
            self.statusBar().showMessage("Loading the Thumbtack API description…")
            self.descriptions.on_reload_triggered()
        else:
            self.catalog_ready.emit()

    def help_context(self) -> tuple[str, str]:
        """The help topic (and anchor) for what has the focus: the status badge opens its
        status's row, the explanation its error's entry, a dock its own topic."""
        from explorer.core.help_topics import ERRORS_TOPIC, STATUS_TOPIC, rule_anchor, status_anchor

        widget = QApplication.focusWidget()
        badge = self.response_pane.badge
        topics = (
            (self.session_ui.token_panel if self.session_ui is not None else None, "profiles"),
            (self.history.panel, "history"),
            (self.saved.panel, "history"),
            (self.webhooks, "webhooks"),
            (self.request_panel, "start"),
            (self.endpoint_tree, "start"),
        )
        while widget is not None:
            if widget is badge or widget is self.response_pane:
                info = badge.info
                return STATUS_TOPIC, status_anchor(info.code) if info is not None else ""
            if widget is self.explanation_panel:
                explanation = self.explanation_panel.explanation
                anchor = rule_anchor(explanation.rule_id) if explanation is not None else ""
                return ERRORS_TOPIC, anchor
            for owner, topic in topics:
                if widget is owner:
                    return topic, ""
            widget = widget.parentWidget()
        return "start", ""

    @Slot()
    def on_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About Thumbtack API Explorer",
            f"Thumbtack API Explorer {__version__}\n\nExplore, test and explain the Thumbtack "
            "Partner API v4. The Sandbox is a local simulator, not Thumbtack.",
        )
