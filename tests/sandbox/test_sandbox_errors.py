"""The documented API errors, each with its exact body shape (reference §9)."""

from __future__ import annotations

import re
from typing import Any

import pytest

TRACE_ID = re.compile(r"^[0-9a-f]{16}$")
PROBLEM = "application/problem+json"
SEARCH = {"searchQuery": "handyman", "zipCode": "90210", "utmData": {"utm_source": "cma-x"}}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert TRACE_ID.match(body["traceID"])
    assert body["type"].startswith("https://api.thumbtack.com/problems/")
    return dict(body)


def assert_unauthorized(response: Any) -> dict[str, Any]:
    """The gateway's 401: the documented shape plus the traceID real 2026 401s carry."""
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "traceID"}
    assert body["type"] == "about:blank" and body["title"] == "Unauthorized"
    assert body["status"] == 401 and TRACE_ID.match(body["traceID"])
    return dict(body)


def test_missing_bearer_is_401_with_the_gateway_shape(api: Any) -> None:
    response = api.call("GET", "/keywords/search", params={"searchQuery": "car"})
    assert_unauthorized(response)
    assert "Bearer" in response.headers["www-authenticate"]


def test_wrong_audience_gives_the_documented_502(api: Any) -> None:
    token = api.cc(audience="https://api.example.com")
    response = api.call("GET", "/keywords/search", token, params={"searchQuery": "car"})
    assert response.status_code == 502
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert body["error"] == "proxy_oauth_failed"
    assert body["detail"].startswith("Error: oauth_400:invalid_request:")
    assert (
        "Requested audience 'https://api.example.com' has not been whitelisted by the "
        "Auth 2.0 Client."
    ) in body["detail"]


def test_missing_audience_is_also_refused(api: Any) -> None:
    token = api.cc(audience="")
    response = api.call("GET", "/keywords/search", token, params={"searchQuery": "car"})
    assert response.status_code == 502
    assert "Requested audience ''" in response.json()["detail"]


def test_missing_scope_is_401_required_scopes_not_found(api: Any) -> None:
    """As a real staging run answered: 401, detail naming the scope, a traceID."""
    token = api.cc(scope="demand::categories.read")
    response = api.call("GET", "/keywords/search", token, params={"searchQuery": "car"})
    body = assert_unauthorized(response)
    assert body["detail"] == "required scope(s) [demand::keywords.read] not found"


def test_missing_scope_names_the_scope_of_the_tokens_family(api: Any) -> None:
    pro = api.user("supply", scope="supply::users.read")
    body = assert_unauthorized(api.call("GET", "/businesses", pro))
    assert body["detail"] == "required scope(s) [supply::businesses.list] not found"
    customer = api.user("demand", scope="demand::users.read")
    negotiation = api.call("GET", "/negotiations/548955282027569156", customer)
    assert assert_unauthorized(negotiation)["detail"] == (
        "required scope(s) [demand::negotiations.read] not found"
    )


def test_user_endpoints_refuse_client_credentials_tokens_with_the_same_401(api: Any) -> None:
    body = assert_unauthorized(api.call("GET", "/users/self", api.cc()))
    assert re.fullmatch(r"required scope\(s\) \[demand::users\.read\] not found", body["detail"])


def test_no_api_answer_is_a_403_problem_for_scopes_or_flows(api: Any) -> None:
    token = api.cc(scope="demand::categories.read")
    for method, path in (("GET", "/users/self"), ("GET", "/businesses"), ("POST", "/requests")):
        response = api.call(method, path, token, json={})
        assert response.status_code == 401, (path, response.text)
        assert "requiredScopes" not in response.json()


def test_validation_error_names_every_bad_field(api: Any) -> None:
    response = api.call(
        "POST",
        "/businesses/search",
        api.cc(),
        json={"zipCode": "9021", "utmData": {"utm_source": "partner"}, "limit": "ten"},
    )
    body = assert_problem(response, 400)
    assert body["title"] == "Your request is not valid."
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"zipCode", "utmData.utm_source", "limit", "searchQuery"}
    assert all(error["message"] for error in body["errors"])


def test_missing_query_parameters_are_named(api: Any) -> None:
    response = api.call("GET", "/categories/recommendations", api.cc())
    body = assert_problem(response, 400)
    assert {(e["field"], e["location"]) for e in body["errors"]} == {
        ("zipCode", "query"),
        ("recommendationType", "query"),
        ("utmData[utm_source]", "query"),
    }


@pytest.mark.parametrize(
    ("content", "content_type", "field"),
    [
        (b'{"zipCode": ', "application/json", "body"),
        (b"[1, 2]", "application/json", "body"),
        (b"zipCode=90210", "application/x-www-form-urlencoded", "Content-Type"),
        (b"\xff\xfe", "application/json", "body"),
        (b"", "application/json", "body"),
    ],
    ids=["malformed json", "not an object", "wrong content type", "not utf-8", "empty"],
)
def test_bad_bodies_are_400(api: Any, content: bytes, content_type: str, field: str) -> None:
    response = api.call(
        "POST",
        "/businesses/search",
        api.cc(),
        content=content,
        headers={"Content-Type": content_type},
    )
    body = assert_problem(response, 400)
    assert body["errors"][0]["field"] == field


def test_unknown_paths_and_resources_are_404(api: Any) -> None:
    token = api.cc()
    assert_problem(api.call("GET", "/no/such/thing", token), 404)
    assert_problem(api.call("GET", "/categories/999/request-form", token), 404)
    assert_problem(api.http.get("/favicon.ico"), 404)


def test_wrong_method_is_405_with_allow(api: Any) -> None:
    response = api.call("DELETE", "/keywords/search", api.cc())
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET"


def test_huge_bodies_are_413_without_reading_them(api: Any) -> None:
    response = api.call(
        "POST",
        "/businesses/search",
        api.cc(),
        content=b"x" * (1024 * 1024 + 1),
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 413)
    assert response.headers["connection"] == "close"
    assert api.call("POST", "/businesses/search", api.cc(), json=SEARCH).status_code == 200


def test_rate_limit_is_429_with_retry_after(make_session: Any) -> None:
    api = make_session(rate_limit_per_minute=3)
    token = api.cc()
    statuses = [api.call("GET", "/orders/availability", token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.call("GET", "/orders/availability", token)
    body = assert_problem(response, 429)
    assert body["title"] == "Rate Limited"
    assert int(response.headers["retry-after"]) >= 1
    fresh = api.cc()  # a new token of the same client shares its budget
    assert api.call("GET", "/orders/availability", fresh).status_code == 429
    assert api.call("GET", "/users/self", api.user("demand")).status_code == 200  # own budget
    assert api.call("GET", "/users/self", api.user("supply")).status_code == 200
