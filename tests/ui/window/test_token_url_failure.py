"""A token URL that cannot be resolved: the Timing tab says DNS failed (never "reused
connection"), the explanation names the token URL that failed, and the history lists the
request the user sent with the token failure as its cause and the environment."""

from __future__ import annotations

from helpers.session_window import (
    DEMAND_SECRET,
    ScriptedAsk,
    sandbox,
    sandbox_profile,
    save_profile_with_secret,
    session_window,
)
from helpers.window_session import explanation_text
from PySide6.QtCore import Qt

from explorer.core.environments import custom_environment
from explorer.core.profiles import ProfileStore
from explorer.paths import AppPaths

__all__ = ["sandbox", "session_window"]

BAD_TOKEN_URL = "http://no-such-token-host.invalid/oauth2/token"


def send_with_bad_token_url(session_window, qtbot, sandbox):  # type: ignore[no-untyped-def]
    ProfileStore(AppPaths.from_environment().ensure()).save_environment(
        custom_environment(
            id="typo",
            name="Typo in the token URL",
            api_base=str(sandbox.api_base),
            token_url=BAD_TOKEN_URL,
        )
    )
    save_profile_with_secret(sandbox_profile("Typo demand", environment_id="typo"), DEMAND_SECRET)
    window = session_window(ScriptedAsk(passphrase="correct horse battery staple"))
    with qtbot.waitSignal(window.environment_ready, timeout=10000):
        window.environment_combo.setCurrentIndex(window.environment_combo.findData("typo"))
    assert window.profile_combo.currentText() == "Typo demand"
    window.endpoint_tree.select("searchKeywordsV4")
    history = window.history
    with (
        qtbot.waitSignal(history.service.recorded, timeout=20000),
        qtbot.waitSignal(window.response_shown, timeout=20000) as shown,
    ):
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    record = shown.args[0]
    assert record.failure is not None and record.failure.kind.value == "dns"
    return window


def test_the_timing_tab_says_dns_failed(session_window, qtbot, sandbox) -> None:  # type: ignore[no-untyped-def]
    window = send_with_bad_token_url(session_window, qtbot, sandbox)
    timing = window.response_pane.timing
    assert timing.values["dns_ms"].text().startswith("failed")
    for attr in ("connect_ms", "tls_ms", "send_ms", "wait_ms", "download_ms"):
        assert timing.values[attr].text() == "not reached"
    assert all("reused" not in label.text() for label in timing.values.values())


def test_the_explanation_names_the_token_url(session_window, qtbot, sandbox) -> None:  # type: ignore[no-untyped-def]
    window = send_with_bad_token_url(session_window, qtbot, sandbox)
    said = explanation_text(window)
    assert BAD_TOKEN_URL in said
    assert "base URL" not in said


def test_the_history_lists_the_users_request(session_window, qtbot, sandbox) -> None:  # type: ignore[no-untyped-def]
    window = send_with_bad_token_url(session_window, qtbot, sandbox)
    history = window.history
    history.panel.show()
    qtbot.waitUntil(lambda: history.panel.model.rowCount() > 0, timeout=5000)
    status, what, *_ = history.panel.row_texts(0)
    assert "/oauth2/token" not in what
    assert what.startswith("GET /keywords/search")
    assert "no token" in status + what
    assert "Typo in the token URL" in what
    assert BAD_TOKEN_URL in history.panel.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
