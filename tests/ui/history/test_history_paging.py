"""The History dock reads a large history a page at a time, newest first, as the user
scrolls; what is recorded meanwhile goes on top without moving the rows being read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from helpers import scripted_session as s
from helpers.window_session import authed_perform, send_url, thumbtack_server
from PySide6.QtCore import Qt

from explorer.core.history import HistoryLimits, HistoryStore
from explorer.ui.history.model import PAGE_SIZE

STORED = 2 * PAGE_SIZE + 57


def _fill(path: Path) -> list[int]:
    """A real history file with STORED exchanges (a 404 every tenth); ids newest first."""
    base = s.negotiation_exchange()
    ids = []
    with HistoryStore(path) as store:
        store.set_limits(HistoryLimits(max_entries=10_000))
        for i in range(STORED):
            record = replace(base, status=404 if i % 10 == 0 else 200)
            ids.append(store.add(record, environment="Sandbox"))
    return ids[::-1]


def _shown_ids(panel) -> list[int]:  # type: ignore[no-untyped-def]
    model = panel.model
    return [model.exchange_id(row) for row in range(model.rowCount())]


def test_pages_are_read_as_the_list_is_scrolled_to_its_end(
    make_window, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "history.sqlite3"
    newest_first = _fill(path)
    window = make_window(history_path=path)
    window.history.action.trigger()
    panel = window.history.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() >= PAGE_SIZE)
    first = panel.model.rowCount()
    assert first < STORED and not panel.model.complete  # not everything at once
    assert _shown_ids(panel) == newest_first[:first]
    tree = panel.list
    tree.setFocus()
    pages = 0
    while not panel.model.complete:
        shown = panel.model.rowCount()
        # the user goes to the end of the list
        qtbot.keyClick(tree, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda n=shown: panel.model.rowCount() > n or panel.model.complete)
        pages += 1
        assert pages < STORED // PAGE_SIZE + 2
    assert _shown_ids(panel) == newest_first
    assert panel.model.complete
    qtbot.keyClick(tree, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert panel.model.rowCount() == STORED  # nothing more is asked for at the end
    assert panel.selected_id() == newest_first[-1]

    # a search pages too, and its pages hold only matches
    qtbot.keyClicks(panel.search, "404")
    qtbot.waitUntil(lambda: panel.model.rowCount() == (STORED + 9) // 10)
    assert all(panel.row_texts(r)[0].strip() == "404" for r in range(panel.model.rowCount()))
    assert panel.model.complete


def test_a_new_exchange_goes_on_top_and_the_selection_stays(
    make_window, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "history.sqlite3"
    newest_first = _fill(path)
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform(), history_path=path)
        window.history.action.trigger()
        panel = window.history.panel
        qtbot.waitUntil(lambda: panel.model.rowCount() >= PAGE_SIZE)
        tree = panel.list
        chosen = tree.model().index(3, 0)
        qtbot.mouseClick(
            tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(chosen).center()
        )
        assert panel.selected_id() == newest_first[3]
        before = _shown_ids(panel)
        send_url(window, qtbot, f"{server.url}/api/v4/status/500")
        qtbot.waitUntil(lambda: panel.model.rowCount() == len(before) + 1)
        assert panel.row_texts(0)[:2] == (" 500 ", "GET /status/500")
        assert _shown_ids(panel)[1:] == before == newest_first[: len(before)]
        assert panel.selected_id() == newest_first[3]
        assert panel.open_button.isEnabled()
