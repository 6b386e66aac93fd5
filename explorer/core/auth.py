"""Token work for one profile, all through authlib's httpx2 OAuth 2.0 client.

:class:`TokenManager` fetches (client credentials), signs in (authorization code with PKCE
S256 through the system browser and :mod:`explorer.core.loopback`), refreshes before expiry
(storing the rotated refresh token), forgets, decodes the token for display (decoded, not
verified) and puts the bearer header on a :class:`RequestSpec`. Every fetch and refresh
sends ``audience`` and the profile's extra parameters explicitly, because authlib's own
re-fetch drops them. Token-endpoint failures become :class:`TokenError`, which keeps the
status and body (as a :class:`ResponseRecord`) for the explanation engine.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from explorer.core.environments import Environment
from explorer.core.http import classify_exception, exception_chain
from explorer.core.loopback import LoginError, LoopbackListener
from explorer.core.models import Flow, NetworkFailure, RequestSpec, ResponseRecord
from explorer.core.profiles import Profile
from explorer.core.secrets import SecretKind, SecretStore, SecretStoreError

if TYPE_CHECKING:  # authlib and httpx2 are imported at first use, not at start-up
    import httpx2 as httpx
    from authlib.integrations.httpx_client import OAuth2Client

#: ``client_factory(**kwargs)`` builds the authlib client; tests pass a transport through it.
ClientFactory = Callable[..., "OAuth2Client"]
OpenBrowser = Callable[[str], Any]


def open_in_browser(url: str) -> bool:
    """Open ``url`` in the user's browser (``webbrowser`` loads only for a sign-in)."""
    import webbrowser

    return webbrowser.open(url)


MAX_LEEWAY_S = 30.0


def default_client_factory(**kwargs: Any) -> OAuth2Client:
    from authlib.integrations.httpx_client import OAuth2Client

    kwargs.setdefault("timeout", 30.0)
    return OAuth2Client(**kwargs)


def is_token_endpoint(url: str, environment: Environment) -> bool:
    """True when ``url`` is ``environment``'s token endpoint (a query is ignored)."""
    token = environment.token_url.rstrip("/")
    return bool(token) and url.split("?", 1)[0].split("#", 1)[0].rstrip("/") == token


class TokenError(Exception):
    """The token endpoint refused or could not be reached.

    ``record`` is the token endpoint's response (status, headers, body) or the network
    failure, so the explanation engine can explain it like any other response.
    """

    def __init__(
        self,
        message: str,
        *,
        record: ResponseRecord | None = None,
        error: str | None = None,
        description: str | None = None,
    ) -> None:
        self.record = record
        self.error = error
        self.description = description
        super().__init__(message)

    @property
    def status(self) -> int | None:
        return self.record.status if self.record else None

    @property
    def body(self) -> bytes:
        return self.record.body if self.record else b""

    def outcome_of(self, request: RequestSpec) -> ResponseRecord | None:
        """What came of the user's ``request`` when its token could not be had: the
        request the user sent, with the token endpoint's answer (or network failure) as
        the outcome and the token URL as where it came from (``url``), so the history
        lists the user's request and the explanation speaks of the token server."""
        record = self.record
        if record is None:
            return None
        token_url = record.request.url
        answer = (
            f"failed ({record.failure.message})"
            if record.failure is not None
            else f"answered HTTP {record.status}"
        )
        return replace(
            record,
            request=request,
            url=record.url or token_url,
            cause=f"No token: the token URL {token_url} {answer}",
        )


class LoginRequired(Exception):
    """The profile needs a browser sign-in before it has a token."""


class MissingSecret(Exception):
    """The profile's client secret is not in the secret store."""


#: Everything token work raises for a user to read.
AUTH_ERRORS: tuple[type[Exception], ...] = (
    TokenError,
    LoginRequired,
    MissingSecret,
    LoginError,
    SecretStoreError,
)


