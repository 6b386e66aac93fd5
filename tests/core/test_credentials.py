"""A description's securitySchemes map to the profile fields that send them, and a
non-OAuth profile puts its secret exactly where its scheme says."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from explorer.core.catalog import load_catalog
from explorer.core.credentials import MissingCredential, StaticAuth, auth_for_scheme
from explorer.core.models import RequestSpec
from explorer.core.profiles import ApiKeyLocation, AuthKind, Profile, validate_profile
from explorer.core.secrets import MemoryStore

PETSTORE = Path(__file__).parents[1] / "data" / "openapi" / "swagger-petstore-3.0.yaml"


def test_petstore_schemes() -> None:
    schemes = load_catalog(PETSTORE).document["components"]["securitySchemes"]
    key = auth_for_scheme(schemes["api_key"])
    assert key is not None
    assert (key.auth, key.api_key_name, key.api_key_in) == (
        AuthKind.API_KEY,
        "api_key",
        ApiKeyLocation.HEADER,
    )
    oauth = auth_for_scheme(schemes["petstore_auth"])
    assert oauth is not None and oauth.auth is AuthKind.OAUTH2


@pytest.mark.parametrize(
    ("scheme", "kind"),
    [
        ({"type": "http", "scheme": "basic"}, AuthKind.BASIC),
        ({"type": "http", "scheme": "Bearer", "bearerFormat": "JWT"}, AuthKind.BEARER),
        ({"type": "apiKey", "name": "k", "in": "cookie"}, AuthKind.API_KEY),
        ({"type": "openIdConnect", "openIdConnectUrl": "https://x/.well-known"}, AuthKind.OAUTH2),
    ],
)
def test_scheme_kinds(scheme: dict[str, str], kind: AuthKind) -> None:
    found = auth_for_scheme(scheme)
    assert found is not None and found.auth is kind


def test_unsendable_schemes() -> None:
    assert auth_for_scheme({"type": "mutualTLS"}) is None
    assert auth_for_scheme({"type": "http", "scheme": "digest"}) is None


def _signed(profile: Profile, secret: str | None) -> RequestSpec:
    store = MemoryStore()
    kind = profile.auth.secret_kind
    if secret is not None and kind is not None:
        store.set(profile.name, kind, secret)
    spec = RequestSpec(
        method="GET", url="https://api.example.com/x?a=1", headers=(("Cookie", "s=1"),)
    )
    return StaticAuth(profile, store).authorize_request(spec)


def test_each_kind_goes_where_it_says() -> None:
    basic = _signed(
        Profile(name="b", environment_id="e", auth=AuthKind.BASIC, username="ann"), "pw"
    )
    assert basic.header("authorization") == "Basic " + base64.b64encode(b"ann:pw").decode()
    bearer = _signed(Profile(name="t", environment_id="e", auth=AuthKind.BEARER), "tok")
    assert bearer.header("authorization") == "Bearer tok"
    query = _signed(
        Profile(name="q", environment_id="e", auth=AuthKind.API_KEY, api_key_name="key",
                api_key_in=ApiKeyLocation.QUERY),
        "k&1",
    )  # fmt: skip
    assert query.url == "https://api.example.com/x?a=1&key=k%261"
    cookie = _signed(
        Profile(name="c", environment_id="e", auth=AuthKind.API_KEY, api_key_name="sid",
                api_key_in=ApiKeyLocation.COOKIE),
        "v",
    )  # fmt: skip
    assert cookie.header("cookie") == "s=1; sid=v"
    none = _signed(Profile(name="n", environment_id="e", auth=AuthKind.NONE), None)
    assert none.header("authorization") is None


def test_a_missing_secret_says_how_to_store_it() -> None:
    with pytest.raises(MissingCredential, match="has no token"):
        _signed(Profile(name="t", environment_id="e", auth=AuthKind.BEARER), None)


def test_profiles_without_oauth_need_no_client_id_but_their_own_fields() -> None:
    assert not validate_profile(Profile(name="n", environment_id="e", auth=AuthKind.NONE))
    basic = validate_profile(Profile(name="b", environment_id="e", auth=AuthKind.BASIC))
    assert [i.location for i in basic] == ["profile.username"]
    key = validate_profile(Profile(name="k", environment_id="e", auth=AuthKind.API_KEY))
    assert [i.location for i in key] == ["profile.api_key_name"]
    oauth = validate_profile(Profile(name="o", environment_id="e"))
    assert any(i.location == "profile.client_id" for i in oauth)
