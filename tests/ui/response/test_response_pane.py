"""Each tab of the response pane shows the right part of a recorded response."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit, QTableWidget

from explorer.core.models import (
    NetworkFailure,
    NetworkFailureKind,
    RequestSpec,
    ResponseRecord,
    Timing,
)
from explorer.core.status import classify
from explorer.ui.response.pane import ResponsePane, masked_request_text

TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl"
SPEC = RequestSpec(
    method="POST",
    url="https://api.thumbtack.com/api/v4/businesses/search",
    headers=(("Authorization", f"Bearer {TOKEN}"), ("Content-Type", "application/json")),
    body=b'{"zipCode": "94105"}',
)
BODY = json.dumps({"data": [{"businessID": "b1", "name": "Bay Plumbing"}]}).encode()
RECORD = ResponseRecord(
    request=SPEC,
    status=200,
    reason="OK",
    http_version="HTTP/1.1",
    headers=(("Content-Type", "application/json"), ("X-Request-Id", "r-123")),
    body=BODY,
    timing=Timing(
        dns_ms=None,
        connect_ms=None,
        tls_ms=None,
        send_ms=0.5,
        wait_ms=40.0,
        download_ms=1.5,
        total_ms=42.0,
    ),
)


def make_pane(qtbot) -> ResponsePane:  # type: ignore[no-untyped-def]
    pane = ResponsePane()
    qtbot.addWidget(pane)
    pane.resize(700, 500)
    pane.show()
    return pane


def all_text(pane: ResponsePane) -> str:
    parts: list[str] = []
    for widget in pane.findChildren(QPlainTextEdit):
        parts.append(widget.toPlainText())
    for label in pane.findChildren(QLabel):
        parts.append(label.text() + label.toolTip())
    for edit in pane.findChildren(QLineEdit):
        parts.append(edit.text())
    for table in pane.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            for col in range(table.columnCount()):
                item = table.item(row, col)
                parts.append(item.text() if item else "")
    return "\n".join(parts)


def test_tabs_show_body_headers_timing_raw_and_request(qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot)
    pane.show_record(RECORD, status=classify(RECORD))
    assert pane.badge.text().startswith("200 OK")
    assert json.loads(pane.body_view.text()) == json.loads(BODY)
    assert "\n" in pane.body_view.text()
    rows = [
        (pane.headers.item(r, 0).text(), pane.headers.item(r, 1).text())
        for r in range(pane.headers.rowCount())
    ]
    assert rows == [("Content-Type", "application/json"), ("X-Request-Id", "r-123")]
    values = pane.timing.values
    assert values["dns_ms"].text() == "reused connection"
    assert values["wait_ms"].text() == "40.0 ms"
    assert values["download_ms"].text() == "1.5 ms"
    assert "42.0 ms" in pane.timing.total.text()
    assert pane.timing.bars["wait_ms"].length == 40.0
    assert pane.raw_view.text() == ""  # loaded only when the tab is opened
    pane.tabs.setCurrentWidget(pane.raw_view)
    qtbot.waitUntil(lambda: not pane.raw_view.loading, timeout=5000)
    assert pane.raw_view.text() == BODY.decode()
    assert pane.request.toPlainText().startswith(
        "POST https://api.thumbtack.com/api/v4/businesses/search"
    )
    assert '{"zipCode": "94105"}' in pane.request.toPlainText()


def test_request_tab_masks_the_bearer_token_everywhere(qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot)
    pane.show_pending(SPEC)
    assert TOKEN not in all_text(pane)
    pane.show_record(RECORD, status=classify(RECORD))
    for index in range(pane.tabs.count()):
        pane.tabs.setCurrentIndex(index)
    qtbot.waitUntil(lambda: not pane.raw_view.loading, timeout=5000)
    text = all_text(pane)
    assert TOKEN not in text
    assert "Authorization: Bearer ••••••" in pane.request.toPlainText()


def test_masking_helper_covers_cookies_and_form_secrets() -> None:
    spec = RequestSpec(
        method="POST",
        url="https://auth.thumbtack.com/oauth2/token",
        headers=(("Cookie", "session=abc123"), ("X-Api-Token", "t0ken")),
        body=b"grant_type=client_credentials&client_secret=s3cr3t&audience=urn:partner-api",
    )
    text = masked_request_text(spec)
    for secret in ("abc123", "t0ken", "s3cr3t"):
        assert secret not in text
    assert "audience=urn:partner-api" in text


def test_network_failure_shows_its_chain(qtbot) -> None:  # type: ignore[no-untyped-def]
    failure = NetworkFailure(
        kind=NetworkFailureKind.REFUSED,
        exception_type="ConnectError",
        message="All connection attempts failed",
        chain=(
            "ConnectError: All connection attempts failed",
            "ConnectionRefusedError: [Errno 111]",
        ),
    )
    record = ResponseRecord(request=SPEC, failure=failure)
    pane = make_pane(qtbot)
    pane.show_record(record, status=classify(record))
    assert pane.badge.text().startswith("Network: refused")
    assert "ConnectionRefusedError" in pane.body_view.text()


def test_pending_and_cancelled(qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = make_pane(qtbot)
    pane.show_pending(SPEC)
    assert "Sending POST" in pane.badge.text()
    pane.show_cancelled()
    assert "Cancelled" in pane.badge.text()
    pane.clear()
    assert "No response yet" in pane.badge.text()


def test_a_big_body_is_capped_in_body_and_raw_tabs(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("explorer.ui.response.body_jobs.CAP_CHARS", 40_000)
    items = [{"businessID": f"b{i}", "name": f"Pro {i}"} for i in range(3000)]
    body = json.dumps({"data": items}).encode()
    record = ResponseRecord(
        request=SPEC,
        status=200,
        reason="OK",
        headers=(("Content-Type", "application/json"),),
        body=body,
    )
    pane = make_pane(qtbot)
    pane.show_record(record, status=classify(record))
    view = pane.body_view
    qtbot.waitUntil(lambda: view.capped, timeout=10000)
    assert view.cap_bar.isVisible()
    assert "Showing the first" in view.cap_bar.label.text()
    assert '"b2999"' not in view.text()
    qtbot.mouseClick(pane.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tab_center(pane, 3))
    assert pane.tabs.currentWidget() is pane.raw_view
    qtbot.waitUntil(lambda: pane.raw_view.capped, timeout=10000)
    assert pane.raw_view.cap_bar.isVisible()
    assert pane.raw_view.text().startswith('{"data": [{"businessID": "b0"')
    QApplication.clipboard().clear()
    qtbot.mouseClick(pane.raw_view.cap_bar.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == body.decode()
    with qtbot.waitSignal(pane.raw_view.formatting_finished, timeout=20000):
        qtbot.mouseClick(pane.raw_view.cap_bar.show_all_button, Qt.MouseButton.LeftButton)
    assert pane.raw_view.text().replace("\n", "") == body.decode()


def tab_center(pane: ResponsePane, index: int) -> QPoint:
    return pane.tabs.tabBar().tabRect(index).center()
