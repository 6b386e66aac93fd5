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
        document = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"status": "ran, output not JSON", "output": proc.stdout[-3000:]}
    rows = document.get("rows", []) if isinstance(document, dict) else []
    return {
        "status": "ran",
        "rows": rows,
        "load_average": [document.get("load_average_before"), document.get("load_average_after")],
    }


def _cell(name: str, figure: dict[str, Any]) -> str:
    verdict = {True: "met", False: "MISSED", None: ""}[figure.get("pass")]
    target = figure.get("target")
    limit = "" if target is None else f" (<= {target:g} {verdict})"
    return f"{name} {figure['median']:.1f}{limit}"


def lines(result: dict[str, Any]) -> list[str]:
    """The rows as text, one line per size and mode; each figure beside its target."""
    out = [f"Response bodies: {result['status']}"]
    for row in result.get("rows", []):
        cells = "  ".join(_cell(name, fig) for name, fig in row.get("figures", {}).items())
        out.append(f"  {row['size_mb']:>3} MB {row['mode']:<7} {cells}")
    for key in ("note", "errors", "output"):
        if result.get(key):
            out.append(str(result[key]).rstrip())
    return out
