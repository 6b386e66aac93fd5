"""Cold start to the main window's first paint, and idle memory, vs a bare PySide6 window.

Each run is a fresh process (``bench/probe.py``) with a fresh program home, started the
same way for the program and for the yardstick, alternating which goes first. The time
is from just before the process is spawned to the main window's first paint. The program
opens in stages (its frame paints, then the panels are built and the API description is
loaded), so a second figure, for information, is the time until it is ready for input:
panels built and the endpoint tree filled.
``imports_before_window`` runs the program once under ``python -X importtime`` and lists
what was imported before that first paint.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import Figure

PROBE = Path(__file__).resolve().parent / "probe.py"
POSTING_PROBE = PROBE.parent / "posting_probe.py"
ROOT = PROBE.parent.parent
#: Posting (the yardstick of ready-for-input), installed by bench/tools.sh
POSTING = ROOT / ".bench-tools" / "posting" / "bin" / "posting"
#: Imported before the window shows, these are the ones that must stay lazy.
MUST_BE_LAZY = (
    "explorer.sandbox",
    "authlib",
    "joserfc",
    "pygments.lexers",
    "keyring",
    "cryptography",
    "jsonschema",
    "openapi_spec_validator",
    "jsonpath_ng",
)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Measure what a user gets: an installed program has its bytecode compiled. (Some
    # shells set PYTHONDONTWRITEBYTECODE, which would charge every run for compiling.)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(QT_QPA_PLATFORM="offscreen", THUMBTACK_EXPLORER_HOME=str(home))
    env["PYTHONPATH"] = str(ROOT)
    return env


def probe_once(mode: str, idle_s: float, extra_args: tuple[str, ...] = ()) -> dict[str, Any]:
    """Start one probe process; return start seconds, memory, and its stderr."""
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, *extra_args, str(PROBE), mode, str(idle_s)],
            env=_env(Path(home)),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(
            f"The {mode} probe failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        )
    data = json.loads(line[len("BENCH ") :])
    return {
        "start_s": data["first_paint"] - started,
        "ready_s": data.get("ready", data["first_paint"]) - started,
        "rss_mb": data["VmRSS"] / 1024,
        "peak_mb": data["VmHWM"] / 1024,
        "modules": data["modules"],
        "stderr": proc.stderr,
    }


def posting_once() -> float:
    """Posting's start to its first draw, in seconds (``bench/posting_probe.py``)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run(
        [str(POSTING.parent / "python"), str(POSTING_PROBE), str(POSTING)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"The Posting probe failed (exit {proc.returncode}):\n{proc.stderr}")
    return float(json.loads(line[len("BENCH ") :])["first_draw"])


def measure(runs: int, idle_s: float) -> tuple[list[Figure], dict[str, Any]]:
    """``runs`` alternating rounds after one warm-up round; medians of each.

    A round starts the bare window, the program and (when installed) Posting, in an order
    that turns each round."""
    with_posting = POSTING.exists()
    modes = ("bare", "app", "posting") if with_posting else ("bare", "app")

    def once(mode: str, idle: float) -> dict[str, Any]:
        if mode == "posting":
            return {"start_s": posting_once()}
        return probe_once(mode, idle)

    for mode in modes:  # warm the file cache for each
        once(mode, 0.0)
    samples: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
    for i in range(runs):
        order = modes[i % len(modes) :] + modes[: i % len(modes)]
        for mode in order:
            samples[mode].append(once(mode, idle_s))

    def median(mode: str, key: str) -> float:
        return float(statistics.median(s[key] for s in samples[mode]))

    figures = [
        Figure(
            name="cold start to main window painted",
            unit="ms",
            value=median("app", "start_s") * 1000,
            yardstick="bare PySide6 QMainWindow",
            yardstick_value=median("bare", "start_s") * 1000,
            target=1.5,
            samples=runs,
        ),
        Figure(
            name="cold start to ready for input (panels, API description)",
            unit="ms",
            value=median("app", "ready_s") * 1000,
            yardstick="bare PySide6 QMainWindow painted",
            yardstick_value=median("bare", "start_s") * 1000,
            target=2.0,
            samples=runs,
        ),
    ]
    if with_posting:
        figures.append(
            Figure(
                name="cold start to ready for input, beside Posting",
                unit="ms",
                value=median("app", "ready_s") * 1000,
                yardstick="Posting's start to first draw",
                yardstick_value=median("posting", "start_s") * 1000,
                target=0.5,
                samples=runs,
            )
        )
    figures.append(
        Figure(
            name=f"idle memory (RSS) {idle_s:g} s after ready",
            unit="MB",
            value=median("app", "rss_mb"),
            yardstick="bare PySide6 QMainWindow",
            yardstick_value=median("bare", "rss_mb"),
            target=100,
            absolute_limit=True,
            samples=runs,
        )
    )
    raw = {
        mode: [{k: round(v, 4) for k, v in s.items() if k.endswith(("_s", "_mb"))} for s in items]
        for mode, items in samples.items()
    }
    return figures, raw


def imports_before_window() -> dict[str, Any]:
    """What the program imports before its window first paints (``-X importtime``)."""
    result = probe_once("app", 0.0, ("-X", "importtime"))
    loaded = set(result["modules"])  # importtime also lists imports that failed
    lines = result["stderr"].split("BENCH-FIRST-PAINT")[0].splitlines()
    per_package: dict[str, int] = {}
    modules: dict[str, int] = {}
    for line in lines:
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = [p.strip() for p in line[len("import time:") :].split("|")]
        if not parts[0].isdigit():
            continue  # the header line
        self_us, cumulative_us, name = int(parts[0]), int(parts[1]), parts[2]
        if name not in loaded:
            continue
        modules[name] = cumulative_us
        top = name.split(".")[0]
        per_package[top] = per_package.get(top, 0) + self_us
    lazy_broken: dict[str, int] = {}
    for prefix in MUST_BE_LAZY:
        matched = [m for m in modules if m == prefix or m.startswith(prefix + ".")]
        if matched:
            lazy_broken[prefix] = len(matched)
    heaviest = sorted(per_package.items(), key=lambda kv: kv[1], reverse=True)[:15]
    return {
        "modules_imported": len(modules),
        "import_ms_total": round(sum(per_package.values()) / 1000, 1),
        "heaviest_packages_ms": {name: round(us / 1000, 1) for name, us in heaviest},
        "should_be_lazy_but_imported_modules": lazy_broken,
        "explorer_modules_cumulative_ms": {
            name: round(us / 1000, 1)
            for name, us in sorted(modules.items(), key=lambda kv: kv[1], reverse=True)
            if name.startswith("explorer")
        },
    }
