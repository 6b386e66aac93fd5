"""The API route table: path templates, required scopes and flows, handlers.

Each :class:`Route` mirrors one entry of the endpoint catalogue: ``scopes`` are
alternatives (any one suffices; an empty tuple means any valid token), and ``flow``
``authorizationCode`` marks a user-context endpoint that refuses client-credentials
tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from explorer.sandbox import problems
from explorer.sandbox.state import SandboxState
from explorer.sandbox.tokens import TokenInfo, TokenService
from explorer.sandbox.wire import ApiError, Request, Response

API_PREFIX = "/api/v4"


class RouteFlow(StrEnum):
    """Which OAuth flow an endpoint needs."""

    CLIENT = "clientCredentials"  # application context suffices
    USER = "authorizationCode"  # a signed-in user is needed


Emit = Callable[..., None]


@dataclass(frozen=True, kw_only=True)
class Call:
    """Everything a handler needs for one API call."""

    request: Request
    params: dict[str, str]
    token: TokenInfo
    state: SandboxState
    tokens: TokenService
    api_base: str
    emit: Emit  # emit(event_type, data, business_id=..., user_id=...)

    @property
    def user_id(self) -> str:
        """The signed-in user (only valid on USER routes)."""
        return self.token.grant.user_id or ""

    @property
    def is_supply(self) -> bool:
        return any(scope.startswith("supply::") for scope in self.token.grant.scopes)


Handler = Callable[[Call], Response]


@dataclass(frozen=True, kw_only=True)
class Route:
    """One endpoint: ``method path`` -> handler, with its scopes and flow."""

    method: str
    path: str
    handler: Handler
    scopes: tuple[str, ...] = ()
    flow: RouteFlow = RouteFlow.USER
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(API_PREFIX + self.path))
        object.__setattr__(self, "regex", re.compile(f"^{pattern}$"))

    @property
    def full_path(self) -> str:
        return API_PREFIX + self.path


def route(
    method: str, path: str, scopes: tuple[str, ...] = (), flow: RouteFlow = RouteFlow.USER
) -> Callable[[Handler], Route]:
    """Decorator turning a handler function into a :class:`Route`."""

    def wrap(handler: Handler) -> Route:
        return Route(method=method, path=path, handler=handler, scopes=scopes, flow=flow)

    return wrap


class RouteTable:
    """Finds the route for a method and path (404 or 405 when there is none)."""

    def __init__(self, routes: list[Route]) -> None:
        self.routes = routes

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed: list[str] = []
        for candidate in self.routes:
            found = candidate.regex.match(path)
            if found is None:
                continue
            if candidate.method == method:
                return candidate, found.groupdict()
            allowed.append(candidate.method)
        if allowed:
            raise ApiError(problems.method_not_allowed(sorted(set(allowed))))
        raise ApiError(
            problems.not_found(
                f"No endpoint {method} {path}. The API paths start with {API_PREFIX}/."
            )
        )


def require(condition: Any, detail: str) -> None:
    """404 ProblemDetails unless ``condition`` holds."""
    if not condition:
        raise ApiError(problems.not_found(detail))
