"""One-click fixes rebuild the request from the current state: after Sandbox ▸ No fault,
"Refresh token and retry", "Set audience … and retry" and "Retry" send a clean request
(the old X-Sandbox-Fault is never replayed) and get the real answer."""

from __future__ import annotations

import pytest
from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from explorer.core.models import FixAction

__all__ = ["sandbox", "session_window"]


def pick(window, title_part: str) -> None:  # type: ignore[no-untyped-def]
    actions: list[QAction] = [a for a in window.sandbox_menu.actions() if not a.isSeparator()]
    for action in actions:
        if title_part in action.text():
            action.trigger()  # what a click on the menu item does
            return
    raise AssertionError(f"no Sandbox menu item like {title_part!r}")


@pytest.mark.parametrize(
    ("fault_title", "status", "fix"),
    [
        ("not active", 401, FixAction.REFRESH_TOKEN_AND_RETRY),
        ("audience", 502, FixAction.SET_AUDIENCE_AND_RETRY),
        ("WAF", 202, FixAction.RETRY),
    ],
)
def test_the_fix_after_no_fault_sends_a_clean_request(  # type: ignore[no-untyped-def]
    session_window, qtbot, fault_title, status, fix
) -> None:
    window = session_window(ScriptedAsk())
    window.endpoint_tree.select("searchKeywordsV4")
    pick(window, fault_title)
    with qtbot.waitSignal(window.response_shown, timeout=15000) as first:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    assert first.args[0].status == status
    pick(window, "No fault")  # the explanation's advice
    button = window.explanation_panel.buttons[fix]
    with qtbot.waitSignal(window.response_shown, timeout=15000) as second:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    record = second.args[0]
    assert record.request.header("X-Sandbox-Fault") is None
    assert record.status == 200
    assert window.response_pane.badge.label.text().startswith("200")


def test_a_fault_chosen_after_the_answer_is_sent_by_retry(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    window.endpoint_tree.select("searchKeywordsV4")
    pick(window, "WAF")
    with qtbot.waitSignal(window.response_shown, timeout=15000):
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    pick(window, "not active")  # the current fault setting, not the one of the old answer
    with qtbot.waitSignal(window.response_shown, timeout=15000) as again:
        retry = window.explanation_panel.buttons[FixAction.RETRY]
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert again.args[0].request.header("X-Sandbox-Fault") == "token-expired"
    assert again.args[0].status == 401
