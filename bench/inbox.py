"""The Webhooks dock under a burst: the longest stall of the window's event loop while 200
deliveries arrive at once, beside the same burst sent to a plain receiver.

Both sides run in this process with the same offscreen window event loop and a 5 ms timer
that records the gap between its ticks; the burst comes from its own process
(``bench/burst.py``, 50 connections at a time). The yardstick receiver only reads each
body and answers 200 (``http.server`` on 127.0.0.1); the inbox records each delivery in
SQLite, checks it and the dock lists it. The figure is the longest gap beyond the timer's
interval, and the issue's limit is 50 ms.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.report import Figure

BURST = Path(__file__).resolve().parent / "burst.py"
TICK_MS = 5


class _Plain(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args: object) -> None:
        pass


class _Plain_Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512


def _stalls(app: Any, url: str, count: int, settle: Any) -> tuple[float, float, dict[str, Any]]:
    """(longest stall ms, seconds until ``settle()`` is true, the sender's report)."""
    from PySide6.QtCore import QElapsedTimer, QTimer

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
    timer.start()
    sender = subprocess.Popen(
        [sys.executable, str(BURST), url, str(count), "50"], stdout=subprocess.PIPE, text=True
    )
    started = time.perf_counter()
    settled_at = None
    while sender.poll() is None or settled_at is None:
        app.processEvents()
        if settled_at is None and settle():
            settled_at = time.perf_counter()
        if time.perf_counter() - started > 120:
            break
        time.sleep(0.001)
    out, _ = sender.communicate(timeout=60)
    timer.stop()
    report = json.loads(out.strip().splitlines()[-1])
    return max(gaps or [0.0]), (settled_at or time.perf_counter()) - started, report


def measure(count: int = 200) -> tuple[list[Figure], dict[str, Any]]:
    from PySide6.QtWidgets import QApplication

    from explorer.core.builder import RequestInputs
    from explorer.ui.redaction import RedactionContext
    from explorer.ui.webhooks.dock import WebhooksDock
    from explorer.ui.webhooks.service import InboxService

    app = QApplication.instance() or QApplication([])
    plain = _Plain_Server(("127.0.0.1", 0), _Plain)
    served = threading.Thread(target=plain.serve_forever, daemon=True)
    served.start()
    plain_url = f"http://127.0.0.1:{plain.server_address[1]}/"

    home = Path(tempfile.mkdtemp(prefix="bench-inbox-"))
    redaction = RedactionContext()
    service = InboxService(home / "history.sqlite3")

    def no_request(_operation: str, _inputs: RequestInputs) -> bool:
        return False

    dock = WebhooksDock(
        service, redaction=redaction, open_request=no_request, confirm=lambda _t, _x: False
    )
    dock.resize(900, 700)
    dock.show()
    started = threading.Event()
    service.started.connect(lambda _s: started.set())
    service.start("127.0.0.1", 0)
    deadline = time.perf_counter() + 30
    while not started.is_set() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    dock.pages.setCurrentIndex(0)

    try:
        yard_stall, yard_time, yard = _stalls(app, plain_url, count, lambda: True)
        inbox_stall, inbox_time, sent = _stalls(
            app, service.url, count, lambda: dock.model.rowCount() >= count
        )
        shown = dock.model.rowCount()
    finally:
        service.shutdown()
        plain.shutdown()
        plain.server_close()
        dock.close()
    figures = [
        Figure(
            name=f"Webhooks dock: longest GUI stall, {count} concurrent deliveries",
            unit="ms",
            value=round(inbox_stall, 1),
            yardstick="same burst to a plain receiver",
            yardstick_value=round(max(yard_stall, 0.1), 1),
            target=50,
            absolute_limit=True,
        ),
        Figure(
            name=f"Webhooks dock: {count} deliveries recorded and listed",
            unit="s",
            value=round(inbox_time, 3),
            yardstick="same burst answered by a plain receiver",
            yardstick_value=round(yard["elapsed_s"], 3),
            target=None,
        ),
    ]
    details = {
        "deliveries": count,
        "listed": shown,
        "inbox_statuses": sent["statuses"],
        "plain_statuses": yard["statuses"],
        "inbox_burst_s": round(sent["elapsed_s"], 3),
        "plain_burst_s": round(yard["elapsed_s"], 3),
        "plain_settle_s": round(yard_time, 3),
    }
    return figures, details


if __name__ == "__main__":
    from bench.report import table

    found, info = measure()
    print(table(found))
    print(json.dumps(info, indent=2))
