"""Draws the window with the Webhooks dock open and a few deliveries in it, to a PNG.

    .venv/bin/python scripts/webhooks-screenshot.py docs/webhooks-dock.png [--theme dark]
        [--size 1280x800]

Runs offscreen with a scratch program home, so the user's history is untouched. The
deliveries are real requests to the inbox on 127.0.0.1: samples with the right Basic
credentials, one with a wrong password and one that breaks the MessageCreatedV4 schema.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["THUMBTACK_EXPLORER_HOME"] = tempfile.mkdtemp(prefix="thumbtack-shot-")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--theme", choices=["dark", "light"], default="light")
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))

    import httpx2 as httpx
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.core.inbox.events import sample_delivery
    from explorer.core.settings import SettingsStore, ThemeChoice
    from explorer.paths import AppPaths
    from explorer.ui.app.application import build_window
    from explorer.ui.style.theme import apply_theme, install_style

    app = QApplication(sys.argv[:1])
    install_style(app)
    apply_theme(app, dark=args.theme == "dark")
    paths = AppPaths.from_environment().ensure()
    store = SettingsStore(paths.settings_file)
    settings = store.load().with_changes(
        theme=ThemeChoice.DARK if args.theme == "dark" else ThemeChoice.LIGHT
    )
    window = build_window(paths, store, settings)
    window.resize(width, height)
    window.show()

    def wait(signal: object, ms: int = 15000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    window.load_catalog()
    dock = window.webhooks
    window.findChild(type(dock.toggleViewAction()), "webhooksAction").trigger()
    dock.auth_kind.setCurrentIndex(1)
    dock.auth_name.setText("hello")
    dock.auth_secret.setText("world")
    dock.on_start_clicked()
    wait(dock.service.started)
    right = "Basic " + base64.b64encode(b"hello:world").decode()
    wrong = "Basic " + base64.b64encode(b"hello:guess").decode()
    lead = sample_delivery("NegotiationCreatedV4", business_id="468046965846925323")
    negotiation = json.loads(lead.body)["data"]["negotiationID"]
    early = sample_delivery("MessageCreatedV4", negotiation_id=negotiation)
    broken = json.loads(sample_delivery("MessageCreatedV4").body)
    broken["data"]["from"] = "Robot"
    sends = [
        (early.body, right),
        (lead.body, right),
        (sample_delivery("MessageCreatedV4", negotiation_id=negotiation).body, wrong),
        (json.dumps(broken).encode(), right),
        (sample_delivery("ReviewCreatedV4").body, right),
    ]
    for body, auth in sends:
        httpx.post(
            dock.service.url,
            content=body,
            headers={
                "Content-Type": "application/json",
                "Authorization": auth,
                "User-Agent": "Go-http-client/1.1",
            },
        )
    loop = QEventLoop()
    QTimer.singleShot(400, loop.quit)
    loop.exec()
    row = dock.model.row_of(2)
    dock.table.selectRow(dock.proxy.mapFromSource(dock.model.index(row, 0)).row())
    wait(dock.service.detail_loaded, 5000)
    for _ in range(10):
        app.processEvents()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(args.output), "PNG")
    window.close()
    print(f"Saved {args.output}" if ok else f"Could not write {args.output}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
