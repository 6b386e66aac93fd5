"""The secret scan: a scripted command-line and window session against a server that
quotes every request back (a debug proxy), then every file written, every line printed
and every clipboard copy is searched for a unique canary client secret and the access
token, in all their encodings. Every location must hold 0 occurrences.

Run with ``-s`` to see the occurrences per location.
"""

from __future__ import annotations

import base64
import http.server
import json
import uuid
from pathlib import Path
from urllib.parse import quote, quote_plus

from click.testing import CliRunner
from helpers.servers import LocalServer, local_server
from helpers.session_window import PASSPHRASE, ScriptedAsk, sandbox, session_window
from helpers.window_session import ScriptedAsk as WindowAsk
from PySide6.QtCore import Qt

from explorer.cli import build_cli

__all__ = ["sandbox", "session_window"]

RUN = uuid.uuid4().hex[:12]
CANARY = f"canary-{RUN}-Zq8/+&=?x%41ü"
TOKEN = f"at-{RUN}-opaque-token-value"
CLIENT_ID = "scan-client"
ENV = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": PASSPHRASE, "SCAN_SECRET": CANARY}


def encodings(secret: str) -> dict[str, str]:
    """The forms in which a server or a file may hold ``secret``."""
    forms = {
        "raw": secret,
        "url": quote(secret, safe=""),
        "form": quote_plus(secret),
        "json": json.dumps(secret)[1:-1],
        "json-unicode": json.dumps(secret, ensure_ascii=False)[1:-1],
    }
    for charset in ("utf-8", "latin-1"):
        try:
            raw = f"{CLIENT_ID}:{secret}".encode(charset)
        except UnicodeEncodeError:
            continue
        basic = base64.b64encode(raw).decode()
        forms[f"basic-{charset}"] = basic
        forms[f"basic-{charset}-core"] = basic[16:-4]  # inside any longer base64
    return {name: value for name, value in forms.items() if value}


NEEDLES = {
    f"{what}/{form}": value.encode("utf-8")
    for what, secret in (("client secret", CANARY), ("access token", TOKEN))
    for form, value in encodings(secret).items()
}


def debug_server(box: list[LocalServer]):  # type: ignore[no-untyped-def]
    """A token server and API that quote the whole request back in every answer."""

    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        _method, path, headers, body = box[0].requests[-1]
        quoted = {"path": path, "headers": headers, "body": body.decode("latin-1")}
        auth = headers.get("Authorization", "")
        status = 200
        if path.startswith("/token"):
            refused = "bad-" in json.dumps(quoted)
            answer = (
                {"error": "invalid_client", "error_description": f"rejected {quoted}"}
                if refused
                else {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}
            )
            status = 401 if refused else 200
        elif "problem" in path:
            answer = {"title": "Bad", "status": 400, "detail": f"you sent {quoted}"}
            status = 400
        else:
            answer = {"echo": quoted, "note": f"auth was {auth}"}
        payload = json.dumps(answer).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("X-Echo-Authorization", auth.encode("latin-1", "replace").decode("latin-1"))
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    return handle


def cli(outputs: dict[str, bytes], label: str, *args: str) -> None:
    result = CliRunner().invoke(build_cli(lambda _o: 0), list(args), env=ENV)
    outputs[f"cli {label} stdout"] = result.stdout.encode()
    outputs[f"cli {label} stderr"] = result.stderr.encode()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output


def occurrences(locations: dict[str, bytes]) -> dict[str, int]:
    return {
        where: sum(data.count(needle) for needle in NEEDLES.values())
        for where, data in locations.items()
    }


