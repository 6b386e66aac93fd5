""" "Copy as curl (with secrets)" copies a command that runs: the real current token and
exactly the headers that were sent (the Sandbox fault too); before the first send, what the
Preview shows. Run with real curl against the real Sandbox, it gets the window's status."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers.session_window import ScriptedAsk, sandbox, session_window
from helpers.window_session import ScriptedAsk as WindowAsk
from PySide6.QtCore import Qt

from explorer.core.redact import MASK

__all__ = ["sandbox", "session_window"]

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")


def pick(window, title_part: str) -> None:  # type: ignore[no-untyped-def]
    for action in window.sandbox_menu.actions():
        if not action.isSeparator() and title_part in action.text():
            action.trigger()
            return
    raise AssertionError(title_part)


def copy_with_secrets(window, qtbot, qapp) -> str:  # type: ignore[no-untyped-def]
    window.bundles.ask = WindowAsk(confirms=[True])
    qapp.clipboard().setText("")
    with qtbot.waitSignal(window.bundles.secrets_copied, timeout=15000):
        window.bundles.copy_secret_action.trigger()
    assert [kind for kind, _ in window.bundles.ask.asked] == ["confirm"]
    return str(qapp.clipboard().text())


def curl_status(command: str) -> int:
    assert command.startswith("curl")
    script = (
        command.rstrip().rstrip("\\") + " --silent --output /dev/null --write-out '%{http_code}'"
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def header_names(text: str) -> list[str]:
    """The header names of a Preview (``Name: value`` lines after the request line)."""
    names = []
    for line in text.splitlines()[1:]:
        if not line.strip():
            break
        names.append(line.split(":", 1)[0].lower())
    return names


def copied_header_names(command: str) -> list[str]:
    return [
        part.split("--header '", 1)[1].split(":", 1)[0].lower()
        for part in command.splitlines()
        if "--header '" in part
    ]


def send(window, qtbot):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.response_shown, timeout=15000) as shown:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return shown.args[0]


@pytest.mark.parametrize("fault", [None, "not active"])
def test_the_copied_command_gets_the_windows_status_with_curl(  # type: ignore[no-untyped-def]
    session_window, qtbot, qapp, fault
) -> None:
    window = session_window(ScriptedAsk())
    window.endpoint_tree.select("searchKeywordsV4")
    if fault:
        pick(window, fault)
    record = send(window, qtbot)
    command = copy_with_secrets(window, qtbot, qapp)
    assert MASK not in command and "Bearer " in command
    sent = [name.lower() for name, _ in record.request.headers]
    assert sorted(copied_header_names(command)) == sorted(sent)
    if fault:
        assert "X-Sandbox-Fault: token-expired" in command
    assert curl_status(command) == record.status


def test_before_the_first_send_the_copy_matches_the_preview(  # type: ignore[no-untyped-def]
    session_window, qtbot, qapp
) -> None:
    window = session_window(ScriptedAsk())
    window.endpoint_tree.select("searchKeywordsV4")
    pick(window, "WAF")
    preview = window.request_panel.preview.toPlainText()
    assert "X-Sandbox-Fault: waf" in preview
    command = copy_with_secrets(window, qtbot, qapp)
    assert copied_header_names(command) == header_names(preview)
    assert "authorization" in copied_header_names(command)
    assert MASK not in command
    status = curl_status(command)
    assert status == send(window, qtbot).status == 202
