"""F1 opens the offline help where the user is; Ctrl+/ lists every shortcut of the window."""

from __future__ import annotations

import pytest
from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QWidget

from explorer.core.help_topics import ERRORS_TOPIC, STATUS_TOPIC, rule_anchor, topics
from explorer.ui.help.shortcuts import shortcut_rows

__all__ = ["sandbox", "session_window"]


def send(window, qtbot):  # type: ignore[no-untyped-def]
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=15000) as blocker:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def press(window, qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitActive(window):
        window.activateWindow()
    target = QGuiApplication.focusObject() or window
    qtbot.keyClick(target, key, modifier)


def test_f1_on_the_badge_opens_that_status_in_the_offline_help(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    for action in window.sandbox_menu.fault_actions():
        if "not active" in action.text():
            action.trigger()
            break
    record = send(window, qtbot)
    assert record.status == 401
    badge = window.response_pane.badge
    assert badge.focusPolicy() & Qt.FocusPolicy.TabFocus  # a keyboard user can reach it
    badge.setFocus()
    qtbot.waitUntil(badge.hasFocus)
    qtbot.keyClick(badge, Qt.Key.Key_F1)
    view = window.help.view
    assert view is not None
    qtbot.waitUntil(view.isVisible)
    assert view.current_topic == STATUS_TOPIC
    text = view.shown_text()
    assert "401" in text and "Unauthorized: invalid auth key" in text and "[documented]" in text
    assert window.help_context() == (STATUS_TOPIC, "status-401")

    # F1 in the explanation: its rule's entry
    explanation = window.explanation_panel.explanation
    assert explanation is not None
    focusable = [
        w
        for w in window.explanation_panel.findChildren(QWidget)
        if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    assert focusable
    focusable[0].setFocus()
    qtbot.waitUntil(focusable[0].hasFocus)
    qtbot.keyClick(focusable[0], Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: view.current_topic == ERRORS_TOPIC)
    anchor = rule_anchor(explanation.rule_id)
    assert window.help_context() == (ERRORS_TOPIC, anchor)
    assert f'name="{anchor}"' in view.topics[ERRORS_TOPIC].text


def test_every_help_topic_is_offline_and_the_errors_carry_grade_and_source(qtbot) -> None:  # type: ignore[no-untyped-def]
    from explorer.ui.help.view import HelpView

    view = HelpView(open_url=lambda _url: True)
    qtbot.addWidget(view)
    ids = [t.id for t in topics()]
    assert {"start", "environments", "profiles", "sandbox", "presentation", "flows"} <= set(ids)
    for topic_id in ids:
        assert view.show_topic(topic_id)
        assert len(view.shown_text()) > 200, topic_id
    view.show_topic(ERRORS_TOPIC)
    text = view.shown_text()
    for grade in ("[documented]", "[seen in real traffic]", "[our inference]"):
        assert grade in text
    assert "developers.thumbtack.com" in text
    assert "{" not in text  # placeholders are shown as ‹words›


@pytest.mark.qt_log_ignore("does not support QPlatformServices::openUrl")
def test_a_web_link_opens_the_browser_or_is_copied_without_one(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    # no browser on an offscreen screen: the link is copied and the window says so
    QGuiApplication.clipboard().clear()
    window.help.guide_action.trigger()
    view = window.help.view
    assert view is not None
    qtbot.waitUntil(view.note.isVisible)
    assert "No browser could be opened" in view.note.text()
    assert QGuiApplication.clipboard().text().startswith("https://developers.thumbtack.com/")

    class Browser(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.opened: list[str] = []

        @Slot(QUrl)
        def show(self, url: QUrl) -> None:
            self.opened.append(url.toString())

    browser = Browser()
    QDesktopServices.setUrlHandler("https", browser, "show")
    try:
        view.browser.anchorClicked.emit(QUrl("https://developers.thumbtack.com/docs/x"))
        qtbot.waitUntil(lambda: browser.opened == ["https://developers.thumbtack.com/docs/x"])
        assert view.note.text().startswith("Opened in your browser")
    finally:
        QDesktopServices.unsetUrlHandler("https")


def test_ctrl_slash_lists_every_shortcut_from_the_actions(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    press(window, qtbot, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    sheet = window.help.sheet
    assert sheet is not None
    qtbot.waitUntil(sheet.isVisible)
    shown = sheet.shown_rows()
    native = QKeySequence.SequenceFormat.NativeText
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            if not sequence.isEmpty() and action.text():
                keys = sequence.toString(native)
                assert any(keys in row[0] for row in shown), (keys, action.text())
    where = {row[1]: row[2] for row in shown}
    assert where["History"].startswith("View")
    assert where["Help"] == "Help"
    assert "Find in the response body" in where
    # a shortcut added anywhere appears without a list kept by hand
    extra = QAction("Reticulate splines", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+Shift+R"))
    window.addAction(extra)
    assert any(row.what == "Reticulate splines" for row in shortcut_rows(window))
    qtbot.keyClicks(sheet.filter, "presentation")
    assert all("presentation" in " ".join(row).lower() for row in sheet.shown_rows())
    assert sheet.shown_rows()
