"""The Sandbox's OAuth 2.0 server: flows, PKCE, rotation, expiry and the documented errors."""

from __future__ import annotations

import base64
import time
import urllib.parse
from typing import Any

import pytest

INVALID_CLIENT = {
    "error": "invalid_client",
    "error_description": "Client authentication failed (e.g., unknown client, no client "
    "authentication included, or unsupported authentication method).",
}
NOT_ACTIVE = {
    "type": "about:blank",
    "title": "Unauthorized",
    "status": 401,
    "detail": "invalid token. failure reason(s): [token is not active]",
}


def not_active(response: Any) -> bool:
    """The documented 401 body, plus the traceID real 2026 traffic carries."""
    body = dict(response.json())
    trace = body.pop("traceID", "")
    return body == NOT_ACTIVE and len(trace) == 16


CC = {"grant_type": "client_credentials", "audience": "urn:partner-api"}


def wait_until(condition: Any, timeout: float = 5.0, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)


def test_client_credentials_issues_a_signed_jwt_with_the_documented_claims(api: Any) -> None:
    response = api.token_request({**CC, "scope": "demand::keywords.read"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "demand::keywords.read"
    assert "refresh_token" not in body
    claims = api.jwt_claims(body["access_token"])
    assert claims["aud"] == ["urn:partner-api"]
    assert claims["client_id"] == claims["sub"] == "sandbox-demand-client"
    assert claims["scope"] == "demand::keywords.read"
    assert claims["iss"] == api.server.api_base
    assert claims["exp"] - claims["iat"] in (3600, 3601)


def test_client_credentials_in_the_body_also_work(api: Any) -> None:
    response = api.token_request(
        {**CC, "client_id": api.DEMAND[0], "client_secret": api.DEMAND[1]}, client=None
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("client", "data", "headers"),
    [
        (("nobody", "nothing"), {}, {}),
        (("sandbox-demand-client", "wrong"), {}, {}),
        (None, {}, {}),
        (None, {"client_id": "sandbox-demand-client"}, {}),
        (None, {}, {"Authorization": "Bearer abc"}),
        (None, {}, {"Authorization": "Basic !!!not-base64"}),
    ],
    ids=[
        "unknown client",
        "wrong secret",
        "no authentication",
        "id without secret",
        "unsupported scheme",
        "garbled basic",
    ],
)
def test_bad_client_authentication_gets_the_documented_invalid_client(
    api: Any, client: Any, data: dict[str, str], headers: dict[str, str]
) -> None:
    response = api.token_request({**CC, **data}, client=client, headers=headers)
    assert response.status_code == 401
    assert response.json() == INVALID_CLIENT
    assert response.headers["content-type"] == "application/json"


def test_a_supply_client_may_not_use_client_credentials(api: Any) -> None:
    response = api.token_request(CC, client=api.SUPPLY)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "unauthorized_client"
    assert "not allowed to use grant client_credentials" in body["error_description"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({}, "invalid_request"),
        ({**CC, "scope": "supply::businesses.list"}, "invalid_scope"),
    ],
    ids=["unknown grant", "no grant", "foreign scope"],
)
def test_token_request_errors(api: Any, data: dict[str, str], error: str) -> None:
    response = api.token_request(data)
    assert response.status_code == 400
    assert response.json()["error"] == error


def test_token_request_must_be_form_encoded(api: Any) -> None:
    response = api.http.post("/oauth2/token", json=CC, auth=api.DEMAND)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_authorization_code_with_pkce_and_offline_access(api: Any) -> None:
    tokens = api.user_tokens(api.SUPPLY, "supply::businesses.list offline_access")
    assert tokens["refresh_token"]
    claims = api.jwt_claims(tokens["access_token"])
    assert claims["sub"] == "1337"
    assert claims["gty"] == "authorization_code"
    assert set(claims["scope"].split()) == {"supply::businesses.list", "offline_access"}


def test_state_comes_back_with_the_code(api: Any) -> None:
    params = api.redirect_params(api.authorize(state="my-state-value-42"))
    assert params["state"] == "my-state-value-42"
    assert params["code"]


def _exchange(api: Any, code: str, verifier: str | None) -> Any:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": api.REDIRECT}
    if verifier is not None:
        data["code_verifier"] = verifier
    return api.token_request(data)


@pytest.mark.parametrize(
    "verifier", ["wrong-" + "v" * 50, None, "short"], ids=["mismatch", "missing", "malformed"]
)
def test_pkce_bad_verifier_is_refused(api: Any, verifier: str | None) -> None:
    _good, challenge = api.pkce_pair()
    code = api.redirect_params(
        api.authorize(code_challenge=challenge, code_challenge_method="S256")
    )["code"]
    response = _exchange(api, code, verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_codes_are_single_use_and_bound_to_the_redirect_uri(api: Any) -> None:
    code = api.redirect_params(api.authorize())["code"]
    wrong = api.token_request(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://127.0.0.1:1/other",
        }
    )
    assert wrong.json()["error"] == "invalid_grant"
    code = api.redirect_params(api.authorize())["code"]
    assert _exchange(api, code, None).status_code == 200
    assert _exchange(api, code, None).json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"state": "short"}, "invalid_state"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "supply::users.read"}, "invalid_scope"),
        ({"code_challenge": "abc", "code_challenge_method": "plain"}, "invalid_request"),
    ],
    ids=["short state", "implicit", "foreign scope", "plain pkce"],
)
def test_authorize_errors_redirect_with_an_error(
    api: Any, extra: dict[str, str], error: str
) -> None:
    response = api.authorize(**extra)
    assert api.redirect_params(response)["error"] == error


