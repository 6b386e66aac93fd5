"""Credential profiles and the file that keeps them (never with a secret inside).

A :class:`Profile` says who calls and how: environment, client ID, OAuth flow, scopes,
audience, client authentication method and redirect URI. Client secrets and tokens live
in a :class:`explorer.core.secrets.SecretStore`, keyed by the profile's name.

:class:`ProfileStore` keeps every profile and custom environment in one versioned,
human-readable JSON file, ``profiles.json`` in the config directory. One file (rather than
one per profile) because a profile refers to an environment by id: one atomic write keeps
both consistent, and the export a team shares has the very same shape.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from explorer.core.environments import (
    PRESETS,
    SANDBOX_ID,
    Environment,
    EnvironmentKind,
    validate_environment_dict,
)
from explorer.core.files import (
    DocumentError,
    VersionedDocument,
    atomic_write,
    dump_json,
    file_stamp,
    locked,
)
from explorer.core.models import Flow
from explorer.core.redact_rules import is_secret_key
from explorer.core.secrets import SecretKind
from explorer.paths import AppPaths

PARTNER_AUDIENCE = "urn:partner-api"
DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"
OFFLINE_ACCESS = "offline_access"

#: Scope names Thumbtack documents or partner code uses (reference §2.5).
OIDC_SCOPES: tuple[str, ...] = ("openid", "profile", "email", "phone", OFFLINE_ACCESS)
DEMAND_SCOPES: tuple[str, ...] = (
    "demand::businesses/media.read",
    "demand::businesses/reviews.read",
    "demand::businesses/search.read",
    "demand::categories.read",
    "demand::categories/request-form.read",
    "demand::keywords.read",
    "demand::messages.read",
    "demand::messages.write",
    "demand::negotiations.read",
    "demand::orders.read",
    "demand::orders.write",
    "demand::orders/availability.read",
    "demand::requests.write",
    "demand::users.disconnect",
    "demand::users.read",
    "demand::users.write",
    "demand::webhooks.read",
    "demand::webhooks.write",
)
SUPPLY_SCOPES: tuple[str, ...] = (
    "supply::businesses.list",
    "supply::businesses/associate-phone-numbers.read",
    "supply::businesses/associate-phone-numbers.write",
    "supply::associate-phone-numbers.read",
    "supply::associate-phone-numbers.write",
    "supply::messages.read",
    "supply::messages.write",
    "supply::negotiations.read",
    "supply::negotiations.write",
    "supply::users.disconnect",
    "supply::users.read",
    "supply::webhooks.read",
    "supply::webhooks.write",
)
DOCUMENTED_SCOPES: frozenset[str] = frozenset(OIDC_SCOPES + DEMAND_SCOPES + SUPPLY_SCOPES)

#: Thumbtack issues a partner one OAuth client per flow (the exact-search page describes a
#: clientCredentials client and an authorizationCode client; partners keep two client
#: IDs). The demand:: scopes of the application (client credentials) client: catalogue,
#: search, reviews and orders; those of the authorization-code client act for a customer.
DEMAND_CLIENT_CREDENTIALS_SCOPES: tuple[str, ...] = (
    "demand::businesses/media.read",
    "demand::businesses/reviews.read",
    "demand::businesses/search.read",
    "demand::categories.read",
    "demand::categories/request-form.read",
    "demand::keywords.read",
    "demand::orders.read",
    "demand::orders.write",
    "demand::orders/availability.read",
)
DEMAND_AUTHORIZATION_CODE_SCOPES: tuple[str, ...] = (
    "demand::businesses/reviews.read",
    "demand::messages.read",
    "demand::messages.write",
    "demand::negotiations.read",
    "demand::requests.write",
    "demand::users.disconnect",
    "demand::users.read",
    "demand::users.write",
    "demand::webhooks.read",
    "demand::webhooks.write",
)
#: Said wherever a profile's client and flow are chosen.
ONE_CLIENT_PER_FLOW = (
    "Thumbtack issues one OAuth client per flow: a client-credentials client (the "
    "application: catalogue and search) and an authorization-code client (a signed-in "
    "customer or pro). Use each client ID only with its own flow."
)

#: Token-request fields the program sets itself; an "extra parameter" may not override them.
_RESERVED_PARAMS = frozenset(
    {
        "grant_type",
        "client_id",
        "client_secret",
        "code",
        "code_verifier",
        "redirect_uri",
        "refresh_token",
        "scope",
        "audience",
        "state",
    }
)


class AuthMethod(StrEnum):
    """How the client authenticates at the token endpoint."""

    CLIENT_SECRET_BASIC = "client_secret_basic"
    CLIENT_SECRET_POST = "client_secret_post"


class AuthKind(StrEnum):
    """How a profile authenticates its requests: every kind an OpenAPI ``securitySchemes``
    entry can declare that this program can send."""

    OAUTH2 = "oauth2"
    NONE = "none"
    BASIC = "basic"  # HTTP Basic: username in the profile, password in the secret store
    BEARER = "bearer"  # a fixed bearer token, in the secret store
    API_KEY = "api_key"  # a key sent in a header, query parameter or cookie

    @property
    def label(self) -> str:
        return _AUTH_LABELS[self]

    @property
    def secret_kind(self) -> SecretKind | None:
        """Where this kind's secret is kept (OAuth's client secret, or its own)."""
        return _AUTH_SECRETS[self]


class ApiKeyLocation(StrEnum):
    HEADER = "header"
    QUERY = "query"
    COOKIE = "cookie"


_AUTH_LABELS = {
    AuthKind.OAUTH2: "OAuth 2.0",
    AuthKind.NONE: "No authentication",
    AuthKind.BASIC: "HTTP Basic",
    AuthKind.BEARER: "Bearer token",
    AuthKind.API_KEY: "API key",
}
_AUTH_SECRETS: dict[AuthKind, SecretKind | None] = {
    AuthKind.OAUTH2: SecretKind.CLIENT_SECRET,
    AuthKind.NONE: None,
    AuthKind.BASIC: SecretKind.PASSWORD,
    AuthKind.BEARER: SecretKind.BEARER_TOKEN,
    AuthKind.API_KEY: SecretKind.API_KEY,
}


class IssueLevel(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, kw_only=True)
class ProfileIssue:
    """One problem with a profile: where it is, what is wrong and what to do."""

    location: str
    message: str
    level: IssueLevel = IssueLevel.ERROR

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ProfileInvalid(ValueError):
    """A profile that cannot be saved; ``issues`` lists every error at once."""

    def __init__(self, issues: list[ProfileIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(str(i) for i in issues))


class ProfileNotFound(KeyError):
    """No profile with that name."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        hint = f" Known profiles: {', '.join(known)}." if known else " There are no profiles yet."
        self.message = f"There is no profile named '{name}'.{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, kw_only=True)
