"""The child process of the start-up and idle-memory benchmarks.

``python bench/probe.py bare|app IDLE_SECONDS`` opens either a bare PySide6 QMainWindow
(the yardstick) or the program's real main window through its real entry point, notes
the moment the main window first paints (``time.monotonic()``, which the parent compares
with the moment it started the process) and, for the program, the moment it is ready for
input (panels built, the API description in the tree), waits ``IDLE_SECONDS`` after that
on the event loop, then
prints one ``BENCH {...}`` line with that time, the modules loaded by then and the
process's resident memory, and exits at once. Both modes go through the same code, so
the ratio is fair. The marker is also written to stderr so ``-X importtime`` output can
be split at first paint.
"""

from __future__ import annotations

import json
import os
import sys
import time


def memory_kb() -> dict[str, int]:
    """Resident (VmRSS) and peak resident (VmHWM) memory of this process, in KiB."""
    out: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


def main() -> None:
    mode, idle_s = sys.argv[1], float(sys.argv[2])
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    result: dict[str, object] = {}

    def finish() -> None:
        result.update(memory_kb())
        print("BENCH " + json.dumps(result), flush=True)
        os._exit(0)

    class FirstPaint(QObject):
        """Notes the main window's first paint, then idles.

        It watches the main window only. An application-wide filter would have PySide
        wrap every object of every event in a Python object, which costs a window with
        many widgets tens of milliseconds that the program itself never spends.
        """

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not result and event.type() == QEvent.Type.Paint:
                result["first_paint"] = time.monotonic()
                result["modules"] = sorted(sys.modules)
                print("BENCH-FIRST-PAINT", file=sys.stderr, flush=True)
                if mode == "bare":  # the bare window is ready when it paints
                    QTimer.singleShot(int(idle_s * 1000), finish)
            return False

    def ready() -> None:
        if "ready" not in result:
            result["ready"] = time.monotonic()
            QTimer.singleShot(int(idle_s * 1000), finish)

    app = QApplication(sys.argv[:1])
    watcher = FirstPaint()
    if mode == "bare":
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1280, 800)
        window.installEventFilter(watcher)
        window.show()
        app.exec()
    elif mode == "app":
        from explorer.app import main as explorer_main
        from explorer.ui.window.main_window import MainWindow

        original_show = MainWindow.show

        def show(window: MainWindow) -> None:
            window.installEventFilter(watcher)
            # Ready for input: panels built and the API description in the endpoint tree.
            window.catalog_ready.connect(ready)
            original_show(window)

        MainWindow.show = show  # type: ignore[method-assign, assignment]
        explorer_main([])  # as the desktop entry starts it; a fresh home opens at 1280x800
    else:
        raise SystemExit(f"unknown mode {mode!r}: use bare or app")


if __name__ == "__main__":
    main()
