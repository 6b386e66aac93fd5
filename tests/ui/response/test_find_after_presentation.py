"""Find in the body runs again when presentation mode is switched off (and on): the
count and the selection follow what the body now shows."""

from __future__ import annotations

from helpers import scripted_session as s
from helpers.window_session import authed_perform, keep_app_look, send_url, thumbtack_server
from PySide6.QtCore import Qt

__all__ = ["keep_app_look"]


def click_presentation(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    button = window.toolbar.widgetForAction(window.presentation.action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_find_follows_presentation_mode(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        click_presentation(window, qtbot)  # on: the customer's name is masked
        send_url(window, qtbot, f"{server.url}/api/v4/negotiations/1")
        view = window.response_pane.body_view
        qtbot.waitUntil(lambda: not view.loading)
        view.search_edit.setFocus()
        qtbot.keyClicks(view.search_edit, s.LAST_NAME)
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
        count = view.search_count
        qtbot.waitUntil(lambda: bool(count.text()))
        assert "1 of" not in count.text()  # masked: nothing to find

        click_presentation(window, qtbot)  # off: the name is shown again
        qtbot.waitUntil(lambda: count.text().startswith("1 of"), timeout=5000)
        assert view.code.textCursor().selectedText() == s.LAST_NAME
