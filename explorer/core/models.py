"""The values that flow through the program, from an endpoint to what is shown.

    Endpoint + inputs -> RequestSpec -> send -> ResponseRecord -> Explanation -> views

All are frozen dataclasses with keyword-only constructors; the enums name every closed set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from explorer.core.evidence import Evidence


class Flow(StrEnum):
    """OAuth 2.0 flows Thumbtack documents."""

    CLIENT_CREDENTIALS = "client_credentials"
    AUTHORIZATION_CODE = "authorization_code"


class ParamLocation(StrEnum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"


class StatusClass(StrEnum):
    """What a response means, per Thumbtack's documented status table."""

    SUCCESS = "success"
    CHALLENGE = "challenge"  # 202 from the WAF: the request did not reach the API
    REDIRECT = "redirect"
    BAD_REQUEST = "bad_request"
    AUTH_ERROR = "auth_error"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    RATE_LIMITED = "rate_limited"
    LEGAL = "legal"  # 451
    SETUP_ERROR = "setup_error"  # 502 proxy_oauth_failed and other set-up mistakes
    CLIENT_ERROR = "client_error"  # other 4xx
    SERVER_ERROR = "server_error"
    NETWORK_ERROR = "network_error"
    INFORMATIONAL = "informational"
    UNKNOWN = "unknown"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class FixAction(StrEnum):
    """One-click fixes the window can apply. The explanation names them; the UI does them."""

    REFRESH_TOKEN_AND_RETRY = "refresh_token_and_retry"
    SET_AUDIENCE_AND_RETRY = "set_audience_and_retry"
    USE_ENVIRONMENT_TOKEN_SERVER = "use_environment_token_server"
    OPEN_SCOPE_EDITOR = "open_scope_editor"
    OPEN_PROFILE_EDITOR = "open_profile_editor"
    RETRY_AFTER = "retry_after"
    RETRY = "retry"
    COPY_TRACE_ID = "copy_trace_id"
    USE_SANDBOX_CUSTOMER = "use_sandbox_customer"  # switch to the built-in demo customer
    USE_SANDBOX_PRO = "use_sandbox_pro"  # switch to the built-in demo pro
    USE_SANDBOX_APP = "use_sandbox_app"  # switch to the built-in client-credentials profile


#: The words on the button of each fix, wherever the window offers one.
FIX_LABELS: dict[FixAction, str] = {
    FixAction.REFRESH_TOKEN_AND_RETRY: "Refresh token and retry",
    FixAction.SET_AUDIENCE_AND_RETRY: "Set audience to urn:partner-api and retry",
    FixAction.USE_ENVIRONMENT_TOKEN_SERVER: "Use this environment's token server",
    FixAction.OPEN_SCOPE_EDITOR: "Edit scopes…",
    FixAction.OPEN_PROFILE_EDITOR: "Edit profile…",
    FixAction.RETRY_AFTER: "Retry when allowed",
    FixAction.RETRY: "Retry",
    FixAction.COPY_TRACE_ID: "Copy traceID for support",
    FixAction.USE_SANDBOX_CUSTOMER: "Switch to Sandbox demo — customer profile",
    FixAction.USE_SANDBOX_PRO: "Switch to Sandbox demo — pro profile",
    FixAction.USE_SANDBOX_APP: "Switch to Sandbox demo (client credentials)",
}


class NetworkFailureKind(StrEnum):
    DNS = "dns"
    REFUSED = "refused"
    TLS = "tls"
    CONNECT_TIMEOUT = "connect_timeout"
    READ_TIMEOUT = "read_timeout"
    WRITE_TIMEOUT = "write_timeout"
    POOL_TIMEOUT = "pool_timeout"
    RESET = "reset"
    PROTOCOL = "protocol"
    PROXY = "proxy"
    INVALID_URL = "invalid_url"
    INVALID_HEADER = "invalid_header"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    CANCELLED = "cancelled"
    OTHER = "other"


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """A path, query or header parameter of an endpoint."""

    name: str
    location: ParamLocation
    required: bool = False
    schema: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    example: Any = None
    inferred: bool = False
    #: The parameter's evidence grade (``x-evidence``; never documented when inferred).
    evidence: Evidence = Evidence.DOCUMENTED
    evidence_note: str = ""

    def __post_init__(self) -> None:
        if self.inferred and self.evidence is not Evidence.INFERRED:
            object.__setattr__(self, "evidence", Evidence.INFERRED)


@dataclass(frozen=True, kw_only=True)
class Endpoint:
    """One operation of the catalog, read from an OpenAPI description."""

    operation_id: str
    method: str
    path: str
    section: str
    summary: str = ""
    description: str = ""
    doc_url: str = ""
    parameters: tuple[Parameter, ...] = ()
    body_schema: Mapping[str, Any] | None = None
    body_required: bool = False
    body_example: Any = None
    body_media_type: str = "application/json"
    #: every media type the requestBody declares, in order (the builder offers their kinds)
    body_media_types: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    flows: tuple[Flow, ...] = ()
    inferred: bool = False
    inferred_notes: tuple[str, ...] = ()
    server: str = "api"  # "api" or "auth": which base URL of the environment it uses
    responses: Mapping[str, Any] = field(default_factory=dict)
    #: How well the operation (its method and path) is known, and its scopes.
    evidence: Evidence = Evidence.DOCUMENTED
    evidence_note: str = ""
    scope_evidence: Evidence = Evidence.DOCUMENTED

    def __post_init__(self) -> None:
        if self.inferred and self.evidence is not Evidence.INFERRED:
            object.__setattr__(self, "evidence", Evidence.INFERRED)

    @property
    def key(self) -> str:
        return self.operation_id or f"{self.method} {self.path}"


