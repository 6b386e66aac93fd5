"""Pre-flight warnings name the fix before the round trip."""

from __future__ import annotations

from dataclasses import replace

from explorer.core.auth import TokenInfo
from explorer.core.environments import PRODUCTION, STAGING
from explorer.core.models import Endpoint, FixAction, Flow
from explorer.core.preflight import (
    HEADLINES,
    PreflightCode,
    PreflightWarning,
    headline,
    preflight,
)
from explorer.core.profiles import Profile

SEARCH = Endpoint(
    operation_id="searchKeywords",
    method="GET",
    path="/api/v4/keywords/search",
    section="Keywords",
    scopes=("demand::keywords.read",),
    flows=(Flow.CLIENT_CREDENTIALS,),
)
NEGOTIATIONS = Endpoint(
    operation_id="listNegotiations",
    method="GET",
    path="/api/v4/negotiations",
    section="Leads",
    scopes=("supply::negotiations.read",),
    flows=(Flow.AUTHORIZATION_CODE,),
)
PROFILE = Profile(
    name="p", environment_id="production", client_id="c", scopes=("demand::keywords.read",)
)


def codes(*args: object) -> list[PreflightCode]:
    return [w.code for w in preflight(*args)]  # type: ignore[arg-type]


def test_a_good_setup_has_no_warnings() -> None:
    assert preflight(SEARCH, PROFILE, PRODUCTION, None) == []


def test_staging_token_server_with_production_api() -> None:
    mixed = replace(PRODUCTION, token_url=STAGING.token_url)
    [warning] = preflight(SEARCH, PROFILE, mixed, None)
    assert warning.code is PreflightCode.ENVIRONMENT_MISMATCH
    assert PRODUCTION.token_url in warning.message
    assert warning.fix is FixAction.USE_ENVIRONMENT_TOKEN_SERVER


def test_wrong_audience() -> None:
    [warning] = preflight(SEARCH, PROFILE.with_changes(audience="urn:api"), PRODUCTION, None)
    assert warning.code is PreflightCode.WRONG_AUDIENCE and "urn:partner-api" in warning.message
    token = TokenInfo(token_type="Bearer", is_jwt=True, audience=("someone-else",))
    assert codes(SEARCH, PROFILE, PRODUCTION, token) == [PreflightCode.TOKEN_AUDIENCE]


def test_missing_scope_and_token_without_scope() -> None:
    [warning] = preflight(SEARCH, PROFILE.with_changes(scopes=()), PRODUCTION, None)
    assert (
        warning.code is PreflightCode.MISSING_SCOPE and warning.fix is FixAction.OPEN_SCOPE_EDITOR
    )
    token = TokenInfo(token_type="Bearer", is_jwt=False, scopes=("demand::categories.read",))
    assert codes(SEARCH, PROFILE, PRODUCTION, token) == [PreflightCode.TOKEN_LACKS_SCOPE]


def test_user_context_endpoint_and_supply_scope_with_client_credentials() -> None:
    supply = PROFILE.with_changes(scopes=("supply::negotiations.read",))
    found = codes(NEGOTIATIONS, supply, PRODUCTION, None)
    assert PreflightCode.USER_CONTEXT_REQUIRED in found
    assert PreflightCode.SUPPLY_WITH_CLIENT_CREDENTIALS in found
    signed_in = supply.with_changes(flow=Flow.AUTHORIZATION_CODE)
    assert codes(NEGOTIATIONS, signed_in, PRODUCTION, None) == []


def test_token_issued_by_the_other_environment() -> None:
    token = TokenInfo(
        token_type="Bearer", is_jwt=True, issuer="https://staging-auth.thumbtack.com/"
    )
    assert codes(SEARCH, PROFILE, PRODUCTION, token) == [PreflightCode.TOKEN_FROM_OTHER_SERVER]


def test_every_warning_kind_has_a_short_headline() -> None:
    assert set(HEADLINES) == set(PreflightCode)
    for code in PreflightCode:
        words = headline(PreflightWarning(code=code, message="the long message"))
        assert words != "the long message" and len(words) < 60
