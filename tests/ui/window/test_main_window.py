"""The main window driven as a person would: pick, type, send, cancel, restart."""

from __future__ import annotations

import threading

from helpers.servers import local_server, reply
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.settings import SettingsStore
from explorer.paths import AppPaths


def test_tree_lists_sections_and_marks_unverified(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    tree = window.endpoint_tree.tree
    sections = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert sections == ["Categories", "Businesses Search", "On-Demand Orders"]
    orders = tree.topLevelItem(2).child(0)
    assert "unverified" in orders.text(0)


def test_filter_hides_non_matching(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    qtbot.keyClicks(window.endpoint_tree.filter_edit, "search")
    tree = window.endpoint_tree.tree
    assert tree.topLevelItem(0).isHidden()
    assert not tree.topLevelItem(1).isHidden()


def test_send_shows_response_from_real_server(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with local_server(reply(200, b'{"data": [{"categoryID": "1"}]}')) as server:
        window = make_window(server.url)
        window.endpoint_tree.select("getCategoryRecommendationsV4")
        assert window.request_panel.url.text() == server.url + "/api/v4/categories/recommendations"
        with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
            qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    record = blocker.args[0]
    assert record.status == 200
    assert "categoryID" in window.response_pane.body.toPlainText()
    assert window.response_pane.badge.text().startswith("200")
    assert window.request_panel.send_button.isEnabled()


def test_cancel_shows_cancelled_and_drops_late_result(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()

    def slow(spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        release.wait(5)
        return ResponseRecord(request=spec, status=200, body=b"late")

    window = make_window(perform=slow)
    window.request_panel.url.setText("http://127.0.0.1:9/x")
    window.send_current()
    assert window.request_panel.cancel_button.isEnabled()
    with qtbot.waitActive(window):
        window.activateWindow()
    with qtbot.waitSignal(window.exchange.cancelled, timeout=2000):
        qtbot.keyClick(window.request_panel.url, Qt.Key.Key_Escape)
    assert "Cancelled" in window.response_pane.badge.text()
    release.set()
    qtbot.wait(100)  # give a late result the chance to (wrongly) arrive
    assert "late" not in window.response_pane.body.toPlainText()


def test_only_the_newest_result_is_shown(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    gates = [threading.Event(), threading.Event()]
    calls: list[int] = []

    def perform(spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        index = len(calls)
        calls.append(index)
        gates[index].wait(5)
        return ResponseRecord(request=spec, status=200, body=f"result {index}".encode())

    window = make_window(perform=perform)
    window.request_panel.url.setText("http://127.0.0.1:9/x")
    window.send_current()
    window.send_current()
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        gates[1].set()
    gates[0].set()
    qtbot.wait(100)
    assert window.response_pane.body.toPlainText() == "result 1"


def test_geometry_and_splitters_persist(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(790, 520)  # fits the offscreen screen (800 px) with a 200 px endpoint tree
    window.main_splitter.setSizes([210, 300, 500])
    sizes = window.main_splitter.sizes()
    window.close()
    paths = AppPaths.from_environment()
    saved = SettingsStore(paths.settings_file).load()
    assert saved.window_geometry and saved.splitters["main"]
    again = make_window()
    assert again.size().width() == 790
    assert again.main_splitter.sizes() == sizes


def test_shortcuts_follow_conventions(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert window.send_action.shortcut().toString() == "Ctrl+Return"
    assert window.quick_open_action.shortcut().toString() == "Ctrl+K"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.help_action.shortcut().toString() == "F1"


def test_theme_override_changes_palette(make_window) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.settings import ThemeChoice

    window = make_window()
    window.set_theme(ThemeChoice.DARK)
    dark = QApplication.palette().window().color().lightness()
    window.set_theme(ThemeChoice.LIGHT)
    light = QApplication.palette().window().color().lightness()
    assert dark < 80 < light


def test_system_theme_is_followed_unless_overridden(make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.settings import ThemeChoice
    from explorer.ui.style import theme

    window = make_window()
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    window.set_theme(ThemeChoice.SYSTEM)
    assert QApplication.palette().window().color().lightness() < 80
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    window.on_system_color_scheme_changed()
    assert QApplication.palette().window().color().lightness() > 80
    window.set_theme(ThemeChoice.DARK)
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    window.on_system_color_scheme_changed()
    assert QApplication.palette().window().color().lightness() < 80
