"""Draws the Compare window with two History entries compared (Sandbox against Staging).

    .venv/bin/python scripts/diff-screenshot.py docs/diff-light.png [--theme dark]
        [--size 800x600]

Runs offscreen with a scratch program home, so the user's history is untouched. The two
exchanges are written to that scratch history, selected in the History dock and compared
with its Compare button, as a person would.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["THUMBTACK_EXPLORER_HOME"] = tempfile.mkdtemp(prefix="thumbtack-shot-")


def negotiations(later: bool) -> dict[str, Any]:
    def lead(number: str, status: str, name: str, when: str) -> dict[str, Any]:
        return {
            "negotiationID": number,
            "businessID": "286845156044809661",
            "status": status,
            "createdTime": when,
            "customer": {"customerID": f"4{number[-4:]}", "displayName": name},
            "request": {"category": {"categoryID": "122681972262289742", "name": "Junk Removal"}},
        }

    first = [
        lead("545104128411967489", "active", "Dana R.", "2026-12-01T10:02:11Z"),
        lead("545104128411967490", "active", "Sam K.", "2026-12-01T11:40:03Z"),
        lead("545104128411967491", "active", "Lee M.", "2026-12-02T08:15:45Z"),
    ]
    if not later:
        return {"data": first, "traceID": "7f6f0c1e9a2b"}
    moved = [dict(first[2]), dict(first[0], status="closed"), dict(first[1])]
    for item in moved:
        item["createdTime"] = "2026-12-04T09:00:00Z"
    moved.pop(2)
    moved.append(lead("545104128411967499", "active", "Ana P.", "2026-12-04T09:01:00Z"))
    return {"data": moved, "traceID": "c03d51aa7e10", "pagination": {"next": None}}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--theme", choices=["dark", "light"], default="light")
    parser.add_argument("--size", default="800x600")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.core.history import HISTORY_FILE, HistoryStore
    from explorer.core.models import RequestSpec, ResponseRecord
    from explorer.core.settings import SettingsStore, ThemeChoice
    from explorer.paths import AppPaths
    from explorer.ui.app.application import build_window
    from explorer.ui.style.theme import apply_theme, install_style

    app = QApplication(sys.argv[:1])
    install_style(app)
    apply_theme(app, dark=args.theme == "dark")
    paths = AppPaths.from_environment().ensure()
    with HistoryStore(paths.data / HISTORY_FILE) as history:
        for later, environment, host, vary in (
            (False, "Sandbox (local)", "http://127.0.0.1:8400", ()),
            (True, "Staging", "https://staging-api.thumbtack.com", (("Vary", "Accept"),)),
        ):
            spec = RequestSpec(method="GET", url=f"{host}/api/v4/businesses/2868/negotiations")
            record = ResponseRecord(
                request=spec,
                status=200,
                reason="OK",
                headers=(("Content-Type", "application/json"), *vary),
                body=json.dumps(negotiations(later)).encode(),
            )
            history.add(record, environment=environment, profile="QA")
    store = SettingsStore(paths.settings_file)
    settings = store.load().with_changes(
        theme=ThemeChoice.DARK if args.theme == "dark" else ThemeChoice.LIGHT
    )
    window = build_window(paths, store, settings)
    window.resize(1100, 700)
    window.show()

    def wait(signal: object, ms: int = 15000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    controller = window.history
    controller.action.trigger()
    if controller.panel.list.topLevelItemCount() < 2:
        wait(controller.service.results)
    tree = controller.panel.list
    tree.topLevelItem(0).setSelected(True)
    tree.topLevelItem(1).setSelected(True)
    controller.panel.compare_button.click()
    wait(window.diffs.compared)
    view = window.diffs.window
    view.resize(width, height)
    for _ in range(20):
        app.processEvents()
    view.table.selectRow(0)
    app.processEvents()
    view.grab().save(str(args.output))
    print(f"wrote {args.output}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
