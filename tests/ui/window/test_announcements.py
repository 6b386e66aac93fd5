"""When a response arrives a screen reader hears its status and the explanation's title."""

from __future__ import annotations

import pytest
from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import QLineEdit

__all__ = ["sandbox", "session_window"]


@pytest.fixture
def announcements(monkeypatch) -> list[tuple[object, str, object]]:  # type: ignore[no-untyped-def]
    """Every announcement event the program gives Qt (then passed on to Qt as usual)."""
    heard: list[tuple[object, str, object]] = []
    real = QAccessible.updateAccessibility

    def update(event: QAccessibleEvent) -> None:
        if isinstance(event, QAccessibleAnnouncementEvent):
            heard.append((event.object(), event.message(), event.politeness()))
        real(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))
    return heard


def send(window, qtbot):  # type: ignore[no-untyped-def]
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=15000) as blocker:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_an_error_response_announces_its_status_and_explanation(
    session_window, qtbot, announcements
) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    for action in window.sandbox_menu.fault_actions():
        if "not active" in action.text():
            action.trigger()
            break
    else:
        raise AssertionError("no 'token not active' fault in the Sandbox menu")
    record = send(window, qtbot)
    assert record.status == 401
    title = window.explanation_panel.title.text()
    assert title
    said = [(obj, text, how) for obj, text, how in announcements if text.startswith("401")]
    assert said, announcements
    widget, text, politeness = said[-1]
    assert text == f"{window.response_pane.badge.label.text()}: {title}"
    assert widget is window.response_pane.badge
    assert politeness == QAccessible.AnnouncementPoliteness.Assertive


def test_a_success_is_announced_politely(session_window, qtbot, announcements) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    window.sandbox_menu.select_fault(None)
    record = send(window, qtbot)
    assert record.status == 200
    texts = [
        text
        for _obj, text, how in announcements
        if how != QAccessible.AnnouncementPoliteness.Assertive
    ]
    assert any(text.startswith("200") for text in texts), announcements


def test_validation_problems_on_send_are_announced(session_window, qtbot, announcements) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    window.endpoint_tree.select("searchKeywordsV4")
    panel = window.request_panel
    required = [
        w
        for w in panel.findChildren(QLineEdit)
        if QAccessible.queryAccessibleInterface(w)
        .text(QAccessible.Text.Name)
        .endswith(", required")
    ]
    assert required
    for field in required:  # a person empties each required field
        field.setFocus()
        field.selectAll()
        qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("fail validation" in text for _o, text, _p in announcements))
    text = next(text for _o, text, _p in announcements if "fail validation" in text)
    assert text == panel.fail_bar.label.text()  # the same words the bar shows


def test_the_end_of_a_flow_run_is_announced(session_window, qtbot, announcements) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    dock = window.flows
    window.flows.action.trigger()
    qtbot.waitUntil(dock.isVisible)
    listing = dock.flow_list
    item = next(
        listing.topLevelItem(r)
        for r in range(listing.topLevelItemCount())
        if listing.topLevelItem(r).text(0).startswith("Exact search")
    )
    qtbot.mouseClick(
        listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center()
    )
    with qtbot.waitSignal(dock.run_finished, timeout=60000):
        qtbot.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)
    said = [(obj, text) for obj, text, _how in announcements if text.startswith("Flow finished")]
    assert said == [(dock.run_button, "Flow finished. All 3 steps passed.")]
