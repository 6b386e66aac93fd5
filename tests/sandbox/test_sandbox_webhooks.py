"""Webhook delivery to a tiny receiver on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

ROBERTS = "468046965846925323"
KITCHEN = "201565295100608806"


class Receiver:
    """Records POSTs; answers with the queued statuses first, then 200."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.statuses: list[int] = []
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                # Recorded before answering: once the answer is out, the Sandbox may send
                # the next delivery, which another handler thread could record first.
                with receiver.arrived:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.received.append((dict(self.headers), json.loads(body)))
                    receiver.arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[tuple[dict[str, str], Any]]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, timeout), (
                f"only {len(self.received)} of {count} deliveries arrived"
            )
            return list(self.received)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


def _register(api: Any, token: str, url: str, events: list[str], auth: Any = None) -> str:
    body: dict[str, Any] = {"webhookURL": url, "eventTypes": events, "enabled": True}
    if auth is not None:
        body["auth"] = auth
    response = api.call("POST", f"/businesses/{ROBERTS}/webhooks", token, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["webhookID"])


def test_test_negotiation_is_delivered_with_basic_auth(
    make_session: Any, receiver: Receiver
) -> None:
    api = make_session()
    supply = api.user("supply")
    webhook_id = _register(
        api,
        supply,
        receiver.url,
        ["NegotiationCreatedV4"],
        {"username": "hello", "password": "world"},
    )
    created = api.call("POST", f"/businesses/{ROBERTS}/webhooks/test-negotiation", supply)
    assert created.status_code == 200 and created.json() == {}
    headers, payload = receiver.wait_for(1)[0]
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"hello:world").decode()
    assert headers["Content-Type"] == "application/json"
    event = payload["event"]
    assert event["eventType"] == "NegotiationCreatedV4"
    assert event["webhookID"] == webhook_id and event["description"] == ""
    assert event["triggeredAt"].endswith("Z")
    assert payload["data"]["negotiationID"]
    assert payload["data"]["customer"]["firstName"] == "Test"


def test_a_customer_request_and_a_message_reach_the_pro(
    make_session: Any, receiver: Receiver
) -> None:
    api = make_session()
    supply, demand = api.user("supply"), api.user("demand")
    _register(
        api,
        supply,
        receiver.url,
        ["NegotiationCreatedV4", "MessageCreatedV4"],
        {"header": "X-Partner-Key", "value": "s3cret"},
    )
    request = api.call(
        "POST",
        "/requests",
        demand,
        json={
            "searchID": "548954743629463556",
            "businessIDs": [ROBERTS],
            "categoryID": KITCHEN,
            "utmData": {"utm_source": "cma-admin"},
        },
    ).json()["request"]
    negotiation_id = request["contactedBusinesses"][0]["negotiationID"]
    api.call("POST", f"/negotiations/{negotiation_id}/messages", demand, json={"text": "Hi!"})
    deliveries = receiver.wait_for(2)
    # Thumbtack does not guarantee the order of webhook events (reference §7), so a
    # partner must not rely on it; compare the events as a set.
    by_type = {p["event"]["eventType"]: p for _h, p in deliveries}
    assert set(by_type) == {"NegotiationCreatedV4", "MessageCreatedV4"}
    assert len(deliveries) == 2
    assert all(h["X-Partner-Key"] == "s3cret" for h, _p in deliveries)
    assert by_type["NegotiationCreatedV4"]["data"]["negotiationID"] == negotiation_id
    assert by_type["MessageCreatedV4"]["data"]["text"] == "Hi!"
    assert by_type["MessageCreatedV4"]["data"]["negotiationID"] == negotiation_id


def test_user_webhooks_get_messages_for_their_user(make_session: Any, receiver: Receiver) -> None:
    api = make_session()
    demand, supply = api.user("demand"), api.user("supply")
    response = api.call(
        "POST",
        "/users/webhooks",
        demand,
        json={"webhookURL": receiver.url, "eventTypes": ["MessageCreatedV4"], "enabled": True},
    )
    assert response.json()["userID"] == "519153480034934784"
    api.call("POST", "/negotiations/519153480500518912/messages", supply, json={"text": "Yo"})
    _headers, payload = receiver.wait_for(1)[0]
    assert payload["data"]["from"] == "Business"


def test_failed_deliveries_are_retried_a_bounded_number_of_times(
    make_session: Any, receiver: Receiver
) -> None:
    api = make_session(webhook_max_attempts=3, webhook_backoff_s=0.01)
    supply = api.user("supply")
    _register(api, supply, receiver.url, ["NegotiationCreatedV4"])
    receiver.statuses[:] = [500, 503]
    api.call("POST", f"/businesses/{ROBERTS}/webhooks/test-negotiation", supply)
    assert len(receiver.wait_for(3)) == 3
    receiver.statuses[:] = [500, 500, 500, 500]
    api.call("POST", f"/businesses/{ROBERTS}/webhooks/test-negotiation", supply)
    receiver.wait_for(6)
    deadline = time.monotonic() + 5
    while len(results := api.server.webhook_deliveries) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [(r.delivered, r.attempts) for r in results] == [(True, 3), (False, 3)]
    assert results[1].error == "HTTP 500"
    assert len(receiver.received) == 6  # no fourth attempt


def test_disabled_or_unsubscribed_webhooks_get_nothing(
    make_session: Any, receiver: Receiver
) -> None:
    api = make_session()
    supply = api.user("supply")
    _register(api, supply, receiver.url, ["MessageCreatedV4"])  # not negotiations
    api.call(
        "POST",
        f"/businesses/{ROBERTS}/webhooks",
        supply,
        json={"webhookURL": receiver.url, "eventTypes": ["NegotiationCreatedV4"], "enabled": False},
    )
    _register(api, supply, receiver.url + "?probe=1", ["MessageCreatedV4"])
    api.call("POST", f"/businesses/{ROBERTS}/webhooks/test-negotiation", supply)
    api.call("POST", "/negotiations/519153480500518912/messages", supply, json={"text": "x"})
    deliveries = receiver.wait_for(2)
    assert {p["event"]["eventType"] for _h, p in deliveries} == {"MessageCreatedV4"}


@pytest.mark.parametrize(
    "url", ["http://partner.example.com/hooks", "ftp://127.0.0.1/x", "not a url"]
)
def test_webhook_urls_must_be_https_or_loopback_http(api: Any, url: str) -> None:
    response = api.call(
        "POST",
        f"/businesses/{ROBERTS}/webhooks",
        api.user("supply"),
        json={"webhookURL": url, "eventTypes": ["MessageCreatedV4"], "enabled": True},
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "webhookURL" and "https://" in error["message"]
