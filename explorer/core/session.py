"""Sending with a profile's token, start to finish, for the CLI and the window alike.

:func:`send_with_retry` is the one send path: authorize, send through
:func:`explorer.core.http.send`, and retry exactly once, with a fresh token, when the API
answers the documented 401 "token is not active". Two faces use it:

- :class:`CallService` (the CLI's ``call``) resolves an endpoint (operationId or
  ``METHOD PATH``) from a catalog, builds the :class:`RequestSpec`, runs the pre-flight
  checks and calls;
- :class:`Session` (the window's session without Qt) keeps the current environment and
  profile, the secret stores and one token manager per profile, and sends with them.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit

import httpx2 as httpx

from explorer.core.auth import (
    AUTH_ERRORS,
    ClientFactory,
    LoginRequired,
    MissingSecret,
    TokenError,
    TokenInfo,
    TokenManager,
    default_client_factory,
    is_token_endpoint,
    is_token_not_active,
    known_secrets,
    open_in_browser,
)
from explorer.core.builder import InputProblem, RequestInputs, validate_inputs
from explorer.core.credentials import MissingCredential, StaticAuth
from explorer.core.environments import (
    SANDBOX_ID,
    Environment,
    EnvironmentKind,
    sandbox_environment,
)
from explorer.core.http import make_client, send
from explorer.core.media import is_json_type
from explorer.core.models import (
    Endpoint,
    Explanation,
    FixAction,
    NetworkFailure,
    NetworkFailureKind,
    ParamLocation,
    RequestSpec,
    ResponseRecord,
    Severity,
    StatusClass,
)
from explorer.core.preflight import PreflightWarning, preflight
from explorer.core.profiles import AuthKind, Profile, ProfileStore, sandbox_demo_profiles
from explorer.core.redact import MASK, RedactionPolicy, Redactor
from explorer.core.secrets import (
    MemoryStore,
    SecretBackend,
    SecretKind,
    SecretStore,
    recorded_backend,
    vault_path,
)
from explorer.paths import AppPaths

log = logging.getLogger(__name__)

_AUTH_FAILURES = {cls.__name__ for cls in AUTH_ERRORS} - {TokenError.__name__}
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

Sender = Callable[[RequestSpec], ResponseRecord]
#: Parameters as ``name -> value`` or as ordered pairs (names may repeat: ``ids=1&ids=2``).
Params = Mapping[str, str] | Sequence[tuple[str, str]]


def param_pairs(params: Params) -> list[tuple[str, str]]:
    """``params`` as ordered pairs."""
    if isinstance(params, Mapping):
        return list(params.items())
    return list(params)


def _first(params: Params) -> dict[str, str]:
    """The first value of each name (what a path or header parameter takes)."""
    out: dict[str, str] = {}
    for name, value in param_pairs(params):
        out.setdefault(name, value)
    return out


@dataclass(frozen=True, kw_only=True)
class Target:
    """What ``call`` was told to call, taken apart: ``text`` for :func:`resolve` (an
    operationId or ``METHOD /path``), the query written in the path (in order), and the
    origin of a full URL (``""`` when a path was given)."""

    text: str
    query: tuple[tuple[str, str], ...] = ()
    origin: str = ""


def parse_target(target: str) -> Target:
    """Split ``GET https://host/path?x=1`` or ``GET /path?x=1`` into its parts."""
    text = target.strip()
    words = text.split(None, 1)
    if len(words) != 2 or words[0].upper() not in _METHODS:
        return Target(text=text)
    method, rest = words[0].upper(), words[1].strip()
    origin = ""
    if rest.lower().startswith(("http://", "https://")):
        try:
            parts = urlsplit(rest)
        except ValueError as exc:
            raise BadInput(f"'{rest}' is not a URL ({exc}).") from None
        if not parts.hostname:
            raise BadInput(f"'{rest}' has no host name; write it as https://host/path.")
        origin = f"{parts.scheme.lower()}://{parts.netloc}"
        rest = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    path, _, query = rest.partition("?")
    pairs = tuple(parse_qsl(query, keep_blank_values=True)) if query else ()
    return Target(text=f"{method} {path}", query=pairs, origin=origin)


