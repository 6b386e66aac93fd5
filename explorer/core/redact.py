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
import binascii
import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any
from urllib.parse import quote, quote_plus, unquote_plus

from explorer.core.models import NetworkFailure, RequestSpec, ResponseRecord

MASK = "••••••"
_MIN_KNOWN_SECRET = 4

#: JSON/form/query keys whose values are secrets (compared lower-case, without ``_`` and ``-``).
SECRET_KEYS = frozenset(
    {
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "token",
        "clientsecret",
        "secret",
        "password",
        "passwd",
        "passphrase",
        "code",
        "codeverifier",
        "authorization",
        "apikey",
        "accesscode",
        "privatekey",
        "assertion",
        "clientassertion",
        "cookie",
        "setcookie",
        "sessionid",
        "session",
    }
)
#: keys that look secret by name but are not (shown as they are).
NOT_SECRET_KEYS = frozenset(
    {"tokentype", "tokenendpoint", "tokenurl", "codechallenge", "codechallengemethod", "state"}
)
#: keys holding personal data (masked with ``personal_data``).
PERSONAL_KEYS = frozenset(
    {
        "firstname",
        "lastname",
        "fullname",
        "displayname",
        "givenname",
        "familyname",
        "middlename",
        "nickname",
        "reviewername",
        "customername",
        "contactname",
        "email",
        "emailaddress",
        "phone",
        "phonenumber",
        "mobile",
        "mobilephone",
        "telephone",
        "phonenumbers",
        "address",
        "address1",
        "address2",
        "addressline1",
        "addressline2",
        "line1",
        "line2",
        "street",
        "streetaddress",
        "birthdate",
        "dateofbirth",
    }
)
#: objects whose ``name`` is a person's name.
PERSON_CONTAINERS = frozenset(
    {
        "customer",
        "customers",
        "reviewer",
        "user",
        "users",
        "contact",
        "sender",
        "recipient",
        "author",
        "owner",
        "person",
        "profile",
        "requester",
    }
)
#: header names masked whole (besides names containing one of :data:`_HEADER_WORDS`).
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
_HEADER_WORDS = ("token", "secret", "key", "auth", "password", "session")
#: headers that merely describe authentication; their values go through text patterns.
_DESCRIPTIVE_HEADERS = frozenset(
    {
        "www-authenticate",
        "proxy-authenticate",
        "access-control-allow-headers",
        "access-control-expose-headers",
        "keep-alive",
    }
)
_ERROR_SIBLINGS = frozenset({"error", "message", "detail", "title", "status", "errors"})

_REFERENCE = re.compile(r"\s*\{\{\s*[\w.\-]+\s*\}\}\s*")
_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]*")
_BEARER = re.compile(r"\b(Bearer)(\s+)(?!\{\{)[A-Za-z0-9\-._~+/]{12,}=*", re.IGNORECASE)
_BASIC = re.compile(r"\b(Basic)(\s+)([A-Za-z0-9+/]{6,}={0,2})", re.IGNORECASE)
_KEY_VALUE = re.compile(
    r"(?i)(access_token|refresh_token|id_token|client_secret|code_verifier|password|api_key"
    r"|apikey|client_assertion)(\\?[\"']?\s*[:=]\s*\\?[\"']?)(?!\{\{)([^\s\"'\\&,;}<>]+)"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{8,15}"  # E.164
    r"|(?:\+?1[\s.\-]?)?\(\d{3}\)[\s.\-]?\d{3}[\s.\-]\d{4}"  # (561) 555-0142
    r"|(?:\+?1[\s.\-])?\d{3}[.\-\s]\d{3}[.\-\s]\d{4}"  # 561-555-0142
    r")(?![\w])"
)
_PHONE_ANCHOR = re.compile(r"[.\-\s]\d{3}[.\-\s]\d{4}(?!\w)")
_BARE_PHONE = re.compile(r"\+?1?\d{10}")
_STREET_SUFFIX = (
    r"St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Ct|Court|Way|Pl|Place"
    r"|Ter|Terrace|Pkwy|Parkway|Cir|Circle|Hwy|Highway|Sq|Square|Trl|Trail"
)
_STREET = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z0-9][A-Za-z0-9'\-]*\s+){1,4}"
    rf"(?:{_STREET_SUFFIX})\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|#)\.?\s*[\w\-]+)?"
)
_STREET_ANCHOR = re.compile(rf"\s(?:{_STREET_SUFFIX})\b")
_KEY_WORDS = (
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "code_verifier",
    "password",
    "api_key",
    "apikey",
    "client_assertion",
)
_FORM_PAIR = re.compile(r"^[\w.\-\[\]%]+=[^&]*(?:&[\w.\-\[\]%]+=[^&]*)*$")


