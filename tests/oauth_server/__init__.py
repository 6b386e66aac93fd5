"""Starts the local third-party OAuth 2.0 server (oauth2-mock-server, see server.mjs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class MockOAuthServer:
    """A running server: its URLs and the token requests it has seen."""

    url: str

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    @property
    def authorize_url(self) -> str:
        return f"{self.url}/authorize"

    def log(self) -> list[dict[str, Any]]:
        entries = httpx.get(f"{self.url}/_test/log", timeout=5).json()
        assert isinstance(entries, list)
        return entries


def ensure_installed() -> None:
    """Skip when Node.js is absent; install the pinned packages when they are missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip(
            "Node.js and npm are needed for the local OAuth 2.0 server "
            "(install Node >= 20.19, then run scripts/test-deps.sh)"
        )
    if not (HERE / "node_modules" / "oauth2-mock-server").is_dir():
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            pytest.skip(f"npm ci in {HERE} failed: {done.stderr.strip()[-300:]}")


@contextmanager
def oauth_mock_server(
    *,
    clients: dict[str, str] | None = None,
    token_ttl: int = 3600,
    audience: str = "urn:partner-api",
) -> Iterator[MockOAuthServer]:
    ensure_installed()
    env = {
        **os.environ,
        "CLIENTS": json.dumps(clients or {"test-client": "test-secret"}),
        "TOKEN_TTL": str(token_ttl),
        "AUDIENCE": audience,
    }
    node = shutil.which("node")
    assert node is not None
    proc = subprocess.Popen(
        [node, str(HERE / "server.mjs")],
        cwd=HERE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line: list[str] = []
        reader = threading.Thread(
            target=lambda: line.append(proc.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(30)
        if not line or not line[0].strip():
            proc.kill()
            _, err = proc.communicate(timeout=5)
            raise RuntimeError(f"The OAuth test server did not start: {err.strip()[-500:]}")
        yield MockOAuthServer(url=json.loads(line[0])["url"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
