"""The session's face in the main window: environment and profile selectors, the token
status, the token panel, the pre-flight bar, profile-file problems and one-click fixes.

:class:`SessionUi` is given the window's toolbar combos and token label, and makes the
bars, the token panel and the profiles action, which the window places; the window calls
:meth:`approve_send` before sending and :meth:`handle_fix` for fix actions.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QStatusBar, QWidget

from explorer.core.environments import Environment
from explorer.core.files import DocumentError
from explorer.core.models import Endpoint, Explanation, FixAction, RequestSpec
from explorer.core.preflight import working_fixes
from explorer.core.profiles import (
    SANDBOX_CUSTOMER_PROFILE,
    SANDBOX_PRO_PROFILE,
    Profile,
    sandbox_demo_profile,
)
from explorer.ui.ask import DialogAsk
from explorer.ui.exchange import ExchangeLike
from explorer.ui.redaction import RedactionContext
from explorer.ui.session.controller import SessionController
from explorer.ui.session.preflight_bar import NoticeBar, PreflightBar
from explorer.ui.session.profile_dialog import ProfileDialog
from explorer.ui.session.style import status_label_colour, style_session_widget
from explorer.ui.session.token_panel import TokenPanel, token_state
from explorer.ui.style.palette import follow_theme

log = logging.getLogger(__name__)

MANAGE = "__manage_profiles__"
DEMO_SWITCHES = {
    FixAction.USE_SANDBOX_CUSTOMER: SANDBOX_CUSTOMER_PROFILE,
    FixAction.USE_SANDBOX_PRO: SANDBOX_PRO_PROFILE,
    FixAction.USE_SANDBOX_APP: sandbox_demo_profile().name,
}


class SessionUi(QObject):
    """The window's face of a :class:`SessionController`; :meth:`start` once it is wired."""

    def __init__(
        self,
        controller: SessionController,
        exchange: ExchangeLike,
        redaction: RedactionContext,
        *,
        environment_combo: QComboBox,
        profile_combo: QComboBox,
        token_label: QLabel,
        status: QStatusBar,
        current_endpoint: Callable[[], Endpoint | None],
        endpoints: Callable[[], Sequence[Endpoint]],
        start_environment: Callable[[], None],
        parent: QWidget,
    ) -> None:
        """The combos and the token label are the window's toolbar and status-bar widgets,
        filled and followed here; ``current_endpoint`` is the request panel's endpoint,
        ``endpoints`` the description's, ``start_environment`` starts the chosen one."""
        super().__init__(parent)
        self.controller = controller
        self.exchange = exchange
        self.redaction = redaction
        self.token_label = token_label
        follow_theme(
            token_label,
            lambda colors: token_label.setStyleSheet(
                f"color: {status_label_colour(str(token_label.property('state') or ''), colors)};"
            ),
        )
        self.status = status
        self.current_endpoint = current_endpoint
        self.endpoints = endpoints
        self.start_environment = start_environment
        self.parent_widget = parent
        self.dialog: ProfileDialog | None = None
        controller.setParent(parent)
        if isinstance(controller.ask, DialogAsk):
            controller.ask.parent = parent

        self.preflight_bar = PreflightBar()
        self.notice_bar = NoticeBar("error")
        self.notice_bar.setObjectName("profilesProblem")
        for bar in (self.preflight_bar, self.notice_bar):
            style_session_widget(bar)
        self.preflight_bar.send_anyway.connect(self.on_preflight_send_anyway)
        self.preflight_bar.fix_requested.connect(self.on_preflight_fix)

        self.token_panel = TokenPanel(controller, parent)
        self.token_action = self.token_panel.toggleViewAction()
        self.token_action.setText("&Token panel")
        self.token_action.setShortcut(QKeySequence("Ctrl+Shift+O"))  # Ctrl+Shift+T reopens a tab
        self.manage_action = QAction("&Profiles and environments…", parent)
        self.manage_action.setShortcut(QKeySequence("Ctrl+Alt+P"))
        self.manage_action.triggered.connect(self.open_profiles)

        self.env_combo = environment_combo
        self.profile_combo = profile_combo
        self.profile_combo.setMinimumContentsLength(18)
        self.env_combo.currentIndexChanged.connect(self.on_env_combo_changed)
        self.profile_combo.activated.connect(self.on_profile_combo_activated)
        controller.profiles_changed.connect(self.on_profiles_changed)
        controller.environment_changed.connect(self.on_environment_changed)
        controller.profile_changed.connect(self.on_profile_changed)
        controller.token_changed.connect(self.on_token_tick)
        controller.secrets_seen.connect(redaction.set_known_secrets)
        self.token_panel.set_redactor(lambda: redaction.redactor, redaction.changed)
        controller.token_failed.connect(self.on_token_failed)

        self.token_timer = QTimer(self)
        self.token_timer.setInterval(1000)
        self.token_timer.timeout.connect(self.on_token_tick)
        self.token_timer.timeout.connect(self.check_profiles_file)
        self.token_timer.start()

    def start(self) -> None:
        """Read the profiles, fill the selectors and select the first environment (once
        the window has connected its signals, so everyone hears it)."""
        controller = self.controller
        problem = controller.profiles.problem or controller.load()  # reported once read
        if problem is not None:
            self.report_profiles_problem(problem)
        self.on_profiles_changed()
        self._started_env = str(self.env_combo.currentData() or "sandbox")
        controller.select_environment(self._started_env)

    # ----- selectors ----------------------------------------------------------------------
    @Slot()
    def on_profiles_changed(self) -> None:
        self._fill_environments()
        self._fill_profiles()

    def _fill_environments(self) -> None:
        combo = self.env_combo
        current = self.controller.environment.id
        combo.blockSignals(True)
        combo.clear()
        for env in self.controller.environments():
            combo.addItem(env.name, env.id)
            combo.setItemData(combo.count() - 1, self._env_tip(env), Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    @staticmethod
    def _env_tip(env: Environment) -> str:
        if not env.api_base:
            return "Starts on this computer when chosen"
        return f"API {env.api_base}\nToken server {env.token_url}"

    def _fill_profiles(self) -> None:
        combo = self.profile_combo
        combo.blockSignals(True)
        combo.clear()
        for profile in self.controller.profiles_for(self.controller.environment.id):
            combo.addItem(profile.name, profile.name)
        if combo.count() == 0:
            combo.addItem("No profile for this environment", None)
        combo.insertSeparator(combo.count())
        combo.addItem("Manage profiles…", MANAGE)
        current = self.controller.profile.name if self.controller.profile else None
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    @Slot(int)
    def on_env_combo_changed(self, _index: int) -> None:
        env_id = self.env_combo.currentData()
        if env_id and env_id != self.controller.environment.id:
            self.controller.select_environment(str(env_id))

    @Slot(int)
    def on_profile_combo_activated(self, index: int) -> None:
        data = self.profile_combo.itemData(index)
        if data == MANAGE:
            self._fill_profiles()  # put the current profile back in the box
            self.open_profiles()
        elif data:
            self.controller.select_profile(str(data))

    @Slot(object)
    def on_environment_changed(self, env: Environment) -> None:
        self.env_combo.blockSignals(True)
        self.env_combo.setCurrentIndex(max(0, self.env_combo.findData(env.id)))
        self.env_combo.blockSignals(False)
        self._fill_profiles()
        if env.id != self._started_env:
            self._started_env = env.id  # a new API base for the request builder
            self.start_environment()

    @Slot(object)
    def on_profile_changed(self, _profile: Profile | None) -> None:
        self._fill_profiles()
        self.preflight_bar.hide()

    # ----- token status ---------------------------------------------------------------------
    @Slot()
    def on_token_tick(self, *_args: object) -> None:
        state, text = token_state(self.controller.token_info, self.controller.token_error)
        label = self.token_label
        label.setText(f"Token: {text}")
        if label.property("state") != state.value:
            label.setProperty("state", state.value)
            label.setStyleSheet(f"color: {status_label_colour(state.value)};")

    @Slot()
    def check_profiles_file(self) -> None:
        """Another copy of the program (a command-line run, a second window) changed the
        profiles file: read it again and say so, so nothing shown is out of date."""
        if not self.controller.profiles.changed_on_disk():
            return
        problem = self.controller.load()
        if problem is not None and not self.controller.profiles.problem_known:
            self.report_profiles_problem(problem)
        self.status.showMessage(
            "The profiles were changed outside this window (another window or a command); "
            "the lists were read again.",
            10000,
        )

    @Slot(str)
    def on_token_failed(self, message: str) -> None:
        self.status.showMessage(self.redaction.redactor.redact_text(message), 15000)

    # ----- profiles dialog and file problems ------------------------------------------------
    @Slot()
    def open_profiles(self, scopes: bool = False) -> ProfileDialog:
        if self.dialog is None:
            self.dialog = ProfileDialog(self.controller, self.parent_widget)
            self.dialog.saved.connect(self.on_dialog_saved)
        else:
            self.dialog.on_environments_saved()
            self.dialog.reload(self.controller.profile.name if self.controller.profile else None)
        self.dialog.open()
        if scopes:
            self.dialog.focus_scopes()
        return self.dialog

    @Slot(object)
    def on_dialog_saved(self, profile: Profile) -> None:
        current = self.controller.profile
        if current is None or current.name == profile.name or self.controller.is_demo(current):
            self.controller.select_environment(profile.environment_id, profile.name)
        else:
            self.controller.select_environment(self.controller.environment.id, current.name)

    def report_profiles_problem(self, problem: DocumentError) -> None:
        where = (
            f"A copy of the file was kept as <code>{html.escape(str(problem.backup))}</code>."
            if problem.backup
            else "The file was left as it is and will not be written over."
        )
        self.notice_bar.show_message(
            "<b>The profiles file could not be used as it is.</b><br>"
            f"<code>{html.escape(str(problem.path))}</code>: {html.escape(problem.problem)}.<br>"
            f"{where} The profiles that could be read are available; fix or restore the "
            "copy, or recreate the others in Manage profiles…"
        )

    # ----- before sending, and fixes --------------------------------------------------------
    def approve_send(self, spec: RequestSpec) -> bool:
        """True to send ``spec`` now; False when the store must be unlocked first or the
        pre-flight bar holds it back (the bar sends it when the user chooses)."""
        profile = self.controller.profile
        if profile is not None and self.controller.store_for(profile) is None:
            self.controller.ensure_store(lambda _store: self._send_checked(spec))
            return False
        warnings = self.controller.preflight_for(self._endpoint_for(spec))
        if warnings:
            self.preflight_bar.hold(spec, warnings)
            return False
        self.preflight_bar.hide()
        return True

    def _send_checked(self, spec: RequestSpec) -> None:
        if self.approve_send(spec):
            self.exchange.send(spec)

    def with_working_fixes(
        self, explanation: Explanation | None, spec: RequestSpec
    ) -> Explanation | None:
        """``explanation`` with the fixes that work for the current profile (a built-in
        Sandbox profile cannot have its scopes edited: switching is offered instead)."""
        if explanation is None:
            return None
        actions = working_fixes(
            explanation.actions,
            self._endpoint_for(spec),
            self.controller.profile,
            self.controller.environment,
        )
        return (
            explanation if actions == explanation.actions else replace(explanation, actions=actions)
        )

    def _endpoint_for(self, spec: RequestSpec) -> Endpoint:
        endpoint = self.current_endpoint()
        if endpoint is not None and (
            not spec.operation_id or endpoint.operation_id == spec.operation_id
        ):
            return endpoint
        for candidate in self.endpoints():
            if spec.operation_id and candidate.operation_id == spec.operation_id:
                return candidate
        path = urlsplit(spec.url).path or "/"
        return Endpoint(operation_id="", method=spec.method, path=path, section="Ad hoc")

    @Slot(object)
    def on_preflight_send_anyway(self, spec: RequestSpec) -> None:
        self.exchange.send(spec)

    @Slot(object, object)
    def on_preflight_fix(self, action: FixAction, spec: RequestSpec) -> None:
        self.handle_fix(action, spec)

    def handle_fix(self, action: FixAction, spec: RequestSpec | None = None) -> bool:
        """Carry out a one-click fix; True when it was one of the session's."""
        target = spec or self.exchange.retry_spec()  # rebuilt from the current state

        def resend(_result: object = None) -> None:
            if target is not None:
                self._send_checked(target)

        if action is FixAction.REFRESH_TOKEN_AND_RETRY:
            self.controller.refresh_token(resend)
        elif action is FixAction.SET_AUDIENCE_AND_RETRY:
            self.controller.set_partner_audience(resend)
        elif action is FixAction.USE_ENVIRONMENT_TOKEN_SERVER:
            self.controller.use_environment_token_server(resend)
        elif action is FixAction.OPEN_SCOPE_EDITOR:
            self.open_profiles(scopes=True)
        elif action is FixAction.OPEN_PROFILE_EDITOR:
            self.open_profiles()
        elif action in DEMO_SWITCHES:
            self.controller.select_profile(DEMO_SWITCHES[action])
            resend()  # the new profile signs in as the demo user by itself
        elif action is FixAction.RETRY and target is not None:
            resend()  # the API request, even when the last answer came from the token server
        else:
            return False
        return True
