"""Draws the Runner dock after a run of the shipped smoke suite on the Sandbox, to a PNG.

    .venv/bin/python scripts/runner-screenshot.py docs/runner-light.png [--theme dark]
        [--size 800x600]

Runs offscreen with a scratch program home. The suite is a copy of the smoke suite in a
scratch folder with one assertion changed so that one step fails and says why; the run is
real, against the window's own Sandbox on 127.0.0.1. The dock is drawn on its own at the
size asked for.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["THUMBTACK_EXPLORER_HOME"] = tempfile.mkdtemp(prefix="thumbtack-shot-")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--theme", choices=["dark", "light"], default="light")
    parser.add_argument("--size", default="800x600")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.core.settings import SettingsStore, ThemeChoice
    from explorer.paths import AppPaths
    from explorer.ui.app.application import build_window
    from explorer.ui.runner.controller import shipped_suites
    from explorer.ui.style.theme import apply_theme, install_style

    app = QApplication(sys.argv[:1])
    install_style(app)
    apply_theme(app, dark=args.theme == "dark")
    paths = AppPaths.from_environment().ensure()
    suite = Path(tempfile.mkdtemp(prefix="thumbtack-suite-")) / "smoke-copy"
    shutil.copytree(shipped_suites()[0][1], suite)
    step = next((suite / "02-keywords").glob("*.request.json"))
    saved = json.loads(step.read_text())
    saved["assertions"] = [*saved.get("assertions", []), {"jsonpath": "$.data", "length": 3}]
    step.write_text(json.dumps(saved, indent=2))

    store = SettingsStore(paths.settings_file)
    settings = store.load().with_changes(
        theme=ThemeChoice.DARK if args.theme == "dark" else ThemeChoice.LIGHT
    )
    window = build_window(paths, store, settings)
    window.resize(1280, 800)
    window.show()

    def wait(signal: object, ms: int = 60000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    window.load_catalog()
    window.start_environment()
    if not window.base_url:
        wait(window.environment_ready)
    runner = window.runner
    runner.ask_folder = lambda: suite
    runner.action.trigger()
    runner.on_choose_folder()
    runner.on_run_requested(failed_only=False)
    wait(runner.run_finished)
    dock = runner.dock
    dock.setFloating(True)
    dock.resize(width, height)
    failed = next(
        dock.results.topLevelItem(i)
        for i in range(dock.results.topLevelItemCount())
        if dock.results.topLevelItem(i).text(0).endswith("failed")
    )
    dock.results.setCurrentItem(failed)
    dock.results.scrollToItem(failed)
    for _ in range(20):
        app.processEvents()
    dock.grab().save(str(args.output))
    print(f"wrote {args.output}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
