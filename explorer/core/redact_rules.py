"""The rules of redaction: which keys, headers and text patterns hold secrets or personal data.

:mod:`explorer.core.redact` applies them; this module only names them, plus the small
text helpers that keep a scan of a large body fast (find cheap anchors such as ``@`` or a
keyword first, then run the full pattern only around each anchor).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Sequence
from enum import IntEnum

MASK = "••••••"
MIN_KNOWN_SECRET = 4

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
#: header names masked whole (besides names containing one of :data:`HEADER_WORDS`).
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
HEADER_WORDS = ("token", "secret", "key", "auth", "password", "session")
#: headers that merely describe authentication; their values go through text patterns.
DESCRIPTIVE_HEADERS = frozenset(
    {
        "www-authenticate",
        "proxy-authenticate",
        "access-control-allow-headers",
        "access-control-expose-headers",
        "keep-alive",
    }
)
#: objects whose ``value`` is a credential (a webhook's ``auth: {header, value}``).
AUTH_CONTAINERS = frozenset(
    {"auth", "authentication", "credential", "credentials", "webhookauth", "basicauth"}
)
#: headers whose value is a URL (a redirect's ``?code=`` is an authorization code).
URL_HEADERS = frozenset({"location", "content-location", "referer", "origin"})
#: headers holding ``<URL>; rel=...`` lists.
LINK_HEADERS = frozenset({"link"})
LINK_TARGET = re.compile(r"<([^<>]*)>")
ERROR_SIBLINGS = frozenset({"error", "message", "detail", "title", "status", "errors"})

REFERENCE = re.compile(r"\s*\{\{\s*[\w.\-]+\s*\}\}\s*")
JWT = re.compile(r"eyJ[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]*")
BEARER = re.compile(r"\b(Bearer)(\s+)(?!\{\{)[A-Za-z0-9\-._~+/]{12,}=*", re.IGNORECASE)
BASIC = re.compile(r"\b(Basic)(\s+)([A-Za-z0-9+/]{6,}={0,2})", re.IGNORECASE)
KEY_VALUE = re.compile(
    r"(?i)(access_token|refresh_token|id_token|client_secret|code_verifier|password|api_key"
    r"|apikey|client_assertion)(\\?[\"']?\s*[:=]\s*\\?[\"']?)(?!\{\{)([^\s\"'\\&,;}<>]+)"
)
#: ``token=...``, ``secret=...`` and ``'token': '...'`` in free text (query strings, form
#: bodies, exception messages quoting a dict); a bare ``token: word`` in prose is left alone.
BARE_KEY_VALUE = re.compile(
    r"(?i)(?<![\w\-])(token|secret|passwd|passphrase|assertion)"
    r"(\s*=\s*\\?[\"']?|\\?[\"']\s*[:=]\s*\\?[\"']?)(?!\{\{)([^\s\"'\\&,;}<>]+)"
)
#: an authorization code in a redirect's query string or fragment (``?code=...``).
QUERY_CODE = re.compile(r"(?i)([?&#;]code)(=)(?!\{\{)([^\s\"'&#;<>]+)")
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{8,15}"  # E.164
    r"|(?:\+?1[\s.\-]?)?\(\d{3}\)[\s.\-]?\d{3}[\s.\-]\d{4}"  # (561) 555-0142
    r"|(?:\+?1[\s.\-])?\d{3}[.\-\s]\d{3}[.\-\s]\d{4}"  # 561-555-0142
    r")(?![\w])"
)
PHONE_ANCHOR = re.compile(r"[.\-\s]\d{3}[.\-\s]\d{4}(?!\w)")
BARE_PHONE = re.compile(r"\+?1?\d{10}")
STREET_SUFFIX = (
    r"St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Ct|Court|Way|Pl|Place"
    r"|Ter|Terrace|Pkwy|Parkway|Cir|Circle|Hwy|Highway|Sq|Square|Trl|Trail"
)
STREET = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z0-9][A-Za-z0-9'\-]*\s+){1,4}"
    rf"(?:{STREET_SUFFIX})\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|#)\.?\s*[\w\-]+)?"
)
STREET_ANCHOR = re.compile(rf"\s(?:{STREET_SUFFIX})\b")
KEY_WORDS = (
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
FORM_PAIR = re.compile(r"^[\w.\-\[\]%]+=[^&]*(?:&[\w.\-\[\]%]+=[^&]*)*$")


def normalize_key(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "").replace(".", "")


def is_reference(value: str) -> bool:
    """True when ``value`` is only a ``{{variable}}`` reference (never a secret)."""
    return REFERENCE.fullmatch(value) is not None


def is_secret_key(key: str) -> bool:
    """True when a JSON, form or query key names a secret value."""
    norm = normalize_key(key)
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
    if lowered in DESCRIPTIVE_HEADERS:
        return False
    return lowered in SECRET_HEADERS or any(word in lowered for word in HEADER_WORDS)


def holds_credential_value(obj: dict[object, object], parent: str | None) -> bool:
    """True when ``obj["value"]`` is a credential: ``obj`` sits under an ``auth``-like key,
    names a header (``{"header": ..., "value": ...}``), or is a ``{"name", "value"}`` pair
    whose name is a secret header or key."""
    if parent is not None and normalize_key(parent) in AUTH_CONTAINERS:
        return True
    for key, sibling in obj.items():
        if not isinstance(key, str):
            continue
        norm = normalize_key(key)
        if norm == "header":
            return True
        secret_name = isinstance(sibling, str) and (
            is_secret_key(sibling) or is_secret_header(sibling)
        )
        if norm == "name" and secret_name:
            return True
    return False


class Kind(IntEnum):
    """How a JSON/form key is judged (cached per key)."""

    PLAIN = 0
    SECRET = 1
    CODE = 2  # secret unless it sits in an error object
    PERSONAL = 3
    NAME = 4  # personal inside a person-like object
    PHONE_LIKE = 5  # personal when it holds ten bare digits
    PERSON_CONTAINER = 6  # an object about a person (its "name" is personal)


def classify(key: str) -> Kind:
    norm = normalize_key(key)
    if is_secret_key(key):
        return Kind.CODE if norm == "code" else Kind.SECRET
    if norm in PERSONAL_KEYS:
        return Kind.PERSONAL
    if norm == "name":
        return Kind.NAME
    if "phone" in norm:
        return Kind.PHONE_LIKE
    if norm in PERSON_CONTAINERS:
        return Kind.PERSON_CONTAINER
    return Kind.PLAIN


def mask_cookie(part: str) -> str:
    name, sep, _value = part.partition("=")
    if sep:
        return f"{name}={MASK}"
    return MASK if part.strip() else part


def lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare character whose lower case is longer
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered


def mask(_match: re.Match[str]) -> str:
    return MASK


def keep_prefix(match: re.Match[str]) -> str:
    return f"{match.group(1)}{match.group(2)}{MASK}"


def find_all(text: str, needles: Iterable[str]) -> list[int]:
    """Every start index of every needle, ascending (plain ``str.find``: fast)."""
    found: list[int] = []
    for needle in needles:
        index = text.find(needle)
        while index >= 0:
            found.append(index)
            index = text.find(needle, index + 1)
    found.sort()
    return found


def sub_near(
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


def basic_repl(match: re.Match[str]) -> str:
    token = match.group(3)
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
    except (binascii.Error, ValueError):
        return match.group(0)
    if b":" in decoded:
        return f"{match.group(1)}{match.group(2)}{MASK}"
    return match.group(0)


CREDENTIAL_PATTERNS: tuple[
    tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str]], ...
] = (
    (("bearer",), BEARER, keep_prefix),
    (("basic",), BASIC, basic_repl),
    (KEY_WORDS, KEY_VALUE, keep_prefix),
    (("token", "secret", "passwd", "passphrase", "assertion"), BARE_KEY_VALUE, keep_prefix),
    (("?code=", "&code=", "#code=", ";code="), QUERY_CODE, keep_prefix),
)
