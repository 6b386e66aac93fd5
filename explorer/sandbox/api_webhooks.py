"""Webhook management for businesses and users, and the test negotiation.

Thumbtack requires ``https://`` webhook URLs; the Sandbox also accepts ``http://`` URLs on
loopback (127.0.0.1, localhost, ::1) so a receiver on this machine can be used for tests,
and says so in the validation message. The stored ``auth`` secret is never echoed back:
responses carry only ``authType``.
"""

from __future__ import annotations

from typing import Any

from explorer.sandbox.api_leads import owned_business
from explorer.sandbox.oauth import is_loopback_url
from explorer.sandbox.routes import Call, Route, require, route
from explorer.sandbox.validation import Validator, json_body
from explorer.sandbox.wire import Response, empty_response, json_response

#: What a business webhook may subscribe to: the spec's ``BusinessWebhookEventTypeV4``
#: (eight values, as a third-party reading of Thumbtack's OpenAPI file quotes it).
BUSINESS_EVENT_TYPES = (
    "NegotiationCreatedV4",
    "MessageCreatedV4",
    "ReviewCreatedV4",
    "PresetJobMatchedV4",
    "PresetJobStatusChangedV4",
    "PresetJobCancelledV4",
    "PresetJobUpdatedV4",
    "PresetJobCompletedV4",
)
#: User webhooks: every event of the spec's webhooks section (the user enum is unknown).
EVENT_TYPES = (*BUSINESS_EVENT_TYPES[:3], "IncentiveUsedV4", *BUSINESS_EVENT_TYPES[3:])
URL_HINT = (
    "must be an https:// URL (the Sandbox also accepts http:// on 127.0.0.1 or "
    "localhost for local testing)"
)
TEST_BUSINESS_NAME = "Test Business for Webhooks"
TEST_CATEGORY_ID = "240123621172183344"  # "Full Service Lawn Care" in the real test lead


def public_view(webhook: dict[str, Any]) -> dict[str, Any]:
    """The webhook as the API shows it (no credentials)."""
    return {key: value for key, value in webhook.items() if not key.startswith("_")}


def _read_webhook(call: Call, event_types: tuple[str, ...]) -> dict[str, Any]:
    v = Validator(json_body(call.request))
    url = v.string("webhookURL", max_length=2048)
    if url is not None and not (
        url.startswith("https://") or is_loopback_url(url, schemes=("http",))
    ):
        v.fail("webhookURL", URL_HINT)
    chosen = v.string_list("eventTypes", choices=event_types)
    enabled = v.boolean("enabled")
    auth = v.mapping("auth", required=False)
    auth_type, auth_secret = "None", None
    if auth is not None:
        if set(auth) == {"username", "password"} and all(isinstance(auth[k], str) for k in auth):
            auth_type, auth_secret = "Basic", (auth["username"], auth["password"])
        elif set(auth) == {"header", "value"} and all(isinstance(auth[k], str) for k in auth):
            auth_type, auth_secret = "CustomHeader", (auth["header"], auth["value"])
        else:
            v.fail("auth", "must be {username, password} or {header, value}")
    v.check()
    return {
        "webhookURL": url,
        "enabled": enabled,
        "authType": auth_type,
        "eventTypes": chosen,
        "_auth": auth_secret,
    }


def _event_types(owner_key: str) -> tuple[str, ...]:
    return BUSINESS_EVENT_TYPES if owner_key == "businessID" else EVENT_TYPES


def _create(call: Call, owner_key: str, owner_id: str) -> Response:
    fields = _read_webhook(call, _event_types(owner_key))
    with call.state.lock:
        webhook = {"webhookID": call.state.new_id(), owner_key: owner_id, **fields}
        call.state.webhooks[webhook["webhookID"]] = webhook
    return json_response(201, public_view(webhook))


def _owned(call: Call, owner_key: str, owner_id: str) -> list[dict[str, Any]]:
    return [w for w in call.state.webhooks.values() if w.get(owner_key) == owner_id]


def _one(call: Call, owner_key: str, owner_id: str) -> dict[str, Any]:
    webhook = call.state.webhooks.get(call.params["webhookID"])
    require(
        webhook is not None and webhook.get(owner_key) == owner_id,
        f"Webhook {call.params['webhookID']} does not exist here.",
    )
    assert webhook is not None
    return webhook


def _update(call: Call, owner_key: str, owner_id: str) -> Response:
    fields = _read_webhook(call, _event_types(owner_key))
    with call.state.lock:
        webhook = _one(call, owner_key, owner_id)
        webhook.update(fields)
        return json_response(200, public_view(webhook))


def _delete(call: Call, owner_key: str, owner_id: str) -> Response:
    with call.state.lock:
        webhook = _one(call, owner_key, owner_id)
        del call.state.webhooks[webhook["webhookID"]]
    return empty_response(204)


