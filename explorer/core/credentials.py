"""Signing requests for profiles that do not use OAuth: HTTP Basic, a bearer token, an API
key (header, query parameter or cookie), or nothing at all.

:class:`StaticAuth` reads the profile's one secret from the secret store at each request
(never keeps it) and puts it where the profile says. :func:`auth_for_scheme` turns an
OpenAPI ``securitySchemes`` entry into the profile fields that send it, so a profile can
be made from a description. OAuth 2.0 profiles go through
:class:`explorer.core.auth.TokenManager` instead.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from explorer.core.models import RequestSpec
from explorer.core.profiles import ApiKeyLocation, AuthKind, Profile
from explorer.core.secrets import SecretStore


class MissingCredential(Exception):
    """The profile's password, token or API key is not in the secret store."""


@dataclass(frozen=True)
class SchemeAuth:
    """The profile fields that send one ``securitySchemes`` entry."""

    auth: AuthKind
    api_key_name: str = ""
    api_key_in: ApiKeyLocation = ApiKeyLocation.HEADER
    note: str = ""  # said to the user when the scheme is sent in a simpler way


def auth_for_scheme(scheme: Mapping[str, Any]) -> SchemeAuth | None:
    """How a profile sends ``scheme`` (an OpenAPI 3 Security Scheme Object); None for a
    kind this program cannot send (mutualTLS)."""
    kind = str(scheme.get("type", "")).lower()
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        if http == "basic":
            return SchemeAuth(AuthKind.BASIC)
        if http == "bearer":
            return SchemeAuth(AuthKind.BEARER)
        return None
    if kind == "apikey":
        where = str(scheme.get("in", "header")).lower()
        if where not in {w.value for w in ApiKeyLocation}:
            return None
        return SchemeAuth(
            AuthKind.API_KEY,
            api_key_name=str(scheme.get("name", "")),
            api_key_in=ApiKeyLocation(where),
        )
    if kind == "oauth2":
        return SchemeAuth(AuthKind.OAUTH2)
    if kind == "openidconnect":
        return SchemeAuth(
            AuthKind.OAUTH2, note="OpenID Connect: enter the provider's token URL yourself."
        )
    return None


class StaticAuth:
    """Puts a non-OAuth profile's credential on each request."""

    def __init__(self, profile: Profile, secret_store: SecretStore) -> None:
        self.profile = profile
        self.secret_store = secret_store

    @property
    def kind(self) -> AuthKind:
        return self.profile.auth

    @property
    def sets_authorization(self) -> bool:
        """Whether this profile writes the Authorization header itself."""
        profile = self.profile
        if profile.auth in (AuthKind.BASIC, AuthKind.BEARER):
            return True
        return (
            profile.auth is AuthKind.API_KEY
            and profile.api_key_in is ApiKeyLocation.HEADER
            and profile.api_key_name.lower() == "authorization"
        )

    def secret(self) -> str:
        kind = self.profile.auth.secret_kind
        if kind is None:
            return ""
        value = self.secret_store.get(self.profile.name, kind)
        if not value:
            what = {
                AuthKind.BASIC: "password",
                AuthKind.BEARER: "token",
                AuthKind.API_KEY: "API key",
            }.get(self.profile.auth, "secret")
            raise MissingCredential(
                f"Profile '{self.profile.name}' has no {what} in {self.secret_store.location}. "
                f"Store it with: thumbtack-explorer profile add '{self.profile.name}' "
                f"--auth {self.profile.auth.value.replace('_', '-')} … (it is prompted for)."
            )
        return value

    def known_secrets(self) -> tuple[str, ...]:
        """The literal values to mask wherever they appear (the Basic header's encoding too)."""
        kind = self.profile.auth.secret_kind
        if kind is None:
            return ()
        try:
            value = self.secret_store.get(self.profile.name, kind)
        except Exception:  # a locked store only means fewer values to mask
            return ()
        if not value:
            return ()
        if self.profile.auth is AuthKind.BASIC:
            return (value, _basic(self.profile.username, value))
        return (value,)

    def authorize_request(self, spec: RequestSpec) -> RequestSpec:
        """``spec`` with the profile's credential where the profile says."""
        profile = self.profile
        if profile.auth is AuthKind.NONE or profile.auth is AuthKind.OAUTH2:
            return spec
        secret = self.secret()
        if profile.auth is AuthKind.BASIC:
            return _with_header(spec, "Authorization", f"Basic {_basic(profile.username, secret)}")
        if profile.auth is AuthKind.BEARER:
            return _with_header(spec, "Authorization", f"Bearer {secret}")
        name = profile.api_key_name
        if profile.api_key_in is ApiKeyLocation.HEADER:
            return _with_header(spec, name, secret)
        if profile.api_key_in is ApiKeyLocation.COOKIE:
            cookie = f"{name}={quote(secret, safe='')}"
            existing = spec.header("cookie")
            return _with_header(spec, "Cookie", f"{existing}; {cookie}" if existing else cookie)
        parts = urlsplit(spec.url)
        pair = f"{quote(name, safe='')}={quote(secret, safe='')}"
        query = f"{parts.query}&{pair}" if parts.query else pair
        return replace(spec, url=urlunsplit(parts._replace(query=query)))


def _basic(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def _with_header(spec: RequestSpec, name: str, value: str) -> RequestSpec:
    headers = tuple((k, v) for k, v in spec.headers if k.lower() != name.lower())
    return replace(spec, headers=(*headers, (name, value)))
