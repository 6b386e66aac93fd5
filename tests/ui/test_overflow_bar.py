"""Narrow windows: the response pane's tool rows and tabs stay whole, and what leaves them
is a click away in their "⋯" menus."""

from __future__ import annotations

import json
from itertools import combinations

import pytest
from helpers.window_session import keep_app_look  # noqa: F401 (a fixture)
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from explorer.core.models import RequestSpec, ResponseRecord, Timing
from explorer.core.status import classify
from explorer.ui.overflow_bar import OverflowBar
from explorer.ui.response.body_view import BodyMode, BodyView
from explorer.ui.response.pane import ResponsePane

BODY = json.dumps({"data": [{"orderID": f"o{i}", "name": f"Pro {i}"} for i in range(3)]})
RECORD = ResponseRecord(
    request=RequestSpec(method="GET", url="https://api.thumbtack.com/api/v4/orders"),
    status=200,
    reason="OK",
    http_version="HTTP/1.1",
    headers=(("Content-Type", "application/json"),),
    body=BODY.encode(),
    timing=Timing(
        dns_ms=1.0,
        connect_ms=2.0,
        tls_ms=3.0,
        send_ms=0.5,
        wait_ms=40.0,
        download_ms=1.5,
        total_ms=48.0,
    ),
)


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def needed_width(widget: QWidget) -> int:
    """Below this a tool is cut: a button's text elided, a text box narrower than its least."""
    if isinstance(widget, QAbstractButton):
        return widget.sizeHint().width()
    return max(widget.minimumWidth(), widget.minimumSizeHint().width())


def check_bar(bar: OverflowBar, pane: QWidget) -> None:
    area = pane.rect()
    collapsed = bar.collapsed_widgets()
    shown = [tool for tool in bar.tools() if tool not in collapsed]
    if collapsed:
        shown.append(bar.more_button)
        assert len(bar.menu_actions()) == len(collapsed)
    else:
        assert bar.more_button.isHidden()
    for tool in shown:
        assert tool.isVisible(), tool.objectName() or tool
        assert area.contains(rect_in(tool, pane)), (tool, rect_in(tool, pane), area)
        assert tool.width() >= needed_width(tool), (tool, tool.width(), needed_width(tool))
    for one, other in combinations(shown, 2):
        assert not rect_in(one, pane).intersects(rect_in(other, pane)), (one, other)


def check_pane(pane: ResponsePane) -> None:
    area = pane.rect()
    bar = pane.tabs.tabBar()
    assert area.contains(rect_in(bar, pane))
    shown_tabs = []
    for index in range(pane.tabs.count()):
        if pane.tabs.isTabVisible(index):
            assert bar.rect().contains(bar.tabRect(index)), pane.tabs.tabText(index)
            shown_tabs.append(bar.tabRect(index).translated(bar.mapTo(pane, QPoint(0, 0))))
        else:
            assert pane.tab_list.isVisible()
    if pane.tab_list.isVisible():
        corner = rect_in(pane.tab_list, pane)
        assert area.contains(corner)
        assert not any(corner.intersects(tab) for tab in shown_tabs)
    for label in pane.badge.findChildren(QLabel):
        if label.isVisible():
            assert area.contains(rect_in(label, pane)), label.text()
    current = pane.tabs.currentWidget()
    if isinstance(current, BodyView):
        check_bar(current.toolbar, pane)


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
@pytest.mark.parametrize("size", [(960, 640), (800, 600)], ids=["960x640", "800x600"])
def test_small_windows_keep_the_response_tools_whole(
    make_window,  # type: ignore[no-untyped-def]
    qtbot,
    keep_app_look,  # noqa: F811
    size: tuple[int, int],
    presentation: bool,
) -> None:
    window = make_window()
    if presentation:
        window.presentation.set_on(True)
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    pane = window.response_pane
    pane.show_record(RECORD, status=classify(RECORD))
    qtbot.waitUntil(lambda: not pane.body_view.loading)
    qtbot.waitUntil(lambda: check_pane(pane))
    # The raw view's row too, reached through the tab list when its tab is not shown.
    raw = pane.tabs.indexOf(pane.raw_view)
    if not pane.tabs.isTabVisible(raw):
        pane.tab_list.open_tab(raw)
    else:
        pane.tabs.setCurrentIndex(raw)
    assert pane.tabs.currentWidget() is pane.raw_view and pane.tabs.isTabVisible(raw)
    qtbot.waitUntil(lambda: check_pane(pane))