class UnknownEndpoint(LookupError):
    """No endpoint matches what the user typed; the message suggests close matches."""


class BadInput(ValueError):
    """A parameter or body the request cannot be built from; the message says why."""


@dataclass(frozen=True, kw_only=True)
class CallResult:
    """What a call produced: the final response, whether it was retried, and the
    pre-flight warnings that were shown (or ignored) before sending."""

    record: ResponseRecord
    endpoint: Endpoint
    retried: bool = False
    warnings: tuple[PreflightWarning, ...] = ()


def load_catalog() -> list[Endpoint]:
    """The endpoints of the shipped catalog, or an empty list when it is not available
    (then only ``METHOD PATH`` can be called)."""
    try:
        module = importlib.import_module("explorer.core.catalog")
    except ImportError:
        return []
    for name in ("load_default_catalog", "default_catalog"):
        loader = getattr(module, name, None)
        if callable(loader):
            try:
                result = loader()
            except Exception:
                return []
            endpoints = getattr(result, "endpoints", result)
            if callable(endpoints):
                endpoints = endpoints()
            return [e for e in endpoints if isinstance(e, Endpoint)]
    return []


def _template_regex(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", path.rstrip("/"))
    pattern = "".join("([^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{pattern}/?$")


def resolve(target: str, catalog: Iterable[Endpoint]) -> tuple[Endpoint, dict[str, str]]:
    """The endpoint for ``target`` (an operationId or ``METHOD PATH``) and any path
    parameter values written into the path. Raises :class:`UnknownEndpoint`."""
    endpoints = list(catalog)
    text = target.strip()
    words = text.split(None, 1)
    if len(words) == 2 and words[0].upper() in _METHODS:
        method, path = words[0].upper(), words[1].split("?", 1)[0]
        if not path.startswith("/"):
            raise UnknownEndpoint(
                f"'{path}' is not a path; write it from the root, e.g. /api/v4/keywords/search"
            )
        for endpoint in endpoints:
            if endpoint.method.upper() != method:
                continue
            if endpoint.path == path:
                return endpoint, {}
            match = _template_regex(endpoint.path).match(path)
            if match:
                names = re.findall(r"\{([^}/]+)\}", endpoint.path)
                return endpoint, dict(zip(names, match.groups(), strict=True))
        return Endpoint(operation_id="", method=method, path=path, section="Ad hoc"), {}
    if len(words) == 2 and words[1].startswith("/"):
        raise UnknownEndpoint(
            f"'{words[0]}' is not an HTTP method; use GET, POST, PUT, PATCH or DELETE, "
            "or an operationId (list them with: thumbtack-explorer endpoints)."
        )
    lowered = text.lower()
    for endpoint in endpoints:
        if endpoint.operation_id.lower() == lowered:
            return endpoint, {}
    close = sorted(
        e.operation_id
        for e in endpoints
        if e.operation_id and lowered[:5] in e.operation_id.lower()
    )[:5]
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    if not endpoints:
        hint = " The endpoint catalog is not available; call it as METHOD PATH instead."
    raise UnknownEndpoint(
        f"No endpoint has the operationId '{target}'.{hint} "
        "List them with: thumbtack-explorer endpoints"
    )


def build_request(
    endpoint: Endpoint,
    environment: Environment,
    params: Params,
    body: bytes | None,
    *,
    timeout_s: float = 30.0,
    extra_headers: Sequence[tuple[str, str]] = (),
    content_type: str | None = None,
    follow_redirects: bool = False,
    check_json: bool = True,
) -> RequestSpec:
    """The request for ``endpoint``: path parameters filled in, the rest in the query in
    the order given (or headers where the endpoint declares them), a JSON body checked.
    ``content_type`` is the body's type (default: the endpoint's; ``check_json=False``
    sends a body of a JSON type unchecked, as typed); ``extra_headers`` are
    sent as given and replace a default header of the same name (``Accept``,
    ``Content-Type``)."""
    check_buildable(
        endpoint,
        params,
        body if check_json else None,
        content_type=_body_type(endpoint, content_type, extra_headers),
    )
    declared = {p.name: p for p in endpoint.parameters}
    first = _first(params)
    path = endpoint.path
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = [("Accept", "application/json")]
    for name in re.findall(r"\{([^}/]+)\}", endpoint.path):
        path = path.replace("{" + name + "}", quote(first[name], safe=""))
    for name, value in param_pairs(params):
        if "{" + name + "}" in endpoint.path:
            continue
        param = declared.get(name)
        if param is not None and param.location is ParamLocation.HEADER:
            headers.append((name, value))
        else:
            query.append((name, value))
    if body is not None:
        headers.append(
            ("Content-Type", content_type or endpoint.body_media_type or "application/json")
        )
    if extra_headers:
        given = {name.lower() for name, _ in extra_headers}
        headers = [(k, v) for k, v in headers if k.lower() not in given]
        headers.extend(extra_headers)
    url = join_url(environment, endpoint, path)
    if query:
        url += ("&" if "?" in url else "?") + urlencode(query)
    return RequestSpec(
        method=endpoint.method.upper(),
        url=url,
        headers=tuple(headers),
        body=body,
        operation_id=endpoint.operation_id or None,
        timeout_s=timeout_s,
        follow_redirects=follow_redirects,
        thumbtack=environment.speaks_thumbtack,
    )


def _body_type(
    endpoint: Endpoint, content_type: str | None, headers: Sequence[tuple[str, str]]
) -> str:
    given = next((v for k, v in headers if k.lower() == "content-type"), None)
    return given or content_type or endpoint.body_media_type or "application/json"


def check_buildable(
    endpoint: Endpoint,
    params: Params,
    body: bytes | None,
    *,
    content_type: str = "application/json",
) -> None:
    """Raise :class:`BadInput` when no request can be built: a path parameter without a
    value, or a body declared JSON (``content_type``) that is not JSON. Needs no
    environment, so it runs before any network work (token, sign-in, the Sandbox)."""
    first = _first(params)
    missing = [name for name in re.findall(r"\{([^}/]+)\}", endpoint.path) if not first.get(name)]
    if missing:
        raise BadInput(
            f"{endpoint.method} {endpoint.path} needs the path parameter(s) "
            f"{', '.join(missing)}; pass them as -p NAME=VALUE."
        )
    if body is not None and is_json_type(content_type):
        try:
            json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadInput(
                f"The body is not valid JSON ({exc}). Send other text with --data, or say "
                "its type with -H 'Content-Type: …'."
            ) from exc


def input_problems(
    endpoint: Endpoint,
    params: Params,
    body: bytes | None,
    *,
    headers: Sequence[tuple[str, str]] = (),
) -> list[InputProblem]:
    """What the API would refuse in these flat ``name=value`` parameters (placed as
    :func:`build_request` places them), extra headers and body, errors first; see
    :func:`explorer.core.builder.validate_inputs`. Never blocks: the caller decides."""
    in_path = set(re.findall(r"\{([^}/]+)\}", endpoint.path))
    in_header = {p.name for p in endpoint.parameters if p.location is ParamLocation.HEADER}
    pairs = param_pairs(params)
    inputs = RequestInputs(
        path_params={k: v for k, v in _first(params).items() if k in in_path},
        query_params=tuple((k, v) for k, v in pairs if k not in in_path and k not in in_header),
        headers=(*((k, v) for k, v in pairs if k in in_header), *headers),
        body_text=body.decode("utf-8", errors="replace") if body else "",
    )
    return validate_inputs(endpoint, inputs)


def undeclared_params(endpoint: Endpoint, params: Iterable[str]) -> list[str]:
    """The names in ``params`` that ``endpoint`` neither declares nor has in its path; they
    end up in the query. Empty for an ad hoc endpoint (one not in the catalog)."""
    if not endpoint.operation_id:
        return []
    known = {p.name for p in endpoint.parameters}
    known.update(re.findall(r"\{([^}/]+)\}", endpoint.path))
    return [name for name in params if name not in known]


def join_url(environment: Environment, endpoint: Endpoint, path: str) -> str:
    """Where ``path`` lives: the API base (v4 paths start with /api/, which the base
    already ends with) or, for ``server == "auth"``, the token server's origin."""
    base = environment.token_url if endpoint.server == "auth" else environment.api_base
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    if endpoint.server == "auth":
        return origin + path
    base_path = parts.path.rstrip("/")
    if base_path and path.startswith(base_path + "/"):
        return origin + path
    return origin + base_path + path


class CallService:
    """Resolve, build, authorize, send and (once) retry a call for one profile."""

    def __init__(
        self,
        *,
        profile: Profile | None,
        environment: Environment,
        tokens: TokenManager | None,
        catalog: Iterable[Endpoint] | None = None,
        client: httpx.Client | None = None,
        auth: StaticAuth | None = None,
    ) -> None:
        self.profile = profile
        self.environment = environment
        self.tokens = tokens
        self.auth = auth  # a profile that signs without OAuth (Basic, bearer, API key)
        self._catalog = list(catalog) if catalog is not None else None
        self._client = client

    @property
    def catalog(self) -> list[Endpoint]:
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    def resolve(self, target: str) -> tuple[Endpoint, dict[str, str]]:
        return resolve(target, self.catalog)

    def build(
        self,
        endpoint: Endpoint,
        params: Params,
        body: bytes | None,
        *,
        headers: Sequence[tuple[str, str]] = (),
        content_type: str | None = None,
        timeout_s: float = 30.0,
        follow_redirects: bool = False,
        check_json: bool = True,
    ) -> RequestSpec:
        return build_request(
            endpoint,
            self.environment,
            params,
            body,
            extra_headers=headers,
            content_type=content_type,
            timeout_s=timeout_s,
            follow_redirects=follow_redirects,
            check_json=check_json,
        )

    def check(self, endpoint: Endpoint) -> list[PreflightWarning]:
        if self.profile is None or not self.profile.uses_oauth:
            return []
        info = self.tokens.token_info() if self.tokens is not None else None
        return preflight(endpoint, self.profile, self.environment, info)

    def call(
        self,
        endpoint: Endpoint,
        spec: RequestSpec,
        *,
        cancel: threading.Event | None = None,
    ) -> CallResult:
        """Send ``spec`` with a valid token; on 401 "token is not active", refresh once and
        send again. Token errors (``AUTH_ERRORS``) propagate for the caller to explain."""
        warnings = tuple(self.check(endpoint))
        client = self._client or make_client(timeout_s=spec.timeout_s)
        try:
            if self.tokens is None and self.auth is not None:
                spec = self.auth.authorize_request(spec)  # Basic, bearer or API key
            # No sign-in here (the CLI signs the Sandbox's demo users in before it calls)
            # and no masking (the CLI redacts what it prints, as its options say).
            record, retried = send_with_retry(spec, self.tokens, client=client, cancel=cancel)
            return CallResult(record=record, endpoint=endpoint, retried=retried, warnings=warnings)
        finally:
            if self._client is None:
                client.close()


def parse_params(pairs: Iterable[str]) -> list[tuple[str, str]]:
    """``name=value`` strings into ordered pairs (a name may repeat); raises
    :class:`BadInput` naming the bad one."""
    out: list[tuple[str, str]] = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"'{pair}' is not NAME=VALUE (for example -p zipCode=94103).")
        out.append((name.strip(), value))
    return out


