"""``--screenshot --demo``: send a sample request to the Sandbox so the picture shows a
response and its explanation.

The sample asks the Sandbox to answer as Thumbtack does for an expired token (the
documented 401 "token is not active"), which shows the status badge, the body and the
explanation panel with its one-click fix.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QTimer

from explorer.core.models import RequestSpec
from explorer.ui.main_window import MainWindow

DEMO_OPERATION = "getCategoryRecommendationsV4"
DEMO_PATH = "/api/v4/categories/recommendations?zipCode=94103&recommendationType=popular&limit=3"
DEMO_FAULT = "token-expired"


def run_demo(window: MainWindow, *, timeout_ms: int = 15000) -> bool:
    """Send the sample request and wait until its response is on screen."""
    if not window.base_url:
        return False
    window.endpoint_tree.select(DEMO_OPERATION)
    spec = window.request_panel.build_spec()
    url = window.base_url.rstrip("/") + DEMO_PATH
    headers = tuple(spec.headers) if spec is not None else ()
    spec = RequestSpec(
        method="GET",
        url=url,
        headers=(*headers, ("X-Sandbox-Fault", DEMO_FAULT)),
        operation_id=DEMO_OPERATION,
    )
    loop = QEventLoop()
    shown: list[object] = []

    def on_shown(record: object) -> None:
        shown.append(record)
        loop.quit()

    window.response_shown.connect(on_shown)
    QTimer.singleShot(timeout_ms, loop.quit)
    window.send_spec(spec)
    loop.exec()
    return bool(shown)
