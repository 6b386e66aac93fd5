"""Explanations read as sentences: no doubled full stops after a quoted message that ends
its own sentence, for every fault the Sandbox menu offers."""

from __future__ import annotations

import re

import pytest
from helpers.session_window import ScriptedAsk, sandbox, session_window
from helpers.window_session import explanation_text
from PySide6.QtCore import Qt

from explorer.sandbox.faults import FAULTS

__all__ = ["sandbox", "session_window"]

DOUBLED = re.compile(r"(?<!\.)\.\.(?!\.)|[!?]\.")
SLOW = {"latency", "slow-drip"}  # they answer normally, only later


@pytest.mark.parametrize("fault", [f for f in FAULTS if f.name not in SLOW], ids=lambda f: f.name)
def test_no_explanation_ends_in_a_doubled_stop(session_window, qtbot, fault) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    for action in window.sandbox_menu.fault_actions():
        if action.data() == fault.header_value:
            action.trigger()
            break
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=20000):
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    text = explanation_text(window)
    assert text.strip()
    assert not DOUBLED.search(text), text
