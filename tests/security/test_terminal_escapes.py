"""A server's escape sequences never reach a real terminal (a pty) or a pipe as they are:
window title (OSC 0), clipboard write (OSC 52), clear screen (CSI 2J), C1 CSI and
bidirectional overrides are printed escaped, in bodies, headers and error texts."""

from __future__ import annotations

import http.server
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.servers import local_server

from explorer.cli import build_cli

PASSPHRASE = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}
EVIL = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b6n\u202eevil"
DANGEROUS = ("\x1b", "\x07", "\x9b", "\u202e")


def handler(h: http.server.BaseHTTPRequestHandler) -> None:
    if h.path.startswith("/token"):
        body = b'{"access_token":"tok-abcdefgh","token_type":"Bearer","expires_in":3600}'
        status, ctype = 200, "application/json"
    elif "problem" in h.path:
        body = json.dumps({"title": EVIL, "status": 400, "detail": EVIL}).encode()
        status, ctype = 400, "application/problem+json"
    else:
        body = f"body {EVIL} end".encode()
        status, ctype = 200, "text/plain; charset=utf-8"
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("X-Evil", "v\x1b]0;title\x07")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def on_a_pty(args: list[str]) -> str:
    """Run the program with its stdout and stderr on a real terminal; what it wrote."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", *args],
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=secondary,
        env={**os.environ, **PASSPHRASE, "TERM": "xterm-256color"},
        cwd=Path(__file__).parents[2],
    )
    os.close(secondary)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the program closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    process.wait(timeout=60)
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.parametrize("path", ["/api/v4/keywords/search", "/api/v4/problem"])
def test_escape_sequences_are_shown_escaped_on_a_terminal_and_in_a_pipe(path: str) -> None:
    with local_server(handler) as server:
        added = CliRunner().invoke(
            build_cli(lambda o: 0),
            [
                "profile", "add", "evil", "--environment", "evil", "--client-id", "c",
                "--scope", "demand::keywords.read", "--api-base", f"{server.url}/api/",
                "--token-url", f"{server.url}/token", "--secret-stdin", "--secret-store",
                "vault",
            ],
            input="client-secret-1\n",
            env=PASSPHRASE,
        )  # fmt: skip
        assert added.exit_code == 0, added.output
        args = ["call", "GET", path, "-p", "searchQuery=x", "--profile", "evil", "--include"]
        shown = on_a_pty(args)
        piped = subprocess.run(
            [sys.executable, "-m", "explorer", *args],
            capture_output=True,
            env={**os.environ, **PASSPHRASE},
            timeout=60,
        )
    for output in (shown, piped.stdout.decode() + piped.stderr.decode()):
        assert "\\x1b]0;pwned\\x07\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J" in output, output
        assert "\\x1b]0;title\\x07" in output
        for character in DANGEROUS:
            assert character not in output, (repr(character), output)
