"""The core's send against a real server on 127.0.0.1: phases timed, timeouts named."""

from __future__ import annotations

import pytest
from helpers.servers import local_server, reply

from explorer.core.http import make_client, send
from explorer.core.models import NetworkFailureKind, RequestSpec

pytestmark = pytest.mark.integration


def test_real_round_trip_has_phase_timings() -> None:
    with local_server(reply(200, b'{"data": []}')) as server, make_client() as client:
        record = send(RequestSpec(method="GET", url=server.url + "/api/v4/x"), client=client)
    assert record.status == 200
    assert record.body == b'{"data": []}'
    assert record.timing.connect_ms is not None
    assert record.timing.wait_ms is not None
    assert record.timing.total_ms >= record.timing.wait_ms


def test_read_timeout_is_named() -> None:
    with local_server(reply(200, b"{}", delay_s=1.0)) as server, make_client() as client:
        record = send(RequestSpec(method="GET", url=server.url, timeout_s=0.2), client=client)
    assert record.failure is not None
    assert record.failure.kind is NetworkFailureKind.READ_TIMEOUT