@dataclass(frozen=True, kw_only=True)
class TokenInfo:
    """What the token says about itself: decoded, NOT verified (no signature check)."""

    token_type: str
    is_jwt: bool
    header: Mapping[str, Any] = field(default_factory=dict)
    claims: Mapping[str, Any] = field(default_factory=dict)
    scopes: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    issuer: str | None = None
    subject: str | None = None
    expires_at: float | None = None
    issued_at: float | None = None
    obtained_at: float | None = None
    has_refresh_token: bool = False
    verified: bool = False
    note: str = (
        "Decoded, not verified: the signature was not checked, so treat these "
        "values as what the token claims."
    )

    def seconds_left(self, now: float | None = None) -> float | None:
        if self.expires_at is None:
            return None
        return self.expires_at - (time.time() if now is None else now)

    def to_dict(self) -> dict[str, Any]:
        def iso(value: float | None) -> str | None:
            return None if value is None else datetime.fromtimestamp(value, UTC).isoformat()

        return {
            "token_type": self.token_type,
            "is_jwt": self.is_jwt,
            "verified": self.verified,
            "note": self.note,
            "header": dict(self.header),
            "claims": dict(self.claims),
            "scopes": list(self.scopes),
            "audience": list(self.audience),
            "issuer": self.issuer,
            "subject": self.subject,
            "expires_at": iso(self.expires_at),
            "issued_at": iso(self.issued_at),
            "has_refresh_token": self.has_refresh_token,
        }


def known_secrets(store: SecretStore, profile_name: str) -> tuple[str, ...]:
    """The bare client secret, access token and refresh token of one profile.

    These are the literal values every redactor masks wherever they appear. The cached
    access token is stored as a JSON document; its ``access_token`` and ``refresh_token``
    are taken out of it, and the document itself is never returned (it is not what an API
    would echo). A store that cannot be read yields fewer values, never an error.
    """
    values: list[str] = []
    for kind in (SecretKind.CLIENT_SECRET, SecretKind.REFRESH_TOKEN, SecretKind.ACCESS_TOKEN):
        try:
            raw = store.get(profile_name, kind)
        except Exception:  # a locked or missing store only means fewer values to mask
            continue
        if not raw:
            continue
        if kind is not SecretKind.ACCESS_TOKEN:
            values.append(raw)
            continue
        try:
            cached = json.loads(raw)
        except ValueError:
            values.append(raw)  # an old plain value: the token itself
            continue
        if isinstance(cached, dict):
            values += [str(cached[k]) for k in ("access_token", "refresh_token") if cached.get(k)]
        else:
            values.append(raw)
    return tuple(dict.fromkeys(values))


def decode_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Header and claims of a JWS compact token, without verification; None if opaque."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        decoded = [json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))) for p in parts[:2]]
    except (ValueError, UnicodeDecodeError):
        return None
    if not all(isinstance(d, dict) for d in decoded):
        return None
    return decoded[0], decoded[1]


def is_token_not_active(record: ResponseRecord) -> bool:
    """The documented 401 for an expired access token ("token is not active")."""
    return record.status == 401 and b"token is not active" in record.body.lower()


def leeway_for(lifetime_s: float | None) -> float:
    """How long before expiry to refresh: 30 s, but never most of a short token's life
    (authlib's fixed 60 s would re-fetch on every request when ``expires_in <= 60``)."""
    if lifetime_s is None or lifetime_s <= 0:
        return 0.0
    return min(MAX_LEEWAY_S, lifetime_s / 4)