# ----- one send path: the window's Session and the CLI's CallService ------------------------


def send_with_retry(
    spec: RequestSpec,
    tokens: TokenManager | None,
    *,
    client: httpx.Client,
    cancel: threading.Event | None = None,
    sign_in: bool = False,
) -> tuple[ResponseRecord, bool]:
    """Authorize ``spec`` with ``tokens`` (none: send it as it is), send it, and on the
    documented 401 "token is not active" refresh the token once and send it again.

    Returns the record and whether it was sent again. ``sign_in``: a Sandbox demo user
    without a token signs in first (the window's demo profiles; the CLI signs in before
    it calls). Token errors propagate for the caller to explain."""
    if tokens is None:
        return send(spec, client=client, cancel=cancel), False
    if sign_in:
        from explorer.core.sandbox_signin import authorize_signing_in

        authorized = authorize_signing_in(tokens, spec, cancel=cancel)
    else:
        authorized = tokens.authorize_request(spec)
    record = send(authorized, client=client, cancel=cancel)
    if is_token_not_active(record) and not (cancel is not None and cancel.is_set()):
        tokens.refresh()
        return send(tokens.authorize_request(spec), client=client, cancel=cancel), True
    return record, False


def masked_values(record: ResponseRecord, values: Iterable[str]) -> ResponseRecord:
    """``record`` with each of ``values`` (a password, token or API key) masked wherever
    its request carries it: headers (an encoded Basic credential too) and the URL."""
    secrets = sorted((v for v in values if v), key=len, reverse=True)

    def hide(text: str) -> str:
        for value in secrets:
            text = text.replace(value, MASK).replace(quote(value, safe=""), MASK)
        return text

    request = record.request
    headers = tuple((k, hide(v)) for k, v in request.headers)
    return replace(record, request=replace(request, headers=headers, url=hide(request.url)))


