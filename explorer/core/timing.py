"""What the Timing tab says for each phase of a request, in words.

A phase with a number shows it; a phase without one is explained: skipped because the
connection was reused, failed (the phase the network failure happened in), not reached
(after the failure) or not measured. A request that failed never says "reused".
"""

from __future__ import annotations

from explorer.core.models import NetworkFailure, NetworkFailureKind, Timing

#: (label, Timing attribute) in the order a request goes through them.
PHASES: tuple[tuple[str, str], ...] = (
    ("DNS", "dns_ms"),
    ("Connect", "connect_ms"),
    ("TLS", "tls_ms"),
    ("Send", "send_ms"),
    ("Wait (first byte)", "wait_ms"),
    ("Download", "download_ms"),
)

_CONNECTION_PHASES = ("dns_ms", "connect_ms", "tls_ms")

#: The phase each kind of network failure happens in (None: before any phase).
_FAILED_IN: dict[NetworkFailureKind, str | None] = {
    NetworkFailureKind.DNS: "dns_ms",
    NetworkFailureKind.REFUSED: "connect_ms",
    NetworkFailureKind.CONNECT_TIMEOUT: "connect_ms",
    NetworkFailureKind.PROXY: "connect_ms",
    NetworkFailureKind.POOL_TIMEOUT: "connect_ms",
    NetworkFailureKind.TLS: "tls_ms",
    NetworkFailureKind.WRITE_TIMEOUT: "send_ms",
    NetworkFailureKind.READ_TIMEOUT: "wait_ms",
    NetworkFailureKind.RESET: "wait_ms",
    NetworkFailureKind.PROTOCOL: "wait_ms",
    NetworkFailureKind.TOO_MANY_REDIRECTS: "download_ms",
    NetworkFailureKind.INVALID_URL: None,
    NetworkFailureKind.INVALID_HEADER: None,
}

_FAILED_WORDS: dict[NetworkFailureKind, str] = {
    NetworkFailureKind.DNS: "failed: name not resolved",
    NetworkFailureKind.REFUSED: "failed: refused",
    NetworkFailureKind.CONNECT_TIMEOUT: "failed: timed out",
    NetworkFailureKind.PROXY: "failed: proxy",
    NetworkFailureKind.POOL_TIMEOUT: "failed: no free connection",
    NetworkFailureKind.TLS: "failed: TLS handshake",
    NetworkFailureKind.WRITE_TIMEOUT: "failed: timed out",
    NetworkFailureKind.READ_TIMEOUT: "failed: no answer in time",
    NetworkFailureKind.RESET: "failed: connection reset",
    NetworkFailureKind.PROTOCOL: "failed: not valid HTTP",
    NetworkFailureKind.TOO_MANY_REDIRECTS: "failed: too many redirects",
}


def phase_texts(timing: Timing, failure: NetworkFailure | None = None) -> dict[str, str]:
    """One text per phase attribute of :data:`PHASES`."""
    failed_in = _FAILED_IN.get(failure.kind, "") if failure is not None else ""
    reached = failed_in is not None
    texts: dict[str, str] = {}
    for _name, attr in PHASES:
        value = getattr(timing, attr)
        if failure is not None and attr == failed_in:
            texts[attr] = _FAILED_WORDS.get(failure.kind, "failed")
            reached = False
        elif value is not None:
            texts[attr] = f"{value:,.1f} ms"
        elif failure is not None:
            # Before the failed phase (or where it failed is not known): not measured.
            texts[attr] = "not measured" if reached or failed_in == "" else "not reached"
        else:
            texts[attr] = "reused connection" if attr in _CONNECTION_PHASES else "not measured"
    return texts
