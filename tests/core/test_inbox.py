"""The webhook inbox's core on real sockets: recording, checks, answers, replay, forwarding."""

from __future__ import annotations

import base64
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest
from helpers.inbox import running_inbox
from helpers.servers import local_server, reply

from explorer.core.catalog import load_default_catalog
from explorer.core.inbox.checks import check_contract, default_webhook_schemas
from explorer.core.inbox.events import (
    EVENTS,
    follow_ups,
    ordering_note,
    sample_delivery,
)
from explorer.core.inbox.listener import AnswerPlan, InboxConfig, InboxListener
from explorer.core.inbox.model import (
    THUMBTACK_USER_AGENT,
    CredentialState,
    VerdictState,
    WebhookCredentials,
)
from explorer.core.inbox.replay import deliver
from explorer.core.inbox.store import BODY_CAP_BYTES, DeliveryFilter, InboxStore

BASIC = WebhookCredentials.basic("hello", "world")


def _post(url: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    with httpx.Client(timeout=10) as client:
        return client.post(url, content=body, headers=headers or {})


def test_a_schema_violating_delivery_gets_an_invalid_verdict_naming_the_field(
    tmp_path: Path,
) -> None:
    sample = json.loads(sample_delivery("MessageCreatedV4").body)
    sample["data"]["from"] = "Robot"
    sample["data"]["negotiationID"] = 12345  # a number, where the schema wants a string
    with running_inbox(tmp_path / "h.sqlite3") as (inbox, got):
        answer = _post(inbox.url, json.dumps(sample).encode(), {"Content-Type": "application/json"})
        delivery = got.wait_for(1)[0]
    assert answer.status_code == 200  # recorded and acknowledged whatever the verdict
    assert delivery.verdict.state is VerdictState.INVALID
    where = {f.where for f in delivery.verdict.findings if not f.warning}
    assert where == {"data.from", "data.negotiationID"}
    assert "Robot" in delivery.verdict.summary or "negotiationID" in delivery.verdict.summary


@pytest.mark.parametrize(
    ("body", "state"),
    [
        (b"", VerdictState.NOT_JSON),
        (b"<xml/>", VerdictState.NOT_JSON),
        (b'{"event":{"eventType":"LeadUpdatedV4"},"data":{}}', VerdictState.UNKNOWN_EVENT),
        (b'{"event":{"eventType":"NegotiationCreatedV4"}}', VerdictState.INVALID),
    ],
)
def test_bodies_that_are_not_deliveries_get_their_own_verdict(
    tmp_path: Path, body: bytes, state: VerdictState
) -> None:
    with running_inbox(tmp_path / "h.sqlite3") as (inbox, got):
        _post(inbox.url + "x?y=1", body, {"Content-Type": "application/json"})
        delivery = got.wait_for(1)[0]
    assert delivery.verdict.state is state
    assert delivery.body == body and delivery.path == "/x?y=1"


def test_every_sample_matches_the_description_and_says_how_true_it_is() -> None:
    schemas = default_webhook_schemas()
    assert set(schemas.event_types) == set(EVENTS)
    for event_type in EVENTS:
        sample = sample_delivery(event_type, business_id="468046965846925323")
        verdict = check_contract(sample.body, sample.headers, schemas)
        documented = event_type in ("NegotiationCreatedV4", "MessageCreatedV4")
        expected = VerdictState.VALID if documented else VerdictState.UNDOCUMENTED
        assert verdict.state is expected, (event_type, verdict.findings)
        assert ("Illustration only" in sample.note) is not documented
        assert dict(sample.headers)["User-Agent"] == THUMBTACK_USER_AGENT
        envelope = json.loads(sample.body)["event"]
        assert envelope["eventType"] == event_type and envelope["description"] == ""
    with pytest.raises(KeyError, match="not a webhook event"):
        sample_delivery("LeadUpdatedV4")


def test_follow_up_calls_name_real_operations_with_the_ids_of_the_delivery() -> None:
    catalog = load_default_catalog()
    for info in EVENTS.values():
        for follow in info.follow_ups:
            endpoint = catalog.by_operation_id(follow.operation_id)
            assert endpoint is not None, follow.operation_id
            assert set(follow.params) <= {p.name for p in endpoint.parameters}
    sample = json.loads(sample_delivery("NegotiationCreatedV4", negotiation_id="77").body)
    resolved = follow_ups("NegotiationCreatedV4", sample["data"])
    assert [f.operation_id for f in resolved][:2] == ["getNegotiationV4", "listMessagesV4"]
    assert all(f.ready and f.path_params == {"negotiationID": "77"} for f in resolved)
    missing = follow_ups("MessageCreatedV4", {"text": "no ids"})
    assert missing and all(f.missing == ("negotiationID",) for f in missing)


def test_a_message_before_its_negotiation_is_flagged_then_explained(tmp_path: Path) -> None:
    message = sample_delivery("MessageCreatedV4", negotiation_id="900000000000000001")
    lead = sample_delivery("NegotiationCreatedV4", negotiation_id="900000000000000001")
    with running_inbox(tmp_path / "h.sqlite3") as (inbox, got):
        _post(inbox.url, message.body, dict(message.headers))
        first = got.wait_for(1)[0]
        note = ordering_note(first, inbox.store.negotiation_arrival(first.negotiation_id))
        assert "has not arrived yet" in note and "900000000000000001" in note
        _post(inbox.url, lead.body, dict(lead.headers))
        second = got.wait_for(2)[1]
        later = ordering_note(first, inbox.store.negotiation_arrival(first.negotiation_id))
        assert f"came later as delivery #{second.id}" in later
        assert ordering_note(second, second.id) == ""


def test_the_answer_is_configurable_500_and_a_delay(tmp_path: Path) -> None:
    config = InboxConfig(answer=AnswerPlan(status=500))
    with running_inbox(tmp_path / "h.sqlite3", config) as (inbox, got):
        failed = _post(inbox.url, sample_delivery("MessageCreatedV4").body)
        assert failed.status_code == 500 and "500" in failed.json()["error"]
        inbox.configure(InboxConfig(answer=AnswerPlan(status=204, delay_s=0.3)))
        started = time.monotonic()
        slow = _post(inbox.url, sample_delivery("MessageCreatedV4").body)
        assert time.monotonic() - started >= 0.3
        assert slow.status_code == 204
        deliveries = got.wait_for(2)
    assert [d.answered_status for d in deliveries] == [500, 204]
    with pytest.raises(ValueError, match="200-599"):
        AnswerPlan(status=99)


def test_two_hundred_concurrent_deliveries_are_all_recorded(tmp_path: Path) -> None:
    samples = [sample_delivery("MessageCreatedV4") for _ in range(200)]
    with running_inbox(tmp_path / "h.sqlite3") as (inbox, got):
        with httpx.Client(timeout=30, limits=httpx.Limits(max_connections=200)) as client:

            def send(body: bytes) -> int:
                return client.post(inbox.url, content=body).status_code

            with ThreadPoolExecutor(max_workers=64) as pool:
                statuses = list(pool.map(send, [s.body for s in samples]))
        got.wait_for(200)
        stored = inbox.store.list(limit=1000)
    assert statuses == [200] * 200
    assert len(stored) == 200
    assert {d.body for d in stored} == {s.body for s in samples}
    assert [d.id for d in stored] == sorted((d.id for d in stored), reverse=True)


def test_replay_arrives_byte_identical_with_the_webhook_credentials() -> None:
    sample = sample_delivery("NegotiationCreatedV4")
    with local_server(reply(200, b'{"ok":true}')) as server:
        answer = deliver(server.url + "/hook", sample.body, sample.headers, credentials=BASIC)
        header = deliver(
            server.url + "/hook",
            sample.body,
            sample.headers,
            credentials=WebhookCredentials.header("X-Partner-Key: s3cret"),
        )
    assert answer.accepted and header.accepted
    assert answer.total_ms > 0 and "accepted" in answer.explanation
    (method, path, headers, body), (_m, _p, headers2, body2) = server.requests
    assert (method, path) == ("POST", "/hook")
    assert body == sample.body and body2 == sample.body
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"hello:world").decode()
    assert headers["User-Agent"] == THUMBTACK_USER_AGENT
    assert headers["Content-Type"] == "application/json"
    assert headers2["X-Partner-Key"] == "s3cret" and "Authorization" not in headers2


