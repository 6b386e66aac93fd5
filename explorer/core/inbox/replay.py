"""Passing a delivery to an endpoint: replay of a recorded or sample delivery, forwarding.

:func:`deliver` POSTs the exact body bytes with the headers Thumbtack's sender uses
(``User-Agent: Go-http-client/1.1``, ``Content-Type: application/json``) and the
credentials the webhook would carry, through the program's own HTTP sender, and returns
the endpoint's answer with its timing and what it means for a webhook delivery.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from explorer.core.http import make_client, send
from explorer.core.inbox.model import THUMBTACK_USER_AGENT, EndpointAnswer, WebhookCredentials
from explorer.core.models import NetworkFailureKind, RequestSpec, ResponseRecord
from explorer.core.redact import MASK

if TYPE_CHECKING:
    import httpx2 as httpx

#: Headers that belong to one connection and are never passed on.
HOP_BY_HOP = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "proxy-authorization",
        "proxy-connection",
    }
)
DEFAULT_TIMEOUT_S = 10.0


def check_url(url: str) -> str:
    """The URL stripped, or ValueError saying what a usable one looks like."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"'{text[:80]}' is not an http:// or https:// URL; give your endpoint's full URL, "
            "for example http://127.0.0.1:8000/thumbtack/webhook."
        )
    return text


def delivery_headers_for(
    headers: Sequence[tuple[str, str]],
    credentials: WebhookCredentials | None,
) -> tuple[tuple[str, str], ...]:
    """The headers to send: the delivery's own (without connection headers and masked
    values), Thumbtack's User-Agent and Content-Type when absent, and ``credentials``
    in place of any the delivery carried."""
    replaced = {"authorization"}
    if credentials is not None and credentials.configured:
        replaced |= {name.lower() for name, _value in credentials.headers()}
    kept = [
        (name, value)
        for name, value in headers
        if name.lower() not in HOP_BY_HOP
        and MASK not in value
        and (credentials is None or name.lower() not in replaced)
    ]
    names = {name.lower() for name, _value in kept}
    if "user-agent" not in names:
        kept.insert(0, ("User-Agent", THUMBTACK_USER_AGENT))
    if "content-type" not in names:
        kept.append(("Content-Type", "application/json"))
    if credentials is not None:
        kept.extend(credentials.headers())
    return tuple(kept)


def deliver(
    url: str,
    body: bytes,
    headers: Sequence[tuple[str, str]] = (),
    *,
    credentials: WebhookCredentials | None = None,
    method: str = "POST",
    timeout_s: float = DEFAULT_TIMEOUT_S,
    client: httpx.Client | None = None,
) -> EndpointAnswer:
    """Send one delivery to ``url``; never raises for network trouble.

    ``credentials=None`` passes the delivery's own credential headers on unchanged (the
    forwarding case); otherwise they are replaced by ``credentials``.
    """
    spec = RequestSpec(
        method=method,
        url=url,
        headers=delivery_headers_for(headers, credentials),
        body=body,
        timeout_s=timeout_s,
    )
    own = client is None
    active = client or make_client(timeout_s=timeout_s)
    try:
        record = send(spec, client=active)
    finally:
        if own:
            active.close()
    return answer_from(record)


def answer_from(record: ResponseRecord) -> EndpointAnswer:
    url = record.request.url
    if record.failure is not None:
        return EndpointAnswer(
            url=url,
            status=None,
            total_ms=record.timing.total_ms,
            error=record.failure.message,
            explanation=_failure_words(record),
        )
    return EndpointAnswer(
        url=url,
        status=record.status,
        total_ms=record.timing.total_ms,
        headers=record.headers,
        body=record.body[: 64 * 1024],
        explanation=_status_words(record.status or 0, record.timing.total_ms),
    )


def _status_words(status: int, total_ms: float) -> str:
    took = f"HTTP {status} in {total_ms:.0f} ms"
    if 200 <= status < 300:
        return f"Your endpoint accepted the delivery ({took}). Thumbtack counts a 2XX as handled."
    if 300 <= status < 400:
        return (
            f"Your endpoint redirected ({took}). A webhook sender should not be expected to "
            "follow redirects: register the final URL as the webhookURL."
        )
    not_processed = (
        " Thumbtack treats any 4XX or 5XX as not processed, and it documents no retry "
        "policy, so do not count on the event coming again."
    )
    if status in (401, 403):
        return (
            f"Your endpoint refused the delivery's credentials ({took}). Check that it expects "
            "the same Basic username and password (or custom header) as the webhook's auth."
            + not_processed
        )
    if status < 500:
        return f"Your endpoint rejected the delivery ({took})." + not_processed
    return f"Your endpoint failed while handling the delivery ({took})." + not_processed


def _failure_words(record: ResponseRecord) -> str:
    failure = record.failure
    assert failure is not None
    url = record.request.url
    kind = failure.kind
    if kind is NetworkFailureKind.REFUSED:
        return f"Nothing is listening at {url}: start your endpoint, or check the host and port."
    if kind in (NetworkFailureKind.READ_TIMEOUT, NetworkFailureKind.WRITE_TIMEOUT):
        return (
            f"Your endpoint did not answer within {record.request.timeout_s:.0f} s. Answer "
            "webhooks quickly and do slow work afterwards."
        )
    if kind is NetworkFailureKind.CONNECT_TIMEOUT:
        return f"The connection to {url} timed out: check the host, port and firewall."
    if kind is NetworkFailureKind.DNS:
        return f"The host of {url} could not be found: check the URL's spelling."
    if kind is NetworkFailureKind.TLS:
        return (
            f"The TLS handshake with {url} failed ({failure.message}). A local endpoint "
            "under development usually speaks plain http://."
        )
    if kind is NetworkFailureKind.INVALID_URL:
        return f"'{url}' is not a URL that can be sent to: {failure.message}"
    return f"The delivery did not reach {url}: {failure.message}"
