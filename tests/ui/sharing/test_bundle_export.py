"""Support bundles from the window, and the scripted session: known secrets and customer
data go through the window, and none of them is left anywhere in plain text."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import scripted_session as s
from helpers.window_session import (  # noqa: F401 (keep_app_look is a fixture)
    ScriptedAsk,
    authed_perform,
    keep_app_look,
    send_url,
    set_headers,
    thumbtack_server,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.ui.sharing.bundles import FILTERS

HAR, JSON_MD, MARKDOWN = list(FILTERS)


def test_export_writes_a_har_without_known_secrets(make_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "ticket.har"
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        window.redaction.set_known_secrets(s.KNOWN_SECRETS)
        window.bundles.ask = ScriptedAsk(files=[(target, HAR)])
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1?access_token={s.ACCESS_TOKEN}")
        window.bundles.export_action.trigger()
        qtbot.waitUntil(lambda: window.bundles.last_written == target)
    data = target.read_bytes()
    har = json.loads(data)
    entry = har["log"]["entries"][0]
    assert har["log"]["version"] == "1.2"
    assert entry["response"]["status"] == 200
    assert entry["request"]["url"].startswith(f"{server.url}/api/v4/negotiations/1")
    assert s.leaks(data, s.SECRETS + s.PERSONAL) == []
    assert "masked" in window.statusBar().currentMessage()


def test_export_of_the_history_selection_as_json(make_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "ticket"  # no suffix: the chosen filter decides
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        window.bundles.ask = ScriptedAsk(files=[(target, JSON_MD)])
        window.history.action.trigger()
        send_url(window, qtbot, f"{server.url}/api/v4/status/404")
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1")
        tree = window.history.panel.list
        qtbot.waitUntil(lambda: tree.model().rowCount() == 2)
        rect = tree.visualRect(tree.model().index(1, 0))  # the older 404
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        window.bundles.export_action.trigger()
        written = target.with_suffix(".json")
        qtbot.waitUntil(written.exists)
    document = json.loads(written.read_text())
    assert document["response"]["status"] == 404
    assert document["summary_markdown"].startswith("# GET ")
    assert document["environment"] == "Sandbox"


def test_a_scripted_session_leaves_no_secret_behind(
    make_window, qtbot, tmp_path: Path, qapp: QApplication, explorer_home: Path
) -> None:  # type: ignore[no-untyped-def]
    saved_dir = tmp_path / "saved"
    bundles = [tmp_path / "one.har", tmp_path / "two.json", tmp_path / "three.md"]
    clipboard: list[str] = []
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        window.redaction.set_known_secrets(s.KNOWN_SECRETS)
        window.bundles.ask = window.saved.ask = ScriptedAsk(
            folders=[saved_dir],
            texts=["negotiation", "negotiation"],
            files=[(bundles[0], HAR), (bundles[1], JSON_MD), (bundles[2], MARKDOWN)],
        )
        token_form = (
            f"grant_type=authorization_code&code={s.AUTH_CODE}&code_verifier={s.CODE_VERIFIER}"
            f"&client_id={s.CLIENT_ID}&client_secret={s.CLIENT_SECRET}"
        )
        set_headers(window, "Content-Type: application/x-www-form-urlencoded")
        send_url(window, qtbot, f"{server.url}/oauth2/token", method="POST", body=token_form)
        window.bundles.export_action.trigger()
        qtbot.waitUntil(bundles[0].exists)
        set_headers(window, "")
        send_url(window, qtbot, f"{server.url}/api/v4/expired")
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1?access_token={s.ACCESS_TOKEN}")
        window.bundles.export_action.trigger()
        qtbot.waitUntil(bundles[1].exists)
        window.presentation.action.trigger()
        window.bundles.export_action.trigger()
        qtbot.waitUntil(bundles[2].exists)
        window.saved.save_action.trigger()  # the URL holds a token: refused
        qtbot.waitUntil(lambda: bool(window.bundles.ask.errors))
        assert "the URL looks like it holds a secret" in window.bundles.ask.errors[0]
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1")
        window.saved.save_action.trigger()
        qtbot.waitUntil(lambda: any(saved_dir.glob("*.request.json")))
        for action in (
            window.bundles.copy_curl_action,
            window.bundles.copy_httpx_action,
        ):
            action.trigger()
            clipboard.append(qapp.clipboard().text())
        window.redaction.copy_text(window.response_pane.body.toPlainText())
        clipboard.append(qapp.clipboard().text())
        window.redaction.copy_text(window.response_pane.request.toPlainText())
        clipboard.append(qapp.clipboard().text())
        window.close()

    files = [p for p in explorer_home.rglob("*") if p.is_file()]
    assert any(p.name.startswith("history.sqlite3") for p in files)
    for path in files + list(saved_dir.rglob("*.json")):
        assert s.leaks(path.read_bytes(), s.SECRETS) == [], path
    for bundle in bundles:
        assert s.leaks(bundle.read_bytes(), s.SECRETS + s.PERSONAL) == [], bundle
    for text in clipboard:
        assert text and s.leaks(text.encode(), s.SECRETS + s.PERSONAL) == [], text
