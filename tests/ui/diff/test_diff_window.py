"""Comparing exchanges in the window, driven as a person would: two History entries from
a real server on 127.0.0.1, the answer on screen against one of them, the diff settings,
and a large diff computed off the GUI thread and shown in slices."""

from __future__ import annotations

import http.server
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import scripted_session as s
from helpers.servers import local_server, reply
from helpers.window_session import authed_perform, send_url
from PySide6.QtCore import Qt, QTimer

from explorer.core.diff import ChangeKind
from explorer.core.diff_rules import DiffRulesStore
from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.redact import MASK, RedactionPolicy, Redactor
from explorer.paths import AppPaths
from explorer.ui.diff.controller import DiffController, DiffSide


def leads(version: int) -> dict[str, Any]:
    """Version 2 lists the same leads in another order, one closed, one new, one gone."""
    items = [
        {"negotiationID": "N1", "status": "active", "createdTime": f"2026-12-0{version}"},
        {"negotiationID": "N2", "status": "active", "createdTime": f"2026-12-0{version}"},
        {"negotiationID": "N3", "status": "active", "createdTime": f"2026-12-0{version}"},
    ]
    if version == 2:
        items = [
            items[2],
            {**items[0], "status": "closed"},
            {"negotiationID": "N9", "status": "new"},
        ]
    return {"data": items, "traceID": f"trace-{version}"}


def handler(h: http.server.BaseHTTPRequestHandler) -> None:
    version = int(parse_qs(urlsplit(h.path).query).get("v", ["1"])[0])
    reply(200, json.dumps(leads(version)).encode(), headers={"X-Trace-Id": f"t-{version}"})(h)


def history_rows(window: Any) -> int:
    return window.history.panel.model.rowCount()


def click_row(qtbot: Any, panel: Any, row: int) -> None:
    where = panel.list.visualRect(panel.model.index(row, 1)).center()
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=where)


def table_rows(view: Any) -> list[list[str]]:
    model = view.table.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_two_history_entries_compared_side_by_side(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with local_server(handler) as server:
        window = make_window(server.url, perform=authed_perform())
        window.history.action.trigger()
        qtbot.waitUntil(window.history.panel.isVisible)
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations?v=1")
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations?v=2")
        qtbot.waitUntil(lambda: history_rows(window) == 2)
        panel = window.history.panel
        assert not panel.compare_button.isEnabled()
        click_row(qtbot, panel, 0)
        assert panel.compare_button.text() == "Compare…"
        qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)  # #2 is A
        assert panel.compare_button.text() == "Compare with #2"
        click_row(qtbot, panel, 1)
        with qtbot.waitSignal(window.diffs.compared, timeout=10000):
            qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
        view = window.diffs.window
        qtbot.waitUntil(lambda: view.isVisible() and not view.model.filling)
        assert view.side_a.text().startswith("A: #1  GET /api/v4/negotiations?v=1  200")
        assert view.side_b.text().startswith("B: #2  GET /api/v4/negotiations?v=2  200")
        # traceID, X-Trace-Id, Content-Length, two createdTime (and Date, across a second)
        assert re.fullmatch(
            r"3 differences: 1 changed, 1 added, 1 removed; [56] in volatile fields ignored\.",
            view.summary.text(),
        )
        assert table_rows(view) == [
            ["~ changed", "body.data[negotiationID=N1].status", '"active"', '"closed"'],
            ["− removed", "body.data[negotiationID=N2]", view.table.model().index(1, 2).data(), ""],
            [
                "+ added",
                "body.data[negotiationID=N9]",
                "",
                '{"negotiationID": "N9", "status": "new"}',
            ],
        ]
        removed = view.table.model().index(1, 0)
        assert removed.data(Qt.ItemDataRole.AccessibleTextRole).startswith(
            "removed in B: body.data[negotiationID=N2], was {"
        )
        assert "Arrays matched by id: body.data by negotiationID." in view.notes.text()
        # The first row is selected: its two values in full, side by side.
        assert view.detail_a.toPlainText() == "active" and view.detail_b.toPlainText() == "closed"
        view.table.selectRow(1)
        assert '"negotiationID": "N2"' in view.detail_a.toPlainText()
        assert view.detail_b.toPlainText() == "(absent on this side)"
        assert "− removed" in view.detail_a_label.text()
        qtbot.keyClicks(view.filter, "N9")
        qtbot.waitUntil(lambda: view.table.model().rowCount() == 1)
        with qtbot.waitSignal(window.diffs.compared, timeout=10000):
            qtbot.mouseClick(view.swap_button, Qt.MouseButton.LeftButton)
        assert view.side_a.text().startswith("A: #2")
        qtbot.waitUntil(lambda: not view.model.filling)
        assert table_rows(view)[0][:2] == ["− removed", "body.data[negotiationID=N9]"]