def masked_record(record: ResponseRecord, secrets: tuple[str, ...] = ()) -> ResponseRecord:
    """``record`` with the credentials in its request masked: the Authorization value
    (its scheme kept: Bearer, Basic) and any of ``secrets`` in the body."""

    def mask(value: str) -> str:
        scheme = value.split(" ", 1)[0] if " " in value.strip() else "Bearer"
        return f"{scheme} {MASK}"

    headers = tuple(
        (k, mask(v) if k.lower() == "authorization" else v) for k, v in record.request.headers
    )
    body = record.request.body
    if body is not None:
        for secret in secrets:
            if secret:
                body = body.replace(secret.encode(), MASK.encode())
                body = body.replace(quote_plus(secret).encode(), MASK.encode())
    return replace(record, request=replace(record.request, headers=headers, body=body))


def request_base(environment: Environment) -> str:
    """The base the request builder puts before an endpoint's path: for Thumbtack's
    ``/api/v4/...`` paths the API base without its ``/api``; a description's server as
    it is (its paths are relative to it, so Petstore's ``/v1`` is kept)."""
    base = environment.api_base.rstrip("/")
    if environment.kind is EnvironmentKind.DESCRIPTION:
        return base
    return base[: -len("/api")] if base.endswith("/api") else base


def auth_failure(spec: RequestSpec, exc: Exception) -> ResponseRecord:
    """A token that could not be had, as a record the explanation engine explains."""
    failure = NetworkFailure(
        kind=NetworkFailureKind.OTHER,
        exception_type=type(exc).__name__,
        message=str(exc) or type(exc).__name__,
    )
    return ResponseRecord(request=spec, failure=failure)


