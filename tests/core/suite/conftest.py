"""A real Sandbox on 127.0.0.1 and a core Session pointed at it, for the suite engine."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.core.environments import SANDBOX_ID
from explorer.core.sandbox_signin import DEMO_CLIENT_SECRETS
from explorer.core.session import Session
from explorer.paths import AppPaths
from explorer.sandbox.server import SandboxConfig, SandboxServer


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig(auto_approve=True, rate_limit_per_minute=0))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def session(sandbox_server: SandboxServer) -> Iterator[Session]:
    core = Session(AppPaths.from_environment().ensure())
    core.set_sandbox(
        sandbox_server.api_base,
        sandbox_server.authorize_url,
        sandbox_server.token_url,
        DEMO_CLIENT_SECRETS,
    )
    core.environment = core.environment_for(SANDBOX_ID)
    yield core
    core.close()


@pytest.fixture
def write_suite(tmp_path: Path) -> Callable[..., Path]:
    """Write request files (relative name -> document fields) into a new suite folder."""

    def write(steps: dict[str, dict[str, Any]], settings: dict[str, Any] | None = None) -> Path:
        root = tmp_path / "suite"
        for name, fields in steps.items():
            document = {
                "version": 1,
                "name": name.rsplit("/", 1)[-1],
                "method": "GET",
                "headers": [],
                "body": None,
                "body_format": "none",
                **fields,
            }
            if document["body"] is not None:
                document["body_format"] = "json"
            path = root / f"{name}.request.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
        if settings is not None:
            (root / ".suite.json").write_text(json.dumps(settings, indent=2) + "\n")
        return root

    return write
