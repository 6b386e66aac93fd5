"""The one redaction function of the program: what may be shown, stored, copied or exported.

Every view, the clipboard, the history database, saved requests and support bundles pass
their text through a :class:`Redactor`. Its :class:`RedactionPolicy` says what to mask:

* secrets (client secrets, access/refresh/id tokens, authorization codes, passwords,
  cookies, API keys, JWTs and ``Bearer``/``Basic`` credentials anywhere): always masked in
  anything that is stored; a caller may only turn them off for output the user explicitly
  asked to see in full;
* personal data (customer names, e-mail addresses, phone numbers, street addresses):
  masked in presentation mode and in support bundles;
* ``known_secrets``: literal values (the current client secret and tokens) masked
  wherever they appear, also in their JSON-escaped and URL-encoded forms.

A mask is always the same marker, :data:`MASK`; no hint of a secret is kept. Values that
are only a ``{{variable}}`` reference are never masked: they are not secrets.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus, unquote_plus

from explorer.core.models import NetworkFailure, RequestSpec, ResponseRecord
from explorer.core.redact_rules import (
    BARE_PHONE,
    CREDENTIAL_PATTERNS,
    EMAIL,
    ERROR_SIBLINGS,
    FORM_PAIR,
    JWT,
    LINK_HEADERS,
    LINK_TARGET,
    MASK,
    MIN_KNOWN_SECRET,
    PHONE,
    PHONE_ANCHOR,
    STREET,
    STREET_ANCHOR,
    URL_HEADERS,
    Kind,
    classify,
    find_all,
    holds_credential_value,
    is_reference,
    is_secret_header,
    lower_same_length,
    mask,
    mask_cookie,
    sub_near,
)

__all__ = [
    "MASK",
    "RedactionPolicy",
    "Redactor",
    "encodings",
    "is_reference",
    "redactor_for_output",
]


@dataclass(frozen=True, kw_only=True)
class RedactionPolicy:
    """What a :class:`Redactor` masks. Storage always uses ``secrets=True``."""

    secrets: bool = True
    personal_data: bool = False
    known_secrets: tuple[str, ...] = ()

    @classmethod
    def for_storage(cls, known_secrets: Iterable[str] = ()) -> RedactionPolicy:
        """History and saved files: secrets masked, personal data kept."""
        return cls(secrets=True, personal_data=False, known_secrets=tuple(known_secrets))

    @classmethod
    def for_presentation(cls, known_secrets: Iterable[str] = ()) -> RedactionPolicy:
        """Presentation mode and support bundles: secrets and personal data masked."""
        return cls(secrets=True, personal_data=True, known_secrets=tuple(known_secrets))


class Redactor:
    """Applies one :class:`RedactionPolicy` to text, headers, JSON, bodies, URLs and records.

    Never raises on malformed input: what cannot be parsed is treated as text. Large texts
    are scanned by cheap anchors (``@``, keywords, separators) first and the full patterns
    run only around them, so a 10 MB body stays well under a second.
    """

    def __init__(self, policy: RedactionPolicy | None = None) -> None:
        self.policy = policy or RedactionPolicy()
        variants: set[str] = set()
        for value in self.policy.known_secrets if self.policy.secrets else ():
            if isinstance(value, str) and len(value) >= MIN_KNOWN_SECRET:
                variants.update(encodings(value))
        self._known = tuple(sorted(variants, key=len, reverse=True))
        self._kinds: dict[str, Kind] = {}

    @property
    def is_identity(self) -> bool:
        """True when this redactor changes nothing (secrets explicitly requested)."""
        return not self.policy.secrets and not self.policy.personal_data

    # -- text -------------------------------------------------------------------------
    def redact_known(self, text: str) -> str:
        """Mask only the known secrets (in every encoding), leaving all other text alone:
        the last guard on everything the program prints."""
        if not isinstance(text, str) or not text:
            return text
        for value in self._known:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def redact_text(self, text: str) -> str:
        """Mask known secrets, credentials and (with personal data) contacts in free text."""
        if not isinstance(text, str) or not text:
            return text
        if self.policy.secrets:
            for value in self._known:
                if value in text:
                    text = text.replace(value, MASK)
            if "eyJ" in text:
                text = JWT.sub(MASK, text)
            lowered = lower_same_length(text)
            for words, pattern, repl in CREDENTIAL_PATTERNS:
                anchors = find_all(lowered, words)
                if anchors:
                    before = text
                    text = sub_near(text, anchors, pattern, repl)
                    if text is not before:
                        lowered = lower_same_length(text)
        if self.policy.personal_data:
            if "@" in text:
                text = sub_near(text, find_all(text, ("@",)), EMAIL, mask, before=256, after=256)
            anchors = [m.start() for m in PHONE_ANCHOR.finditer(text)]
            anchors = sorted(anchors + find_all(text, ("+", "(")))
            text = sub_near(text, anchors, PHONE, mask, before=12, after=40)
            anchors = [m.start() for m in STREET_ANCHOR.finditer(text)]
            text = sub_near(text, anchors, STREET, mask, before=160, after=60)
        return text

    # -- headers ----------------------------------------------------------------------
    def redact_header_value(self, name: str, value: str) -> str:
        """One header value, judged by its name and then by text patterns."""
        if self.policy.secrets and is_secret_header(name) and not is_reference(value):
            lowered = name.strip().lower()
            if lowered in ("authorization", "proxy-authorization"):
                scheme, _, rest = value.strip().partition(" ")
                if rest and " " not in scheme:
                    return value if is_reference(rest) else f"{scheme} {MASK}"
                return MASK
            if lowered == "cookie":
                return ";".join(mask_cookie(part) for part in value.split(";"))
            if lowered == "set-cookie":
                first, sep, attributes = value.partition(";")
                return mask_cookie(first) + sep + attributes
            return MASK if value else value
        lowered = name.strip().lower()
        if lowered in URL_HEADERS:
            return self.redact_url(value.strip()) if value.strip() else value
        if lowered in LINK_HEADERS:
            value = LINK_TARGET.sub(lambda m: f"<{self.redact_url(m.group(1))}>", value)
        return self.redact_text(value)

    def redact_headers(
        self, headers: Iterable[tuple[str, str]] | Mapping[str, str]
    ) -> tuple[tuple[str, str], ...]:
        """Headers as ``(name, value)`` pairs with credentials masked (schemes kept)."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        return tuple((name, self.redact_header_value(name, value)) for name, value in pairs)

    # -- JSON -------------------------------------------------------------------------
    def redact_json(self, obj: Any) -> Any:
        """A copy of a parsed JSON value with secret (and personal) keys and text masked."""
        try:
            return self._walk(obj, None, True)
        except RecursionError:
            return MASK

    def _kind(self, key: str) -> Kind:
        kind = self._kinds.get(key)
        if kind is None:
            kind = classify(key)
            if len(self._kinds) < 4096:
                self._kinds[key] = kind
        return kind

    def _walk(self, obj: Any, parent: str | None, text: bool) -> Any:
        """``obj`` itself when nothing changed, else a redacted copy."""
        kinds = self._kinds
        if type(obj) is dict:
            out: dict[Any, Any] | None = None
            credential = (
                self.policy.secrets
                and ("value" in obj or "Value" in obj)
                and holds_credential_value(obj, parent)
            )
            for key, value in obj.items():
                kind = kinds.get(key) if type(key) is str else Kind.PLAIN
                if kind is None:
                    kind = self._kind(key)
                if credential and key in ("value", "Value"):
                    kind = Kind.SECRET
                if kind and self._masks(kind, key, parent, value, obj):
                    if out is None:
                        out = dict(obj)
                    out[key] = MASK
                    continue
                vtype = type(value)
                if vtype is dict or vtype is list or (text and vtype is str):
                    new = self._walk(value, key if type(key) is str else None, text)
                    if new is not value:
                        if out is None:
                            out = dict(obj)
                        out[key] = new
            return obj if out is None else out
        if type(obj) is list:
            result: list[Any] | None = None
            for index, item in enumerate(obj):
                itype = type(item)
                if itype is dict or itype is list or (text and itype is str):
                    new = self._walk(item, parent, text)
                    if new is not item:
                        if result is None:
                            result = list(obj)
                        result[index] = new
            return obj if result is None else result
        if text and isinstance(obj, str):
            new_text = self.redact_text(obj)
            return obj if new_text == obj else new_text
        return obj

    def _masks(self, kind: Kind, key: str, parent: str | None, value: Any, siblings: Any) -> bool:
        if value is None or value == "" or isinstance(value, bool):
            return False
        if isinstance(value, str) and is_reference(value):
            return False
        if kind is Kind.PERSON_CONTAINER:
            return False
        if kind in (Kind.SECRET, Kind.CODE):
            if not self.policy.secrets:
                return False
            if kind is Kind.CODE:
                # An error body's "code" is an error code, not an authorization code.
                error_like = isinstance(siblings, dict) and any(
                    isinstance(k, str) and k.lower() in ERROR_SIBLINGS for k in siblings
                )
                return not (error_like or isinstance(value, int))
            return True
        if not self.policy.personal_data:
            return False
        if kind is Kind.PERSONAL:
            return True
        if kind is Kind.NAME:
            return parent is not None and self._kind(parent) is Kind.PERSON_CONTAINER
        return (
            kind is Kind.PHONE_LIKE
            and isinstance(value, (str, int))
            and BARE_PHONE.fullmatch(str(value)) is not None
        )

    # -- bodies -----------------------------------------------------------------------
    def redact_body(self, body: bytes | None, content_type: str | None = "") -> bytes:
        """A body with secrets masked: JSON walked, form fields masked, anything else as text.

        Bytes that are not UTF-8 pass through unchanged except where text patterns match.
        """
        if not body:
            return body or b""
        if self.is_identity:
            return body
        ctype = (content_type or "").split(";")[0].strip().lower()
        text = body.decode("utf-8", errors="surrogateescape")
        first = text[:64].lstrip()[:1]
        if "json" in ctype or (not ctype and first in ("{", "[")):
            redacted = self._redact_json_text(text)
            if redacted is not None:
                return redacted.encode("utf-8", errors="surrogateescape")
        if ctype == "application/x-www-form-urlencoded" or (
            not ctype and "\n" not in text and FORM_PAIR.match(text.strip())
        ):
            return self.redact_form(text).encode("utf-8", errors="surrogateescape")
        return self.redact_text(text).encode("utf-8", errors="surrogateescape")

    def _redact_json_text(self, text: str) -> str | None:
        try:
            parsed = json.loads(text)
            walked = self._walk(parsed, None, False)
        except (ValueError, RecursionError):
            return None
        if walked is not parsed:
            indent = 2 if "\n" in text.strip() else None
            separators = (",", ": ") if indent else (",", ":")
            text = json.dumps(walked, ensure_ascii=False, indent=indent, separators=separators)
        return self.redact_text(text)

    def redact_form(self, text: str) -> str:
        """``a=1&client_secret=x`` with secret (and personal) fields masked."""
        parts = text.split("&")
        for index, part in enumerate(parts):
            raw_key, sep, raw_value = part.partition("=")
            if not sep:
                continue
            key = unquote_plus(raw_key) if ("%" in raw_key or "+" in raw_key) else raw_key
            kind = self._kind(key)
            if kind and self._masks(kind, key, None, unquote_plus(raw_value), None):
                parts[index] = f"{raw_key}={MASK}"
        return self.redact_text("&".join(parts))

    # -- URLs -------------------------------------------------------------------------
    def redact_url(self, url: str) -> str:
        """A URL with secret query/fragment parameters and user-info passwords masked."""
        if not url or self.is_identity:
            return url
        base, hash_, fragment = url.partition("#")
        head, qmark, query = base.partition("?")
        scheme_sep = head.find("://")
        if self.policy.secrets and scheme_sep >= 0:
            authority_start = scheme_sep + 3
            slash = head.find("/", authority_start)
            authority = head[authority_start:] if slash < 0 else head[authority_start:slash]
            if "@" in authority:
                userinfo, _, host = authority.rpartition("@")
                user = userinfo.partition(":")[0]
                masked = f"{user}:{MASK}@{host}" if ":" in userinfo else f"{MASK}@{host}"
                head = head[:authority_start] + masked + ("" if slash < 0 else head[slash:])
        out = self.redact_text(head)
        if qmark:
            out += "?" + self.redact_form(query)
        if hash_:
            out += "#" + (
                self.redact_form(fragment) if "=" in fragment else self.redact_text(fragment)
            )
        return out

    # -- models -----------------------------------------------------------------------
    def redact_spec(self, spec: RequestSpec) -> RequestSpec:
        """A request with its URL, headers and body redacted."""
        if self.is_identity:
            return spec
        ctype = spec.header("content-type") or ""
        body = self.redact_body(spec.body, ctype) if spec.body is not None else None
        return dataclasses.replace(
            spec,
            url=self.redact_url(spec.url),
            headers=self.redact_headers(spec.headers),
            body=body,
        )

    def redact_record(self, record: ResponseRecord) -> ResponseRecord:
        """A response (and the request inside it) with everything redacted."""
        if self.is_identity:
            return record
        failure = record.failure
        if failure is not None:
            failure = NetworkFailure(
                kind=failure.kind,
                exception_type=failure.exception_type,
                message=self.redact_text(failure.message),
                chain=tuple(self.redact_text(link) for link in failure.chain),
            )
        return dataclasses.replace(
            record,
            request=self.redact_spec(record.request),
            headers=self.redact_headers(record.headers),
            body=self.redact_body(record.body, record.content_type),
            url=self.redact_url(record.url),
            failure=failure,
        )

    def redact_mapping(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """A JSON-like mapping (an explanation dict, a settings view) redacted."""
        result = self.redact_json(dict(document))
        return dict(result) if isinstance(result, dict) else {}


#: Fewer bytes than this inside a base64 text are not searched for (too many false hits).
_MIN_BASE64_BYTES = 6


def encodings(value: str) -> set[str]:
    """Every form in which a literal secret can reach a text: raw, JSON-escaped,
    URL/form-encoded, and inside base64 (as in ``Basic base64(client_id:secret)``).

    Inside a longer base64 text a value starts at one of three byte alignments; for each,
    the whole 3-byte groups of the value encode to the same characters whatever comes
    before or after it, so those characters are searched for (standard and URL-safe
    alphabets; of the UTF-8 and Latin-1 bytes of the value and of its form-encoded
    text, as RFC 6749 asks for Basic credentials).
    """
    forms = {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        quote(value, safe=""),
        quote_plus(value, safe=""),
    }
    found = {form for form in forms if form}
    encoded = {form.encode("utf-8") for form in (value, quote_plus(value, safe=""))}
    with contextlib.suppress(UnicodeEncodeError):
        encoded.add(value.encode("latin-1"))  # as HTTP clients encode Basic credentials
    for raw in encoded:
        for start in range(3):
            core = raw[start:]
            core = core[: len(core) // 3 * 3]
            if len(core) < _MIN_BASE64_BYTES:
                continue
            found.add(base64.b64encode(core).decode("ascii"))
            found.add(base64.urlsafe_b64encode(core).decode("ascii"))
    return found


def redactor_for_output(redact: bool, known_secrets: Sequence[str] = ()) -> Redactor:
    """The redactor for printed output (``call --redact``, copy as curl).

    ``redact=True``: secrets and personal data masked (presentation policy).
    ``redact=False``: the user explicitly asked for the real values; nothing is masked.
    """
    if redact:
        return Redactor(RedactionPolicy.for_presentation(known_secrets))
    return Redactor(RedactionPolicy(secrets=False, personal_data=False))
