"""Sandbox demo customer and pro sign in by themselves: a real authorization code + PKCE
flow through authlib and the loopback listener, against a real Sandbox on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.core.auth import LoginRequired, TokenManager
from explorer.core.environments import PRODUCTION, sandbox_environment
from explorer.core.loopback import LoginError
from explorer.core.models import Endpoint, FixAction, Flow, RequestSpec
from explorer.core.preflight import PreflightCode, preflight
from explorer.core.profiles import (
    SANDBOX_CUSTOMER_PROFILE,
    SANDBOX_PRO_PROFILE,
    is_sandbox_demo,
    sandbox_demo_profiles,
    validate_profile,
)
from explorer.core.sandbox_signin import (
    DEMO_CLIENT_SECRETS,
    approve_in_sandbox,
    authorize_signing_in,
    demo_profile_for,
)
from explorer.core.secrets import MemoryStore, SecretKind
from explorer.sandbox.server import SandboxConfig, SandboxServer

BUSINESSES = Endpoint(
    operation_id="listBusinessesV4",
    method="GET",
    path="/api/v4/businesses",
    section="Businesses",
    scopes=("supply::businesses.list",),
    flows=(Flow.AUTHORIZATION_CODE,),
)
USERS_SELF = Endpoint(
    operation_id="getCurrentUserV4",
    method="GET",
    path="/api/v4/users/self",
    section="Users",
    scopes=("demand::users.read", "supply::users.read"),
    flows=(Flow.AUTHORIZATION_CODE,),
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig())  # consent page on: prompt=none must do it
    server.start()
    yield server
    server.stop()


def manager_for(name: str, server: SandboxServer) -> TokenManager:
    [profile] = [p for p in sandbox_demo_profiles() if p.name == name]
    store = MemoryStore()
    store.set(profile.name, SecretKind.CLIENT_SECRET, DEMO_CLIENT_SECRETS[profile.client_id])
    return TokenManager(profile, sandbox_environment(server.api_base), store)


def test_the_demo_profiles_are_valid_and_of_one_family_each() -> None:
    app, customer, pro = sandbox_demo_profiles()
    assert (app.flow, customer.flow, pro.flow) == (
        Flow.CLIENT_CREDENTIALS,
        Flow.AUTHORIZATION_CODE,
        Flow.AUTHORIZATION_CODE,
    )
    assert all(s.startswith("demand::") for s in customer.scopes if "::" in s)
    assert all(s.startswith("supply::") for s in pro.scopes if "::" in s)
    for profile in (app, customer, pro):
        assert validate_profile(profile) == []
        assert is_sandbox_demo(profile)
    assert not is_sandbox_demo(pro.with_changes(scopes=("supply::users.read",)))


def test_the_demo_pro_signs_in_without_a_browser_and_calls_the_api(
    sandbox: SandboxServer,
) -> None:
    import httpx2 as httpx

    manager = manager_for(SANDBOX_PRO_PROFILE, sandbox)
    spec = RequestSpec(method="GET", url=f"{sandbox.api_base}/api/v4/businesses")
    authorized = authorize_signing_in(manager, spec)
    info = manager.token_info()
    assert info is not None and info.claims["gty"] == "authorization_code"
    assert info.subject and info.has_refresh_token
    answer = httpx.get(authorized.url, headers=dict(authorized.headers), timeout=10)
    assert answer.status_code == 200
    assert answer.json()["data"][0]["name"] == "Robert's Remodeling"
    token = manager.get_token()
    assert authorize_signing_in(manager, spec).header("Authorization") == f"Bearer {token}"


def test_a_profile_that_is_not_a_demo_still_needs_the_browser(sandbox: SandboxServer) -> None:
    manager = manager_for(SANDBOX_CUSTOMER_PROFILE, sandbox)
    manager.profile = manager.profile.with_changes(name="Mine")
    manager.secret_store.set("Mine", SecretKind.CLIENT_SECRET, "sandbox-demand-secret")
    with pytest.raises(LoginRequired):
        authorize_signing_in(manager, RequestSpec(method="GET", url=sandbox.api_base))


def test_the_stand_in_browser_refuses_anything_but_this_computer() -> None:
    with pytest.raises(LoginError, match="not the Sandbox"):
        approve_in_sandbox("https://auth.thumbtack.com/oauth2/auth?client_id=x")


def test_demo_profile_for_picks_the_scope_family() -> None:
    assert demo_profile_for(["supply::businesses.list"]).name == SANDBOX_PRO_PROFILE  # type: ignore[union-attr]
    assert demo_profile_for(USERS_SELF.scopes).name == SANDBOX_CUSTOMER_PROFILE  # type: ignore[union-attr]
    assert demo_profile_for([]) is None


def test_preflight_offers_the_demo_pro_only_on_the_sandbox() -> None:
    app = sandbox_demo_profiles()[0]
    sandbox_env = sandbox_environment("http://127.0.0.1:9/api")
    warnings = preflight(BUSINESSES, app, sandbox_env, None)
    assert [w.code for w in warnings] == [
        PreflightCode.USER_CONTEXT_REQUIRED,
        PreflightCode.MISSING_SCOPE,
    ]
    assert {w.fix for w in warnings} == {FixAction.USE_SANDBOX_PRO}
    assert SANDBOX_PRO_PROFILE in warnings[0].message
    elsewhere = preflight(BUSINESSES, app, PRODUCTION, None)
    assert [w.fix for w in elsewhere] == [
        FixAction.OPEN_PROFILE_EDITOR,
        FixAction.OPEN_SCOPE_EDITOR,
    ]
    mine = app.with_changes(name="My app")
    assert FixAction.USE_SANDBOX_PRO not in {
        w.fix for w in preflight(BUSINESSES, mine, sandbox_env, None)
    }
