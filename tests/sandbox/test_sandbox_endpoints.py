"""Every v4 endpoint of the Sandbox answers its happy path, with consistent data."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from explorer.sandbox.api import all_routes

KITCHEN = "201565295100608806"
ROBERTS = "468046965846925323"
NEGOTIATION = "519153480500518912"
SEED_SEARCH = "548954743629463556"
SEED_ORDER = "720000000000000001"
SEED_PHONE = "710000000000000001"
REVIEW = "5343987659230309812"
UTM = {"utm_source": "cma-test"}
HOOK = {
    "webhookURL": "https://partner.example.com/hooks",
    "eventTypes": ["MessageCreatedV4"],
    "enabled": False,
    "auth": {"username": "hello", "password": "world"},
}
_numbers = itertools.count(1000)

#: the v4 endpoints of the reference catalogue (legacy, widgets and inbound events excluded)
REFERENCE_V4 = {
    "GET /categories/recommendations",
    "GET /categories/homecare",
    "GET /categories/{categoryID}/request-form",
    "GET /categories/search",
    "GET /keywords/search",
    "POST /businesses/search",
    "POST /businesses/search-filtered",
    "POST /requests",
    "GET /businesses/{businessID}/reviews",
    "POST /businesses/{businessID}/reviews/{reviewID}/response",
    "GET /reviews",
    "GET /users/self",
    "POST /users/webhooks",
    "GET /users/webhooks",
    "GET /users/webhooks/{webhookID}",
    "PUT /users/webhooks/{webhookID}",
    "DELETE /users/webhooks/{webhookID}",
    "POST /users/disconnect",
    "GET /businesses",
    "GET /businesses/{businessID}",
    "POST /businesses/{businessID}/webhooks",
    "GET /businesses/{businessID}/webhooks",
    "GET /businesses/{businessID}/webhooks/{webhookID}",
    "PUT /businesses/{businessID}/webhooks/{webhookID}",
    "DELETE /businesses/{businessID}/webhooks/{webhookID}",
    "POST /businesses/{businessID}/webhooks/test-negotiation",
    "GET /businesses/{businessID}/associate-phone-numbers",
    "POST /businesses/{businessID}/associate-phone-numbers",
    "POST /businesses/{businessID}/associate-phone-numbers-bulk-create",
    "PUT /businesses/{businessID}/associate-phone-numbers/{phoneNumberID}",
    "DELETE /businesses/{businessID}/associate-phone-numbers/{phoneNumberID}",
    "GET /negotiations/{negotiationID}",
    "GET /businesses/{businessID}/negotiations",
    "POST /negotiations/{negotiationID}/job-status",
    "GET /negotiations/{negotiationID}/messages",
    "POST /negotiations/{negotiationID}/messages",
    "POST /orders",
    "GET /orders/{orderID}",
    "PUT /orders/{orderID}",
    "POST /orders/{orderID}/cancel",
    "GET /orders/availability",
}


def _phone() -> str:
    return f"+1415555{next(_numbers):04d}"


@dataclass(frozen=True)
class Case:
    method: str
    template: str
    who: str  # cc | demand | supply
    status: int
    check: Callable[[Any], bool]
    params: dict[str, Any] = field(default_factory=dict)
    body: Callable[[], dict[str, Any]] | None = None
    path: str | None = None  # the concrete path when it differs from the template


def _user_webhook(api: Any, token: str) -> str:
    response = api.call("POST", "/users/webhooks", token, json=HOOK)
    return str(response.json()["webhookID"])


def _business_webhook(api: Any, token: str) -> str:
    response = api.call("POST", f"/businesses/{ROBERTS}/webhooks", token, json=HOOK)
    return str(response.json()["webhookID"])


def _new_phone(api: Any, token: str) -> str:
    response = api.call(
        "POST",
        f"/businesses/{ROBERTS}/associate-phone-numbers",
        token,
        json={"phoneNumber": _phone(), "name": "Temp"},
    )
    return str(response.json()["phoneNumberID"])


def _new_order(api: Any, token: str) -> str:
    response = api.call("POST", "/orders", token, json=ORDER_BODY())
    return str(response.json()["orderID"])


def ORDER_BODY() -> dict[str, Any]:
    return {
        "configurationID": "730000000000000001",
        "categoryID": "219264413294461288",
        "externalOrder": {"externalOrderID": "ext-1"},
        "user": {"firstName": "Dana", "lastName": "Reyes", "phone": "5615550142"},
        "schedulingWindow": {"start": "2026-12-02T16:00:00Z", "end": "2026-12-02T20:00:00Z"},
    }


PLACEHOLDERS = {
    "{userWebhookID}": _user_webhook,
    "{businessWebhookID}": _business_webhook,
    "{phoneNumberID}": _new_phone,
    "{orderID}": _new_order,
}

CASES = [
    Case(
        "GET",
        "/categories/recommendations",
        "cc",
        200,
        lambda j: len(j["data"]) == 1 and j["data"][0]["nearMeURL"].endswith("cma-test"),
        params={
            "zipCode": "90210",
            "recommendationType": "popular",
            "utmData[utm_source]": "cma-test",
            "limit": 1,
        },
    ),
    Case(
        "GET",
        "/categories/homecare",
        "cc",
        200,
        lambda j: any(d["taskID"] == "422486850969493532" for d in j["data"]),
        params={"zipCode": "90210", "propertyType": "townhouse", "utmData[utm_source]": "cma-test"},
    ),
    Case(
        "GET",
        "/categories/{categoryID}/request-form",
        "cc",
        200,
        lambda j: (
            j["requestFormID"] == "360027128293056514"
            and j["questions"][0]["questionID"] == "326918438863339640"
        ),
        path=f"/categories/{KITCHEN}/request-form",
    ),
    Case(
        "GET",
        "/categories/search",
        "cc",
        200,
        lambda j: "House Cleaning" in [d["name"] for d in j["data"]],
        params={"searchQuery": "cleaning"},
    ),
    Case(
        "GET",
        "/keywords/search",
        "cc",
        200,
        lambda j: {"keywordID": "102906936603224901", "name": "Carpet Cleaning"} in j["data"],
        params={"searchQuery": "car", "limit": 15},
    ),
    Case(
        "POST",
        "/businesses/search",
        "cc",
        200,
        lambda j: j["searchID"] and j["data"][0]["businessID"] == "479288677004124167",
        body=lambda: {"searchQuery": "handyman", "zipCode": "90210", "utmData": UTM, "limit": 1},
    ),
    Case(
        "POST",
        "/businesses/search-filtered",
        "cc",
        200,
        lambda j: j["metadata"]["categoryName"] == "Plumbing" and j["data"],
        body=lambda: {
            "userQuery": "leaky kitchen faucet",
            "zipCode": "90210",
            "utmData": UTM,
            "limit": 10,
        },
    ),
    Case(
        "POST",
        "/requests",
        "demand",
        200,
        lambda j: (
            j["request"]["contactedBusinesses"][0]["businessID"] == ROBERTS
            and j["request"]["category"]["name"] == "Kitchen Remodel"
        ),
        body=lambda: {
            "searchID": SEED_SEARCH,
            "businessIDs": [ROBERTS],
            "categoryID": KITCHEN,
            "utmData": {"utm_source": "cma-admin"},
        },
    ),
    Case(
        "GET",
        "/businesses/{businessID}/reviews",
        "demand",
        200,
        lambda j: len(j["data"]) == 2 and j["pagination"]["next"].endswith("offset=2"),
        params={"limit": 2, "offset": 0},
        path=f"/businesses/{ROBERTS}/reviews",
    ),
    Case(
        "POST",
        "/businesses/{businessID}/reviews/{reviewID}/response",
        "supply",
        200,
        lambda j: j["responseText"] == "Thanks!",
        body=lambda: {"responseText": "Thanks!"},
        path=f"/businesses/{ROBERTS}/reviews/{REVIEW}/response",
    ),
    Case(
        "GET",
        "/reviews",
        "cc",
        200,
        lambda j: len(j["data"]) == 3 and all(r["businessID"] == ROBERTS for r in j["data"]),
        params={"businessIDs": ROBERTS},
    ),
    Case("GET", "/users/self", "demand", 200, lambda j: j["firstName"] == "Olivia"),
    Case(
        "POST",
        "/users/webhooks",
        "demand",
        201,
        lambda j: j["authType"] == "Basic" and "auth" not in j and j["userID"],
        body=lambda: HOOK,
    ),
    Case("GET", "/users/webhooks", "demand", 200, lambda j: isinstance(j["data"], list)),
    Case(
        "GET",
        "/users/webhooks/{webhookID}",
        "demand",
        200,
        lambda j: j["webhookID"],
        path="/users/webhooks/{userWebhookID}",
    ),
    Case(
        "PUT",
        "/users/webhooks/{webhookID}",
        "demand",
        200,
        lambda j: j["enabled"] is True,
        body=lambda: {**HOOK, "enabled": True},
        path="/users/webhooks/{userWebhookID}",
    ),
    Case(
        "DELETE",
        "/users/webhooks/{webhookID}",
        "demand",
        204,
        lambda j: j is None,
        path="/users/webhooks/{userWebhookID}",
    ),
    Case("POST", "/users/disconnect", "demand", 204, lambda j: j is None),
    Case(
        "GET",
        "/businesses",
        "supply",
        200,
        lambda j: {ROBERTS, "1337"} == {b["businessID"] for b in j["data"]},
    ),
    Case(
        "GET",
        "/businesses/{businessID}",
        "supply",
        200,
        lambda j: j["name"] == "Robert's Remodeling",
        path=f"/businesses/{ROBERTS}",
    ),
    Case(
        "POST",
        "/businesses/{businessID}/webhooks",
        "supply",
        201,
        lambda j: j["businessID"] == ROBERTS and j["authType"] == "Basic",
        body=lambda: HOOK,
        path=f"/businesses/{ROBERTS}/webhooks",
    ),
    Case(
        "GET",
        "/businesses/{businessID}/webhooks",
        "supply",
        200,
        lambda j: isinstance(j["data"], list),
        path=f"/businesses/{ROBERTS}/webhooks",
    ),
    Case(
        "GET",
        "/businesses/{businessID}/webhooks/{webhookID}",
        "supply",
        200,
        lambda j: j["businessID"] == ROBERTS,
        path=f"/businesses/{ROBERTS}/webhooks/{{businessWebhookID}}",
    ),
    Case(
        "PUT",
        "/businesses/{businessID}/webhooks/{webhookID}",
        "supply",
        200,
        lambda j: j["eventTypes"] == ["NegotiationCreatedV4"] and j["authType"] == "None",
        body=lambda: {
            "webhookURL": "https://partner.example.com/h2",
            "eventTypes": ["NegotiationCreatedV4"],
            "enabled": True,
        },
        path=f"/businesses/{ROBERTS}/webhooks/{{businessWebhookID}}",
    ),
    Case(
        "DELETE",
        "/businesses/{businessID}/webhooks/{webhookID}",
        "supply",
        204,
        lambda j: j is None,
        path=f"/businesses/{ROBERTS}/webhooks/{{businessWebhookID}}",
    ),
    Case(
        "POST",
        "/businesses/{businessID}/webhooks/test-negotiation",
        "supply",
        200,
        lambda j: j == {},
        path=f"/businesses/{ROBERTS}/webhooks/test-negotiation",
    ),
    Case(
        "GET",
        "/businesses/{businessID}/associate-phone-numbers",
        "supply",
        200,
        lambda j: SEED_PHONE in [p["phoneNumberID"] for p in j["phoneNumbers"]],
        path=f"/businesses/{ROBERTS}/associate-phone-numbers",
    ),
    Case(
        "POST",
        "/businesses/{businessID}/associate-phone-numbers",
        "supply",
        200,
        lambda j: j["businessID"] == ROBERTS and j["isDeleted"] is False,
        body=lambda: {"phoneNumber": _phone(), "name": "John"},
        path=f"/businesses/{ROBERTS}/associate-phone-numbers",
    ),
    Case(
        "POST",
        "/businesses/{businessID}/associate-phone-numbers-bulk-create",
        "supply",
        200,
        lambda j: len(j["phoneNumbers"]) == 2,
        body=lambda: {"phoneNumbers": [{"phoneNumber": _phone()}, {"phoneNumber": _phone()}]},
        path=f"/businesses/{ROBERTS}/associate-phone-numbers-bulk-create",
    ),
    Case(
        "PUT",
        "/businesses/{businessID}/associate-phone-numbers/{phoneNumberID}",
        "supply",
        200,
        lambda j: j["name"] == "Renamed",
        body=lambda: {"name": "Renamed"},
        path=f"/businesses/{ROBERTS}/associate-phone-numbers/{{phoneNumberID}}",
    ),
    Case(
        "DELETE",
        "/businesses/{businessID}/associate-phone-numbers/{phoneNumberID}",
        "supply",
        204,
        lambda j: j is None,
        path=f"/businesses/{ROBERTS}/associate-phone-numbers/{{phoneNumberID}}",
    ),
    Case(
        "GET",
        "/negotiations/{negotiationID}",
        "supply",
        200,
        lambda j: j["negotiationID"] == NEGOTIATION and j["business"]["businessID"] == ROBERTS,
        path=f"/negotiations/{NEGOTIATION}",
    ),
    Case(
        "GET",
        "/businesses/{businessID}/negotiations",
        "supply",
        200,
        lambda j: NEGOTIATION in [n["negotiationID"] for n in j["data"]],
        path=f"/businesses/{ROBERTS}/negotiations",
    ),
    Case(
        "POST",
        "/negotiations/{negotiationID}/job-status",
        "supply",
        200,
        lambda j: j["status"] == "appt_scheduled",
        body=lambda: {"status": "appt_scheduled"},
        path=f"/negotiations/{NEGOTIATION}/job-status",
    ),
    Case(
        "GET",
        "/negotiations/{negotiationID}/messages",
        "demand",
        200,
        lambda j: j["data"][0]["messageID"] == "519153481515696128",
        path=f"/negotiations/{NEGOTIATION}/messages",
    ),
    Case(
        "POST",
        "/negotiations/{negotiationID}/messages",
        "supply",
        200,
        lambda j: j["from"] == "Business" and j["text"] == "Hello world",
        body=lambda: {"text": "Hello world"},
        path=f"/negotiations/{NEGOTIATION}/messages",
    ),
    Case("POST", "/orders", "cc", 200, lambda j: j["status"] == "schedulingReady", body=ORDER_BODY),
    Case(
        "GET",
        "/orders/{orderID}",
        "cc",
        200,
        lambda j: j["orderID"] == SEED_ORDER,
        path=f"/orders/{SEED_ORDER}",
    ),
    Case(
        "PUT",
        "/orders/{orderID}",
        "cc",
        200,
        lambda j: j["externalOrder"] == {"externalOrderID": "ext-2"},
        body=lambda: {"externalOrder": {"externalOrderID": "ext-2"}},
        path="/orders/{orderID}",
    ),
    Case(
        "POST",
        "/orders/{orderID}/cancel",
        "cc",
        200,
        lambda j: j["status"] == "jobCancelled",
        path="/orders/{orderID}/cancel",
    ),
    Case("GET", "/orders/availability", "cc", 200, lambda j: len(j["data"]) == 5),
]


def test_the_sandbox_serves_exactly_the_reference_v4_endpoints() -> None:
    served = {f"{r.method} {r.path}" for r in all_routes()}
    assert served == REFERENCE_V4


def test_every_endpoint_has_a_happy_path_case() -> None:
    assert {f"{c.method} {c.template}" for c in CASES} == REFERENCE_V4


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.template}")
def test_happy_path(api: Any, case: Case) -> None:
    token = api.cc() if case.who == "cc" else api.user(case.who)
    path = case.path or case.template
    for placeholder, create in PLACEHOLDERS.items():
        if placeholder in path:
            path = path.replace(placeholder, create(api, token))
    kwargs: dict[str, Any] = {"params": case.params}
    if case.body is not None:
        kwargs["json"] = case.body()
    response = api.call(case.method, path, token, **kwargs)
    assert response.status_code == case.status, response.text
    payload = response.json() if response.content else None
    assert case.check(payload), payload


def test_a_business_found_by_search_has_reviews_and_a_request_form(api: Any) -> None:
    token = api.cc()
    found = api.call(
        "POST",
        "/businesses/search",
        token,
        json={"categoryID": KITCHEN, "zipCode": "94117", "utmData": UTM},
    ).json()
    assert found["metadata"]["categoryID"] == KITCHEN
    for business in found["data"]:
        reviews = api.call(
            "GET", "/reviews", token, params={"businessIDs": business["businessID"]}
        ).json()["data"]
        assert len(reviews) == business["numberOfReviews"] > 0
    form = api.call("GET", f"/categories/{KITCHEN}/request-form", token)
    assert form.status_code == 200


def test_a_request_creates_negotiations_that_both_sides_can_read_and_message(api: Any) -> None:
    cc, demand, supply = api.cc(), api.user("demand"), api.user("supply")
    search = api.call(
        "POST",
        "/businesses/search",
        cc,
        json={"categoryID": KITCHEN, "zipCode": "94117", "utmData": UTM},
    ).json()
    created = api.call(
        "POST",
        "/requests",
        demand,
        json={
            "searchID": search["searchID"],
            "businessIDs": [ROBERTS],
            "categoryID": KITCHEN,
            "utmData": UTM,
        },
    ).json()["request"]
    negotiation_id = created["contactedBusinesses"][0]["negotiationID"]
    lead = api.call("GET", f"/negotiations/{negotiation_id}", supply).json()
    assert lead["request"]["requestID"] == created["requestID"]
    assert lead["customer"]["customerID"] == created["customerID"]
    sent = api.call(
        "POST",
        f"/negotiations/{negotiation_id}/messages",
        demand,
        json={"text": "When can you start?"},
    )
    assert sent.json()["from"] == "Customer"
    seen = api.call("GET", f"/negotiations/{negotiation_id}/messages", supply).json()["data"]
    assert [m["text"] for m in seen] == ["When can you start?"]
    listed = api.call("GET", f"/businesses/{ROBERTS}/negotiations", supply).json()["data"]
    assert negotiation_id in [n["negotiationID"] for n in listed]


def test_writes_last_and_deletes_are_seen(api: Any) -> None:
    supply = api.user("supply")
    hook = api.call("POST", f"/businesses/{ROBERTS}/webhooks", supply, json=HOOK).json()
    path = f"/businesses/{ROBERTS}/webhooks/{hook['webhookID']}"
    assert api.call("GET", path, supply).json() == hook
    assert api.call("DELETE", path, supply).status_code == 204
    assert api.call("GET", path, supply).status_code == 404


def test_a_pro_cannot_see_another_pros_business(api: Any) -> None:
    supply = api.user("supply")
    response = api.call("GET", "/businesses/479288677004124167", supply)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_locked_orders_cannot_change(api: Any) -> None:
    cc = api.cc()
    order_id = api.call("POST", "/orders", cc, json=ORDER_BODY()).json()["orderID"]
    assert api.call("POST", f"/orders/{order_id}/cancel", cc).status_code == 200
    again = api.call("PUT", f"/orders/{order_id}", cc, json={"user": {"firstName": "X"}})
    assert again.status_code == 409
    assert again.json()["title"] == "Conflict"
