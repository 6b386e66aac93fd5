"""Sending: timings, failures as values with their cause chain, cancel, body cap."""

from __future__ import annotations

import socket
import threading

import httpx2 as httpx

from explorer.core.http import classify_exception, exception_chain, make_client, send
from explorer.core.models import NetworkFailureKind, RequestSpec


def _mock(handler):  # type: ignore[no-untyped-def]
    return make_client(transport=httpx.MockTransport(handler))


def test_send_returns_status_headers_body() -> None:
    client = _mock(lambda r: httpx.Response(201, json={"ok": True}, headers={"X-A": "1"}))
    record = send(
        RequestSpec(method="POST", url="https://api.example/x", body=b"{}"), client=client
    )
    assert record.status == 201
    assert record.header("x-a") == "1"
    assert record.body == b'{"ok":true}' or b'"ok"' in record.body
    assert record.failure is None
    assert record.timing.total_ms >= 0
    assert record.started_at.endswith("Z")


def test_body_is_capped_and_marked_truncated() -> None:
    client = _mock(lambda r: httpx.Response(200, content=b"x" * 5000))
    record = send(
        RequestSpec(method="GET", url="https://api.example/x"), client=client, max_body_bytes=1000
    )
    assert record.body_truncated
    assert len(record.body) == 1000


def test_cancel_before_send_gives_cancelled_failure() -> None:
    event = threading.Event()
    event.set()
    client = _mock(lambda r: httpx.Response(200))
    record = send(
        RequestSpec(method="GET", url="https://api.example/x"), client=client, cancel=event
    )
    assert record.failure is not None
    assert record.failure.kind is NetworkFailureKind.CANCELLED


def test_exception_chain_walks_causes() -> None:
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except OSError as inner:
            raise httpx.ConnectError("[Errno -2] Name or service not known") from inner
    except httpx.ConnectError as exc:
        assert classify_exception(exc) is NetworkFailureKind.DNS
        chain = exception_chain(exc)
    assert chain[0].startswith("ConnectError")
    assert chain[1].startswith("gaierror")


def test_refused_on_a_closed_loopback_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    spec = RequestSpec(method="GET", url=f"http://127.0.0.1:{port}/", timeout_s=5)
    with make_client() as client:
        record = send(spec, client=client)
    assert record.status is None
    assert record.failure is not None
    assert record.failure.kind is NetworkFailureKind.REFUSED


def test_invalid_url_is_a_failure_not_an_exception() -> None:
    with make_client() as client:
        record = send(RequestSpec(method="GET", url="htp:/nope"), client=client)
    assert record.failure is not None
    assert record.failure.kind is NetworkFailureKind.INVALID_URL
