"""Sending one request: build the client, send, time every phase, turn failures into values.

Only the core builds httpx objects. :func:`send` never raises for network trouble: it
returns a :class:`ResponseRecord` whose ``failure`` names what went wrong, with the
exception's cause chain in words. It is blocking; the UI calls it off the GUI thread.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from explorer import __version__
from explorer.core.models import (
    NetworkFailure,
    NetworkFailureKind,
    RequestSpec,
    ResponseRecord,
    Timing,
)

if TYPE_CHECKING:  # httpx2 is imported at first use: the window shows without it
    import httpx2 as httpx

USER_AGENT = f"ThumbtackAPIExplorer/{__version__} (+desktop; httpx2)"
DEFAULT_TIMEOUT_S = 30.0
#: Bodies beyond this are cut (and marked truncated) so a runaway server cannot fill memory.
MAX_BODY_BYTES = 256 * 1024 * 1024
_CHUNK = 256 * 1024


class Cancelled(Exception):
    """The user cancelled the request."""


def make_client(
    *,
    transport: httpx.BaseTransport | None = None,
    verify: bool | ssl.SSLContext = True,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> httpx.Client:
    """The program's HTTP client: explicit timeouts, no environment proxies surprises."""
    import httpx2 as httpx

    return httpx.Client(
        transport=transport,
        verify=verify,
        timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
    )


def send(
    spec: RequestSpec,
    *,
    client: httpx.Client,
    cancel: threading.Event | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    on_progress: Callable[[int], None] | None = None,
) -> ResponseRecord:
    """Send ``spec`` and return what came back, or the failure. Never raises for I/O."""
    import httpx2 as httpx

    started_at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    marks: dict[str, float] = {}

    def trace(name: str, _info: dict[str, Any]) -> None:
        marks.setdefault(name, time.perf_counter())
        if cancel is not None and cancel.is_set():
            raise Cancelled()

    t0 = time.perf_counter()
    dns_ms = _measure_dns(spec.url)
    t_start = time.perf_counter()
    try:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        check_header_values(spec.headers)
        request = client.build_request(
            spec.method,
            spec.url,
            headers=list(spec.headers),
            content=spec.body,
            timeout=httpx.Timeout(spec.timeout_s, connect=min(spec.timeout_s, 10.0)),
            extensions={"trace": trace},
        )
        response = client.send(request, stream=True, follow_redirects=spec.follow_redirects)
        try:
            body, truncated = _read_body(response, cancel, max_body_bytes, on_progress)
        finally:
            response.close()
    except Cancelled as exc:
        return _failure_record(spec, started_at, t0, exc, NetworkFailureKind.CANCELLED)
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ssl.SSLError, ValueError) as exc:
        return _failure_record(spec, started_at, t0, exc, classify_exception(exc))
    t_end = time.perf_counter()
    timing = _timing(marks, t_start, t_end, dns_ms)
    return ResponseRecord(
        request=spec,
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        headers=tuple((k, v) for k, v in response.headers.multi_items()),
        body=body,
        body_truncated=truncated,
        timing=timing,
        started_at=started_at,
        url=str(response.url),
    )


class InvalidHeader(ValueError):
    """A header typed for the request cannot be sent; the message names it."""


def check_header_values(headers: Sequence[tuple[str, str]]) -> None:
    """Raise :class:`InvalidHeader` for a header HTTP cannot carry: a line break in its
    value (it would start a header of its own) or a character outside ASCII."""
    for name, value in headers:
        if "\r" in value or "\n" in value:
            raise InvalidHeader(
                f"Invalid header '{name}': its value has a line break (CR/LF); a header "
                "value is one line. Remove the line break from the header's value."
            )
        try:
            value.encode("ascii")  # what the HTTP client sends (Latin-1 is not portable)
        except UnicodeEncodeError as exc:
            bad = value[exc.start]
            raise InvalidHeader(
                f"Invalid header '{name}': its value holds '{bad}' (U+{ord(bad):04X}), which "
                "HTTP headers cannot carry (only ASCII is safe). Remove it, or encode the "
                "value (for example percent-encoding or base64) as the API expects."
            ) from None
        if any(ord(c) < 0x20 and c != "\t" for c in name + value) or not name.strip():
            raise InvalidHeader(
                f"Invalid header '{name}': it holds a control character or has no name. Remove it."
            )


def _read_body(
    response: httpx.Response,
    cancel: threading.Event | None,
    limit: int,
    on_progress: Callable[[int], None] | None,
) -> tuple[bytes, bool]:
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes(_CHUNK):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        parts.append(chunk)
        size += len(chunk)
        if on_progress is not None:
            on_progress(size)
        if size > limit:
            return b"".join(parts)[:limit], True
    return b"".join(parts), False


