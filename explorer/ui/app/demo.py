"""``--screenshot --demo``: send a sample request to the Sandbox so the picture shows a
response and its explanation.

The sample asks the Sandbox to answer as Thumbtack does for an expired token (the
documented 401 "token is not active"), which shows the status badge, the body and the
explanation panel with its one-click fix.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QTimer

from explorer.ui.window.main_window import MainWindow

DEMO_OPERATION = "getCategoryRecommendationsV4"
DEMO_FAULT = "token-expired"


def run_demo(window: MainWindow, *, timeout_ms: int = 15000) -> bool:
    """Pick the sample endpoint and fault as a user would, press Send, and wait until the
    response is on screen. The form, the Sandbox menu and the response all agree."""
    if not window.base_url or not window.endpoint_tree.select(DEMO_OPERATION):
        return False
    window.sandbox_menu.select_fault(DEMO_FAULT)
    loop = QEventLoop()
    shown: list[object] = []

    def on_shown(record: object) -> None:
        shown.append(record)
        loop.quit()

    window.response_shown.connect(on_shown)
    QTimer.singleShot(timeout_ms, loop.quit)
    window.send_current()
    if not shown:
        loop.exec()
    return bool(shown)
