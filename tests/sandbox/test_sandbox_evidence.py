"""The Sandbox brought to the evidence of real traffic, over real sockets.

Each test states one fact partners captured from Thumbtack (stored API answers, logged
webhook deliveries, a staging run) and checks that the Sandbox teaches the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.sandbox.test_sandbox_webhooks import ROBERTS, Receiver, _register

E164 = re.compile(r"^\+1\d{10}$")
ID18 = re.compile(r"^\d{18}$")
SIGNATURE = re.compile(r"signature|hmac", re.IGNORECASE)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


def test_deliveries_carry_the_real_headers_and_no_signature(
    make_session: Any, receiver: Receiver
) -> None:
    api = make_session()
    supply = api.user("supply")
    _register(api, supply, receiver.url, ["NegotiationCreatedV4"])
    api.call("POST", f"/businesses/{ROBERTS}/webhooks/test-negotiation", supply)
    headers, payload = receiver.wait_for(1)[0]
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["user-agent"] == "Go-http-client/1.1"
    assert lowered["content-type"] == "application/json"
    assert "authorization" not in lowered  # no credentials were registered
    assert not [name for name in lowered if SIGNATURE.search(name)]
    assert payload["event"]["description"] == ""


def test_the_test_lead_has_the_real_fixed_shape(make_session: Any, receiver: Receiver) -> None:
    api = make_session()
    supply = api.user("supply")
    _register(api, supply, receiver.url, ["NegotiationCreatedV4"])
    for _ in range(2):
        answer = api.call("POST", f"/businesses/{ROBERTS}/webhooks/test-negotiation", supply)
        assert answer.status_code == 200 and answer.json() == {}
    (_h1, first), (_h2, second) = receiver.wait_for(2)
    lead = first["data"]
    assert lead["business"]["businessID"] == ROBERTS  # the business's real ID
    assert lead["business"]["name"] == "Test Business for Webhooks"
    customer = lead["customer"]
    assert (customer["firstName"], customer["lastName"]) == ("Test", "Customer")
    assert customer["phone"] == "1234567890"
    assert ID18.match(customer["customerID"]) and customer["customerID"] != "1234567890"
    assert second["data"]["customer"]["customerID"] != customer["customerID"]  # fresh each time
    request = lead["request"]
    assert request["category"]["name"] == "Full Service Lawn Care"
    location = request["location"]
    assert (location["address1"], location["address2"]) == ("123 Main St", "Apt 4B")
    assert (location["city"], location["zipCode"]) == ("San Francisco", "94103")
    assert len(request["attachments"]) == 1
    assert request["contactedBusinesses"] == []
    assert lead["estimate"]["type"] == "Fixed" and lead["estimate"]["total"] == "$150.00"
    assert lead["leadPrice"] == "$25.00"
    assert lead["leadPriceBreakdown"] == {"subtotal": "$23.15", "salesTax": "$1.85"}
    assert "requestReviewLink" not in lead and "refundRequestLink" not in lead


@pytest.mark.parametrize("sender", ["demand", "supply"])
def test_message_created_names_both_parties_and_omits_empty_attachments(
    make_session: Any, receiver: Receiver, sender: str
) -> None:
    api = make_session()
    supply = api.user("supply")
    _register(api, supply, receiver.url, ["MessageCreatedV4"])
    token = supply if sender == "supply" else api.user("demand")
    sent = api.call(
        "POST", "/negotiations/519153480500518912/messages", token, json={"text": "a\r\nb"}
    )
    assert sent.status_code == 200
    _headers, payload = receiver.wait_for(1)[0]
    data = payload["data"]
    assert data["from"] == ("Business" if sender == "supply" else "Customer")
    assert set(data["customer"]) == {"customerID", "displayName"}
    assert set(data["business"]) == {"businessID", "displayName"}  # a customer's too
    assert "attachments" not in data
    assert data["text"] == "a\r\nb"
    assert sent.json() == data
    listed = api.call("GET", "/negotiations/519153480500518912/messages", token).json()["data"]
    assert all("business" in m and "attachments" not in m for m in listed)


def test_business_webhooks_cannot_subscribe_to_incentive_used(api: Any) -> None:
    supply = api.user("supply")
    body = {"webhookURL": "https://partner.example/hooks", "enabled": True}
    refused = api.call(
        "POST",
        f"/businesses/{ROBERTS}/webhooks",
        supply,
        json={**body, "eventTypes": ["NegotiationCreatedV4", "IncentiveUsedV4"]},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"].startswith("eventTypes")
    offered = refused.json()["errors"][0]["message"].split("; use ", 1)[1]
    assert "IncentiveUsedV4" not in offered and "NegotiationCreatedV4" in offered
    for event in ("ReviewCreatedV4", "PresetJobCompletedV4"):
        made = api.call(
            "POST", f"/businesses/{ROBERTS}/webhooks", supply, json={**body, "eventTypes": [event]}
        )
        assert made.status_code == 201


def test_webhook_lists_answer_limit_10(api: Any) -> None:
    supply = api.user("supply")
    for _ in range(12):
        _register(api, supply, "https://partner.example/hooks", ["MessageCreatedV4"])
    listed = api.call("GET", f"/businesses/{ROBERTS}/webhooks", supply).json()
    assert listed["pagination"] == {"limit": 10}
    assert set(listed["data"][0]) == {
        "webhookID",
        "webhookURL",
        "enabled",
        "authType",
        "businessID",
        "eventTypes",
    }


def test_businesses_carry_phone_numbers_in_e164_and_no_invented_fields(api: Any) -> None:
    supply = api.user("supply")
    items = api.call("GET", "/businesses", supply).json()["data"]
    assert all(set(b) == {"businessID", "name", "imageURL", "phoneNumber"} for b in items)
    assert all(E164.match(b["phoneNumber"]) for b in items)
    one = api.call("GET", f"/businesses/{ROBERTS}", supply).json()
    assert set(one) == {"businessID", "name", "imageURL", "phoneNumber"}


@pytest.mark.parametrize("family", ["demand", "supply"])
def test_users_self_has_the_five_real_keys_and_an_e164_phone(api: Any, family: str) -> None:
    me = api.call("GET", "/users/self", api.user(family)).json()
    assert set(me) == {"userID", "email", "phoneNumber", "firstName", "lastName"}
    assert E164.match(me["phoneNumber"])


@pytest.mark.parametrize(
    "value", ["townhouse", "single_family_home", "MULTI_FAMILY", "apartment", "commercial"]
)
def test_property_types_follow_the_official_list(api: Any, value: str) -> None:
    params = {"zipCode": "90210", "propertyType": value, "utmData[utm_source]": "cma-x"}
    assert api.call("GET", "/categories/homecare", api.cc(), params=params).status_code == 200


def test_an_unknown_property_type_names_the_accepted_values(api: Any) -> None:
    params = {"zipCode": "90210", "propertyType": "castle", "utmData[utm_source]": "cma-x"}
    response = api.call("GET", "/categories/homecare", api.cc(), params=params)
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert "single_family_home" in message and "documents no value list" in message


def test_categories_search_takes_utm_data(api: Any) -> None:
    params = {"searchQuery": "lawn", "utmData[utm_source]": "cma-partner"}
    found = api.call("GET", "/categories/search", api.cc(), params=params)
    assert found.status_code == 200
    assert "utm_source=cma-partner" in found.json()["data"][0]["nearMeURL"]
    bad = api.call(
        "GET", "/categories/search", api.cc(), params={**params, "utmData[utm_source]": "x"}
    )
    assert bad.status_code == 400
    plain = api.call("GET", "/categories/search", api.cc(), params={"searchQuery": "lawn"})
    assert plain.status_code == 200


def test_one_client_per_flow(api: Any) -> None:
    """The application client only has client credentials; the customer and pro clients
    only the authorization code; asking for the other flow is unauthorized_client."""
    cc = {"grant_type": "client_credentials", "audience": "urn:partner-api"}
    for client in (api.CUSTOMER, api.SUPPLY):
        refused = api.token_request(cc, client=client)
        assert refused.status_code == 400 and refused.json()["error"] == "unauthorized_client"
    page = api.authorize(api.DEMAND, scope="demand::categories.read")
    assert api.redirect_params(page)["error"] == "unauthorized_client"
    assert api.cc()  # the application client
    assert api.user("demand") and api.user("supply")
