"""The documented error bodies (reference §9), built in one place.

Shapes, exactly as documented:

* token endpoint (RFC 6749): ``{"error", "error_description"}`` as ``application/json``;
* API authentication failures (RFC 7807): ``{"type": "about:blank", "title", "status",
  "detail", "traceID"}`` as ``application/problem+json`` (the documented shape; real 2026
  traffic adds ``traceID``, and a token without the route's scope gets this 401 with
  ``detail`` "required scope(s) [<scope>] not found", as seen in a staging run);
* other 4XX/5XX (RFC 7807 plus Thumbtack's extensions since 2026-01-16):
  ``{"type", "title", "status", "traceID", ...}`` with ``errors[]`` for validation errors;
* the gateway's ``{"error": "proxy_oauth_failed", "detail"}`` with status 502;
* the firewall's non-JSON pages (202 challenge, 403 block) as HTML.

Only the ``…/problems/validation-error`` type URI is documented; the other ``type`` URIs
(``forbidden``, ``not-found``, ``rate-limited``, ``internal-error``…) are the Sandbox's
inference, and the behaviour catalogue (:mod:`explorer.sandbox.behaviours`) says so.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from explorer.sandbox.wire import JSON, PROBLEM_JSON, Response, html_response, json_response

PROBLEM_BASE = "https://api.thumbtack.com/problems/"

INVALID_CLIENT_DESCRIPTION = (
    "Client authentication failed (e.g., unknown client, no client authentication included, "
    "or unsupported authentication method)."
)
TOKEN_NOT_ACTIVE_DETAIL = "invalid token. failure reason(s): [token is not active]"


def trace_id() -> str:
    """A fresh 16-hex-digit trace ID, as in Thumbtack's ProblemDetails."""
    return secrets.token_hex(8)


@dataclass(frozen=True, kw_only=True)
class FieldError:
    """One entry of a validation error's ``errors[]``."""

    field: str
    message: str
    location: str = "body"  # body | query | path | header

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "location": self.location, "message": self.message}


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    kind: str,
    headers: tuple[tuple[str, str], ...] = (),
    **extra: Any,
) -> Response:
    """A ProblemDetails body with ``traceID`` (the changelog's 2026-01-16 shape)."""
    payload: dict[str, Any] = {
        "type": PROBLEM_BASE + kind,
        "title": title,
        "status": status,
        "traceID": trace_id(),
        "detail": detail,
    }
    payload.update(extra)
    return json_response(status, payload, content_type=PROBLEM_JSON, headers=headers)


def validation_error(errors: list[FieldError]) -> Response:
    payload: dict[str, Any] = {
        "type": PROBLEM_BASE + "validation-error",
        "title": "Your request is not valid.",
        "status": 400,
        "traceID": trace_id(),
        "detail": "; ".join(f"{error.field}: {error.message}" for error in errors),
        "errors": [error.to_dict() for error in errors],
    }
    return json_response(400, payload, content_type=PROBLEM_JSON)


def not_found(detail: str) -> Response:
    return problem(404, "Not Found", detail, kind="not-found")


def method_not_allowed(allowed: list[str]) -> Response:
    return problem(
        405,
        "Method Not Allowed",
        f"This path accepts {', '.join(allowed)}.",
        kind="method-not-allowed",
        headers=(("Allow", ", ".join(allowed)),),
    )


def forbidden(detail: str, **extra: Any) -> Response:
    return problem(403, "Forbidden", detail, kind="forbidden", **extra)


def missing_scope(required: list[str]) -> Response:
    """The 401 a token without the route's scope gets (a staging run, 2026-07-22)."""
    if not required:  # a user-context route that needs no particular scope
        return unauthorized(
            "invalid token. failure reason(s): [this route acts for a signed-in user; the "
            "token came from client_credentials]"
        )
    return unauthorized(f"required scope(s) [{' '.join(required)}] not found")


