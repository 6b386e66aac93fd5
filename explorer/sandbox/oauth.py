"""The Sandbox's OAuth 2.0 authorization server, modelled on Thumbtack's (reference §2).

* ``GET /oauth2/auth`` validates the request and shows a small consent page (or, with
  ``auto_approve`` or ``prompt=none``, redirects at once: OpenID Connect's "no consent
  page", which the Sandbox grants because its demo users have always consented); approving
  redirects to ``redirect_uri`` with ``code`` and ``state``, denying with
  ``error=access_denied``. Redirect URIs must be loopback (``http://127.0.0.1:*``,
  ``http://localhost:*``, ``[::1]``), as for a desktop app (RFC 8252). ``state`` needs at
  least 8 characters. PKCE ``S256`` is supported.
* ``POST /oauth2/token``: ``client_credentials``, ``authorization_code`` (+ PKCE) and
  ``refresh_token``; client authentication by HTTP Basic (default) or ``client_id`` and
  ``client_secret`` in the body. No client authentication, another scheme, an unknown
  client or a wrong secret give the documented 401 ``invalid_client``; a grant the client
  may not use gives 400 ``unauthorized_client``. An omitted ``scope`` grants every API
  scope of the client. ``offline_access`` (not for client_credentials) adds a refresh token.
* ``POST /oauth2/revoke`` (RFC 7009).

The requested ``audience`` is recorded in the token as ``aud``; the token endpoint does not
check it. As at Thumbtack, a wrong audience surfaces on the **API call**: the gateway
answers 502 ``proxy_oauth_failed`` (see :mod:`explorer.sandbox.api`).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import html
import re
import secrets
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from explorer.sandbox import problems
from explorer.sandbox.clients import DemoClient, GrantType
from explorer.sandbox.tokens import Grant, RefreshError, TokenService
from explorer.sandbox.wire import ApiError, Request, Response, html_response, json_response

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
VERIFIER_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
MIN_STATE_LENGTH = 8
MAX_PENDING_CONSENTS = 1_000


@dataclass(frozen=True, kw_only=True)
class _AuthRequest:
    client: DemoClient
    redirect_uri: str
    state: str
    grant: Grant
    code_challenge: str | None


def is_loopback_url(url: str, *, schemes: tuple[str, ...] = ("http", "https")) -> bool:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in schemes and (parts.hostname or "") in LOOPBACK_HOSTS


def _redirect(uri: str, params: dict[str, str]) -> Response:
    separator = "&" if urllib.parse.urlsplit(uri).query else "?"
    location = uri + separator + urllib.parse.urlencode(params)
    return Response(
        status=302,
        body=b"",
        content_type=None,
        headers=(("Location", location), ("Cache-Control", "no-store")),
    )


def _error_page(message: str) -> Response:
    return html_response(
        400,
        f"<!DOCTYPE html><html><head><title>Sign-in error</title></head>"
        f"<body><h1>Cannot sign in</h1><p>{html.escape(message)}</p>"
        "</body></html>",
    )


class AuthorizationServer:
    """The token, authorize and revoke endpoints over a :class:`TokenService`."""

    def __init__(
        self,
        *,
        tokens: TokenService,
        clients: tuple[DemoClient, ...],
        auto_approve: Callable[[], bool],
    ) -> None:
        self.tokens = tokens
        self._clients = {client.client_id: client for client in clients}
        self._auto_approve = auto_approve
        self._pending: dict[str, _AuthRequest] = {}
        self._lock = threading.Lock()

    # -- /oauth2/token ---------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        if request.content_type != "application/x-www-form-urlencoded":
            return problems.oauth_error(
                400,
                "invalid_request",
                "Send the token request as application/x-www-form-urlencoded.",
            )
        try:
            form = urllib.parse.parse_qs(
                request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False
            )
        except UnicodeDecodeError:
            return problems.oauth_error(400, "invalid_request", "The body is not UTF-8.")
        repeated = sorted(name for name, values in form.items() if len(values) > 1)
        if repeated:
            return problems.oauth_error(
                400, "invalid_request", f"Parameter(s) sent more than once: {', '.join(repeated)}."
            )
        fields = {name: values[0] for name, values in form.items()}
        client = self._authenticate(request, fields)
        raw_grant = fields.get("grant_type", "")
        if not raw_grant:
            return problems.oauth_error(400, "invalid_request", "grant_type is missing.")
        try:
            grant_type = GrantType(raw_grant)
        except ValueError:
            return problems.oauth_error(
                400, "unsupported_grant_type", f"The grant type '{raw_grant}' is not supported."
            )
        if grant_type not in client.grant_types:
            return problems.unauthorized_client(grant_type.value)
        if grant_type is GrantType.CLIENT_CREDENTIALS:
            scopes = self._scopes(client, fields.get("scope"))
            grant = Grant(
                client_id=client.client_id,
                user_id=None,
                scopes=scopes - {"offline_access"},
                audience=fields.get("audience", ""),
                grant_type=grant_type.value,
            )
        elif grant_type is GrantType.AUTHORIZATION_CODE:
            grant = self._exchange_code(client, fields)
        else:
            try:
                grant = self.tokens.use_refresh(fields.get("refresh_token", ""), client.client_id)
            except RefreshError as error:
                return problems.oauth_error(400, "invalid_grant", str(error))
        return self._token_response(grant)

    def _token_response(self, grant: Grant) -> Response:
        access, expires_in = self.tokens.issue_access(grant)
        payload: dict[str, object] = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": expires_in,
            "scope": " ".join(sorted(grant.scopes)),
        }
        if grant.user_id is not None and "offline_access" in grant.scopes:
            payload["refresh_token"] = self.tokens.issue_refresh(grant)
        return json_response(
            200, payload, headers=(("Cache-Control", "no-store"), ("Pragma", "no-cache"))
        )

    def _authenticate(self, request: Request, fields: dict[str, str]) -> DemoClient:
        header = request.header("Authorization")
        body_id, body_secret = fields.get("client_id"), fields.get("client_secret")
        if header is not None:
            scheme, _, value = header.partition(" ")
            if scheme.lower() != "basic" or body_secret is not None:
                raise ApiError(problems.invalid_client())
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise ApiError(problems.invalid_client()) from None
            raw_id, sep, raw_secret = decoded.partition(":")
            if not sep:
                raise ApiError(problems.invalid_client())
            client_id = urllib.parse.unquote_plus(raw_id)
            secret = urllib.parse.unquote_plus(raw_secret)
        elif body_id is not None and body_secret is not None:
            client_id, secret = body_id, body_secret
        else:
            raise ApiError(problems.invalid_client())
        client = self._clients.get(client_id)
        if client is None or not hmac.compare_digest(
            client.client_secret.encode(), secret.encode()
        ):
            raise ApiError(problems.invalid_client())
        return client

    def _scopes(self, client: DemoClient, raw: str | None) -> frozenset[str]:
        if raw is None or not raw.strip():
            return frozenset(client.scopes)
        requested = frozenset(raw.split())
        refused = sorted(requested - client.allowed_scopes)
        if refused:
            raise ApiError(
                problems.oauth_error(
                    400,
                    "invalid_scope",
                    "The requested scope is invalid, unknown, or malformed. The OAuth 2.0 Client "
                    f"is not allowed to request scope '{refused[0]}'.",
                )
            )
        return requested

    def _exchange_code(self, client: DemoClient, fields: dict[str, str]) -> Grant:
        code = self.tokens.take_code(fields.get("code", ""))
        if code is None or code.grant.client_id != client.client_id:
            raise ApiError(
                problems.oauth_error(
                    400,
                    "invalid_grant",
                    "The authorization code is unknown, expired, already used or was issued to "
                    "another client.",
                )
            )
        if fields.get("redirect_uri") != code.redirect_uri:
            raise ApiError(
                problems.oauth_error(
                    400,
                    "invalid_grant",
                    "redirect_uri does not match the one used in the authorization request.",
                )
            )
        verifier = fields.get("code_verifier")
        if code.code_challenge is not None:
            if verifier is None or not VERIFIER_RE.match(verifier):
                raise ApiError(
                    problems.oauth_error(
                        400,
                        "invalid_grant",
                        "The PKCE code_verifier is missing or malformed (43-128 characters of "
                        "A-Z a-z 0-9 - . _ ~).",
                    )
                )
            if not hmac.compare_digest(create_s256_code_challenge(verifier), code.code_challenge):
                raise ApiError(
                    problems.oauth_error(
                        400,
                        "invalid_grant",
                        "The PKCE code_verifier does not match the code_challenge.",
                    )
                )
        elif verifier is not None:
            raise ApiError(
                problems.oauth_error(
                    400,
                    "invalid_grant",
                    "code_verifier was sent but the authorization request had no code_challenge.",
                )
            )
        return code.grant

    # -- /oauth2/revoke --------------------------------------------------------------------

    def revoke(self, request: Request) -> Response:
        if request.content_type != "application/x-www-form-urlencoded":
            return problems.oauth_error(
                400, "invalid_request", "Send the revocation as application/x-www-form-urlencoded."
            )
        form = urllib.parse.parse_qs(request.body.decode("utf-8", "replace"))
        fields = {name: values[0] for name, values in form.items()}
        client = self._authenticate(request, fields)
        self.tokens.revoke(fields.get("token", ""), client.client_id)
        return Response(status=200, body=b"", content_type=None)

    # -- /oauth2/auth ----------------------------------------------------------------------

    def authorize(self, request: Request) -> Response:
        if request.method == "POST":
            return self._decide(request)
        query = {name: values[0] for name, values in request.query.items()}
        client = self._clients.get(query.get("client_id", ""))
        if client is None:
            return _error_page("Unknown client_id. Use a client registered with this Sandbox.")
        redirect_uri = query.get("redirect_uri", "")
        if not is_loopback_url(redirect_uri):
            return _error_page(
                "redirect_uri must be a loopback URL such as http://127.0.0.1:PORT/callback."
            )
        state = query.get("state", "")

        def fail(error: str, description: str) -> Response:
            params = {"error": error, "error_description": description}
            if state:
                params["state"] = state
            return _redirect(redirect_uri, params)

        if query.get("response_type") != "code":
            return fail("unsupported_response_type", "response_type must be 'code'.")
        if GrantType.AUTHORIZATION_CODE not in client.grant_types:
            return fail("unauthorized_client", "The client may not use authorization_code.")
        if len(state) < MIN_STATE_LENGTH:
            return fail(
                "invalid_state",
                "The state is missing or does not have enough "
                f"characters (at least {MIN_STATE_LENGTH}).",
            )
        challenge = query.get("code_challenge")
        if challenge is not None and query.get("code_challenge_method", "plain") != "S256":
            return fail("invalid_request", "Only code_challenge_method=S256 is supported.")
        try:
            scopes = self._scopes(client, query.get("scope"))
        except ApiError:
            return fail("invalid_scope", "The client is not allowed to request that scope.")
        auth_request = _AuthRequest(
            client=client,
            redirect_uri=redirect_uri,
            state=state,
            code_challenge=challenge,
            grant=Grant(
                client_id=client.client_id,
                user_id=client.user_id,
                scopes=scopes,
                audience=query.get("audience", ""),
                grant_type=GrantType.AUTHORIZATION_CODE.value,
            ),
        )
        if self._auto_approve() or query.get("prompt") == "none":
            return self._approve(auth_request)
        consent_id = secrets.token_urlsafe(16)
        with self._lock:
            if len(self._pending) >= MAX_PENDING_CONSENTS:
                self._pending.pop(next(iter(self._pending)))
            self._pending[consent_id] = auth_request
        return self._consent_page(consent_id, auth_request)

    def _approve(self, auth_request: _AuthRequest) -> Response:
        code = self.tokens.issue_code(
            auth_request.grant, auth_request.redirect_uri, auth_request.code_challenge
        )
        return _redirect(auth_request.redirect_uri, {"code": code, "state": auth_request.state})

    def _decide(self, request: Request) -> Response:
        form = urllib.parse.parse_qs(request.body.decode("utf-8", "replace"))
        consent_id = form.get("consent", [""])[0]
        with self._lock:
            auth_request = self._pending.pop(consent_id, None)
        if auth_request is None:
            return _error_page("This sign-in page has expired. Start the sign-in again.")
        if form.get("decision", [""])[0] != "approve":
            return _redirect(
                auth_request.redirect_uri,
                {
                    "error": "access_denied",
                    "state": auth_request.state,
                    "error_description": "The user denied the request.",
                },
            )
        return self._approve(auth_request)

    def _consent_page(self, consent_id: str, auth_request: _AuthRequest) -> Response:
        scopes = "".join(
            f"<li><code>{html.escape(scope)}</code></li>"
            for scope in sorted(auth_request.grant.scopes)
        )
        page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Thumbtack Sandbox - Authorize</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:2em auto}}</style></head>
<body><h1>Thumbtack Sandbox</h1>
<p><b>{html.escape(auth_request.client.client_id)}</b> asks to act as
<b>{html.escape(auth_request.client.user_label)}</b> with these scopes:</p>
<ul>{scopes}</ul>
<form method="post" action="/oauth2/auth">
<input type="hidden" name="consent" value="{html.escape(consent_id)}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form><p><small>Offline simulator: no real account is used.</small></p></body></html>"""
        return html_response(200, page, headers=(("Cache-Control", "no-store"),))