class Profile:
    """Who calls and how. Holds no secret: those live in the secret store."""

    name: str
    environment_id: str
    client_id: str = ""
    flow: Flow = Flow.CLIENT_CREDENTIALS
    scopes: tuple[str, ...] = ()
    audience: str = PARTNER_AUDIENCE
    auth_method: AuthMethod = AuthMethod.CLIENT_SECRET_BASIC
    redirect_uri: str = DEFAULT_REDIRECT_URI
    extra_token_params: tuple[tuple[str, str], ...] = ()
    auth: AuthKind = AuthKind.OAUTH2
    username: str = ""  # HTTP Basic
    api_key_name: str = ""  # the header, query parameter or cookie that carries the key
    api_key_in: ApiKeyLocation = ApiKeyLocation.HEADER

    @property
    def uses_oauth(self) -> bool:
        return self.auth is AuthKind.OAUTH2

    def with_changes(self, **changes: Any) -> Profile:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = self._oauth_dict()
        if self.auth is not AuthKind.OAUTH2:
            data["auth"] = self.auth.value
        if self.auth is AuthKind.BASIC:
            data["username"] = self.username
        if self.auth is AuthKind.API_KEY:
            data["api_key_name"] = self.api_key_name
            data["api_key_in"] = self.api_key_in.value
        return data

    def _oauth_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "environment": self.environment_id,
            "client_id": self.client_id,
            "flow": self.flow.value,
            "scopes": list(self.scopes),
            "audience": self.audience,
            "auth_method": self.auth_method.value,
            "redirect_uri": self.redirect_uri,
            "extra_token_params": dict(self.extra_token_params),
        }

    @classmethod
    def from_dict(cls, data: Any, *, location: str = "profile") -> Profile:
        """Build from a stored mapping; raises :class:`ProfileInvalid` with every problem."""
        issues = _shape_issues(data, location)
        if issues:
            raise ProfileInvalid(issues)
        profile = cls(
            name=data["name"].strip(),
            environment_id=data["environment"],
            client_id=str(data.get("client_id", "")).strip(),
            auth=AuthKind(data.get("auth", AuthKind.OAUTH2.value)),
            username=str(data.get("username", "")),
            api_key_name=str(data.get("api_key_name", "")).strip(),
            api_key_in=ApiKeyLocation(data.get("api_key_in", ApiKeyLocation.HEADER.value)),
            flow=Flow(data.get("flow", Flow.CLIENT_CREDENTIALS.value)),
            scopes=tuple(data.get("scopes", ())),
            audience=data.get("audience", PARTNER_AUDIENCE),
            auth_method=AuthMethod(data.get("auth_method", AuthMethod.CLIENT_SECRET_BASIC.value)),
            redirect_uri=data.get("redirect_uri", DEFAULT_REDIRECT_URI),
            extra_token_params=tuple(sorted(data.get("extra_token_params", {}).items())),
        )
        errors = [
            i for i in validate_profile(profile, location=location) if i.level is IssueLevel.ERROR
        ]
        if errors:
            raise ProfileInvalid(errors)
        return profile


