"""The History dock opening over a large history: the program's real window and dock.

``python -m bench.history_dock DB RUNS`` opens the main window on the history database
``DB`` with the dock closed, then opens the dock RUNS times (Ctrl+H, its action) and
times each opening: from the action to the first paint of the list with its rows in it.
The yardstick, in the same process on the same database, is the dock of the previous
release: the newest 500 exchanges read at once and put into a ``QTreeWidget``, each row
an item with its colours and tooltip, then painted. Prints one ``BENCH {...}`` line.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def main() -> None:
    database, runs = Path(sys.argv[1]), int(sys.argv[2])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QBrush, QColor
    from PySide6.QtWidgets import QApplication, QTreeWidget, QTreeWidgetItem

    from explorer.core.history import HistoryStore
    from explorer.core.settings import SettingsStore
    from explorer.paths import AppPaths
    from explorer.ui.history.model import short_path, status_class_of, when
    from explorer.ui.plain import plain_tooltip
    from explorer.ui.style.theme import is_dark, status_colors
    from explorer.ui.window.main_window import MainWindow, WindowServices

    app = QApplication.instance() or QApplication(sys.argv[:1])

    class Painted(QObject):
        """Notes the first paint of a viewport once ``armed`` and rows are there."""

        def __init__(self, has_rows: Any) -> None:
            super().__init__()
            self.has_rows = has_rows
            self.armed = False
            self.at: float | None = None

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if self.armed and event.type() == QEvent.Type.Paint and self.has_rows():
                self.at = time.perf_counter()
                self.armed = False
            return False

    def wait(until: Any, limit_s: float = 30.0) -> None:
        deadline = time.perf_counter() + limit_s
        while not until():
            if time.perf_counter() > deadline:
                raise SystemExit("timed out waiting for the dock")
            app.processEvents()
            time.sleep(0.0005)

    paths = AppPaths.from_environment().ensure()
    store = SettingsStore(paths.settings_file)
    window = MainWindow(
        WindowServices(
            settings_store=store,
            settings=store.load(),
            endpoints=[],
            start_environment=lambda _env: "",
            history_path=database,
        )
    )
    window.resize(1280, 800)
    window.show()
    history = window.history
    panel = history.panel
    if panel.isVisible():
        history.action.trigger()
    wait(lambda: history.service.store is not None)
    wait(lambda: not panel.isVisible())
    watcher = Painted(lambda: panel.model.rowCount() > 0)
    panel.list.viewport().installEventFilter(watcher)
    program: list[float] = []
    for _ in range(runs):
        watcher.at = None
        watcher.armed = True
        started = time.perf_counter()
        history.action.trigger()  # Ctrl+H
        wait(lambda: watcher.at is not None)
        assert watcher.at is not None
        program.append((watcher.at - started) * 1000)
        rows_read = panel.model.rowCount()
        history.action.trigger()
        wait(lambda: not panel.isVisible())

    # The yardstick: the previous dock's way, on the same window and database.
    previous: list[float] = []
    tree = QTreeWidget()
    tree.setHeaderLabels(["Status", "Request", "Took", "When"])
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.resize(panel.list.size())
    old = Painted(lambda: tree.topLevelItemCount() > 0)
    tree.viewport().installEventFilter(old)
    with HistoryStore(database) as reader:
        for _ in range(runs):
            tree.clear()
            old.at = None
            old.armed = True
            started = time.perf_counter()
            rows = reader.search(limit=500)
            dark = is_dark()
            for row in rows:
                elapsed = f"{row.total_ms:.0f} ms" if row.status is not None else "—"
                status = str(row.status) if row.status is not None else "failed"
                what = f"{row.method} {short_path(row.endpoint or row.url)}"
                item = QTreeWidgetItem([f" {status} ", what, elapsed, when(row.created_at)])
                item.setData(0, 256, row.id)
                background, foreground = status_colors(status_class_of(row.status), dark=dark)
                item.setBackground(0, QBrush(QColor(background)))
                item.setForeground(0, QBrush(QColor(foreground)))
                tip = plain_tooltip(f"{row.method} {row.url}\n{when(row.created_at)}")
                for column in range(4):
                    item.setToolTip(column, tip)
                tree.addTopLevelItem(item)
            tree.show()
            wait(lambda: old.at is not None)
            assert old.at is not None
            previous.append((old.at - started) * 1000)
            tree.hide()
    result = {
        "program_ms": [round(x, 2) for x in program],
        "previous_ms": [round(x, 2) for x in previous],
        "program_median_ms": statistics.median(program),
        "previous_median_ms": statistics.median(previous),
        "rows_read": rows_read,
    }
    print("BENCH " + json.dumps(result), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
