"""Concrete services for the window: catalog, environments, sending, explaining.

Picks implementations and degrades honestly when an optional part is missing. Sending goes
through the :class:`~explorer.ui.session.controller.SessionController`, which adds the
current profile's token; the environments come from the profile store.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from explorer.core.environments import SANDBOX_ID
from explorer.core.settings import Settings, SettingsStore
from explorer.paths import AppPaths
from explorer.ui.ask import DialogAsk
from explorer.ui.session.controller import SessionController
from explorer.ui.window.main_window import WindowServices

log = logging.getLogger(__name__)


def build_services(paths: AppPaths, store: SettingsStore, settings: Settings) -> WindowServices:
    session = SessionController(
        paths, ask=DialogAsk(), request_timeout_s=settings.request_timeout_s
    )
    sandbox: dict[str, Any] = {}
    lock = threading.Lock()

    def start_environment(env_id: str) -> str:
        if env_id != SANDBOX_ID:
            return session.request_base_for(env_id)
        with lock:
            if "server" not in sandbox:
                from explorer.sandbox.server import SandboxConfig, SandboxServer

                server = _start_sandbox(SandboxServer, SandboxConfig)
                sandbox["server"] = server
                session.announce_sandbox(server)
            return str(sandbox["server"].api_base)

    def speaks_thumbtack(env_id: str) -> bool:
        try:
            return session.environment_for(env_id).speaks_thumbtack
        except KeyError:
            return False

    def add_environments(environments: list[Any]) -> None:
        for environment in environments:
            session.profiles.set_runtime_environment(environment)

    def shutdown() -> None:
        session.shutdown()
        with lock:
            server = sandbox.pop("server", None)
        if server is not None:
            server.stop()

    return WindowServices(
        settings_store=store,
        settings=settings,
        drafts=_draft_store(paths),
        perform=session.perform,
        explain=session.explain,  # on the request worker; the rules load at first use
        start_environment=start_environment,
        speaks_thumbtack=speaks_thumbtack,
        add_environments=add_environments,
        environments=[(e.id, e.name) for e in session.environments()],
        session=session,
        shutdown=shutdown,
    )


#: The window's Sandbox listens here when it can, so saved and history URLs stay valid
#: between runs; when the port is taken (another window), any free port is used.
PREFERRED_SANDBOX_PORT = 48400


def _start_sandbox(server_cls: Any, config_cls: Any) -> Any:
    from explorer.sandbox.server import SandboxError

    try:
        server = server_cls(config_cls(port=PREFERRED_SANDBOX_PORT))
        server.start()
    except (SandboxError, OSError):
        server = server_cls(config_cls())
        server.start()
    return server


def _draft_store(paths: AppPaths) -> Any:
    from explorer.core.drafts import DraftStore

    return DraftStore.for_paths(paths)
