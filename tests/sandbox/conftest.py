"""Fixtures for the Sandbox tests: real servers on 127.0.0.1 and a plain httpx2 client.

The client is ``httpx2`` used directly (never the program's own ``explorer.core.http``),
so these tests see exactly the bytes a partner's code would see.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import ssl
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import httpx2 as httpx
import pytest

from explorer.sandbox.server import SandboxConfig, SandboxServer

AUDIENCE = "urn:partner-api"
DEMAND = ("sandbox-demand-client", "sandbox-demand-secret")  # client credentials only
CUSTOMER = ("sandbox-customer-client", "sandbox-customer-secret")  # demand, authorization code
SUPPLY = ("sandbox-supply-client", "sandbox-supply-secret")
REDIRECT = "http://127.0.0.1:8765/callback"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One context for every client (building one costs ~0.1 s; the Sandbox is plain HTTP)."""
    return ssl.create_default_context()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class SandboxSession:
    """A partner's-eye client of one Sandbox: tokens and calls."""

    DEMAND = DEMAND
    CUSTOMER = CUSTOMER
    SUPPLY = SUPPLY
    REDIRECT = REDIRECT
    AUDIENCE = AUDIENCE
    pkce_pair = staticmethod(pkce_pair)
    jwt_claims = staticmethod(jwt_claims)

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.api_base, timeout=10, verify=_ssl_context())

    def close(self) -> None:
        self.http.close()

    def token_request(
        self, data: dict[str, str], client: tuple[str, str] | str | None = "auto", **kwargs: Any
    ) -> httpx.Response:
        """POST to the token endpoint; by default with the client of the grant's flow (one
        client per flow): the application client for client credentials, else the
        customer client."""
        if client == "auto":
            client = DEMAND if data.get("grant_type") == "client_credentials" else CUSTOMER
        return self.http.post("/oauth2/token", data=data, auth=client, **kwargs)

    def cc(self, scope: str | None = None, audience: str = AUDIENCE) -> str:
        data = {"grant_type": "client_credentials", "audience": audience}
        if scope is not None:
            data["scope"] = scope
        response = self.token_request(data)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def authorize(
        self,
        client: tuple[str, str] = CUSTOMER,
        scope: str | None = None,
        audience: str = AUDIENCE,
        **extra: str,
    ) -> httpx.Response:
        params = {
            "client_id": client[0],
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "state": "state-1234567890",
            "audience": audience,
            **extra,
        }
        if scope is not None:
            params["scope"] = scope
        return self.http.get("/oauth2/auth", params=params)

    @staticmethod
    def redirect_params(response: httpx.Response) -> dict[str, str]:
        assert response.status_code == 302, response.text
        location = response.headers["location"]
        assert location.startswith(REDIRECT)
        query = urllib.parse.urlsplit(location).query
        return {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}

    def user_tokens(
        self, client: tuple[str, str] = CUSTOMER, scope: str | None = None, audience: str = AUDIENCE
    ) -> dict[str, Any]:
        verifier, challenge = pkce_pair()
        code = self.redirect_params(
            self.authorize(
                client, scope, audience, code_challenge=challenge, code_challenge_method="S256"
            )
        )["code"]
        response = self.token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": verifier,
            },
            client,
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def user(self, family: str = "demand", scope: str | None = None) -> str:
        client = CUSTOMER if family == "demand" else SUPPLY
        return str(self.user_tokens(client, scope)["access_token"])

    def call(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, "/api/v4" + path, headers=headers, **kwargs)


FAST = SandboxConfig(auto_approve=True, rate_limit_per_minute=0, webhook_backoff_s=0.05)


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[SandboxServer]:
    server = SandboxServer(FAST)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def api(sandbox_server: SandboxServer) -> Iterator[SandboxSession]:
    session = SandboxSession(sandbox_server)
    yield session
    session.close()


@pytest.fixture
def make_session() -> Iterator[Callable[..., SandboxSession]]:
    """Start a Sandbox with its own config (stopped after the test)."""
    started: list[tuple[SandboxServer, SandboxSession]] = []

    def make(**changes: Any) -> SandboxSession:
        settings = {
            "auto_approve": True,
            "rate_limit_per_minute": 0,
            "webhook_backoff_s": 0.05,
            **changes,
        }
        server = SandboxServer(SandboxConfig(**settings))
        server.start()
        session = SandboxSession(server)
        started.append((server, session))
        return session

    yield make
    for server, session in started:
        session.close()
        server.stop()
