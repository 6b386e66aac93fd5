"""Request tabs in the real window against a real Sandbox on 127.0.0.1: each tab keeps its
own request and answer; tabs open, close, reopen, move, pin and duplicate only when the
user asks; unsent changes and stale answers are marked in words; tabs come back after a
restart, without secrets."""

from __future__ import annotations

import json

from helpers.session_window import ScriptedAsk, controller_of, sandbox, session_window
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit, QTreeWidgetItem

from explorer.core.models import ParamLocation
from explorer.core.secrets import SecretKind
from explorer.core.tabs import TABS_FILE
from explorer.paths import AppPaths
from explorer.ui.window.main_window import MainWindow

__all__ = ["sandbox", "session_window"]

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
HEADER_SECRET = "k-8d1f0c3e9a7b4d2f"
THREE = ("getCategoryRecommendationsV4", "searchKeywordsV4", "searchCategoriesV4")


def tree_point(window: MainWindow, key: str) -> QPoint:
    item: QTreeWidgetItem = window.endpoint_tree._items[key]
    tree = window.endpoint_tree.tree
    tree.scrollToItem(item)
    return tree.visualItemRect(item).center()


def middle_click(window: MainWindow, qtbot, key: str) -> None:  # type: ignore[no-untyped-def]
    viewport = window.endpoint_tree.tree.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.MiddleButton, pos=tree_point(window, key))


def ctrl_click(window: MainWindow, qtbot, key: str) -> None:  # type: ignore[no-untyped-def]
    viewport = window.endpoint_tree.tree.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, CTRL, tree_point(window, key))


def click(window: MainWindow, qtbot, key: str) -> None:  # type: ignore[no-untyped-def]
    viewport = window.endpoint_tree.tree.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=tree_point(window, key))


def send(window: MainWindow, qtbot) -> object:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.response_shown, timeout=15000) as shown:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    # The first request signs the Sandbox's demo user in, which may take the focus away.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return shown.args[0]


def shown_json(window: MainWindow) -> object:
    try:
        return json.loads(window.response_pane.body.toPlainText())
    except ValueError:
        return None


def query_field(window: MainWindow, name: str) -> QLineEdit:
    row = window.request_panel.param_form.row(ParamLocation.QUERY, name)
    assert row is not None
    return row.editor.line  # type: ignore[attr-defined,no-any-return]


def click_tab(window: MainWindow, qtbot, index: int) -> None:  # type: ignore[no-untyped-def]
    strip = window.tabs.strip
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=strip.tabRect(index).center())


