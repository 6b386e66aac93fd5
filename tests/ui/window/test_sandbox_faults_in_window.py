"""The Sandbox menu reproduces documented errors from the window, with the right badge,
explanation and one-click fix."""

from __future__ import annotations

import pytest
from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt

from explorer.core.models import FixAction, StatusClass

__all__ = ["sandbox", "session_window"]


def pick_fault(window, title_part: str) -> None:  # type: ignore[no-untyped-def]
    for action in window.sandbox_menu.fault_actions():
        if title_part in action.text():
            action.trigger()  # what a click on the menu item does
            return
    raise AssertionError(f"no Sandbox fault titled like {title_part!r}")


def send_keywords(window, qtbot):  # type: ignore[no-untyped-def]
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=15000) as blocker:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


@pytest.mark.parametrize(
    "case",
    [
        ("WAF", 202, StatusClass.CHALLENGE, None),
        ("ate limited", 429, StatusClass.RATE_LIMITED, FixAction.RETRY),
        ("with Retry-After", 429, StatusClass.RATE_LIMITED, FixAction.RETRY_AFTER),
        ("Missing scope", 401, StatusClass.AUTH_ERROR, FixAction.OPEN_SCOPE_EDITOR),
        ("audience", 502, StatusClass.SETUP_ERROR, FixAction.SET_AUDIENCE_AND_RETRY),
        ("not active", 401, StatusClass.AUTH_ERROR, FixAction.REFRESH_TOKEN_AND_RETRY),
        ("anction", 451, StatusClass.LEGAL, None),
    ],
)
def test_each_documented_fault_shows_badge_and_explanation(session_window, qtbot, case) -> None:  # type: ignore[no-untyped-def]
    fault_title, status, status_class, action = case
    window = session_window(ScriptedAsk())
    pick_fault(window, fault_title)
    assert window.fault_label.isVisible()
    record = send_keywords(window, qtbot)
    assert record.status == status
    assert record.request.header("X-Sandbox-Fault")
    badge = window.response_pane.badge
    assert str(status) in badge.label.text()
    assert badge.property("statusClass") == status_class.value
    title = window.explanation_panel.title.text()
    assert title and "No explanation" not in title
    if action is not None:
        assert action in window.explanation_panel.buttons


def test_no_fault_sends_clean_requests(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    pick_fault(window, "WAF")
    window.sandbox_menu.select_fault(None)
    assert not window.fault_label.isVisible()
    record = send_keywords(window, qtbot)
    assert record.status == 200
    assert record.request.header("X-Sandbox-Fault") is None


def test_an_injected_fault_is_marked_in_the_explanation(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    pick_fault(window, "audience")
    record = send_keywords(window, qtbot)
    assert record.status == 502
    detail = record.body.decode()
    assert "'https://api.partner.example'" in detail and "urn:partner-api" not in detail
    note = window.explanation_panel.sandbox_note
    assert note.isVisible()
    assert "injected by the Sandbox (X-Sandbox-Fault: proxy-oauth-failed)" in note.text()
    assert "No fault" in note.text()
    window.sandbox_menu.select_fault(None)
    assert send_keywords(window, qtbot).status == 200
    assert not note.isVisible()