class TokenManager:
    """The tokens of one profile in one environment; secrets come from ``secret_store``."""

    def __init__(
        self,
        profile: Profile,
        environment: Environment,
        secret_store: SecretStore,
        client_factory: ClientFactory = default_client_factory,
        *,
        clock: Callable[[], float] = time.time,
        open_browser: OpenBrowser | None = None,
    ) -> None:
        if open_browser is None:
            open_browser = open_in_browser
        self.profile = profile
        self.environment = environment
        self.secret_store = secret_store
        self._client_factory = client_factory
        self._clock = clock
        self._open_browser = open_browser
        self._lock = threading.RLock()
        self._last_response: httpx.Response | None = None

    # public API ------------------------------------------------------------------------
    def get_token(self) -> str:
        """A usable access token: the cached one, or refreshed / fetched as needed."""
        with self._lock:
            cached = self._cached()
            if cached is not None and not self._expiring(cached):
                return str(cached["access_token"])
            return self.refresh()

    def refresh(self) -> str:
        """A new access token now: refresh-token grant if there is one, else (client
        credentials) a new fetch; an authorization-code profile without one must sign in."""
        with self._lock:
            refresh_token = self._get(SecretKind.REFRESH_TOKEN)
            if refresh_token:
                return self._refresh_with(refresh_token)
            if self.profile.flow is Flow.CLIENT_CREDENTIALS:
                return self._client_credentials()
            raise LoginRequired(
                f"Profile '{self.profile.name}' uses the authorization code flow and has no "
                f"refresh token; sign in: thumbtack-explorer profile login '{self.profile.name}'"
                + (
                    ""
                    if "offline_access" in self.profile.scopes
                    else " (add the offline_access scope to get a refresh token)"
                )
            )

    def login(
        self,
        *,
        cancel: threading.Event | None = None,
        timeout_s: float = 300.0,
        open_browser: OpenBrowser | None = None,
    ) -> str:
        """Authorization code with PKCE: open the browser, receive the redirect on the
        loopback listener, exchange the code. Returns the access token."""
        if not self.environment.authorize_url:
            raise LoginError(
                f"Environment '{self.environment.name}' has no authorization URL; "
                "add one to the environment to sign in."
            )
        with self._lock, self._client() as client:
            verifier = secrets.token_urlsafe(48)
            state = secrets.token_urlsafe(24)
            url, _ = client.create_authorization_url(
                self.environment.authorize_url,
                state=state,
                code_verifier=verifier,
                **self._extra_params(),
            )
            listener = LoopbackListener(self.profile.redirect_uri, state)
            listener.start()
            try:
                (open_browser or self._open_browser)(url)
            except Exception:
                listener.close()
                raise
            code = listener.wait(cancel=cancel, timeout_s=timeout_s)
            token = self._call(
                "sign-in code exchange",
                lambda: client.fetch_token(
                    self.environment.token_url,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=verifier,
                    redirect_uri=self.profile.redirect_uri,
                    **self._extra_params(),
                ),
            )
            return self._store(token)

    def forget(self) -> None:
        """Delete the cached access token and the refresh token (not the client secret)."""
        with self._lock:
            self.secret_store.delete(self.profile.name, SecretKind.ACCESS_TOKEN)
            self.secret_store.delete(self.profile.name, SecretKind.REFRESH_TOKEN)

    def adopt(self, access_token: str) -> None:
        """Use an access token the user brought (from a pasted curl command or an import)
        as this profile's cached token, kept in the secret store like a fetched one."""
        if not access_token.strip():
            raise ValueError("The access token is empty.")
        with self._lock:
            self._store({"access_token": access_token.strip(), "token_type": "Bearer"})

    def token_info(self) -> TokenInfo | None:
        cached = self._cached()
        if cached is None:
            return None
        access = str(cached["access_token"])
        decoded = decode_jwt(access)
        header, claims = decoded if decoded else ({}, {})
        scope_text = cached.get("scope") or claims.get("scope") or claims.get("scp") or ""
        scopes = tuple(scope_text.split()) if isinstance(scope_text, str) else tuple(scope_text)
        aud = claims.get("aud", ())
        audience = (aud,) if isinstance(aud, str) else tuple(str(a) for a in aud)
        return TokenInfo(
            token_type=str(cached.get("token_type") or "Bearer"),
            is_jwt=decoded is not None,
            header=header,
            claims=claims,
            scopes=scopes,
            audience=audience,
            issuer=claims.get("iss"),
            subject=claims.get("sub"),
            expires_at=cached.get("expires_at") or _number(claims.get("exp")),
            issued_at=_number(claims.get("iat")),
            obtained_at=cached.get("obtained_at"),
            has_refresh_token=self._get(SecretKind.REFRESH_TOKEN) is not None,
        )

    def authenticate_client(self, spec: RequestSpec) -> RequestSpec:
        """``spec`` (a request to the token endpoint composed by the user) with this
        profile's client authentication, by its method: HTTP Basic, or ``client_id`` and
        ``client_secret`` in the form body. A bearer token is never sent there."""
        from authlib.oauth2.auth import ClientAuth

        secret = self._get(SecretKind.CLIENT_SECRET)
        if not secret:
            raise MissingSecret(
                f"Profile '{self.profile.name}' has no client secret in "
                f"{self.secret_store.location}; the token endpoint needs it."
            )
        headers = {k: v for k, v in spec.headers if k.lower() != "authorization"}
        body = (spec.body or b"").decode("utf-8", errors="replace")
        auth = ClientAuth(self.profile.client_id, secret, self.profile.auth_method.value)
        _uri, headers, body = auth.prepare(spec.method, spec.url, headers, body)
        return replace(spec, headers=tuple(headers.items()), body=body.encode() or spec.body)

    def authorize_request(self, spec: RequestSpec) -> RequestSpec:
        """``spec`` with ``Authorization: Bearer <token>`` (any old one replaced)."""
        token = self.get_token()
        headers = tuple((k, v) for k, v in spec.headers if k.lower() != "authorization")
        return replace(spec, headers=(*headers, ("Authorization", f"Bearer {token}")))

    # internals -------------------------------------------------------------------------
    def _get(self, kind: SecretKind) -> str | None:
        return self.secret_store.get(self.profile.name, kind)

    def _cached(self) -> dict[str, Any] | None:
        raw = self._get(SecretKind.ACCESS_TOKEN)
        if not raw:
            return None
        try:
            cached = json.loads(raw)
        except json.JSONDecodeError:
            return None
        return cached if isinstance(cached, dict) and cached.get("access_token") else None

    def _expiring(self, cached: Mapping[str, Any]) -> bool:
        expires_at = cached.get("expires_at")
        if expires_at is None:
            return False
        lifetime = cached.get("expires_in")
        return bool(self._clock() >= float(expires_at) - leeway_for(lifetime))

    def _extra_params(self) -> dict[str, str]:
        params = dict(self.profile.extra_token_params)
        if self.profile.audience:
            params["audience"] = self.profile.audience
        return params

    def _client(self) -> OAuth2Client:
        secret = self._get(SecretKind.CLIENT_SECRET)
        if not secret:
            raise MissingSecret(
                f"Profile '{self.profile.name}' has no client secret in "
                f"{self.secret_store.location}. Store it with: thumbtack-explorer profile add "
                f"'{self.profile.name}' ... (or in the profile editor)."
            )
        client = self._client_factory(
            client_id=self.profile.client_id,
            client_secret=secret,
            token_endpoint_auth_method=self.profile.auth_method.value,
            scope=" ".join(self.profile.scopes) or None,
            redirect_uri=self.profile.redirect_uri,
            code_challenge_method="S256",
        )
        for hook in ("access_token_response", "refresh_token_response"):
            client.register_compliance_hook(hook, self._remember)
        return client

    def _remember(self, response: httpx.Response) -> httpx.Response:
        self._last_response = response
        return response

    def _client_credentials(self) -> str:
        with self._client() as client:
            token = self._call(
                "client-credentials token request",
                lambda: client.fetch_token(
                    self.environment.token_url,
                    grant_type="client_credentials",
                    **self._extra_params(),
                ),
            )
        return self._store(token)

    def _refresh_with(self, refresh_token: str) -> str:
        try:
            with self._client() as client:
                token = self._call(
                    "token refresh",
                    lambda: client.refresh_token(
                        self.environment.token_url,
                        refresh_token=refresh_token,
                        **self._extra_params(),
                    ),
                )
        except TokenError as exc:
            if exc.error in ("invalid_grant", "invalid_token"):
                self.forget()  # the refresh token is dead; the next call must sign in again
            raise
        return self._store(token, previous_refresh=refresh_token)

    def _call(self, what: str, action: Callable[[], Any]) -> Mapping[str, Any]:
        import httpx2 as httpx
        from authlib.integrations.httpx_client import OAuthError

        self._last_response = None
        url = self.environment.token_url
        try:
            token = action()
        except OAuthError as exc:
            error = getattr(exc, "error", None)
            description = getattr(exc, "description", None)
            raise TokenError(
                f"The token server at {url} refused the {what}: {error}"
                + (f" ({description})" if description else ""),
                record=self._record(),
                error=error,
                description=description,
            ) from exc
        except httpx.HTTPStatusError as exc:
            raise TokenError(
                f"The token server at {url} answered HTTP {exc.response.status_code} to the "
                f"{what}, with no OAuth error in the body.",
                record=self._record(),
            ) from exc
        except httpx.HTTPError as exc:
            failure = NetworkFailure(
                kind=classify_exception(exc),
                exception_type=type(exc).__name__,
                message=str(exc) or type(exc).__name__,
                chain=exception_chain(exc),
            )
            record = ResponseRecord(request=self._token_spec(), failure=failure)
            raise TokenError(
                f"The token server at {url} could not be reached for the {what} "
                f"({failure.kind.value}: {failure.message}).",
                record=record,
            ) from exc
        except ValueError as exc:
            raise TokenError(
                f"The token server at {url} sent an answer to the {what} that is "
                f"not a token: {self._shape_problem()}.",
                record=self._record(),
            ) from exc
        if not isinstance(token, Mapping) or not token.get("access_token"):
            raise TokenError(
                f"The token server at {url} answered the {what} without an access_token.",
                record=self._record(),
            )
        return token

    def _shape_problem(self) -> str:
        """What is wrong with the token server's answer, in words (not Python's)."""
        response = self._last_response
        try:
            document = json.loads(response.content) if response is not None else None
        except (ValueError, RecursionError):
            return "it is not JSON"
        if not isinstance(document, dict):
            kind = {list: "a list", str: "a text", int: "a number", float: "a number"}.get(
                type(document), "not an object"
            )
            return f"it is JSON, but {kind} instead of an object with access_token"
        if not document.get("access_token"):
            return "it has no access_token"
        expires = document.get("expires_in")
        if expires is not None:
            try:
                int(expires)
            except (TypeError, ValueError):
                shown = json.dumps(expires)[:40]
                return f"its expires_in is {shown}, not a number of seconds"
        return "its fields do not have the types OAuth 2.0 gives them (RFC 6749 §5.1)"

    def _token_spec(self) -> RequestSpec:
        # The form body and the Basic header hold secrets: they are not kept.
        return RequestSpec(
            method="POST",
            url=self.environment.token_url,
            headers=(("Content-Type", "application/x-www-form-urlencoded"),),
            thumbtack=self.environment.speaks_thumbtack,
        )

    def _record(self) -> ResponseRecord | None:
        response = self._last_response
        if response is None:
            return None
        return ResponseRecord(
            request=self._token_spec(),
            status=response.status_code,
            reason=response.reason_phrase,
            http_version=response.http_version,
            headers=tuple(response.headers.multi_items()),
            body=response.content,
            url=str(response.url),
        )

    def _store(self, token: Mapping[str, Any], *, previous_refresh: str | None = None) -> str:
        now = self._clock()
        expires_in = _number(token.get("expires_in"))
        expires_at = (
            now + expires_in if expires_in is not None else _number(token.get("expires_at"))
        )
        cached = {
            "access_token": token["access_token"],
            "token_type": token.get("token_type", "Bearer"),
            "scope": token.get("scope", ""),
            "expires_in": expires_in,
            "expires_at": expires_at,
            "obtained_at": now,
        }
        self.secret_store.set(self.profile.name, SecretKind.ACCESS_TOKEN, json.dumps(cached))
        new_refresh = token.get("refresh_token")
        if new_refresh and new_refresh != previous_refresh:
            self.secret_store.set(self.profile.name, SecretKind.REFRESH_TOKEN, str(new_refresh))
        return str(token["access_token"])


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
