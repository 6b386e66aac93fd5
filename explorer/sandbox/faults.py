"""Fault injection: the catalogue of faults and the parser of the ``X-Sandbox-Fault`` header.

A client asks for a fault per request with the header ``X-Sandbox-Fault: NAME`` (several
may be combined with commas, e.g. ``latency=500, rate-limited``); the server also has a
default fault (``SandboxServer.set_fault`` or ``thumbtack-explorer sandbox --fault``) used
when a request carries no header. ``X-Sandbox-Fault: none`` turns the default off for one
request.

*Error* faults answer with a status and body of the Partner API; each carries its evidence
grade (documented by Thumbtack, seen in real traffic, or the Sandbox's own inference) and
where it happens: ``token`` faults only on ``/oauth2/token`` (``invalid_client`` is a token
server answer), ``api`` faults only on ``/api/v4/...`` paths, the rest anywhere. A fault
asked for where it cannot happen is not injected: the request is answered normally.
*Network* faults change how the bytes travel: added latency, a connection dropped
mid-body, a truncated or malformed body, a slow drip. They are conditions any client can
meet, not claims about Thumbtack.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from explorer.core.evidence import Evidence

FAULT_HEADER = "X-Sandbox-Fault"

MAX_LATENCY_MS = 60_000
DEFAULT_LATENCY_MS = 2_000
DEFAULT_DRIP_MS = 2_000


class FaultCategory(StrEnum):
    """Whether a fault reproduces an answer of the API (graded by its evidence) or a
    network misbehaviour. The value ``documented`` is kept for the error faults' category
    for compatibility; their evidence grade is :attr:`Fault.evidence`."""

    DOCUMENTED = "documented"
    NETWORK = "network"


class FaultPlace(StrEnum):
    """Where a fault can happen."""

    TOKEN = "token"  # /oauth2/token only
    API = "api"  # /api/v4/... only
    ANY = "any"


@dataclass(frozen=True, kw_only=True)
class Fault:
    """One fault the Sandbox can inject, as listed in the window's Sandbox menu."""

    name: str
    title: str
    status: int | None  # the documented HTTP status, None for network faults
    description: str
    category: FaultCategory
    evidence: Evidence = Evidence.INFERRED
    evidence_note: str = ""  # which parts are weaker than the grade, and why
    place: FaultPlace = FaultPlace.ANY
    parameter: str | None = None  # e.g. "MS" for latency=MS
    default_value: int | None = None

    @property
    def is_error(self) -> bool:
        """True for the faults that answer with an API status (not network faults)."""
        return self.category is FaultCategory.DOCUMENTED

    def applies_to(self, path: str) -> bool:
        """Whether this fault can happen on ``path``."""
        if self.place is FaultPlace.TOKEN:
            return path.rstrip("/") == "/oauth2/token"
        if self.place is FaultPlace.API:
            return path.startswith("/api/")
        return True

    def to_dict(self) -> dict[str, object]:
        """The catalogue entry for ``--json`` outputs."""
        return {
            "name": self.name,
            "title": self.title,
            "status": self.status,
            "kind": "network" if not self.is_error else "error",
            "evidence": self.evidence.value,
            "evidence_label": self.evidence.label,
            "evidence_note": self.evidence_note,
            "where": self.place.value,
            "description": self.description,
            "header_value": self.header_value,
        }

    @property
    def header_value(self) -> str:
        """The value to send in ``X-Sandbox-Fault`` (with the default parameter, if any)."""
        if self.parameter is None or self.default_value is None:
            return self.name
        return f"{self.name}={self.default_value}"


_D = FaultCategory.DOCUMENTED
_N = FaultCategory.NETWORK

_DOC, _OBS, _INF = Evidence.DOCUMENTED, Evidence.OBSERVED, Evidence.INFERRED
_TYPE_NOTE = "The ProblemDetails type URI is the Sandbox's (only …/validation-error is documented)."

