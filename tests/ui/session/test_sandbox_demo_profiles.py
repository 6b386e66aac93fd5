"""The built-in Sandbox customer and pro profiles: a user-context endpoint works with no
set-up. The pre-flight bar offers the right demo profile in one click, and the profile
signs in by itself (authorization code + PKCE through the loopback listener, no browser)."""

from __future__ import annotations

import json

from helpers.session_window import ScriptedAsk, controller_of, sandbox, session_window
from PySide6.QtCore import Qt

from explorer.core.models import FixAction
from explorer.core.profiles import SANDBOX_CUSTOMER_PROFILE, SANDBOX_PRO_PROFILE
from explorer.core.redact import MASK

__all__ = ["sandbox", "session_window"]


def send_with_fix(window, qtbot, operation_id: str, label: str):  # type: ignore[no-untyped-def]
    window.endpoint_tree.select(operation_id)
    qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    bar = window.session_ui.preflight_bar
    qtbot.waitUntil(bar.isVisible)
    assert bar.fix_button.isVisible()
    assert bar.fix_button.text() == label
    with qtbot.waitSignal(window.response_shown, timeout=20000) as blocker:
        qtbot.mouseClick(bar.fix_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_the_profile_list_holds_the_three_sandbox_demo_profiles(session_window) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    combo = window.profile_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names[:3] == ["Sandbox demo", SANDBOX_CUSTOMER_PROFILE, SANDBOX_PRO_PROFILE]
    assert combo.currentText() == "Sandbox demo"


def test_a_pro_endpoint_switches_to_the_demo_pro_and_answers_200(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    ask = ScriptedAsk()
    window = session_window(ask)
    record = send_with_fix(window, qtbot, "getBusinessV4", "Switch to Sandbox demo — pro profile")
    assert record.status == 200, record.body
    body = json.loads(record.body)
    assert body["businessID"] == "468046965846925323"
    assert body["name"] == "Robert's Remodeling"
    assert window.profile_combo.currentText() == SANDBOX_PRO_PROFILE
    assert record.request.header("Authorization") == f"Bearer {MASK}"
    assert ask.asked == []  # no browser, no keychain question, no passphrase
    controller = controller_of(window)
    qtbot.waitUntil(lambda: controller.token_info is not None)
    info = controller.token_info
    assert info is not None
    assert info.claims["gty"] == "authorization_code"  # a real sign-in, not a shortcut
    assert info.has_refresh_token  # offline_access
    assert "supply::businesses.list" in info.scopes
    # The next request reuses the token: no new sign-in, no pre-flight bar.
    window.endpoint_tree.select("listBusinessesV4")
    with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].status == 200
    assert not window.session_ui.preflight_bar.isVisible()


def test_a_customer_endpoint_switches_to_the_demo_customer(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    record = send_with_fix(
        window, qtbot, "getCurrentUserV4", "Switch to Sandbox demo — customer profile"
    )
    assert record.status == 200, record.body
    assert json.loads(record.body)["firstName"] == "Olivia"
    assert window.profile_combo.currentText() == SANDBOX_CUSTOMER_PROFILE


def test_the_demo_pro_offers_the_customer_for_a_demand_endpoint(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    controller_of(window).select_profile(SANDBOX_PRO_PROFILE)
    window.endpoint_tree.select("createRequestV4")
    qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    bar = window.session_ui.preflight_bar
    qtbot.waitUntil(bar.isVisible)
    assert bar.fix == FixAction.USE_SANDBOX_CUSTOMER


def test_the_demo_pro_offers_the_application_for_a_search_endpoint(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """One client per flow: keyword search belongs to the client-credentials client."""
    window = session_window(ScriptedAsk())
    controller_of(window).select_profile(SANDBOX_PRO_PROFILE)
    window.endpoint_tree.select("searchKeywordsV4")
    qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    bar = window.session_ui.preflight_bar
    qtbot.waitUntil(bar.isVisible)
    assert bar.fix == FixAction.USE_SANDBOX_APP
