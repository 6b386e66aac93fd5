"""Flows in the real window (offscreen) against a real Sandbox on 127.0.0.1: exact search
in three clicks from a fresh start, every documented flow end to end with each step's
status shown, and a request's declared capture carrying searchID into Create request."""

from __future__ import annotations

import json

import pytest
from helpers.session_window import ScriptedAsk, sandbox, session_window
from helpers.window_session import ScriptedAsk as WindowAsk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from explorer.core.captures import Capture
from explorer.core.flows import shipped_flows

__all__ = ["sandbox", "session_window"]


def click_flow(window, qtbot, title: str) -> None:  # type: ignore[no-untyped-def]
    listing = window.flows.flow_list
    item = next(
        listing.topLevelItem(r)
        for r in range(listing.topLevelItemCount())
        if listing.topLevelItem(r).text(0).startswith(title)
    )
    rect = listing.visualItemRect(item)
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_exact_search_runs_in_three_clicks_on_a_fresh_start(session_window, qtbot, sandbox) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    dock = window.flows
    assert not dock.isVisible()
    button = window.toolbar.widgetForAction(dock.action)
    assert isinstance(button, QToolButton) and button.text() == "Flows"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # 1
    qtbot.waitUntil(dock.isVisible)
    click_flow(window, qtbot, "Exact search")  # 2
    assert dock.run_button.text() == "▶ Run exact search"
    with qtbot.waitSignal(dock.run_finished, timeout=60000) as done:
        qtbot.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)  # 3
    results = done.args[0]
    assert [(r.step.id, r.status.value, r.http_status) for r in results] == [
        ("request-form", "passed", 200),
        ("search", "passed", 200),
        ("create-request", "passed", 200),
    ]
    assert dock.step_statuses() == [
        ("Get the request form", "✔ passed · HTTP 200"),
        ("Search businesses", "✔ passed · HTTP 200"),
        ("Create request", "✔ passed · HTTP 200"),
    ]
    assert "All 3 steps passed" in window.statusBar().currentMessage()
    # what the flow captured is {{searchID}} for the requests that follow
    search_id = json.loads(results[1].record.body)["searchID"]
    assert window.variables.service.values()["searchID"] == search_id
    assert json.loads(results[2].spec.body)["searchID"] == search_id
    assert window.profile_combo.currentText() == "Sandbox demo"  # not switched behind the user

    # a finished step opens in the request form with its response
    dock.steps.setCurrentItem(dock.steps.topLevelItem(2))
    assert "documentation ↗" in dock.step_detail.text()
    with qtbot.waitSignal(window.response_shown, timeout=10000):
        qtbot.mouseClick(dock.open_button, Qt.MouseButton.LeftButton)
    assert window.request_panel.endpoint.operation_id == "createRequestV4"


@pytest.mark.parametrize("flow_id", ["filtered-search", "lead-handling", "webhooks-setup"])
def test_each_documented_flow_runs_end_to_end(session_window, qtbot, sandbox, flow_id: str) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    dock = window.flows
    window.flows.action.trigger()
    assert dock.select_flow(flow_id)
    flow = next(f for f in shipped_flows() if f.id == flow_id)
    with qtbot.waitSignal(dock.run_finished, timeout=90000) as done:
        qtbot.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)
    assert [(r.step.id, r.status.value, r.problem) for r in done.args[0]] == [
        (s.id, "passed", "") for s in flow.steps
    ]
    assert all(status.startswith("✔ passed · HTTP 2") for _title, status in dock.step_statuses())


def test_a_failing_step_is_marked_in_words_and_the_rest_skipped(
    session_window, qtbot, sandbox
) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    assert window.variables.service.define("sandbox", "categoryID", "1") == ""  # no such category
    dock = window.flows
    dock.action.trigger()
    dock.select_flow("exact-search")
    with qtbot.waitSignal(dock.run_finished, timeout=60000):
        qtbot.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)
    assert dock.step_statuses() == [
        ("Get the request form", "✖ failed · HTTP 404"),
        ("Search businesses", "– skipped"),
        ("Create request", "– skipped"),
    ]
    assert "HTTP 404, not 200" in window.statusBar().currentMessage()


def test_a_declared_capture_carries_search_id_into_create_request(
    session_window, qtbot, sandbox
) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    service = window.variables.service
    for line in (
        "searchID <- $.searchID",
        "businessID <- $.data[0].businessID",
        "categoryID <- $.metadata.categoryID",
    ):
        assert service.add_capture("searchBusinessesV4", Capture.parse(line)) == ""
    window.endpoint_tree.select("searchBusinessesV4")
    with qtbot.waitSignal(window.response_shown, timeout=20000) as shown:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    search_id = json.loads(shown.args[0].body)["searchID"]
    qtbot.waitUntil(lambda: service.values().get("searchID") == search_id)
    assert service.lookup("searchID").where == "captured from POST /api/v4/businesses/search"  # type: ignore[union-attr]

    customer = window.profile_combo.findText("Sandbox demo — customer (authorization code)")
    window.profile_combo.setCurrentIndex(customer)
    window.profile_combo.activated.emit(customer)  # as a person picking it from the list
    window.endpoint_tree.select("createRequestV4")
    raw = window.request_panel.raw
    window.request_panel.tabs.setCurrentIndex(2)
    body = json.loads(raw.toPlainText())
    body.update(
        searchID="{{searchID}}", businessIDs=["{{businessID}}"], categoryID="{{categoryID}}"
    )
    raw.setPlainText(json.dumps(body, indent=2))
    with qtbot.waitSignal(window.response_shown, timeout=30000) as created:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    record = created.args[0]
    assert json.loads(record.request.body)["searchID"] == search_id
    assert record.status == 200, record.body


def test_a_saved_request_keeps_base_url_and_its_captures(
    session_window, qtbot, sandbox, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "collection"
    window = session_window()
    window.saved.ask = WindowAsk(folders=[folder], texts=["Search handymen"])
    service = window.variables.service
    assert service.add_capture("searchBusinessesV4", Capture.parse("searchID <- $.searchID")) == ""
    window.endpoint_tree.select("searchBusinessesV4")
    window.saved.save_action.trigger()
    saved = folder / "Search handymen.request.json"
    qtbot.waitUntil(saved.exists)
    document = json.loads(saved.read_text())
    assert document["url"] == "{{base_url}}/api/v4/businesses/search"
    assert str(sandbox.port) not in saved.read_text()
    assert document["captures"] == [{"name": "searchID", "path": "$.searchID"}]

    assert service.set_captures("searchBusinessesV4", []) == ""  # forgotten here
    tree = window.saved.panel.tree
    qtbot.waitUntil(lambda: bool(tree.findItems("Search handymen", Qt.MatchFlag.MatchRecursive)))
    tree.setCurrentItem(tree.findItems("Search handymen", Qt.MatchFlag.MatchRecursive)[0])
    with qtbot.waitSignal(window.response_shown, timeout=20000) as shown:
        qtbot.mouseClick(window.saved.panel.send_button, Qt.MouseButton.LeftButton)
    record = shown.args[0]
    assert record.request.url.startswith(sandbox.api_base)
    qtbot.waitUntil(lambda: service.values().get("searchID") == json.loads(record.body)["searchID"])
    assert [str(c) for c in service.captures_for("searchBusinessesV4")] == [
        "searchID <- $.searchID"
    ]
