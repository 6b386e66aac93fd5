"""The badge and the explanation come from one classification: a missing scope is not
badged "blocked IP or User-Agent", and a broken 200 body is not a green "200 OK"."""

from __future__ import annotations

import pytest
from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt

from explorer.core.models import StatusClass

__all__ = ["sandbox", "session_window"]


def pick(window, title_part: str) -> None:  # type: ignore[no-untyped-def]
    for action in window.sandbox_menu.actions():
        if not action.isSeparator() and title_part in action.text():
            action.trigger()
            return
    raise AssertionError(title_part)


def send_keywords(window, qtbot):  # type: ignore[no-untyped-def]
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=15000) as shown:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return shown.args[0]


def test_a_missing_scope_is_badged_as_the_explanation_says(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    pick(window, "Missing scope")
    record = send_keywords(window, qtbot)
    title = window.explanation_panel.title.text()
    badge = window.response_pane.badge
    said = badge.text()
    assert str(record.status) in said
    assert "scope" in title.lower()
    assert "scope" in said.lower(), said
    assert "blocked ip" not in said.lower()
    assert badge.property("statusClass") == window.explanation_panel.explanation.status_class


@pytest.mark.parametrize("fault", ["Truncated body", "Malformed body"])
def test_a_broken_body_is_not_badged_ok(session_window, qtbot, fault) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    pick(window, fault)
    record = send_keywords(window, qtbot)
    assert record.status == 200
    badge = window.response_pane.badge
    said = badge.text()
    assert "200 OK" not in said and "not usable" in said, said
    assert "not valid JSON" in said
    assert badge.property("statusClass") != StatusClass.SUCCESS.value
