"""A custom environment can be marked as Thumbtack's Partner API (a proxy in front of it):
its answers then keep Thumbtack's documented meanings; unmarked, the HTTP meaning."""

from __future__ import annotations

from helpers.session_window import ScriptedAsk
from keyring.backends import fail
from PySide6.QtCore import Qt

from explorer.core.explain import ExplanationEngine
from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.status import with_meanings
from explorer.paths import AppPaths
from explorer.ui.session.controller import SessionController
from explorer.ui.session.environment_editor import EnvironmentEditor


def test_mark_a_proxy_as_thumbtacks_api(qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = SessionController(
        AppPaths.from_environment().ensure(), ask=ScriptedAsk(), keyring_backend=fail.Keyring()
    )
    editor = EnvironmentEditor(controller)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.name, "Our proxy")
    qtbot.keyClicks(editor.api_base, "https://tt-proxy.example.com/api/")
    qtbot.keyClicks(editor.token_url, "https://tt-proxy.example.com/oauth2/token")
    editor.thumbtack.click()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = controller.environment_for("our-proxy")
    assert saved.thumbtack and saved.speaks_thumbtack

    engine = ExplanationEngine.from_resources()
    spec = RequestSpec(method="GET", url="https://tt-proxy.example.com/api/v4/x")
    marked = with_meanings(spec, base_url=saved.api_base, thumbtack=saved.speaks_thumbtack)
    assert engine.explain(ResponseRecord(request=marked, status=202)).rule_id == "waf-challenge"
    plain = ResponseRecord(request=spec, status=202)
    assert engine.explain(plain).rule_id == "http-accepted"

    editor.thumbtack.click()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not controller.environment_for("our-proxy").speaks_thumbtack
    controller.shutdown()
