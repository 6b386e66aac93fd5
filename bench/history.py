"""History at scale: a real SQLite history filled with 100,000 exchanges.

Figures: the median ``HistoryStore.add`` with pruning on (the limit is the number stored,
so every add removes the oldest), a filtered search and a full-text search, the History
dock opening over that database (``bench/history_dock.py``, the real window) and the
database size per exchange. The yardstick is the same store class with the pruning of the
previous release (count and sum the whole table on every add), run on a byte-for-byte copy
of the same database in the same run.

The history is filled in one transaction through the store's own row builder and insert
(``_prepare`` / ``_insert_locked``, what ``add`` runs), from a few hundred distinct
exchanges cycled with their own time stamps, so the rows are those ``add`` writes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import Figure
from explorer.core.history import HistoryLimits, HistoryStore
from explorer.core.models import RequestSpec, ResponseRecord, Timing

ROOT = Path(__file__).resolve().parent.parent

ENDPOINTS = (
    ("GET", "/api/v4/businesses/{b}/negotiations", "listNegotiations"),
    ("GET", "/api/v4/negotiations/{n}", "getNegotiation"),
    ("POST", "/api/v4/negotiations/{n}/messages", "sendMessage"),
    ("GET", "/api/v4/businesses/{b}/reviews", "listReviews"),
    ("PUT", "/api/v4/businesses/{b}/availability", "setAvailability"),
    ("GET", "/api/v4/users/me", "getUser"),
    ("POST", "/api/v4/webhooks", "createWebhook"),
    ("GET", "/api/v4/categories", "listCategories"),
)
STATUSES = (200, 200, 200, 200, 201, 400, 401, 404, 429, 500, None)
NAMES = ("Reyes", "Okafor", "Lindqvist", "Tanaka", "Moreau", "Haddad", "Novak", "Silva")


class ScanningHistoryStore(HistoryStore):
    """The yardstick: the pruning of the previous release, which counts and sums the whole
    table on every add and walks the table to find the oldest rows."""

    def _prune_locked(
        self, conn: sqlite3.Connection, limits: HistoryLimits, *, keep: int | None
    ) -> int:
        max_entries = limits.max_entries if keep is None else min(keep, limits.max_entries)
        count, total = conn.execute(
            "SELECT count(*), coalesce(sum(size_bytes), 0) FROM exchanges"
        ).fetchone()
        max_bytes = int(limits.max_mb * 1024 * 1024)
        if count <= max_entries and total <= max_bytes:
            return 0
        doomed: list[int] = []
        excess = count - max_entries
        over = total - max_bytes
        for row_id, size in conn.execute(
            "SELECT id, size_bytes FROM exchanges NOT INDEXED ORDER BY id"
        ):
            if excess <= 0 and over <= 0:
                break
            doomed.append(row_id)
            excess -= 1
            over -= size
        for start in range(0, len(doomed), 500):
            chunk = doomed[start : start + 500]
            marks = ",".join("?" * len(chunk))
            conn.execute(f"DELETE FROM exchanges WHERE id IN ({marks})", chunk)
            if self._fts:
                conn.execute(f"DELETE FROM exchanges_fts WHERE rowid IN ({marks})", chunk)
        return len(doomed)


def _record(i: int) -> ResponseRecord:
    method, template, operation = ENDPOINTS[i % len(ENDPOINTS)]
    path = template.format(b=f"b{1000 + i % 37}", n=f"n{i}")
    status = STATUSES[i % len(STATUSES)]
    name = NAMES[i % len(NAMES)]
    items = [
        {"id": f"n{i}-{k}", "customer": {"name": f"{name} {k}"}, "status": "open", "budget": k}
        for k in range(6)
    ]
    body = json.dumps({"data": items, "page": {"next": None}}).encode()
    request_body = json.dumps({"text": f"Hello {name}"}).encode() if method != "GET" else None
    return ResponseRecord(
        request=RequestSpec(
            method=method,
            url=f"https://api.sandbox.thumbtack.com{path}?limit=20",
            headers=(("Authorization", f"Bearer tok-{i:08d}-secret"), ("Accept", "*/*")),
            body=request_body,
            operation_id=operation,
        ),
        status=status,
        reason="OK" if status and status < 300 else "Error",
        http_version="HTTP/1.1",
        headers=(("Content-Type", "application/json"), ("X-Request-Id", f"r{i}")),
        body=body if status is not None else b"",
        timing=Timing(total_ms=20 + i % 300),
        started_at="2026-12-04T12:00:00.000Z",
    )


def fill(store: HistoryStore, count: int, distinct: int = 400) -> float:
    """Store ``count`` exchanges in one transaction; returns seconds taken."""
    started = time.perf_counter()
    rows = []
    for i in range(distinct):
        contract = {"verdict": ("conforms", "violates", "undocumented")[i % 3]} if i % 2 else None
        rows.append(store._prepare(_record(i), environment="Sandbox", contract=contract))
    with store._use(write=True) as conn:
        for n in range(count):
            row = rows[n % distinct]
            stamp = f"2026-{1 + n // 9000 % 12:02d}-01T00:00:{n % 60:02d}.000+00:00"
            store._insert_locked(conn, (stamp, *row[1:]))
    return time.perf_counter() - started


#: The searches above as the previous release wrote them: every match's columns, sorted.
_PREVIOUS = {
    "endpoint": (
        "(operation_id = ? OR endpoint LIKE ? ESCAPE '\\')",
        ["negotiations", "%negotiations%"],
    ),
    "status 4xx": ("status BETWEEN ? AND ?", [400, 499]),
    "verdict": ("verdict = ?", ["violates"]),
    "endpoint + status": (
        "(operation_id = ? OR endpoint LIKE ? ESCAPE '\\') AND status BETWEEN ? AND ?",
        ["reviews", "%reviews%", 404, 404],
    ),
    "full text": (
        "id IN (SELECT rowid FROM exchanges_fts WHERE exchanges_fts MATCH ?)",
        ['"Lindqvist"'],
    ),
    "full text, rare": (
        "id IN (SELECT rowid FROM exchanges_fts WHERE exchanges_fts MATCH ?)",
        ['"n99123-4"'],
    ),
}


def _previous_search(store: HistoryStore, name: str) -> list[Any]:
    where, args = _PREVIOUS[name]
    with store._use() as conn:
        return conn.execute(
            "SELECT id, created_at, method, url, endpoint, operation_id, status, environment,"
            " profile, total_ms, json_extract(response, '$.cause'), verdict FROM exchanges"
            f" WHERE {where} ORDER BY id DESC LIMIT 100 OFFSET 0",
            args,
        ).fetchall()


def _median_ms(action: Any, times: int) -> tuple[float, list[float]]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), samples


def open_dock(path: Path, runs: int) -> dict[str, Any]:
    """Time the History dock opening over ``path`` in a fresh window process."""
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(QT_QPA_PLATFORM="offscreen", THUMBTACK_EXPLORER_HOME=home, PYTHONPATH=str(ROOT))
        proc = subprocess.run(
            [sys.executable, "-m", "bench.history_dock", str(path), str(runs)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        failed = f"The dock probe failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        raise RuntimeError(failed)
    result: dict[str, Any] = json.loads(line[len("BENCH ") :])
    return result


def measure(
    count: int = 100_000, adds: int = 200, yardstick_adds: int = 15, dock_runs: int = 9
) -> tuple[list[Figure], dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-history-"))
    try:
        path = folder / "history.sqlite3"
        with HistoryStore(path) as store:
            store.set_limits(HistoryLimits(max_entries=count, max_mb=100_000))
            fill_s = fill(store, count)
            payload = store._totals_locked(store._conn)[1] / count  # type: ignore[arg-type]
        per_exchange = path.stat().st_size / count
        copy = folder / "yardstick.sqlite3"
        shutil.copyfile(path, copy)
        details: dict[str, Any] = {
            "exchanges": count,
            "fill_s": round(fill_s, 1),
            "db_bytes_per_exchange": round(per_exchange),
            "stored_payload_bytes_per_exchange": round(payload),
        }
        probe = _record(3)
        searches = {
            "endpoint": {"endpoint": "negotiations"},
            "status 4xx": {"status": "4xx"},
            "verdict": {"verdict": "violates"},
            "endpoint + status": {"endpoint": "reviews", "status": "404"},
            "full text": {"text": "Lindqvist"},
            "full text, rare": {"text": "n99123-4"},
        }
        results: dict[str, dict[str, float]] = {}
        for label, cls, p, times in (
            ("totals", HistoryStore, path, adds),
            ("scan", ScanningHistoryStore, copy, yardstick_adds),
        ):
            with cls(p) as opened:
                opened.search(text="warm")  # page cache as for a user who has used it
                add_ms, _ = _median_ms(lambda o=opened: o.add(probe), times)
                assert opened.count() == count
                found = {"add": add_ms}
                for name, query in searches.items():
                    if label == "totals":
                        run = lambda o=opened, q=query: o.search(**q)  # noqa: E731
                    else:
                        run = lambda o=opened, n=name: _previous_search(o, n)  # noqa: E731
                    found[name] = _median_ms(run, 15)[0]
                results[label] = found
        details["median_ms"] = {
            k: {n: round(v, 2) for n, v in r.items()} for k, r in results.items()
        }
        dock = open_dock(path, dock_runs)
        details["dock"] = dock
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    new, old = results["totals"], results["scan"]
    figures = [
        Figure(
            name=f"history add at {count:,} (pruning)",
            unit="ms",
            value=new["add"],
            yardstick="count+sum scan prune",
            yardstick_value=old["add"],
            target=5,
            absolute_limit=True,
            samples=adds,
        )
    ]
    for name in ("endpoint", "status 4xx", "verdict", "endpoint + status", "full text"):
        figures.append(
            Figure(
                name=f"history search {name} at {count:,}",
                unit="ms",
                value=new[name],
                yardstick="previous query",
                yardstick_value=old[name],
                target=50,
                absolute_limit=True,
                samples=15,
            )
        )
    figures.append(
        Figure(
            name=f"History dock open to rows painted at {count:,}",
            unit="ms",
            value=dock["program_median_ms"],
            yardstick="previous dock (500 rows, QTreeWidget)",
            yardstick_value=dock["previous_median_ms"],
            target=100,
            absolute_limit=True,
            samples=dock_runs,
        )
    )
    figures.append(
        Figure(
            name="history database per exchange",
            unit="B",
            value=per_exchange,
            yardstick="payload stored",
            yardstick_value=payload,
            target=None,
        )
    )
    return figures, details
