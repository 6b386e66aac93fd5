"""Diffs of two 10 MB JSON bodies: how long the core takes, and how long the window stalls.

The bodies are Thumbtack-like negotiation lists (about 22,000 objects with an id,
nested customer and request objects, timestamps). B holds the same objects in another
order, every timestamp and the traceID changed (volatile), 2% of the statuses changed,
some objects removed and some added: the usual "same request, later run" comparison.

* ``diff of two 10 MB bodies``: :func:`explorer.core.diff.compare` on a worker thread,
  median of ``runs``; the yardstick is parsing both bodies with ``json.loads`` and
  comparing them with ``==`` (the least any structural diff has to do). Target: at most
  2 s (issue 20).
* ``longest GUI stall, 10 MB diff in the Compare window``: the real
  :class:`~explorer.ui.diff.controller.DiffController` and its window, offscreen; a 5 ms
  GUI timer records the gaps between its ticks from the moment Compare is asked until
  every row is in the table; the yardstick is the same timer while the window idles for
  as long. Target: no stall above 50 ms.
"""

from __future__ import annotations

import json
import random
import statistics
import threading
import time
from typing import Any

from bench.report import Figure

TICK_MS = 5


def bodies(target_mb: float = 10.0, seed: int = 20) -> tuple[bytes, bytes]:
    """Two bodies of about ``target_mb`` MB each (A, then B as described above)."""
    rng = random.Random(seed)

    def lead(i: int) -> dict[str, Any]:
        return {
            "negotiationID": f"{10**12 + i}",
            "businessID": "286845156044809661",
            "createdTime": "2026-12-01T10:00:00Z",
            "status": "active",
            "customer": {"customerID": f"{i * 7}", "displayName": f"Customer {i}"},
            "request": {
                "category": {"categoryID": f"{i % 50}", "name": "House Cleaning"},
                "details": [
                    {"question": "How many bedrooms?", "answer": f"{i % 5 + 1}"},
                    {"question": "When do you need this?", "answer": "Within a week"},
                ],
                "location": {"city": "Austin", "state": "TX", "zipCode": "78701"},
            },
            "price": {"amount": i * 1.5, "currency": "USD"},
        }

    count = int(1925 * target_mb)
    a = {"data": [lead(i) for i in range(count)], "traceID": "a1", "pagination": {}}
    b = json.loads(json.dumps(a))
    rng.shuffle(b["data"])
    for item in b["data"]:
        item["createdTime"] = "2026-12-02T09:30:00Z"
    for item in rng.sample(b["data"], count // 50):
        item["status"] = "closed"
    for _ in range(20):
        b["data"].pop(rng.randrange(len(b["data"])))
    b["data"].extend(lead(count + i) for i in range(20))
    b["traceID"] = "b2"
    return json.dumps(a).encode(), json.dumps(b).encode()


def _record(body: bytes) -> Any:
    from explorer.core.models import RequestSpec, ResponseRecord

    return ResponseRecord(
        request=RequestSpec(method="GET", url="https://api.thumbtack.com/api/v4/negotiations"),
        status=200,
        reason="OK",
        headers=(("Content-Type", "application/json"), ("Date", "x")),
        body=body,
    )


def _on_worker(work: Any) -> float:
    """Seconds ``work()`` takes on a thread of its own (as the window runs it)."""
    spent: list[float] = []

    def run() -> None:
        started = time.perf_counter()
        work()
        spent.append(time.perf_counter() - started)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return spent[0]


def core_times(a: bytes, b: bytes, runs: int) -> tuple[list[float], list[float], int]:
    from explorer.core.diff import compare

    ra, rb = _record(a), _record(b)
    found: list[int] = []
    diff_s = []
    parse_s = []
    for _ in range(runs):
        parse_s.append(_on_worker(lambda: json.loads(a) == json.loads(b)))
        diff_s.append(_on_worker(lambda: found.append(len(compare(ra, rb).changes))))
    return diff_s, parse_s, found[0]


def window_stalls(a: bytes, b: bytes) -> tuple[float, float, float, int]:
    """(longest stall ms while comparing, longest while idle, seconds to fill, rows)."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from explorer.core.diff_rules import DiffRulesStore
    from explorer.core.redact import Redactor
    from explorer.ui.diff.controller import DiffController, DiffSide
    from explorer.ui.workers import share_the_gil_with_workers

    app = QApplication.instance() or QApplication([])
    share_the_gil_with_workers()
    import tempfile
    from pathlib import Path

    parent = QWidget()
    parent.resize(1000, 700)
    parent.show()
    folder = tempfile.TemporaryDirectory()
    controller = DiffController(
        redactor=Redactor, store=DiffRulesStore.in_config(Path(folder.name)), parent=parent
    )
    clock = QElapsedTimer()
    clock.start()

    def measure(until: Any, limit_s: float) -> float:
        gaps: list[float] = []
        last = [clock.nsecsElapsed()]

        def tick() -> None:
            now = clock.nsecsElapsed()
            gaps.append((now - last[0]) / 1e6 - TICK_MS)
            last[0] = now

        timer = QTimer(interval=TICK_MS)
        timer.timeout.connect(tick)
        timer.start()
        deadline = time.perf_counter() + limit_s
        while not until() and time.perf_counter() < deadline:
            app.processEvents()
        timer.stop()
        return max(gaps, default=0.0)

    done: list[Any] = []
    controller.compared.connect(done.append)
    ra, rb = _record(a), _record(b)
    started = time.perf_counter()
    controller.compare(DiffSide("A", ra), DiffSide("B", rb))
    window = controller.window
    assert window is not None
    busy = measure(lambda: bool(done) and not window.model.filling, 120.0)
    took = time.perf_counter() - started
    idle_until = time.perf_counter() + took
    idle = measure(lambda: time.perf_counter() > idle_until, took + 1)
    rows = window.model.rowCount()
    controller.shutdown()
    window.close()
    parent.close()
    folder.cleanup()
    return busy, idle, took, rows


def measure(runs: int = 3, size_mb: float = 10.0) -> tuple[list[Figure], dict[str, Any]]:
    a, b = bodies(size_mb)
    diff_s, parse_s, changes = core_times(a, b, runs)
    stall, idle, took, rows = window_stalls(a, b)
    details = {
        "body_a_bytes": len(a),
        "body_b_bytes": len(b),
        "differences": changes,
        "diff_s": diff_s,
        "parse_and_equal_s": parse_s,
        "window_fill_s": took,
        "window_rows": rows,
    }
    figures = [
        Figure(
            name=f"diff of two {len(a) / 1e6:.1f} MB bodies (worker thread)",
            unit="ms",
            value=statistics.median(diff_s) * 1000,
            yardstick="json.loads both + ==",
            yardstick_value=statistics.median(parse_s) * 1000,
            target=2000.0,
            absolute_limit=True,
            samples=runs,
        ),
        Figure(
            name="longest GUI stall, 10 MB diff in the Compare window",
            unit="ms",
            value=stall,
            yardstick="the same timer, idle",
            yardstick_value=max(idle, 0.1),
            target=50.0,
            absolute_limit=True,
            samples=1,
        ),
    ]
    return figures, details


if __name__ == "__main__":
    from bench.report import table

    found, info = measure()
    print(table(found))
    print(json.dumps(info, indent=2))