def test_a_recorded_delivery_replays_byte_identical_with_fresh_credentials(
    tmp_path: Path,
) -> None:
    sample = sample_delivery("MessageCreatedV4")
    wire = dict(sample.headers) | dict(BASIC.headers())
    with running_inbox(tmp_path / "h.sqlite3", InboxConfig(credentials=BASIC)) as (inbox, got):
        _post(inbox.url, sample.body, wire)
        recorded = inbox.store.get(got.wait_for(1)[0].id or 0)
    assert recorded is not None and "world" not in json.dumps(recorded.to_dict())
    with local_server(reply(401)) as server:
        answer = deliver(server.url, recorded.body, recorded.headers, credentials=BASIC)
    assert answer.status == 401 and "credentials" in answer.explanation
    _method, _path, headers, body = server.requests[0]
    assert body == sample.body
    assert headers["Authorization"] == wire["Authorization"]


def test_replay_to_nothing_says_nothing_is_listening() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    answer = deliver(f"http://127.0.0.1:{port}/", b"{}")
    assert answer.status is None and not answer.accepted
    assert "Nothing is listening" in answer.explanation


def test_forwarding_passes_each_delivery_on_and_records_both_sides(tmp_path: Path) -> None:
    sample = sample_delivery("NegotiationCreatedV4")
    with local_server(reply(503, b'{"busy":true}')) as server:
        config = InboxConfig(credentials=BASIC, forward_url=server.url + "/mine")
        with running_inbox(tmp_path / "h.sqlite3", config) as (inbox, got):
            sent = _post(inbox.url, sample.body, dict(sample.headers) | dict(BASIC.headers()))
            delivery = got.wait_for(1)[0]
            stored = inbox.store.get(delivery.id or 0)
    assert sent.status_code == 503  # the sender hears what the endpoint said
    _m, path, headers, body = server.requests[0]
    assert path == "/mine" and body == sample.body
    assert headers["Authorization"] == dict(BASIC.headers())["Authorization"]
    assert stored is not None and stored.forward is not None
    assert stored.forward.status == 503 and stored.answered_status == 503
    assert b"busy" in stored.forward.body and "failed" in stored.forward.explanation


