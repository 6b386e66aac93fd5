"""Presentation mode driven as a person would: click the toolbar toggle, look at every
panel, copy things, restart."""

from __future__ import annotations

import json

import pytest
from helpers import scripted_session as s
from helpers.window_session import (  # noqa: F401 (keep_app_look is a fixture)
    ScriptedAsk,
    authed_perform,
    explanation_text,
    keep_app_look,
    send_url,
    shown_text,
    thumbtack_server,
)
from PySide6.QtCore import Qt

from explorer.core.models import Explanation, FixAction, StatusClass
from explorer.core.redact import MASK
from explorer.paths import AppPaths
from explorer.ui.sharing.presentation import BANNER_TEXT, PRESENTATION_FONT_SCALE


def explain_with_customer(record: object) -> Explanation:
    return Explanation(
        rule_id="demo",
        status_class=StatusClass.SUCCESS,
        title="Negotiation found",
        cause=f"The customer {s.EMAIL} asked; token {s.ACCESS_TOKEN} was accepted.",
        fix=(f"Call {s.PHONE_FORMATTED} back.",),
        actions=(FixAction.COPY_TRACE_ID,),
        trace_id="5b7c1f2e-0a41-4a55-9871-3d2c1b0a9f8e",
    )


def click_presentation(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    button = window.toolbar.widgetForAction(window.presentation.action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_toggle_masks_every_panel_and_enlarges_the_font(make_window, qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform(), explain=explain_with_customer)
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1?email={s.EMAIL}")
        body = window.response_pane.body.toPlainText()
        request_tab = window.response_pane.request.toPlainText()
        # off: personal data visible, secrets masked anyway
        assert s.LAST_NAME in body and s.EMAIL in body
        assert "Authorization: Bearer " + MASK in request_tab
        assert s.ACCESS_TOKEN not in request_tab
        assert s.ACCESS_TOKEN not in explanation_text(window)
        assert not window.banner.isVisible()
        size_before = qapp.font().pointSizeF()

        click_presentation(window, qtbot)

        assert window.presentation.action.isChecked()
        assert window.banner.isVisible() and BANNER_TEXT in window.banner.text()
        assert qapp.font().pointSizeF() == pytest.approx(size_before * PRESENTATION_FONT_SCALE)
        pane = window.response_pane
        pane.tabs.setCurrentWidget(pane.raw_view)
        qtbot.waitUntil(lambda: not pane.raw_view.loading and bool(pane.raw_view.text()))
        shown = shown_text(window)
        for value in (s.LAST_NAME, s.PHONE, s.PHONE_FORMATTED, s.EMAIL, s.ADDRESS1):
            assert value not in shown, value
        assert MASK in pane.body.toPlainText()
        assert "Authorization: Bearer " + MASK in pane.request.toPlainText()
        explanation = explanation_text(window)
        assert s.EMAIL not in explanation and s.PHONE_FORMATTED not in explanation
        assert MASK in explanation

        settings_file = AppPaths.from_environment().settings_file
        qtbot.waitUntil(
            lambda: (
                settings_file.exists() and '"presentation_mode": true' in settings_file.read_text()
            )
        )
        saved = json.loads(settings_file.read_text())
        assert saved["font_scale"] == PRESENTATION_FONT_SCALE

        click_presentation(window, qtbot)
        assert not window.banner.isVisible()
        assert qapp.font().pointSizeF() == pytest.approx(size_before)
        assert s.LAST_NAME in window.response_pane.body.toPlainText()


def test_copy_actions_are_redacted_in_presentation_mode(make_window, qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform(), explain=explain_with_customer)
        window.redaction.set_known_secrets(s.KNOWN_SECRETS)
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1?email={s.EMAIL}")
        window.presentation.action.trigger()

        window.bundles.copy_curl_action.trigger()
        copied = qapp.clipboard().text()
        assert "\ncurl " in copied and "negotiations/1" in copied
        assert s.ACCESS_TOKEN not in copied and s.EMAIL not in copied
        assert '"Authorization: Bearer $THUMBTACK_ACCESS_TOKEN"' in copied

        window.bundles.copy_httpx_action.trigger()
        copied = qapp.clipboard().text()
        assert "httpx.request(" in copied and s.ACCESS_TOKEN not in copied
        assert s.EMAIL not in copied

        window.redaction.copy_text(window.response_pane.body.toPlainText())
        assert s.LAST_NAME not in qapp.clipboard().text()

        # the request panel's own "Copy as curl" button goes through the same helper
        qapp.clipboard().setText("")
        qtbot.mouseClick(window.request_panel.copy_curl_button, Qt.MouseButton.LeftButton)
        copied = qapp.clipboard().text()
        assert "curl " in copied and s.EMAIL not in copied

        # the traceID is not a secret: "Copy traceID" keeps it exactly
        button = window.explanation_panel.buttons[FixAction.COPY_TRACE_ID]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert qapp.clipboard().text() == "5b7c1f2e-0a41-4a55-9871-3d2c1b0a9f8e"

        # with secrets: impossible in presentation mode
        assert not window.bundles.copy_secret_action.isEnabled()
        assert window.bundles.copy_with_secrets() is None


def test_copy_with_secrets_needs_confirmation_and_mode_off(make_window, qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1")
        ask = ScriptedAsk(confirms=[False, True])
        window.bundles.ask = ask
        qapp.clipboard().setText("before")
        assert window.bundles.copy_secret_action.isEnabled()
        window.bundles.copy_secret_action.trigger()
        assert qapp.clipboard().text() == "before"
        window.bundles.copy_secret_action.trigger()
        assert f"Bearer {s.ACCESS_TOKEN}" in qapp.clipboard().text()
        assert [kind for kind, _ in ask.asked] == ["confirm", "confirm"]
        # the ordinary copy stays masked with presentation mode off
        window.bundles.copy_curl_action.trigger()
        assert s.ACCESS_TOKEN not in qapp.clipboard().text()


def test_known_secrets_are_masked_wherever_they_appear(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        send_url(window, qtbot, f"{server.url}/oauth2/token", method="POST", body="{}")
        assert s.REFRESH_TOKEN not in window.response_pane.body.toPlainText()  # by key name
        with qtbot.waitSignal(window.redaction.changed):
            window.redaction.set_known_secrets([s.CLIENT_SECRET, s.REFRESH_TOKEN, None])
        window.response_pane.body.setPlainText(f"echo {s.CLIENT_SECRET}")
        window.on_redaction_changed()  # re-render from the record, not from the widget
        assert s.CLIENT_SECRET not in window.response_pane.body.toPlainText()
        assert s.REFRESH_TOKEN not in shown_text(window)


def test_mode_is_restored_on_the_next_start(make_window, qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.presentation.action.trigger()
    window.close()
    again = make_window()
    assert again.redaction.presentation
    assert again.presentation.action.isChecked()
    assert again.banner.isVisible()
    assert again.settings.font_scale == PRESENTATION_FONT_SCALE
    assert again.presentation.action.shortcut().toString() == "Ctrl+Shift+P"
    assert again.presentation.action in again.view_menu.actions()
