"""The HTTP meaning of a status, for a host that is not Thumbtack's (RFC 9110 and friends).

:func:`classify_http` gives the :class:`~explorer.core.status.StatusInfo` the badge, the
CLI and the explanation share: the standard reason phrase (Python's ``http.HTTPStatus``),
what the standard says the code means, and what the response's own headers add (the
``WWW-Authenticate`` scheme of a 401, the ``Location`` of a redirect, whether a 304
answers a conditional request, the ``Retry-After`` of a 429 or 503). Nothing here
mentions Thumbtack: its meanings are in :mod:`explorer.core.status`.
"""

from __future__ import annotations

import re
from http import HTTPStatus

from explorer.core.models import StatusClass
from explorer.core.status import (
    RFC9110_URL,
    Headers,
    StatusIcon,
    StatusInfo,
    header_value,
    parse_retry_after,
)

#: What the standard says, where Python's one-line description is too thin.
_MEANINGS: dict[int, str] = {
    200: "OK: the request succeeded",
    201: "Created: the request created a resource (its URL is in Location, when sent)",
    202: "Accepted: the request was accepted for processing, which may not have finished "
    "yet; nothing says it will succeed",
    203: "Non-Authoritative Information: a proxy changed the successful answer",
    204: "No Content: the request succeeded and there is no body",
    205: "Reset Content: the request succeeded; reset the form that sent it",
    206: "Partial Content: part of the resource, as a Range request asked",
    400: "Bad Request: the server cannot process the request as sent (syntax, framing or "
    "invalid values)",
    403: "Forbidden: the server understood the request and refuses it; other credentials "
    "may not help",
    404: "Not Found: the server has nothing at this URL (or will not say it has)",
    405: "Method Not Allowed: this URL does not accept this method",
    406: "Not Acceptable: no representation matches the request's Accept headers",
    408: "Request Timeout: the server gave up waiting for the whole request",
    409: "Conflict: the request conflicts with the resource's current state",
    410: "Gone: the resource was here and has been removed for good",
    411: "Length Required: the server wants a Content-Length",
    412: "Precondition Failed: a condition in the request's headers (If-Match, "
    "If-Unmodified-Since) is false",
    413: "Content Too Large: the body is bigger than the server accepts",
    414: "URI Too Long: the URL is longer than the server accepts",
    415: "Unsupported Media Type: the server does not accept the body's Content-Type or "
    "Content-Encoding",
    416: "Range Not Satisfiable: the Range asked for is outside the resource",
    417: "Expectation Failed: the server cannot meet the Expect header",
    421: "Misdirected Request: this server does not answer for this host",
    422: "Unprocessable Content: the body is well formed but its content is not valid",
    425: "Too Early: the server will not risk processing a replayable early request",
    426: "Upgrade Required: use the protocol the Upgrade header names",
    428: "Precondition Required: the server wants a conditional request (If-Match)",
    429: "Too Many Requests: slow down",
    431: "Request Header Fields Too Large: the headers are bigger than the server accepts",
    451: "Unavailable For Legal Reasons: the server may not serve this resource",
    500: "Internal Server Error: the server failed; the request may have been fine",
    501: "Not Implemented: the server does not support what the request needs",
    502: "Bad Gateway: a gateway or proxy got no valid answer from the server behind it",
    503: "Service Unavailable: the server cannot answer now (overload or maintenance)",
    504: "Gateway Timeout: a gateway or proxy did not get an answer in time",
    505: "HTTP Version Not Supported",
}

_CLASS_BY_CODE: dict[int, tuple[StatusClass, StatusIcon]] = {
    400: (StatusClass.BAD_REQUEST, StatusIcon.ERROR),
    401: (StatusClass.AUTH_ERROR, StatusIcon.LOCK),
    403: (StatusClass.FORBIDDEN, StatusIcon.LOCK),
    404: (StatusClass.NOT_FOUND, StatusIcon.ERROR),
    407: (StatusClass.AUTH_ERROR, StatusIcon.LOCK),
    429: (StatusClass.RATE_LIMITED, StatusIcon.CLOCK),
    451: (StatusClass.LEGAL, StatusIcon.ERROR),
}

#: Codes RFC 9110 defines (its anchors are ``#status.<code>``); others and their RFCs.
_RFC9110 = frozenset(
    {100, 101, *range(200, 207), *range(300, 306), 307, 308, *range(400, 418), 421, 422, 426}
    | set(range(500, 506))
)
_OTHER_RFC = {
    428: "https://www.rfc-editor.org/rfc/rfc6585#section-3",
    429: "https://www.rfc-editor.org/rfc/rfc6585#section-4",
    431: "https://www.rfc-editor.org/rfc/rfc6585#section-5",
    511: "https://www.rfc-editor.org/rfc/rfc6585#section-6",
    451: "https://www.rfc-editor.org/rfc/rfc7725#section-3",
    425: "https://www.rfc-editor.org/rfc/rfc8470#section-5.2",
}


