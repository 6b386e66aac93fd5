"""``python -m bench``: run the benchmark suite and print figures beside their yardsticks.

.venv/bin/python -m bench                 # everything, about a minute
.venv/bin/python -m bench --only send     # one part
.venv/bin/python -m bench --json out.json # also write the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report import Figure, table

PARTS = (
    "start",
    "send",
    "cli",
    "imports",
    "bodies",
    "contract",
    "descriptions",
    "inbox",
    "history",
    "suite",
    "tabs",
    "guard",
    "diff",
    "runner",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write JSON here")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only this part")
    parser.add_argument("--runs", type=int, default=7, help="start-up runs per side (median)")
    parser.add_argument("--iterations", type=int, default=2000, help="requests per side")
    parser.add_argument("--idle", type=float, default=2.0, help="seconds idle before RSS")
    parser.add_argument("--body-sizes", default="1,10,50", help="MB, comma-separated")
    parser.add_argument(
        "--history-count", type=int, default=100_000, help="exchanges in the history part"
    )
    parser.add_argument("--suite-steps", type=int, default=200, help="requests in the suite")
    parser.add_argument("--suite-runs", type=int, default=3, help="timed runs per side")
    args = parser.parse_args(argv)
    parts = args.only or list(PARTS)

    figures: list[Figure] = []
    details: dict[str, Any] = {}
    load_start = round(os.getloadavg()[0], 1)
    if "start" in parts:
        from bench import startup

        print(f"start-up and idle memory: {args.runs} runs each side ...", flush=True)
        found, details["start_runs"] = startup.measure(args.runs, args.idle)
        figures += found
    if "send" in parts:
        from bench import send

        print(f"small request: {args.iterations} requests each side ...", flush=True)
        found, details["send"] = send.measure(args.iterations)
        figures += found
    if "imports" in parts:
        from bench import startup

        print("imports before the window paints (-X importtime) ...", flush=True)
        details["imports_before_window"] = startup.imports_before_window()
    if "bodies" in parts:
        from bench.bodies import run_bodies

        print("response bodies (bench/bench_bodies.py) ...", flush=True)
        details["bodies"] = run_bodies(args.body_sizes)

    if "inbox" in parts:
        from bench import inbox

        print("webhook inbox: 200 concurrent deliveries into the Webhooks dock ...", flush=True)
        found, details["inbox"] = inbox.measure()
        figures += found

    if "history" in parts:
        from bench import history

        print(f"history at scale: {args.history_count:,} exchanges in SQLite ...", flush=True)
        found, details["history"] = history.measure(args.history_count)
        figures += found

    if "runner" in parts:
        from bench import runner_stall

        print("Runner dock: the window's longest stall during a suite run ...", flush=True)
        found, details["runner"] = runner_stall.measure()
        figures += found

    if "diff" in parts:
        from bench import diff

        print("diffs: two 10 MB JSON bodies, core and the Compare window ...", flush=True)
        found, details["diff"] = diff.measure()
        figures += found

    if "cli" in parts:
        from bench import cli

        print("CLI: one process per request beside HTTPie and curl ...", flush=True)
        found, details["cli"] = cli.measure()
        figures += found
        if "skipped" in details["cli"]:
            print("  skipped: " + details["cli"]["skipped"])

    if "contract" in parts:
        from bench import others

        print(
            "contract verdicts on 1 MB and 10 MB bodies (bench/bench_contract.py) ...", flush=True
        )
        found, details["contract"] = others.contract()
        figures += found

    if "descriptions" in parts:
        from bench import others

        print("opening OpenAPI descriptions (bench/bench_descriptions.py) ...", flush=True)
        found, details["descriptions"] = others.descriptions()
        figures += found

    if "guard" in parts:
        from bench import wheel_guard

        print("wheel guard: the main window built and resized, with and without it ...", flush=True)
        found, details["wheel_guard"] = wheel_guard.measure()
        figures += found

    if "suite" in parts:
        from bench import suite_run

        print(
            f"suite run: {args.suite_steps} requests, run vs newman, {args.suite_runs} runs "
            "each ...",
            flush=True,
        )
        found, details["suite"] = suite_run.measure(args.suite_steps, args.suite_runs)
        figures += found

    if "tabs" in parts:
        from bench import tabs

        print("request tabs: 50 open, switching and memory (bench/tabs.py) ...", flush=True)
        found, details["tabs"] = tabs.measure()
        figures += found

    print()
    if figures:
        print(table(figures))
    imports = details.get("imports_before_window")
    if imports:
        print(
            f"\nBefore the window paints: {imports['modules_imported']} modules, "
            f"{imports['import_ms_total']} ms of imports."
        )
        print("Heaviest packages (ms, own import time):")
        for name, ms in imports["heaviest_packages_ms"].items():
            print(f"  {name:28} {ms:7.1f}")
        print("Slowest program modules to import (ms, with what they import):")
        for name, ms in list(imports["explorer_modules_cumulative_ms"].items())[:8]:
            print(f"  {name:40} {ms:7.1f}")
        lazy = imports["should_be_lazy_but_imported_modules"]
        print(
            "Should be lazy but imported: "
            + (", ".join(f"{k} ({n} modules)" for k, n in lazy.items()) or "none")
        )
    bodies = details.get("bodies")
    if bodies:
        from bench.bodies import lines

        print()
        print("\n".join(lines(bodies)))

    if args.json:
        document = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            "machine": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": {"start": load_start, "end": round(os.getloadavg()[0], 1)},
            "figures": [f.to_json() for f in figures],
            **details,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
