"""The hook for the response-pane body benchmark, ``bench/bench_bodies.py``.

That script measures 1, 10 and 50 MB JSON bodies shown in the response pane (time to
first paint, longest GUI stall, peak memory). It runs in its own process, as a script;
when it accepts ``--json FILE`` its figures are merged into this suite's JSON, and its
printed report is shown either way. When the file is not there yet, this says so.
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


def run_bodies(timeout_s: float = 900) -> dict[str, Any]:
    """Run ``bench_bodies.py`` if present; return its output (and JSON figures, if any)."""
    if not SCRIPT.is_file():
        return {"status": "absent", "note": f"{SCRIPT.name} is not in this checkout yet."}
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["PYTHONPATH"] = str(SCRIPT.parent.parent)
    with tempfile.TemporaryDirectory(prefix="bench-bodies-") as tmp:
        command = [sys.executable, str(SCRIPT)]
        json_file = Path(tmp) / "bodies.json"
        if "--json" in SCRIPT.read_text(encoding="utf-8"):
            command += ["--json", str(json_file)]
        env["THUMBTACK_EXPLORER_HOME"] = str(Path(tmp) / "home")
        proc = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
        )
        figures = json.loads(json_file.read_text()) if json_file.is_file() else None
    return {
        "status": "ran" if proc.returncode == 0 else f"failed (exit {proc.returncode})",
        "output": proc.stdout,
        "errors": proc.stderr[-3000:] if proc.returncode else "",
        "figures": figures,
    }
