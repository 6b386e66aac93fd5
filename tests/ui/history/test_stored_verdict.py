"""A re-opened history entry shows the contract verdict stored with it, said to be the
one made when the response was received (real Sandbox, real history file)."""

from __future__ import annotations

from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt

from explorer.core.models import RequestSpec

__all__ = ["sandbox", "session_window"]


def _rows(window) -> list[str]:  # type: ignore[no-untyped-def]
    panel = window.history.panel
    return [panel.row_texts(i)[0].strip() for i in range(panel.model.rowCount())]


def test_reopening_an_exchange_shows_the_verdict_stored_with_it(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    window.history.action.trigger()
    qtbot.waitUntil(window.history.panel.isVisible)
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.history.service.recorded, timeout=15000):
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    badge = window.response_pane.badge
    qtbot.waitUntil(lambda: badge.contract.text().endswith("Contract: conforms"))

    # another answer takes the screen: a URL of no operation, so no verdict
    panel = window.request_panel
    window.endpoint_tree.select("searchKeywordsV4")
    base = panel.url.text().split("/api/v4/")[0]
    panel.load_free(RequestSpec(method="GET", url=f"{base}/api/v4/no/such/route"))
    with qtbot.waitSignal(window.history.service.recorded, timeout=15000):
        window.send_current()
    qtbot.waitUntil(badge.contract.isHidden)
    qtbot.waitUntil(lambda: len(_rows(window)) == 2)

    tree = window.history.panel.list
    rect = tree.visualRect(tree.model().index(1, 0))  # the keyword search, older
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not badge.contract.isHidden()
    assert badge.contract.text().endswith("Contract: conforms")
    summary = window.response_pane.contract_view.summary.text()
    assert summary.startswith("Conforms. The response matches")
    assert "made when the response was received" in summary
