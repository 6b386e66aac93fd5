"""The tree's Token endpoint (POST /oauth2/token) works: it goes to the environment's
authorization server with the profile's client authentication (masked in every view),
and the form says so."""

from __future__ import annotations

import json

from helpers.session_window import ScriptedAsk, sandbox, session_window
from helpers.window_session import shown_text
from PySide6.QtCore import Qt

from explorer.core.redact import MASK
from explorer.core.sandbox_signin import DEMO_CLIENT_SECRETS

__all__ = ["sandbox", "session_window"]


def test_the_token_endpoint_succeeds_on_a_clean_sandbox(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    window.endpoint_tree.select("getTokenV4")
    panel = window.request_panel
    note = panel.server_note
    assert note.isVisible()
    assert "authorization server" in note.text() and "client authentication" in note.text()
    assert f"Authorization: Basic {MASK}" in panel.preview.toPlainText()
    with qtbot.waitSignal(window.response_shown, timeout=15000) as shown:
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    record = shown.args[0]
    assert record.status == 200, record.body
    assert "access_token" in json.loads(record.body)
    assert window.response_pane.badge.label.text().startswith("200")
    secret = DEMO_CLIENT_SECRETS["sandbox-demand-client"]
    assert secret not in shown_text(window)
    assert f"Basic {MASK}" in window.response_pane.request.toPlainText()


def test_on_staging_the_token_endpoint_goes_to_the_auth_server(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    combo = window.environment_combo
    with qtbot.waitSignal(window.environment_ready, timeout=10000):
        combo.setCurrentIndex(combo.findData("staging"))
    window.endpoint_tree.select("getTokenV4")
    assert window.request_panel.url.text() == "https://staging-auth.thumbtack.com/oauth2/token"
    assert "staging-auth.thumbtack.com" in window.request_panel.server_note.text()
    window.endpoint_tree.select("searchKeywordsV4")
    assert window.request_panel.url.text().startswith("https://staging-api.thumbtack.com/")
    assert not window.request_panel.server_note.isVisible()
