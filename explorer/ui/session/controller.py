"""The window's session: which environment and profile are current, their tokens, and
sending a request with them.

:class:`SessionController` lives on the GUI thread and owns the :class:`ProfileStore`, the
secret stores (the Sandbox demo secret in memory; the user's secrets in the store they
chose) and one :class:`TokenManager` per profile. Keychain, token and network work runs on
its :class:`TaskRunner`; results come back as signals. :meth:`perform` is the window's
request runner (it runs on a worker thread): it gets or refreshes the token, sends, retries
once on the documented 401 "token is not active", and turns a token that cannot be had into
a :class:`ResponseRecord` the explanation engine can explain.
"""

from __future__ import annotations

import logging
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from explorer.core.auth import (
    AUTH_ERRORS,
    ClientFactory,
    LoginRequired,
    MissingSecret,
    TokenError,
    TokenInfo,
    TokenManager,
    default_client_factory,
    is_token_not_active,
    known_secrets,
)
from explorer.core.environments import (
    PRODUCTION,
    SANDBOX_ID,
    STAGING,
    Environment,
    EnvironmentKind,
    host_of,
    sandbox_environment,
)
from explorer.core.files import DocumentError
from explorer.core.models import (
    Endpoint,
    Explanation,
    FixAction,
    NetworkFailure,
    NetworkFailureKind,
    RequestSpec,
    ResponseRecord,
    Severity,
    StatusClass,
)
from explorer.core.preflight import PreflightWarning, preflight
from explorer.core.profiles import (
    PARTNER_AUDIENCE,
    Profile,
    ProfileStore,
    sandbox_demo_profiles,
)
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.sandbox_signin import (
    DEMO_CLIENT_SECRETS,
    approve_in_sandbox,
    authorize_signing_in,
    signs_in_unattended,
)
from explorer.core.secrets import (
    MemoryStore,
    SecretBackend,
    SecretKind,
    SecretStore,
    WrongPassphrase,
    choose_secret_store,
    forget_profile,
    keyring_status,
    recorded_backend,
    vault_path,
)
from explorer.paths import AppPaths
from explorer.ui.ask import Ask, Question, QuestionKind
from explorer.ui.workers import TaskRunner

log = logging.getLogger(__name__)

#: The Sandbox's published demo client secret (not a real secret), used until the running
#: server tells its own.
DEMO_SECRET = DEMO_CLIENT_SECRETS["sandbox-demand-client"]
MASK = "••••••••"
VAULT_OPTION = "Encrypted vault file (asks for a passphrase)"
MEMORY_OPTION = "Memory only for this run"
_AUTH_FAILURES = {cls.__name__ for cls in AUTH_ERRORS} - {TokenError.__name__}

Done = Callable[[Any], None]


def masked_record(record: ResponseRecord) -> ResponseRecord:
    """``record`` with the bearer token in its request replaced by a mask."""
    headers = tuple(
        (k, f"Bearer {MASK}" if k.lower() == "authorization" else v)
        for k, v in record.request.headers
    )
    return replace(record, request=replace(record.request, headers=headers))


def request_base(environment: Environment) -> str:
    """The base the request builder puts before ``/api/v4/...`` paths."""
    base = environment.api_base.rstrip("/")
    return base[: -len("/api")] if base.endswith("/api") else base


def _message(exc: object) -> str:
    return str(exc) or type(exc).__name__