def open_three(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    click(window, qtbot, THREE[0])  # into the first tab
    middle_click(window, qtbot, THREE[1])
    ctrl_click(window, qtbot, THREE[2])


def test_three_tabs_from_the_tree_each_keep_their_own_answer(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    open_three(window, qtbot)
    assert window.tabs.strip.count() == 3
    assert [t.endpoint_key for t in window.tabs.tabs] == list(THREE)
    records = {}
    for index, key in enumerate(THREE):
        click_tab(window, qtbot, index)
        assert window.request_panel.endpoint is not None
        assert window.request_panel.endpoint.key == key
        records[key] = send(window, qtbot)
        assert records[key].request.operation_id == key  # type: ignore[attr-defined]
    for index, key in enumerate(THREE):
        click_tab(window, qtbot, index)
        path = window.tabs.current.endpoint.path  # type: ignore[union-attr]
        caption = window.tabs.caption.text()
        assert caption.startswith(f"Answer to GET {path}") and "sent at" in caption
        shown = window.exchange.last_shown
        assert shown is not None and shown.record is records[key]
        assert window.response_pane.badge.label.text().startswith("200")
        expected = json.loads(records[key].body)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda e=expected: shown_json(window) == e)  # type: ignore[misc]
        assert window.endpoint_tree.current_endpoint().key == key  # the tree follows


def test_close_and_reopen_bring_back_inputs_and_answer(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    with qtbot.waitActive(window):
        window.activateWindow()
    open_three(window, qtbot)
    click_tab(window, qtbot, 1)
    record = send(window, qtbot)
    qtbot.keyClick(window.request_panel.url, Qt.Key.Key_W, CTRL)
    assert window.tabs.strip.count() == 2
    assert [t.endpoint_key for t in window.tabs.tabs] == [THREE[0], THREE[2]]
    qtbot.keyClick(window.request_panel.url, Qt.Key.Key_T, CTRL | SHIFT)
    assert window.tabs.strip.count() == 3
    assert window.tabs.index_of(window.tabs.current) == 1
    assert window.request_panel.endpoint.key == THREE[1]  # type: ignore[union-attr]
    assert window.exchange.last_shown is not None
    assert window.exchange.last_shown.record is record
    assert window.tabs.caption.text().startswith("Answer to GET")


def test_tabs_come_back_after_a_restart_without_secrets(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    open_three(window, qtbot)
    click_tab(window, qtbot, 1)
    send(window, qtbot)
    controller = controller_of(window)
    cached = controller.demo_store.get(controller.demo_profile.name, SecretKind.ACCESS_TOKEN)
    token = json.loads(cached or "{}")["access_token"]  # what the answer was signed in with
    window.request_panel.param_form.extra_headers.setPlainText(f"X-Api-Key: {HEADER_SECRET}")
    qtbot.keyClicks(query_field(window, "searchQuery"), "x")
    window.tabs.toggle_pin(2)
    window.close()

    path = AppPaths.from_environment().data / TABS_FILE
    text = path.read_text(encoding="utf-8")
    assert token not in text and HEADER_SECRET not in text
    document = json.loads(text)
    assert [t["endpoint"] for t in document["tabs"]] == [THREE[2], THREE[0], THREE[1]]

    again = session_window(ScriptedAsk())
    tabs = again.tabs
    assert [t.endpoint_key for t in tabs.tabs] == [THREE[2], THREE[0], THREE[1]]
    assert tabs.tabs[0].pinned and "⚑" in tabs.strip.tabText(0)
    assert tabs.current.endpoint_key == THREE[1]
    assert again.request_panel.endpoint.key == THREE[1]  # type: ignore[union-attr]
    shown = again.exchange.last_shown
    assert shown is not None and shown.record.status == 200
    assert again.response_pane.badge.label.text().startswith("200")
    assert again.tabs.current.dirty and again.tabs.current.stale
    assert "Stale" in again.tabs.caption.text()
    assert "unsent changes" in tabs.strip.accessibleTabName(2)


def test_unsent_changes_and_a_stale_answer_are_marked_in_words(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    click(window, qtbot, THREE[1])
    tabs = window.tabs
    assert "•" not in tabs.strip.tabText(0)
    assert "No answer in this tab yet" in tabs.caption.text()
    field = query_field(window, "searchQuery")
    field.clear()
    qtbot.keyClicks(field, "plumb")
    qtbot.waitUntil(lambda: tabs.current.dirty)
    assert tabs.strip.tabText(0).startswith("•")
    assert "unsent changes" in tabs.strip.accessibleTabName(0)
    assert "unsent changes" in tabs.strip.tabToolTip(0)
    send(window, qtbot)
    qtbot.waitUntil(lambda: not tabs.current.dirty)
    assert not tabs.strip.tabText(0).startswith("•")
    assert not tabs.current.stale and "Stale" not in tabs.caption.text()
    qtbot.keyClicks(field, "er")
    qtbot.waitUntil(lambda: tabs.current.stale)
    assert tabs.caption.text().startswith("⚠ Stale")
    assert tabs.caption.property("state") == "stale"
    assert "stale" in tabs.strip.accessibleTabName(0)
    send(window, qtbot)
    qtbot.waitUntil(lambda: not tabs.current.stale)
    assert tabs.caption.text().startswith("Answer to GET")


def test_another_endpoint_in_the_tab_never_shows_the_previous_answer(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    click(window, qtbot, THREE[0])
    send(window, qtbot)
    assert window.response_pane.badge.label.text().startswith("200")
    click(window, qtbot, THREE[1])
    assert window.tabs.strip.count() == 1  # the same tab
    assert window.exchange.last_shown is None
    assert not window.response_pane.badge.label.text().startswith("200")
    assert "No answer in this tab yet" in window.tabs.caption.text()


def test_tab_shortcuts_move_open_and_close(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    with qtbot.waitActive(window):
        window.activateWindow()
    open_three(window, qtbot)
    tabs = window.tabs
    target = window.request_panel.url

    def current() -> int:
        return tabs.index_of(tabs.current)

    assert current() == 2
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Tab, CTRL)
    assert current() == 0  # wraps round
    qtbot.keyClick(target, Qt.Key.Key_PageDown, CTRL)
    assert current() == 1
    qtbot.keyClick(target, Qt.Key.Key_PageUp, CTRL)
    assert current() == 0
    qtbot.keyClick(target, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert current() == 2
    qtbot.keyClick(target, Qt.Key.Key_T, CTRL)  # the tree has no focus: a blank tab
    assert tabs.strip.count() == 4 and tabs.current.is_blank
    assert tabs.strip.tabText(3) == "New tab"
    assert window.endpoint_tree.filter_edit.hasFocus()
    window.endpoint_tree.tree.setFocus()
    window.endpoint_tree.tree.setCurrentItem(window.endpoint_tree._items[THREE[0]])
    assert tabs.current.endpoint_key == THREE[0]  # the blank tab took the pick
    qtbot.keyClick(window.endpoint_tree.tree, Qt.Key.Key_T, CTRL)
    assert tabs.strip.count() == 5 and tabs.current.endpoint_key == THREE[0]
    qtbot.keyClick(target, Qt.Key.Key_W, CTRL)
    assert tabs.strip.count() == 4
    token = window.session_ui.token_action  # type: ignore[union-attr]
    assert token.shortcut().toString() == "Ctrl+Shift+O"
    assert tabs.reopen_action.shortcut().toString() == "Ctrl+Shift+T"


def test_pin_duplicate_and_move_from_the_tab_menu(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    open_three(window, qtbot)
    tabs = window.tabs
    menu = tabs.tab_menu(2)
    [pin] = [a for a in menu.actions() if a.text() == "Pin tab"]
    pin.trigger()
    assert tabs.tabs[0].endpoint_key == THREE[2] and tabs.tabs[0].pinned
    assert tabs.strip.tabText(0).startswith("⚑")
    assert "pinned" in tabs.strip.accessibleTabName(0)
    close_button = tabs.strip.tabButton(0, tabs.strip.ButtonPosition.RightSide)
    assert close_button is None or not close_button.isVisible()
    # A pick in the tree while a pinned tab is shown opens a new tab, and says so.
    tabs.switch_to(tabs.tabs[0])
    click(window, qtbot, THREE[0])
    assert tabs.strip.count() == 4
    assert tabs.tabs[0].endpoint_key == THREE[2]
    assert tabs.current.endpoint_key == THREE[0]
    assert "pinned tab keeps" in window.statusBar().currentMessage()
    # Duplicate: the copy has the inputs, not the answer.
    qtbot.keyClicks(query_field(window, "zipCode"), "77")
    typed = window.request_panel.current_inputs()
    [duplicate] = [
        a for a in tabs.tab_menu(tabs.index_of(tabs.current)).actions() if "Dupl" in a.text()
    ]
    duplicate.trigger()
    assert tabs.strip.count() == 5
    assert window.request_panel.current_inputs() == typed
    assert window.exchange.last_shown is None
    # After a drag, the tab moved is where it was dropped, and it is still the current one.
    copy = tabs.current
    assert tabs.index_of(copy) == 2  # beside its original
    tabs.strip.moveTab(2, 4)
    assert tabs.tabs[4] is copy and tabs.current is copy
    assert tabs.strip.currentIndex() == 4


def test_a_damaged_tabs_file_is_set_aside_with_a_clear_message(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    paths = AppPaths.from_environment().ensure()
    (paths.data / TABS_FILE).write_text('{"version": 1, "tabs": [', encoding="utf-8")
    window = session_window(ScriptedAsk())
    assert window.tabs.strip.count() == 1
    message = window.statusBar().currentMessage()
    assert "open tabs could not be restored" in message and "new tab" in message
    assert list(paths.data.glob(f"{TABS_FILE}.broken-*"))