def payload_too_large(limit: int) -> Response:
    return problem(
        413,
        "Payload Too Large",
        f"The request body is larger than {limit} bytes.",
        kind="payload-too-large",
    )


def rate_limited(retry_after: int | None) -> Response:
    """429: documented. ``Retry-After`` (when given) is the Sandbox's inference."""
    if retry_after is None:
        return problem(429, "Rate Limited", "Too many requests too quickly.", kind="rate-limited")
    return problem(
        429,
        "Rate Limited",
        f"Too many requests too quickly. Retry after {retry_after} s.",
        kind="rate-limited",
        headers=(("Retry-After", str(retry_after)),),
    )


def server_error() -> Response:
    return problem(
        500,
        "Internal Server Error",
        "Something went wrong at Thumbtack. Retry, and report the traceID if it persists.",
        kind="internal-error",
    )


def service_unavailable(retry_after: int = 5) -> Response:
    return problem(
        503,
        "Service Unavailable",
        "The service is temporarily unavailable. Retry later.",
        kind="service-unavailable",
        headers=(("Retry-After", str(retry_after)),),
    )


def sanctioned_country() -> Response:
    return problem(
        451,
        "Unavailable For Legal Reasons",
        "The request came from a sanctioned country (for example North Korea, Syria or Iran).",
        kind="unavailable-for-legal-reasons",
    )


def unauthorized(detail: str) -> Response:
    """The gateway's 401: RFC 7807 with ``type: about:blank`` (documented) and a
    ``traceID`` (seen on real 401s in 2026)."""
    payload = {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": detail,
        "traceID": trace_id(),
    }
    return json_response(
        401,
        payload,
        content_type=PROBLEM_JSON,
        headers=(("WWW-Authenticate", 'Bearer realm="api"'),),
    )


def token_not_active() -> Response:
    return unauthorized(TOKEN_NOT_ACTIVE_DETAIL)


def malformed_token() -> Response:
    """A bearer value that is not a token at all (not a JWT). The real wording is not
    known; the Sandbox's is its own (graded inferred in the behaviour catalogue)."""
    return unauthorized(
        "invalid token. failure reason(s): [token is malformed: the bearer value is not "
        "an access token]"
    )


def missing_bearer() -> Response:
    return unauthorized(
        "invalid token. failure reason(s): [no bearer token: send "
        "'Authorization: Bearer <access_token>']"
    )


def proxy_oauth_failed(audience: str) -> Response:
    detail = (
        "Error: oauth_400:invalid_request: The request is missing a required parameter, "
        "includes an invalid parameter value, includes a parameter more than once, or is "
        f"otherwise malformed. Requested audience '{audience}' has not been whitelisted by "
        "the Auth 2.0 Client."
    )
    return json_response(502, {"error": "proxy_oauth_failed", "detail": detail})


def oauth_error(
    status: int, error: str, description: str, headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    """An RFC 6749 token-endpoint error."""
    return json_response(
        status,
        {"error": error, "error_description": description},
        content_type=JSON,
        headers=(("Cache-Control", "no-store"), *headers),
    )


def invalid_client() -> Response:
    return oauth_error(
        401,
        "invalid_client",
        INVALID_CLIENT_DESCRIPTION,
        headers=(("WWW-Authenticate", 'Basic realm="oauth2"'),),
    )


def unauthorized_client(grant_type: str) -> Response:
    return oauth_error(
        400,
        "unauthorized_client",
        "The client is not authorized to request a token using this method. The OAuth 2.0 "
        f"Client is not allowed to use grant {grant_type}.",
    )


def waf_challenge() -> Response:
    html = (
        "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
        "<noscript>Please enable JavaScript.</noscript>"
        "<script>/* silent challenge */</script></body></html>"
    )
    return html_response(202, html, headers=(("x-amzn-waf-action", "challenge"),))


def blocked_client() -> Response:
    html = (
        "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>"
        "<h1>403 Forbidden</h1><p>Request blocked.</p></body></html>"
    )
    return html_response(403, html, headers=(("x-amzn-waf-action", "block"),))
