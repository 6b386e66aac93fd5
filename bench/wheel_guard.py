"""What the wheel guard costs the window: building the full main window, then 20 resizes.

``python -m bench.wheel_guard MODE`` (a child process) builds the real main window under the
program's style with the guard as the program installs it (``style``: the style hands it
each combo box and spin box), as the previous release installed it (``app``: an
application-wide filter), or with no guard (``none``, the yardstick), and prints the time
taken and how many events reached the guard's Python filter. :func:`measure` runs the
modes alternately in fresh processes and reports medians.
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

ROOT = Path(__file__).resolve().parent.parent
MODES = ("none", "style", "app")


def child(mode: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QSize
    from PySide6.QtWidgets import QApplication

    from explorer.core.settings import SettingsStore
    from explorer.paths import AppPaths
    from explorer.ui import wheel_guard
    from explorer.ui.style.theme import apply_theme
    from explorer.ui.window.main_window import MainWindow, WindowServices

    app = QApplication(sys.argv[:1])
    apply_theme(app, dark=True)
    seen = [0]

    class Counted(wheel_guard.WheelGuard):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            seen[0] += 1
            return super().eventFilter(watched, event)

    wheel_guard.WheelGuard = Counted  # type: ignore[misc]
    if mode == "none":
        wheel_guard.install_wheel_guard = lambda _app: None  # type: ignore[assignment,return-value]
    elif mode == "app":
        type(app.style()).guards_wheel = False  # type: ignore[attr-defined]
    paths = AppPaths.from_environment().ensure()
    store = SettingsStore(paths.settings_file)
    started = time.perf_counter()
    window = MainWindow(
        WindowServices(
            settings_store=store,
            settings=store.load(),
            endpoints=[],
            start_environment=lambda _env: "",
        )
    )
    window.resize(1280, 800)
    window.show()
    for _ in range(10):
        app.processEvents()
    built = time.perf_counter()
    for i in range(20):
        window.resize(QSize(1000, 700) if i % 2 == 0 else QSize(1280, 800))
        for _ in range(3):
            app.processEvents()
        window.repaint()
    done = time.perf_counter()
    print(
        "BENCH "
        + json.dumps(
            {
                "build_ms": (built - started) * 1000,
                "resize_ms": (done - built) * 1000,
                "seen": seen[0],
            }
        ),
        flush=True,
    )
    os._exit(0)


def _run(mode: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(QT_QPA_PLATFORM="offscreen", THUMBTACK_EXPLORER_HOME=home, PYTHONPATH=str(ROOT))
        proc = subprocess.run(
            [sys.executable, "-m", "bench.wheel_guard", mode],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wheel guard probe {mode} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(line[len("BENCH ") :])
    return result


def measure(runs: int = 5) -> tuple[list[Figure], dict[str, Any]]:
    samples: dict[str, list[dict[str, Any]]] = {m: [] for m in MODES}
    for i in range(runs):
        order = MODES if i % 2 == 0 else MODES[::-1]
        for mode in order:
            samples[mode].append(_run(mode))

    def med(mode: str, key: str) -> float:
        return float(statistics.median(s[key] for s in samples[mode]))

    total = {m: med(m, "build_ms") + med(m, "resize_ms") for m in MODES}
    figures = [
        Figure(
            name="main window built + 20 resizes, wheel guard on the editors",
            unit="ms",
            value=total["style"],
            yardstick="no wheel guard",
            yardstick_value=total["none"],
            target=1.05,
            samples=runs,
        ),
        Figure(
            name="the same, application-wide wheel guard (previous)",
            unit="ms",
            value=total["app"],
            yardstick="no wheel guard",
            yardstick_value=total["none"],
            target=None,
            samples=runs,
        ),
    ]
    details = {
        "median_ms": {
            m: {k: round(med(m, k), 1) for k in ("build_ms", "resize_ms")} for m in MODES
        },
        "events_seen_by_guard": {m: int(med(m, "seen")) for m in MODES},
    }
    return figures, details


if __name__ == "__main__":
    child(sys.argv[1])
