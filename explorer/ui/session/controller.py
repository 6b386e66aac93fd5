"""The window's session: the Qt face of a core :class:`~explorer.core.session.Session`.

The core session keeps which environment and profile are current, the secret stores (the
Sandbox demo secret in memory; the user's secrets in the store they chose), one
:class:`TokenManager` per profile, and sends with them (:meth:`Session.perform`, shared
with the CLI through :func:`~explorer.core.session.send_with_retry`).
:class:`SessionController` lives on the GUI thread and adds only what needs Qt: signals,
the questions it asks the user, and its :class:`TaskRunner` for keychain, token and
network work, whose results come back as signals.
"""

from __future__ import annotations

import logging
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast

from PySide6.QtCore import QObject, Signal, Slot

from explorer.core.auth import (
    AUTH_ERRORS,
    ClientFactory,
    TokenInfo,
    TokenManager,
    default_client_factory,
    is_token_endpoint,
)
from explorer.core.environments import PRODUCTION, STAGING, Environment, host_of
from explorer.core.files import DocumentError
from explorer.core.models import Endpoint, Explanation, RequestSpec, ResponseRecord
from explorer.core.preflight import PreflightWarning
from explorer.core.profiles import PARTNER_AUDIENCE, Profile, ProfileStore
from explorer.core.sandbox_signin import authorize_signing_in
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
from explorer.core.session import Session
from explorer.paths import AppPaths
from explorer.ui.ask import AskFunction, Question, QuestionKind
from explorer.ui.workers import TaskRunner

log = logging.getLogger(__name__)

VAULT_OPTION = "Encrypted vault file (asks for a passphrase)"
MEMORY_OPTION = "Memory only for this run"

