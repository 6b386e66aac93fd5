"""Fault injection: every fault of the catalogue, by header, by default and on the wire."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx2 as httpx
import pytest

from explorer.core.evidence import Evidence
from explorer.sandbox.faults import (
    FAULTS,
    FAULTS_BY_NAME,
    FaultCategory,
    FaultPlace,
    FaultSyntaxError,
    faults_by_grade,
    parse_faults,
)

PATH = "/categories/recommendations"
AUDIENCE = "urn:partner-api"
PARAMS = {"zipCode": "90210", "recommendationType": "popular", "utmData[utm_source]": "cma-x"}
NOT_ACTIVE = {
    "type": "about:blank",
    "title": "Unauthorized",
    "status": 401,
    "detail": "invalid token. failure reason(s): [token is not active]",
}


def _not_active(response: Any) -> bool:
    body = dict(response.json())
    return len(body.pop("traceID", "")) == 16 and body == NOT_ACTIVE


def _problem(body: bytes) -> dict[str, Any]:
    data = json.loads(body)
    assert len(data["traceID"]) == 16
    return dict(data)


DOCUMENTED = {
    "waf-challenge": (
        202,
        "text/html",
        lambda r: "<html" in r.text and r.headers["x-amzn-waf-action"] == "challenge",
    ),
    "rate-limited": (
        429,
        "application/problem+json",
        lambda r: _problem(r.content)["title"] == "Rate Limited" and "retry-after" not in r.headers,
    ),
    "rate-limited-retry-after": (
        429,
        "application/problem+json",
        lambda r: int(r.headers["retry-after"]) > 0,
    ),
    "token-expired": (401, "application/problem+json", _not_active),
    "malformed-token": (
        401,
        "application/problem+json",
        lambda r: "malformed" in _problem(r.content)["detail"],
    ),
    "proxy-oauth-failed": (
        502,
        "application/json",
        lambda r: (
            r.json()["error"] == "proxy_oauth_failed"
            and "'https://api.partner.example'" in r.json()["detail"]
            and "urn:partner-api" not in r.json()["detail"]  # never the right one as wrong
        ),
    ),
    "insufficient-scope": (
        401,
        "application/problem+json",
        lambda r: (
            _problem(r.content)["detail"] == "required scope(s) [demand::categories.read] not found"
        ),
    ),
    "blocked-client": (403, "text/html", lambda r: "403 Forbidden" in r.text),
    "sanctioned-country": (
        451,
        "application/problem+json",
        lambda r: "sanctioned" in _problem(r.content)["detail"],
    ),
    "validation-error": (
        400,
        "application/problem+json",
        lambda r: _problem(r.content)["errors"][0]["field"] == "zipCode",
    ),
    "not-found": (404, "application/problem+json", lambda r: _problem(r.content)["status"] == 404),
    "server-error": (
        500,
        "application/problem+json",
        lambda r: _problem(r.content)["status"] == 500,
    ),
    "service-unavailable": (503, "application/problem+json", lambda r: "retry-after" in r.headers),
}


def test_the_catalogue_lists_every_error_fault_with_its_status() -> None:
    documented = {f.name: f.status for f in FAULTS if f.category is FaultCategory.DOCUMENTED}
    assert documented == {name: spec[0] for name, spec in DOCUMENTED.items()} | {
        "invalid-client": 401
    }
    network = {f.name for f in FAULTS if f.category is FaultCategory.NETWORK}
    assert network == {"latency", "drop-mid-body", "truncated-body", "malformed-body", "slow-drip"}
    assert all(f.title and f.description for f in FAULTS)


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_error_fault_by_header(api: Any, name: str) -> None:
    status, content_type, check = DOCUMENTED[name]
    response = api.call("GET", PATH, api.cc(), params=PARAMS, headers={"X-Sandbox-Fault": name})
    assert response.status_code == status
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers["x-sandbox-fault"] == name  # marked as injected
    assert check(response)


def test_injected_proxy_oauth_failed_names_the_tokens_wrong_audience(api: Any) -> None:
    token = api.cc(audience="https://wrong.example")
    response = api.call(
        "GET", PATH, token, params=PARAMS, headers={"X-Sandbox-Fault": "proxy-oauth-failed"}
    )
    assert response.status_code == 502
    assert "Requested audience 'https://wrong.example'" in response.json()["detail"]


def test_injected_missing_scope_is_the_real_401_naming_the_endpoints_scope(api: Any) -> None:
    token = api.cc(scope="demand::categories.read demand::keywords.read")
    response = api.call(
        "GET",
        "/keywords/search",
        token,
        params={"searchQuery": "car"},
        headers={"X-Sandbox-Fault": "insufficient-scope"},
    )
    assert response.status_code == 401
    problem = _problem(response.content)
    assert problem["type"] == "about:blank" and problem["title"] == "Unauthorized"
    assert problem["detail"] == "required scope(s) [demand::keywords.read] not found"
    assert "requiredScopes" not in problem and "grantedScopes" not in problem


def test_every_fault_has_a_grade_and_the_unconfirmed_ones_are_not_documented() -> None:
    assert all(isinstance(f.evidence, Evidence) for f in FAULTS)
    assert FAULTS_BY_NAME["insufficient-scope"].evidence is Evidence.OBSERVED
    for name in ("rate-limited-retry-after", "malformed-token", "service-unavailable"):
        assert FAULTS_BY_NAME[name].evidence is Evidence.INFERRED
    assert FAULTS_BY_NAME["invalid-client"].place is FaultPlace.TOKEN
    groups = faults_by_grade()
    assert [grade for grade, _ in groups] == [*Evidence, None]
    assert sum(len(members) for _, members in groups) == len(FAULTS)
    for grade, members in groups[:-1]:
        assert all(f.evidence is grade and f.is_error for f in members)
    assert all(not f.is_error for f in groups[-1][1])
    listed = [f.to_dict() for f in FAULTS]
    assert all(entry["evidence"] in {"documented", "observed", "inferred"} for entry in listed)


def test_invalid_client_is_injected_only_by_the_token_server(api: Any) -> None:
    token = api.cc()
    response = api.call(
        "GET", PATH, token, params=PARAMS, headers={"X-Sandbox-Fault": "invalid-client"}
    )
    assert response.status_code == 200 and "x-sandbox-fault" not in response.headers
    assert "error" not in response.json()


def test_a_default_invalid_client_fault_leaves_api_calls_alone(make_session: Any) -> None:
    api = make_session()
    token = api.cc()
    api.server.set_fault("invalid-client")
    assert api.call("GET", PATH, token, params=PARAMS).status_code == 200
    refused = api.token_request({"grant_type": "client_credentials", "audience": AUDIENCE})
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"


def test_real_answers_carry_no_fault_marker(api: Any) -> None:
    response = api.call("GET", PATH, api.cc(), params=PARAMS)
    assert response.status_code == 200
    assert "x-sandbox-fault" not in response.headers


def test_faults_apply_to_the_token_endpoint_too(api: Any) -> None:
    response = api.token_request(
        {"grant_type": "client_credentials"}, headers={"X-Sandbox-Fault": "invalid-client"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_unknown_fault_is_a_400_naming_the_header(api: Any) -> None:
    response = api.call(
        "GET", PATH, api.cc(), params=PARAMS, headers={"X-Sandbox-Fault": "gremlins"}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "X-Sandbox-Fault" and error["location"] == "header"
    assert "gremlins" in error["message"] and "waf-challenge" in error["message"]


def test_default_fault_and_per_request_override(make_session: Any) -> None:
    api = make_session(fault="service-unavailable")
    # the token endpoint is faulted too, so turn the fault off for this one request
    response = api.token_request(
        {"grant_type": "client_credentials", "audience": "urn:partner-api"},
        headers={"X-Sandbox-Fault": "none"},
    )
    assert response.status_code == 200
    access = response.json()["access_token"]
    assert api.call("GET", PATH, access, params=PARAMS).status_code == 503
    assert (
        api.call(
            "GET", PATH, access, params=PARAMS, headers={"X-Sandbox-Fault": "none"}
        ).status_code
        == 200
    )
    api.server.set_fault(None)
    assert api.call("GET", PATH, access, params=PARAMS).status_code == 200
    with pytest.raises(ValueError, match="Unknown fault"):
        api.server.set_fault("bogus")


def test_parse_faults_combinations_and_errors() -> None:
    plan = parse_faults("latency=250, server-error")
    assert (plan.latency_ms, plan.documented, plan.network) == (250, "server-error", None)
    assert parse_faults("slow-drip=300").drip_ms == 300
    assert parse_faults(" None ").is_empty
    for bad in (
        "latency=abc",
        "latency=999999",
        "not-found, server-error",
        "truncated-body, malformed-body",
        "waf-challenge=3",
    ):
        with pytest.raises(FaultSyntaxError):
            parse_faults(bad)


def test_latency_delays_a_normal_answer(api: Any) -> None:
    token = api.cc()
    started = time.monotonic()
    response = api.call(
        "GET", PATH, token, params=PARAMS, headers={"X-Sandbox-Fault": "latency=300"}
    )
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 200 and response.json()["data"]


def test_drop_mid_body_resets_the_connection(api: Any) -> None:
    token = api.cc()
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.call("GET", PATH, token, params=PARAMS, headers={"X-Sandbox-Fault": "drop-mid-body"})
    assert api.call("GET", PATH, token, params=PARAMS).status_code == 200  # still serving


def test_truncated_body_is_a_complete_response_with_half_the_json(api: Any) -> None:
    token = api.cc()
    whole = api.call("GET", PATH, token, params=PARAMS).content
    response = api.call(
        "GET", PATH, token, params=PARAMS, headers={"X-Sandbox-Fault": "truncated-body"}
    )
    assert response.status_code == 200
    assert response.content == whole[: len(whole) // 2]
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_malformed_body_is_not_json(api: Any) -> None:
    response = api.call(
        "GET", PATH, api.cc(), params=PARAMS, headers={"X-Sandbox-Fault": "malformed-body"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_slow_drip_arrives_in_pieces_but_whole(api: Any) -> None:
    token = api.cc()
    started = time.monotonic()
    request = api.http.build_request(
        "GET",
        "/api/v4" + PATH,
        params=PARAMS,
        headers={"Authorization": f"Bearer {token}", "X-Sandbox-Fault": "slow-drip=400"},
    )
    response = api.http.send(request, stream=True)
    try:
        pieces = list(response.iter_raw())
    finally:
        response.close()
    assert len(pieces) > 3
    assert time.monotonic() - started >= 0.3
    assert json.loads(b"".join(pieces))["data"]
