"""TokenManager with httpx2's MockTransport: expiry, extra parameters, errors kept whole."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any
from urllib.parse import parse_qs

import httpx2 as httpx
import pytest

from explorer.core.auth import (
    LoginRequired,
    MissingSecret,
    TokenError,
    TokenManager,
    decode_jwt,
    default_client_factory,
    is_token_not_active,
    known_secrets,
    leeway_for,
)
from explorer.core.environments import custom_environment
from explorer.core.loopback import LoginCancelled, LoginTimedOut
from explorer.core.models import Flow, NetworkFailureKind, RequestSpec, ResponseRecord
from explorer.core.profiles import Profile
from explorer.core.secrets import MemoryStore, SecretKind

ENV = custom_environment(
    id="t",
    name="T",
    api_base="https://api.example/api/",
    token_url="https://auth.example/oauth2/token",
    authorize_url="https://auth.example/oauth2/auth",
)
PROFILE = Profile(
    name="p",
    environment_id="t",
    client_id="cid",
    scopes=("demand::keywords.read",),
    extra_token_params=(("resource", "x"),),
)


class FakeTokenServer:
    def __init__(self, expires_in: int = 3600, **extra: Any) -> None:
        self.forms: list[dict[str, str]] = []
        self.expires_in = expires_in
        self.extra = extra
        self.respond: httpx.Response | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.forms.append({k: v[0] for k, v in parse_qs(request.content.decode()).items()})
        if self.respond is not None:
            return self.respond
        n = len(self.forms)
        return httpx.Response(
            200,
            json={
                "access_token": f"token-{n}",
                "token_type": "bearer",
                "expires_in": self.expires_in,
                **self.extra,
                **({"refresh_token": f"refresh-{n}"} if "refresh" in self.extra else {}),
            },
        )


def manager(
    server: FakeTokenServer,
    clock: list[float],
    profile: Profile = PROFILE,
    secret: str | None = "sec",
) -> tuple[TokenManager, MemoryStore]:
    store = MemoryStore()
    if secret:
        store.set(profile.name, SecretKind.CLIENT_SECRET, secret)

    def factory(**kwargs: Any):  # type: ignore[no-untyped-def]
        return default_client_factory(transport=httpx.MockTransport(server), **kwargs)

    return TokenManager(profile, ENV, store, factory, clock=lambda: clock[0]), store


def test_leeway_never_swallows_a_short_token() -> None:
    assert leeway_for(3600) == 30
    assert leeway_for(60) == 15
    assert leeway_for(8) == 2
    assert leeway_for(None) == 0


def test_refetch_only_near_expiry_and_extra_params_every_time() -> None:
    server, clock = FakeTokenServer(expires_in=60), [1000.0]
    tokens, _ = manager(server, clock)
    assert tokens.get_token() == "token-1"
    clock[0] += 40  # 20 s left, leeway 15 s: still good
    assert tokens.get_token() == "token-1"
    clock[0] += 10  # 10 s left: fetched again before it expires
    assert tokens.get_token() == "token-2"
    for form in server.forms:
        assert form["audience"] == "urn:partner-api" and form["resource"] == "x"
        assert form["grant_type"] == "client_credentials"


def test_refresh_sends_audience_and_stores_the_rotated_token() -> None:
    server, clock = FakeTokenServer(refresh="yes"), [0.0]
    profile = PROFILE.with_changes(flow=Flow.AUTHORIZATION_CODE)
    tokens, store = manager(server, clock, profile)
    store.set("p", SecretKind.REFRESH_TOKEN, "refresh-0")
    assert tokens.get_token() == "token-1"
    assert server.forms[0]["grant_type"] == "refresh_token"
    assert server.forms[0]["refresh_token"] == "refresh-0"
    assert server.forms[0]["audience"] == "urn:partner-api"
    assert store.get("p", SecretKind.REFRESH_TOKEN) == "refresh-1"


def test_authorization_code_profile_without_refresh_token_must_sign_in() -> None:
    tokens, _ = manager(
        FakeTokenServer(), [0.0], PROFILE.with_changes(flow=Flow.AUTHORIZATION_CODE)
    )
    with pytest.raises(LoginRequired, match="profile login"):
        tokens.get_token()


def test_missing_client_secret_names_the_store() -> None:
    tokens, _ = manager(FakeTokenServer(), [0.0], secret=None)
    with pytest.raises(MissingSecret, match="Memory only"):
        tokens.get_token()


def test_non_json_error_keeps_status_and_body() -> None:
    server = FakeTokenServer()
    server.respond = httpx.Response(502, text="<html>Bad gateway</html>")
    tokens, _ = manager(server, [0.0])
    with pytest.raises(TokenError) as caught:
        tokens.get_token()
    assert caught.value.status == 502 and caught.value.body == b"<html>Bad gateway</html>"
    record = caught.value.record
    assert record is not None and record.request.url == ENV.token_url
    assert record.request.header("authorization") is None  # the Basic credentials are not kept


def test_oauth_error_body_is_kept() -> None:
    server = FakeTokenServer()
    body = {
        "error": "unauthorized_client",
        "error_description": "not allowed to use grant client_credentials",
    }
    server.respond = httpx.Response(400, json=body)
    tokens, _ = manager(server, [0.0])
    with pytest.raises(TokenError) as caught:
        tokens.get_token()
    assert caught.value.error == "unauthorized_client"
    assert json.loads(caught.value.body) == body


def test_unreachable_token_server_is_a_token_error_with_the_failure() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    tokens, _ = manager(FakeTokenServer(), [0.0])
    tokens._client_factory = lambda **kw: default_client_factory(  # type: ignore[method-assign]
        transport=httpx.MockTransport(refuse), **kw
    )
    with pytest.raises(TokenError) as caught:
        tokens.get_token()
    assert caught.value.record is not None and caught.value.record.failure is not None
    assert caught.value.record.failure.kind is NetworkFailureKind.REFUSED


def test_authorize_request_replaces_any_old_bearer_header() -> None:
    tokens, _ = manager(FakeTokenServer(), [0.0])
    spec = RequestSpec(
        method="GET",
        url="https://api.example/api/v4/x",
        headers=(("authorization", "Bearer stale"), ("Accept", "*/*")),
    )
    signed = tokens.authorize_request(spec)
    assert [v for k, v in signed.headers if k.lower() == "authorization"] == ["Bearer token-1"]


def test_token_info_for_jwt_and_opaque_tokens() -> None:
    jwt = (
        "eyJhbGciOiJSUzI1NiJ9."
        "eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZSIsImF1ZCI6InVybjpwYXJ0bmVyLWFwaSIsImV4cCI6MTB9."
        "c2ln"
    )
    assert decode_jwt(jwt) == (
        {"alg": "RS256"},
        {"iss": "https://auth.example", "aud": "urn:partner-api", "exp": 10},
    )
    assert decode_jwt("ory_at_opaque") is None
    tokens, _ = manager(FakeTokenServer(scope="demand::keywords.read"), [0.0])
    assert tokens.token_info() is None
    tokens.get_token()
    info = tokens.token_info()
    assert info is not None and not info.is_jwt and not info.verified
    assert info.scopes == ("demand::keywords.read",) and info.seconds_left(0.0) == 3600
    assert "not verified" in info.to_dict()["note"]
    tokens.forget()
    assert tokens.token_info() is None


def test_token_not_active_detection() -> None:
    spec = RequestSpec(method="GET", url="https://x")
    body = b'{"detail":"invalid token. failure reason(s): [token is not active]"}'
    assert is_token_not_active(ResponseRecord(request=spec, status=401, body=body))
    assert not is_token_not_active(ResponseRecord(request=spec, status=401, body=b"{}"))
    assert not is_token_not_active(ResponseRecord(request=spec, status=200, body=body))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_sign_in_can_be_cancelled_and_times_out() -> None:
    profile = PROFILE.with_changes(
        flow=Flow.AUTHORIZATION_CODE, redirect_uri=f"http://127.0.0.1:{_free_port()}/callback"
    )
    opened: list[str] = []
    tokens, _ = manager(FakeTokenServer(), [0.0], profile)
    cancel = threading.Event()

    def open_and_cancel(url: str) -> bool:
        opened.append(url)
        cancel.set()
        return True

    with pytest.raises(LoginCancelled):
        tokens.login(cancel=cancel, open_browser=open_and_cancel)
    query = parse_qs(opened[0].split("?", 1)[1])
    assert query["code_challenge_method"] == ["S256"] and query["audience"] == ["urn:partner-api"]
    assert query["client_id"] == ["cid"] and "state" in query
    with pytest.raises(LoginTimedOut, match="within 0 seconds"):
        tokens.login(timeout_s=0.2, open_browser=opened.append)


def test_known_secrets_are_the_bare_values_not_the_cached_document(explorer_home) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.bundle import BundleFormat, render_bundle
    from explorer.core.history import HistoryStore
    from explorer.paths import AppPaths

    opaque = "opq_AT_5f3c9e1d7b2a4c6e8f0a1b3d"  # not a JWT: only the literal value masks it
    store = MemoryStore()
    store.set("p", SecretKind.CLIENT_SECRET, "cs_review_secret_123")
    store.set("p", SecretKind.REFRESH_TOKEN, "rt_plain_9Hc2Wq7Y")
    store.set(
        "p",
        SecretKind.ACCESS_TOKEN,
        json.dumps({"access_token": opaque, "token_type": "Bearer", "expires_at": 9e12}),
    )
    known = known_secrets(store, "p")
    assert set(known) == {"cs_review_secret_123", "rt_plain_9Hc2Wq7Y", opaque}
    assert known_secrets(MemoryStore(), "p") == ()

    spec = RequestSpec(method="GET", url="http://127.0.0.1:1/api/v4/businesses")
    body = json.dumps({"title": "Unauthorized", "detail": f"token {opaque} has expired"})
    record = ResponseRecord(
        request=spec,
        status=401,
        reason="Unauthorized",
        headers=(("Content-Type", "application/problem+json"),),
        body=body.encode(),
    )
    paths = AppPaths.from_environment().ensure()
    with HistoryStore.open(paths) as history:
        entry = history.add(record, known_secrets=known)
        exchange = history.get(entry)
    raw = b"".join(p.read_bytes() for p in paths.data.glob("history.sqlite3*"))
    assert opaque.encode() not in raw
    assert exchange is not None
    assert opaque not in render_bundle(exchange, BundleFormat.JSON, known_secrets=known)
