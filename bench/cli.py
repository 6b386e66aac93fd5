"""One CLI process per request, beside HTTPie and curl, interleaved in one run.

Each round runs, in turn: ``thumbtack-explorer call GET URL``, ``http GET URL`` (HTTPie)
and ``curl -s URL`` on the same small GET to a loopback server (``loopback_server.py``),
then ``thumbtack-explorer --version``, ``thumbtack-explorer endpoints`` and
``http --version``. Every process is timed from spawn to exit; figures are medians. The
program runs with its bytecode compiled, as an installed wheel has it (``compileall``
first; ``PYTHONDONTWRITEBYTECODE`` is dropped), and with a fresh home each run.

HTTPie is looked for in ``.bench-tools/httpie`` (``bench/tools.sh`` installs it from PyPI),
then on ``PATH``; without it the CLI figures are skipped, saying so.
"""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import Figure
from bench.send import loopback_server

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".bench-tools"


def httpie() -> str | None:
    local = TOOLS / "httpie" / "bin" / "http"
    return str(local) if local.exists() else shutil.which("http")


def _program() -> list[str]:
    installed = Path(sys.executable).parent / "thumbtack-explorer"
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "explorer"]


def _time(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, timeout=120, check=False)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({proc.returncode}): {proc.stderr[-2000:]!r}")
    return took


def measure(rounds: int = 9) -> tuple[list[Figure], dict[str, Any]]:
    http = httpie()
    if http is None:
        return [], {"skipped": "HTTPie is not installed: run bench/tools.sh"}
    compileall.compile_dir(str(ROOT / "explorer"), quiet=1)
    curl = shutil.which("curl")
    program = _program()
    samples: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        samples.setdefault(name, []).append(seconds * 1000)

    with loopback_server() as base, tempfile.TemporaryDirectory(prefix="bench-cli-") as homes:
        url = f"{base}/small"
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPATH"] = str(ROOT)
        for i in range(rounds + 1):  # the first round warms the file cache, not counted
            home = Path(homes) / str(i)
            run_env = dict(env, THUMBTACK_EXPLORER_HOME=str(home))
            timed = {
                "call": _time([*program, "call", "GET", url], run_env),
                "httpie": _time([http, "--ignore-stdin", "GET", url], run_env),
                "version": _time([*program, "--version"], run_env),
                "endpoints": _time([*program, "endpoints"], run_env),
                "httpie_version": _time([http, "--version"], run_env),
            }
            if curl:
                timed["curl"] = _time([curl, "-s", "-o", "/dev/null", url], run_env)
            if i:
                for name, seconds in timed.items():
                    add(name, seconds)
    med = {name: statistics.median(values) for name, values in samples.items()}
    figures = [
        Figure(
            name="CLI call, one process, small GET on loopback",
            unit="ms",
            value=med["call"],
            yardstick="HTTPie, same GET",
            yardstick_value=med["httpie"],
            target=0.6,
            samples=rounds,
        ),
        Figure(
            name="CLI --version",
            unit="ms",
            value=med["version"],
            yardstick="http --version",
            yardstick_value=med["httpie_version"],
            target=0.5,
            samples=rounds,
        ),
        Figure(
            name="CLI endpoints (the shipped description)",
            unit="ms",
            value=med["endpoints"],
            yardstick="http --version",
            yardstick_value=med["httpie_version"],
            target=0.5,
            samples=rounds,
        ),
    ]
    if "curl" in med:
        figures.append(
            Figure(
                name="CLI call beside curl",
                unit="ms",
                value=med["call"],
                yardstick="curl, same GET",
                yardstick_value=med["curl"],
                target=None,
                samples=rounds,
            )
        )
    details = {name: [round(v, 1) for v in values] for name, values in samples.items()}
    return figures, {"ms": details, "httpie": http}
