"""Pruning from running totals keeps exactly what scanning the whole table would keep."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from pathlib import Path

from helpers import scripted_session as s

from explorer.core.history import HistoryLimits, HistoryStore


def _scan(path: Path) -> tuple[list[tuple[int, int]], int, int]:
    """(id, size) of every row oldest first, and the totals the store keeps, read directly."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, size_bytes FROM exchanges ORDER BY id").fetchall()
        entries, size = conn.execute("SELECT entries, bytes FROM totals").fetchone()
    return [(int(a), int(b)) for a, b in rows], int(entries), int(size)


def _kept_by_scan(rows: list[tuple[int, int]], limits: HistoryLimits) -> list[int]:
    """What the earlier algorithm kept: drop the oldest until count and bytes both fit."""
    max_bytes = int(limits.max_mb * 1024 * 1024)
    kept = list(rows)
    while kept and (len(kept) > limits.max_entries or sum(b for _, b in kept) > max_bytes):
        kept.pop(0)
    return [row_id for row_id, _ in kept]


def test_pruning_by_totals_keeps_the_entries_the_full_scan_would(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    rng = random.Random(23)
    base = s.negotiation_exchange()
    expected: list[tuple[int, int]] = []
    with HistoryStore(path) as store:
        limits = HistoryLimits(max_entries=40, max_mb=0.05)
        store.set_limits(limits)
        for step in range(300):
            body = b"x" * rng.choice([10, 200, 2000, 9000])
            if step % 60 == 59:  # the user changes the limits now and then
                limits = HistoryLimits(
                    max_entries=rng.choice([5, 25, 60]), max_mb=rng.choice([0.02, 0.05, 1.0])
                )
                before, _, _ = _scan(path)
                store.set_limits(limits)
                expected = [r for r in before if r[0] in set(_kept_by_scan(before, limits))]
            new_id = store.add(replace(base, body=body))
            rows, entries, size = _scan(path)
            # the new row's size as stored, then what a scan over old rows + new would keep
            candidate = [*expected, (new_id, dict(rows)[new_id])]
            wanted = _kept_by_scan(candidate, limits)
            assert [row_id for row_id, _ in rows] == wanted, step
            assert (entries, size) == (len(rows), sum(b for _, b in rows))
            assert store.count() == len(rows)
            assert size <= int(limits.max_mb * 1024 * 1024) or len(rows) == 1
            expected = rows
        assert store.prune(keep=3) == len(expected) - 3
        rows, entries, size = _scan(path)
        assert len(rows) == 3 and (entries, size) == (3, sum(b for _, b in rows))
        # the full-text index lost the pruned rows too
        assert {r.id for r in store.search(text="negotiat", limit=1000)} <= {i for i, _ in rows}


def test_totals_are_counted_once_for_a_history_written_before_them(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        for _ in range(7):
            store.add(s.error_exchange())
    with sqlite3.connect(path) as conn:  # as an older version left it: no totals
        conn.execute("DROP TRIGGER exchanges_totals_insert")
        conn.execute("DROP TRIGGER exchanges_totals_delete")
        conn.execute("DROP TABLE totals")
        conn.execute("DELETE FROM exchanges WHERE id = 1")
    with HistoryStore(path) as store:
        assert store.count() == 6
        store.set_limits(HistoryLimits(max_entries=4, max_mb=50))
        assert [r.id for r in store.search()] == [7, 6, 5, 4]
    rows, entries, size = _scan(path)
    assert (entries, size) == (4, sum(b for _, b in rows))