def test_authorize_refuses_unknown_clients_and_foreign_redirects_on_a_page(api: Any) -> None:
    unknown = api.http.get("/oauth2/auth", params={"client_id": "x", "redirect_uri": api.REDIRECT})
    assert unknown.status_code == 400 and "Unknown client_id" in unknown.text
    foreign = api.http.get(
        "/oauth2/auth",
        params={"client_id": api.CUSTOMER[0], "redirect_uri": "https://evil.example.com/cb"},
    )
    assert foreign.status_code == 400 and "loopback" in foreign.text


def test_consent_page_approve_and_deny(make_session: Any) -> None:
    api = make_session(auto_approve=False)
    page = api.authorize(scope="demand::users.read")
    assert page.status_code == 200
    assert "demand::users.read" in page.text and "Allow" in page.text
    consent = page.text.split('name="consent" value="')[1].split('"')[0]
    approved = api.http.post("/oauth2/auth", data={"consent": consent, "decision": "approve"})
    assert api.redirect_params(approved)["code"]
    reused = api.http.post("/oauth2/auth", data={"consent": consent, "decision": "approve"})
    assert reused.status_code == 400
    page = api.authorize(scope="demand::users.read")
    consent = page.text.split('name="consent" value="')[1].split('"')[0]
    denied = api.http.post("/oauth2/auth", data={"consent": consent, "decision": "deny"})
    assert api.redirect_params(denied)["error"] == "access_denied"


def _refresh(api: Any, token: str) -> Any:
    return api.token_request({"grant_type": "refresh_token", "refresh_token": token})


def test_refresh_tokens_rotate_with_a_grace_period(make_session: Any) -> None:
    api = make_session(refresh_grace_s=0.6)
    first = api.user_tokens(scope="demand::users.read offline_access")["refresh_token"]
    rotated = _refresh(api, first)
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first
    assert api.call("GET", "/users/self", rotated.json()["access_token"]).status_code == 200
    assert _refresh(api, first).status_code == 200  # a retry inside the grace period
    wait_until(lambda: _refresh(api, first).status_code == 400)
    late = _refresh(api, first).json()
    assert late["error"] == "invalid_grant" and "grace" in late["error_description"]
    assert _refresh(api, second).status_code == 200


def test_refresh_tokens_belong_to_their_client(api: Any) -> None:
    token = api.user_tokens(scope="demand::users.read offline_access")["refresh_token"]
    response = api.token_request(
        {"grant_type": "refresh_token", "refresh_token": token}, client=api.SUPPLY
    )
    assert response.json()["error"] == "invalid_grant"


def test_expired_tokens_get_the_documented_401(make_session: Any) -> None:
    api = make_session(token_lifetime_s=1)
    token = api.cc()
    assert api.call("GET", "/keywords/search", token, params={"searchQuery": "car"}).is_success
    wait_until(
        lambda: (
            api.call("GET", "/keywords/search", token, params={"searchQuery": "car"}).status_code
            == 401
        )
    )
    response = api.call("GET", "/keywords/search", token, params={"searchQuery": "car"})
    assert not_active(response)
    assert response.headers["content-type"] == "application/problem+json"


def test_revoked_and_disconnected_tokens_are_not_active(api: Any) -> None:
    tokens = api.user_tokens(scope="demand::users.read demand::users.disconnect offline_access")
    access, refresh = tokens["access_token"], tokens["refresh_token"]
    assert api.call("POST", "/users/disconnect", access).status_code == 204
    assert not_active(api.call("GET", "/users/self", access))
    assert _refresh(api, refresh).json()["error"] == "invalid_grant"
    other = api.cc()
    revoke = api.http.post("/oauth2/revoke", data={"token": other}, auth=api.DEMAND)
    assert revoke.status_code == 200
    assert not_active(api.call("GET", "/orders/availability", other))


def test_forged_tokens_are_not_active(api: Any) -> None:
    header, payload, _sig = api.cc().split(".")
    claims = api.jwt_claims(f"{header}.{payload}.x")
    claims["scope"] += " demand::everything"
    forged_payload = (
        base64.urlsafe_b64encode(urllib.parse.quote(str(claims)).encode()).rstrip(b"=").decode()
    )
    assert not_active(api.call("GET", "/orders/availability", f"{header}.{forged_payload}.{_sig}"))


@pytest.mark.parametrize("value", ["not-a-jwt", "Bearer abc.def", "a.b", "...", "e30.e30.e30"])
def test_a_malformed_bearer_token_gets_its_own_401(api: Any, value: str) -> None:
    response = api.call("GET", "/orders/availability", value)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank" and len(body["traceID"]) == 16
    assert "malformed" in body["detail"] and "not active" not in body["detail"]


def test_prompt_none_approves_a_demo_user_without_the_consent_page(make_session: Any) -> None:
    api = make_session(auto_approve=False)
    answer = api.authorize(scope="demand::users.read offline_access", prompt="none")
    assert answer.status_code == 302
    params = api.redirect_params(answer)
    assert params["state"] == "state-1234567890" and params["code"]
    token = api.token_request(
        {"grant_type": "authorization_code", "code": params["code"], "redirect_uri": api.REDIRECT}
    )
    assert token.status_code == 200 and token.json()["refresh_token"]
    assert api.authorize(scope="demand::users.read").status_code == 200  # the page, otherwise