def doc_url(status: int) -> str:
    """Where the standard defines ``status`` ('' when it is not a standard code)."""
    if status in _RFC9110:
        return f"{RFC9110_URL}#status.{status}"
    return _OTHER_RFC.get(status, "")


_SCHEME = re.compile(r"^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(.*)$")
_REALM = re.compile(r'realm\s*=\s*"?([^",]*)"?', re.IGNORECASE)
_CONDITIONAL = ("if-none-match", "if-modified-since")


def phrase(status: int) -> str:
    """The standard reason phrase of ``status`` ('' for a code the standard lacks)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def challenge_text(value: str | None) -> str:
    """A ``WWW-Authenticate`` value in words: ``Basic (realm "Fake Realm")``."""
    if not value or not value.strip():
        return ""
    match = _SCHEME.match(value)
    if match is None:
        return value.strip()[:120]
    scheme = match.group(1)
    realm = _REALM.search(match.group(2) or "")
    return f'{scheme} (realm "{realm.group(1)}")' if realm else scheme


def challenge_scheme(value: str | None) -> str:
    """The first scheme of a ``WWW-Authenticate`` value (``Basic``, ``Bearer``), or ''."""
    match = _SCHEME.match(value or "")
    return match.group(1) if match else ""


def _base(status: int) -> tuple[StatusClass, StatusIcon]:
    if status in _CLASS_BY_CODE:
        return _CLASS_BY_CODE[status]
    first = status // 100
    return {
        1: (StatusClass.INFORMATIONAL, StatusIcon.INFO),
        2: (StatusClass.SUCCESS, StatusIcon.OK),
        3: (StatusClass.REDIRECT, StatusIcon.REDIRECT),
        4: (StatusClass.CLIENT_ERROR, StatusIcon.ERROR),
        5: (StatusClass.SERVER_ERROR, StatusIcon.ERROR),
    }.get(first, (StatusClass.UNKNOWN, StatusIcon.UNKNOWN))


def _meaning(status: int, standard: str) -> str:
    if status in _MEANINGS:
        return _MEANINGS[status]
    try:
        description = HTTPStatus(status).description
    except ValueError:
        description = ""
    name = standard or f"Status {status}"
    description = description.rstrip(".")
    return f"{name}: {description[:1].lower()}{description[1:]}" if description else name


def classify_http(
    status: int,
    *,
    headers: Headers | None = None,
    reason: str = "",
    request_headers: Headers | None = None,
) -> StatusInfo:
    """The HTTP meaning of ``status`` with what the headers add."""
    standard = phrase(status)
    status_class, icon = _base(status)
    meaning = _meaning(status, standard)
    retry_after_s: float | None = None
    location = (header_value(headers, "location") or "").strip()
    if status == 304:
        conditional = [h for h in _CONDITIONAL if header_value(request_headers, h) is not None]
        if conditional:
            status_class, icon = StatusClass.SUCCESS, StatusIcon.OK
            meaning = (
                "Not Modified: the copy the request named ("
                + " and ".join(h.title() for h in conditional)
                + ") is still current; nothing is sent again"
            )
        else:
            meaning = (
                "Not Modified, though the request sent no If-None-Match or "
                "If-Modified-Since (a cache between here and the server may have added one)"
            )
    elif 300 <= status < 400:
        target = (
            f"is at {location[:300]}" if location else "is elsewhere, but no Location says where"
        )
        meaning = f"{standard or 'Redirect'}: the answer {target}"
    elif status in (401, 407):
        name = "WWW-Authenticate" if status == 401 else "Proxy-Authenticate"
        challenge = challenge_text(header_value(headers, name))
        who = "the server" if status == 401 else "the proxy"
        meaning = f"{standard}: {who} wants credentials" + (
            f" ({name}: {challenge})" if challenge else f", and sent no {name} header"
        )
    if status in (429, 503) or header_value(headers, "retry-after") is not None:
        retry_after_s = parse_retry_after(header_value(headers, "retry-after"))
        if retry_after_s is not None:
            meaning += f"; retry after {retry_after_s:g} s"
        elif status == 429:
            meaning += "; there is no Retry-After, so back off"
    short = standard or reason.strip()[:40] or "Unknown"
    known = bool(standard)
    return StatusInfo(
        status_class=status_class,
        code=status,
        label=f"{status} {short}",
        meaning=meaning,
        icon=icon,
        documented=known,
        retry_after_s=retry_after_s,
        doc_url=doc_url(status),
        source="http",
    )
