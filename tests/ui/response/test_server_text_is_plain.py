"""Text a server sent is shown as the characters it is, never rendered as HTML: a problem
title that is a link, bold or an image shows its tags, in the explanation, the token
panel's error, the status bar's token label and the history's tooltips."""

from __future__ import annotations

from helpers.session_window import controller_of, sandbox, session_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from explorer.core.explain import ExplanationEngine
from explorer.core.models import RequestSpec, ResponseRecord, Timing
from explorer.ui.plain import plain_tooltip
from explorer.ui.response.explanation import ExplanationPanel

__all__ = ["sandbox", "session_window"]

LINK = '<a href="https://evil.example/login">Click here to sign in again</a>'
BOLD = "<b>urgent</b> <img src='https://evil.example/p.png'>"


def what_a_person_selects(label: QLabel) -> str:
    """The text a person gets by selecting all of the label: what is shown."""
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSelection(0, len(label.text()))
    return label.selectedText()


def problem_record() -> ResponseRecord:
    import json

    body = json.dumps({"type": "about:blank", "title": LINK, "status": 401, "detail": BOLD})
    return ResponseRecord(
        request=RequestSpec(method="GET", url="https://api.thumbtack.com/api/v4/keywords"),
        status=401,
        reason="Unauthorized",
        headers=(("content-type", "application/problem+json"),),
        body=body.encode(),
        timing=Timing(total_ms=5.0),
    )


def test_the_explanation_shows_a_problems_html_as_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    explanation = ExplanationEngine.from_resources().explain(problem_record())
    panel = ExplanationPanel(open_url=lambda _url: None)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_explanation(explanation)
    shown = " ".join(
        what_a_person_selects(label)
        for label in (panel.title, panel.cause, panel.facts, panel.sandbox_note)
    )
    assert LINK in shown or BOLD in shown, shown
    for label in (panel.title, panel.cause, panel.facts):
        assert label.textFormat() is Qt.TextFormat.PlainText


def test_token_errors_and_labels_show_html_as_text(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    controller = controller_of(window)
    failure = f"token server said: {LINK}"
    controller.token_error = failure
    controller.token_failed.emit(failure)
    panel = window.session_ui.token_panel
    qtbot.waitUntil(lambda: "token server said" in panel.error.text())
    assert LINK in what_a_person_selects(panel.error)
    window.token_label.setText(f"Token: {BOLD}")
    assert BOLD in what_a_person_selects(window.token_label)


def test_tooltips_escape_what_they_quote() -> None:
    tip = plain_tooltip(f"GET https://x.example/?q={LINK}\nline two")
    assert "<a href" not in tip and "&lt;a href=&quot;https://evil.example/login&quot;&gt;" in tip
    assert "<br>line two" in tip