def _list(call: Call, owner_key: str, owner_id: str) -> Response:
    with call.state.lock:
        items = [public_view(w) for w in _owned(call, owner_key, owner_id)]
    # Real answers give limit 10 (a stored business webhook list); no paging is known.
    return json_response(200, {"data": items, "pagination": {"limit": 10}})


def _business(call: Call) -> str:
    owned_business(call, call.params["businessID"])
    return call.params["businessID"]


BW_READ, BW_WRITE = ("supply::webhooks.read",), ("supply::webhooks.write",)
UW_READ = ("demand::webhooks.read", "supply::webhooks.read")
UW_WRITE = ("demand::webhooks.write", "supply::webhooks.write")
B_PATH, B_ONE = "/businesses/{businessID}/webhooks", "/businesses/{businessID}/webhooks/{webhookID}"


def test_lead(call: Call, business_id: str) -> dict[str, Any]:
    """Thumbtack's fixed test lead, as real test deliveries show it: a lawn-care request
    at 123 Main St, Apt 4B, San Francisco 94103 with one photo, "Test Customer" with
    phone 1234567890 and a fresh 18-digit customer ID, the business's real ID under the
    name "Test Business for Webhooks", no contacted businesses and no links."""
    state = call.state
    with state.lock:
        business = state.businesses[business_id]
        customer_id = state.new_id()
        request = state.request_object(
            category_id=TEST_CATEGORY_ID,
            customer_id=customer_id,
            zip_code="94103",
            description="This is a test lead for your webhook.",
        )
        request["location"].update({"address1": "123 Main St", "address2": "Apt 4B"})
        request["details"] = [{"question": "Frequency of services", "answer": "One time only"}]
        request["attachments"] = [
            {
                "fileName": "lawn.jpg",
                "mimeType": "image/jpeg",
                "fileSize": 20,
                "url": "https://www.thumbtack.com/test/lawn.jpg",
            }
        ]
        request["contactedBusinesses"] = []
        negotiation = state.new_negotiation(
            business=business,
            customer={
                "customerID": customer_id,
                "firstName": "Test",
                "lastName": "Customer",
                "phone": "1234567890",
            },
            request=request,
            business_name=TEST_BUSINESS_NAME,
            links=False,
        )
    return negotiation


@route("POST", "/businesses/{businessID}/webhooks/test-negotiation", BW_WRITE)
def test_negotiation(call: Call) -> Response:
    """Send Thumbtack's fixed test lead to the business's NegotiationCreatedV4 webhooks.

    Answers 200 ``{}``, as the description says (a third-party reading of the spec; the
    real status is not confirmed)."""
    business_id = _business(call)
    negotiation = test_lead(call, business_id)
    call.emit("NegotiationCreatedV4", negotiation, business_id=business_id, user_ids=[])
    return json_response(200, {})


@route("POST", B_PATH, BW_WRITE)
def create_business_webhook(call: Call) -> Response:
    return _create(call, "businessID", _business(call))


@route("GET", B_PATH, BW_READ)
def list_business_webhooks(call: Call) -> Response:
    return _list(call, "businessID", _business(call))


@route("GET", B_ONE, BW_READ)
def get_business_webhook(call: Call) -> Response:
    business_id = _business(call)
    with call.state.lock:
        return json_response(200, public_view(_one(call, "businessID", business_id)))


@route("PUT", B_ONE, BW_WRITE)
def update_business_webhook(call: Call) -> Response:
    return _update(call, "businessID", _business(call))


@route("DELETE", B_ONE, BW_WRITE)
def delete_business_webhook(call: Call) -> Response:
    return _delete(call, "businessID", _business(call))


@route("POST", "/users/webhooks", UW_WRITE)
def create_user_webhook(call: Call) -> Response:
    return _create(call, "userID", call.user_id)


@route("GET", "/users/webhooks", UW_READ)
def list_user_webhooks(call: Call) -> Response:
    return _list(call, "userID", call.user_id)


@route("GET", "/users/webhooks/{webhookID}", UW_READ)
def get_user_webhook(call: Call) -> Response:
    with call.state.lock:
        return json_response(200, public_view(_one(call, "userID", call.user_id)))


@route("PUT", "/users/webhooks/{webhookID}", UW_WRITE)
def update_user_webhook(call: Call) -> Response:
    return _update(call, "userID", call.user_id)


@route("DELETE", "/users/webhooks/{webhookID}", UW_WRITE)
def delete_user_webhook(call: Call) -> Response:
    return _delete(call, "userID", call.user_id)


ROUTES: list[Route] = [
    test_negotiation,
    create_business_webhook,
    list_business_webhooks,
    get_business_webhook,
    update_business_webhook,
    delete_business_webhook,
    create_user_webhook,
    list_user_webhooks,
    get_user_webhook,
    update_user_webhook,
    delete_user_webhook,
]
