"""The one classification of a response, used by every view (badge, history, CLI, explanation).

:func:`classify` turns a :class:`ResponseRecord` into a :class:`StatusInfo`: the status
class, a short badge label, the documented meaning from Thumbtack's status-code table
(troubleshooting page), an icon name and whether the meaning is documented. Colours are
not chosen here: a view picks them from ``status_class``. :func:`legend` gives the rows of
the hover legend. Nothing here raises on odd input.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from explorer.core.explain_body import required_scopes
from explorer.core.models import (
    Explanation,
    NetworkFailureKind,
    RequestSpec,
    ResponseRecord,
    Severity,
    StatusClass,
)

TROUBLESHOOTING_URL = "https://developers.thumbtack.com/docs/getting-started/troubleshooting"
#: Where each HTTP status is defined (the anchor is ``status.<code>``).
RFC9110_URL = "https://httpwg.org/specs/rfc9110.html"

#: Text used where a 429 carries no Retry-After header.
NO_RETRY_AFTER = "no Retry-After: Thumbtack documents none, back off"

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


class HostKind(StrEnum):
    """Which server answered: the OAuth token server or the API (``any`` in rules only)."""

    TOKEN = "token"
    API = "api"
    ANY = "any"


class StatusIcon(StrEnum):
    """Icon names the views map to pictures; text always goes beside them."""

    OK = "ok"
    INFO = "info"
    REDIRECT = "redirect"
    WARNING = "warning"
    ERROR = "error"
    LOCK = "lock"
    CLOCK = "clock"
    NETWORK = "network"
    UNKNOWN = "unknown"


@dataclass(frozen=True, kw_only=True)
class StatusInfo:
    """What a response means at a glance.

    ``documented`` is True where the meaning is a row of Thumbtack's status table (or the
    documented ``proxy_oauth_failed`` body); network failures and codes the table does not
    list are False. ``retry_after_s`` is set for a 429 with a usable Retry-After header.
    """

    status_class: StatusClass
    code: int | None
    label: str
    meaning: str
    icon: StatusIcon
    documented: bool
    retry_after_s: float | None = None
    doc_url: str = ""
    #: Whose meaning this is: "thumbtack" (Thumbtack's status table, for its hosts) or
    #: "http" (the HTTP standard, for any other host).
    source: str = "thumbtack"

    @property
    def ok(self) -> bool:
        """Whether the request did what was asked (the CLI's exit code 0)."""
        return self.status_class is StatusClass.SUCCESS


_TABLE: dict[int, tuple[StatusClass, str, str, StatusIcon]] = {
    200: (StatusClass.SUCCESS, "OK", "OK", StatusIcon.OK),
    202: (
        StatusClass.CHALLENGE,
        "Challenge",
        "challenge: the request did not reach the API (the firewall's silent challenge)",
        StatusIcon.WARNING,
    ),
    400: (
        StatusClass.BAD_REQUEST,
        "Bad request",
        "Bad Request: often a missing required parameter",
        StatusIcon.ERROR,
    ),
    401: (
        StatusClass.AUTH_ERROR,
        "Unauthorized",
        "Unauthorized: invalid auth key",
        StatusIcon.LOCK,
    ),
    403: (
        StatusClass.FORBIDDEN,
        "Forbidden",
        "Forbidden: blocked IP or User-Agent",
        StatusIcon.LOCK,
    ),
    404: (StatusClass.NOT_FOUND, "Not found", "the resource does not exist", StatusIcon.ERROR),
    429: (
        StatusClass.RATE_LIMITED,
        "Rate limited",
        "Rate limited: too many requests too quickly",
        StatusIcon.CLOCK,
    ),
    451: (
        StatusClass.LEGAL,
        "Unavailable for legal reasons",
        "the request came from a sanctioned country",
        StatusIcon.ERROR,
    ),
}

_NETWORK_LABELS: dict[NetworkFailureKind, tuple[str, str]] = {
    NetworkFailureKind.DNS: ("DNS", "the host name could not be resolved"),
    NetworkFailureKind.REFUSED: ("refused", "nothing accepted the connection on that port"),
    NetworkFailureKind.TLS: ("TLS", "the secure connection failed (certificate or handshake)"),
    NetworkFailureKind.CONNECT_TIMEOUT: (
        "connect timeout",
        "the connection was not set up in time",
    ),
    NetworkFailureKind.READ_TIMEOUT: ("read timeout", "the server did not answer in time"),
    NetworkFailureKind.WRITE_TIMEOUT: ("write timeout", "the request could not be sent in time"),
    NetworkFailureKind.POOL_TIMEOUT: ("pool timeout", "no free connection in time"),
    NetworkFailureKind.RESET: ("reset", "the connection was closed or reset mid-way"),
    NetworkFailureKind.PROTOCOL: ("protocol error", "the answer was not valid HTTP"),
    NetworkFailureKind.PROXY: ("proxy", "the proxy refused or failed the request"),
    NetworkFailureKind.INVALID_URL: ("invalid URL", "the URL cannot be requested"),
    NetworkFailureKind.INVALID_HEADER: ("invalid header", "a header of the request is not valid"),
    NetworkFailureKind.TOO_MANY_REDIRECTS: ("too many redirects", "the redirects did not end"),
    NetworkFailureKind.CANCELLED: ("cancelled", "the request was cancelled"),
    NetworkFailureKind.OTHER: ("failed", "the request failed before any response came back"),
}


def infer_host_kind(url: str | None) -> HostKind:
    """``token`` for the OAuth server (``/oauth2/token`` or an ``auth.`` host), else ``api``."""
    if not url:
        return HostKind.API
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        path = parts.path.rstrip("/").lower()
    except ValueError:
        return HostKind.API
    if path.endswith(("/oauth2/token", "/oauth2/auth")) or host.startswith(
        ("auth.", "staging-auth.")
    ):
        return HostKind.TOKEN
    return HostKind.API


def header_value(headers: Headers | None, name: str) -> str | None:
    """The first value of header ``name`` (any casing), or None."""
    if headers is None:
        return None
    lowered = name.lower()
    items = headers.items() if isinstance(headers, Mapping) else headers
    try:
        for key, value in items:
            if str(key).strip().lower() == lowered:
                return str(value)
    except (TypeError, ValueError):
        return None
    return None


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date), or None."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def _body_error(body_json: Any) -> str | None:
    if not isinstance(body_json, Mapping):
        return None
    for key, value in body_json.items():
        if isinstance(key, str) and key.strip().lower() == "error" and isinstance(value, str):
            return value.strip().lower()
    return None


