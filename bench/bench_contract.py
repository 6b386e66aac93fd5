"""Benchmark: the contract verdict on large JSON bodies, and the window while it is made.

For 1 MB and 10 MB bodies (a list of pets for Swagger's Petstore ``findPetsByStatus``,
one of them broken), the verdict is computed the way the window does it: on a worker of
the window's :class:`~explorer.ui.workers.TaskRunner`, while a 5 ms GUI timer measures the
longest gap between its ticks (the window's longest stall). The program's choice (openapi-
core finds the response, media type and headers; bodies of
:data:`explorer.core.contract.FAST_PATH_BYTES` or more are validated by jsonschema-rs,
and bodies of :data:`explorer.core.contract.PROCESS_BYTES` or more are judged in a
separate process) is measured beside two yardsticks in one run: jsonschema-rs on the
worker thread (the program before; its stall is the one to beat) and openapi-core doing
all of it. The first large body also starts the checking process: timed apart.
Run: ``QT_QPA_PLATFORM=offscreen python -m bench.bench_contract [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PETSTORE = ROOT / "tests" / "data" / "openapi" / "swagger-petstore-3.0.yaml"
MB = 1024 * 1024


def make_body(megabytes: int) -> bytes:
    pet = {
        "id": 0,
        "name": "doggie",
        "category": {"id": 1, "name": "Dogs"},
        "photoUrls": ["https://img.example/pets/0.png"],
        "tags": [{"id": 3, "name": "friendly"}],
        "status": "available",
    }
    one = len(json.dumps(pet)) + 2
    count = megabytes * MB // one
    pets = [dict(pet, id=i) for i in range(count)]
    pets[count // 2]["id"] = "not a number"
    return json.dumps(pets).encode()


def measure(body: bytes, engine: str) -> dict[str, Any]:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.core import contract
    from explorer.core.catalog import load_catalog
    from explorer.ui.workers import TaskRunner

    app = QApplication.instance() or QApplication([])
    catalog = load_catalog(PETSTORE)
    endpoint = catalog.lookup("findPetsByStatus")
    assert endpoint is not None
    checker = contract.ContractChecker(catalog)
    headers = [("Content-Type", "application/json")]
    # warm: openapi-core's import and the spec objects are made once per window
    checker.check(endpoint, status=200, headers=headers, body=b"[]")
    contract.FAST_PATH_BYTES = 256 * 1024 if engine != "openapi-core" else 10**15
    contract.PROCESS_BYTES = 2 * MB if engine == "program" else 10**15
    first_ms = None
    if engine == "program" and len(body) >= contract.PROCESS_BYTES:
        # the checking process starts (and reads the description) with the first large
        # body; timed apart, as the window pays it once
        started = time.perf_counter()
        checker.check(endpoint, status=200, headers=headers, body=b"[]" + b" " * (2 * MB))
        first_ms = round((time.perf_counter() - started) * 1000, 1)
    runner = TaskRunner()
    state: dict[str, Any] = {"stall": 0.0, "result": None}
    ticks = QElapsedTimer()

    def tick() -> None:
        state["stall"] = max(state["stall"], ticks.nsecsElapsed() / 1e6)
        ticks.restart()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    runner.finished.connect(lambda _t, result: state.__setitem__("result", result))

    def work(_cancel: Any) -> tuple[Any, float]:
        started = time.perf_counter()
        verdict = checker.check(endpoint, status=200, headers=headers, body=body)
        return verdict, time.perf_counter() - started

    ticks.start()
    timer.start()
    runner.submit(work)
    while state["result"] is None:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    verdict, seconds = state["result"]
    runner.shutdown()
    return {
        "first_ms": first_ms,
        "worker_ms": round(seconds * 1000, 1),
        "stall_ms": round(state["stall"], 1),
        "verdict": verdict.label,
        "engine": verdict.engine,
        "problems": [p.path for p in verdict.problems],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--sizes", default="1,10", help="MB, comma-separated")
    args = parser.parse_args(argv)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        body = make_body(size)
        program = measure(body, "program")
        in_thread = measure(body, "in-thread")
        yardstick = measure(body, "openapi-core")
        rows.append(
            {
                "size_mb": size,
                "program": program,
                "in_thread": in_thread,
                "openapi_core": yardstick,
            }
        )
        ratio = program["worker_ms"] / yardstick["worker_ms"]
        first = (
            f" (the first large body also starts the process: {program['first_ms']:.0f} ms)"
            if program["first_ms"] is not None
            else ""
        )
        print(
            f"{size:>3} MB body: program {program['worker_ms']:.0f} ms ({program['engine']})"
            f"{first}, stall {program['stall_ms']:.0f} ms; jsonschema-rs on a thread "
            f"{in_thread['worker_ms']:.0f} ms, stall {in_thread['stall_ms']:.0f} ms; "
            f"openapi-core alone {yardstick['worker_ms']:.0f} ms, stall "
            f"{yardstick['stall_ms']:.0f} ms; ratio to openapi-core {ratio:.2f}x; stall ratio "
            f"to the thread {program['stall_ms'] / max(in_thread['stall_ms'], 0.1):.2f}x; "
            f"stall target <= 50 ms: {'met' if program['stall_ms'] <= 50 else 'MISSED'}; "
            f"verdicts {program['verdict']} {program['problems']} / {in_thread['verdict']} "
            f"{in_thread['problems']} / {yardstick['verdict']} {yardstick['problems']}",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