def _shape_issues(data: Any, location: str) -> list[ProfileIssue]:
    if not isinstance(data, dict):
        return [ProfileIssue(location=location, message="must be a JSON object")]
    issues: list[ProfileIssue] = []

    def bad(key: str, message: str) -> None:
        issues.append(ProfileIssue(location=f"{location}.{key}", message=message))

    auth = data.get("auth", AuthKind.OAUTH2.value)
    if auth not in {k.value for k in AuthKind}:
        bad("auth", f"{auth!r} is not one of {', '.join(k.value for k in AuthKind)}")
    required = ("name", "environment", "client_id") if auth == "oauth2" else ("name", "environment")
    for key in required:
        if not isinstance(data.get(key), str) or not data[key].strip():
            bad(key, "is required and must be a non-empty text")
    where = data.get("api_key_in", ApiKeyLocation.HEADER.value)
    if where not in {w.value for w in ApiKeyLocation}:
        bad("api_key_in", f"{where!r} is not one of header, query, cookie")
    for key in ("username", "api_key_name", "client_id"):
        if key in data and not isinstance(data[key], str):
            bad(key, "must be a text")
    if data.get("flow", "client_credentials") not in {f.value for f in Flow}:
        bad("flow", f"{data.get('flow')!r} is not one of {', '.join(f.value for f in Flow)}")
    scopes = data.get("scopes", [])
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        bad("scopes", "must be a list of scope names")
    for key in ("audience", "redirect_uri"):
        if key in data and not isinstance(data[key], str):
            bad(key, "must be a text")
    method = data.get("auth_method", AuthMethod.CLIENT_SECRET_BASIC.value)
    if method not in {m.value for m in AuthMethod}:
        bad("auth_method", f"{method!r} is not one of {', '.join(m.value for m in AuthMethod)}")
    extra = data.get("extra_token_params", {})
    if not isinstance(extra, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in extra.items()
    ):
        bad("extra_token_params", "must be an object of text names to text values")
    secret_keys = {
        "client_secret",
        "secret",
        "access_token",
        "refresh_token",
        "password",
        "api_key",
    }
    for key in sorted(set(data) & secret_keys):
        bad(
            key,
            "secrets do not belong in profile files; remove it and store the secret with "
            "'profile add' or the profile editor (it goes to the OS keychain)",
        )
    return issues


