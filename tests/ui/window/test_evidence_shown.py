"""The window shows each fact's evidence grade where it matters: the endpoint tree, the
form's fields, the explanation and the Sandbox menu; nothing inferred reads as documented."""

from __future__ import annotations

from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from explorer.core.evidence import Evidence
from explorer.core.models import FixAction
from explorer.sandbox.faults import FAULTS_BY_NAME

__all__ = ["sandbox", "session_window"]


def _item(window, op_id):  # type: ignore[no-untyped-def]
    window.endpoint_tree.select(op_id)
    return window.endpoint_tree.tree.currentItem()


def test_the_tree_marks_each_endpoint_by_its_grade(session_window) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    documented = _item(window, "searchKeywordsV4")
    assert "unverified" not in documented.text(0) and "seen in" not in documented.text(0)
    observed = _item(window, "getBusinessV4")
    assert "seen in real traffic" in observed.text(0)
    assert "Seen in real traffic" in observed.toolTip(0)
    for op_id in ("createOrderV4", "createTestNegotiationV4", "disconnectUserV4"):
        inferred = _item(window, op_id)
        assert "unverified" in inferred.text(0), op_id
        assert "Unverified" in inferred.toolTip(0)


def _chips(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Field name -> the words its evidence chip says (only fields that have one)."""
    found = {}
    for label in window.request_panel.findChildren(QLabel):
        if label.property("chip") == "unverified" and label.isVisibleTo(window):
            name = label.accessibleName().split(":")[0]
            found[name] = label.accessibleName() or label.text()
    return found


def test_fields_that_are_not_documented_say_so(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    window.endpoint_tree.select("postJobStatusV4")
    tabs = window.request_panel.tabs
    body_tab = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Body")
    qtbot.mouseClick(
        tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(body_tab).center()
    )
    assert tabs.currentIndex() == body_tab
    chips = _chips(window)
    assert "our inference" in chips["partnerStatusChangedAt"]
    assert "our inference" in chips["invoiceAmountInCents"]
    window.endpoint_tree.select("listBusinessesV4")
    params_tab = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Parameters")
    qtbot.mouseClick(
        tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(params_tab).center()
    )
    assert "our inference" in _chips(window)["limit"]
    window.endpoint_tree.select("searchKeywordsV4")
    assert "searchQuery" not in _chips(window)  # documented: no chip


def _pick(window, name: str) -> None:  # type: ignore[no-untyped-def]
    value = FAULTS_BY_NAME[name].header_value
    action = next(a for a in window.sandbox_menu.fault_actions() if a.data() == value)
    action.trigger()


def _send(window, qtbot, op_id: str):  # type: ignore[no-untyped-def]
    window.endpoint_tree.select(op_id)
    with qtbot.waitSignal(window.response_shown, timeout=15000) as blocker:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_a_missing_scope_is_explained_as_seen_in_real_traffic(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    _pick(window, "insufficient-scope")
    record = _send(window, qtbot, "searchKeywordsV4")
    assert record.status == 401
    panel = window.explanation_panel
    assert panel.explanation is not None and panel.explanation.grade is Evidence.OBSERVED
    assert panel.unverified.isVisible()
    assert "Seen in real traffic" in panel.unverified.text()
    assert "seen in real traffic" in panel.facts.text()
    assert "Documented" not in panel.unverified.text()
    assert FixAction.COPY_TRACE_ID in panel.buttons  # the 401's traceID, one click away
    assert "Missing scope" in window.response_pane.badge.label.text()


def test_an_inferred_explanation_says_our_inference(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    _pick(window, "malformed-token")
    record = _send(window, qtbot, "searchKeywordsV4")
    assert record.status == 401
    panel = window.explanation_panel
    assert panel.explanation is not None and panel.explanation.grade is Evidence.INFERRED
    assert "Our inference" in panel.unverified.text()
    assert "not documented by Thumbtack" in panel.unverified.text()
    assert "our inference" in panel.facts.text()


def test_the_sandbox_menu_groups_faults_by_grade(session_window) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    menu = window.sandbox_menu
    heading = None
    under: dict[str, str] = {}
    for action in menu.actions():
        if action.isSeparator() and action.text():
            heading = action.text()
        elif action.data():
            under[str(action.data())] = heading or ""
    assert under["insufficient-scope"] == "Seen in real traffic"
    assert under["rate-limited-retry-after"] == "Our inference (not confirmed)"
    assert under["malformed-token"] == "Our inference (not confirmed)"
    assert under["validation-error"] == "Documented by Thumbtack"
    assert under["latency=2000"] == "Network faults"
    behaviours = menu.behaviours
    titles = [a.text() for a in behaviours.actions()]
    assert "Webhook retries with backoff" in titles and "Seen in real traffic" in titles
    retry = next(a for a in behaviours.actions() if a.text() == "Webhook retries with backoff")
    assert "Our inference" in retry.toolTip()
