"""One call, start to finish, for the CLI ``call`` command and the window alike.

:class:`CallService` resolves an endpoint (operationId or ``METHOD PATH``) from a catalog,
builds the :class:`RequestSpec`, runs the pre-flight checks, gets or refreshes the token,
sends through :func:`explorer.core.http.send`, and retries exactly once, with a fresh
token, when the API answers the documented 401 "token is not active".
"""

from __future__ import annotations

import importlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import httpx2 as httpx

from explorer.core.auth import TokenManager, is_token_not_active
from explorer.core.builder import InputProblem, RequestInputs, validate_inputs
from explorer.core.environments import Environment
from explorer.core.http import make_client, send
from explorer.core.media import is_json_type
from explorer.core.models import Endpoint, ParamLocation, RequestSpec, ResponseRecord
from explorer.core.preflight import PreflightWarning, preflight
from explorer.core.profiles import Profile

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
    ) -> None:
        self.profile = profile
        self.environment = environment
        self.tokens = tokens
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
        if self.profile is None:
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
            authorized = self.tokens.authorize_request(spec) if self.tokens else spec
            record = send(authorized, client=client, cancel=cancel)
            if self.tokens is not None and is_token_not_active(record):
                self.tokens.refresh()
                record = send(self.tokens.authorize_request(spec), client=client, cancel=cancel)
                return CallResult(record=record, endpoint=endpoint, retried=True, warnings=warnings)
            return CallResult(record=record, endpoint=endpoint, warnings=warnings)
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