def test_any_method_chunked_bodies_and_oversized_bodies_are_recorded(tmp_path: Path) -> None:
    with running_inbox(tmp_path / "h.sqlite3") as (inbox, got):
        with httpx.Client(timeout=30) as client:
            client.put(inbox.url + "p", content=iter([b'{"a":', b"1}"]))
            big = client.post(inbox.url, content=b"x" * (BODY_CAP_BYTES + 10))
        put, large = got.wait_for(2)
    assert put.method == "PUT" and put.body == b'{"a":1}'
    assert any(f.where == "method" for f in put.verdict.findings)
    assert big.status_code == 413
    assert large.body_truncated and len(large.body) == BODY_CAP_BYTES


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with InboxStore(tmp_path / "h.sqlite3") as store:
        first = InboxListener(store)
        first.start()
        try:
            second = InboxListener(store, port=first.port)
            with pytest.raises(OSError, match="already in use"):
                second.start()
        finally:
            first.stop()


def test_the_store_filters_and_keeps_only_the_newest(tmp_path: Path) -> None:
    with running_inbox(tmp_path / "h.sqlite3", InboxConfig(credentials=BASIC)) as (inbox, got):
        _post(inbox.url, sample_delivery("NegotiationCreatedV4").body)
        _post(inbox.url, sample_delivery("MessageCreatedV4").body, dict(BASIC.headers()))
        got.wait_for(2)
        store = inbox.store
        assert [
            d.event_type for d in store.list(DeliveryFilter(event_type="MessageCreatedV4"))
        ] == ["MessageCreatedV4"]
        failed = store.list(DeliveryFilter(failed_credentials=True))
        assert [d.credential.state for d in failed] == [CredentialState.MISSING]
        assert [d.event_type for d in store.list(DeliveryFilter(text="Lawn"))] == [
            "NegotiationCreatedV4"
        ]
    with InboxStore(tmp_path / "h.sqlite3", max_deliveries=1) as small:
        small.add(got.items[0])
        assert small.count() == 1
