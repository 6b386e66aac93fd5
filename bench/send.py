"""A small request through the program's core vs a raw ``httpx2.Client.get``.

Both clients talk to the same keep-alive server on 127.0.0.1 (its own process, so the
server does not share the client's interpreter lock). Blocks of requests alternate
between the two so drift hits both; each request is timed on its own and the figure
is the median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

from bench.report import Figure
from explorer.core.http import make_client, send
from explorer.core.models import RequestSpec

SERVER = Path(__file__).resolve().parent / "loopback_server.py"
BLOCK = 100


@contextmanager
def loopback_server() -> Iterator[str]:
    """Start ``loopback_server.py``; yield its base URL; stop it."""
    proc = subprocess.Popen(
        [sys.executable, str(SERVER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"The benchmark server did not start: {line!r}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _timed(call: Callable[[], None], count: int, into: list[float]) -> None:
    for _ in range(count):
        t = time.perf_counter()
        call()
        into.append(time.perf_counter() - t)


def measure(iterations: int) -> tuple[list[Figure], dict[str, float]]:
    with loopback_server() as base:
        url = f"{base}/small"
        spec = RequestSpec(method="GET", url=url)
        core_client = make_client()
        raw_client = httpx.Client()

        def core() -> None:
            record = send(spec, client=core_client)
            if record.status != 200:
                raise RuntimeError(f"core send failed: {record.failure or record.status}")

        def raw() -> None:
            response = raw_client.get(url)
            response.read()
            if response.status_code != 200:
                raise RuntimeError(f"raw get failed: {response.status_code}")

        try:
            warm: list[float] = []
            _timed(core, 50, warm)
            _timed(raw, 50, warm)
            times: dict[str, list[float]] = {"core": [], "raw": []}
            blocks = max(1, iterations // BLOCK)
            for i in range(blocks):
                order = (("core", core), ("raw", raw))
                for name, call in order if i % 2 == 0 else reversed(order):
                    _timed(call, BLOCK, times[name])
        finally:
            core_client.close()
            raw_client.close()
    core_ms = statistics.median(times["core"]) * 1000
    raw_ms = statistics.median(times["raw"]) * 1000
    figure = Figure(
        name="small GET on loopback, core send()",
        unit="ms",
        value=core_ms,
        yardstick="raw httpx2.Client.get",
        yardstick_value=raw_ms,
        target=1.3,
        samples=len(times["core"]),
    )
    extra = {
        "core_p90_ms": statistics.quantiles(times["core"], n=10)[-1] * 1000,
        "raw_p90_ms": statistics.quantiles(times["raw"], n=10)[-1] * 1000,
    }
    return [figure], extra
