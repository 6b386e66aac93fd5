"""The hook for the response-pane body benchmark, ``bench/bench_bodies.py``.

That script measures JSON bodies (1, 10 and 50 MB by default) shown in the real response
pane: time to first paint, longest GUI stall (timer gaps), total time and peak memory
growth. It runs in its own processes; this runs it with ``--json``, keeps its rows for
the suite's JSON and prints them beside the issue's targets. When the file is not there
yet, or its output cannot be read, this says so instead of failing the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve().parent / "bench_bodies.py"
#: The issue's budget for peak memory: at most 6x the body plus 150 MB.
PEAK_FACTOR, PEAK_EXTRA_MB = 6, 150


def run_bodies(sizes: str = "1,10,50", timeout_s: float = 1800) -> dict[str, Any]:
    """Run ``bench_bodies.py --json`` if present; return its rows (or why there are none)."""
    if not SCRIPT.is_file():
        return {"status": "absent", "note": f"{SCRIPT.name} is not in this checkout yet."}
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(SCRIPT.parent.parent))
    with tempfile.TemporaryDirectory(prefix="bench-bodies-") as tmp:
        env["THUMBTACK_EXPLORER_HOME"] = tmp
        proc = subprocess.run(
            [sys.executable, str(SCRIPT), "--json", "--sizes", sizes],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    if proc.returncode != 0:
        return {"status": f"failed (exit {proc.returncode})", "errors": proc.stderr[-3000:]}
    try:
        rows = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"status": "ran, output not JSON", "output": proc.stdout[-3000:]}
    for row in rows:
        limit = PEAK_FACTOR * row["body_bytes"] / 1e6 + PEAK_EXTRA_MB
        row["peak_limit_mb"] = round(limit, 1)
        row["peak_met"] = row["peak_rss_delta_mb"] <= limit
    return {"status": "ran", "rows": rows}


def lines(result: dict[str, Any]) -> list[str]:
    """The rows as text, one line per size and mode."""
    out = [f"Response bodies: {result['status']}"]
    for row in result.get("rows", []):
        out.append(
            f"  {row['size_mb']:>3} MB {row['mode']:<7}"
            f"  first paint {row['first_paint_ms']:>7.1f} ms"
            f"  longest stall {row['longest_stall_ms']:>6.1f} ms"
            f"  total {row['total_ms'] / 1000:>5.1f} s"
            f"  peak +{row['peak_rss_delta_mb']:>6.1f} MB (<= {row['peak_limit_mb']:g}"
            f" {'met' if row['peak_met'] else 'MISSED'})"
            f"  timing targets: {row.get('target', '-')}"
        )
    for key in ("note", "errors", "output"):
        if result.get(key):
            out.append(str(result[key]).rstrip())
    return out
