"""The "Python with OAuth done right" copy, run for real: against the Sandbox's OAuth
server and API, and against a local server that answers the documented 401 "token is not
active" once, to see the one retry with a new token and the audience on every token
request."""

from __future__ import annotations

import base64
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from explorer.core.codegen import OAuthScript, generate
from explorer.core.models import RequestSpec
from explorer.core.sandbox_signin import DEMO_CLIENT_SECRETS
from explorer.sandbox.server import SandboxConfig, SandboxServer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


def _run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "thumbtack_call.py"
    script.write_text(code, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("THUMBTACK_")}
    return subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=60,
    )


def test_the_script_gets_a_token_from_the_sandbox_and_calls_the_api(tmp_path: Path) -> None:
    server = SandboxServer(SandboxConfig())
    server.start()
    try:
        spec = RequestSpec(
            method="GET",
            url=f"{server.api_base}/api/v4/keywords/search?searchQuery=plumb&limit=3",
            headers=(("Accept", "application/json"), ("Authorization", "Bearer old-token-1")),
        )
        code = generate(
            "python-oauth",
            spec,
            oauth=OAuthScript(token_url=server.token_url, scopes=("demand::keywords.read",)),
        )
        assert "old-token-1" not in code
        done = _run(
            code,
            tmp_path,
            THUMBTACK_CLIENT_ID="sandbox-demand-client",
            THUMBTACK_CLIENT_SECRET=DEMO_CLIENT_SECRETS["sandbox-demand-client"],
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "200 OK", done.stdout


@contextmanager
def _api_that_expires_the_first_token() -> Iterator[dict[str, list]]:  # type: ignore[type-arg]
    seen: dict[str, list] = {"token": [], "api": []}  # type: ignore[type-arg]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _reply(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            seen["token"].append((self.headers.get("Authorization"), form))
            number = len(seen["token"])
            self._reply(
                200,
                {
                    "access_token": f"token-{number}",
                    "token_type": "bearer",
                    "expires_in": 3600,
                    "refresh_token": f"refresh-{number + 1}",
                },
            )

        def do_GET(self) -> None:
            auth = self.headers.get("Authorization")
            seen["api"].append(auth)
            if auth == "Bearer token-1":
                self._reply(
                    401, {"message": "invalid token. failure reason(s): [token is not active]"}
                )
            else:
                self._reply(200, {"ok": True})

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    seen["url"] = [f"http://127.0.0.1:{server.server_address[1]}"]
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def test_token_is_not_active_gets_a_new_token_and_one_retry(tmp_path: Path) -> None:
    with _api_that_expires_the_first_token() as seen:
        base = seen["url"][0]
        code = generate(
            "python-oauth",
            RequestSpec(method="GET", url=f"{base}/api/v4/users/self"),
            oauth=OAuthScript(token_url=f"{base}/oauth2/token"),
        )
        done = _run(code, tmp_path, THUMBTACK_CLIENT_ID="id-1", THUMBTACK_CLIENT_SECRET="pw-1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("200")
    assert seen["api"] == ["Bearer token-1", "Bearer token-2"]
    assert len(seen["token"]) == 2
    for auth, form in seen["token"]:
        assert auth == "Basic " + base64.b64encode(b"id-1:pw-1").decode()
        assert form["grant_type"] == ["client_credentials"]
        assert form["audience"] == ["urn:partner-api"]


def test_a_refresh_token_is_used_with_the_audience_and_the_rotated_one_kept(
    tmp_path: Path,
) -> None:
    kept = tmp_path / "refresh-token"
    with _api_that_expires_the_first_token() as seen:
        base = seen["url"][0]
        code = generate(
            "python-oauth",
            RequestSpec(method="GET", url=f"{base}/api/v4/users/self"),
            oauth=OAuthScript(token_url=f"{base}/oauth2/token"),
        )
        done = _run(
            code,
            tmp_path,
            THUMBTACK_CLIENT_ID="id-1",
            THUMBTACK_CLIENT_SECRET="pw-1",
            THUMBTACK_REFRESH_TOKEN="refresh-1",
            THUMBTACK_REFRESH_TOKEN_FILE=str(kept),
        )
    assert done.returncode == 0, done.stderr
    grants = [form for _auth, form in seen["token"]]
    assert grants[0]["grant_type"] == ["refresh_token"]
    assert grants[0]["refresh_token"] == ["refresh-1"]
    assert grants[1]["refresh_token"] == ["refresh-2"]  # the rotated one, after the 401
    assert all(form["audience"] == ["urn:partner-api"] for form in grants)
    assert kept.read_text().strip() == "refresh-3"
    assert "refresh-" not in done.stdout + done.stderr
