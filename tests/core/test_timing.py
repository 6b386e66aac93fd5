"""The Timing tab's words: a failed request never says "reused connection"."""

from __future__ import annotations

import pytest

from explorer.core.models import NetworkFailure, NetworkFailureKind, Timing
from explorer.core.timing import phase_texts


def failure(kind: NetworkFailureKind) -> NetworkFailure:
    return NetworkFailure(kind=kind, exception_type="X", message="m")


def test_a_reused_connection_is_named_only_when_the_request_got_an_answer() -> None:
    texts = phase_texts(Timing(send_ms=1, wait_ms=2, download_ms=3, total_ms=6))
    assert texts["dns_ms"] == texts["connect_ms"] == texts["tls_ms"] == "reused connection"
    assert texts["wait_ms"] == "2.0 ms"


@pytest.mark.parametrize(
    ("kind", "failed"),
    [
        (NetworkFailureKind.DNS, "dns_ms"),
        (NetworkFailureKind.REFUSED, "connect_ms"),
        (NetworkFailureKind.TLS, "tls_ms"),
        (NetworkFailureKind.READ_TIMEOUT, "wait_ms"),
    ],
)
def test_the_failed_phase_is_named_and_later_ones_not_reached(kind, failed) -> None:  # type: ignore[no-untyped-def]
    texts = phase_texts(Timing(total_ms=5), failure(kind))
    assert texts[failed].startswith("failed")
    order = list(texts)
    for attr in order[order.index(failed) + 1 :]:
        assert texts[attr] == "not reached"
    for attr in order[: order.index(failed)]:
        assert texts[attr] == "not measured"
    assert "reused connection" not in texts.values()
