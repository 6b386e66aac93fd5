"""The exchange object: one request at a time, the latest wins, a cancelled or superseded
answer is dropped, the last exchange stays at hand; and two of them (two tabs) never see
each other's answers. Real requests to a server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from helpers.servers import LocalServer, local_server
from pytestqt.qtbot import QtBot

from explorer.core.http import make_client, send
from explorer.core.models import RequestSpec, ResponseRecord
from explorer.ui.exchange import ExchangeController, ShownResponse


def _answer(h: BaseHTTPRequestHandler) -> None:
    body = h.path.encode()  # the answer names the request, to tell answers apart
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with local_server(_answer) as running:
        yield running


class Held:
    """A real sender whose requests to ``/held`` wait until :meth:`release`."""

    def __init__(self) -> None:
        self.client = make_client()
        self.gate = threading.Event()
        self.done: list[str] = []  # paths whose send returned, in order

    def perform(self, spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        if spec.url.endswith("/held"):
            self.gate.wait(10)
        record = send(spec, client=self.client)
        self.done.append(spec.url.rsplit("/", 1)[-1])
        return record

    def release(self) -> None:
        self.gate.set()


@pytest.fixture
def sender() -> Iterator[Held]:
    held = Held()
    yield held
    held.release()
    held.client.close()


def _spec(server: LocalServer, name: str) -> RequestSpec:
    return RequestSpec(method="GET", url=f"{server.url}/{name}")


def _record_shown(exchange: ExchangeController) -> list[bytes]:
    shown: list[bytes] = []
    exchange.shown.connect(lambda s: shown.append(s.record.body))
    return shown


def test_the_latest_request_wins_and_the_superseded_answer_is_dropped(
    qtbot: QtBot, server: LocalServer, sender: Held
) -> None:
    exchange = ExchangeController(sender.perform)
    shown = _record_shown(exchange)
    pending: list[str] = []
    exchange.pending.connect(lambda spec: pending.append(spec.url))
    exchange.send(_spec(server, "held"))
    assert exchange.busy
    with qtbot.waitSignal(exchange.finished, timeout=10000) as finished:
        exchange.send(_spec(server, "fast"))
    assert isinstance(finished.args[0], ShownResponse)
    assert shown == [b"/fast"] and exchange.last_record is not None
    assert exchange.last_record.body == b"/fast"
    assert pending == [f"{server.url}/held", f"{server.url}/fast"]
    sender.release()
    qtbot.waitUntil(lambda: "held" in sender.done, timeout=10000)
    # one more exchange: its answer comes after the late one, which must have been dropped
    with qtbot.waitSignal(exchange.finished, timeout=10000):
        exchange.send(_spec(server, "after"))
    assert shown == [b"/fast", b"/after"]
    exchange.shutdown()


def test_cancel_says_so_at_once_and_the_late_answer_never_shows(
    qtbot: QtBot, server: LocalServer, sender: Held
) -> None:
    exchange = ExchangeController(sender.perform)
    shown = _record_shown(exchange)
    settled: list[bool] = []
    exchange.settled.connect(lambda: settled.append(True))
    exchange.send(_spec(server, "held"))
    with qtbot.waitSignal(exchange.cancelled, timeout=2000):
        exchange.cancel()
    assert not exchange.busy and settled == [True]
    sender.release()
    qtbot.waitUntil(lambda: "held" in sender.done, timeout=10000)
    with qtbot.waitSignal(exchange.finished, timeout=10000):
        exchange.send(_spec(server, "next"))
    assert shown == [b"/next"]
    assert exchange.last_record is not None and exchange.last_record.body == b"/next"
    exchange.shutdown()


def test_two_exchanges_keep_their_own_last_exchange(
    qtbot: QtBot, server: LocalServer, sender: Held
) -> None:
    left, right = ExchangeController(sender.perform), ExchangeController(sender.perform)
    shown_left, shown_right = _record_shown(left), _record_shown(right)
    left.send(_spec(server, "held"))
    with qtbot.waitSignal(right.finished, timeout=10000):
        right.send(_spec(server, "right"))
    assert left.busy  # the right one's answer neither cancels nor replaces the left one
    with qtbot.waitSignal(left.finished, timeout=10000):
        sender.release()
    assert shown_left == [b"/held"] and shown_right == [b"/right"]
    assert left.last_record is not None and left.last_record.body == b"/held"
    assert right.last_record is not None and right.last_record.body == b"/right"
    left.shutdown()
    right.shutdown()


def test_a_stored_exchange_put_back_is_the_last_one_but_not_a_new_one(
    qtbot: QtBot, server: LocalServer, sender: Held
) -> None:
    exchange = ExchangeController(sender.perform, base_url=lambda: server.url)
    finished: list[object] = []
    exchange.finished.connect(finished.append)
    with qtbot.waitSignal(exchange.finished, timeout=10000):
        exchange.send(_spec(server, "first"))
    stored = exchange.last_shown
    assert stored is not None
    reopened = RequestSpec(method="GET", url=f"{server.url}/reopened")
    with qtbot.waitSignal(exchange.shown, timeout=1000):
        exchange.show(stored, request=reopened)
    assert len(finished) == 1  # the history records only what was sent
    assert exchange.last_record is not None and exchange.last_record.request == reopened
    assert exchange.retry_spec() == reopened  # Retry sends the re-opened request
    assert exchange.on_screen(None) == reopened
    exchange.shutdown()


def test_a_failing_send_is_reported_not_shown(qtbot: QtBot) -> None:
    def perform(_spec: RequestSpec, _cancel: threading.Event) -> ResponseRecord:
        raise RuntimeError("the sender broke")

    exchange = ExchangeController(perform)
    shown: list[object] = []
    exchange.shown.connect(shown.append)
    with qtbot.waitSignal(exchange.failed, timeout=5000) as failed:
        exchange.send(RequestSpec(method="GET", url="http://127.0.0.1:9/"))
    assert isinstance(failed.args[0], RuntimeError) and shown == []
    assert not exchange.busy
    exchange.shutdown()
