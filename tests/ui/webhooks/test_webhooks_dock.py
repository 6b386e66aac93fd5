"""The Webhooks dock in the real window: start the inbox, watch deliveries arrive checked
and explained, open follow-up requests, replay to an endpoint, copy as curl."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2 as httpx
from helpers.servers import local_server, reply
from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.core.inbox.events import sample_delivery
from explorer.core.inbox.model import CredentialState
from explorer.core.profiles import SANDBOX_PRO_PROFILE
from explorer.ui.style.palette import current
from explorer.ui.webhooks.dock import WebhooksDock

__all__ = ["sandbox", "session_window"]
BASIC = "Basic " + base64.b64encode(b"hello:world").decode()


def open_dock(window: Any, qtbot: Any, *, basic: bool = True) -> WebhooksDock:
    dock = window.webhooks
    assert isinstance(dock, WebhooksDock)
    window.findChild(type(dock.toggleViewAction()), "webhooksAction").trigger()
    qtbot.waitUntil(dock.isVisible)
    if basic:
        dock.auth_kind.setCurrentIndex(dock.auth_kind.findText("HTTP Basic"))
        qtbot.keyClicks(dock.auth_name, "hello")
        qtbot.keyClicks(dock.auth_secret, "world")
    with qtbot.waitSignal(dock.service.started, timeout=10000):
        qtbot.mouseClick(dock.start_button, Qt.MouseButton.LeftButton)
    assert dock.url_label.text().startswith("http://127.0.0.1:")
    assert dock.start_button.text() == "Stop inbox"
    return dock


def send_in_window(window: Any, qtbot: Any, *, switch_profile: bool = False) -> Any:
    """Press Send; with ``switch_profile``, take the pre-flight bar's one-click switch to
    the demo pro first."""
    if not switch_profile:
        with qtbot.waitSignal(window.response_shown, timeout=20000) as blocker:
            qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
        return blocker.args[0]
    panel = window.request_panel
    qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    # the description wants https://; the Sandbox also takes http on 127.0.0.1
    assert "pattern ^https://" in panel.fail_bar.label.text()
    qtbot.mouseClick(panel.send_anyway_button, Qt.MouseButton.LeftButton)
    bar = window.session_ui.preflight_bar
    qtbot.waitUntil(bar.isVisible)
    with qtbot.waitSignal(window.response_shown, timeout=20000) as blocker:
        qtbot.mouseClick(bar.fix_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def select_row(dock: WebhooksDock, qtbot: Any, row: int = 0) -> None:
    with qtbot.waitSignal(dock.service.detail_loaded, timeout=5000):
        dock.table.selectRow(row)
    qtbot.waitUntil(lambda: dock.detail.delivery is not None)


def test_create_a_sandbox_webhook_trigger_a_test_lead_see_it_checked_and_replay_it(
    session_window: Any, qtbot: Any
) -> None:
    window = session_window(ScriptedAsk())
    dock = open_dock(window, qtbot)
    qtbot.mouseClick(dock.setup_button, Qt.MouseButton.LeftButton)
    panel = window.request_panel
    assert panel.endpoint.operation_id == "createBusinessWebhookV4"
    assert json.loads(panel.raw.toPlainText())["webhookURL"] == dock.service.url
    created = send_in_window(window, qtbot, switch_profile=True)
    assert created.status == 201, created.body
    assert json.loads(created.body)["authType"] == "Basic"
    assert window.profile_combo.currentText() == SANDBOX_PRO_PROFILE

    qtbot.mouseClick(dock.test_lead_button, Qt.MouseButton.LeftButton)
    assert panel.endpoint.operation_id == "createTestNegotiationV4"
    lead = send_in_window(window, qtbot)
    assert lead.status in (200, 201), lead.body
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1, timeout=10000)
    assert dock.model.index(0, 2).data() == "NegotiationCreatedV4"
    assert dock.model.index(0, 3).data() == "ok" and dock.model.index(0, 4).data() == "valid"

    select_row(dock, qtbot)
    detail = dock.detail
    assert "✓ Credentials match" in detail.credentials.text()
    assert "✓ Contract: valid" in detail.contract.text()
    assert "confirmed by real deliveries" in detail.meaning.text()
    assert "Go-http-client" in detail.pane.headers.item(0, 1).text() or any(
        detail.pane.headers.item(r, 0).text() == "User-Agent"
        for r in range(detail.pane.headers.rowCount())
    )
    negotiation_id = json.loads(detail.delivery.body)["data"]["negotiationID"]

    follow = next(b for b in detail.follow_buttons if b.text() == "GET the negotiation")
    qtbot.mouseClick(follow, Qt.MouseButton.LeftButton)
    assert panel.endpoint.operation_id == "getNegotiationV4"
    assert dict(panel.current_inputs().path_params)["negotiationID"] == negotiation_id
    fetched = send_in_window(window, qtbot)
    assert fetched.status == 200 and json.loads(fetched.body)["negotiationID"] == negotiation_id

    recorded = detail.delivery.body
    with local_server(reply(200, b'{"handled":true}')) as server:
        detail.tabs.setCurrentIndex(2)
        qtbot.keyClicks(detail.replay_url, server.url + "/mine")
        with qtbot.waitSignal(dock.service.replayed, timeout=10000):
            qtbot.mouseClick(detail.replay_button, Qt.MouseButton.LeftButton)
    _method, path, headers, body = server.requests[0]
    assert path == "/mine" and body == recorded
    assert headers["Authorization"] == BASIC
    assert "200 in" in detail.replay_result.text() and "accepted" in detail.replay_result.text()


def test_wrong_credentials_are_red_with_what_was_sent_masked(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    dock = open_dock(window, qtbot)
    sample = sample_delivery("MessageCreatedV4")
    wrong = "Basic " + base64.b64encode(b"hello:guess").decode()
    httpx.post(dock.service.url, content=sample.body, headers={"Authorization": wrong})
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1, timeout=10000)
    assert dock.model.index(0, 3).data() == CredentialState.WRONG.value
    assert dock.model.index(0, 3).data(Qt.ItemDataRole.ForegroundRole) is not None
    select_row(dock, qtbot)
    text = dock.detail.credentials.text()
    assert "✗ Credentials wrong" in text and current().error in text
    assert "username 'hello', password ••••••" in text and "guess" not in text
    assert "has not arrived yet" in dock.detail.order_note.text()
    assert dock.detail.order_note.isVisible()


def test_presentation_mode_masks_customer_data_in_a_delivery(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    dock = open_dock(window, qtbot, basic=False)
    with qtbot.waitSignal(dock.service.sample_sent, timeout=10000):
        dock.sample_event.setCurrentText("NegotiationCreatedV4")
        qtbot.mouseClick(dock.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1, timeout=10000)
    select_row(dock, qtbot)
    shown = dock.detail.pane.body.toPlainText()
    qtbot.waitUntil(lambda: "123 Main St" in dock.detail.pane.body.toPlainText())
    window.presentation.set_on(True)
    qtbot.waitUntil(lambda: "123 Main St" not in dock.detail.pane.body.toPlainText())
    masked = dock.detail.pane.body.toPlainText()
    assert "1234567890" not in masked and "NegotiationCreatedV4" in masked
    assert shown != masked


def test_filters_narrow_the_list_and_copy_as_curl_replays_masked(
    make_window: Any, qtbot: Any
) -> None:
    window = make_window()
    dock = open_dock(window, qtbot)
    for event in ("NegotiationCreatedV4", "MessageCreatedV4", "ReviewCreatedV4"):
        sample = sample_delivery(event)
        httpx.post(dock.service.url, content=sample.body, headers={"Authorization": BASIC})
    httpx.post(dock.service.url, content=b"not json", headers={"Authorization": BASIC})
    qtbot.waitUntil(lambda: dock.model.rowCount() == 4, timeout=10000)
    assert dock.model.index(0, 4).data() == "not JSON"  # newest first
    dock.event_filter.setCurrentIndex(dock.event_filter.findText("MessageCreatedV4"))
    assert dock.proxy.rowCount() == 1 and dock.count_label.text() == "1 of 4"
    dock.event_filter.setCurrentIndex(0)
    qtbot.mouseClick(dock.failed_only, Qt.MouseButton.LeftButton)
    assert dock.proxy.rowCount() == 1
    qtbot.mouseClick(dock.failed_only, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dock.search, "Lawn")
    assert dock.proxy.rowCount() == 1
    select_row(dock, qtbot)
    qtbot.mouseClick(dock.detail.copy_curl_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert "\ncurl " in copied and dock.service.url in copied
    assert "Authorization: Basic $THUMBTACK_BASIC_CREDENTIALS" in copied
    assert "d29ybGQ" not in copied and "NegotiationCreatedV4" in copied
    # the copy runs: with the credentials in its variable it delivers the same bytes again
    token = BASIC.removeprefix("Basic ")
    env = {**os.environ, "THUMBTACK_BASIC_CREDENTIALS": token}
    done = subprocess.run(["bash", "-c", copied], env=env, capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: dock.model.rowCount() == 5, timeout=10000)
    again = dock.model.delivery(0)
    assert again is not None and again.credential.state is CredentialState.OK
    assert dock.detail.delivery is not None
    assert again.body == dock.detail.delivery.body


def test_two_hundred_concurrent_deliveries_all_appear(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    dock = open_dock(window, qtbot, basic=False)
    bodies = [sample_delivery("MessageCreatedV4").body for _ in range(200)]
    limits = httpx.Limits(max_connections=200)
    with httpx.Client(timeout=30, limits=limits) as client, ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(lambda b: client.post(dock.service.url, content=b), bodies))
    assert {s.status_code for s in statuses} == {200}
    qtbot.waitUntil(lambda: dock.model.rowCount() == 200, timeout=20000)
    assert dock.count_label.text() == "200"
    ids = [int(dock.model.index(r, 0).data()) for r in range(200)]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 200


def test_a_taken_port_says_so_and_the_inbox_can_start_again(make_window: Any, qtbot: Any) -> None:
    import socket

    window = make_window()
    dock = window.webhooks
    dock.action.trigger()
    qtbot.waitUntil(dock.isVisible)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        dock.port.setValue(taken.getsockname()[1])
        with qtbot.waitSignal(dock.service.failed, timeout=15000) as blocker:
            qtbot.mouseClick(dock.start_button, Qt.MouseButton.LeftButton)
    assert "already in use" in blocker.args[0]
    assert dock.start_button.text() == "Start inbox" and dock.start_button.isEnabled()
    dock.port.setValue(0)
    with qtbot.waitSignal(dock.service.started, timeout=15000):
        qtbot.mouseClick(dock.start_button, Qt.MouseButton.LeftButton)
    assert dock.service.running


def test_changing_the_answer_while_running_restarts_on_the_same_port(
    make_window: Any, qtbot: Any
) -> None:
    window = make_window()
    dock = open_dock(window, qtbot, basic=False)
    url = dock.service.url
    with qtbot.waitSignal(dock.service.started, timeout=15000):
        dock.answer_status.setValue(500)
    assert dock.service.url == url
    answer = httpx.post(url, content=sample_delivery("MessageCreatedV4").body)
    assert answer.status_code == 500
    qtbot.waitUntil(lambda: dock.model.rowCount() == 1, timeout=10000)
    assert dock.model.index(0, 5).data() == "500"
