"""Token bookkeeping for the Sandbox's authorization server.

Access tokens are JWTs signed with HS256 by a random per-server key (joserfc), carrying
``iss, sub, aud, client_id, scope, iat, exp, jti`` and ``gty`` (the grant that issued
them, so user-context endpoints can refuse application tokens). Refresh tokens and
authorization codes are opaque random strings kept in memory.

Refresh tokens rotate: each use returns a new one; the used one still works for
``refresh_grace_s`` seconds (60 by default, as Thumbtack documents) and is refused after.
Disconnecting a user or calling ``/oauth2/revoke`` revokes tokens before they expire.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

REFRESH_LIFETIME_S = 180 * 24 * 3600
CODE_LIFETIME_S = 300
MAX_PENDING = 10_000


@dataclass(frozen=True, kw_only=True)
class Grant:
    """What a token or code stands for."""

    client_id: str
    user_id: str | None  # None for client_credentials
    scopes: frozenset[str]
    audience: str
    grant_type: str


@dataclass(frozen=True, kw_only=True)
class TokenInfo:
    """A verified, active access token."""

    grant: Grant
    jti: str
    expires_at: float


@dataclass(frozen=True, kw_only=True)
class CodeGrant:
    """An authorization code waiting to be exchanged."""

    grant: Grant
    redirect_uri: str
    code_challenge: str | None
    expires_at: float


@dataclass(kw_only=True)
class _RefreshRecord:
    grant: Grant
    expires_at: float
    used_at: float | None = None
    revoked: bool = False
    jtis: set[str] = field(default_factory=set)


class RefreshError(Exception):
    """The refresh token is unknown, expired, revoked, reused or belongs to another client."""


class TokenService:
    """Issues and checks tokens and codes; thread-safe."""

    def __init__(
        self,
        *,
        issuer: str,
        access_lifetime_s: int,
        refresh_grace_s: float,
        clock: Callable[[], float],
    ) -> None:
        self._issuer = issuer
        self._lifetime = access_lifetime_s
        self._grace = refresh_grace_s
        self._clock = clock
        self._key = OctKey.generate_key(256)
        self._lock = threading.Lock()
        self._codes: dict[str, CodeGrant] = {}
        self._refresh: dict[str, _RefreshRecord] = {}
        self._revoked_jtis: set[str] = set()
        self._user_jtis: dict[tuple[str, str], set[str]] = {}

    @property
    def access_lifetime_s(self) -> int:
        return self._lifetime

    # -- access tokens -----------------------------------------------------------------------

    def issue_access(self, grant: Grant) -> tuple[str, int]:
        """A signed access token and its ``expires_in``."""
        now = self._clock()
        jti = secrets.token_hex(16)
        claims = {
            "iss": self._issuer,
            "sub": grant.user_id or grant.client_id,
            "aud": [grant.audience] if grant.audience else [],
            "client_id": grant.client_id,
            "scope": " ".join(sorted(grant.scopes)),
            "iat": int(now),
            "exp": math.ceil(now + self._lifetime),
            "jti": jti,
            "gty": grant.grant_type,
        }
        token = jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self._key)
        if grant.user_id is not None:
            with self._lock:
                self._user_jtis.setdefault((grant.client_id, grant.user_id), set()).add(jti)
        return token, self._lifetime

    def verify(self, token: str) -> TokenInfo | None:
        """The token's grant if it is well-formed, signed by us, unexpired and not revoked."""
        try:
            claims = jwt.decode(token, self._key, algorithms=["HS256"]).claims
            exp = float(claims["exp"])
            jti = str(claims["jti"])
            aud = claims.get("aud") or []
            audience = aud[0] if isinstance(aud, list) and aud else str(aud or "")
            user_id = None if claims["gty"] == "client_credentials" else str(claims["sub"])
            grant = Grant(
                client_id=str(claims["client_id"]),
                user_id=user_id,
                scopes=frozenset(str(claims["scope"]).split()),
                audience=str(audience),
                grant_type=str(claims["gty"]),
            )
        except (JoseError, KeyError, TypeError, ValueError):
            return None
        if self._clock() >= exp:
            return None
        with self._lock:
            if jti in self._revoked_jtis:
                return None
        return TokenInfo(grant=grant, jti=jti, expires_at=exp)

    @staticmethod
    def is_well_formed(token: str) -> bool:
        """True if ``token`` has a JWT's shape (three base64url parts, a JSON header
        naming ``alg``), whoever signed it and whether or not it is still valid."""
        parts = token.split(".")
        if len(parts) != 3 or not all(parts[:2]):
            return False
        try:
            raw = base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4))
            header = json.loads(raw)
        except (binascii.Error, ValueError):
            return False
        return isinstance(header, dict) and "alg" in header

    def peek_audience(self, token: str) -> str | None:
        """The audience of a token we signed, even if expired (for the 502 fault's text)."""
        try:
            aud = jwt.decode(token, self._key, algorithms=["HS256"]).claims.get("aud") or []
        except (JoseError, ValueError):
            return None
        return str(aud[0]) if isinstance(aud, list) and aud else None

    # -- refresh tokens ----------------------------------------------------------------------

    def issue_refresh(self, grant: Grant) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._refresh[token] = _RefreshRecord(
                grant=grant, expires_at=self._clock() + REFRESH_LIFETIME_S
            )
        return token

    def use_refresh(self, token: str, client_id: str) -> Grant:
        """Consume a refresh token (or reuse it inside the grace period); returns its grant."""
        now = self._clock()
        with self._lock:
            record = self._refresh.get(token)
            if record is None or record.grant.client_id != client_id:
                raise RefreshError("The refresh token is unknown or was issued to another client.")
            if record.revoked:
                raise RefreshError("The refresh token was revoked.")
            if now >= record.expires_at:
                raise RefreshError("The refresh token has expired.")
            if record.used_at is not None and now - record.used_at > self._grace:
                raise RefreshError(
                    "The refresh token has already been used and its "
                    f"{self._grace:g}-second grace period is over; sign in again."
                )
            if record.used_at is None:
                record.used_at = now
            return replace(record.grant, grant_type="refresh_token")

    # -- authorization codes -----------------------------------------------------------------

    def issue_code(self, grant: Grant, redirect_uri: str, code_challenge: str | None) -> str:
        code = secrets.token_urlsafe(24)
        now = self._clock()
        with self._lock:
            if len(self._codes) >= MAX_PENDING:
                self._codes = {k: v for k, v in self._codes.items() if v.expires_at > now}
            self._codes[code] = CodeGrant(
                grant=grant,
                redirect_uri=redirect_uri,
                code_challenge=code_challenge,
                expires_at=now + CODE_LIFETIME_S,
            )
        return code

    def take_code(self, code: str) -> CodeGrant | None:
        """Remove and return an unexpired code (codes are single use)."""
        with self._lock:
            grant = self._codes.pop(code, None)
        if grant is None or self._clock() >= grant.expires_at:
            return None
        return grant

    # -- revocation --------------------------------------------------------------------------

    def revoke_user(self, client_id: str, user_id: str) -> None:
        """Revoke every access and refresh token of one user for one client."""
        with self._lock:
            self._revoked_jtis |= self._user_jtis.pop((client_id, user_id), set())
            for record in self._refresh.values():
                if record.grant.client_id == client_id and record.grant.user_id == user_id:
                    record.revoked = True

    def revoke(self, token: str, client_id: str) -> None:
        """RFC 7009: revoke an access or refresh token of this client; unknown tokens pass."""
        with self._lock:
            record = self._refresh.get(token)
            if record is not None and record.grant.client_id == client_id:
                record.revoked = True
                return
        info = self.verify(token)
        if info is not None and info.grant.client_id == client_id:
            with self._lock:
                self._revoked_jtis.add(info.jti)