def _norm(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "").replace(".", "")


def is_reference(value: str) -> bool:
    """True when ``value`` is only a ``{{variable}}`` reference (never a secret)."""
    return _REFERENCE.fullmatch(value) is not None


def is_secret_key(key: str) -> bool:
    """True when a JSON, form or query key names a secret value."""
    norm = _norm(key)
    if norm in NOT_SECRET_KEYS:
        return False
    return (
        norm in SECRET_KEYS
        or norm.endswith(("token", "secret", "password"))
        or "password" in norm
        or "secret" in norm
    )


def is_secret_header(name: str) -> bool:
    """True when a header's whole value is a credential."""
    lowered = name.strip().lower()
    if lowered in _DESCRIPTIVE_HEADERS:
        return False
    return lowered in SECRET_HEADERS or any(word in lowered for word in _HEADER_WORDS)


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


class _Kind(IntEnum):
    """How a JSON/form key is judged (cached per key)."""

    PLAIN = 0
    SECRET = 1
    CODE = 2  # secret unless it sits in an error object
    PERSONAL = 3
    NAME = 4  # personal inside a person-like object
    PHONE_LIKE = 5  # personal when it holds ten bare digits
    PERSON_CONTAINER = 6  # an object about a person (its "name" is personal)


def _classify(key: str) -> _Kind:
    norm = _norm(key)
    if is_secret_key(key):
        return _Kind.CODE if norm == "code" else _Kind.SECRET
    if norm in PERSONAL_KEYS:
        return _Kind.PERSONAL
    if norm == "name":
        return _Kind.NAME
    if "phone" in norm:
        return _Kind.PHONE_LIKE
    if norm in PERSON_CONTAINERS:
        return _Kind.PERSON_CONTAINER
    return _Kind.PLAIN


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
            if not isinstance(value, str) or len(value) < _MIN_KNOWN_SECRET:
                continue
            variants.update(
                {value, json.dumps(value)[1:-1], quote(value, safe=""), quote_plus(value, safe="")}
            )
        self._known = tuple(sorted(variants, key=len, reverse=True))
        self._kinds: dict[str, _Kind] = {}

    @property
    def is_identity(self) -> bool:
        """True when this redactor changes nothing (secrets explicitly requested)."""
        return not self.policy.secrets and not self.policy.personal_data

    # -- text -------------------------------------------------------------------------
    def redact_text(self, text: str) -> str:
        """Mask known secrets, credentials and (with personal data) contacts in free text."""
        if not isinstance(text, str) or not text:
            return text
        if self.policy.secrets:
            for value in self._known:
                if value in text:
                    text = text.replace(value, MASK)
            if "eyJ" in text:
                text = _JWT.sub(MASK, text)
            lowered = _lower_same_length(text)
            for words, pattern, repl in _CREDENTIAL_PATTERNS:
                anchors = _find_all(lowered, words)
                if anchors:
                    before = text
                    text = _sub_near(text, anchors, pattern, repl)
                    if text is not before:
                        lowered = _lower_same_length(text)
        if self.policy.personal_data:
            if "@" in text:
                text = _sub_near(
                    text, _find_all(text, ("@",)), _EMAIL, _mask, before=256, after=256
                )
            anchors = sorted(
                {m.start() for m in _PHONE_ANCHOR.finditer(text)} | set(_find_all(text, ("+", "(")))
            )
            text = _sub_near(text, anchors, _PHONE, _mask, before=12, after=40)
            anchors = [m.start() for m in _STREET_ANCHOR.finditer(text)]
            text = _sub_near(text, anchors, _STREET, _mask, before=160, after=60)
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
                return ";".join(_mask_cookie(part) for part in value.split(";"))
            if lowered == "set-cookie":
                first, sep, attributes = value.partition(";")
                return _mask_cookie(first) + sep + attributes
            return MASK if value else value
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

    def _kind(self, key: str) -> _Kind:
        kind = self._kinds.get(key)
        if kind is None:
            kind = _classify(key)
            if len(self._kinds) < 4096:
                self._kinds[key] = kind
        return kind

    def _walk(self, obj: Any, parent: str | None, text: bool) -> Any:
        """``obj`` itself when nothing changed, else a redacted copy."""
        kinds = self._kinds
        if type(obj) is dict:
            out: dict[Any, Any] | None = None
            for key, value in obj.items():
                kind = kinds.get(key) if type(key) is str else _Kind.PLAIN
                if kind is None:
                    kind = self._kind(key)
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

    def _masks(self, kind: _Kind, key: str, parent: str | None, value: Any, siblings: Any) -> bool:
        if value is None or value == "" or isinstance(value, bool):
            return False
        if isinstance(value, str) and is_reference(value):
            return False
        if kind is _Kind.PERSON_CONTAINER:
            return False
        if kind in (_Kind.SECRET, _Kind.CODE):
            if not self.policy.secrets:
                return False
            if kind is _Kind.CODE:
                # An error body's "code" is an error code, not an authorization code.
                error_like = isinstance(siblings, dict) and any(
                    isinstance(k, str) and k.lower() in _ERROR_SIBLINGS for k in siblings
                )
                return not (error_like or isinstance(value, int))
            return True
        if not self.policy.personal_data:
            return False
        if kind is _Kind.PERSONAL:
            return True
        if kind is _Kind.NAME:
            return parent is not None and self._kind(parent) is _Kind.PERSON_CONTAINER
        return (
            kind is _Kind.PHONE_LIKE
            and isinstance(value, (str, int))
            and _BARE_PHONE.fullmatch(str(value)) is not None
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
            not ctype and "\n" not in text and _FORM_PAIR.match(text.strip())
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


def _mask_cookie(part: str) -> str:
    name, sep, _value = part.partition("=")
    if sep:
        return f"{name}={MASK}"
    return MASK if part.strip() else part


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare character whose lower case is longer
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered


def _mask(_match: re.Match[str]) -> str:
    return MASK


def _keep_prefix(match: re.Match[str]) -> str:
    return f"{match.group(1)}{match.group(2)}{MASK}"


def _find_all(text: str, needles: Iterable[str]) -> list[int]:
    """Every start index of every needle, ascending (plain ``str.find``: fast)."""
    found: list[int] = []
    for needle in needles:
        index = text.find(needle)
        while index >= 0:
            found.append(index)
            index = text.find(needle, index + 1)
    found.sort()
    return found


def _sub_near(
    text: str,
    anchors: Sequence[int],
    pattern: re.Pattern[str],
    repl: Callable[[re.Match[str]], str],
    *,
    before: int = 0,
    after: int = 0,
) -> str:
    """Replace the matches of ``pattern`` that cover an anchor, searching only near anchors.

    With ``before == after == 0`` the match must start at the anchor.
    """
    if not anchors:
        return text
    out: list[str] = []
    last = 0
    size = len(text)
    for anchor in anchors:
        if anchor < last:
            continue
        if before == 0 and after == 0:
            match = pattern.match(text, anchor)
        else:
            end = min(size, anchor + after)
            match = pattern.search(text, max(last, anchor - before), end)
            while match is not None and match.end() <= anchor:
                match = pattern.search(text, max(match.end(), match.start() + 1), end)
            if match is not None and (match.start() > anchor or match.end() >= end < size):
                match = None
        if match is None:
            continue
        replacement = repl(match)
        if replacement == match.group(0):
            continue
        out.append(text[last : match.start()])
        out.append(replacement)
        last = match.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _basic_repl(match: re.Match[str]) -> str:
    token = match.group(3)
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
    except (binascii.Error, ValueError):
        return match.group(0)
    if b":" in decoded:
        return f"{match.group(1)}{match.group(2)}{MASK}"
    return match.group(0)


_CREDENTIAL_PATTERNS: tuple[
    tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str]], ...
] = (
    (("bearer",), _BEARER, _keep_prefix),
    (("basic",), _BASIC, _basic_repl),
    (_KEY_WORDS, _KEY_VALUE, _keep_prefix),
)


def redactor_for_output(redact: bool, known_secrets: Sequence[str] = ()) -> Redactor:
    """The redactor for printed output (``call --redact``, copy as curl).

    ``redact=True``: secrets and personal data masked (presentation policy).
    ``redact=False``: the user explicitly asked for the real values; nothing is masked.
    """
    if redact:
        return Redactor(RedactionPolicy.for_presentation(known_secrets))
    return Redactor(RedactionPolicy(secrets=False, personal_data=False))