FAULTS: list[Fault] = [
    Fault(
        name="waf-challenge",
        title="WAF silent challenge",
        status=202,
        category=_D,
        evidence=_DOC,
        evidence_note="The status and its meaning are documented; the HTML page is the "
        "Sandbox's own.",
        description="202 with a small HTML challenge page instead of JSON: the web "
        "application firewall challenged the request. Not a success.",
    ),
    Fault(
        name="rate-limited",
        title="Rate limited",
        status=429,
        category=_D,
        evidence=_DOC,
        evidence_note="A bare 429 is documented. Thumbtack documents no limit and no "
        "rate-limit or Retry-After headers. " + _TYPE_NOTE,
        description="429 ProblemDetails without Retry-After: too many requests too quickly.",
    ),
    Fault(
        name="rate-limited-retry-after",
        title="Rate limited, with Retry-After",
        status=429,
        category=_D,
        evidence=_INF,
        evidence_note="Retry-After on a 429 is not documented by Thumbtack; it helps "
        "practise waiting before a retry.",
        description="429 ProblemDetails with Retry-After: 30 (Retry-After is the Sandbox's "
        "inference).",
    ),
    Fault(
        name="token-expired",
        title="Token is not active",
        status=401,
        category=_D,
        evidence=_DOC,
        evidence_note="The body is documented; its traceID was seen on real 401s in 2026.",
        place=FaultPlace.API,
        description="401 'invalid token. failure reason(s): [token is not active]': "
        "the access token expired or was revoked.",
    ),
    Fault(
        name="malformed-token",
        title="Malformed bearer token",
        status=401,
        category=_D,
        evidence=_INF,
        evidence_note="A 401 is certain; the wording for a value that is not a token at all "
        "is the Sandbox's.",
        place=FaultPlace.API,
        description="401 'token is malformed': the Authorization header holds something "
        "that is not an access token.",
    ),
    Fault(
        name="proxy-oauth-failed",
        title="Invalid audience (proxy_oauth_failed)",
        status=502,
        category=_D,
        evidence=_DOC,
        place=FaultPlace.API,
        description="502 proxy_oauth_failed: the token was requested with an "
        "audience other than urn:partner-api.",
    ),
    Fault(
        name="invalid-client",
        title="invalid_client (token server)",
        status=401,
        category=_D,
        evidence=_DOC,
        place=FaultPlace.TOKEN,
        description="401 invalid_client from /oauth2/token: unknown client, wrong secret or "
        "unsupported client authentication method. Only the token server answers this.",
    ),
    Fault(
        name="insufficient-scope",
        title="Missing scope",
        status=401,
        category=_D,
        evidence=_OBS,
        evidence_note="Seen in a real staging run (2026-07-22): 401 with detail 'required "
        "scope(s) [<scope>] not found' and a traceID. Thumbtack's pages do not describe it.",
        place=FaultPlace.API,
        description="401 'required scope(s) [<scope>] not found' with a traceID: the token "
        "lacks the scope the endpoint needs.",
    ),
    Fault(
        name="blocked-client",
        title="Blocked client",
        status=403,
        category=_D,
        evidence=_DOC,
        evidence_note="The status and its meaning are documented; the HTML page is the "
        "Sandbox's own.",
        description="403 HTML page from the firewall: blocked IP address or User-Agent.",
    ),
    Fault(
        name="sanctioned-country",
        title="Sanctioned country",
        status=451,
        category=_D,
        evidence=_DOC,
        evidence_note=_TYPE_NOTE,
        description="451: the request came from a sanctioned country.",
    ),
    Fault(
        name="validation-error",
        title="Validation error",
        status=400,
        category=_D,
        evidence=_DOC,
        place=FaultPlace.API,
        description="400 ProblemDetails with traceID and errors[] naming the bad field.",
    ),
    Fault(
        name="not-found",
        title="Not found",
        status=404,
        category=_D,
        evidence=_DOC,
        evidence_note=_TYPE_NOTE,
        place=FaultPlace.API,
        description="404 ProblemDetails: the resource does not exist.",
    ),
    Fault(
        name="server-error",
        title="Server error",
        status=500,
        category=_D,
        evidence=_DOC,
        evidence_note=_TYPE_NOTE,
        description="500 ProblemDetails with a traceID to report to Thumbtack.",
    ),
    Fault(
        name="service-unavailable",
        title="Service unavailable",
        status=503,
        category=_D,
        evidence=_INF,
        evidence_note="Thumbtack's table documents 5XX as server errors; a 503 with "
        "Retry-After is the Sandbox's inference. " + _TYPE_NOTE,
        description="503 ProblemDetails with Retry-After: Thumbtack is temporarily down "
        "(Retry-After is the Sandbox's inference).",
    ),
    Fault(
        name="latency",
        title="Added latency",
        status=None,
        category=_N,
        parameter="MS",
        default_value=DEFAULT_LATENCY_MS,
        description="Wait MS milliseconds before answering normally (latency=MS).",
    ),
    Fault(
        name="drop-mid-body",
        title="Connection dropped mid-body",
        status=None,
        category=_N,
        description="Send the headers and half the body, then reset the connection.",
    ),
    Fault(
        name="truncated-body",
        title="Truncated body",
        status=None,
        category=_N,
        description="A complete HTTP response whose JSON body is cut off halfway.",
    ),
    Fault(
        name="malformed-body",
        title="Malformed body",
        status=None,
        category=_N,
        description="A complete HTTP response labelled JSON whose body is not valid JSON.",
    ),
    Fault(
        name="slow-drip",
        title="Slow drip",
        status=None,
        category=_N,
        parameter="MS",
        default_value=DEFAULT_DRIP_MS,
        description="Send the body in small pieces spread over MS milliseconds (slow-drip=MS).",
    ),
]