Done = Callable[[Any], None]


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
        ask: AskFunction,
        profiles: ProfileStore | None = None,
        keyring_backend: Any | None = None,
        client_factory: ClientFactory = default_client_factory,
        open_browser: Callable[[str], Any] = webbrowser.open,
        request_timeout_s: float = 30.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.core = Session(
            paths,
            profiles=profiles,
            keyring_backend=keyring_backend,
            client_factory=client_factory,
            open_browser=open_browser,
            request_timeout_s=request_timeout_s,
        )
        self.paths = paths
        self.ask = ask
        self.keyring_backend = keyring_backend
        #: True when the user cancelled the vault passphrase during the last ensure_store.
        self.unlock_cancelled = False
        self.token_info: TokenInfo | None = None
        self.token_error: str = ""
        self._login_task: int | None = None
        self.tasks = TaskRunner(self, latest_only=False)
        self.tasks.failed.connect(self._on_task_failed)
        self._token_ready.connect(self._on_token_ready)
        self.sandbox_ready.connect(self.on_sandbox_ready)

    # ----- the core session's state ------------------------------------------------------
    @property
    def profiles(self) -> ProfileStore:
        return self.core.profiles

    @property
    def demo_profiles(self) -> tuple[Profile, ...]:
        return self.core.demo_profiles

    @property
    def demo_profile(self) -> Profile:
        return self.core.demo_profile

    @property
    def demo_store(self) -> MemoryStore:
        return self.core.demo_store

    @property
    def user_store(self) -> SecretStore | None:
        return self.core.user_store

    @user_store.setter
    def user_store(self, store: SecretStore | None) -> None:
        self.core.user_store = store

    @property
    def environment(self) -> Environment:
        return self.core.environment

    @property
    def profile(self) -> Profile | None:
        return self.core.profile

    @property
    def _active(self) -> TokenManager | None:
        return self.core.active

    # ----- background work -----------------------------------------------------------------
    def run(
        self,
        fn: Callable[[threading.Event], Any],
        on_done: Done | None = None,
        on_error: Done | None = None,
    ) -> int:
        """Run ``fn(cancel)`` on a worker; ``on_done(result)`` / ``on_error(exc)`` run here
        (without an ``on_error``, a failure is reported as a token problem)."""
        return self.tasks.run(fn, on_done, on_error)

    @Slot(int, object)
    def _on_task_failed(self, _task_id: int, exc: object) -> None:
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
    def load(self) -> DocumentError | None:
        """Read the profiles file; the problem (if any) names the path and the backup."""
        problem = self.profiles.load()
        self.profiles_changed.emit()
        return problem

    def environments(self) -> list[Environment]:
        """The Sandbox first, then Production, Staging and the custom environments."""
        return self.core.environments()

    def environment_for(self, env_id: str) -> Environment:
        return self.core.environment_for(env_id)

    def is_demo(self, profile: Profile | None) -> bool:
        return self.core.is_demo(profile)

    def profiles_for(self, env_id: str) -> list[Profile]:
        return self.core.profiles_for(env_id)

    def all_profiles(self) -> list[Profile]:
        return self.core.all_profiles()

    def select_environment(self, env_id: str, profile_name: str | None = None) -> None:
        self.core.environment = self.environment_for(env_id)
        self.environment_changed.emit(self.environment)
        self.select_profile(self.core.profile_wanted(env_id, profile_name))

    def select_profile(self, name: str | None) -> None:
        self.core.choose_profile(name)
        self.token_info = None
        self.token_error = ""
        self.profile_changed.emit(self.profile)
        self.token_changed.emit(None)
        self.refresh_token_info()

    def store_for(self, profile: Profile | None) -> SecretStore | None:
        return self.core.store_for(profile)

    def manager_for(self, profile: Profile | None) -> TokenManager | None:
        return self.core.manager_for(profile)

    def _reactivate(self) -> None:
        """Rebuild the current manager after the environment, profile or store changed."""
        if self.core.reactivate():
            self.refresh_token_info()

    @Slot(str, str, str, object)
    def on_sandbox_ready(
        self, api_base: str, authorize_url: str, token_url: str, secrets: object
    ) -> None:
        """The embedded Sandbox is serving: its URLs and demo secrets are now known."""
        demo = cast(dict[str, str], secrets) if isinstance(secrets, dict) else {}
        if self.core.set_sandbox(api_base, authorize_url, token_url, demo):
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

    def auth_base(self) -> str:
        """The current environment's authorization server base (for /oauth2/...)."""
        return self.environment.auth_base

    def request_base_for(self, env_id: str) -> str:
        return self.core.request_base_for(env_id)

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
        return self.core.store_location(profile)

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
        return self.core.no_manager_reason()

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
        token_request = is_token_endpoint(spec.url, self.environment)
        if (spec.header("authorization") is None and not token_request) or self.profile is None:
            then(spec)
            return

        def start() -> None:
            manager = self._active
            if manager is None:
                self.token_failed.emit(self._no_manager_reason())
                return

            def work(cancel: threading.Event) -> RequestSpec:
                if is_token_endpoint(spec.url, manager.environment):
                    return manager.authenticate_client(spec)  # the client's own credentials
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
        """The window's send (on a worker): the core session's, signing the Sandbox demo
        users in and masking the token in the record shown."""
        return self.core.perform(spec, cancel, sign_in=True, mask=True, on_token=self._publish)

    def _publish(self, manager: TokenManager) -> None:
        info, known = self.core.token_state(manager)
        self._token_ready.emit(manager.profile.name, info)
        self.secrets_seen.emit(known)

    def explain(self, record: ResponseRecord) -> Explanation | None:
        """The explanation engine's answer; token set-up problems get their own words."""
        return self.core.explain(record)

    # ----- pre-flight and fixes -------------------------------------------------------------
    def preflight_for(self, endpoint: Endpoint) -> list[PreflightWarning]:
        """Warnings for sending ``endpoint`` now (no I/O: uses the cached token info)."""
        return self.core.preflight_for(endpoint, self.token_info)

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
        kind = profile.auth.secret_kind or SecretKind.CLIENT_SECRET  # password, token, key…

        def write(store: SecretStore) -> None:
            def work(_cancel: threading.Event) -> str:
                if previous_name and previous_name != name:
                    old = store.get(previous_name, kind)
                    if old and not secret:
                        store.set(name, kind, old)
                    forget_profile(store, previous_name)
                if secret:
                    store.set(name, kind, secret)
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
        self.core.forget_manager(name)
        if store is not None:
            self.run(lambda _c: forget_profile(store, name))

    def shutdown(self) -> None:
        self.cancel_login()
        self.tasks.shutdown()
        self.core.close()