class Session:
    """Which environment and profile are current, their secret stores and token managers,
    and sending with them: the window's session without its Qt face.

    The window's :class:`~explorer.ui.session.controller.SessionController` wraps one (it
    adds signals and runs this on its workers); :meth:`perform` and
    :meth:`CallService.call` share :func:`send_with_retry`. What differs between the two
    faces is a parameter of :meth:`perform`, not an accident: the window signs the Sandbox
    demo users in (``sign_in``) and masks the token in the record it shows (``mask``).
    """

    def __init__(
        self,
        paths: AppPaths,
        *,
        profiles: ProfileStore | None = None,
        keyring_backend: Any | None = None,
        client_factory: ClientFactory = default_client_factory,
        open_browser: Callable[[str], Any] = open_in_browser,
        request_timeout_s: float = 30.0,
    ) -> None:
        from explorer.core.sandbox_signin import DEMO_CLIENT_SECRETS

        self.paths = paths
        self.profiles = profiles or ProfileStore(paths)
        self.keyring_backend = keyring_backend
        self._client_factory = client_factory
        self._open_browser = open_browser
        self._timeout_s = request_timeout_s
        self.demo_profiles = sandbox_demo_profiles()
        self.demo_profile = self.demo_profiles[0]  # client credentials: the first choice
        self.demo_store = MemoryStore(note="the Sandbox's public demo secrets")
        self.set_demo_secrets(DEMO_CLIENT_SECRETS)
        self.user_store: SecretStore | None = None
        self.environment: Environment = sandbox_placeholder()
        self.profile: Profile | None = None
        #: The current profile's token manager (None: no profile, or its store is locked).
        self.active: TokenManager | None = None
        #: The active profile's bare secrets, as last read (masked wherever they appear).
        self.known: tuple[str, ...] = ()
        self._managers: dict[str, TokenManager] = {}
        self._last_profile: dict[str, str] = {}
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._engine: Any = None

    # ----- environments and profiles ------------------------------------------------------
    def environments(self) -> list[Environment]:
        """The Sandbox first, then Production, Staging and the custom environments."""
        listed = [e for e in self.profiles.environments() if e.id != SANDBOX_ID]
        return [self.environment_for(SANDBOX_ID), *listed]

    def environment_for(self, env_id: str) -> Environment:
        try:
            return self.profiles.environment(env_id)
        except KeyError:
            if env_id == SANDBOX_ID:
                return sandbox_placeholder()
            raise

    def is_demo(self, profile: Profile | None) -> bool:
        """A built-in Sandbox demo profile (by name: its URLs follow the running Sandbox),
        unless the user saved a profile of that name."""
        if profile is None or profile.name not in {p.name for p in self.demo_profiles}:
            return False
        return profile in self.demo_profiles or profile.name not in {
            p.name for p in self.profiles.profiles()
        }

    def profiles_for(self, env_id: str) -> list[Profile]:
        found = [p for p in self.profiles.profiles() if p.environment_id == env_id]
        if env_id == SANDBOX_ID:
            names = {p.name for p in found}
            found[:0] = [p for p in self.demo_profiles if p.name not in names]
        return found

    def all_profiles(self) -> list[Profile]:
        return [*self.demo_profiles, *self.profiles.profiles()]

    def set_demo_secrets(self, secrets: Mapping[str, str]) -> None:
        for profile in self.demo_profiles:
            if secrets.get(profile.client_id):
                self.demo_store.set(
                    profile.name, SecretKind.CLIENT_SECRET, secrets[profile.client_id]
                )

    def profile_wanted(self, env_id: str, profile_name: str | None) -> str | None:
        """The profile to select in ``env_id``: the one named when it is there, else the
        one last used there, else its first."""
        names = [p.name for p in self.profiles_for(env_id)]
        wanted = profile_name or self._last_profile.get(env_id)
        return wanted if wanted in names else (names[0] if names else None)

    def choose_profile(self, name: str | None) -> Profile | None:
        """Make the profile ``name`` of the current environment current (None: none)."""
        found = [p for p in self.profiles_for(self.environment.id) if p.name == name]
        self.profile = found[0] if found else None
        if self.profile is not None:
            self._last_profile[self.environment.id] = self.profile.name
        self.active = self.manager_for(self.profile)
        return self.profile

    def store_for(self, profile: Profile | None) -> SecretStore | None:
        if profile is None:
            return None
        return self.demo_store if self.is_demo(profile) else self.user_store

    def manager_for(self, profile: Profile | None) -> TokenManager | None:
        from explorer.core.sandbox_signin import approve_in_sandbox, signs_in_unattended

        store = self.store_for(profile)
        if profile is None or store is None:
            return None
        try:
            environment = self.environment_for(profile.environment_id)
        except KeyError:
            return None
        manager = self._managers.get(profile.name)
        if (
            manager is None
            or manager.profile != profile
            or manager.environment != environment
            or manager.secret_store is not store
        ):
            manager = TokenManager(
                profile,
                environment,
                store,
                self._client_factory,
                open_browser=(
                    approve_in_sandbox
                    if signs_in_unattended(profile, environment)
                    else self._open_browser
                ),
            )
            self._managers[profile.name] = manager
        return manager

    def forget_manager(self, name: str) -> None:
        self._managers.pop(name, None)

    def reactivate(self) -> bool:
        """Rebuild the current manager after the environment, profile or store changed;
        False when there is no profile."""
        if self.profile is None:
            return False
        self.environment = self.environment_for(self.environment.id)
        self.active = self.manager_for(self.profile)
        return True

    def set_sandbox(
        self, api_base: str, authorize_url: str, token_url: str, secrets: Mapping[str, str]
    ) -> bool:
        """The embedded Sandbox serves here with these demo secrets; True when the current
        environment is the Sandbox (its URLs changed)."""
        self.profiles.set_runtime_environment(
            sandbox_environment(api_base, authorize_url=authorize_url, token_url=token_url)
        )
        self.set_demo_secrets(secrets)
        if self.environment.id != SANDBOX_ID:
            return False
        self.environment = self.environment_for(SANDBOX_ID)
        return True

    def request_base_for(self, env_id: str) -> str:
        return request_base(self.environment_for(env_id))

    def no_manager_reason(self, profile: Profile | None = None) -> str:
        profile = profile or self.profile
        if profile is None:
            return "Choose a profile first (Manage profiles… in the Profile list)."
        return (
            f"The secrets of '{profile.name}' are locked: open the profile editor "
            "and save its client secret, or send a request to unlock the store."
        )

    def store_location(self, profile: Profile | None) -> str:
        store = self.store_for(profile)
        if store is not None:
            return store.location
        recorded = recorded_backend(self.paths)  # where an earlier run (or the CLI) put them
        if recorded is SecretBackend.VAULT:
            return (
                f"Encrypted vault file {vault_path(self.paths)} (locked: its passphrase is "
                "asked when a secret is needed)"
            )
        if recorded is SecretBackend.KEYRING:
            return "OS keychain"
        return "the OS keychain, or a fallback you choose when you first save a secret"

    def preflight_for(self, endpoint: Endpoint, token: TokenInfo | None) -> list[PreflightWarning]:
        """Warnings for sending ``endpoint`` now with the current profile (no I/O)."""
        if self.profile is None:
            return []
        return preflight(endpoint, self.profile, self.environment, token)

    # ----- sending (any thread) -------------------------------------------------------------
    def perform(
        self,
        spec: RequestSpec,
        cancel: threading.Event,
        *,
        sign_in: bool = True,
        mask: bool = True,
        on_token: Callable[[TokenManager], None] = lambda _manager: None,
    ) -> ResponseRecord:
        """Send ``spec`` with the current profile's token (see :func:`send_with_retry`).

        A token that cannot be had becomes a record the explanation engine explains;
        ``on_token(manager)`` is called after the token was used (its state may have
        changed); ``mask`` hides the token in the returned record."""
        return self._perform(
            self.profile, self.active, spec, cancel, sign_in=sign_in, mask=mask, on_token=on_token
        )

    def perform_as(
        self,
        profile: Profile | None,
        spec: RequestSpec,
        cancel: threading.Event,
        *,
        sign_in: bool = True,
        mask: bool = True,
    ) -> ResponseRecord:
        """:meth:`perform` with ``profile`` (of any environment) instead of the current one,
        which stays current: a suite run sends each step with its own profile, from
        several threads at once."""
        with self._lock:
            manager = self.manager_for(profile)
        return self._perform(profile, manager, spec, cancel, sign_in=sign_in, mask=mask)

    def _perform(
        self,
        profile: Profile | None,
        manager: TokenManager | None,
        spec: RequestSpec,
        cancel: threading.Event,
        *,
        sign_in: bool,
        mask: bool,
        on_token: Callable[[TokenManager], None] = lambda _manager: None,
    ) -> ResponseRecord:
        with self._lock:
            if self._client is None:
                self._client = make_client(timeout_s=self._timeout_s)
            client = self._client
        if profile is not None and not profile.uses_oauth:
            return self._perform_static(profile, spec, client, cancel, mask=mask)
        if manager is None:
            if profile is not None:
                return auth_failure(spec, MissingSecret(self.no_manager_reason(profile)))
            return send(spec, client=client, cancel=cancel)
        if is_token_endpoint(spec.url, manager.environment):
            return self._perform_token_request(manager, spec, client, cancel, mask=mask)
        try:
            record, _retried = send_with_retry(
                spec, manager, client=client, cancel=cancel, sign_in=sign_in
            )
        except TokenError as exc:
            on_token(manager)
            shown = masked_record(ResponseRecord(request=spec)).request if mask else spec
            return exc.outcome_of(shown) or auth_failure(spec, exc)
        except AUTH_ERRORS as exc:
            return auth_failure(spec, exc)
        on_token(manager)
        return masked_record(record) if mask else record

    def _perform_static(
        self,
        profile: Profile,
        spec: RequestSpec,
        client: httpx.Client,
        cancel: threading.Event,
        *,
        mask: bool,
    ) -> ResponseRecord:
        """Send with a profile that signs without OAuth (Basic, bearer, API key, none);
        ``mask`` hides its secret wherever the request carries it."""
        if profile.auth is AuthKind.NONE:
            return send(spec, client=client, cancel=cancel)
        store = self.store_for(profile)
        if store is None:
            return auth_failure(spec, MissingSecret(self.no_manager_reason(profile)))
        auth = StaticAuth(profile, store)
        try:
            signed = auth.authorize_request(spec)
        except MissingCredential as exc:
            return auth_failure(spec, exc)
        record = send(signed, client=client, cancel=cancel)
        return masked_values(record, auth.known_secrets()) if mask else record

    def _perform_token_request(
        self,
        manager: TokenManager,
        spec: RequestSpec,
        client: httpx.Client,
        cancel: threading.Event,
        *,
        mask: bool,
    ) -> ResponseRecord:
        """The user's own request to the token endpoint (the description's token
        operation): sent with the profile's client authentication, never a bearer token;
        ``mask`` hides the client secret in the returned record."""
        try:
            authenticated = manager.authenticate_client(spec)
        except AUTH_ERRORS as exc:
            return auth_failure(spec, exc)
        record = send(authenticated, client=client, cancel=cancel)
        if not mask:
            return record
        secret = manager.secret_store.get(manager.profile.name, SecretKind.CLIENT_SECRET) or ""
        return masked_record(record, (secret,))

    def token_state(self, manager: TokenManager) -> tuple[TokenInfo | None, tuple[str, ...]]:
        """``manager``'s token now and its profile's bare secrets (kept in :attr:`known`)."""
        try:
            info = manager.token_info()
        except AUTH_ERRORS:
            info = None
        self.known = known_secrets(manager.secret_store, manager.profile.name)
        return info, self.known

    def explain(
        self,
        record: ResponseRecord,
        *,
        endpoint: Endpoint | None = None,
        known: Iterable[str] = (),
    ) -> Explanation | None:
        """The explanation engine's answer (with what ``endpoint``'s description documents
        for the status); token set-up problems get their own words. ``known``: more bare
        secrets to mask first, beside the current profile's."""
        failure = record.failure
        if failure is not None and failure.exception_type in _AUTH_FAILURES:
            login = failure.exception_type == LoginRequired.__name__
            return Explanation(
                rule_id=f"session.{failure.exception_type}",
                status_class=StatusClass.SETUP_ERROR,
                title="Sign-in needed" if login else "No token: the profile is not ready",
                cause=failure.message,
                fix=(
                    ("Use Log in in browser… in the Token panel (View ▸ Token).",)
                    if login
                    else ("Open the profile editor and save the client secret.",)
                ),
                severity=Severity.ERROR,
                actions=(FixAction.OPEN_PROFILE_EDITOR,),
            )
        with self._lock:  # runs on request workers: load the rules once
            if self._engine is None:
                self._engine = _load_engine()
        if self._engine is False:
            return None
        # Redacted first: the explanation quotes the body cut to a few hundred characters,
        # and a token cut in half would escape every later redaction.
        secrets = (*self.known, *known)
        safe = Redactor(RedactionPolicy.for_storage(secrets)).redact_record(record)
        result: Explanation = self._engine.explain(
            safe, endpoint=endpoint if endpoint is not None and endpoint.operation_id else None
        )
        return result

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def sandbox_placeholder() -> Environment:
    """The Sandbox before it has started (its URLs are not known yet)."""
    return Environment(
        id=SANDBOX_ID,
        name="Sandbox (local)",
        kind=EnvironmentKind.SANDBOX,
        api_base="",
        authorize_url="",
        token_url="",
    )


def _load_engine() -> Any:
    try:
        from explorer.core.explain import ExplanationEngine

        return ExplanationEngine.from_resources()
    except Exception as exc:  # damaged rules: responses still show, unexplained
        log.error("the explanation rules could not be loaded: %s", exc)
        return False
