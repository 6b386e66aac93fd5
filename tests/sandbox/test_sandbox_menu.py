"""The window's Sandbox menu: one checkable action per fault, exclusive, with "No fault"."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMainWindow

from explorer.sandbox.faults import faults_by_grade, parse_faults
from explorer.ui.window.sandbox_menu import build_sandbox_menu


def test_an_action_per_fault_and_no_fault_selected_first(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = build_sandbox_menu(window)
    window.menuBar().addMenu(menu)
    actions = menu.fault_actions()
    by_grade = [f.header_value for _grade, faults in faults_by_grade() for f in faults]
    assert [a.data() for a in actions] == by_grade
    assert all(a.isCheckable() for a in actions)
    assert all(parse_faults(a.data()) for a in actions)  # every value is a valid header
    assert menu.selected_fault() is None
    texts = [a.text() for a in menu.actions()]
    assert "No fault" in texts and "Network faults" in texts
    assert {
        "Documented by Thumbtack",
        "Seen in real traffic",
        "Our inference (not confirmed)",
    } <= set(texts)


def test_choosing_a_fault_is_exclusive_and_signalled(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = build_sandbox_menu(window)
    waf, slow = menu.fault_actions()[0], menu.fault_actions()[-1]
    with qtbot.waitSignal(menu.fault_changed) as blocker:
        waf.trigger()
    assert blocker.args == ["waf-challenge"]
    assert menu.selected_fault() == "waf-challenge"
    with qtbot.waitSignal(menu.fault_changed) as blocker:
        slow.trigger()
    assert blocker.args == ["slow-drip=2000"] and not waf.isChecked()
    with qtbot.waitSignal(menu.fault_changed) as blocker:
        menu.select_fault(None)
    assert blocker.args == [None] and menu.selected_fault() is None
    assert "202" in waf.text() and waf.toolTip().startswith("X-Sandbox-Fault: waf-challenge")
