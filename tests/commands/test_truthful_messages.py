"""Messages that say what really happened: a header the user typed, a body cut short, a
token server's 200 that holds no token, a full disk, a reset settings file, a timeout.
Real servers on 127.0.0.1."""

from __future__ import annotations

import http.server
import os
import socket
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.servers import LocalServer, local_server

from explorer.cli import build_cli
from explorer.core.history import describe_database_error

ENV = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}
SEARCH = ["call", "GET", "/api/v4/keywords/search", "-p", "searchQuery=x", "--profile", "t"]


def run(args: list[str], input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args, input=input, env=ENV)


def add_profile(server: LocalServer) -> None:
    result = run(
        [
            "profile", "add", "t", "--environment", "local", "--client-id", "c",
            "--scope", "demand::keywords.read", "--api-base", f"{server.url}/api/",
            "--token-url", f"{server.url}/token", "--secret-stdin", "--secret-store", "vault",
        ],
        input="the-client-secret\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def serving(token: bytes, api=None):  # type: ignore[no-untyped-def]
    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        if api is not None and not h.path.startswith("/token"):
            api(h)
            return
        body = token if h.path.startswith("/token") else b'{"ok": true}'
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return local_server(handle)


GOOD_TOKEN = b'{"access_token":"tok-abcdefgh","token_type":"Bearer","expires_in":3600}'


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("X-Note: a\r\nInjected: 1", "its value has a line break (CR/LF)"),
        ("X-Note: café ☕", "its value holds 'é' (U+00E9)"),
    ],
)
def test_a_header_value_http_cannot_carry_is_named_and_not_sent(header: str, words: str) -> None:
    with serving(GOOD_TOKEN) as server:
        add_profile(server)
        result = run([*SEARCH, "-H", header])
    assert result.exit_code == 1
    assert "Invalid header 'X-Note'" in result.output and words in result.output
    assert "A header of the request is not valid" in result.output
    assert "http versus https" not in result.output and "base URL" not in result.output
    assert not [r for r in server.requests if r[1].startswith("/api/")]  # nothing sent


def test_a_body_cut_short_says_the_connection_closed_mid_body() -> None:
    def short(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", "100")
        h.end_headers()
        h.wfile.write(b'{"data": [')
        h.wfile.flush()
        h.connection.shutdown(socket.SHUT_RDWR)

    with serving(GOOD_TOKEN, short) as server:
        add_profile(server)
        result = run(SEARCH)
    assert "the connection was closed mid-way" in result.output, result.output
    assert "not valid HTTP" not in result.output and "http versus https" not in result.output


@pytest.mark.parametrize(
    ("token", "words"),
    [
        (b'[{"access_token": "x"}]', "it is JSON, but a list instead of an object"),
        (b'{"access_token":"abcdefgh","expires_in":"soon"}', 'its expires_in is "soon"'),
        (b'{"token_type":"Bearer","expires_in":3600}', "without an access_token"),
    ],
)
def test_a_token_servers_200_without_a_token_is_not_called_a_success(
    token: bytes, words: str
) -> None:
    with serving(token) as server:
        add_profile(server)
        result = run(SEARCH)
    assert result.exit_code == 1
    assert words in result.output, result.output
    assert "the API was not called" in result.output
    for misleading in ("invalid literal", "request succeeded", "Rule: http-success"):
        assert misleading not in result.output


def test_a_reset_settings_file_still_finds_the_secret_in_the_vault(explorer_home: Path) -> None:
    with serving(GOOD_TOKEN) as server:
        add_profile(server)
    (explorer_home / "config" / "settings.json").unlink()
    shown = run(["profile", "show", "t"])
    assert shown.exit_code == 0, shown.output
    assert "client_secret: stored" in shown.output
    assert "Encrypted vault file" in shown.output and "Memory only" not in shown.output


def test_a_full_disk_is_called_a_full_disk(tmp_path: Path) -> None:
    path = tmp_path / "full.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA max_page_count = 8")  # a disk with room for eight pages
    conn.execute("CREATE TABLE t (x BLOB)")
    with pytest.raises(sqlite3.DatabaseError) as raised:
        for _ in range(100):
            conn.execute("INSERT INTO t VALUES (?)", (os.urandom(4096),))
    conn.close()
    words = describe_database_error(raised.value, path, "written")
    assert "the disk is full" in words and "Free some space" in words
    assert "disk I/O error" not in words


def test_a_read_timeout_advises_the_timeout_option_call_has() -> None:
    from explorer.core.explain import ExplanationEngine
    from explorer.core.models import (
        NetworkFailure,
        NetworkFailureKind,
        RequestSpec,
        ResponseRecord,
    )

    failure = NetworkFailure(
        kind=NetworkFailureKind.READ_TIMEOUT, exception_type="ReadTimeout", message="timed out"
    )
    record = ResponseRecord(
        request=RequestSpec(method="GET", url="https://api.thumbtack.com/api/v4/x"),
        failure=failure,
    )
    explanation = ExplanationEngine.from_resources().explain(record)
    assert any("call --timeout" in step for step in explanation.fix)
    assert "--timeout" in run(["call", "--help"]).output