def validate_profile(profile: Profile, *, location: str = "profile") -> list[ProfileIssue]:
    """Every error and warning about ``profile``, each with its location and the fix."""
    issues: list[ProfileIssue] = []

    def add(key: str, message: str, level: IssueLevel = IssueLevel.ERROR) -> None:
        issues.append(ProfileIssue(location=f"{location}.{key}", message=message, level=level))

    if not profile.name.strip():
        add("name", "is required")
    elif len(profile.name) > 64 or any(c in profile.name for c in "/\\\n\t"):
        add("name", "must be at most 64 characters with no slashes, tabs or line breaks")
    if not profile.uses_oauth:
        return issues + _static_auth_issues(profile, add)
    if not profile.client_id.strip():
        add("client_id", "is required (Thumbtack issues it with the client secret)")
    demand = [s for s in profile.scopes if s.startswith("demand::")]
    supply = [s for s in profile.scopes if s.startswith("supply::")]
    if demand and supply:
        add(
            "scopes",
            "mixes demand:: and supply:: scopes; a Thumbtack client has only one kind. "
            "Keep the scopes of the client Thumbtack issued and remove the others",
        )
    if supply and profile.flow is Flow.CLIENT_CREDENTIALS:
        add(
            "flow",
            "supply:: scopes are granted only with the authorization_code flow (a pro "
            "signs in); switch the flow to authorization_code",
        )
    if len(set(profile.scopes)) != len(profile.scopes):
        add("scopes", "lists a scope twice; remove the repeat", IssueLevel.WARNING)
    for index, scope in enumerate(profile.scopes):
        if not scope or any(c.isspace() for c in scope):
            add(f"scopes[{index}]", f"{scope!r} is not a scope name (no spaces allowed)")
        elif scope not in DOCUMENTED_SCOPES:
            add(
                f"scopes[{index}]",
                f"'{scope}' is not a documented Thumbtack scope; check the "
                "spelling against the list your account manager sent",
                IssueLevel.WARNING,
            )
    if profile.flow is Flow.AUTHORIZATION_CODE and OFFLINE_ACCESS not in profile.scopes:
        add(
            "scopes",
            "without offline_access the server issues no refresh token, so you must "
            "sign in again every hour; add offline_access",
            IssueLevel.WARNING,
        )
    if profile.flow is Flow.CLIENT_CREDENTIALS and OFFLINE_ACCESS in profile.scopes:
        add(
            "scopes",
            "offline_access asks for a refresh token, which the client_credentials "
            "flow never gets (it simply fetches a new token); remove offline_access",
            IssueLevel.WARNING,
        )
    if not profile.audience.strip():
        add("audience", f"is empty; Thumbtack requires '{PARTNER_AUDIENCE}'")
    elif profile.audience != PARTNER_AUDIENCE:
        add(
            "audience",
            f"is '{profile.audience}', but Thumbtack's API accepts only "
            f"'{PARTNER_AUDIENCE}' (a wrong audience fails with 502 "
            "proxy_oauth_failed)",
            IssueLevel.WARNING,
        )
    if profile.flow is Flow.AUTHORIZATION_CODE:
        problem = redirect_uri_problem(profile.redirect_uri)
        if problem:
            add("redirect_uri", problem)
    for key, _value in profile.extra_token_params:
        if is_secret_key(key):
            add(
                f"extra_token_params.{key}",
                "holds a secret, and profile files are stored in plain text; remove it here. "
                "The client secret belongs in the secret store ('profile add --secret-stdin' "
                "or the profile editor, which put it in the OS keychain or the vault); other "
                "secret token parameters are not supported",
            )
        elif key in _RESERVED_PARAMS:
            add(
                f"extra_token_params.{key}",
                "is set by the program itself; remove it here (the audience has its own field)",
            )
    return issues


