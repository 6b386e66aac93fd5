"""What the webhook inbox records: deliveries, credential checks and contract verdicts.

A :class:`Delivery` is one HTTP request as it arrived (method, path, headers, raw body
bytes, time, source address) plus what the inbox made of it: the credential check, the
contract verdict against the description's webhook schemas, the status it answered with
and, when forwarding, what the forwarded endpoint answered. Everything here is a frozen
value that turns into and back from a JSON-ready dict for the store.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeVar

#: What Thumbtack's deliveries send as User-Agent (evidence S5, confirmed).
THUMBTACK_USER_AGENT = "Go-http-client/1.1"
_E = TypeVar("_E", bound=StrEnum)


class AuthKind(StrEnum):
    """How a webhook authenticates its deliveries (the webhook's ``authType``)."""

    NONE = "None"
    BASIC = "Basic"
    HEADER = "CustomHeader"


@dataclass(frozen=True, kw_only=True)
class WebhookCredentials:
    """The credentials a webhook carries: none, HTTP Basic, or one custom header."""

    kind: AuthKind = AuthKind.NONE
    name: str = ""  # the Basic username or the header's name
    secret: str = ""  # the Basic password or the header's value

    @classmethod
    def basic(cls, username: str, password: str) -> WebhookCredentials:
        if ":" in username:
            raise ValueError("A Basic username cannot contain ':'. Choose one without it.")
        return cls(kind=AuthKind.BASIC, name=username, secret=password)

    @classmethod
    def header(cls, text: str) -> WebhookCredentials:
        """``"Name: value"`` as typed by the user."""
        name, sep, value = text.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value or any(c in name for c in " \t\r\n"):
            raise ValueError(
                f"'{_hint(text)}' is not a header: write it as 'Name: value', "
                "for example 'X-Webhook-Token: s3cret'."
            )
        return cls(kind=AuthKind.HEADER, name=name, secret=value)

    @property
    def configured(self) -> bool:
        return self.kind is not AuthKind.NONE

    def headers(self) -> tuple[tuple[str, str], ...]:
        """The header a delivery with these credentials carries."""
        if self.kind is AuthKind.BASIC:
            raw = f"{self.name}:{self.secret}".encode()
            return (("Authorization", "Basic " + base64.b64encode(raw).decode("ascii")),)
        if self.kind is AuthKind.HEADER:
            return ((self.name, self.secret),)
        return ()

    def known_secrets(self) -> tuple[str, ...]:
        """Literal values to mask wherever they appear (the password, the header value and
        the encoded Basic credentials)."""
        if not self.configured or not self.secret:
            return ()
        values = [self.secret]
        values.extend(value.removeprefix("Basic ") for _name, value in self.headers())
        return tuple(values)

    def describe(self) -> str:
        """Words without the secret: ``Basic, user 'hello'`` or ``header X-Token``."""
        if self.kind is AuthKind.BASIC:
            return f"HTTP Basic, username '{self.name}'"
        if self.kind is AuthKind.HEADER:
            return f"header {self.name}"
        return "no credentials"


def _hint(text: str) -> str:
    """What the user typed, shortened and without the part that may be a secret."""
    name = text.partition(":")[0].strip()
    return (name[:40] + ": …") if ":" in text else text[:40]


class CredentialState(StrEnum):
    """The credential check's outcome."""

    OK = "ok"
    WRONG = "wrong"
    MISSING = "missing"
    UNCHECKED = "not checked"  # the inbox expects no credentials


@dataclass(frozen=True, kw_only=True)
class CredentialCheck:
    """Whether a delivery carried the configured credentials, in words, secrets masked."""

    state: CredentialState
    summary: str
    sent: str = ""  # what was sent, with the secret part masked

    @property
    def failed(self) -> bool:
        return self.state in (CredentialState.WRONG, CredentialState.MISSING)

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state.value, "summary": self.summary, "sent": self.sent}

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> CredentialCheck:
        return cls(
            state=_enum(CredentialState, doc.get("state"), CredentialState.UNCHECKED),
            summary=str(doc.get("summary", "")),
            sent=str(doc.get("sent", "")),
        )