# A menu popping up offscreen: the offscreen platform cannot raise it or grab the keyboard.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_the_tools_that_left_the_row_work_from_its_menu(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = BodyView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    view.show_body(BODY.encode(), "application/json", status=200)
    qtbot.waitUntil(lambda: not view.loading)
    bar = view.toolbar
    assert not bar.collapsed_widgets() and bar.more_button.isHidden()

    view.resize(230, 300)
    qtbot.waitUntil(lambda: view.tree_button in bar.collapsed_widgets())
    assert bar.more_button.isVisible() and view.filter_edit.isVisible()
    bar.on_menu_about_to_show()
    tree = next(a for a in bar.menu.actions() if a.text() == "Tree view")
    assert tree.isCheckable() and not tree.isChecked() and tree.isEnabled()
    tree.trigger()
    assert view.mode is BodyMode.TREE and view.tree_button.isChecked()
    bar.on_menu_about_to_show()
    tree = next(a for a in bar.menu.actions() if a.text() == "Tree view")
    assert tree.isChecked()
    tree.trigger()
    assert view.mode is BodyMode.TEXT

    # Narrower still, the filter box leaves too; the menu has a text box that filters.
    view.resize(120, 300)
    qtbot.waitUntil(lambda: view.filter_edit in bar.collapsed_widgets())
    assert bar.more_button.isVisible()
    bar.menu.popup(bar.more_button.mapToGlobal(QPoint(0, bar.more_button.height())))
    qtbot.waitUntil(bar.menu.isVisible)
    stand_in = bar.menu.findChild(QLineEdit, "bodyFilterOverflow")
    assert stand_in is not None and stand_in.isVisible()
    with qtbot.waitSignal(view.filter_applied, timeout=5000) as applied:
        qtbot.keyClicks(stand_in, "$.data[*].name")
        qtbot.keyClick(stand_in, Qt.Key.Key_Return)
    assert applied.args == [3]
    assert view.filter_edit.text() == "$.data[*].name"
    qtbot.waitUntil(lambda: not bar.menu.isVisible())
    qtbot.waitUntil(lambda: not view.loading)
    assert json.loads(view.text()) == ["Pro 0", "Pro 1", "Pro 2"]

    # With "1 of 3" in it the search box needs more room than is left: it waits in the
    # menu too, and Ctrl+F opens the menu with the keyboard in its stand-in.
    qtbot.keyClicks(view.search_edit, "Pro")
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.search_edit in bar.collapsed_widgets())
    view.code.setFocus()
    qtbot.keyClick(view.code, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(bar.menu.isVisible)
    find = bar.menu.findChild(QLineEdit, "bodySearchOverflow")
    assert find is not None and find.hasFocus() and find.text() == "Pro"
    qtbot.keyClicks(find, " 2")
    assert view.search_edit.text() == "Pro 2"
    qtbot.keyClick(find, Qt.Key.Key_Return)
    assert view.code.textCursor().selectedText() == "Pro 2"
    qtbot.waitUntil(lambda: not bar.menu.isVisible())

    view.resize(700, 300)  # wide again: everything back in the row
    qtbot.waitUntil(lambda: not bar.collapsed_widgets())
    assert bar.more_button.isHidden() and view.tree_button.isVisible()


def test_tabs_that_do_not_fit_are_listed_not_cut(qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = ResponsePane()
    qtbot.addWidget(pane)
    pane.resize(700, 400)
    pane.show()
    qtbot.waitUntil(lambda: pane.tab_list.isHidden() and not pane.tab_list.hidden_tabs())
    pane.resize(210, 400)
    qtbot.waitUntil(lambda: bool(pane.tab_list.hidden_tabs()))
    assert pane.tab_list.isVisible()
    request = pane.tabs.indexOf(pane.request)
    assert request in pane.tab_list.hidden_tabs()
    pane.tab_list.on_tab_menu_about_to_show()
    names = [action.text() for action in pane.tab_list.tab_menu.actions()]
    assert names == ["Body", "Headers", "Timing", "Raw", "Request", "Contract"]
    pane.tab_list.tab_menu.actions()[request].trigger()
    assert pane.tabs.currentWidget() is pane.request
    assert request not in pane.tab_list.hidden_tabs()
    qtbot.waitUntil(lambda: check_pane(pane))
    pane.resize(700, 400)
    qtbot.waitUntil(lambda: not pane.tab_list.hidden_tabs())
    assert pane.tab_list.isHidden()


def test_a_narrow_cap_bar_keeps_show_all(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("explorer.ui.response.body_jobs.CAP_CHARS", 40_000)
    big = json.dumps({"data": [{"id": f"b{i}", "name": f"Pro {i}"} for i in range(3000)]})
    view = BodyView()
    qtbot.addWidget(view)
    view.resize(260, 400)
    view.show()
    view.show_body(big.encode(), "application/json", status=200)
    qtbot.waitUntil(lambda: view.capped and not view.loading, timeout=20000)
    row = view.cap_bar.row
    qtbot.waitUntil(lambda: view.cap_bar.copy_button in row.collapsed_widgets())
    assert view.cap_bar.show_all_button.isVisible()
    qtbot.waitUntil(lambda: check_bar(row, view), timeout=3000)  # once the bar has laid out
    copy = next(a for a in row.menu_actions() if a.text() == "Copy all")
    copy.trigger()
    from PySide6.QtWidgets import QApplication

    assert QApplication.clipboard().text() == big
