"""The token panel against a real Sandbox: claims decoded (not verified), a live countdown,
refresh and forget, a busy loopback port explained, and the token itself never shown."""

from __future__ import annotations

import socket
import threading

import httpx2 as httpx
from helpers.session_window import (
    PASSPHRASE,
    ScriptedAsk,
    controller_of,
    sandbox,
    sandbox_profile,
    save_profile_with_secret,
    session_window,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from explorer.core.models import Flow
from explorer.core.secrets import SecretKind

__all__ = ["sandbox", "session_window"]


def shown_panel(window, qtbot):  # type: ignore[no-untyped-def]
    toggle = window.session_ui.token_panel.toggleViewAction()
    assert toggle in window.view_menu.actions()
    toggle.trigger()
    panel = window.session_ui.token_panel
    qtbot.waitUntil(panel.isVisible)
    return panel


def all_text(panel) -> str:  # type: ignore[no-untyped-def]
    labels = " ".join(label.text() for label in panel.findChildren(QLabel))
    return labels + panel.claims.toPlainText()


def test_get_token_shows_claims_and_counts_down(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    panel = shown_panel(window, qtbot)
    assert panel.state_label.text() == "none yet"
    qtbot.mouseClick(panel.get_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state_label.text().startswith("valid"), timeout=5000)
    claims = panel.claims.toPlainText()
    assert '"sandbox-demand-client"' in claims and '"urn:partner-api"' in claims
    assert "not verified" in panel.note.text()
    assert "demand::keywords.read" in panel.scopes.text()
    assert panel.audience.text() == "urn:partner-api"
    assert panel.issuer.text().startswith("http://127.0.0.1:")
    first = panel.expires.text()
    assert first.count(":") == 1
    qtbot.waitUntil(lambda: panel.expires.text() != first, timeout=3000)
    assert panel.expires.text() < first
    stored = controller_of(window).demo_store.get("Sandbox demo", SecretKind.ACCESS_TOKEN)
    assert stored is not None
    token = __import__("json").loads(stored)["access_token"]
    assert token not in all_text(panel)
    assert token not in window.token_label.text()
    assert "••••" in panel.token_value.text()


def test_refresh_gets_a_new_token_and_forget_drops_it(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    panel = shown_panel(window, qtbot)
    controller = controller_of(window)
    qtbot.mouseClick(panel.get_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.token_info is not None, timeout=5000)
    first = controller.token_info.claims["jti"]
    qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: controller.token_info is not None and controller.token_info.claims["jti"] != first,
        timeout=5000,
    )
    qtbot.mouseClick(panel.forget_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.state_label.text() == "none yet", timeout=5000)
    assert panel.claims.toPlainText() == ""
    assert window.token_label.text() == "Token: none yet"


def test_sign_in_with_a_busy_port_names_the_fix(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        profile = sandbox_profile(
            "Pro sign-in",
            flow=Flow.AUTHORIZATION_CODE,
            scopes=("demand::messages.read", "offline_access"),
            redirect_uri=f"http://127.0.0.1:{port}/callback",
        )
        save_profile_with_secret(profile, "sandbox-demand-secret")
        opened: list[str] = []
        window = session_window(ScriptedAsk(passphrase=PASSPHRASE), open_browser=opened.append)
        controller_of(window).select_profile("Pro sign-in")
        panel = shown_panel(window, qtbot)
        assert panel.login_button.isVisible()
        qtbot.mouseClick(panel.login_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(panel.error.isVisible, timeout=5000)
    assert f"Port {port}" in panel.error.text()
    assert "redirect URI to another port" in panel.error.text()
    assert opened == []  # the browser is not opened when the answer cannot be received
    assert not panel.cancel_button.isVisible()


class HeadlessBrowser:
    """Stands in for the system browser: follows the authorize redirects to the listener."""

    def __init__(self) -> None:
        self.pages: list[str] = []
        self.threads: list[threading.Thread] = []

    def __call__(self, url: str) -> bool:
        def visit() -> None:
            self.pages.append(httpx.get(url, follow_redirects=True, timeout=10).text)

        thread = threading.Thread(target=visit, daemon=True)
        self.threads.append(thread)
        thread.start()
        return True


def test_log_in_in_browser_signs_a_pro_in(session_window, qtbot, sandbox) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = sandbox_profile(
        "Pro sign-in",
        client_id="sandbox-supply-client",
        flow=Flow.AUTHORIZATION_CODE,
        scopes=("supply::negotiations.read", "offline_access"),
        redirect_uri=f"http://127.0.0.1:{port}/callback",
    )
    save_profile_with_secret(profile, "sandbox-supply-secret")
    browser = HeadlessBrowser()
    sandbox.set_auto_approve(True)
    try:
        window = session_window(ScriptedAsk(passphrase=PASSPHRASE), open_browser=browser)
        controller_of(window).select_profile("Pro sign-in")
        panel = shown_panel(window, qtbot)
        qtbot.mouseClick(panel.login_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.state_label.text().startswith("valid"), timeout=10000)
    finally:
        sandbox.set_auto_approve(False)
    for thread in browser.threads:
        thread.join(5)
    assert browser.pages and "signed in" in browser.pages[-1].lower()
    assert "supply::negotiations.read" in panel.scopes.text()
    assert panel.refresh_info.text().startswith("yes")
    assert not panel.cancel_button.isVisible()


def test_cancel_sign_in_closes_the_listener(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = sandbox_profile(
        "Pro sign-in",
        flow=Flow.AUTHORIZATION_CODE,
        scopes=("demand::messages.read", "offline_access"),
        redirect_uri=f"http://127.0.0.1:{port}/callback",
    )
    save_profile_with_secret(profile, "sandbox-demand-secret")
    opened: list[str] = []
    window = session_window(ScriptedAsk(passphrase=PASSPHRASE), open_browser=opened.append)
    controller_of(window).select_profile("Pro sign-in")
    panel = shown_panel(window, qtbot)
    qtbot.mouseClick(panel.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert panel.cancel_button.isVisible() and not panel.login_button.isEnabled()
    assert "code_challenge_method=S256" in opened[0]
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.cancel_button.isVisible() and panel.login_button.isEnabled()

    def port_free() -> bool:
        with socket.socket() as again:
            try:
                again.bind(("127.0.0.1", port))
            except OSError:
                return False
            return True

    qtbot.waitUntil(port_free, timeout=5000)


def test_claims_and_messages_follow_presentation_mode(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.auth import TokenInfo

    window = session_window()
    panel = shown_panel(window, qtbot)
    controller = controller_of(window)
    info = TokenInfo(
        token_type="Bearer",
        is_jwt=True,
        header={"alg": "HS256"},
        claims={"sub": "dana.reyes@example.com", "name": "Dana Reyes", "email": "dana@example.com"},
        subject="dana.reyes@example.com",
        issuer="http://127.0.0.1:1",
    )
    controller.token_info = info
    panel.on_token_changed(info)
    assert "Dana Reyes" in all_text(panel)  # personal data shows outside presentation mode
    failure = "refresh failed: client_secret=cs_TOKEN_9x for dana.reyes@example.com"
    controller.token_error = failure  # as the controller does before it emits
    controller.token_failed.emit(failure)
    qtbot.waitUntil(lambda: "refresh failed" in window.statusBar().currentMessage())
    assert "cs_TOKEN_9x" not in window.statusBar().currentMessage()
    assert "cs_TOKEN_9x" not in panel.error.text()

    window.redaction.set_presentation(True)
    qtbot.waitUntil(lambda: "Dana Reyes" not in all_text(panel))
    for personal in ("dana.reyes@example.com", "dana@example.com"):
        assert personal not in all_text(panel)
    assert '"alg": "HS256"' in panel.claims.toPlainText()  # the rest stays readable
    controller.token_failed.emit(failure)
    qtbot.waitUntil(lambda: "refresh failed" in window.statusBar().currentMessage())
    assert "dana.reyes@example.com" not in window.statusBar().currentMessage()
