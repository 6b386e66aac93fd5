"""Pre-flight checks before Send: an inline bar holds the request back, names the fix, and
sends only when the user chooses."""

from __future__ import annotations

import json

from helpers.session_window import (
    DEMAND_SECRET,
    PASSPHRASE,
    ScriptedAsk,
    controller_of,
    sandbox,
    sandbox_profile,
    save_profile_with_secret,
    session_window,
)
from PySide6.QtCore import Qt

from explorer.core.profiles import SANDBOX_PRO_PROFILE

__all__ = ["sandbox", "session_window"]


def test_supply_endpoint_with_a_demand_profile_waits_for_send_anyway(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    shown: list[object] = []
    window.response_shown.connect(shown.append)
    window.endpoint_tree.select("listBusinessNegotiationsV4")
    window.request_panel.url.setText(window.request_panel.url.text().replace("{businessID}", "b-1"))
    qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    bar = window.session_ui.preflight_bar
    assert bar.isVisible()
    text = bar.message.text()
    assert "supply::negotiations.read" in text
    assert "authorization code" in text
    assert not window.exchange.busy and shown == []  # nothing sent yet
    with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
        qtbot.mouseClick(bar.send_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    assert blocker.args[0].status in (401, 403)


def test_dont_send_drops_the_request(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    window.endpoint_tree.select("listBusinessNegotiationsV4")
    qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    bar = window.session_ui.preflight_bar
    assert bar.isVisible()
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible() and bar.spec is None
    assert not window.exchange.busy


def test_the_fix_button_sets_the_audience_and_sends(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    save_profile_with_secret(sandbox_profile(audience="api://mine"), DEMAND_SECRET)
    window = session_window(ScriptedAsk(passphrase=PASSPHRASE))
    controller = controller_of(window)
    controller.select_profile("My demand")
    window.endpoint_tree.select("searchKeywordsV4")
    window.request_panel.url.setText(window.request_panel.url.text() + "?searchQuery=car")
    qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    bar = window.session_ui.preflight_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)  # after the vault is unlocked
    assert "api://mine" in bar.message.text()
    assert bar.fix_button.text() == "Set audience to urn:partner-api and retry"
    with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
        qtbot.mouseClick(bar.fix_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].status == 200
    assert json.loads(controller.profiles.path.read_text())["profiles"][0]["audience"] == (
        "urn:partner-api"
    )


def test_mixed_environment_moves_the_profile_to_the_matching_token_server(  # type: ignore[no-untyped-def]
    session_window, qtbot
) -> None:
    from explorer.core.environments import custom_environment
    from explorer.core.models import Endpoint
    from explorer.core.preflight import PreflightCode
    from explorer.core.profiles import ProfileStore
    from explorer.paths import AppPaths

    profiles = ProfileStore(AppPaths.from_environment().ensure())
    profiles.save_environment(
        custom_environment(
            id="mixed",
            name="Mixed up",
            api_base="https://api.thumbtack.com/api/",
            token_url="https://staging-auth.thumbtack.com/oauth2/token",
        )
    )
    profiles.save_profile(sandbox_profile("Prod demand", environment_id="mixed"))
    window = session_window(ScriptedAsk(choice=1))
    controller = controller_of(window)
    index = window.environment_combo.findData("mixed")
    window.environment_combo.setCurrentIndex(index)
    assert window.profile_combo.currentText() == "Prod demand"
    endpoint = Endpoint(operation_id="x", method="GET", path="/api/v4/x", section="s")
    codes = [w.code for w in controller.preflight_for(endpoint)]
    assert PreflightCode.ENVIRONMENT_MISMATCH in codes
    done: list[object] = []
    controller.use_environment_token_server(done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert controller.profiles.get("Prod demand").environment_id == "production"
    assert window.environment_combo.currentData() == "production"
    assert controller.preflight_for(endpoint) == []
    qtbot.waitUntil(lambda: window.base_url == "https://api.thumbtack.com", timeout=5000)


def test_readiness_line_says_what_the_pre_flight_check_knows(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    panel = window.request_panel
    window.endpoint_tree.select("listBusinessNegotiationsV4")  # supply::, demand client profile
    text = panel.problem_count.text()
    assert text.startswith("⚠ Will probably fail:")
    assert "see the bar when you send" in text
    assert panel.problem_count.property("note") == "warning"
    assert "authorization code" in panel.problem_count.toolTip()  # the whole message
    assert not window.exchange.busy  # the check sent nothing

    window.endpoint_tree.select("searchKeywordsV4")  # the demand profile fits this one
    assert panel.problem_count.text() == "✔ Ready to send"

    window.endpoint_tree.select("listBusinessNegotiationsV4")
    controller_of(window).select_profile(SANDBOX_PRO_PROFILE)  # a pro signs in: it fits now
    qtbot.waitUntil(lambda: not panel.problem_count.text().startswith("⚠"))