@dataclass(frozen=True, kw_only=True)
class RequestSpec:
    """Exactly what will be sent. Header values may hold secrets: redact before showing."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    operation_id: str | None = None
    timeout_s: float = 30.0
    follow_redirects: bool = False
    #: Whether Thumbtack's documented meanings apply to the answer (the environment says
    #: so); None: decided by the host (see :func:`explorer.core.status.thumbtack_meanings`).
    thumbtack: bool | None = None

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None


@dataclass(frozen=True, kw_only=True)
class Timing:
    """Milliseconds per phase; ``None`` where the phase did not happen (reused connection)."""

    dns_ms: float | None = None
    connect_ms: float | None = None
    tls_ms: float | None = None
    send_ms: float | None = None
    wait_ms: float | None = None  # time to first byte after the request was sent
    download_ms: float | None = None
    total_ms: float = 0.0


@dataclass(frozen=True, kw_only=True)
class NetworkFailure:
    """A request that got no HTTP response, with the exception chain in words."""

    kind: NetworkFailureKind
    exception_type: str
    message: str
    chain: tuple[str, ...] = ()  # "ExceptionType: message" from outermost to root cause


@dataclass(frozen=True, kw_only=True)
class ResponseRecord:
    """What came back (or the failure), with the request that produced it."""

    request: RequestSpec
    status: int | None = None
    reason: str = ""
    http_version: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    body_truncated: bool = False
    timing: Timing = field(default_factory=Timing)
    failure: NetworkFailure | None = None
    started_at: str = ""  # RFC 3339 UTC
    url: str = ""  # final URL after redirects
    cause: str = ""  # why the outcome came from elsewhere (e.g. no token: the token server's)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()


@dataclass(frozen=True, kw_only=True)
class Explanation:
    """Why a response looks the way it does, and how to fix it."""

    rule_id: str
    status_class: StatusClass
    title: str
    cause: str
    fix: tuple[str, ...] = ()
    doc_url: str = ""
    severity: Severity = Severity.INFO
    actions: tuple[FixAction, ...] = ()
    matched: tuple[str, ...] = ()  # fragments of the body that the rule matched, to highlight
    documented: bool = True  # True only when ``evidence`` is documented
    trace_id: str | None = None
    retry_after_s: float | None = None
    #: Whose meaning: "thumbtack" (Thumbtack's documentation) or "http" (the HTTP standard
    #: and the loaded API description, for a host that is not Thumbtack's).
    source: str = "thumbtack"
    #: How well the explanation is known: documented, observed (seen in real traffic) or
    #: inferred. Left out, it follows ``documented`` (False means inferred); given, it
    #: decides ``documented``, so nothing observed or inferred is ever marked documented.
    evidence: Evidence | None = None
    evidence_note: str = ""

    def __post_init__(self) -> None:
        if self.evidence is None:
            grade = Evidence.DOCUMENTED if self.documented else Evidence.INFERRED
            object.__setattr__(self, "evidence", grade)
        object.__setattr__(self, "documented", self.evidence is Evidence.DOCUMENTED)

    @property
    def grade(self) -> Evidence:
        """``evidence``, never None after construction."""
        return self.evidence or Evidence.INFERRED

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rule_id": self.rule_id,
            "status_class": self.status_class.value,
            "title": self.title,
            "cause": self.cause,
            "fix": list(self.fix),
            "doc_url": self.doc_url,
            "severity": self.severity.value,
            "actions": [action.value for action in self.actions],
            "matched": list(self.matched),
            "documented": self.documented,
            "evidence": self.grade.value,
            "evidence_label": self.grade.label,
            "evidence_note": self.evidence_note,
            "trace_id": self.trace_id,
            "retry_after_s": self.retry_after_s,
        }

    @classmethod
    def from_dict(cls, document: Mapping[str, Any] | None) -> Explanation | None:
        """An explanation back from :meth:`to_dict`'s dict (None when there is none, or
        it does not fit: a stored explanation from another version is dropped, not
        guessed at)."""
        if not document:
            return None
        trace_id = document.get("trace_id")
        retry_after = document.get("retry_after_s")
        try:
            return cls(
                rule_id=str(document.get("rule_id", "")),
                status_class=StatusClass(document.get("status_class", StatusClass.UNKNOWN.value)),
                title=str(document.get("title", "")),
                cause=str(document.get("cause", "")),
                fix=tuple(str(step) for step in document.get("fix") or ()),
                doc_url=str(document.get("doc_url") or ""),
                severity=Severity(document.get("severity", Severity.INFO.value)),
                actions=tuple(FixAction(a) for a in document.get("actions") or ()),
                matched=tuple(str(m) for m in document.get("matched") or ()),
                documented=bool(document.get("documented", True)),
                trace_id=None if trace_id is None else str(trace_id),
                retry_after_s=None if retry_after is None else float(retry_after),
                source=str(document.get("source") or "thumbtack"),
            )
        except (ValueError, TypeError):
            return None
