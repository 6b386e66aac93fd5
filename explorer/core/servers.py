"""A description's ``servers`` as environments to call.

:func:`servers_of` reads the ``servers`` list of an OpenAPI document (each URL template
with its variables, their defaults and enums); :func:`expand` fills a template in, refusing
a value outside a variable's enum; :func:`server_environment` makes the
:class:`~explorer.core.environments.Environment` a request is sent to (its API base is the
server URL, so a base path such as Petstore's ``/v1`` is kept). Relative server URLs are
resolved against the description's own address when it has one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from explorer.core.environments import Environment, EnvironmentKind, is_thumbtack_url, url_problem

_VARIABLE = re.compile(r"\{([^{}]+)\}")


class ServerError(ValueError):
    """A server cannot be used as given; the message says what to change."""


@dataclass(frozen=True, kw_only=True)
class ServerVariable:
    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class ServerChoice:
    """One entry of ``servers``: a URL template and its variables."""

    index: int
    url: str
    description: str = ""
    variables: tuple[ServerVariable, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return self.description.strip() or self.url

    def variable(self, name: str) -> ServerVariable | None:
        return next((v for v in self.variables if v.name == name), None)


def servers_of(document: Mapping[str, Any]) -> tuple[ServerChoice, ...]:
    """The document's top-level ``servers``, in order; malformed entries are skipped."""
    raw = document.get("servers") if isinstance(document, Mapping) else None
    if not isinstance(raw, list):
        return ()
    out: list[ServerChoice] = []
    for entry in raw:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("url"), str):
            continue
        variables: list[ServerVariable] = []
        declared = entry.get("variables")
        if isinstance(declared, Mapping):
            for name, spec in declared.items():
                if not isinstance(spec, Mapping):
                    continue
                enum = spec.get("enum")
                variables.append(
                    ServerVariable(
                        name=str(name),
                        default=str(spec.get("default", "")),
                        enum=tuple(str(v) for v in enum) if isinstance(enum, list) else (),
                        description=str(spec.get("description", "")),
                    )
                )
        out.append(
            ServerChoice(
                index=len(out),
                url=entry["url"].strip(),
                description=str(entry.get("description", "")),
                variables=tuple(variables),
            )
        )
    return tuple(out)


def expand(server: ServerChoice, values: Mapping[str, str] | None = None) -> str:
    """The server's URL with its variables filled in (given values, else the defaults).

    Raises :class:`ServerError` for a value outside the variable's enum, an unknown
    variable name, or a ``{name}`` the server does not declare."""
    given = dict(values or {})
    unknown = sorted(set(given) - {v.name for v in server.variables})
    if unknown:
        names = ", ".join(v.name for v in server.variables) or "none"
        raise ServerError(
            f"The server {server.url} has no variable {', '.join(unknown)} (it has: {names})."
        )
    filled: dict[str, str] = {}
    for variable in server.variables:
        value = given.get(variable.name, variable.default)
        if variable.enum and value not in variable.enum:
            raise ServerError(
                f"{variable.name}={value!r} is not allowed for {server.url}; choose one of "
                f"{', '.join(variable.enum)}."
            )
        filled[variable.name] = value

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in filled:
            raise ServerError(
                f"The server URL {server.url} uses {{{name}}}, which it does not declare."
            )
        return filled[name]

    return _VARIABLE.sub(fill, server.url)


def absolute(url: str, base_uri: str = "") -> str:
    """``url`` made absolute against the description's address (http or https only)."""
    if urlsplit(url).scheme:
        return url
    if base_uri and urlsplit(base_uri).scheme in ("http", "https"):
        return urljoin(base_uri, url)
    raise ServerError(
        f"The server URL {url or '/'} is relative and the description was not loaded from a "
        "web address; give the full URL (--server https://host/path in the command line, "
        "or an environment of your own in the window)."
    )


def server_environment(
    server: ServerChoice,
    values: Mapping[str, str] | None = None,
    *,
    base_uri: str = "",
    title: str = "",
    token_url: str = "",
    authorize_url: str = "",
) -> Environment:
    """The environment of one server of a description (not saved, like the Sandbox)."""
    url = absolute(expand(server, values), base_uri)
    problem = url_problem(url)
    if problem:
        raise ServerError(f"The server cannot be called: {problem}.")
    name = server.label if not title else f"{title}: {server.label}"
    return Environment(
        id=f"server-{server.index + 1}",
        name=name[:120],
        kind=EnvironmentKind.DESCRIPTION,
        api_base=url.rstrip("/") + "/",
        authorize_url=authorize_url,
        token_url=token_url,
        website=url,
        thumbtack=is_thumbtack_url(url),
    )


def description_environments(
    document: Mapping[str, Any], *, base_uri: str = "", title: str = "", limit: int = 12
) -> list[Environment]:
    """Every server of the description as an environment: each with its defaults, and one
    more per allowed value of a variable that has an enum (at most ``limit`` in all).
    Servers on Thumbtack's own hosts are left out (the presets are those), and so are
    servers that cannot be called (a relative URL with no web address to resolve it)."""
    token_url, authorize_url = oauth_urls(document)
    out: list[Environment] = []
    for server in servers_of(document):
        choices: list[dict[str, str]] = [{}]
        for variable in server.variables:
            for value in variable.enum:
                if value != variable.default:
                    choices.append({variable.name: value})
        for values in choices:
            try:
                environment = server_environment(
                    server,
                    values,
                    base_uri=base_uri,
                    title=title,
                    token_url=token_url,
                    authorize_url=authorize_url,
                )
            except ServerError:
                continue
            if environment.thumbtack:
                continue
            suffix = "".join(f"-{k}-{v}" for k, v in values.items())
            label = ", ".join(f"{k}={v}" for k, v in values.items())
            out.append(
                replace(
                    environment,
                    id=_slug(f"{environment.id}{suffix}"),
                    name=f"{environment.name} ({label})" if label else environment.name,
                )
            )
            if len(out) >= limit:
                return out
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-")[:64] or "server"


def oauth_urls(document: Mapping[str, Any]) -> tuple[str, str]:
    """The first OAuth 2.0 token and authorization URLs the description's
    ``securitySchemes`` declare ('' when none)."""
    components = document.get("components") if isinstance(document, Mapping) else None
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    if not isinstance(schemes, Mapping):
        return "", ""
    token, authorize = "", ""
    for scheme in schemes.values():
        if not isinstance(scheme, Mapping) or scheme.get("type") != "oauth2":
            continue
        flows = scheme.get("flows")
        if not isinstance(flows, Mapping):
            continue
        for flow in flows.values():
            if isinstance(flow, Mapping):
                token = token or str(flow.get("tokenUrl", ""))
                authorize = authorize or str(flow.get("authorizationUrl", ""))
    return token, authorize


def pick_server(servers: tuple[ServerChoice, ...], choice: str | None) -> ServerChoice:
    """The server asked for: its number (1-based), its exact URL template, or the first."""
    if not servers:
        raise ServerError(
            "The description lists no servers; give the full URL instead "
            "(call GET https://host/path)."
        )
    if choice is None or not choice.strip():
        return servers[0]
    text = choice.strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(servers):
            return servers[number - 1]
    for server in servers:
        if text in (server.url, server.description):
            return server
    listed = "; ".join(f"{s.index + 1}: {s.url}" for s in servers)
    raise ServerError(f"There is no server '{text}'. The description lists: {listed}.")