# A menu popping up offscreen: the platform cannot grab the keyboard or raise it.
@pytest.mark.qt_log_ignore("This plugin does not support (grabbing the keyboard|raise)")
def test_the_answer_on_screen_compared_with_a_history_entry(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with local_server(handler) as server:
        window = make_window(server.url, perform=authed_perform())
        pane = window.response_pane
        assert not pane.compare_button.isEnabled()
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations?v=1")
        window.history.panel.refresh()
        qtbot.waitUntil(lambda: history_rows(window) == 1)
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations?v=2")
        assert pane.compare_button.isEnabled()
        qtbot.waitUntil(lambda: len(window.history.recent()) >= 1)
        menu = pane.compare_menu
        picked: list[Any] = []

        def choose() -> None:
            actions = [a for a in menu.actions() if a.text().startswith("#")]
            picked.extend(a.text() for a in actions)
            actions[-1].trigger()  # the oldest offered: the first send
            menu.close()

        QTimer.singleShot(0, choose)
        with qtbot.waitSignal(window.diffs.compared, timeout=10000) as done:
            qtbot.mouseClick(pane.compare_button, Qt.MouseButton.LeftButton)
        assert picked and "GET /api/v4/negotiations?v=1  200" in picked[-1]
        diff = done.args[0]
        assert diff.summary().startswith("3 differences: 1 changed, 1 added, 1 removed")
        view = window.diffs.window
        assert view.side_a.text().startswith("A: #1  GET /api/v4/negotiations?v=1  200")
        assert view.side_b.text().startswith("B: On screen  GET /api/v4/negotiations?v=2  200")
        qtbot.waitUntil(lambda: not view.model.filling)
        assert [row[1] for row in table_rows(view)] == [
            "body.data[negotiationID=N1].status",
            "body.data[negotiationID=N2]",
            "body.data[negotiationID=N9]",
        ]


def test_diff_settings_are_edited_kept_and_used_again(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    parent = _parent(qtbot)
    store = DiffRulesStore.in_config(AppPaths.from_environment().ensure().config)
    controller = DiffController(redactor=Redactor, store=store, parent=parent)
    a = _record(leads(1))
    b = _record(leads(2))
    with qtbot.waitSignal(controller.compared, timeout=10000):
        controller.compare(DiffSide("one", a), DiffSide("two", b))
    view = controller.window
    qtbot.mouseClick(view.settings_button, Qt.MouseButton.LeftButton)
    dialog = controller.dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.new_pattern, "status with space")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "has a space in it" in dialog.problem.text()
    assert dialog.new_pattern.text() == "status with space"  # what was typed stays
    dialog.new_pattern.clear()
    qtbot.keyClicks(dialog.new_pattern, "status")
    qtbot.keyClick(dialog.new_pattern, Qt.Key.Key_Return)
    assert dialog.volatile.findItems("status", Qt.MatchFlag.MatchExactly)
    with qtbot.waitSignal(controller.compared, timeout=10000) as again:
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    kinds = [c.kind for c in again.args[0].changes]
    assert kinds == [ChangeKind.REMOVED, ChangeKind.ADDED]  # the status change is left out
    assert "status" in DiffRulesStore.in_config(store.path.parent).load().volatile
    controller.shutdown()


def test_values_shown_are_masked_with_the_window_redactor(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = _parent(qtbot)
    store = DiffRulesStore.in_config(AppPaths.from_environment().ensure().config)
    redactor = Redactor(RedactionPolicy.for_presentation(s.KNOWN_SECRETS))
    controller = DiffController(redactor=lambda: redactor, store=store, parent=parent)
    a = _record({"access_token": "x" * 24, "customer": {"email": "dana@example.com"}})
    b = _record({"access_token": s.ACCESS_TOKEN, "customer": {"email": "dana.reyes@example.com"}})
    with qtbot.waitSignal(controller.compared, timeout=10000):
        controller.compare(DiffSide("one", a), DiffSide("two", b))
    view = controller.window
    qtbot.waitUntil(lambda: not view.model.filling)
    shown = json.dumps(table_rows(view), ensure_ascii=False)
    for row in range(view.table.model().rowCount()):
        view.table.selectRow(row)
        shown += view.detail_a.toPlainText() + view.detail_b.toPlainText()
    assert s.ACCESS_TOKEN not in shown and "dana.reyes@example.com" not in shown
    assert MASK in shown
    controller.shutdown()


def test_a_large_diff_runs_off_the_gui_thread_and_fills_in_slices(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = _parent(qtbot)
    store = DiffRulesStore.in_config(AppPaths.from_environment().ensure().config)
    controller = DiffController(redactor=Redactor, store=store, parent=parent)
    items = [{"id": i, "status": "active", "note": "x" * 200} for i in range(20000)]
    changed = [{**item, "status": "closed"} if item["id"] % 2 else item for item in items]
    a, b = _record({"data": items}), _record({"data": changed[::-1]})
    assert len(a.body) > 4_000_000
    with qtbot.waitSignal(controller.compared, timeout=30000):
        controller.compare(DiffSide("one", a), DiffSide("two", b))
        assert controller.busy and controller.window.cancel_button.isVisibleTo(controller.window)
    view = controller.window
    assert view.model.filling and view.model.rowCount() == 0  # they go in slice by slice
    qtbot.waitUntil(lambda: not view.model.filling, timeout=10000)
    assert view.model.rowCount() == 10000
    assert view.summary.text() == "10000 differences: 10000 changed."
    # Cancelling a long diff: the window says so and keeps working.
    bigger_b = _record({"data": [{**item, "note": "y"} for item in items]})
    controller.compare(DiffSide("one", a), DiffSide("three", bigger_b))
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    assert view.summary.text() == "Cancelled." and not controller.busy
    controller.shutdown()


def _record(body: Any) -> ResponseRecord:
    return ResponseRecord(
        request=RequestSpec(method="GET", url="http://127.0.0.1/api/v4/negotiations"),
        status=200,
        headers=(("Content-Type", "application/json"),),
        body=json.dumps(body).encode(),
    )


def _parent(qtbot):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    return parent
