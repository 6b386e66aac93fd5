"""What the command line prints is safe: no known secret in any encoding, no control
character from a server, no raw binary body. Real servers on 127.0.0.1."""

from __future__ import annotations

import base64
import http.server
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from click.testing import CliRunner
from helpers.servers import LocalServer, local_server

from explorer.cli import build_cli
from explorer.commands.output import escape_controls

VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}
CANARY = 'canary-Zq8/+&=?x%41"ü-secret'
CLIENT_ID = "client-7"


def all_encodings(secret: str, client_id: str = CLIENT_ID) -> dict[str, str]:
    """The forms a server may quote a client secret in."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    basic_form = base64.b64encode(f"{client_id}:{quote_plus(secret)}".encode()).decode()
    basic_latin1 = base64.b64encode(f"{client_id}:{secret}".encode("latin-1")).decode()
    return {
        "raw": secret,
        "url": quote(secret, safe=""),
        "form": quote_plus(secret),
        "json": json.dumps(secret)[1:-1],
        "json-ascii": json.dumps(secret, ensure_ascii=True)[1:-1],
        "basic": basic,
        "basic-form": basic_form,
        "basic-latin-1": basic_latin1,
        # the middle of the base64, which no alignment changes
        "basic-core": basic[8:-4],
    }


def run(args: list[str], input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args, input=input, env=VAULT)


def add_profile(server: LocalServer, auth_method: str = "basic", name: str = "echo") -> None:
    result = run(
        [
            "profile", "add", name, "--environment", f"env-{name}", "--client-id", CLIENT_ID,
            "--scope", "demand::keywords.read", "--auth-method", auth_method,
            "--api-base", f"{server.url}/api/", "--token-url", f"{server.url}/token",
            "--secret-stdin", "--secret-store", "vault",
        ],
        input=CANARY + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def quoting_token_server(server: list[LocalServer]):  # type: ignore[no-untyped-def]
    """A token server (a debug proxy) whose error quotes the whole request."""

    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        _method, _path, headers, body = server[0].requests[-1]
        quoted = "; ".join(f"{k}: {v}" for k, v in headers.items()) + " body: " + body.decode()
        credentials = headers.get("Authorization", "").rpartition(" ")[2]
        quoted += f" credentials {credentials} decoded {base64.b64decode(credentials or '')!r}"
        payload = json.dumps(
            {"error": "invalid_client", "error_description": f"rejected request {quoted}"}
        ).encode()
        h.send_response(401)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    return handle


@pytest.mark.parametrize("auth_method", ["basic", "post"])
def test_profile_login_masks_the_secret_a_token_server_quotes(auth_method: str) -> None:
    box: list[LocalServer] = []
    with local_server(quoting_token_server(box)) as server:
        box.append(server)
        add_profile(server, auth_method)
        result = run(["profile", "login", "echo", "--secret-store", "vault"])
    assert result.exit_code == 1
    assert "rejected request" in result.output  # the server's words are still shown
    for form, value in all_encodings(CANARY).items():
        assert value not in result.output, form
        assert value not in result.stderr, form


def test_escape_controls_writes_every_control_character_as_an_escape() -> None:
    text = "a\x1b]0;owned\x07b\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202eevil\r\nok\tend\rX"
    shown = escape_controls(text)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "\u202e" not in shown
    assert shown.startswith("a\\x1b]0;owned\\x07b\\x1b]52;")
    assert "\\x9b31m\\u202eevil\r\nok\tend\\x0dX" in shown


CALL = ["call", "GET", "/api/v4/keywords/search", "-p", "searchQuery=x", "--profile", "echo"]
EVIL = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J"


def serve(api: Callable[[http.server.BaseHTTPRequestHandler], None]):  # type: ignore[no-untyped-def]
    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        if h.path.startswith("/token"):
            body = b'{"access_token":"tok-abcdefgh","token_type":"Bearer","expires_in":3600}'
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return
        api(h)

    return local_server(handle)


def evil_api(h: http.server.BaseHTTPRequestHandler) -> None:
    body = f"plain text {EVIL} end".encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.send_header("X-Note", "hi\x1b]0;title\x07")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def binary_api(h: http.server.BaseHTTPRequestHandler) -> None:
    body = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    h.send_response(200)
    h.send_header("Content-Type", "image/png")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def test_call_prints_a_servers_escape_sequences_escaped() -> None:
    with serve(evil_api) as server:
        add_profile(server)
        result = run([*CALL, "--include"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "plain text \\x1b]0;pwned\\x07" in result.output
    assert "\\x1b]0;title\\x07" in result.output


def test_call_summarises_a_binary_body() -> None:
    with serve(binary_api) as server:
        add_profile(server)
        result = run(CALL)
        as_json = run([*CALL, "--json"])
    assert "[image: 1.0 KB (1040 bytes), image/png; first bytes 89 50 4e 47 0d 0a" in result.output
    assert "\x00" not in result.output and "\x1a" not in result.output
    assert "first bytes 89 50 4e 47" in json.loads(as_json.stdout)["body_summary"]


def test_call_output_writes_the_exact_bytes_to_a_file_only_the_user_can_read(
    tmp_path: Path,
) -> None:
    target = tmp_path / "body.png"
    with serve(binary_api) as server:
        add_profile(server)
        result = run([*CALL, "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert target.stat().st_mode & 0o777 == 0o600
