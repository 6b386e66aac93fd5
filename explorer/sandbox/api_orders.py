"""On-Demand Orders (paths and fields inferred in the reference; statuses as documented).

An order created with a ``schedulingWindow`` is ``schedulingReady``, without one
``schedulingNotReady``. Orders in ``proMatchComplete``, ``jobComplete`` or ``jobCancelled``
are locked: updating or cancelling them gives 409 ProblemDetails.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from explorer.sandbox import problems
from explorer.sandbox.routes import Call, Route, RouteFlow, require, route
from explorer.sandbox.validation import Validator, json_body, query_validator
from explorer.sandbox.wire import ApiError, Response, json_response

CLIENT = RouteFlow.CLIENT
LOCKED = ("proMatchComplete", "jobComplete", "jobCancelled")


def _window(v: Validator, required: bool) -> dict[str, Any] | None:
    window = v.mapping("schedulingWindow", required=required)
    if window is None:
        return None
    inner = Validator(window, prefix="schedulingWindow.")
    start = inner.string("start")
    end = inner.string("end")
    for name, value in (("start", start), ("end", end)):
        if value is not None:
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                inner.fail(name, "must be an RFC 3339 date-time")
    v.errors.extend(inner.errors)
    return {"start": start, "end": end}


def _order(call: Call) -> dict[str, Any]:
    order = call.state.orders.get(call.params["orderID"])
    require(order, f"Order {call.params['orderID']} does not exist.")
    assert order is not None
    return order


def _unlocked(order: dict[str, Any]) -> None:
    if order["status"] in LOCKED:
        raise ApiError(
            problems.problem(
                409,
                "Conflict",
                f"The order is {order['status']} and can no longer be changed.",
                kind="conflict",
            )
        )


@route("GET", "/orders/availability", ("demand::orders/availability.read",), CLIENT)
def availability(call: Call) -> Response:
    v = query_validator(call.request)
    category_id = v.string("categoryID", required=False)
    v.zip_code(required=False)
    v.check()
    if category_id is not None:
        require(category_id in call.state.categories, f"Category {category_id} does not exist.")
    day = datetime.fromtimestamp(call.state.clock(), UTC).replace(
        hour=16, minute=0, second=0, microsecond=0
    ) + timedelta(days=3)
    slots = [
        {
            "start": (day + timedelta(days=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end": (day + timedelta(days=i, hours=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        for i in range(5)
    ]
    return json_response(200, {"data": slots})


@route("POST", "/orders", ("demand::orders.write",), CLIENT)
def create_order(call: Call) -> Response:
    v = Validator(json_body(call.request))
    configuration_id = v.string("configurationID")
    external = v.mapping("externalOrder")
    user = v.mapping("user")
    category_id = v.string("categoryID")
    window = _window(v, required=False)
    if category_id is not None and category_id not in call.state.categories:
        v.fail("categoryID", f"unknown category {category_id}")
    v.check()
    with call.state.lock:
        now = call.state.now()
        order: dict[str, Any] = {
            "orderID": call.state.new_id(),
            "status": "schedulingReady" if window else "schedulingNotReady",
            "configurationID": configuration_id,
            "categoryID": category_id,
            "externalOrder": external,
            "user": user,
            "schedulingWindow": window,
            "createdAt": now,
            "updatedAt": now,
        }
        call.state.orders[order["orderID"]] = order
        return json_response(200, dict(order))  # as the description says (unconfirmed)


@route("GET", "/orders/{orderID}", ("demand::orders.read",), CLIENT)
def get_order(call: Call) -> Response:
    with call.state.lock:
        return json_response(200, dict(_order(call)))


@route("PUT", "/orders/{orderID}", ("demand::orders.write",), CLIENT)
def update_order(call: Call) -> Response:
    v = Validator(json_body(call.request))
    external = v.mapping("externalOrder", required=False)
    user = v.mapping("user", required=False)
    window = _window(v, required=False)
    if external is None and user is None and window is None and not v.errors:
        v.fail("body", "send externalOrder, user or schedulingWindow to change")
    with call.state.lock:
        order = _order(call)
        v.check()
        _unlocked(order)
        for key, value in (
            ("externalOrder", external),
            ("user", user),
            ("schedulingWindow", window),
        ):
            if value is not None:
                order[key] = value
        if window is not None and order["status"] == "schedulingNotReady":
            order["status"] = "schedulingReady"
        order["updatedAt"] = call.state.now()
        return json_response(200, dict(order))


@route("POST", "/orders/{orderID}/cancel", ("demand::orders.write",), CLIENT)
def cancel_order(call: Call) -> Response:
    with call.state.lock:
        order = _order(call)
        _unlocked(order)
        order["status"] = "jobCancelled"
        order["updatedAt"] = call.state.now()
        order["cancellation"] = {"cancelledBy": "partner", "fee": "$0.00"}
        return json_response(200, dict(order))


ROUTES: list[Route] = [availability, create_order, get_order, update_order, cancel_order]