class VerdictState(StrEnum):
    """The contract verdict on a delivery, against the description's webhook schemas."""

    VALID = "valid"
    INVALID = "invalid"
    UNDOCUMENTED = "data not documented"  # the envelope is right; no schema for `data`
    UNKNOWN_EVENT = "unknown event"
    NOT_JSON = "not JSON"


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One thing the contract check found: where, in words, and whether it only warns."""

    where: str
    message: str
    warning: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"where": self.where, "message": self.message, "warning": self.warning}


@dataclass(frozen=True, kw_only=True)
class ContractVerdict:
    """The verdict with its findings; ``summary`` is one line for lists."""

    state: VerdictState
    summary: str
    findings: tuple[Finding, ...] = ()

    @property
    def failed(self) -> bool:
        return self.state in (VerdictState.INVALID, VerdictState.NOT_JSON)

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "summary": self.summary,
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> ContractVerdict:
        return cls(
            state=_enum(VerdictState, doc.get("state"), VerdictState.UNDOCUMENTED),
            summary=str(doc.get("summary", "")),
            findings=tuple(
                Finding(
                    where=str(f.get("where", "")),
                    message=str(f.get("message", "")),
                    warning=bool(f.get("warning", False)),
                )
                for f in doc.get("findings", [])
                if isinstance(f, dict)
            ),
        )


@dataclass(frozen=True, kw_only=True)
class EndpointAnswer:
    """What an endpoint answered when a delivery was passed on (forwarded or replayed)."""

    url: str
    status: int | None
    total_ms: float
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    error: str = ""  # words when nothing came back
    explanation: str = ""

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "total_ms": round(self.total_ms, 2),
            "headers": [list(pair) for pair in self.headers],
            "body": self.body.decode("utf-8", errors="replace"),
            "error": self.error,
            "explanation": self.explanation,
        }

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> EndpointAnswer:
        status = doc.get("status")
        return cls(
            url=str(doc.get("url", "")),
            status=int(status) if isinstance(status, int) else None,
            total_ms=float(doc.get("total_ms", 0.0)),
            headers=tuple((str(k), str(v)) for k, v in doc.get("headers", [])),
            body=str(doc.get("body", "")).encode("utf-8"),
            error=str(doc.get("error", "")),
            explanation=str(doc.get("explanation", "")),
        )


class Origin(StrEnum):
    """Where a recorded delivery came from."""

    RECEIVED = "received"  # a request that reached the listener
    SAMPLE = "sample"  # made by "Send a sample delivery"


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """One recorded request and what the inbox made of it."""

    received_at: str  # RFC 3339 UTC, milliseconds
    method: str
    path: str  # with the query string
    headers: tuple[tuple[str, str], ...]
    body: bytes
    source: str  # "address:port" of the sender
    answered_status: int
    credential: CredentialCheck
    verdict: ContractVerdict
    event_type: str = ""
    webhook_id: str = ""
    negotiation_id: str = ""
    forward: EndpointAnswer | None = None
    origin: Origin = Origin.RECEIVED
    body_truncated: bool = False
    id: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    def with_id(self, delivery_id: int) -> Delivery:
        return replace(self, id=delivery_id)

    def data(self) -> Mapping[str, Any]:
        """The envelope's ``data`` object, or an empty mapping."""
        document = parse_json(self.body)
        data = document.get("data") if isinstance(document, dict) else None
        return data if isinstance(data, dict) else {}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the body as text) for ``--json`` output and exports."""
        return {
            "id": self.id,
            "receivedAt": self.received_at,
            "method": self.method,
            "path": self.path,
            "source": self.source,
            "eventType": self.event_type,
            "webhookID": self.webhook_id,
            "negotiationID": self.negotiation_id,
            "headers": [list(pair) for pair in self.headers],
            "body": self.body.decode("utf-8", errors="replace"),
            "bodyTruncated": self.body_truncated,
            "answeredStatus": self.answered_status,
            "credentials": self.credential.to_dict(),
            "contract": self.verdict.to_dict(),
            "forward": None if self.forward is None else self.forward.to_dict(),
            "origin": self.origin.value,
        }


def delivery_from_dict(doc: Mapping[str, Any]) -> Delivery:
    """The inverse of :meth:`Delivery.to_dict` (a ``listen --json`` line back to a value);
    the body comes back as its UTF-8 text."""
    forward = doc.get("forward")
    origin = doc.get("origin")
    raw_id = doc.get("id")
    return Delivery(
        id=int(raw_id) if isinstance(raw_id, int) else None,
        received_at=str(doc.get("receivedAt", "")),
        method=str(doc.get("method", "POST")),
        path=str(doc.get("path", "/")),
        source=str(doc.get("source", "")),
        event_type=str(doc.get("eventType", "")),
        webhook_id=str(doc.get("webhookID", "")),
        headers=tuple((str(k), str(v)) for k, v in doc.get("headers", [])),
        body=str(doc.get("body", "")).encode("utf-8"),
        body_truncated=bool(doc.get("bodyTruncated", False)),
        answered_status=int(doc.get("answeredStatus", 0) or 0),
        credential=CredentialCheck.from_dict(doc.get("credentials") or {}),
        verdict=ContractVerdict.from_dict(doc.get("contract") or {}),
        forward=EndpointAnswer.from_dict(forward) if isinstance(forward, dict) else None,
        origin=Origin(origin) if origin in {o.value for o in Origin} else Origin.RECEIVED,
        negotiation_id=str(doc.get("negotiationID", "")),
    )


def parse_json(body: bytes) -> Any:
    """The body as JSON, or None when it is not JSON."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def envelope_fields(body: bytes) -> tuple[str, str, str]:
    """(eventType, webhookID, negotiationID) read from a delivery body; '' where absent."""
    document = parse_json(body)
    if not isinstance(document, dict):
        return "", "", ""
    event = document.get("event")
    data = document.get("data")
    event = event if isinstance(event, dict) else {}
    data = data if isinstance(data, dict) else {}
    negotiation = data.get("negotiationID", "")
    return (
        str(event.get("eventType", "") or ""),
        str(event.get("webhookID", "") or ""),
        str(negotiation) if isinstance(negotiation, str | int) else "",
    )


def _enum(kind: type[_E], value: Any, default: _E) -> _E:
    try:
        return kind(value)
    except ValueError:
        return default
