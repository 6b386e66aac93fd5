"""Benchmarks that run as their own scripts, joined to the one report as figures.

``bench_contract.py`` (the contract verdict on large bodies, beside openapi-core alone)
and ``bench_descriptions.py`` (opening real and generated OpenAPI descriptions, beside the
previous loader) each run in a fresh process with ``--json``; their rows become
:class:`~bench.report.Figure` rows with the same yardsticks and targets they print.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.report import Figure

ROOT = Path(__file__).resolve().parent.parent


def _run(module: str, *args: str, timeout_s: float = 3600) -> Any:
    with tempfile.TemporaryDirectory(prefix="bench-part-") as folder:
        out = Path(folder) / "rows.json"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        proc = subprocess.run(
            [sys.executable, "-m", module, "--json", str(out), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"{module} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def contract() -> tuple[list[Figure], Any]:
    rows = _run("bench.bench_contract")
    figures = []
    for row in rows:
        program, core = row["program"], row["openapi_core"]
        figures.append(
            Figure(
                name=f"contract verdict, {row['size_mb']} MB body, on the worker",
                unit="ms",
                value=program["worker_ms"],
                yardstick="openapi-core alone",
                yardstick_value=core["worker_ms"],
                target=None,
            )
        )
        figures.append(
            Figure(
                name=f"window's longest stall while the {row['size_mb']} MB verdict is made",
                unit="ms",
                value=program["stall_ms"],
                yardstick="openapi-core alone",
                yardstick_value=core["stall_ms"],
                target=50,
                absolute_limit=True,
            )
        )
    return figures, rows


def descriptions() -> tuple[list[Figure], Any]:
    rows = _run("bench.bench_descriptions")
    figures = []
    for row in rows:
        program, previous = row["program"], row["previous"]
        if "error" in program:
            continue
        figures.append(
            Figure(
                name=f"open {row['case']} to its endpoint tree",
                unit="ms",
                value=program["tree_s"] * 1000,
                yardstick="previous loader"
                + (f" ({previous['error']})" if "error" in previous else ""),
                yardstick_value=previous.get("tree_s", 0) * 1000 if "error" not in previous else 0,
                target=row["target_s"] * 1000,
                absolute_limit=True,
            )
        )
    return figures, rows
