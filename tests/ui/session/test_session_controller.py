"""The window's session against a real Sandbox: the demo profile out of the box, a wrong
secret explained, a wrong audience fixed in one click, a damaged profiles file reported,
and no secret or token in any file afterwards."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.session_window import (
    DEMAND_SECRET,
    PASSPHRASE,
    ScriptedAsk,
    controller_of,
    sandbox,
    sandbox_profile,
    save_profile_with_secret,
    session_window,
)
from PySide6.QtCore import Qt

from explorer.core.models import FixAction, RequestSpec, ResponseRecord
from explorer.core.redact import MASK
from explorer.core.secrets import SecretKind
from explorer.paths import AppPaths

__all__ = ["sandbox", "session_window"]


def send_keywords(window, qtbot, *, preflight_ok: bool = True):  # type: ignore[no-untyped-def]
    window.endpoint_tree.select("searchKeywordsV4")
    window.request_panel.url.setText(window.request_panel.url.text() + "?searchQuery=car")
    with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
        if not preflight_ok:
            bar = window.session_ui.preflight_bar
            qtbot.waitUntil(bar.isVisible)
            qtbot.mouseClick(bar.send_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_first_launch_uses_the_sandbox_demo_profile_without_questions(session_window, qtbot):  # type: ignore[no-untyped-def]
    ask = ScriptedAsk()
    window = session_window(ask)
    assert window.environment_combo.currentText() == "Sandbox (local)"
    assert window.profile_combo.currentText() == "Sandbox demo"
    envs = [window.environment_combo.itemText(i) for i in range(window.environment_combo.count())]
    assert envs[:3] == ["Sandbox (local)", "Production", "Staging"]
    record = send_keywords(window, qtbot)
    assert record.status == 200, record.body
    assert ask.asked == []  # no questions: the demo secret is public and kept in memory
    assert record.request.header("Authorization") == f"Bearer {MASK}"
    qtbot.waitUntil(lambda: "valid, expires in" in window.token_label.text())


def test_a_wrong_secret_shows_the_invalid_client_explanation(session_window, qtbot):  # type: ignore[no-untyped-def]
    save_profile_with_secret(sandbox_profile(), "not-the-secret")
    ask = ScriptedAsk(passphrase=PASSPHRASE)
    window = session_window(ask)
    index = window.profile_combo.findText("My demand")
    window.profile_combo.setCurrentIndex(index)
    window.profile_combo.activated.emit(index)
    record = send_keywords(window, qtbot)
    assert record.status == 401
    assert b"invalid_client" in record.body
    assert "invalid_client" in window.explanation_panel.title.text()
    assert FixAction.OPEN_PROFILE_EDITOR in window.explanation_panel.buttons
    assert [q.kind.value for q in ask.asked] == ["passphrase"]  # the vault was unlocked once
    assert "error" in window.token_label.text() or "none" in window.token_label.text()


def test_set_audience_and_retry_fixes_a_wrong_audience_profile(session_window, qtbot):  # type: ignore[no-untyped-def]
    save_profile_with_secret(sandbox_profile(audience="https://wrong.example"), DEMAND_SECRET)
    window = session_window(ScriptedAsk(passphrase=PASSPHRASE))
    controller = controller_of(window)
    controller.select_profile("My demand")
    record = send_keywords(window, qtbot, preflight_ok=False)
    assert record.status == 502 and b"proxy_oauth_failed" in record.body
    button = window.explanation_panel.buttons[FixAction.SET_AUDIENCE_AND_RETRY]
    with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].status == 200
    saved = json.loads(controller.profiles.path.read_text())
    assert saved["profiles"][0]["audience"] == "urn:partner-api"
    assert controller.token_info is not None
    assert "urn:partner-api" in controller.token_info.audience


def test_a_damaged_profiles_file_is_reported_and_set_aside(session_window, qtbot):  # type: ignore[no-untyped-def]
    paths = AppPaths.from_environment().ensure()
    damaged = b'{"version": 1, "profiles": [ {"name": "half'
    (paths.config / "profiles.json").write_bytes(damaged)
    window = session_window()
    bar = window.session_ui.notice_bar
    assert bar.isVisible()
    text = bar.message.text()
    assert "profiles.json" in text and "not valid JSON" in text
    backups = list(paths.config.glob("profiles.json.broken-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == damaged
    assert str(backups[0]) in text
    assert window.profile_combo.currentText() == "Sandbox demo"  # still usable


def test_no_secret_or_token_reaches_any_file(session_window, qtbot, explorer_home: Path):  # type: ignore[no-untyped-def]
    secret = DEMAND_SECRET
    save_profile_with_secret(sandbox_profile(), secret)
    window = session_window(ScriptedAsk(passphrase=PASSPHRASE))
    controller = controller_of(window)
    controller.select_profile("My demand")
    assert send_keywords(window, qtbot).status == 200
    store = controller.user_store
    assert store is not None
    cached = json.loads(store.get("My demand", SecretKind.ACCESS_TOKEN) or "{}")
    token = cached["access_token"]
    demo_token = send_keywords_with_demo(window, qtbot)
    window.close()
    needles = [secret.encode(), token.encode(), demo_token.encode(), token.split(".")[2].encode()]
    files = [p for p in explorer_home.rglob("*") if p.is_file()]
    assert any(p.name == "vault.bin" for p in files)
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{path} holds a secret in plain text"


def send_keywords_with_demo(window, qtbot) -> str:  # type: ignore[no-untyped-def]
    controller = controller_of(window)
    controller.select_profile("Sandbox demo")
    assert send_keywords(window, qtbot).status == 200
    cached = json.loads(controller.demo_store.get("Sandbox demo", SecretKind.ACCESS_TOKEN) or "{}")
    return str(cached["access_token"])


def test_the_profile_secrets_become_known_to_every_view(session_window, qtbot):  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    send_keywords(window, qtbot)
    controller = controller_of(window)
    store = controller.demo_store
    cached = store.get(controller.demo_profile.name, SecretKind.ACCESS_TOKEN)
    secret = store.get(controller.demo_profile.name, SecretKind.CLIENT_SECRET)
    assert cached and secret
    token = json.loads(cached)["access_token"]
    qtbot.waitUntil(lambda: token in window.redaction.known_secrets)
    assert secret in window.redaction.known_secrets
    assert cached not in window.redaction.known_secrets  # the bare token, not the stored JSON
    assert token not in window.redaction.redactor.redact_text(f"echo {token} back")


def test_the_window_explains_the_masked_record(session_window, qtbot):  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    send_keywords(window, qtbot)
    controller = controller_of(window)
    cached = controller.demo_store.get(controller.demo_profile.name, SecretKind.ACCESS_TOKEN)
    token = json.loads(cached or "{}")["access_token"]
    assert len(token) > 300  # longer than the explanation's excerpt of a detail
    body = {"title": "Unauthorized", "status": 401, "detail": f"token {token} is not valid"}
    record = ResponseRecord(
        request=RequestSpec(method="GET", url=window.base_url + "/api/v4/businesses"),
        status=401,
        reason="Unauthorized",
        headers=(("Content-Type", "application/problem+json"),),
        body=json.dumps(body).encode(),
    )
    explanation = window.services.explain(record)
    assert explanation is not None and "The body says" in explanation.cause
    assert "token ••••••" in explanation.cause  # the token was masked before it was quoted
    assert token[:40] not in explanation.cause
