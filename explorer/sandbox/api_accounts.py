"""User accounts, pro businesses and business phone numbers (associate-phone-numbers)."""

from __future__ import annotations

from typing import Any

from explorer.sandbox import fixtures
from explorer.sandbox.api_leads import owned_business
from explorer.sandbox.routes import Call, Route, require, route
from explorer.sandbox.validation import PHONE_RE, Validator, json_body, query_validator
from explorer.sandbox.wire import Response, empty_response, json_response

PHONE_HINT = "must be an E.164 US number such as +14155550123"


@route("GET", "/users/self", ("demand::users.read", "supply::users.read"))
def users_self(call: Call) -> Response:
    user = call.state.users.get(call.user_id)
    require(user, "The signed-in user does not exist.")
    return json_response(200, user)


@route("POST", "/users/disconnect", ("demand::users.disconnect", "supply::users.disconnect"))
def users_disconnect(call: Call) -> Response:
    """Revoke every token the user granted to this client (they must sign in again)."""
    call.tokens.revoke_user(call.token.grant.client_id, call.user_id)
    return empty_response(204)  # as the description says; the real answer is not known


def _business_item(business: fixtures.Business) -> dict[str, Any]:
    """A Business as a real stored list answer shows it (phoneNumber included)."""
    return {
        "businessID": business.business_id,
        "name": business.name,
        "imageURL": f"{fixtures.IMAGE_CDN}{business.business_id}/desktop/standard/fullscreen",
        "phoneNumber": business.phone,
    }


@route("GET", "/businesses", ("supply::businesses.list",))
def list_businesses(call: Call) -> Response:
    v = query_validator(call.request)
    limit = v.integer("limit", minimum=1, maximum=100, default=20) or 20
    v.check()
    items = [_business_item(b) for b in call.state.owned_businesses(call.user_id)]
    return json_response(200, {"data": items[:limit], "pagination": {"limit": limit}})


@route("GET", "/businesses/{businessID}", ("supply::businesses.list",))
def get_business(call: Call) -> Response:
    business_id = call.params["businessID"]
    owned_business(call, business_id)
    # No real answer of this route is known: the Sandbox gives the list item's fields and
    # invents none.
    return json_response(200, _business_item(call.state.businesses[business_id]))


def _phone_numbers(call: Call, business_id: str) -> list[dict[str, Any]]:
    return [
        p
        for p in call.state.phone_numbers.values()
        if p["businessID"] == business_id and not p["isDeleted"]
    ]


def _new_phone(call: Call, business_id: str, number: str, name: str | None) -> dict[str, Any]:
    now = call.state.now()
    phone: dict[str, Any] = {
        "phoneNumberID": call.state.new_id(),
        "businessID": business_id,
        "phoneNumber": number,
        "name": name,
        "createdTime": now,
        "updatedTime": now,
        "lastActivityTime": None,
        "isDeleted": False,
    }
    call.state.phone_numbers[phone["phoneNumberID"]] = phone
    return phone


def _check_duplicate(
    call: Call, v: Validator, business_id: str, number: str | None, field: str
) -> None:
    if number and any(p["phoneNumber"] == number for p in _phone_numbers(call, business_id)):
        v.fail(field, f"{number} is already registered for this business")


@route(
    "GET",
    "/businesses/{businessID}/associate-phone-numbers",
    ("supply::businesses/associate-phone-numbers.read",),
)
def list_phones(call: Call) -> Response:
    owned_business(call, call.params["businessID"])
    with call.state.lock:
        return json_response(200, {"phoneNumbers": _phone_numbers(call, call.params["businessID"])})


@route(
    "POST",
    "/businesses/{businessID}/associate-phone-numbers",
    ("supply::businesses/associate-phone-numbers.write",),
)
def create_phone(call: Call) -> Response:
    business_id = call.params["businessID"]
    owned_business(call, business_id)
    v = Validator(json_body(call.request))
    number = v.string("phoneNumber", pattern=PHONE_RE, hint=PHONE_HINT)
    name = v.string("name", required=False, max_length=200)
    with call.state.lock:
        _check_duplicate(call, v, business_id, number, "phoneNumber")
        v.check()
        return json_response(200, _new_phone(call, business_id, number or "", name))


@route(
    "POST",
    "/businesses/{businessID}/associate-phone-numbers-bulk-create",
    ("supply::businesses/associate-phone-numbers.write",),
)
def bulk_create_phones(call: Call) -> Response:
    business_id = call.params["businessID"]
    owned_business(call, business_id)
    body = json_body(call.request)
    v = Validator(body)
    rows = body.get("phoneNumbers")
    if not isinstance(rows, list) or not rows or len(rows) > 100:
        v.fail("phoneNumbers", "must be a list of 1-100 {phoneNumber, name} objects")
        v.check()
    assert isinstance(rows, list)
    wanted: list[tuple[str, str | None]] = []
    with call.state.lock:
        for index, row in enumerate(rows):
            item = Validator(row if isinstance(row, dict) else {}, prefix=f"phoneNumbers[{index}].")
            number = item.string("phoneNumber", pattern=PHONE_RE, hint=PHONE_HINT)
            name = item.string("name", required=False, max_length=200)
            _check_duplicate(call, item, business_id, number, "phoneNumber")
            if number in [w[0] for w in wanted]:
                item.fail("phoneNumber", f"{number} appears twice in the list")
            v.errors.extend(item.errors)
            wanted.append((number or "", name))
        v.check()
        created = [_new_phone(call, business_id, number, name) for number, name in wanted]
    return json_response(200, {"phoneNumbers": created})


def _phone(call: Call) -> dict[str, Any]:
    business_id, phone_id = call.params["businessID"], call.params["phoneNumberID"]
    owned_business(call, business_id)
    phone = call.state.phone_numbers.get(phone_id)
    require(
        phone and phone["businessID"] == business_id and not phone["isDeleted"],
        f"Phone number {phone_id} does not exist for business {business_id}.",
    )
    assert phone is not None
    return phone


@route(
    "PUT",
    "/businesses/{businessID}/associate-phone-numbers/{phoneNumberID}",
    ("supply::businesses/associate-phone-numbers.write",),
)
def update_phone(call: Call) -> Response:
    v = Validator(json_body(call.request))
    number = v.string("phoneNumber", required=False, pattern=PHONE_RE, hint=PHONE_HINT)
    name = v.string("name", required=False, max_length=200)
    if number is None and name is None and not v.errors:
        v.fail("phoneNumber", "send phoneNumber or name to change")
    with call.state.lock:
        phone = _phone(call)
        v.check()
        if number is not None:
            phone["phoneNumber"] = number
        if name is not None:
            phone["name"] = name
        phone["updatedTime"] = call.state.now()
        return json_response(200, dict(phone))


@route(
    "DELETE",
    "/businesses/{businessID}/associate-phone-numbers/{phoneNumberID}",
    ("supply::businesses/associate-phone-numbers.write",),
)
def delete_phone(call: Call) -> Response:
    with call.state.lock:
        phone = _phone(call)
        phone["isDeleted"] = True
        phone["updatedTime"] = call.state.now()
    return empty_response(204)


ROUTES: list[Route] = [
    users_self,
    users_disconnect,
    list_businesses,
    get_business,
    list_phones,
    create_phone,
    bulk_create_phones,
    update_phone,
    delete_phone,
]
