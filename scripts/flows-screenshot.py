"""Draws the window after the Exact search flow ran on the Sandbox, to two PNGs: the Flows
list (``OUTPUT-flow.png``) and the Variables editor with the values the flow carried
forward (``OUTPUT-variables.png``).

    .venv/bin/python scripts/flows-screenshot.py docs/flows-dark [--theme dark]
        [--size 1280x800]

Runs offscreen with a scratch program home, so the user's settings, variables and history
are untouched. The flow's requests are real ones, to the program's own Sandbox.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["THUMBTACK_EXPLORER_HOME"] = tempfile.mkdtemp(prefix="thumbtack-shot-")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", help="path without .png: -flow.png and -variables.png are added")
    parser.add_argument("--theme", choices=["dark", "light"], default="light")
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))

    from PySide6.QtWidgets import QApplication

    from explorer.core.settings import SettingsStore, ThemeChoice
    from explorer.core.variables import WORKSPACE
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

    def pump_until(done: object, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not done() and time.monotonic() < end:  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.01)

    window.load_catalog()
    window.start_environment()
    pump_until(lambda: bool(window.base_url), 20)
    flows = window.flows
    flows.action.trigger()
    flows.select_flow("exact-search")
    finished: list[object] = []
    flows.run_finished.connect(finished.append)
    flows.run_button.click()
    pump_until(lambda: bool(finished), 60)
    flows.steps.setCurrentItem(flows.steps.topLevelItem(1))
    shown: list[object] = []
    window.response_shown.connect(shown.append)
    flows.open_button.click()  # the search step, with its response and the next capture
    pump_until(lambda: bool(shown) and not window.response_pane.body_view.loading, 10)
    pump_until(lambda: False, 0.3)
    window.grab().save(f"{args.output}-flow.png")

    variables = window.variables
    variables.service.define(WORKSPACE, "utm_source", "partner-site")
    window.endpoint_tree.select("createRequestV4")
    variables.dock.define_variable("zipCode")
    variables.dock.value_edit.setText("94117")
    pump_until(lambda: False, 0.3)
    window.grab().save(f"{args.output}-variables.png")
    window.close()
    return 0 if finished else 1


if __name__ == "__main__":
    sys.exit(main())
