"""The profile editor offers every kind of authentication: a person makes an HTTP Basic
profile for httpbin (a real third-party server on 127.0.0.1), and the window's requests
are signed with it; the password is kept in the chosen store, never in the profile file."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from helpers.httpbin import running_httpbin
from helpers.session_window import ScriptedAsk, controller_of, sandbox, session_window
from PySide6.QtCore import Qt

from explorer.core.environments import custom_environment
from explorer.core.profiles import AuthKind, ProfileStore
from explorer.core.secrets import MemoryStore, SecretKind
from explorer.paths import AppPaths

__all__ = ["sandbox", "session_window"]

PASSWORD = "pw-9f8e7d"


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    with running_httpbin() as url:
        yield url


def test_a_basic_profile_signs_the_windows_requests(session_window, qtbot, echo_url: str) -> None:  # type: ignore[no-untyped-def]
    store = ProfileStore(AppPaths.from_environment().ensure())
    store.save_environment(
        custom_environment(id="echo", name="Echo", api_base=echo_url, token_url="")
    )
    window = session_window(ScriptedAsk(choice=1))  # secrets: memory only for this run
    combo = window.profile_combo
    index = combo.findText("Manage profiles…")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    dialog = window.session_ui.dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    form = dialog.form
    qtbot.keyClicks(form.name, "Ann on echo")
    form.environment.setCurrentIndex(form.environment.findData("echo"))
    form.auth.setCurrentIndex(form.auth.findData(AuthKind.BASIC))
    assert not form.client_id.isVisibleTo(dialog) and not form.scope_picker.isVisibleTo(dialog)
    assert form.username.isVisibleTo(dialog)
    assert form._form.labelForField(form.client_secret).text() == "Password"
    qtbot.keyClicks(form.username, "ann")
    qtbot.keyClicks(form.client_secret, PASSWORD)
    assert dialog.save_button.isEnabled(), dialog.status.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved."), timeout=5000)

    controller = controller_of(window)
    assert isinstance(controller.user_store, MemoryStore)
    assert controller.user_store.get("Ann on echo", SecretKind.PASSWORD) == PASSWORD
    raw = controller.profiles.path.read_bytes()
    assert PASSWORD.encode() not in raw
    saved = next(p for p in json.loads(raw)["profiles"] if p["name"] == "Ann on echo")
    assert saved["auth"] == "basic" and saved["username"] == "ann"
    dialog.close()

    window.environment_combo.setCurrentIndex(window.environment_combo.findData("echo"))
    qtbot.waitUntil(lambda: window.profile_combo.currentText() == "Ann on echo")
    window.request_panel.url.setText(f"{echo_url}/basic-auth/ann/{PASSWORD}")
    with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
        window.send_current()
    record = blocker.args[0]
    assert record.status == 200, record
    assert json.loads(record.body) == {"authenticated": True, "user": "ann"}
    assert PASSWORD not in window.request_panel.preview.toPlainText()
