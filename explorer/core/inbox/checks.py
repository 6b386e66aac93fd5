"""Checking one delivery: its credentials against the configured ones, its body against
the description's webhook schemas.

:func:`check_credentials` compares in constant time and reports what was sent with the
secret part masked. :func:`check_contract` is the one place the contract verdict on a
delivery is made: the body goes through the contract engine of every response and
request (:func:`explorer.core.contract.check_webhook_body`, openapi-core) against the
description's ``webhooks`` section, its problems in the request builder's words
(:func:`explorer.core.validation.sentence`); fields the schema does not name are warned
of as in the builder.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hmac
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.core.inbox.model import (
    AuthKind,
    ContractVerdict,
    CredentialCheck,
    CredentialState,
    Finding,
    VerdictState,
    WebhookCredentials,
    parse_json,
)
from explorer.core.openapi_doc import CatalogError, DocumentReader, SchemaResolver
from explorer.core.redact import MASK

Headers = Sequence[tuple[str, str]]


def _header(headers: Headers, name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers:
        if key.lower() == lowered:
            return value
    return None


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def check_credentials(headers: Headers, expected: WebhookCredentials) -> CredentialCheck:
    """Did the delivery carry ``expected``? Never shows a secret: only its mask."""
    authorization = _header(headers, "Authorization")
    if expected.kind is AuthKind.NONE:
        sent = _describe_authorization(authorization) if authorization else ""
        note = f" It carried {sent}." if sent else ""
        return CredentialCheck(
            state=CredentialState.UNCHECKED,
            summary="No credentials are configured for this inbox, so none were checked." + note,
            sent=sent,
        )
    if expected.kind is AuthKind.BASIC:
        return _check_basic(authorization, expected)
    value = _header(headers, expected.name)
    if value is None:
        return CredentialCheck(
            state=CredentialState.MISSING,
            summary=f"The header {expected.name} was missing; the webhook is set to send it.",
        )
    if _same(value, expected.secret):
        return CredentialCheck(
            state=CredentialState.OK,
            summary=f"The header {expected.name} matched.",
            sent=f"{expected.name}: {MASK}",
        )
    return CredentialCheck(
        state=CredentialState.WRONG,
        summary=f"The header {expected.name} was sent with a different value.",
        sent=f"{expected.name}: {MASK} ({len(value)} characters)",
    )


def _check_basic(authorization: str | None, expected: WebhookCredentials) -> CredentialCheck:
    if not authorization:
        return CredentialCheck(
            state=CredentialState.MISSING,
            summary="No Authorization header was sent; the webhook is set to send HTTP Basic "
            f"credentials for '{expected.name}'.",
        )
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return CredentialCheck(
            state=CredentialState.WRONG,
            summary=f"The Authorization header uses {scheme or 'no'} scheme, not Basic.",
            sent=f"{scheme} {MASK}",
        )
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return CredentialCheck(
            state=CredentialState.WRONG,
            summary="The Basic credentials are not valid base64 of 'username:password'.",
            sent=f"Basic {MASK}",
        )
    username, _, password = decoded.partition(":")
    user_ok = _same(username, expected.name)
    password_ok = _same(password, expected.secret)
    sent = f"username '{username}', password {MASK}"
    if user_ok and password_ok:
        return CredentialCheck(
            state=CredentialState.OK, summary="The HTTP Basic credentials matched.", sent=sent
        )
    wrong = [part for part, ok in (("username", user_ok), ("password", password_ok)) if not ok]
    return CredentialCheck(
        state=CredentialState.WRONG,
        summary=f"The HTTP Basic {' and '.join(wrong)} did not match the configured "
        f"credentials (expected username '{expected.name}').",
        sent=sent,
    )


def _describe_authorization(value: str) -> str:
    scheme = value.strip().partition(" ")[0]
    return f"an Authorization header ({scheme} {MASK})"


# ------------------------------------------------------------------------- contract


@dataclass(frozen=True, kw_only=True)
class WebhookSchemas:
    """The request-body schema of each event in a description's ``webhooks`` section."""

    source: str
    by_event: Mapping[str, Mapping[str, Any]]
    #: events whose ``data`` the description leaves as a bare object ("not captured")
    undocumented_data: frozenset[str] = frozenset()
    #: the description itself and where it is, for the contract engine
    document: Mapping[str, Any] | None = None
    base_uri: str = ""

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(self.by_event)

    @classmethod
    def from_text(cls, text: str, *, source: str, base_uri: str = "") -> WebhookSchemas:
        reader = DocumentReader(text, source=source, base_uri=base_uri)
        document = reader.read()
        resolver = SchemaResolver(document, reader)
        by_event: dict[str, Mapping[str, Any]] = {}
        undocumented: set[str] = set()
        webhooks = document.get("webhooks") or {}
        if not isinstance(webhooks, dict):
            raise CatalogError(source, "its 'webhooks' section is not a mapping")
        for name, item in webhooks.items():
            where = ("webhooks", str(name))
            resolved = resolver.resolve(item, where)
            operation = resolved.get("post") if isinstance(resolved, dict) else None
            if not isinstance(operation, dict):
                continue
            content = operation.get("requestBody", {}).get("content", {})
            media: dict[str, Any] = content.get("application/json") or next(
                iter(content.values()), {}
            )
            schema = resolver.schema(media.get("schema", {}), (*where, "post"))
            by_event[str(name)] = schema
            if _data_is_bare(schema):
                undocumented.add(str(name))
        return cls(
            source=source,
            by_event=by_event,
            undocumented_data=frozenset(undocumented),
            document=document,
            base_uri=base_uri or reader.base_uri,
        )