def _missing_scopes(body_json: Any) -> tuple[str, ...]:
    """The scopes a 401 body's ``detail`` says are missing ("required scope(s) [...]")."""
    if not isinstance(body_json, Mapping):
        return ()
    for key, value in body_json.items():
        if isinstance(key, str) and key.lower() == "detail" and isinstance(value, str):
            return required_scopes(value)
    return ()


#: Where the token server's answer means something else than the API's same status.
_TOKEN_SERVER_MEANINGS: dict[int, str] = {
    401: "Unauthorized: the token server refused the client",
}


def is_thumbtack_host(host: str) -> bool:
    """Whether ``host`` is one of Thumbtack's (thumbtack.com or a name under it)."""
    host = host.strip().rstrip(".").lower()
    return host == "thumbtack.com" or host.endswith(".thumbtack.com")


def thumbtack_meanings(spec: RequestSpec | None = None, *, url: str = "") -> bool:
    """Whether Thumbtack's documented meanings apply to the answer to ``spec``.

    The request says so when it was built for an environment (the presets, the Sandbox,
    or one the user marked as Thumbtack's); otherwise the host decides: Thumbtack's own
    hosts yes, any other host no. With no URL at all the subject is Thumbtack's API.
    """
    if spec is not None and spec.thumbtack is not None:
        return spec.thumbtack
    target = url or (spec.url if spec is not None else "")
    if not target.strip():
        return True
    try:
        host = urlsplit(target.strip()).hostname or ""
    except ValueError:
        return False
    return is_thumbtack_host(host)


def with_meanings(spec: RequestSpec, *, base_url: str, thumbtack: bool) -> RequestSpec:
    """``spec`` marked with whether Thumbtack's meanings apply, when it goes to the
    environment at ``base_url`` (a request to another origin is left to its host)."""
    if spec.thumbtack is not None or not base_url:
        return spec
    try:
        same = _origin(spec.url) == _origin(base_url)
    except ValueError:
        return spec
    return replace(spec, thumbtack=thumbtack) if same else spec


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url.strip())
    return parts.scheme.lower(), parts.netloc.lower()


