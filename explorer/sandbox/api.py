"""The Sandbox application: from a parsed request (and its fault plan) to a response.

Order of checks for ``/api/v4/...`` calls, as at Thumbtack's gateway:

1. a documented fault asked for by ``X-Sandbox-Fault`` (or the server default) answers at once,
   marked with ``X-Sandbox-Fault: NAME`` in the response so a client can tell it was injected;
2. the path and method must exist (404 / 405 ProblemDetails);
3. the per-client rate limit (429 with ``Retry-After``; keyed by the token's client, or by
   the caller's address when there is no valid token). The 429 is documented; the limit
   (120 a minute) and ``Retry-After`` are the Sandbox's inference;
4. a bearer token must be present (401), have a token's shape (a malformed value gets its
   own 401, inferred wording) and be active: unexpired, signed by this server, not revoked
   (the documented 401 "token is not active");
5. the token's audience must be ``urn:partner-api``: otherwise the gateway's 502
   ``proxy_oauth_failed`` naming the audience requested at the token endpoint;
6. the token must carry one of the endpoint's scopes: otherwise 401 with ``detail``
   "required scope(s) [<scope>] not found" and a ``traceID``, as a real staging run
   answered;
7. user-context endpoints refuse client-credentials tokens with the same 401 shape (the
   real answer to that case is not known; graded inferred in the behaviour catalogue).

Every 401 body carries a ``traceID``, as real 2026 traffic does.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

from explorer.sandbox import (
    api_accounts,
    api_catalog,
    api_leads,
    api_orders,
    api_webhooks,
    problems,
)
from explorer.sandbox.clients import AUDIENCE
from explorer.sandbox.faults import FAULT_HEADER, FAULTS_BY_NAME, FaultPlan
from explorer.sandbox.oauth import AuthorizationServer
from explorer.sandbox.problems import FieldError
from explorer.sandbox.routes import Call, Route, RouteFlow, RouteTable
from explorer.sandbox.state import SandboxState
from explorer.sandbox.tokens import TokenService
from explorer.sandbox.webhooks import Delivery, WebhookDispatcher, envelope
from explorer.sandbox.wire import ApiError, Request, Response, json_response

logger = logging.getLogger(__name__)

#: The audience the injected proxy_oauth_failed names when the token's own is right.
EXAMPLE_WRONG_AUDIENCE = "https://api.partner.example"
#: The scope the injected missing-scope 401 names on a path that needs none.
EXAMPLE_SCOPE = "demand::businesses/search.read"


def all_routes() -> list[Route]:
    """Every v4 endpoint the Sandbox serves."""
    return [
        *api_catalog.ROUTES,
        *api_leads.ROUTES,
        *api_accounts.ROUTES,
        *api_webhooks.ROUTES,
        *api_orders.ROUTES,
    ]


def scope_to_name(required: tuple[str, ...], granted: frozenset[str]) -> list[str]:
    """The scope a missing-scope 401 names: of the route's alternatives, the one from the
    token's family (demand:: or supply::), else the first."""
    families = {scope.split("::", 1)[0] for scope in granted if "::" in scope}
    same = [scope for scope in required if scope.split("::", 1)[0] in families]
    chosen = same or list(required)
    return chosen[:1]