def _static_auth_issues(profile: Profile, add: Any) -> list[ProfileIssue]:
    """What is wrong with a profile that does not use OAuth (``add`` records each)."""
    if profile.auth is AuthKind.BASIC:
        if not profile.username:
            add("username", "is required for HTTP Basic (the password goes to the secret store)")
        elif ":" in profile.username:
            add("username", "may not contain ':' (HTTP Basic separates it from the password)")
    if profile.auth is AuthKind.API_KEY:
        name = profile.api_key_name
        if not name:
            add(
                "api_key_name",
                f"is required: the {profile.api_key_in.value} that carries the key "
                "(the description's securitySchemes name it, e.g. X-API-Key)",
            )
        elif any(c.isspace() or c in ":;,=" for c in name):
            add("api_key_name", f"'{name}' is not a header, parameter or cookie name")
    return []


def redirect_uri_problem(uri: str) -> str | None:
    """Why ``uri`` cannot be served by the loopback listener, or ``None``."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return f"'{uri}' is not a URL; use e.g. {DEFAULT_REDIRECT_URI}"
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        return (
            f"'{uri}' must be http://127.0.0.1:PORT/PATH so this program can receive the "
            f"redirect, e.g. {DEFAULT_REDIRECT_URI} (register it with Thumbtack too)"
        )
    if not port:
        return f"'{uri}' needs an explicit port, e.g. {DEFAULT_REDIRECT_URI}"
    return None


#: The Sandbox's demo clients, one per flow (as Thumbtack issues them).
SANDBOX_APP_CLIENT = "sandbox-demand-client"  # client credentials only
SANDBOX_CUSTOMER_CLIENT = "sandbox-customer-client"  # demand::, authorization code only
SANDBOX_PRO_CLIENT = "sandbox-supply-client"  # supply::, authorization code only


def sandbox_demo_profile() -> Profile:
    """The profile that works out of the box against the embedded Sandbox."""
    return Profile(
        name=SANDBOX_APP_PROFILE,
        environment_id=SANDBOX_ID,
        client_id=SANDBOX_APP_CLIENT,
        flow=Flow.CLIENT_CREDENTIALS,
        scopes=(
            "demand::businesses/search.read",
            "demand::categories.read",
            "demand::categories/request-form.read",
            "demand::keywords.read",
            # the other client-credentials endpoints of the description: reviews, orders
            "demand::businesses/reviews.read",
            "demand::orders.read",
            "demand::orders.write",
            "demand::orders/availability.read",
        ),
    )


SANDBOX_APP_PROFILE = "Sandbox demo"
SANDBOX_CUSTOMER_PROFILE = "Sandbox demo — customer (authorization code)"
SANDBOX_PRO_PROFILE = "Sandbox demo — pro (authorization code)"
#: Not the default port, so a demo sign-in never meets a real sign-in waiting on 8765.
SANDBOX_DEMO_REDIRECT_URI = "http://127.0.0.1:8767/callback"


def sandbox_demo_profiles() -> tuple[Profile, ...]:
    """The built-in Sandbox profiles: the application (its client-credentials client),
    then a customer (the demand authorization-code client) and a pro (the supply client)
    who sign in with the authorization code flow: one client per flow, as Thumbtack
    issues them. The Sandbox approves its own demo users without a browser."""
    customer = Profile(
        name=SANDBOX_CUSTOMER_PROFILE,
        environment_id=SANDBOX_ID,
        client_id=SANDBOX_CUSTOMER_CLIENT,
        flow=Flow.AUTHORIZATION_CODE,
        scopes=(*DEMAND_AUTHORIZATION_CODE_SCOPES, OFFLINE_ACCESS),
        redirect_uri=SANDBOX_DEMO_REDIRECT_URI,
    )
    pro = customer.with_changes(
        name=SANDBOX_PRO_PROFILE,
        client_id=SANDBOX_PRO_CLIENT,
        scopes=(*SUPPLY_SCOPES, OFFLINE_ACCESS),
    )
    return (sandbox_demo_profile(), customer, pro)


def is_sandbox_demo(profile: Profile | None) -> bool:
    """True for one of the built-in Sandbox demo profiles, unchanged."""
    return profile is not None and profile in sandbox_demo_profiles()


@dataclass(frozen=True, kw_only=True)
class ImportReport:
    """What an import did: names added, names replaced, names left alone (already there)."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    environments: tuple[str, ...] = ()