def classify_status(
    status: int | None,
    *,
    body_json: Any = None,
    host_kind: HostKind | str = HostKind.API,
    headers: Headers | None = None,
    reason: str = "",
    thumbtack: bool = True,
    request_headers: Headers | None = None,
) -> StatusInfo:
    """Classify an HTTP status (with the parsed body and headers where known).

    ``thumbtack`` False gives the HTTP meaning (RFC 9110) for a host that is not
    Thumbtack's; ``request_headers`` then tell a conditional request's 304 apart."""
    if not thumbtack and isinstance(status, int) and not isinstance(status, bool):
        from explorer.core.http_status import classify_http

        return classify_http(
            status, headers=headers, reason=reason, request_headers=request_headers
        )
    if status is None or not isinstance(status, int) or isinstance(status, bool):
        return StatusInfo(
            status_class=StatusClass.UNKNOWN,
            code=None,
            label="No response",
            meaning="no HTTP status is known for this request",
            icon=StatusIcon.UNKNOWN,
            documented=False,
        )
    error = _body_error(body_json)
    if error == "proxy_oauth_failed":
        return StatusInfo(
            status_class=StatusClass.SETUP_ERROR,
            code=status,
            label=f"{status} Set-up error",
            meaning="invalid audience parameter (proxy_oauth_failed): a set-up error, "
            "not an outage",
            icon=StatusIcon.WARNING,
            documented=True,
            doc_url=TROUBLESHOOTING_URL,
        )
    if status in _TABLE:
        status_class, short, meaning, icon = _TABLE[status]
        if host_kind == HostKind.TOKEN and status in _TOKEN_SERVER_MEANINGS:
            meaning = _TOKEN_SERVER_MEANINGS[status]
        elif status == 401 and (scopes := _missing_scopes(body_json)):
            short = "Missing scope"
            meaning = (
                f"Unauthorized: the token lacks the scope {' '.join(scopes)} (the 401 "
                "'required scope(s) [...] not found' seen in real traffic)"
            )
        retry_after_s: float | None = None
        if status == 429:
            retry_after_s = parse_retry_after(header_value(headers, "retry-after"))
            meaning += (
                f"; retry after {retry_after_s:g} s"
                if retry_after_s is not None
                else f"; {NO_RETRY_AFTER}"
            )
        return StatusInfo(
            status_class=status_class,
            code=status,
            label=f"{status} {short}",
            meaning=meaning,
            icon=icon,
            documented=True,
            retry_after_s=retry_after_s,
            doc_url=TROUBLESHOOTING_URL,
        )
    return _by_range(status, reason)


@dataclass(frozen=True)
class _Range:
    """How a status class outside Thumbtack's table is shown."""

    first: int
    status_class: StatusClass
    fallback: str  # label text when there is no reason phrase
    use_reason: bool  # show the server's reason phrase when it sent one
    meaning: str
    icon: StatusIcon
    documented: bool = False
    doc_url: str = ""


_RANGES = (
    _Range(
        100,
        StatusClass.INFORMATIONAL,
        "Informational",
        True,
        "an interim response; not documented by Thumbtack",
        StatusIcon.INFO,
    ),
    _Range(
        200,
        StatusClass.SUCCESS,
        "Success",
        True,
        "success (this code is not in Thumbtack's status table)",
        StatusIcon.OK,
    ),
    _Range(
        300,
        StatusClass.REDIRECT,
        "Redirect",
        False,
        "a redirect: the answer is somewhere else (not documented by Thumbtack)",
        StatusIcon.REDIRECT,
    ),
    _Range(
        400,
        StatusClass.CLIENT_ERROR,
        "Client error",
        True,
        "a client error not in Thumbtack's status table",
        StatusIcon.ERROR,
    ),
    _Range(
        500,
        StatusClass.SERVER_ERROR,
        "Server error",
        False,
        "server error at Thumbtack: retry, and report the traceID",
        StatusIcon.ERROR,
        documented=True,
        doc_url=TROUBLESHOOTING_URL,
    ),
)


def _by_range(status: int, reason: str) -> StatusInfo:
    short = reason.strip()[:40]
    for item in _RANGES:
        if item.first <= status < item.first + 100:
            text = (short or item.fallback) if item.use_reason else item.fallback
            return StatusInfo(
                status_class=item.status_class,
                code=status,
                label=f"{status} {text}",
                meaning=item.meaning,
                icon=item.icon,
                documented=item.documented,
                doc_url=item.doc_url,
            )
    return StatusInfo(
        status_class=StatusClass.UNKNOWN,
        code=status,
        label=f"{status} Unknown",
        meaning="not a standard HTTP status",
        icon=StatusIcon.UNKNOWN,
        documented=False,
    )