class RateLimiter:
    """A token bucket per key: ``per_minute`` requests a minute, bursts up to that many."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._per_minute = per_minute
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> int | None:
        """None if allowed, else the seconds to wait (for ``Retry-After``)."""
        if self._per_minute <= 0:
            return None
        rate = self._per_minute / 60.0
        now = self._clock()
        with self._lock:
            if len(self._buckets) > 10_000:
                self._buckets.clear()
            tokens, last = self._buckets.get(key, (float(self._per_minute), now))
            tokens = min(float(self._per_minute), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))


class SandboxApp:
    """Routes requests to the OAuth server or the API handlers."""

    def __init__(
        self,
        *,
        state: SandboxState,
        tokens: TokenService,
        auth: AuthorizationServer,
        webhooks: WebhookDispatcher,
        rate_limit_per_minute: int,
        base_url: Callable[[], str],
    ) -> None:
        self.state = state
        self.tokens = tokens
        self.auth = auth
        self.webhooks = webhooks
        self.limiter = RateLimiter(rate_limit_per_minute)
        self.routes = RouteTable(all_routes())
        self._base_url = base_url

    def handle(self, request: Request, plan: FaultPlan) -> Response:
        try:
            fault = FAULTS_BY_NAME.get(plan.documented or "")
            if fault is not None and fault.applies_to(request.path):
                assert plan.documented is not None
                injected = self.documented_fault(plan.documented, request)
                # The marker tells a client the answer was injected, not earned.
                return injected.with_headers((FAULT_HEADER, plan.documented))
            return self._dispatch(request)
        except ApiError as error:
            return error.response

    def _dispatch(self, request: Request) -> Response:
        path = request.path.rstrip("/") or "/"
        if path == "/oauth2/token":
            return self._only(request, "POST", self.auth.token)
        if path == "/oauth2/revoke":
            return self._only(request, "POST", self.auth.revoke)
        if path == "/oauth2/auth":
            if request.method not in ("GET", "POST"):
                raise ApiError(problems.method_not_allowed(["GET", "POST"]))
            return self.auth.authorize(request)
        if path == "/" and request.method == "GET":
            return self._index()
        return self._api(request, path)

    @staticmethod
    def _only(request: Request, method: str, handler: Callable[[Request], Response]) -> Response:
        if request.method != method:
            raise ApiError(problems.method_not_allowed([method]))
        return handler(request)

    def _index(self) -> Response:
        base = self._base_url()
        return json_response(
            200,
            {
                "name": "Thumbtack API Explorer Sandbox",
                "apiBase": base,
                "tokenURL": f"{base}/oauth2/token",
                "authorizeURL": f"{base}/oauth2/auth",
                "audience": AUDIENCE,
                "endpoints": [f"{r.method} {r.full_path}" for r in self.routes.routes],
            },
        )

    def _bearer(self, request: Request) -> str | None:
        header = request.header("Authorization") or ""
        scheme, _, value = header.partition(" ")
        return value.strip() or None if scheme.lower() == "bearer" else None

    def _api(self, request: Request, path: str) -> Response:
        route, params = self.routes.match(request.method, path)
        raw = self._bearer(request)
        info = self.tokens.verify(raw) if raw else None
        retry_after = self.limiter.check(
            f"client:{info.grant.client_id}" if info else f"addr:{request.client_host}"
        )
        if retry_after is not None:
            return problems.rate_limited(retry_after)
        if raw is None:
            return problems.missing_bearer()
        if info is None:
            if not self.tokens.is_well_formed(raw):
                return problems.malformed_token()
            return problems.token_not_active()
        if info.grant.audience != AUDIENCE:
            return problems.proxy_oauth_failed(info.grant.audience)
        if route.scopes and not info.grant.scopes & set(route.scopes):
            return problems.missing_scope(scope_to_name(route.scopes, info.grant.scopes))
        if route.flow is RouteFlow.USER and info.grant.user_id is None:
            # A client-credentials token never carries a user's scope at Thumbtack; the
            # Sandbox answers as for a missing scope.
            return problems.missing_scope(scope_to_name(route.scopes, info.grant.scopes))
        call = Call(
            request=request,
            params=params,
            token=info,
            state=self.state,
            tokens=self.tokens,
            api_base=self._base_url(),
            emit=self.emit,
        )
        return route.handler(call)

    def emit(
        self,
        event_type: str,
        data: dict[str, Any],
        *,
        business_id: str | None = None,
        user_ids: list[str] | None = None,
    ) -> None:
        """Queue ``event_type`` for every enabled webhook of the business or the users."""
        users = set(user_ids or [])
        with self.state.lock:
            targets = [
                dict(w)
                for w in self.state.webhooks.values()
                if w["enabled"]
                and event_type in w["eventTypes"]
                and (
                    (business_id is not None and w.get("businessID") == business_id)
                    or w.get("userID") in users
                )
            ]
            now = self.state.now()
        for webhook in targets:
            self.webhooks.enqueue(
                Delivery(
                    webhook_id=webhook["webhookID"],
                    url=webhook["webhookURL"],
                    event_type=event_type,
                    auth_type=webhook["authType"],
                    auth=webhook["_auth"],
                    body=envelope(event_type, webhook["webhookID"], now, data),
                )
            )

    def _injected_missing_scope(self, request: Request) -> Response:
        """The 401 naming the scope this endpoint really needs."""
        try:
            route, _params = self.routes.match(request.method, request.path.rstrip("/") or "/")
            required: tuple[str, ...] = route.scopes
        except ApiError:  # not an API path: name an example scope
            required = ()
        raw = self._bearer(request)
        info = self.tokens.verify(raw) if raw else None
        granted = info.grant.scopes if info else frozenset()
        return problems.missing_scope(scope_to_name(required or (EXAMPLE_SCOPE,), granted))

    def documented_fault(self, name: str, request: Request) -> Response:
        """The documented response for a fault named in ``X-Sandbox-Fault``."""
        if name == "proxy-oauth-failed":
            raw = self._bearer(request)
            audience = self.tokens.peek_audience(raw) if raw else None
            if not audience or audience == AUDIENCE:  # never name the right one as wrong
                audience = EXAMPLE_WRONG_AUDIENCE
            return problems.proxy_oauth_failed(audience)
        if name == "validation-error":
            return problems.validation_error(
                [FieldError(field="zipCode", message="is required (injected by X-Sandbox-Fault)")]
            )
        if name == "insufficient-scope":
            return self._injected_missing_scope(request)
        if name == "rate-limited":
            return problems.rate_limited(None)
        if name == "rate-limited-retry-after":
            return problems.rate_limited(30)
        simple: dict[str, Callable[[], Response]] = {
            "waf-challenge": problems.waf_challenge,
            "token-expired": problems.token_not_active,
            "malformed-token": problems.malformed_token,
            "invalid-client": problems.invalid_client,
            "blocked-client": problems.blocked_client,
            "sanctioned-country": problems.sanctioned_country,
            "server-error": problems.server_error,
            "service-unavailable": problems.service_unavailable,
            "not-found": lambda: problems.not_found(
                f"{request.method} {request.path}: the resource does not exist (injected by "
                "X-Sandbox-Fault)."
            ),
        }
        return simple[name]()
