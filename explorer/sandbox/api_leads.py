"""Requests, negotiations (leads) and messages; the writes that fire webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from explorer.sandbox.routes import Call, Route, require, route
from explorer.sandbox.validation import Validator, json_body, query_validator
from explorer.sandbox.wire import Response, json_response

JOB_STATUSES = (
    "not_scheduled",
    "appt_scheduled",
    "job_complete",
    "invoice_paid",
    "customer_cancel",
    "pro_cancel",
)
STATUS_AFTER_JOB = {
    "customer_cancel": "Canceled",
    "pro_cancel": "Canceled",
    "appt_scheduled": "Picked",
    "job_complete": "Picked",
    "invoice_paid": "Picked",
}


def _owner_of(call: Call, business_id: str) -> str | None:
    business = call.state.businesses.get(business_id)
    return business.owner_user_id if business else None


def visible_negotiation(call: Call, negotiation_id: str) -> dict[str, Any]:
    """The negotiation if the signed-in user is its customer or owns its business (else 404)."""
    negotiation = call.state.negotiations.get(negotiation_id)
    allowed = negotiation is not None and call.user_id in (
        negotiation["customer"]["customerID"],
        _owner_of(call, negotiation["business"]["businessID"]),
    )
    require(allowed, f"Negotiation {negotiation_id} does not exist for this user.")
    assert negotiation is not None
    return negotiation


def owned_business(call: Call, business_id: str) -> None:
    require(
        _owner_of(call, business_id) == call.user_id and call.user_id,
        f"Business {business_id} does not exist for this user.",
    )


@route("POST", "/requests", ("demand::requests.write",))
def create_request(call: Call) -> Response:
    v = Validator(json_body(call.request))
    search_id = v.string("searchID")
    business_ids = v.string_list("businessIDs")
    category_id = v.string("categoryID")
    v.utm_body()
    search = call.state.searches.get(search_id or "")
    if search_id and search is None:
        v.fail("searchID", f"unknown or expired search {search_id}; run a businesses search first")
    if search and category_id and category_id != search["categoryID"]:
        v.fail("categoryID", f"does not match the search's category {search['categoryID']}")
    if search and business_ids:
        stray = [bid for bid in business_ids if bid not in search["businessIDs"]]
        if stray:
            v.fail("businessIDs", f"not in the search results: {', '.join(stray)}")
    v.check()
    assert search is not None and business_ids is not None and category_id is not None
    state = call.state
    with state.lock:
        request = state.request_object(
            category_id=category_id, customer_id=call.user_id, zip_code=search["zipCode"]
        )
        contacted = []
        created = []
        for business_id in business_ids:
            business = state.businesses[business_id]
            negotiation = state.new_negotiation(
                business=business, customer=state.customer_of(call.user_id), request=request
            )
            contacted.append(
                {
                    "businessID": business_id,
                    "name": business.name,
                    "phoneNumber": business.phone,
                    "negotiationID": negotiation["negotiationID"],
                }
            )
            created.append(negotiation)
        request["contactedBusinesses"] = contacted
        state.requests[request["requestID"]] = request
    for negotiation in created:
        call.emit(
            "NegotiationCreatedV4",
            negotiation,
            business_id=negotiation["business"]["businessID"],
            user_ids=[call.user_id],
        )
    return json_response(200, {"request": request})


@route(
    "GET",
    "/negotiations/{negotiationID}",
    ("supply::negotiations.read", "demand::negotiations.read"),
)
def get_negotiation(call: Call) -> Response:
    with call.state.lock:
        return json_response(200, visible_negotiation(call, call.params["negotiationID"]))


@route("GET", "/businesses/{businessID}/negotiations", ("supply::negotiations.read",))
def business_negotiations(call: Call) -> Response:
    business_id = call.params["businessID"]
    owned_business(call, business_id)
    v = query_validator(call.request)
    limit = v.integer("limit", minimum=1, maximum=100, default=20) or 20
    v.check()
    with call.state.lock:
        items = [
            n
            for n in call.state.negotiations.values()
            if n["business"]["businessID"] == business_id
        ]
    items.sort(key=lambda n: n["createdAt"], reverse=True)
    return json_response(200, {"data": items[:limit], "pagination": {"limit": limit}})


@route("POST", "/negotiations/{negotiationID}/job-status", ("supply::negotiations.write",))
def job_status(call: Call) -> Response:
    v = Validator(json_body(call.request))
    status = v.string("status", choices=JOB_STATUSES)
    changed_at = v.string("partnerStatusChangedAt", required=False)
    amount = v.integer("invoiceAmountInCents", minimum=0, maximum=10**9)
    if changed_at is not None and _parse_time(changed_at) is None:
        v.fail("partnerStatusChangedAt", "must be an RFC 3339 date-time, e.g. 2024-06-13T17:18:01Z")
    v.check()
    with call.state.lock:
        negotiation = visible_negotiation(call, call.params["negotiationID"])
        job = {
            "status": status,
            "partnerStatusChangedAt": changed_at or call.state.now(),
            "invoiceAmountInCents": amount,
        }
        negotiation["jobStatus"] = job
        negotiation["status"] = STATUS_AFTER_JOB.get(status or "", negotiation["status"])
        return json_response(200, {"negotiationID": negotiation["negotiationID"], **job})


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


@route(
    "GET",
    "/negotiations/{negotiationID}/messages",
    ("supply::messages.read", "demand::messages.read"),
)
def list_messages(call: Call) -> Response:
    v = query_validator(call.request)
    limit = v.integer("limit", minimum=1, maximum=20, default=10) or 10
    bounds = {}
    for name in ("sentBefore", "sentAfter"):
        raw = v.string(name, required=False)
        if raw is not None:
            moment = _parse_time(raw)
            if moment is None:
                v.fail(name, "must be an RFC 3339 date-time, e.g. 2024-06-13T17:18:01Z")
            else:
                bounds[name] = moment
    v.check()
    with call.state.lock:
        negotiation = visible_negotiation(call, call.params["negotiationID"])
        messages = list(call.state.messages.get(negotiation["negotiationID"], []))
    kept = []
    for message in messages:
        sent = _parse_time(message["sentAt"])
        if sent is None:
            continue
        if "sentBefore" in bounds and not sent < bounds["sentBefore"]:
            continue
        if "sentAfter" in bounds and not sent > bounds["sentAfter"]:
            continue
        kept.append(message)
    return json_response(200, {"data": kept[:limit], "pagination": {"limit": limit}})


@route(
    "POST",
    "/negotiations/{negotiationID}/messages",
    ("supply::messages.write", "demand::messages.write"),
)
def send_message(call: Call) -> Response:
    v = Validator(json_body(call.request))
    text = v.string("text", max_length=16384)
    v.check()
    state = call.state
    with state.lock:
        negotiation = visible_negotiation(call, call.params["negotiationID"])
        customer = negotiation["customer"]
        business = negotiation["business"]
        message: dict[str, Any] = {
            "messageID": state.new_id(),
            "negotiationID": negotiation["negotiationID"],
            "customer": {
                "customerID": customer["customerID"],
                "displayName": f"{customer['firstName']} {customer['lastName'][:1]}.",
            },
            # Real deliveries name the business on the customer's messages too.
            "business": {
                "businessID": business["businessID"],
                "displayName": business["name"],
            },
            "from": "Business" if call.is_supply else "Customer",
            "text": text,
            "sentAt": state.now(),
        }
        # ``attachments`` is absent when there are none, as in real deliveries.
        state.messages.setdefault(negotiation["negotiationID"], []).append(message)
        owner = _owner_of(call, business["businessID"])
    call.emit(
        "MessageCreatedV4",
        message,
        business_id=business["businessID"],
        user_ids=[customer["customerID"], *([owner] if owner else [])],
    )
    return json_response(200, message)


ROUTES: list[Route] = [
    create_request,
    get_negotiation,
    business_negotiations,
    job_status,
    list_messages,
    send_message,
]