_DOCUMENT = VersionedDocument(kind="profiles", version=1, migrations={})
EXPORT_KIND = "thumbtack-explorer-profiles"


@dataclass
class _Contents:
    profiles: dict[str, Profile] = field(default_factory=dict)
    environments: dict[str, Environment] = field(default_factory=dict)


class ProfileStore:
    """Profiles and custom environments in ``<config>/profiles.json``.

    Reading is lazy. A file that cannot be used is set aside as ``profiles.json.broken-…``
    and reported through :attr:`problem` (a :class:`DocumentError` naming the path and
    every problem); the valid entries are kept, so the next save loses nothing. A file
    with some invalid entries is copied aside once, not on every run.

    Several processes share the file (the window and any number of command-line runs):
    every change takes the file's inter-process lock, re-reads the file and applies only
    that change, so no writer loses another's profiles. A file changed by another process
    is read again the next time it is asked for (:meth:`changed_on_disk` tells a window).
    """

    def __init__(self, paths: AppPaths) -> None:
        self.path = paths.config / "profiles.json"
        self._contents: _Contents | None = None
        self._runtime: dict[str, Environment] = {}
        self._stamp: tuple[int, int, int] | None = None
        self.problem: DocumentError | None = None
        #: True when :attr:`problem` is the same one an earlier run already reported
        self.problem_known = False

    # reading ---------------------------------------------------------------------------
    def load(self) -> DocumentError | None:
        """(Re)read the file; returns the problem, if any (also kept in :attr:`problem`)."""
        self.problem = None
        self.problem_known = False
        self._stamp = file_stamp(self.path)
        try:
            document = _DOCUMENT.load(self.path, default=lambda: {"version": 1})
        except DocumentError as exc:
            self.problem = exc
            self._contents = _Contents()
            self._stamp = file_stamp(self.path)
            return exc
        contents, issues = _parse(document, "")
        if issues:
            backup, self.problem_known = self._keep_copy()
            self.problem = DocumentError(
                self.path,
                "some entries are not valid and were left out: "
                + "; ".join(str(i) for i in issues),
                backup,
            )
        self._contents = contents
        return self.problem

    def changed_on_disk(self) -> bool:
        """True when another process wrote the file since this store last read it."""
        return self._contents is not None and file_stamp(self.path) != self._stamp

    def _data(self) -> _Contents:
        if self._contents is None or file_stamp(self.path) != self._stamp:
            self.load()
        assert self._contents is not None
        return self._contents

    def _keep_copy(self) -> tuple[Path, bool]:
        """A copy of the file beside it, unless one with the same bytes is there already;
        and whether it was there already."""
        current = self.path.read_bytes()
        for earlier in sorted(self.path.parent.glob(f"{self.path.name}.broken-*"), reverse=True):
            try:
                if earlier.stat().st_size == len(current) and earlier.read_bytes() == current:
                    return earlier, True
            except OSError:
                continue
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        counter = 1
        while backup.exists():
            backup = self.path.with_name(f"{self.path.name}.broken-{stamp}-{counter}")
            counter += 1
        shutil.copy2(self.path, backup)
        return backup, False

    def profiles(self) -> list[Profile]:
        return sorted(self._data().profiles.values(), key=lambda p: p.name.lower())

    def names(self) -> list[str]:
        return [p.name for p in self.profiles()]

    def get(self, name: str) -> Profile:
        profile = self._data().profiles.get(name)
        if profile is None:
            raise ProfileNotFound(name, self.names())
        return profile

    def environments(self) -> list[Environment]:
        """Presets, then the running Sandbox (if registered), then custom environments."""
        custom = sorted(self._data().environments.values(), key=lambda e: e.name.lower())
        return [*PRESETS.values(), *self._runtime.values(), *custom]

    def environment(self, env_id: str) -> Environment:
        if env_id in PRESETS:
            return PRESETS[env_id]
        if env_id in self._runtime:
            return self._runtime[env_id]
        found = self._data().environments.get(env_id)
        if found is None:
            known = ", ".join(e.id for e in self.environments())
            hint = " Start the Sandbox first." if env_id == SANDBOX_ID else ""
            raise KeyError(f"There is no environment '{env_id}' (known: {known}).{hint}")
        return found

    def set_runtime_environment(self, environment: Environment) -> None:
        """Make an environment that is not saved (the running Sandbox) available."""
        self._runtime[environment.id] = environment

    # writing ---------------------------------------------------------------------------
    def _change(self, change: Callable[[_Contents], None]) -> None:
        """Apply ``change`` to the file as it is now, under the inter-process lock."""
        with locked(self.path):
            self.load()
            data = self._data()
            change(data)
            _DOCUMENT.save(self.path, _document(data.profiles.values(), data.environments.values()))
            self._stamp = file_stamp(self.path)

    def save_profile(self, profile: Profile, *, previous_name: str | None = None) -> None:
        """Add or replace ``profile`` (renaming from ``previous_name``); raises ProfileInvalid."""

        def change(data: _Contents) -> None:
            errors = [i for i in validate_profile(profile) if i.level is IssueLevel.ERROR]
            known_envs = {e.id for e in self.environments()} | {SANDBOX_ID}
            if profile.environment_id not in known_envs:
                errors.append(
                    ProfileIssue(
                        location="profile.environment",
                        message=f"'{profile.environment_id}' is not a known environment "
                        f"({', '.join(sorted(known_envs))})",
                    )
                )
            if errors:
                raise ProfileInvalid(errors)
            if previous_name and previous_name != profile.name:
                data.profiles.pop(previous_name, None)
            data.profiles[profile.name] = profile

        self._change(change)

    def remove(self, name: str) -> None:
        def change(data: _Contents) -> None:
            if name not in data.profiles:
                raise ProfileNotFound(name, self.names())
            del data.profiles[name]

        self._change(change)

    def save_environment(self, environment: Environment) -> None:
        if environment.kind is not EnvironmentKind.CUSTOM:
            raise ValueError(
                f"'{environment.name}' is built in and cannot be changed; "
                "add a custom environment instead"
            )
        problems = validate_environment_dict(environment.to_dict())
        if environment.id in PRESETS or environment.id == SANDBOX_ID:
            problems.append(f"id: '{environment.id}' is reserved; choose another id")
        if problems:
            raise ValueError("; ".join(problems))
        self._change(lambda data: data.environments.__setitem__(environment.id, environment))

    def remove_environment(self, env_id: str) -> None:
        def change(data: _Contents) -> None:
            users = [p.name for p in data.profiles.values() if p.environment_id == env_id]
            if users:
                raise ValueError(
                    f"Environment '{env_id}' is used by {', '.join(users)}; "
                    "move or remove those profiles first"
                )
            data.environments.pop(env_id, None)

        self._change(change)

    # sharing ---------------------------------------------------------------------------
    def export(self, path: Path, names: list[str] | None = None) -> list[str]:
        """Write the named profiles (all by default) and their custom environments to a
        file a team can share. It never holds a secret. Returns the exported names."""
        data = self._data()
        chosen = [self.get(n) for n in names] if names else self.profiles()
        env_ids = {p.environment_id for p in chosen}
        envs = [e for e in data.environments.values() if e.id in env_ids]
        document = {"kind": EXPORT_KIND, "version": _DOCUMENT.version, **_document(chosen, envs)}
        atomic_write(path, dump_json(document), mode=0o600)
        return [p.name for p in chosen]

    def import_file(self, path: Path, *, replace_existing: bool = False) -> ImportReport:
        """Add the profiles from an exported file. Existing names are kept unless
        ``replace_existing``. Raises DocumentError (file left untouched) on any problem."""
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DocumentError(path, f"it cannot be read as a profiles export ({exc})") from exc
        if not isinstance(document, dict) or document.get("kind") != EXPORT_KIND:
            raise DocumentError(path, "it is not a profiles file exported by this program")
        if document.get("version", 1) > _DOCUMENT.version:
            raise DocumentError(path, "it was exported by a newer version; update the program")
        contents, issues = _parse(document, "")
        if issues:
            raise DocumentError(path, "; ".join(str(i) for i in issues))
        added: list[str] = []
        replaced: list[str] = []
        skipped: list[str] = []

        def change(data: _Contents) -> None:
            for name, profile in contents.profiles.items():
                if name in data.profiles and not replace_existing:
                    skipped.append(name)
                    continue
                (replaced if name in data.profiles else added).append(name)
                data.profiles[name] = profile
            data.environments.update(contents.environments)

        self._change(change)
        return ImportReport(
            added=tuple(added),
            replaced=tuple(replaced),
            skipped=tuple(skipped),
            environments=tuple(contents.environments),
        )


