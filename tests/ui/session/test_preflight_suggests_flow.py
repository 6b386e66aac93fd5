"""The pre-flight bar suggests the built-in profile whose flow the endpoint documents: the
client-credentials one for a catalog call, never the signed-in customer."""

from __future__ import annotations

from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt

from explorer.core.profiles import SANDBOX_CUSTOMER_PROFILE, SANDBOX_PRO_PROFILE

__all__ = ["sandbox", "session_window"]


def choose_profile(window, name: str) -> None:  # type: ignore[no-untyped-def]
    combo = window.profile_combo
    index = combo.findText(name)
    assert index >= 0, name
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what picking it in the list does


def test_a_client_credentials_endpoint_suggests_the_application_profile(  # type: ignore[no-untyped-def]
    session_window, qtbot
) -> None:
    window = session_window(ScriptedAsk())
    choose_profile(window, SANDBOX_PRO_PROFILE)
    window.endpoint_tree.select("getCategoryRecommendationsV4")  # client credentials
    qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    bar = window.session_ui.preflight_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    said = bar.message.text()
    fix = bar.fix_button
    assert fix.isVisible()
    assert "customer" not in fix.text().lower()
    assert "client credentials" in fix.text().lower()
    assert SANDBOX_CUSTOMER_PROFILE not in said and "Sandbox demo" in said
    with qtbot.waitSignal(window.response_shown, timeout=15000) as shown:
        qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
    assert window.profile_combo.currentText() == "Sandbox demo"
    assert shown.args[0].status == 200