def _data_is_bare(schema: Mapping[str, Any]) -> bool:
    """True when no part of the schema says more about ``data`` than "an object"."""
    parts = [schema, *[p for p in schema.get("allOf", []) if isinstance(p, dict)]]
    for part in parts:
        data = part.get("properties", {}).get("data")
        said = (
            {key for key in data if not str(key).startswith("x-")}
            if isinstance(data, dict)
            else set()
        )
        if said - {"type", "description"}:
            return False
    return True


_schemas_lock = threading.Lock()


@functools.cache
def _load_default() -> WebhookSchemas:
    from explorer.resources import resource_path

    path = resource_path("openapi", "thumbtack-v4.yaml")
    return load_webhook_schemas(path)


def load_webhook_schemas(path: Path) -> WebhookSchemas:
    """The webhook schemas of the description at ``path`` (raises CatalogError)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(str(path), f"the file cannot be read ({exc})") from None
    return WebhookSchemas.from_text(text, source=str(path), base_uri=path.resolve().as_uri())


def default_webhook_schemas() -> WebhookSchemas:
    """The shipped Thumbtack description's webhook schemas (read once, thread-safe)."""
    with _schemas_lock:
        return _load_default()


def check_contract(
    body: bytes,
    headers: Headers,
    schemas: WebhookSchemas,
    *,
    method: str = "POST",
) -> ContractVerdict:
    """The contract verdict on one delivery: envelope and ``data`` against the schemas."""
    notes: list[Finding] = []
    if method.upper() != "POST":
        notes.append(
            Finding(where="method", message=f"Thumbtack delivers with POST; this was {method}.")
        )
    ctype = (_header(headers, "Content-Type") or "").split(";")[0].strip().lower()
    if ctype != "application/json":
        notes.append(
            Finding(
                where="Content-Type",
                message=f"Thumbtack sends application/json; this was '{ctype or 'none'}'.",
                warning=True,
            )
        )
    document = parse_json(body)
    if document is None:
        what = "empty" if not body else "not JSON"
        return ContractVerdict(
            state=VerdictState.NOT_JSON,
            summary=f"The body is {what}; a delivery is a JSON envelope.",
            findings=(*notes, Finding(where="body", message=f"The body is {what}.")),
        )
    event = document.get("event") if isinstance(document, dict) else None
    event_type = event.get("eventType") if isinstance(event, dict) else None
    schema = schemas.by_event.get(str(event_type)) if isinstance(event_type, str) else None
    if schema is None:
        known = ", ".join(schemas.event_types)
        shown = f"'{event_type}'" if isinstance(event_type, str) else "no event.eventType"
        return ContractVerdict(
            state=VerdictState.UNKNOWN_EVENT,
            summary=f"The description has no webhook for {shown}.",
            findings=(
                *notes,
                Finding(
                    where="event.eventType",
                    message=f"The description has no webhook for {shown}; it documents {known}.",
                ),
            ),
        )
    findings = [*notes, *_body_findings(schemas, str(event_type), schema, body, document)]
    errors = [f for f in findings if not f.warning]
    if errors:
        return ContractVerdict(
            state=VerdictState.INVALID,
            summary=f"{len(errors)} problem{'s' if len(errors) != 1 else ''} against "
            f"{event_type}'s schema: {errors[0].message}",
            findings=tuple(findings),
        )
    if event_type in schemas.undocumented_data:
        return ContractVerdict(
            state=VerdictState.UNDOCUMENTED,
            summary=f"The envelope matches; the description does not document {event_type}'s "
            "data (no payload has been captured), so it was not checked.",
            findings=tuple(findings),
        )
    return ContractVerdict(
        state=VerdictState.VALID,
        summary=f"Matches the description's {event_type} schema.",
        findings=tuple(findings),
    )


def _body_findings(
    schemas: WebhookSchemas,
    event_type: str,
    schema: Mapping[str, Any],
    body: bytes,
    document: Any,
) -> list[Finding]:
    """The body's problems by the contract engine, then the fields the schema does not
    name (warnings), each where the request builder would put it."""
    from explorer.core.validation import BodyFinding, check_body, field_name, sentence

    found: list[BodyFinding]
    if schemas.document is None:  # schemas made without their description: JSON Schema
        found = check_body(schema, body.decode("utf-8"), None)
    else:
        from explorer.core.contract import check_webhook_body
        from explorer.core.validation import unknown_fields

        problems = check_webhook_body(
            schemas.document, event_type, body, base_uri=schemas.base_uri, words=sentence
        )
        found = [
            BodyFinding(field=field_name(list(p.parts)), message=p.message, json_path=p.parts)
            for p in problems
        ]
        found += unknown_fields(schema, document)
    return [Finding(where=f.field, message=f.message, warning=f.warning) for f in found]