def _document(profiles: Any, environments: Any) -> dict[str, Any]:
    return {
        "environments": [e.to_dict() for e in sorted(environments, key=lambda e: e.id)],
        "profiles": [p.to_dict() for p in sorted(profiles, key=lambda p: p.name.lower())],
    }


def _parse(document: dict[str, Any], prefix: str) -> tuple[_Contents, list[ProfileIssue]]:
    """Every valid entry of a document, and every problem with its location."""
    contents = _Contents()
    issues: list[ProfileIssue] = []
    raw_envs = document.get("environments", [])
    raw_profiles = document.get("profiles", [])
    if not isinstance(raw_envs, list):
        issues.append(ProfileIssue(location=f"{prefix}environments", message="must be a list"))
        raw_envs = []
    if not isinstance(raw_profiles, list):
        issues.append(ProfileIssue(location=f"{prefix}profiles", message="must be a list"))
        raw_profiles = []
    for index, raw in enumerate(raw_envs):
        where = f"{prefix}environments[{index}]"
        if not isinstance(raw, dict):
            issues.append(ProfileIssue(location=where, message="must be a JSON object"))
            continue
        problems = validate_environment_dict({"kind": "custom", **raw})
        if raw.get("kind", "custom") != EnvironmentKind.CUSTOM.value:
            problems.append("kind: only custom environments are stored")
        if problems:
            issues.extend(
                ProfileIssue(location=f"{where}.{p.split(':')[0]}", message=p.split(": ", 1)[-1])
                for p in problems
            )
            continue
        env = Environment.from_dict({"kind": "custom", **raw})
        contents.environments[env.id] = env
    for index, raw in enumerate(raw_profiles):
        where = f"{prefix}profiles[{index}]"
        try:
            profile = Profile.from_dict(raw, location=where)
        except ProfileInvalid as exc:
            issues.extend(exc.issues)
            continue
        if profile.name in contents.profiles:
            issues.append(
                ProfileIssue(
                    location=f"{where}.name", message=f"'{profile.name}' appears twice; rename one"
                )
            )
            continue
        contents.profiles[profile.name] = profile
    return contents, issues