def _measure_dns(url: str) -> float | None:
    """Time the name lookup on its own; None for IP literals and unparsable URLs."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    if host == "localhost":
        return None
    t = time.perf_counter()
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return None
    return (time.perf_counter() - t) * 1000


def _span(marks: dict[str, float], start: str, end: str) -> float | None:
    if start in marks and end in marks:
        return (marks[end] - marks[start]) * 1000
    return None


def _timing(marks: dict[str, float], t_start: float, t_end: float, dns_ms: float | None) -> Timing:
    send_start = marks.get("http11.send_request_headers.started") or marks.get(
        "http2.send_request_headers.started"
    )
    send_end = marks.get("http11.send_request_body.complete") or marks.get(
        "http2.send_request_body.complete"
    )
    headers_done = marks.get("http11.receive_response_headers.complete") or marks.get(
        "http2.receive_response_headers.complete"
    )
    body_start = marks.get("http11.receive_response_body.started") or marks.get(
        "http2.receive_response_body.started"
    )
    return Timing(
        dns_ms=dns_ms,
        connect_ms=_span(
            marks, "connection.connect_tcp.started", "connection.connect_tcp.complete"
        ),
        tls_ms=_span(marks, "connection.start_tls.started", "connection.start_tls.complete"),
        send_ms=(send_end - send_start) * 1000 if send_start and send_end else None,
        wait_ms=(headers_done - send_end) * 1000 if headers_done and send_end else None,
        download_ms=(t_end - body_start) * 1000 if body_start else None,
        total_ms=(t_end - t_start) * 1000,
    )


def _failure_record(
    spec: RequestSpec,
    started_at: str,
    t0: float,
    exc: BaseException,
    kind: NetworkFailureKind,
) -> ResponseRecord:
    failure = NetworkFailure(
        kind=kind,
        exception_type=type(exc).__name__,
        message=str(exc) or type(exc).__name__,
        chain=exception_chain(exc),
    )
    return ResponseRecord(
        request=spec,
        failure=failure,
        started_at=started_at,
        timing=Timing(total_ms=(time.perf_counter() - t0) * 1000),
    )


def exception_chain(exc: BaseException) -> tuple[str, ...]:
    """``"Type: message"`` for the exception and each cause or context beneath it."""
    seen: set[int] = set()
    out: list[str] = []
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        message = str(current).strip()
        out.append(f"{type(current).__name__}: {message}" if message else type(current).__name__)
        current = current.__cause__ or current.__context__
    return tuple(out)


def _chain_objects(exc: BaseException) -> list[BaseException]:
    seen: set[int] = set()
    out: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out.append(current)
        current = current.__cause__ or current.__context__
    return out


def classify_exception(exc: BaseException) -> NetworkFailureKind:
    """Name the failure by walking the cause chain (the outer httpx type alone is vague)."""
    import httpx2 as httpx

    chain = _chain_objects(exc)
    text = " ".join(str(e).lower() for e in chain)
    if any(isinstance(item, Cancelled) for item in chain):
        return NetworkFailureKind.CANCELLED
    if isinstance(chain[0], httpx.ProxyError):
        # Whatever went wrong beneath (refused, DNS, TLS), it went wrong at the proxy.
        return NetworkFailureKind.PROXY
    for item in chain:
        if isinstance(item, socket.gaierror):
            return NetworkFailureKind.DNS
        if isinstance(item, ssl.SSLError | ssl.CertificateError):
            return NetworkFailureKind.TLS
        if isinstance(item, ConnectionRefusedError):
            return NetworkFailureKind.REFUSED
        if isinstance(item, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
            return NetworkFailureKind.RESET
    top = chain[0]
    if isinstance(top, httpx.ConnectTimeout):
        return NetworkFailureKind.CONNECT_TIMEOUT
    if isinstance(top, httpx.ReadTimeout):
        return NetworkFailureKind.READ_TIMEOUT
    if isinstance(top, httpx.WriteTimeout):
        return NetworkFailureKind.WRITE_TIMEOUT
    if isinstance(top, httpx.PoolTimeout):
        return NetworkFailureKind.POOL_TIMEOUT
    if isinstance(top, httpx.ProxyError):
        return NetworkFailureKind.PROXY
    if isinstance(top, httpx.TooManyRedirects):
        return NetworkFailureKind.TOO_MANY_REDIRECTS
    if isinstance(top, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return NetworkFailureKind.INVALID_URL
    if any(
        marker in text
        for marker in (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo",
            "temporary failure in name resolution",
            "no address associated",
        )
    ):
        return NetworkFailureKind.DNS
    if "certificate" in text or "ssl" in text or "tls" in text:
        return NetworkFailureKind.TLS
    if "connection refused" in text or "errno 111" in text:
        return NetworkFailureKind.REFUSED
    if "reset by peer" in text or "errno 104" in text:
        return NetworkFailureKind.RESET
    if isinstance(chain[0], InvalidHeader) or "illegal header" in text:
        return NetworkFailureKind.INVALID_HEADER
    if "complete message body" in text or "incomplete chunked read" in text:
        # Content-Length promised more than arrived: closed mid-body, not bad HTTP.
        return NetworkFailureKind.RESET
    if isinstance(top, httpx.RemoteProtocolError | httpx.LocalProtocolError | httpx.DecodingError):
        return NetworkFailureKind.PROTOCOL
    if isinstance(top, httpx.ReadError | httpx.WriteError):
        return NetworkFailureKind.RESET
    if isinstance(top, httpx.ConnectError):
        # Not refused (that was found above): unreachable network, no route, and the like.
        return NetworkFailureKind.OTHER
    if isinstance(top, ValueError):
        return NetworkFailureKind.INVALID_URL
    return NetworkFailureKind.OTHER
