"""Environments: where the API and its OAuth 2.0 authorization server live.

Production and Staging are the two environments Thumbtack documents (reference §1). The
Sandbox is the embedded local server, whose URLs are known only once it has started.
Custom environments point at anything else: a partner's proxy or a third-party OAuth
server. Environments are stored with the profiles (see :mod:`explorer.core.profiles`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class EnvironmentKind(StrEnum):
    """Which sort of environment: a documented preset, the embedded Sandbox, or custom."""

    PRODUCTION = "production"
    STAGING = "staging"
    SANDBOX = "sandbox"
    CUSTOM = "custom"
    DESCRIPTION = "description"  # a server of the loaded API description (never saved)


@dataclass(frozen=True, kw_only=True)
class Environment:
    """One place to call: the API base plus the authorization server's two URLs."""

    id: str
    name: str
    kind: EnvironmentKind
    api_base: str
    authorize_url: str
    token_url: str
    website: str = ""
    #: The user says this host is Thumbtack's (a proxy in front of the Partner API), so
    #: Thumbtack's documented meanings apply to its answers.
    thumbtack: bool = False

    @property
    def auth_base(self) -> str:
        """The authorization server's base, before ``/oauth2/...`` (what the description's
        authorize and token operations are relative to); "" when unknown."""
        for url in (self.token_url, self.authorize_url):
            head, found, _tail = url.partition("/oauth2/")
            if found:
                return head
        return ""

    @property
    def is_preset(self) -> bool:
        return self.kind in (EnvironmentKind.PRODUCTION, EnvironmentKind.STAGING)

    @property
    def speaks_thumbtack(self) -> bool:
        """Whether Thumbtack's documented meanings apply here: the presets, the Sandbox,
        an environment marked as Thumbtack's, or one whose API is on a Thumbtack host."""
        if self.kind not in (EnvironmentKind.CUSTOM, EnvironmentKind.DESCRIPTION):
            return True
        if self.thumbtack:
            return True
        host = host_of(self.api_base)
        return host == "thumbtack.com" or host.endswith(".thumbtack.com")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "api_base": self.api_base,
            "authorize_url": self.authorize_url,
            "token_url": self.token_url,
            "website": self.website,
            "thumbtack": self.thumbtack,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Environment:
        """Build from a stored mapping; raises ``ValueError`` listing every problem."""
        problems = validate_environment_dict(data)
        if problems:
            raise ValueError("; ".join(problems))
        return cls(
            id=data["id"],
            name=data["name"],
            kind=EnvironmentKind(data.get("kind", "custom")),
            api_base=data["api_base"],
            authorize_url=data.get("authorize_url", ""),
            token_url=data.get("token_url", ""),
            website=data.get("website", ""),
            thumbtack=bool(data.get("thumbtack", False)),
        )


PRODUCTION = Environment(
    id="production",
    name="Production",
    kind=EnvironmentKind.PRODUCTION,
    api_base="https://api.thumbtack.com/api/",
    authorize_url="https://auth.thumbtack.com/oauth2/auth",
    token_url="https://auth.thumbtack.com/oauth2/token",
    website="https://thumbtack.com",
)

STAGING = Environment(
    id="staging",
    name="Staging",
    kind=EnvironmentKind.STAGING,
    api_base="https://staging-api.thumbtack.com/api/",
    authorize_url="https://staging-auth.thumbtack.com/oauth2/auth",
    token_url="https://staging-auth.thumbtack.com/oauth2/token",
    website="https://staging-partner.thumbtack.com",
)

SANDBOX_ID = "sandbox"

#: The documented environments, by id. Custom ones are added by the user.
PRESETS: dict[str, Environment] = {PRODUCTION.id: PRODUCTION, STAGING.id: STAGING}

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def sandbox_environment(
    api_base: str, *, authorize_url: str = "", token_url: str = ""
) -> Environment:
    """The Sandbox environment once its server has started at ``api_base``.

    The Sandbox's authorization server lives on the same origin unless told otherwise.
    """
    base = api_base.rstrip("/")
    origin = _origin(base)
    return Environment(
        id=SANDBOX_ID,
        name="Sandbox (local)",
        kind=EnvironmentKind.SANDBOX,
        api_base=base + "/",
        authorize_url=authorize_url or f"{origin}/oauth2/auth",
        token_url=token_url or f"{origin}/oauth2/token",
        website=origin,
    )


def custom_environment(
    *,
    id: str,
    name: str,
    api_base: str,
    token_url: str,
    authorize_url: str = "",
    website: str = "",
    thumbtack: bool = False,
) -> Environment:
    """A user-defined environment; raises ``ValueError`` listing every problem.

    ``token_url`` may be empty for an API whose profiles do not use OAuth."""
    data = {
        "id": id,
        "name": name,
        "kind": EnvironmentKind.CUSTOM.value,
        "api_base": api_base,
        "authorize_url": authorize_url,
        "token_url": token_url,
        "website": website,
        "thumbtack": thumbtack,
    }
    return Environment.from_dict(data)


def url_environment(origin: str) -> Environment:
    """An unsaved environment for a full URL the user typed: its origin is the API base,
    and it has no authorization server (nothing signs such a request)."""
    base = origin.rstrip("/")
    return Environment(
        id="url",
        name=host_of(base) or base,
        kind=EnvironmentKind.CUSTOM,
        api_base=base + "/",
        authorize_url="",
        token_url="",
        website=base,
        thumbtack=is_thumbtack_url(base),
    )


def is_thumbtack_url(url: str) -> bool:
    host = host_of(url)
    return host == "thumbtack.com" or host.endswith(".thumbtack.com")


def validate_environment_dict(data: dict[str, Any]) -> list[str]:
    """Every problem with a stored environment, each naming its field."""
    problems: list[str] = []
    env_id = data.get("id")
    if not isinstance(env_id, str) or not _ID.match(env_id):
        problems.append(
            f"id: {env_id!r} is not a short lower-case name (letters, digits, '.', '_', '-')"
        )
    if not isinstance(data.get("name"), str) or not str(data.get("name")).strip():
        problems.append("name: must be a non-empty text")
    kind = data.get("kind", "custom")
    if kind not in {k.value for k in EnvironmentKind}:
        problems.append(
            f"kind: {kind!r} is not one of {', '.join(k.value for k in EnvironmentKind)}"
        )
    for key, required in (
        ("api_base", True),
        ("token_url", False),
        ("authorize_url", False),
        ("website", False),
    ):
        value = data.get(key, "")
        if not isinstance(value, str):
            problems.append(f"{key}: must be a URL text")
            continue
        if not value:
            if required:
                problems.append(f"{key}: is required (an http:// or https:// URL)")
            continue
        problem = url_problem(value)
        if problem:
            problems.append(f"{key}: {problem}")
    return problems


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be used as a base or endpoint URL, or ``None``."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"{url!r} is not a URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"{url!r} must start with https:// (or http:// for a local server)"
    if not parts.hostname:
        return f"{url!r} has no host name"
    return None


def host_of(url: str) -> str:
    """The lower-case host name of ``url`` ('' if it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
