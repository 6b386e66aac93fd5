"""The explanation panel, alone and in the window sending to a real local server."""

from __future__ import annotations

from helpers.servers import local_server, reply
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

from explorer.core.explain import ExplanationEngine
from explorer.core.models import Explanation, FixAction, Severity, StatusClass
from explorer.ui.response.explanation import ExplanationPanel

INFERRED = Explanation(
    rule_id="rate-limited",
    status_class=StatusClass.RATE_LIMITED,
    title="429 Rate limited",
    cause="Too many requests too quickly.",
    fix=("Wait before sending again.", "Spread bulk work over time."),
    doc_url="https://developers.thumbtack.com/docs/getting-started/troubleshooting",
    severity=Severity.WARNING,
    actions=(FixAction.RETRY_AFTER, FixAction.COPY_TRACE_ID),
    documented=False,
    trace_id="feca66787a0a9ee8",
    retry_after_s=30,
)
TOKEN_NOT_ACTIVE = (
    b'{"type":"about:blank","title":"Unauthorized","status":401,'
    b'"detail":"invalid token. failure reason(s): [token is not active]"}'
)


def test_shows_title_cause_steps_and_unverified_note(qtbot) -> None:  # type: ignore[no-untyped-def]
    opened: list[QUrl] = []
    panel = ExplanationPanel(open_url=opened.append)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_explanation(INFERRED)
    assert panel.title.text() == "429 Rate limited"
    assert panel.cause.text() == "Too many requests too quickly."
    assert (
        "<li>Wait before sending again.</li><li>Spread bulk work over time.</li>"
        in panel.fix.text()
    )
    assert panel.unverified.isVisible() and "not documented by Thumbtack" in panel.unverified.text()
    assert panel.severity.text() == "⚠"
    assert "feca66787a0a9ee8" in panel.facts.text()
    panel.on_doc_link_activated(INFERRED.doc_url)
    assert opened == [QUrl(INFERRED.doc_url)]


def test_documented_rule_has_no_unverified_note(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ExplanationPanel()
    qtbot.addWidget(panel)
    panel.show()
    engine = ExplanationEngine.from_resources()
    panel.show_explanation(
        engine.explain_parts(401, TOKEN_NOT_ACTIVE, url="https://api.thumbtack.com/api/v4/x")
    )
    assert not panel.unverified.isVisible()
    assert FixAction.REFRESH_TOKEN_AND_RETRY in panel.buttons


def test_buttons_emit_actions_and_retry_waits_for_countdown(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ExplanationPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_explanation(INFERRED)
    assert set(panel.buttons) == {FixAction.RETRY_AFTER, FixAction.COPY_TRACE_ID, FixAction.RETRY}
    assert panel.buttons[FixAction.RETRY].text() == "Retry now"
    panel.set_retry_wait(12)
    assert not panel.buttons[FixAction.RETRY_AFTER].isEnabled()
    panel.set_retry_wait(0)
    assert panel.buttons[FixAction.RETRY_AFTER].isEnabled()
    for action, button in panel.buttons.items():
        with qtbot.waitSignal(panel.action_requested, timeout=1000) as blocker:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert blocker.args == [action]


def test_window_explains_token_not_active_from_real_server(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    engine = ExplanationEngine.from_resources()
    handler = reply(401, TOKEN_NOT_ACTIVE, content_type="application/problem+json")
    with local_server(handler) as server:
        window = make_window(server.url, explain=engine.explain)
        window.endpoint_tree.select("getCategoryRecommendationsV4")
        with qtbot.waitSignal(window.response_shown, timeout=10000):
            qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
        pane, panel = window.response_pane, window.explanation_panel
        assert pane.badge.text().startswith("401 Unauthorized")
        assert pane.badge.property("statusClass") == "auth_error"
        assert panel.title.text() == "Access token expired (token is not active)"
        texts = [s.cursor.selectedText() for s in pane.body_view.matched_selections]
        assert any("token is not active" in t for t in texts)
        with qtbot.waitSignal(window.response_shown, timeout=10000):
            qtbot.mouseClick(
                panel.buttons[FixAction.REFRESH_TOKEN_AND_RETRY], Qt.MouseButton.LeftButton
            )
            window.on_explanation_action(FixAction.RETRY)
        assert len(server.requests) == 2
        assert "credential profile" in window.statusBar().currentMessage()


def test_copy_trace_id_goes_to_the_clipboard(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    body = b'{"type":"x","title":"Not valid.","status":400,"traceID":"feca66787a0a9ee8"}'
    engine = ExplanationEngine.from_resources()
    with local_server(reply(400, body, content_type="application/problem+json")) as server:
        window = make_window(server.url, explain=engine.explain)
        window.endpoint_tree.select("getCategoryRecommendationsV4")
        with qtbot.waitSignal(window.response_shown, timeout=10000):
            window.send_current()
        button = window.explanation_panel.buttons[FixAction.COPY_TRACE_ID]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "feca66787a0a9ee8"


def test_narrow_panel_wraps_its_text_and_stacks_its_buttons(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = ExplanationPanel()
    qtbot.addWidget(panel)
    panel.show()
    long_cause = INFERRED.cause + " " + "Every word here wraps at the panel's edge. " * 8
    panel.show_explanation(
        Explanation(**{**INFERRED.__dict__, "cause": long_cause})  # type: ignore[arg-type]
    )
    panel.resize(260, 400)
    qtbot.waitUntil(lambda: panel.content.width() <= panel.scroll_area.viewport().width())
    assert panel.cause.width() <= panel.scroll_area.viewport().width()
    assert panel.cause.height() > 3 * panel.cause.fontMetrics().height()  # wrapped lines
    buttons = list(panel.buttons.values())
    qtbot.waitUntil(lambda: buttons[0].y() < buttons[1].y())  # one under another
    for button in buttons:
        assert button.geometry().right() <= panel.content.width()
    panel.resize(900, 400)
    qtbot.waitUntil(lambda: buttons[0].y() == buttons[1].y())  # side by side again
