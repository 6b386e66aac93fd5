"""Concrete services for the window: catalog, environments, sending, explaining.

Picks implementations and degrades honestly when an optional part is missing.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from explorer.core.http import make_client, send
from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.settings import Settings, SettingsStore
from explorer.paths import AppPaths
from explorer.ui.main_window import WindowServices

log = logging.getLogger(__name__)


def build_services(paths: AppPaths, store: SettingsStore, settings: Settings) -> WindowServices:
    client = make_client(timeout_s=settings.request_timeout_s)
    sandbox: dict[str, Any] = {}
    lock = threading.Lock()

    def perform(spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        return send(spec, client=client, cancel=cancel)

    def start_environment(env_id: str) -> str:
        with lock:
            if "server" not in sandbox:
                from explorer.sandbox.server import SandboxConfig, SandboxServer

                server = SandboxServer(SandboxConfig())
                server.start()
                sandbox["server"] = server
            return str(sandbox["server"].api_base)

    def shutdown() -> None:
        with lock:
            server = sandbox.pop("server", None)
        if server is not None:
            server.stop()
        client.close()

    catalog = _load_catalog()
    return WindowServices(
        settings_store=store,
        settings=settings,
        endpoints=list(catalog.endpoints) if catalog is not None else [],
        catalog=catalog,
        drafts=_draft_store(paths),
        perform=perform,
        start_environment=start_environment,
        shutdown=shutdown,
    )


def _load_catalog() -> Any:
    """The shipped Thumbtack description; None (and a log line) when it cannot be used."""
    from explorer.core.catalog import load_default_catalog
    from explorer.core.openapi_doc import CatalogError

    try:
        return load_default_catalog()
    except CatalogError as exc:
        log.error("the shipped API description could not be loaded: %s", exc)
        return None


def _draft_store(paths: AppPaths) -> Any:
    from explorer.core.drafts import DraftStore

    return DraftStore.for_paths(paths)
