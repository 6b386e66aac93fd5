"""Docks at small and large window sizes: they never squeeze the main panels."""

from __future__ import annotations

from PySide6.QtCore import Qt

from explorer.ui.window.main_window import ENDPOINT_TREE_MIN_WIDTH


def open_dock(window, qtbot, action):  # type: ignore[no-untyped-def]
    action.trigger()
    qtbot.waitUntil(action.isChecked)


def test_small_window_stacks_docks_below_the_panels(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.width() == 900)
    history, saved = window.history, window.saved
    open_dock(window, qtbot, history.action)
    qtbot.waitUntil(history.panel.isVisible)
    assert window.dockWidgetArea(history.panel) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert window.width() == 900  # the window did not grow past the screen's edge
    assert window.endpoint_tree.width() >= ENDPOINT_TREE_MIN_WIDTH
    panel_right = history.panel.mapTo(window, history.panel.rect().topRight()).x()
    assert panel_right <= window.width()
    assert history.panel.settings_button.isVisible()

    open_dock(window, qtbot, saved.view_action)
    qtbot.waitUntil(saved.panel.isVisible)
    assert saved.panel in window.tabifiedDockWidgets(history.panel)
    assert window.width() == 900
    assert window.endpoint_tree.width() >= ENDPOINT_TREE_MIN_WIDTH


def test_wide_window_opens_docks_beside_the_panels_as_tabs(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(1400, 800)
    qtbot.waitUntil(lambda: window.width() == 1400)
    history, saved = window.history, window.saved
    open_dock(window, qtbot, saved.view_action)
    qtbot.waitUntil(saved.panel.isVisible)
    assert window.dockWidgetArea(saved.panel) == Qt.DockWidgetArea.RightDockWidgetArea
    open_dock(window, qtbot, history.action)
    qtbot.waitUntil(history.panel.isVisible)
    assert history.panel in window.tabifiedDockWidgets(saved.panel)
    assert window.width() == 1400
    assert window.endpoint_tree.width() >= ENDPOINT_TREE_MIN_WIDTH
    # closing and reopening places it again, still as a tab
    history.action.trigger()
    qtbot.waitUntil(lambda: not history.panel.isVisible())
    open_dock(window, qtbot, history.action)
    qtbot.waitUntil(history.panel.isVisible)
    assert history.panel in window.tabifiedDockWidgets(saved.panel)
