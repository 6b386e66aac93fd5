"""The window's longest stall while the Runner dock runs a suite.

The real window (offscreen) with its own Sandbox on 127.0.0.1 runs a copy of the shipped
smoke suite over ``rows`` data rows (23 steps a row: 230 steps by default) from the
Runner dock, as a person would press Run. A 5 ms GUI timer records the gaps between its
ticks from Run until the run is over; the figure is the longest gap beyond the timer's
interval. The yardstick is the same timer while the window idles for as long. Target
(issue 20): at most 50 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.runner_stall [--rows 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import Figure

TICK_MS = 5


def measure(rows: int = 10) -> tuple[list[Figure], dict[str, Any]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="thumbtack-bench-")
    os.environ["THUMBTACK_EXPLORER_HOME"] = home
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.core.settings import SettingsStore
    from explorer.paths import AppPaths
    from explorer.ui.app.application import build_window
    from explorer.ui.runner.controller import shipped_suites

    app = QApplication.instance() or QApplication([])
    paths = AppPaths.from_environment().ensure()
    suite = Path(home) / "smoke-rows"
    shutil.copytree(shipped_suites()[0][1], suite)
    settings_file = suite / ".suite.json"
    document = json.loads(settings_file.read_text())
    document["data"] = "rows.json"
    settings_file.write_text(json.dumps(document))
    (suite / "rows.json").write_text(json.dumps([{"zipCode": f"9{i:04d}"} for i in range(rows)]))
    store = SettingsStore(paths.settings_file)
    window = build_window(paths, store, store.load())
    window.resize(1280, 800)
    window.show()
    window.load_catalog()
    window.start_environment()
    deadline = time.perf_counter() + 60
    while not window.base_url and time.perf_counter() < deadline:
        app.processEvents()
    runner = window.runner
    runner.ask_folder = lambda: suite
    runner.action.trigger()
    runner.on_choose_folder()
    clock = QElapsedTimer()
    clock.start()

    def gaps_until(done: Any, limit_s: float) -> float:
        gaps: list[float] = []
        last = [clock.nsecsElapsed()]

        def tick() -> None:
            now = clock.nsecsElapsed()
            gaps.append((now - last[0]) / 1e6 - TICK_MS)
            last[0] = now

        timer = QTimer(interval=TICK_MS)
        timer.timeout.connect(tick)
        timer.start()
        end = time.perf_counter() + limit_s
        while not done() and time.perf_counter() < end:
            app.processEvents()
        timer.stop()
        return max(gaps, default=0.0)

    finished: list[Any] = []
    runner.run_finished.connect(finished.append)
    started = time.perf_counter()
    runner.dock.run_button.click()
    busy = gaps_until(lambda: bool(finished), 600)
    took = time.perf_counter() - started
    idle_end = time.perf_counter() + took
    idle = gaps_until(lambda: time.perf_counter() > idle_end, took + 1)
    summary = finished[0] if finished else None
    details = {
        "steps": len(summary.results) if summary else 0,
        "passed": summary.passed if summary else 0,
        "run_s": took,
        "load_average": os.getloadavg(),
    }
    window.close()
    figure = Figure(
        name=f"longest GUI stall, window run of {details['steps']} steps",
        unit="ms",
        value=busy,
        yardstick="the same timer, idle",
        yardstick_value=max(idle, 0.1),
        target=50.0,
        absolute_limit=True,
        samples=1,
    )
    return [figure], details


if __name__ == "__main__":
    from bench.report import table

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10)
    arguments = parser.parse_args()
    found, info = measure(arguments.rows)
    print(table(found))
    print(json.dumps(info, indent=2))
