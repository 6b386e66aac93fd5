"""The contract verdict in the window, on the real Sandbox: the badge's second line, the
Contract tab with each problem's JSON path, and a click that selects that part."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt

from explorer.core.contract import ContractResult, Problem, Verdict
from explorer.core.models import RequestSpec, ResponseRecord, StatusClass
from explorer.core.status import classify
from explorer.ui.response.pane import ResponsePane

__all__ = ["sandbox", "session_window"]


def send_keywords(window, qtbot):  # type: ignore[no-untyped-def]
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=15000) as shown:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return shown.args[0]


def test_a_sandbox_answer_shows_its_verdict_on_the_badge_and_the_tab(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    record = send_keywords(window, qtbot)
    assert record.status == 200
    pane = window.response_pane
    badge = pane.badge
    assert not badge.contract.isHidden(), badge.text()
    assert badge.contract.text().endswith("Contract: conforms")
    assert badge.property("contract") == "kept"
    assert "Contract: conforms" in badge.text()
    index = pane.tabs.indexOf(pane.contract_view)
    assert pane.tabs.tabText(index) == "Contract"
    assert pane.contract_view.summary.text().startswith("Conforms. The response matches")


def _violating_record() -> ResponseRecord:
    body = {"keywords": [{"id": "k1", "name": "plumbing"}, {"id": 7, "name": None}]}
    return ResponseRecord(
        request=RequestSpec(method="GET", url="http://127.0.0.1/api/v4/keywords/search"),
        status=200,
        reason="OK",
        headers=(("Content-Type", "application/json"),),
        body=json.dumps(body, indent=2).encode(),
    )


def _verdict() -> ContractResult:
    return ContractResult(
        verdict=Verdict.VIOLATES,
        status=200,
        operation="GET /api/v4/keywords/search",
        problems=(
            Problem(
                path="$.keywords[1].id",
                parts=("keywords", 1, "id"),
                message="7 is not of type 'string'",
                schema_words="The keyword's ID.",
            ),
            Problem(path="header X-Request-Id", where="header", message="required header missing"),
        ),
    )


def test_a_200_that_breaks_the_contract_is_never_plain_green_and_a_click_selects_the_part(
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    pane = ResponsePane()
    qtbot.addWidget(pane)
    pane.resize(900, 600)
    pane.show()
    record = _violating_record()
    pane.show_record(record, status=classify(record), contract=_verdict())
    qtbot.waitUntil(lambda: not pane.body_view.loading and '"keywords"' in pane.body_view.text())
    badge = pane.badge
    assert badge.property("statusClass") == StatusClass.SUCCESS.value  # the status is a 200
    assert badge.property("contract") == "broken"  # ... but it is not shown as plain green
    success_background = badge.colors()[0]
    assert success_background.lower() not in badge.styleSheet().split('[contract="broken"]')[1]
    assert "Contract: violates (2) — $.keywords[1].id: 7 is not of type 'string'" in (
        badge.contract.text()
    )
    index = pane.tabs.indexOf(pane.contract_view)
    assert pane.tabs.tabText(index) == "Contract (2)"
    pane.tabs.setCurrentIndex(index)
    problems = pane.contract_view.problems
    assert problems.topLevelItemCount() == 2
    first = problems.topLevelItem(0)
    assert [first.text(0), first.text(1), first.text(2)] == [
        "$.keywords[1].id",
        "7 is not of type 'string'",
        "The keyword's ID.",
    ]
    rect = problems.visualItemRect(first)
    qtbot.mouseClick(problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.tabs.currentWidget() is pane.body_view
    assert pane.body.textCursor().selectedText() == "7"
    # a header problem has no place in the body: clicking it leaves the tab as it is
    pane.tabs.setCurrentIndex(index)
    second = problems.topLevelItem(1)
    qtbot.mouseClick(
        problems.viewport(), Qt.MouseButton.LeftButton, pos=problems.visualItemRect(second).center()
    )
    assert pane.tabs.currentWidget() is pane.contract_view


def test_server_text_in_the_contract_tab_is_plain_text(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pane = ResponsePane()
    qtbot.addWidget(pane)
    record = _violating_record()
    verdict = ContractResult(
        verdict=Verdict.VIOLATES,
        operation="GET /x",
        problems=(Problem(path="$.a", parts=("a",), message="<b>bold</b> is not a number"),),
    )
    pane.show_record(record, status=classify(record), contract=verdict)
    assert pane.contract_view.summary.textFormat() == Qt.TextFormat.PlainText
    assert pane.contract_view.problems.topLevelItem(0).text(1) == "<b>bold</b> is not a number"
