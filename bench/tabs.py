"""Request tabs at 50: the time to open the 50th tab, the time to switch between tabs, the
longest stall of the event loop meanwhile, and idle memory with 50 tabs beside one.

Everything runs in a child process (its own home folder, offscreen) with the real
``MainWindow``, the shipped Thumbtack description and a real HTTP server on 127.0.0.1
answering each request with a 2 KB JSON body, so every tab holds an answer as it would
in use. The yardstick, measured in the same run and window, is what one request panel did
before tabs existed: picking another endpoint in the tree into the one tab (the form is
rebuilt and its answer cleared). A 5 ms timer records the gaps of the event loop while
tabs are opened and switched; the longest gap beyond its interval is the stall.

Memory is the resident set after a second idle, with one tab that holds an answer and
then with 50 that each hold one (the difference is what 49 more tabs cost).
"""

from __future__ import annotations

import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.report import Figure

TABS = 50
SWITCHES = 150
TICK_MS = 5
BODY = json.dumps(
    {"data": [{"id": i, "name": f"Result {i}", "note": "x" * 16} for i in range(40)]}
).encode()


class _Json(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _any(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any

    def log_message(self, *_args: object) -> None:
        pass


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child() -> dict[str, Any]:
    """Runs in the child process; returns the raw figures."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.core.catalog import load_default_catalog
    from explorer.core.settings import SettingsStore
    from explorer.paths import AppPaths
    from explorer.ui.window.main_window import MainWindow, WindowServices
    from explorer.ui.workers import share_the_gil_with_workers

    app = QApplication.instance() or QApplication([])
    share_the_gil_with_workers()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Json)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    catalog = load_default_catalog()
    endpoints = [e for e in catalog.endpoints if e.server != "auth"]
    paths = AppPaths.from_environment().ensure()
    store = SettingsStore(paths.settings_file)
    window = MainWindow(
        WindowServices(
            settings_store=store,
            settings=store.load(),
            endpoints=list(catalog.endpoints),
            catalog=catalog,
            start_environment=lambda _env: base,
        )
    )
    window.resize(1280, 800)
    window.show()
    ready: list[str] = []
    window.environment_ready.connect(ready.append)
    window.start_environment()
    _pump(app, lambda: bool(ready))

    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6 - TICK_MS)
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)

    def send_and_wait() -> None:
        shown: list[object] = []
        window.response_shown.connect(shown.append)
        window.request_panel.on_send_anyway()  # the inputs as they are, checked or not
        _pump(app, lambda: bool(shown))
        window.response_shown.disconnect(shown.append)

    def settle() -> None:
        for _ in range(3):
            app.processEvents()
        _deferred_deletes(app)

    tabs = window.tabs
    # The yardstick: picking endpoints into the one tab, as the window did before tabs.
    picks = []
    for endpoint in endpoints[:20]:
        started = time.perf_counter()
        tabs.show_endpoint(endpoint)
        settle()
        picks.append((time.perf_counter() - started) * 1000)
    tabs.show_endpoint(endpoints[0])
    send_and_wait()
    _idle(app, 1.0)
    one_tab_mb = _rss_mb()

    import cProfile

    profile = cProfile.Profile() if os.environ.get("BENCH_TABS_PROFILE") else None
    last[0] = clock.nsecsElapsed()  # the first gap starts now
    timer.start()
    opens = []
    for index in range(1, TABS):
        endpoint = endpoints[index % len(endpoints)]
        started = time.perf_counter()
        tabs.open_in_new_tab(endpoint)
        settle()
        opens.append((time.perf_counter() - started) * 1000)
        send_and_wait()
    _idle(app, 0.3)
    opened_mb = _rss_mb()
    open_gaps = list(gaps)
    gaps.clear()
    last[0] = clock.nsecsElapsed()
    switches = []
    if profile is not None:
        profile.enable()
    for _ in range(SWITCHES):
        started = time.perf_counter()
        tabs.step(1)
        settle()
        switches.append((time.perf_counter() - started) * 1000)
    timer.stop()
    if profile is not None:
        profile.disable()
        profile.dump_stats(os.environ["BENCH_TABS_PROFILE"])
    switch_gaps = list(gaps)
    _idle(app, 1.0)
    fifty_mb = _rss_mb()
    count = tabs.strip.count()
    window.close()
    server.shutdown()
    return {
        "tabs": count,
        "pick_ms": picks,
        "open_ms": opens,
        "switch_ms": switches,
        "open_stall_ms": max(open_gaps or [0.0]),
        "switch_stall_ms": max(switch_gaps or [0.0]),
        "one_tab_mb": one_tab_mb,
        "fifty_tabs_mb": fifty_mb,
        "opened_mb": opened_mb,
    }


def _deferred_deletes(app: Any) -> None:
    """What the window's event loop does between events: delete the widgets given up with
    ``deleteLater`` (a bench pumping events outside ``exec()`` must ask for it)."""
    from PySide6.QtCore import QEvent

    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _pump(app: Any, done: Any, timeout_s: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout_s
    while not done() and time.perf_counter() < deadline:
        app.processEvents()
        _deferred_deletes(app)
        time.sleep(0.001)


def _idle(app: Any, seconds: float) -> None:
    _pump(app, lambda: False, seconds)


def measure() -> tuple[list[Figure], dict[str, Any]]:
    """Run the child and turn its figures into :class:`Figure` rows."""
    home = tempfile.mkdtemp(prefix="bench-tabs-")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": home,
        "XDG_CONFIG_HOME": f"{home}/config",
        "XDG_DATA_HOME": f"{home}/data",
        "XDG_CACHE_HOME": f"{home}/cache",
        "XDG_STATE_HOME": f"{home}/state",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.tabs", "--child"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the tabs bench failed:\n{done.stderr[-3000:]}")
    raw = json.loads(done.stdout.strip().splitlines()[-1])
    pick = statistics.median(raw["pick_ms"])
    switches = raw["switch_ms"]
    figures = [
        Figure(
            name=f"Tabs: open the {TABS}th tab",
            unit="ms",
            value=round(raw["open_ms"][-1], 1),
            yardstick="pick an endpoint into the one tab (median)",
            yardstick_value=round(pick, 1),
            target=100,
            absolute_limit=True,
        ),
        Figure(
            name=f"Tabs: open a tab, slowest of {TABS - 1}",
            unit="ms",
            value=round(max(raw["open_ms"]), 1),
            yardstick="pick an endpoint into the one tab (slowest)",
            yardstick_value=round(max(raw["pick_ms"]), 1),
            target=100,
            absolute_limit=True,
        ),
        Figure(
            name=f"Tabs: switch between {TABS} tabs (median)",
            unit="ms",
            value=round(statistics.median(switches), 1),
            yardstick="pick an endpoint into the one tab (median)",
            yardstick_value=round(pick, 1),
            target=30,
            absolute_limit=True,
        ),
        Figure(
            name=f"Tabs: switch between {TABS} tabs (95th percentile)",
            unit="ms",
            value=round(sorted(switches)[int(len(switches) * 0.95) - 1], 1),
            yardstick="pick an endpoint into the one tab (median)",
            yardstick_value=round(pick, 1),
            target=30,
            absolute_limit=True,
        ),
        Figure(
            name="Tabs: longest GUI stall while opening and switching",
            unit="ms",
            value=round(max(raw["open_stall_ms"], raw["switch_stall_ms"]), 1),
            yardstick="slowest single pick into the one tab",
            yardstick_value=round(max(raw["pick_ms"]), 1),
            target=50,
            absolute_limit=True,
        ),
        Figure(
            name=f"Tabs: idle memory, {TABS} tabs with answers minus one tab",
            unit="MB",
            value=round(raw["fifty_tabs_mb"] - raw["one_tab_mb"], 1),
            yardstick="idle memory with one tab",
            yardstick_value=round(raw["one_tab_mb"], 1),
            target=100,
            absolute_limit=True,
        ),
    ]
    details = {
        "tabs": raw["tabs"],
        "open_ms_median": round(statistics.median(raw["open_ms"]), 1),
        "switch_ms_max": round(max(switches), 1),
        "one_tab_mb": round(raw["one_tab_mb"], 1),
        "fifty_tabs_mb": round(raw["fifty_tabs_mb"], 1),
    }
    return figures, details


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_child()))
    else:
        from bench.report import table

        found, info = measure()
        print(table(found))
        print(json.dumps(info, indent=2))