def classify_failure(kind: NetworkFailureKind) -> StatusInfo:
    """The badge for a request that got no HTTP response."""
    short, meaning = _NETWORK_LABELS.get(kind, _NETWORK_LABELS[NetworkFailureKind.OTHER])
    return StatusInfo(
        status_class=StatusClass.NETWORK_ERROR,
        code=None,
        label=f"Network: {short}",
        meaning=meaning,
        icon=StatusIcon.CLOCK if kind.value.endswith("timeout") else StatusIcon.NETWORK,
        documented=False,
    )


def parse_json_body(body: bytes, *, limit: int = 2 * 1024 * 1024) -> Any:
    """The body as JSON (BOM and surrounding whitespace tolerated), or None."""
    if not body or len(body) > limit:
        return None
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return json.loads(body.decode(encoding))
        except (UnicodeDecodeError, ValueError, RecursionError):
            continue
    return None


def classify(record: ResponseRecord, *, host_kind: HostKind | str | None = None) -> StatusInfo:
    """Classify a response or failure: the one function every view uses."""
    try:
        if record.failure is not None:
            return classify_failure(record.failure.kind)
        url = record.url or record.request.url
        kind = (
            HostKind(host_kind)
            if isinstance(host_kind, str) and host_kind in (HostKind.TOKEN, HostKind.API)
            else infer_host_kind(url)
        )
        return classify_status(
            record.status,
            body_json=parse_json_body(record.body),
            host_kind=kind,
            headers=record.headers,
            reason=record.reason,
            thumbtack=thumbtack_meanings(record.request, url=url),
            request_headers=record.request.headers,
        )
    except Exception:  # a badge must always show something
        return classify_status(None)


#: Explanations that add nothing to the status table (the badge keeps the table's words).
_GENERIC_RULES = frozenset({"not-documented", "explanation-failed"})


def agreeing(info: StatusInfo, explanation: Explanation | None) -> StatusInfo:
    """The badge for a response whose explanation is known, so the two never disagree.

    The explanation engine classifies the response more finely than the status table (a
    missing scope on a 401 or 403, invalid_client on a 400, a 200 whose body is cut off):
    where its rule says more than the table, the badge's meaning is the explanation's
    finding and its status class the explanation's. A success whose explanation warns
    (the body is broken, or an HTML page came back) is not shown as a success.
    """
    if explanation is None or explanation.rule_id in _GENERIC_RULES:
        return info
    finding = _finding(explanation.title, info)
    status_class = explanation.status_class
    label, icon = info.label, info.icon
    if status_class is StatusClass.SUCCESS and explanation.severity is not Severity.INFO:
        status_class, icon = StatusClass.UNKNOWN, StatusIcon.WARNING
        label = f"{info.code} Body not usable" if info.code is not None else info.label
    if not finding and status_class is info.status_class:
        return info
    return replace(
        info,
        status_class=status_class,
        label=label,
        icon=icon,
        meaning=finding or info.meaning,
        documented=info.documented and explanation.documented,
        doc_url=explanation.doc_url or info.doc_url,
    )


def _finding(title: str, info: StatusInfo) -> str:
    """What an explanation's title says beyond the badge's label ("" when nothing)."""
    text = title.strip()
    code = str(info.code) if info.code is not None else ""
    words = info.label[len(code) :].strip() if code and info.label.startswith(code) else ""
    for prefix in (info.label, code, words):
        if prefix and text.lower().startswith(prefix.lower()):
            text = text[len(prefix) :].lstrip(" :-—")
    if not text or text.lower() in info.meaning.lower():
        return ""
    return text


def legend() -> list[StatusInfo]:
    """One row per badge kind, in the order the hover legend shows them."""
    rows = [classify_status(code) for code in (200, 202)]
    rows.append(_by_range(302, ""))
    rows += [classify_status(code) for code in (400, 401, 403, 404, 429, 451)]
    rows.append(classify_status(502, body_json={"error": "proxy_oauth_failed"}))
    rows.append(_by_range(418, ""))
    rows.append(classify_status(500))
    rows.append(classify_failure(NetworkFailureKind.REFUSED))
    rows.append(classify_failure(NetworkFailureKind.READ_TIMEOUT))
    rows.append(classify_status(None))
    return rows
