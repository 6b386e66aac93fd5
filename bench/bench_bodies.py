"""Benchmark: big JSON bodies in the real response pane, offscreen.

For each size (1, 10 and 50 MB by default) and each mode ("auto": what the user gets,
raw text first above the 5 MB formatting limit; "format": the "Format anyway" path), a
fresh process builds a :class:`~explorer.ui.response_pane.ResponsePane`, shows one
response with :meth:`show_record` and measures:

* first paint: from the ``show_record`` call until the first lines are painted;
* longest stall: the longest gap between ticks of a 5 ms GUI timer, from the call until
  the body is fully shown (the window is frozen for that long at worst);
* total: until every line is in and the visible ones are coloured;
* peak memory: growth of the process's peak resident size (``ru_maxrss``).

Targets (issue 6): 10 MB first paint <= 300 ms and no stall > 50 ms; 50 MB no stall >
100 ms. Run: ``QT_QPA_PLATFORM=offscreen python bench/bench_bodies.py [--json]``.
This is a measurement, not a test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

TARGETS = {10: {"first_paint_ms": 300, "longest_stall_ms": 50}, 50: {"longest_stall_ms": 100}}


def make_body(megabytes: int) -> bytes:
    """A realistic minified API body (a list of businesses) of about ``megabytes`` MB."""
    item = {
        "businessID": "286845156044809661",
        "name": "Bay Area Plumbing & Drains",
        "rating": 4.8,
        "numberOfReviews": 312,
        "categories": ["plumbing", "drain-cleaning"],
        "verified": True,
        "introduction": "Family-owned, licensed and insured; same-day service in SF.",
        "imageURL": None,
    }
    one = len(json.dumps(item)) + 2
    count = megabytes * 1024 * 1024 // one
    return json.dumps({"data": [dict(item, rank=i) for i in range(count)]}).encode()


def run_one(megabytes: int, mode: str) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.core.models import RequestSpec, ResponseRecord
    from explorer.core.status import classify
    from explorer.ui.response_pane import ResponsePane
    from explorer.ui.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    apply_theme(app, dark=True)  # type: ignore[arg-type]
    pane = ResponsePane()
    pane.resize(900, 700)
    pane.show()
    view = pane.body_view
    spec = RequestSpec(method="GET", url="https://api.thumbtack.com/api/v4/businesses")

    def record(body: bytes) -> ResponseRecord:
        return ResponseRecord(
            request=spec,
            status=200,
            reason="OK",
            headers=(("Content-Type", "application/json"),),
            body=body,
        )

    # Warm up fonts and glyph caches with a small body, as any earlier response would.
    warm = record(b'{"warm": [1, 2.5, true, null, "text"]}')
    pane.show_record(warm, status=classify(warm))
    for _ in range(5):
        app.processEvents()

    body = make_body(megabytes)
    rec = record(body)
    status = classify(rec)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    gaps: list[float] = []
    marks: dict[str, float] = {}
    last = [0.0]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        if os.environ.get("BENCH_TRACE") and now - last[0] > 0.03:
            print(
                f"gap {(now - last[0]) * 1000:.0f} ms ending at {(now - start) * 1000:.0f} ms",
                file=sys.stderr,
            )
        last[0] = now

    def first_shown() -> None:
        view.code.viewport().repaint()  # paint now, so the figure includes painting
        marks.setdefault("first", time.perf_counter())

    def finished() -> None:
        marks["done"] = time.perf_counter()

    view.code.first_chunk_shown.connect(first_shown)
    view.formatting_finished.connect(finished)
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    start = time.perf_counter()
    last[0] = start
    pane.show_record(rec, status=status)
    if mode == "format" and view.format_button.isVisibleTo(view):
        view.format_anyway()
    while "done" not in marks:
        app.processEvents()
        time.sleep(0.001)
        if time.perf_counter() - start > 600:
            break
    now = time.perf_counter()
    gaps.append(now - last[0])
    timer.stop()
    return {
        "size_mb": megabytes,
        "body_bytes": len(body),
        "mode": mode,
        "formatted": "\n  " in view.text()[:200],
        "lines": view.code.line_total,
        "first_paint_ms": round((marks.get("first", now) - start) * 1000, 1),
        "longest_stall_ms": round(max(gaps) * 1000, 1),
        "total_ms": round((marks.get("done", now) - start) * 1000, 1),
        "peak_rss_delta_mb": round(
            (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1
        ),
    }


def verdict(row: dict[str, Any]) -> str:
    targets = TARGETS.get(row["size_mb"], {})
    misses = [name for name, limit in targets.items() if row[name] > limit]
    if not targets:
        return "-"
    return "met" if not misses else "missed: " + ", ".join(misses)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10,50", help="MB, comma-separated")
    parser.add_argument("--modes", default="auto,format", help="auto and/or format")
    parser.add_argument("--json", action="store_true", help="print one JSON list")
    parser.add_argument("--one", nargs=2, metavar=("MB", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(int(args.one[0]), args.one[1])))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        for mode in args.modes.split(","):
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(size), mode],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            )
            row = json.loads(done.stdout.strip().splitlines()[-1])
            row["target"] = verdict(row)
            rows.append(row)
            if not args.json:
                print(
                    f"{row['size_mb']:>4} MB {row['mode']:<7} formatted={row['formatted']!s:<5} "
                    f"first paint {row['first_paint_ms']:>7.1f} ms  "
                    f"longest stall {row['longest_stall_ms']:>6.1f} ms  "
                    f"total {row['total_ms'] / 1000:>6.1f} s  "
                    f"peak +{row['peak_rss_delta_mb']:>6.1f} MB  target: {row['target']}",
                    flush=True,
                )
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
