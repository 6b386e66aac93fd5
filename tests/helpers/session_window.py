"""The real main window with a real SessionController against a real Sandbox on 127.0.0.1.

Questions the window would ask in a dialog go to :class:`ScriptedAsk`, which answers from a
script and records what was asked. The keychain is forced to be missing (keyring's "fail"
backend), as on a headless machine.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from keyring.backends import fail

from explorer.core.models import Endpoint
from explorer.core.profiles import Profile, ProfileStore
from explorer.core.secrets import (
    SecretBackend,
    SecretKind,
    VaultStore,
    record_backend,
    vault_path,
)
from explorer.core.settings import SettingsStore
from explorer.paths import AppPaths
from explorer.sandbox.server import SandboxConfig, SandboxServer
from explorer.ui.ask import Question, QuestionKind
from explorer.ui.session.controller import SessionController
from explorer.ui.window.main_window import MainWindow, WindowServices

DEMAND_ID = "sandbox-demand-client"
DEMAND_SECRET = "sandbox-demand-secret"
PASSPHRASE = "correct horse battery staple"


class ScriptedAsk:
    """Answers questions from ``answers`` (by kind; a list is used up in order)."""

    def __init__(self, **answers: Any) -> None:
        self.answers: dict[str, Any] = answers
        self.asked: list[Question] = []

    def __call__(self, question: Question) -> Any:
        self.asked.append(question)
        answer = self.answers.get(question.kind.value)
        if isinstance(answer, list):
            return answer.pop(0) if answer else None
        if answer is None and question.kind is QuestionKind.CONFIRM:
            return False
        return answer

    def kinds(self) -> list[QuestionKind]:
        return [q.kind for q in self.asked]


@functools.cache
def catalog_endpoints() -> tuple[Endpoint, ...]:
    from explorer.core.catalog import load_default_catalog

    return tuple(load_default_catalog().endpoints)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig())
    server.start()
    yield server
    server.stop()


def save_profile_with_secret(profile: Profile, secret: str) -> None:
    """A profile in the profiles file and its secret in the encrypted vault, as a
    previous run would have left them."""
    paths = AppPaths.from_environment().ensure()
    ProfileStore(paths).save_profile(profile)
    VaultStore(vault_path(paths), PASSPHRASE, scrypt_log2_n=12).set(
        profile.name, SecretKind.CLIENT_SECRET, secret
    )
    record_backend(paths, SecretBackend.VAULT)


def sandbox_profile(name: str = "My demand", **changes: Any) -> Profile:
    return Profile(
        name=name,
        environment_id="sandbox",
        client_id=DEMAND_ID,
        scopes=("demand::keywords.read", "demand::categories.read"),
    ).with_changes(**changes)


@pytest.fixture
def session_window(qtbot, sandbox: SandboxServer) -> Callable[..., MainWindow]:  # type: ignore[no-untyped-def]
    def factory(ask: ScriptedAsk | None = None, **overrides: Any) -> MainWindow:
        paths = AppPaths.from_environment().ensure()
        store = SettingsStore(paths.settings_file)
        controller = SessionController(
            paths, ask=ask or ScriptedAsk(), keyring_backend=fail.Keyring(), **overrides
        )

        def start(env_id: str) -> str:
            if env_id == "sandbox":
                controller.announce_sandbox(sandbox)
                return str(sandbox.api_base)
            return controller.request_base_for(env_id)

        services = WindowServices(
            settings_store=store,
            settings=store.load(),
            endpoints=list(catalog_endpoints()),
            perform=controller.perform,
            explain=controller.explain,
            start_environment=start,
            environments=[(e.id, e.name) for e in controller.environments()],
            session=controller,
            shutdown=controller.shutdown,
        )
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.environment_ready, timeout=5000):
            window.start_environment()
        return window

    return factory


def controller_of(window: MainWindow) -> SessionController:
    controller = window.services.session
    assert isinstance(controller, SessionController)
    return controller