FAULTS_BY_NAME: dict[str, Fault] = {fault.name: fault for fault in FAULTS}


def faults_by_grade() -> list[tuple[Evidence | None, list[Fault]]]:
    """The error faults grouped by evidence grade (strongest first), then the network
    faults (``None``): the order of the window's Sandbox menu."""
    groups: list[tuple[Evidence | None, list[Fault]]] = []
    for grade in Evidence:
        members = [f for f in FAULTS if f.is_error and f.evidence is grade]
        if members:
            groups.append((grade, members))
    groups.append((None, [f for f in FAULTS if not f.is_error]))
    return groups


class FaultSyntaxError(ValueError):
    """The ``X-Sandbox-Fault`` value names an unknown fault or a bad parameter."""


@dataclass(frozen=True, kw_only=True)
class FaultPlan:
    """What to do to one request: at most one documented fault plus network faults."""

    documented: str | None = None
    latency_ms: int = 0
    network: str | None = None  # drop-mid-body | truncated-body | malformed-body | slow-drip
    drip_ms: int = DEFAULT_DRIP_MS

    @property
    def is_empty(self) -> bool:
        return self.documented is None and self.latency_ms == 0 and self.network is None


NO_FAULT = FaultPlan()


def known_fault_names() -> str:
    """A readable list of the accepted header values, for error messages."""
    return ", ".join(fault.header_value if fault.parameter else fault.name for fault in FAULTS)


def _parameter(fault: Fault, raw: str | None) -> int:
    if raw is None:
        return fault.default_value or 0
    try:
        value = int(raw)
    except ValueError:
        raise FaultSyntaxError(
            f"'{fault.name}={raw}': {fault.parameter} must be a whole number of milliseconds."
        ) from None
    if not 0 <= value <= MAX_LATENCY_MS:
        raise FaultSyntaxError(
            f"'{fault.name}={raw}': {fault.parameter} must be between 0 and {MAX_LATENCY_MS}."
        )
    return value


def parse_faults(value: str | None) -> FaultPlan:
    """Parse a header value such as ``"latency=500, rate-limited"`` into a :class:`FaultPlan`.

    ``None``, an empty value and ``none`` mean no fault. Raises :class:`FaultSyntaxError`
    with a message naming the accepted values.
    """
    if value is None or not value.strip() or value.strip().lower() == "none":
        return NO_FAULT
    documented: str | None = None
    network: str | None = None
    latency_ms = 0
    drip_ms = DEFAULT_DRIP_MS
    for part in (piece.strip() for piece in value.split(",")):
        if not part:
            continue
        name, _, raw = part.partition("=")
        name = name.strip().lower()
        fault = FAULTS_BY_NAME.get(name)
        if fault is None:
            raise FaultSyntaxError(f"Unknown fault '{name}'. Known faults: {known_fault_names()}.")
        if fault.parameter is None and raw:
            raise FaultSyntaxError(f"Fault '{name}' takes no parameter.")
        param = raw.strip() if raw else None
        if fault.category is FaultCategory.DOCUMENTED:
            if documented is not None:
                raise FaultSyntaxError("Ask for at most one documented fault per request.")
            documented = name
        elif name == "latency":
            latency_ms = _parameter(fault, param)
        else:
            if network is not None:
                raise FaultSyntaxError("Ask for at most one of the body faults per request.")
            network = name
            if name == "slow-drip":
                drip_ms = _parameter(fault, param)
    return FaultPlan(documented=documented, latency_ms=latency_ms, network=network, drip_ms=drip_ms)
