"""The History dock against a real local server: list, search, re-open, resend, prune,
and a damaged database reported with the place it was set aside."""

from __future__ import annotations

import threading

from helpers import scripted_session as s
from helpers.window_session import authed_perform, send_url, thumbtack_server
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from explorer.core.history import DEFAULT_MAX_ENTRIES, HISTORY_FILE, HistoryStore
from explorer.paths import AppPaths
from explorer.ui.history.panel import parse_query, short_path


def rows(window) -> list[str]:  # type: ignore[no-untyped-def]
    panel = window.history.panel
    shown = (panel.row_texts(i) for i in range(panel.model.rowCount()))
    return [f"{cells[0].strip()} {cells[1]}" for cells in shown]


def open_history(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    action = window.history.action
    assert action.shortcut() == QKeySequence("Ctrl+H")
    action.trigger()
    qtbot.waitUntil(window.history.panel.isVisible)


def send_three(window, qtbot, server) -> None:  # type: ignore[no-untyped-def]
    send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1")
    send_url(window, qtbot, f"{server.url}/api/v4/status/404")
    send_url(window, qtbot, f"{server.url}/api/v4/status/500")


def test_exchanges_are_listed_and_searchable(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        open_history(window, qtbot)
        send_three(window, qtbot, server)
        qtbot.waitUntil(lambda: len(rows(window)) == 3)
        assert rows(window) == [
            "500 GET /status/500",
            "404 GET /status/404",
            "200 GET /negotiations/1",
        ]
        panel = window.history.panel
        qtbot.keyClicks(panel.search, "4xx")
        qtbot.waitUntil(lambda: rows(window) == ["404 GET /status/404"])
        panel.search.clear()
        qtbot.keyClicks(panel.search, "/negotiations")
        qtbot.waitUntil(lambda: rows(window) == ["200 GET /negotiations/1"])
        panel.search.clear()
        qtbot.keyClicks(panel.search, "Junk Removal")  # text inside a response body
        qtbot.waitUntil(lambda: rows(window) == ["200 GET /negotiations/1"])
        panel.search.clear()
        qtbot.keyClicks(panel.search, "nothing-like-this")
        qtbot.waitUntil(lambda: rows(window) == [])
        assert panel.empty.isVisible() and "Nothing matches" in panel.empty.text()


def test_writes_happen_off_the_gui_thread_and_hold_no_token(
    make_window, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    threads: list[threading.Thread] = []
    original = HistoryStore.add

    def spy(self, record, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return original(self, record, **kwargs)

    monkeypatch.setattr(HistoryStore, "add", spy)
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1")
    assert threads and all(t is not threading.main_thread() for t in threads)
    window.close()
    data = AppPaths.from_environment().data
    for path in data.glob(HISTORY_FILE + "*"):
        assert s.ACCESS_TOKEN.encode() not in path.read_bytes()


def test_double_click_reopens_and_resend_sends_again(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        open_history(window, qtbot)
        send_three(window, qtbot, server)
        qtbot.waitUntil(lambda: len(rows(window)) == 3)
        tree = window.history.panel.list
        rect = tree.visualRect(tree.model().index(1, 0))  # the 404
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        with qtbot.waitSignal(window.response_shown, timeout=5000):
            qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.response_pane.badge.text().startswith("404")
        assert "tr-9" in window.response_pane.body.toPlainText()
        assert window.request_panel.url.text() == f"{server.url}/api/v4/status/404"
        assert "Opened exchange" in window.statusBar().currentMessage()

        sent_before = len(server.requests)
        with qtbot.waitSignal(window.history.service.recorded, timeout=10000):
            qtbot.mouseClick(window.history.panel.resend_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(rows(window)) == 4)
        assert rows(window)[0] == "404 GET /status/404"
        # the "Sending again…" note is replaced as soon as the answer is on screen
        qtbot.waitUntil(lambda: "sent again: answered 404" in window.statusBar().currentMessage())
        assert "Sending exchange" not in window.statusBar().currentMessage()
        method, path, headers, _ = server.requests[sent_before]
        assert (method, path) == ("GET", "/api/v4/status/404")
        assert headers["Authorization"] == f"Bearer {s.ACCESS_TOKEN}"  # the current token


def test_pruning_through_the_settings_dialog(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        open_history(window, qtbot)
        send_three(window, qtbot, server)
        qtbot.waitUntil(lambda: len(rows(window)) == 3)
        controller = window.history
        qtbot.mouseClick(controller.panel.settings_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: controller.settings_dialog is not None)
        dialog = controller.settings_dialog
        assert dialog.max_entries.value() == DEFAULT_MAX_ENTRIES
        dialog.max_entries.setValue(2)
        qtbot.mouseClick(dialog.prune_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Removed 1" in dialog.prune_result.text())
        qtbot.waitUntil(lambda: len(rows(window)) == 2)
        dialog.max_entries.setValue(1)
        dialog.accept()
        qtbot.waitUntil(lambda: len(rows(window)) == 1)
        assert rows(window) == ["500 GET /status/500"]
    window.close()
    with HistoryStore.open(AppPaths.from_environment()) as store:
        assert store.limits().max_entries == 1


def test_damaged_database_is_reported_with_its_backup(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    data = AppPaths.from_environment().ensure().data
    (data / HISTORY_FILE).write_bytes(b"this is not a database" * 100)
    window = make_window()
    panel = window.history.panel
    qtbot.waitUntil(lambda: "damaged" in panel.problem.text())
    backups = [p for p in data.iterdir() if ".broken" in p.name]
    assert backups, list(data.iterdir())
    assert str(backups[0]) in panel.problem.text()
    assert backups[0].read_bytes().startswith(b"this is not a database")
    assert "damaged" in window.statusBar().currentMessage()
    window.history.action.trigger()
    assert panel.problem.isVisible()


def test_query_words_are_split_into_status_endpoint_and_text() -> None:
    query = parse_query("4xx /businesses timed out")
    assert (query.status, query.endpoint, query.text) == ("4xx", "/businesses", "timed out")
    query = parse_query("searchBusinessesV4 status:none")
    assert (query.status, query.endpoint, query.text) == ("none", "searchBusinessesV4", None)
    assert short_path("/api/v4/businesses/1") == "/businesses/1"
    assert short_path("/oauth2/token") == "/oauth2/token"