def test_no_location_holds_the_canary_secret_or_token_in_any_encoding(  # type: ignore[no-untyped-def]
    session_window, qtbot, qapp, explorer_home: Path, tmp_path: Path
) -> None:
    box: list[LocalServer] = []
    outputs: dict[str, bytes] = {}
    clipboard: dict[str, bytes] = {}
    with local_server(debug_server(box)) as server:
        box.append(server)
        # -- the command line ---------------------------------------------------------
        for name, client, method in (
            ("scan", CLIENT_ID, "basic"),
            ("scan-post", CLIENT_ID, "post"),
            ("scan-bad", f"bad-{CLIENT_ID}", "post"),
        ):
            cli(
                outputs, f"profile add {name}",
                "profile", "add", name, "--environment", "debug", "--client-id", client,
                "--scope", "demand::keywords.read", "--auth-method", method,
                "--api-base", f"{server.url}/api/", "--token-url", f"{server.url}/token",
                "--secret-env", "SCAN_SECRET", "--secret-store", "vault",
            )  # fmt: skip
        cli(outputs, "login", "profile", "login", "scan", "--secret-store", "vault")
        cli(outputs, "login refused", "profile", "login", "scan-bad", "--secret-store", "vault")
        search = ["GET", "/api/v4/keywords/search", "-p", "searchQuery=x"]
        for name in ("scan", "scan-post", "scan-bad"):
            cli(outputs, f"call {name}", "call", *search, "--profile", name, "--include")
            cli(outputs, f"call {name} json", "call", *search, "--profile", name, "--json")
        cli(outputs, "call problem", "call", "GET", "/api/v4/problem", "--profile", "scan")
        cli(outputs, "call redact", "call", *search, "--profile", "scan", "--redact")
        cli(outputs, "profile show", "profile", "show", "scan", "--secret-store", "vault")
        cli(outputs, "profile list", "profile", "list", "--json")
        cli(outputs, "history list", "history", "list", "--json")
        for entry in json.loads(outputs["cli history list stdout"] or b"[]"):
            cli(outputs, f"history show {entry['id']}", "history", "show", str(entry["id"]))
        bundle = tmp_path / "exports" / "cli-bundle.har"
        bundle.parent.mkdir()
        cli(outputs, "history export", "history", "export", "1", "-o", str(bundle))

        # -- the window -----------------------------------------------------------------
        sent_before = len(server.requests)
        window = session_window(ScriptedAsk(passphrase=PASSPHRASE))
        with qtbot.waitSignal(window.environment_ready, timeout=10000):
            window.environment_combo.setCurrentIndex(window.environment_combo.findText("debug"))
        qtbot.waitUntil(lambda: window.profile_combo.findText("scan") >= 0, timeout=5000)
        window.profile_combo.setCurrentIndex(window.profile_combo.findText("scan"))
        window.endpoint_tree.select("searchKeywordsV4")
        window.request_panel.url.setText(window.request_panel.url.text() + "?searchQuery=x")
        with qtbot.waitSignal(window.response_shown, timeout=15000) as shown:
            qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
        assert shown.args[0].status == 200 and b"auth was Bearer" in shown.args[0].body
        assert [r[1] for r in server.requests[sent_before:]][-1].startswith("/api/v4/keywords")
        for kind in ("curl", "httpx"):
            qapp.clipboard().setText("")
            window.bundles.copy_as(kind)
            clipboard[f"clipboard copy as {kind}"] = qapp.clipboard().text().encode()
        qapp.clipboard().setText("")
        window.response_pane.body_view.copy_all()
        clipboard["clipboard response body"] = qapp.clipboard().text().encode()
        window_bundle = tmp_path / "exports" / "window-bundle.json"
        window.bundles.ask = WindowAsk(files=[(window_bundle, "JSON (*.json)")])
        window.bundles.export_selected()
        qtbot.waitUntil(lambda: window.bundles.last_written is not None, timeout=10000)
        outputs["window status bar"] = window.statusBar().currentMessage().encode()
        window.close()

    files = {
        f"file {path.relative_to(tmp_path)}": path.read_bytes()
        for path in sorted(tmp_path.rglob("*"))
        if path.is_file()
    }
    assert any("vault.bin" in name for name in files) and len(files) >= 5
    assert b"auth was Bearer" in outputs["cli call scan stdout"]  # the echo did happen
    counts = occurrences({**files, **outputs, **clipboard})
    print(f"\nsecret scan: {len(NEEDLES)} needles in {len(counts)} locations")
    for where, count in counts.items():
        print(f"  {count:3d}  {where}")
    assert {where: n for where, n in counts.items() if n} == {}
