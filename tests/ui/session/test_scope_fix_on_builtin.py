"""A missing scope on a built-in Sandbox profile (which cannot be edited) offers the fix
that works: switching to the built-in profile that holds the scope, not "Edit scopes…"."""

from __future__ import annotations

from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt

from explorer.core.models import FixAction
from explorer.core.profiles import SANDBOX_PRO_PROFILE

__all__ = ["sandbox", "session_window"]


def test_a_builtin_profile_offers_the_switch(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    combo = window.profile_combo
    combo.setCurrentIndex(combo.findText(SANDBOX_PRO_PROFILE))
    combo.activated.emit(combo.currentIndex())
    window.endpoint_tree.select("searchKeywordsV4")  # demand:: scope, the pro lacks it
    qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    bar = window.session_ui.preflight_bar
    qtbot.waitUntil(bar.isVisible)
    with qtbot.waitSignal(window.response_shown, timeout=20000) as refused:
        qtbot.mouseClick(bar.send_button, Qt.MouseButton.LeftButton)  # Send anyway
    assert refused.args[0].status in (401, 403)
    buttons = window.explanation_panel.buttons
    assert FixAction.OPEN_SCOPE_EDITOR not in buttons
    switch = buttons[FixAction.USE_SANDBOX_APP]
    assert "client credentials" in switch.text()
    with qtbot.waitSignal(window.response_shown, timeout=20000) as fixed:
        qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert window.profile_combo.currentText() == "Sandbox demo"
    assert fixed.args[0].status == 200
