"""The Sandbox delivers to the webhook inbox on 127.0.0.1: every event it sends, checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers.inbox import running_inbox

from explorer.core.inbox.listener import InboxConfig
from explorer.core.inbox.model import (
    CredentialState,
    VerdictState,
    WebhookCredentials,
)
from explorer.core.inbox.store import InboxStore

ROBERTS = "468046965846925323"
KITCHEN = "201565295100608806"
BASIC = WebhookCredentials.basic("hello", "world")


def _register(api: Any, token: str, url: str, auth: Any = None) -> str:
    body: dict[str, Any] = {
        "webhookURL": url,
        "eventTypes": ["NegotiationCreatedV4", "MessageCreatedV4"],
        "enabled": True,
    }
    if auth is not None:
        body["auth"] = auth
    response = api.call("POST", f"/businesses/{ROBERTS}/webhooks", token, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["webhookID"])


def _every_event(api: Any) -> str:
    """Make the Sandbox send each event it can: a test lead, a customer request, a message."""
    supply, demand = api.user("supply"), api.user("demand")
    test = api.call("POST", f"/businesses/{ROBERTS}/webhooks/test-negotiation", supply)
    assert test.status_code in (200, 201), test.text
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
    negotiation_id = str(request["contactedBusinesses"][0]["negotiationID"])
    sent = api.call(
        "POST", f"/negotiations/{negotiation_id}/messages", demand, json={"text": "Hi!"}
    )
    assert sent.status_code in (200, 201), sent.text
    return negotiation_id


@pytest.mark.integration
def test_the_sandbox_delivers_every_event_with_the_right_basic_credentials(
    make_session: Any, tmp_path: Path
) -> None:
    api = make_session()
    supply = api.user("supply")
    with running_inbox(tmp_path / "h.sqlite3", InboxConfig(credentials=BASIC)) as (inbox, got):
        webhook_id = _register(
            api, supply, inbox.url + "thumbtack", auth={"username": "hello", "password": "world"}
        )
        negotiation_id = _every_event(api)
        deliveries = got.wait_for(3)
    assert len(deliveries) == 3
    kinds = sorted(d.event_type for d in deliveries)
    assert kinds == ["MessageCreatedV4", "NegotiationCreatedV4", "NegotiationCreatedV4"]
    for delivery in deliveries:
        assert delivery.method == "POST" and delivery.path == "/thumbtack"
        assert delivery.source.startswith("127.0.0.1:")
        assert delivery.webhook_id == webhook_id
        assert delivery.credential.state is CredentialState.OK, delivery.credential
        assert delivery.verdict.state is VerdictState.VALID, delivery.verdict.findings
        assert delivery.answered_status == 200
        assert delivery.header("User-Agent") == "Go-http-client/1.1"
        # stored redacted: the Basic credentials never reach the file
        assert "Basic" in (delivery.header("Authorization") or "")
        assert "d29ybGQ" not in (delivery.header("Authorization") or "")
    message = next(d for d in deliveries if d.event_type == "MessageCreatedV4")
    assert message.negotiation_id == negotiation_id
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("h.sqlite3*"))
    assert b"aGVsbG86d29ybGQ=" not in raw and b"world" not in raw


@pytest.mark.integration
@pytest.mark.parametrize(
    ("auth", "state", "shown"),
    [
        ({"username": "hello", "password": "wrong-one"}, CredentialState.WRONG, "password"),
        ({"username": "other", "password": "world"}, CredentialState.WRONG, "username"),
        (None, CredentialState.MISSING, "No Authorization header"),
    ],
)
def test_wrong_or_missing_basic_credentials_are_reported_masked(
    make_session: Any, tmp_path: Path, auth: Any, state: CredentialState, shown: str
) -> None:
    api = make_session()
    supply = api.user("supply")
    with running_inbox(tmp_path / "h.sqlite3", InboxConfig(credentials=BASIC)) as (inbox, got):
        _register(api, supply, inbox.url, auth=auth)
        api.call("POST", f"/businesses/{ROBERTS}/webhooks/test-negotiation", supply)
        delivery = got.wait_for(1)[0]
    assert delivery.credential.state is state
    assert delivery.credential.failed
    assert shown in delivery.credential.summary
    assert "wrong-one" not in delivery.credential.sent + delivery.credential.summary
    if auth is not None:
        assert f"username '{auth['username']}'" in delivery.credential.sent
    with InboxStore(tmp_path / "h.sqlite3") as store:
        stored = store.get(delivery.id or 0)
    assert stored is not None and stored.credential.state is state


@pytest.mark.integration
def test_a_custom_header_webhook_is_checked_against_the_configured_header(
    make_session: Any, tmp_path: Path
) -> None:
    api = make_session()
    supply = api.user("supply")
    expected = WebhookCredentials.header("X-Partner-Key: s3cret-value")
    with running_inbox(tmp_path / "h.sqlite3", InboxConfig(credentials=expected)) as (inbox, got):
        _register(api, supply, inbox.url, auth={"header": "X-Partner-Key", "value": "s3cret-value"})
        api.call("POST", f"/businesses/{ROBERTS}/webhooks/test-negotiation", supply)
        delivery = got.wait_for(1)[0]
    assert delivery.credential.state is CredentialState.OK
    assert delivery.header("X-Partner-Key") != "s3cret-value"  # masked at rest