class SessionController(QObject):
    """Current environment and profile, their tokens, and authenticated sending."""

    environment_changed = Signal(object)  # Environment
    profile_changed = Signal(object)  # Profile | None
    token_changed = Signal(object)  # TokenInfo | None
    token_failed = Signal(str)  # a token action failed: the message names the fix
    profiles_changed = Signal()  # the list of profiles or environments changed
    secret_store_changed = Signal(str)  # the location of the user's secrets
    login_running = Signal(bool)
    sandbox_ready = Signal(str, str, str, object)  # api_base, authorize, token URL, secrets
    _token_ready = Signal(str, object)  # profile name, TokenInfo | None (worker -> GUI)
    #: The current profile's client secret and tokens, so every view can mask them wherever
    #: they appear (emitted from the worker; queued to the GUI thread).
    secrets_seen = Signal(object)  # tuple[str, ...]

    def __init__(
        self,
        paths: AppPaths,
        *,
        ask: Ask,
        profiles: ProfileStore | None = None,
        keyring_backend: Any | None = None,
        client_factory: ClientFactory = default_client_factory,
        open_browser: Callable[[str], Any] = webbrowser.open,
        request_timeout_s: float = 30.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self.ask = ask
        self.profiles = profiles or ProfileStore(paths)
        self.keyring_backend = keyring_backend
        self._client_factory = client_factory
        self._open_browser = open_browser
        self._timeout_s = request_timeout_s
        self.demo_profiles = sandbox_demo_profiles()
        self.demo_profile = self.demo_profiles[0]  # client credentials: the first choice
        self.demo_store = MemoryStore(note="the Sandbox's public demo secrets")
        self._set_demo_secrets(DEMO_CLIENT_SECRETS)
        self.user_store: SecretStore | None = None
        #: True when the user cancelled the vault passphrase during the last ensure_store.
        self.unlock_cancelled = False
        self.environment: Environment = self._sandbox_placeholder()
        self.profile: Profile | None = None
        self.token_info: TokenInfo | None = None
        self.token_error: str = ""
        self.last_spec: RequestSpec | None = None
        self._managers: dict[str, TokenManager] = {}
        self._active: TokenManager | None = None
        self._last_profile: dict[str, str] = {}
        self._login_task: int | None = None
        self._client: Any = None
        self._client_lock = threading.Lock()
        self._engine: Any = None
        self._known: tuple[str, ...] = ()  # the active profile's secrets, as last read
        self._callbacks: dict[int, tuple[Done | None, Done | None]] = {}
        self.tasks = TaskRunner(self, latest_only=False, max_workers=2)
        self.tasks.finished.connect(self._on_task_finished)
        self.tasks.failed.connect(self._on_task_failed)
        self._token_ready.connect(self._on_token_ready)
        self.sandbox_ready.connect(self.on_sandbox_ready)

    # ----- background work -----------------------------------------------------------------
    def run(
        self,
        fn: Callable[[threading.Event], Any],
        on_done: Done | None = None,
        on_error: Done | None = None,
    ) -> int:
        """Run ``fn(cancel)`` on a worker; ``on_done(result)`` / ``on_error(exc)`` run here."""
        task_id = self.tasks.submit(fn)
        self._callbacks[task_id] = (on_done, on_error)
        return task_id

    @Slot(int, object)
    def _on_task_finished(self, task_id: int, result: object) -> None:
        on_done, _ = self._callbacks.pop(task_id, (None, None))
        if on_done is not None:
            on_done(result)

    @Slot(int, object)
    def _on_task_failed(self, task_id: int, exc: object) -> None:
        _, on_error = self._callbacks.pop(task_id, (None, None))
        if on_error is not None:
            on_error(exc)
            return
        self._report(exc)

    def _report(self, exc: object) -> None:
        if not isinstance(exc, Exception):
            raise RuntimeError(str(exc))
        if not isinstance(exc, AUTH_ERRORS) and not isinstance(exc, OSError):
            raise exc
        self.token_error = _message(exc)
        self.token_failed.emit(self.token_error)
        self.token_changed.emit(self.token_info)

    # ----- environments and profiles ------------------------------------------------------
    def _sandbox_placeholder(self) -> Environment:
        return Environment(
            id=SANDBOX_ID,
            name="Sandbox (local)",
            kind=EnvironmentKind.SANDBOX,
            api_base="",
            authorize_url="",
            token_url="",
        )

    def load(self) -> DocumentError | None:
        """Read the profiles file; the problem (if any) names the path and the backup."""
        problem = self.profiles.load()
        self.profiles_changed.emit()
        return problem

    def environments(self) -> list[Environment]:
        """The Sandbox first, then Production, Staging and the custom environments."""
        listed = [e for e in self.profiles.environments() if e.id != SANDBOX_ID]
        return [self.environment_for(SANDBOX_ID), *listed]

    def environment_for(self, env_id: str) -> Environment:
        try:
            return self.profiles.environment(env_id)
        except KeyError:
            if env_id == SANDBOX_ID:
                return self._sandbox_placeholder()
            raise

    def is_demo(self, profile: Profile | None) -> bool:
        """A built-in Sandbox demo profile (by name: its URLs follow the running Sandbox),
        unless the user saved a profile of that name."""
        if profile is None or profile.name not in {p.name for p in self.demo_profiles}:
            return False
        return profile in self.demo_profiles or profile.name not in {
            p.name for p in self.profiles.profiles()
        }

    def profiles_for(self, env_id: str) -> list[Profile]:
        found = [p for p in self.profiles.profiles() if p.environment_id == env_id]
        if env_id == SANDBOX_ID:
            names = {p.name for p in found}
            found[:0] = [p for p in self.demo_profiles if p.name not in names]
        return found

    def all_profiles(self) -> list[Profile]:
        return [*self.demo_profiles, *self.profiles.profiles()]

    def _set_demo_secrets(self, secrets: dict[str, str]) -> None:
        for profile in self.demo_profiles:
            if secrets.get(profile.client_id):
                self.demo_store.set(
                    profile.name, SecretKind.CLIENT_SECRET, secrets[profile.client_id]
                )

    def select_environment(self, env_id: str, profile_name: str | None = None) -> None:
        self.environment = self.environment_for(env_id)
        self.environment_changed.emit(self.environment)
        names = [p.name for p in self.profiles_for(env_id)]
        wanted = profile_name or self._last_profile.get(env_id)
        self.select_profile(wanted if wanted in names else (names[0] if names else None))

    def select_profile(self, name: str | None) -> None:
        found = [p for p in self.profiles_for(self.environment.id) if p.name == name]
        self.profile = found[0] if found else None
        if self.profile is not None:
            self._last_profile[self.environment.id] = self.profile.name
        self._active = self.manager_for(self.profile)
        self.token_info = None
        self.token_error = ""
        self.profile_changed.emit(self.profile)
        self.token_changed.emit(None)
        self.refresh_token_info()

    def store_for(self, profile: Profile | None) -> SecretStore | None:
        if profile is None:
            return None
        return self.demo_store if self.is_demo(profile) else self.user_store

    def manager_for(self, profile: Profile | None) -> TokenManager | None:
        store = self.store_for(profile)
        if profile is None or store is None:
            return None
        try:
            environment = self.environment_for(profile.environment_id)
        except KeyError:
            return None
        manager = self._managers.get(profile.name)
        if (
            manager is None
            or manager.profile != profile
            or manager.environment != environment
            or manager.secret_store is not store
        ):
            manager = TokenManager(
                profile,
                environment,
                store,
                self._client_factory,
                open_browser=(
                    approve_in_sandbox
                    if signs_in_unattended(profile, environment)
                    else self._open_browser
                ),
            )
            self._managers[profile.name] = manager
        return manager

    def _reactivate(self) -> None:
        """Rebuild the current manager after the environment, profile or store changed."""
        if self.profile is not None:
            self.environment = self.environment_for(self.environment.id)
            self._active = self.manager_for(self.profile)
            self.refresh_token_info()

    @Slot(str, str, str, object)
    def on_sandbox_ready(
        self, api_base: str, authorize_url: str, token_url: str, secrets: object
    ) -> None:
        """The embedded Sandbox is serving: its URLs and demo secrets are now known."""
        self.profiles.set_runtime_environment(
            sandbox_environment(api_base, authorize_url=authorize_url, token_url=token_url)
        )
        if isinstance(secrets, dict):
            self._set_demo_secrets(secrets)
        if self.environment.id == SANDBOX_ID:
            self.environment = self.environment_for(SANDBOX_ID)
            self.environment_changed.emit(self.environment)
            self._reactivate()

    def announce_sandbox(self, server: Any) -> None:
        """Called on any thread once the Sandbox server has started."""
        secrets = {
            str(client.client_id): str(client.client_secret)
            for client in getattr(server, "demo_clients", ()) or ()
        }
        api_base = str(server.api_base)
        self.sandbox_ready.emit(
            api_base,
            str(getattr(server, "authorize_url", "") or ""),
            str(getattr(server, "token_url", "") or ""),
            secrets,
        )

    def request_base_for(self, env_id: str) -> str:
        return request_base(self.environment_for(env_id))

    # ----- secrets ------------------------------------------------------------------------
    def ensure_store(self, then: Done, on_cancel: Callable[[], None] | None = None) -> None:
        """Call ``then(store)`` with the user's secret store, asking for a fallback (and a
        vault passphrase) when there is no keychain. Keychain probing runs off this thread."""
        self.unlock_cancelled = False
        if self.user_store is not None:
            then(self.user_store)
            return
        backend = self.keyring_backend

        def probe(_cancel: threading.Event) -> tuple[bool, str, SecretBackend | None, bool]:
            usable, detail = keyring_status(backend)
            return usable, detail, recorded_backend(self.paths), vault_path(self.paths).exists()

        def decided(result: tuple[bool, str, SecretBackend | None, bool]) -> None:
            usable, detail, recorded, vault_exists = result
            if recorded is SecretBackend.KEYRING and not usable:
                recorded = None
            wanted = recorded or (SecretBackend.KEYRING if usable else None)
            if wanted is None:
                index = self.ask(
                    Question(
                        kind=QuestionKind.CHOICE,
                        title="Where should secrets be kept?",
                        text=f"The OS keychain cannot be used: {detail}.\n\nChoose where "
                        "client secrets and tokens are kept. They are never written to a "
                        "plain-text file.",
                        options=(VAULT_OPTION, MEMORY_OPTION),
                    )
                )
                if index is None:
                    if on_cancel is not None:
                        on_cancel()
                    return
                wanted = SecretBackend.VAULT if index == 0 else SecretBackend.MEMORY
            self._open_store(wanted, vault_exists, then, on_cancel)

        self.run(probe, decided)

    def _open_store(
        self,
        wanted: SecretBackend,
        vault_exists: bool,
        then: Done,
        on_cancel: Callable[[], None] | None,
    ) -> None:
        passphrase = ""
        if wanted is SecretBackend.VAULT:
            answer = self.ask(
                Question(
                    kind=QuestionKind.PASSPHRASE,
                    title="Vault passphrase",
                    text=(
                        f"Unlock the encrypted vault {vault_path(self.paths)}:"
                        if vault_exists
                        else f"Choose a passphrase for the new encrypted vault "
                        f"{vault_path(self.paths)}:"
                    ),
                    confirm_twice=not vault_exists,
                )
            )
            if not answer:
                self.unlock_cancelled = True  # the dialog says the vault stays locked
                if on_cancel is not None:
                    on_cancel()
                return
            passphrase = str(answer)
        paths, backend = self.paths, self.keyring_backend

        def open_it(_cancel: threading.Event) -> SecretStore:
            return choose_secret_store(
                paths,
                prefer=wanted,
                ask_passphrase=lambda _creating: passphrase,
                choose_fallback=lambda _reason: wanted,
                keyring_backend=backend,
            )

        def opened(store: SecretStore) -> None:
            self.user_store = store
            self.secret_store_changed.emit(store.location)
            self._reactivate()
            then(store)

        def failed(exc: object) -> None:
            if isinstance(exc, WrongPassphrase):
                self.ask(Question(kind=QuestionKind.WARNING, title="Vault", text=_message(exc)))
                self._open_store(wanted, vault_exists, then, on_cancel)
                return
            self._report(exc)
            if on_cancel is not None:
                on_cancel()

        self.run(open_it, opened, failed)

    def store_location(self, profile: Profile | None) -> str:
        store = self.store_for(profile)
        if store is not None:
            return store.location
        recorded = recorded_backend(self.paths)  # where an earlier run (or the CLI) put them
        if recorded is SecretBackend.VAULT:
            return (
                f"Encrypted vault file {vault_path(self.paths)} (locked: its passphrase is "
                "asked when a secret is needed)"
            )
        if recorded is SecretBackend.KEYRING:
            return "OS keychain"
        return "the OS keychain, or a fallback you choose when you first save a secret"

    # ----- tokens ---------------------------------------------------------------------------
    def refresh_token_info(self) -> None:
        manager = self._active
        if manager is None:
            return
        name = manager.profile.name
        self.run(lambda _c: (name, manager.token_info()), lambda r: self._on_token_ready(*r))

    @Slot(str, object)
    def _on_token_ready(self, name: str, info: object) -> None:
        if self.profile is None or self.profile.name != name:
            return
        self.token_info = info if isinstance(info, TokenInfo) else None
        self.token_error = ""
        self.token_changed.emit(self.token_info)

    def _token_action(self, action: Callable[[TokenManager], Any], then: Done | None) -> None:
        manager = self._active
        if manager is None:
            self.token_failed.emit(self._no_manager_reason())
            return

        def work(_cancel: threading.Event) -> tuple[str, TokenInfo | None]:
            action(manager)
            return manager.profile.name, manager.token_info()

        def done(result: tuple[str, TokenInfo | None]) -> None:
            self._on_token_ready(*result)
            if then is not None:
                then(result[1])

        self.run(work, done)

    def _no_manager_reason(self) -> str:
        if self.profile is None:
            return "Choose a profile first (Manage profiles… in the Profile list)."
        return (
            f"The secrets of '{self.profile.name}' are locked: open the profile editor "
            "and save its client secret, or send a request to unlock the store."
        )

    def get_token(self, then: Done | None = None) -> None:
        self._with_store(lambda: self._token_action(lambda m: m.get_token(), then))

    def refresh_token(self, then: Done | None = None) -> None:
        self._with_store(lambda: self._token_action(lambda m: m.refresh(), then))

    def adopt_token(self, access_token: str, then: Done | None = None) -> None:
        """Keep a token the user pasted as the current profile's access token."""
        self._with_store(lambda: self._token_action(lambda m: m.adopt(access_token), then))

    def forget_token(self, then: Done | None = None) -> None:
        self._with_store(lambda: self._token_action(lambda m: m.forget(), then))

    def _with_store(self, action: Callable[[], None]) -> None:
        if self.profile is not None and self.store_for(self.profile) is None:
            self.ensure_store(lambda _store: action())
            return
        action()

    def login(self) -> None:
        """Authorization code with PKCE in the system browser, on a worker; cancellable."""
        manager = self._active
        if manager is None:
            self._with_store(lambda: self._start_login() if self._active else None)
            return
        self._start_login()

    def _start_login(self) -> None:
        manager = self._active
        assert manager is not None

        def work(cancel: threading.Event) -> tuple[str, TokenInfo | None]:
            manager.login(cancel=cancel)
            return manager.profile.name, manager.token_info()

        def done(result: tuple[str, TokenInfo | None]) -> None:
            self._login_task = None
            self.login_running.emit(False)
            self._on_token_ready(*result)

        def failed(exc: object) -> None:
            self._login_task = None
            self.login_running.emit(False)
            self._report(exc)

        self._login_task = self.run(work, done, failed)
        self.login_running.emit(True)

    def cancel_login(self) -> None:
        if self._login_task is not None:
            self.tasks.cancel(self._login_task)
            self._login_task = None
            self.login_running.emit(False)

    def with_credentials(self, spec: RequestSpec, then: Callable[[RequestSpec], None]) -> None:
        """``spec`` with the current profile's real bearer token in place of its (masked or
        placeholder) Authorization, fetched if needed, on a worker; ``then(spec)`` runs
        here. Only for an explicit, confirmed "copy with secrets"."""
        if spec.header("authorization") is None or self.profile is None:
            then(spec)
            return

        def start() -> None:
            manager = self._active
            if manager is None:
                self.token_failed.emit(self._no_manager_reason())
                return

            def work(cancel: threading.Event) -> RequestSpec:
                real = authorize_signing_in(manager, spec, cancel=cancel).header("authorization")
                headers = tuple(
                    (k, real if k.lower() == "authorization" and real else v)
                    for k, v in spec.headers
                )
                return replace(spec, headers=headers)  # in place: the order as previewed

            self.run(work, then, self._report)

        self._with_store(start)

    # ----- sending (worker thread) ---------------------------------------------------------
    def perform(self, spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        """Authorize and send ``spec``; retry once on 401 "token is not active"."""
        from explorer.core.http import make_client, send

        self.last_spec = spec
        with self._client_lock:
            if self._client is None:
                self._client = make_client(timeout_s=self._timeout_s)
            client = self._client
        manager = self._active
        if manager is None:
            if self.profile is not None:
                return self._auth_failure(spec, MissingSecret(self._no_manager_reason()))
            return send(spec, client=client, cancel=cancel)
        try:
            authorized = authorize_signing_in(manager, spec, cancel=cancel)  # demo: signs in
            record = send(authorized, client=client, cancel=cancel)
            if is_token_not_active(record) and not cancel.is_set():
                manager.refresh()
                record = send(manager.authorize_request(spec), client=client, cancel=cancel)
        except TokenError as exc:
            self._publish(manager)
            outcome = exc.outcome_of(masked_record(ResponseRecord(request=spec)).request)
            return outcome or self._auth_failure(spec, exc)
        except AUTH_ERRORS as exc:
            return self._auth_failure(spec, exc)
        self._publish(manager)
        return masked_record(record)

    def _publish(self, manager: TokenManager) -> None:
        try:
            info = manager.token_info()
        except AUTH_ERRORS:
            info = None
        self._token_ready.emit(manager.profile.name, info)
        known = self._secrets_of(manager)
        self._known = known
        self.secrets_seen.emit(known)

    @staticmethod
    def _secrets_of(manager: TokenManager) -> tuple[str, ...]:
        """The bare client secret and tokens of ``manager``'s profile (see known_secrets)."""
        return known_secrets(manager.secret_store, manager.profile.name)

    @staticmethod
    def _auth_failure(spec: RequestSpec, exc: Exception) -> ResponseRecord:
        failure = NetworkFailure(
            kind=NetworkFailureKind.OTHER,
            exception_type=type(exc).__name__,
            message=_message(exc),
        )
        return ResponseRecord(request=spec, failure=failure)

    def explain(self, record: ResponseRecord) -> Explanation | None:
        """The explanation engine's answer; token set-up problems get their own words."""
        failure = record.failure
        if failure is not None and failure.exception_type in _AUTH_FAILURES:
            login = failure.exception_type == LoginRequired.__name__
            return Explanation(
                rule_id=f"session.{failure.exception_type}",
                status_class=StatusClass.SETUP_ERROR,
                title="Sign-in needed" if login else "No token: the profile is not ready",
                cause=failure.message,
                fix=(
                    ("Use Log in in browser… in the Token panel (View ▸ Token).",)
                    if login
                    else ("Open the profile editor and save the client secret.",)
                ),
                severity=Severity.ERROR,
                actions=(FixAction.OPEN_PROFILE_EDITOR,),
            )
        with self._client_lock:  # runs on request workers: load the rules once
            if self._engine is None:
                self._engine = self._load_engine()
        if self._engine is False:
            return None
        # Redacted first: the explanation quotes the body cut to a few hundred characters,
        # and a token cut in half would escape every later redaction.
        safe = Redactor(RedactionPolicy.for_storage(self._known)).redact_record(record)
        result: Explanation = self._engine.explain(safe)
        return result

    @staticmethod
    def _load_engine() -> Any:
        try:
            from explorer.core.explain import ExplanationEngine

            return ExplanationEngine.from_resources()
        except Exception as exc:  # damaged rules: responses still show, unexplained
            log.error("the explanation rules could not be loaded: %s", exc)
            return False

    # ----- pre-flight and fixes -------------------------------------------------------------
    def preflight_for(self, endpoint: Endpoint) -> list[PreflightWarning]:
        """Warnings for sending ``endpoint`` now (no I/O: uses the cached token info)."""
        if self.profile is None:
            return []
        return preflight(endpoint, self.profile, self.environment, self.token_info)

    def save_changed_profile(self, profile: Profile, then: Done | None = None) -> None:
        """Save ``profile`` (replacing the current one), forget its token, then ``then``."""
        self.profiles.save_profile(profile, previous_name=profile.name)
        self.profiles_changed.emit()
        self.select_environment(profile.environment_id, profile.name)
        self.forget_token(then)

    def set_partner_audience(self, then: Done | None = None) -> None:
        if self.profile is None:
            return
        if self.is_demo(self.profile):
            self.forget_token(then)
            return
        self.save_changed_profile(self.profile.with_changes(audience=PARTNER_AUDIENCE), then)

    def use_environment_token_server(self, then: Done | None = None) -> None:
        """Move the profile to the documented environment matching the API base (the one
        whose token server belongs with it), forget its token, then ``then``."""
        if self.profile is None:
            return
        host = host_of(self.environment.api_base)
        right = None
        if host.endswith("thumbtack.com"):
            right = STAGING if host.startswith("staging") else PRODUCTION
        if right is None or right.id == self.profile.environment_id or self.is_demo(self.profile):
            self.forget_token(then)
            return
        self.save_changed_profile(self.profile.with_changes(environment_id=right.id), then)

    def save_secret(
        self,
        profile: Profile,
        secret: str | None,
        *,
        previous_name: str | None,
        forget_tokens: bool,
        then: Done,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        """Write the client secret (and move or drop tokens) off the GUI thread."""
        name = profile.name

        def write(store: SecretStore) -> None:
            def work(_cancel: threading.Event) -> str:
                if previous_name and previous_name != name:
                    old = store.get(previous_name, SecretKind.CLIENT_SECRET)
                    if old and not secret:
                        store.set(name, SecretKind.CLIENT_SECRET, old)
                    forget_profile(store, previous_name)
                if secret:
                    store.set(name, SecretKind.CLIENT_SECRET, secret)
                if forget_tokens:
                    store.delete(name, SecretKind.ACCESS_TOKEN)
                    store.delete(name, SecretKind.REFRESH_TOKEN)
                return store.location

            def done(location: str) -> None:
                self._reactivate()
                then(location)

            self.run(work, done)

        if not secret and not forget_tokens and not (previous_name and previous_name != name):
            then(self.store_location(profile))
            return
        if self.user_store is None and not secret:
            then(self.store_location(profile))  # nothing stored yet, so nothing to move
            return
        self.ensure_store(write, on_cancel)

    def forget_secrets(self, name: str) -> None:
        store = self.user_store
        self._managers.pop(name, None)
        if store is not None:
            self.run(lambda _c: forget_profile(store, name))

    def shutdown(self) -> None:
        self.cancel_login()
        self.tasks.shutdown()
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None
