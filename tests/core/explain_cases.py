"""One realistic response per explanation rule, shared by the explanation tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

API = "https://api.thumbtack.com/api/v4/businesses/123"
TOKEN = "https://auth.thumbtack.com/oauth2/token"
STAGING_TOKEN = "https://staging-auth.thumbtack.com/oauth2/token"

INVALID_CLIENT = {
    "error": "invalid_client",
    "error_description": "Client authentication failed (e.g., unknown client, no client "
    "authentication included, or unsupported authentication method).",
}
TOKEN_NOT_ACTIVE = {
    "type": "about:blank",
    "title": "Unauthorized",
    "status": 401,
    "detail": "invalid token. failure reason(s): [token is not active]",
}
PROXY_OAUTH_FAILED = {
    "error": "proxy_oauth_failed",
    "detail": "Error: oauth_400:invalid_request: The request is missing a required parameter, "
    "includes an invalid parameter value, includes a parameter more than once, or is otherwise "
    "malformed. Requested audience 'https://api.thumbtack.com' has not been whitelisted by the "
    "Auth 2.0 Client.",
}
VALIDATION = {
    "type": "https://api.thumbtack.com/problems/validation-error",
    "title": "Your request is not valid.",
    "status": 400,
    "traceID": "feca66787a0a9ee8",
    "errors": [{"field": "zipCode", "message": "must be 5 digits"}],
}
WAF_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Access Denied</title></head><body><h1>Access Denied"
    b"</h1>You don't have permission to access this server. Reference #18.2f3c</body></html>"
)
NGINX_503 = (
    b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    b"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx"
    b"</center>\r\n</body>\r\n</html>\r\n"
)


@dataclass(frozen=True, kw_only=True)
class Case:
    """A response and the rule that must explain it."""

    rule_id: str
    status: int | None = None
    body: Any = b""  # dict/list: JSON document; bytes: as is
    url: str = API
    headers: tuple[tuple[str, str], ...] = ()
    failure: str | None = None
    cause_has: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_json(self) -> bool:
        return isinstance(self.body, dict)

    def body_bytes(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, separators=(",", ":")).encode()


CASES: list[Case] = [
    Case(rule_id="ok", status=200, body={"data": [], "pagination": {"limit": 10}}),
    Case(rule_id="success-other", status=201, body={"requestID": "1"}),
    Case(rule_id="waf-challenge", status=202, cause_has=("not a success",)),
    Case(rule_id="truncated-json-success", status=200, body=b'{"data":[{"businessID":"1"'),
    Case(rule_id="html-instead-of-json", status=200, body=b"<html><title>Sign in</title></html>"),
    Case(rule_id="redirect", status=301, headers=(("Location", API),)),
    Case(
        rule_id="redirect-to-login",
        status=302,
        headers=(("Location", "https://www.thumbtack.com/login?redirect=%2Fapi"),),
    ),
    Case(
        rule_id="bad-request",
        status=400,
        body={
            "type": "about:blank",
            "title": "Bad Request",
            "status": 400,
            "detail": "missing required parameter: zipCode",
        },
        cause_has=("missing required parameter: zipCode",),
    ),
    Case(
        rule_id="validation-error",
        status=400,
        body=VALIDATION,
        cause_has=("zipCode: must be 5 digits",),
    ),
    Case(
        rule_id="invalid-client",
        status=401,
        body=INVALID_CLIENT,
        url=TOKEN,
        cause_has=("own client ID and secret",),
    ),
    Case(
        rule_id="unauthorized-client",
        status=400,
        url=TOKEN,
        body={
            "error": "unauthorized_client",
            "error_description": "The client is not authorized to request a token using "
            "this method. The OAuth 2.0 Client is not allowed to use authorization grant "
            "'client_credentials'.",
        },
        cause_has=("not allowed to use authorization grant",),
    ),
    Case(
        # the token server's 401 for a grant the client may not use: not an API-side rule
        rule_id="unauthorized-client",
        status=401,
        url=TOKEN,
        body={
            "error": "unauthorized_client",
            "error_description": "not allowed to use grant client_credentials",
        },
        cause_has=("not allowed to use grant client_credentials",),
    ),
    Case(
        # a token server whose URL does not look like one (host inferred as the API)
        rule_id="unauthorized-client",
        status=401,
        url="http://127.0.0.1:9000/token",
        body={
            "error": "unauthorized_client",
            "error_description": "client_credentials is not allowed for this client",
        },
    ),
    Case(
        rule_id="token-audience-not-allowed",
        status=400,
        url=TOKEN,
        body={
            "error": "invalid_request",
            "error_description": "Requested audience 'api' has not been whitelisted by the "
            "OAuth 2.0 Client.",
        },
    ),
    Case(
        rule_id="invalid-request-token",
        status=400,
        url=TOKEN,
        body={"error": "invalid_request", "error_description": "Missing grant_type."},
    ),
    Case(  # naming the audience is not saying it is wrong
        rule_id="invalid-request-token",
        status=400,
        url=TOKEN,
        body={
            "error": "invalid_request",
            "error_description": "missing required parameter: audience",
        },
    ),
    Case(
        rule_id="invalid-grant",
        status=400,
        url=TOKEN,
        body={"error": "invalid_grant", "error_description": "The refresh token expired."},
    ),
    Case(
        rule_id="invalid-scope",
        status=400,
        url=TOKEN,
        body={"error": "invalid_scope", "error_description": "scope 'supply::x' not allowed"},
    ),
    Case(
        rule_id="unsupported-grant-type",
        status=400,
        url=TOKEN,
        body={"error": "unsupported_grant_type"},
    ),
    Case(
        rule_id="access-denied",
        status=403,
        url=TOKEN,
        body={"error": "access_denied", "error_description": "The user said no."},
    ),
    Case(rule_id="unauthorized", status=401),
    Case(rule_id="token-server-unauthorized", status=401, url=STAGING_TOKEN),
    Case(rule_id="token-not-active", status=401, body=TOKEN_NOT_ACTIVE, cause_has=("has expired",)),
    Case(
        rule_id="token-invalid",
        status=401,
        body={**TOKEN_NOT_ACTIVE, "detail": "invalid token. failure reason(s): [bad signature]"},
    ),
    Case(
        rule_id="token-malformed",
        status=401,
        body={
            **TOKEN_NOT_ACTIVE,
            "traceID": "77d0c1a2b3c4d5e6",
            "detail": "invalid token. failure reason(s): [token is malformed]",
        },
        cause_has=("does not hold an access token",),
    ),
    Case(
        rule_id="token-invalid-header",
        status=401,
        headers=(("WWW-Authenticate", 'Bearer error="invalid_token"'),),
    ),
    Case(rule_id="forbidden", status=403, cause_has=("blocked",)),
    Case(
        rule_id="missing-scope",
        status=401,
        body={
            "type": "about:blank",
            "title": "Unauthorized",
            "status": 401,
            "detail": "required scope(s) [supply::businesses.list] not found",
            "traceID": "1a2b3c4d5e6f7a8b",
        },
        cause_has=("not 403",),
    ),
    Case(
        rule_id="missing-scope-other",
        status=403,
        body={
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
            "detail": "token does not have the required scope demand::keywords.read",
        },
    ),
    Case(
        rule_id="user-context-required",
        status=403,
        body={
            "type": "https://api.thumbtack.com/problems/forbidden",
            "title": "Forbidden",
            "status": 403,
            "traceID": "2c2a9210f7b215b2",
            "detail": "GET /api/v4/users/self acts for a signed-in user: it needs an access "
            "token from the authorization-code flow, and this token came from client_credentials.",
        },
        cause_has=("client-credentials",),
    ),
    Case(
        rule_id="insufficient-scope-header",
        status=403,
        headers=(("WWW-Authenticate", 'Bearer error="insufficient_scope"'),),
    ),
    Case(
        rule_id="forbidden-waf-page",
        status=403,
        body=WAF_PAGE,
        headers=(("Content-Type", "text/html"),),
        cause_has=("Access Denied",),
    ),
    Case(
        rule_id="not-found",
        status=404,
        body={"type": "about:blank", "title": "Not Found", "status": 404, "traceID": "ab12"},
    ),
    Case(rule_id="token-url-not-found", status=404, url="https://auth.thumbtack.com/oauth2/tokens"),
    Case(rule_id="method-not-allowed", status=405),
    Case(rule_id="proxy-auth-required", status=407),
    Case(rule_id="unsupported-media-type", status=415),
    Case(rule_id="rate-limited", status=429, body={"title": "Too Many Requests"}),
    Case(rule_id="sanctioned-country", status=451),
    Case(
        rule_id="problem-details",
        status=409,
        body={
            "type": "https://api.thumbtack.com/problems/conflict",
            "title": "Conflict",
            "status": 409,
            "detail": "The webhook already exists.",
            "traceID": "c0ffee",
        },
        cause_has=("The webhook already exists.",),
    ),
    Case(
        rule_id="html-error-page",
        status=503,
        body=NGINX_503,
        cause_has=("503 Service Temporarily Unavailable",),
    ),
    Case(
        rule_id="proxy-oauth-failed",
        status=502,
        body=PROXY_OAUTH_FAILED,
        cause_has=("urn:partner-api",),
    ),
    Case(
        rule_id="server-error",
        status=500,
        body={
            "type": "about:blank",
            "title": "Internal Server Error",
            "status": 500,
            "traceID": "feca66787a0a9ee8",
        },
    ),
    Case(rule_id="server-error-retry-after", status=503, headers=(("Retry-After", "120"),)),
    Case(rule_id="bad-gateway", status=502, body={"message": "Bad gateway"}),
    Case(rule_id="network-dns", failure="dns"),
    Case(rule_id="network-dns-token", failure="dns", url=TOKEN),
    Case(rule_id="network-refused", failure="refused"),
    Case(rule_id="network-tls", failure="tls"),
    Case(rule_id="network-connect-timeout", failure="connect_timeout"),
    Case(rule_id="network-read-timeout", failure="read_timeout"),
    Case(rule_id="network-write-timeout", failure="write_timeout"),
    Case(rule_id="network-pool-timeout", failure="pool_timeout"),
    Case(rule_id="network-reset", failure="reset"),
    Case(rule_id="network-protocol", failure="protocol"),
    Case(rule_id="network-proxy", failure="proxy"),
    Case(rule_id="network-invalid-url", failure="invalid_url"),
    Case(rule_id="network-invalid-header", failure="invalid_header"),
    Case(rule_id="network-too-many-redirects", failure="too_many_redirects"),
    Case(rule_id="network-cancelled", failure="cancelled"),
    Case(rule_id="network-other", failure="other"),
]

#: Rules that need a failure message to match; tests/core/test_explain_network.py covers them.
NEEDS_FAILURE_TEXT = {"network-tls-verify", "network-unreachable", "network-tls-plain-http"}
