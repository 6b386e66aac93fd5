"""Saved requests from the window: pick a folder, save (no secrets on disk), refuse a
secret, rename, reopen, send, make folders and delete."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import scripted_session as s
from helpers.window_session import (
    ScriptedAsk,
    authed_perform,
    send_url,
    set_headers,
    thumbtack_server,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from explorer.core.settings import SettingsStore
from explorer.paths import AppPaths


def items(window) -> list[str]:  # type: ignore[no-untyped-def]
    tree = window.saved.panel.tree
    found: list[str] = []

    def walk(item: QTreeWidgetItem, depth: int) -> None:
        for i in range(item.childCount()):
            child = item.child(i)
            found.append("  " * depth + f"{child.text(0)} {child.text(1)}".strip())
            walk(child, depth + 1)

    walk(tree.invisibleRootItem(), 0)
    return found


def click_item(window, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    tree = window.saved.panel.tree
    matches = tree.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    assert matches, items(window)
    rect = tree.visualItemRect(matches[0])
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_save_rename_reopen_and_send(make_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "suite"
    with thumbtack_server() as server:
        window = make_window(server.url, perform=authed_perform())
        ask = ScriptedAsk(folders=[folder], texts=["Get negotiation", "Negotiation by id"])
        window.saved.ask = ask
        url = f"{server.url}/api/v4/negotiations/590299344770662410"
        send_url(window, qtbot, url)
        window.saved.save_action.trigger()  # Ctrl+S
        saved = folder / "Get negotiation.request.json"
        qtbot.waitUntil(saved.exists)
        text = saved.read_text()
        assert "{{access_token}}" in text and s.ACCESS_TOKEN not in text
        document = json.loads(text)
        # the environment's address is saved as {{base_url}}, never the port of this run
        assert (document["method"], document["url"]) == (
            "GET",
            "{{base_url}}/api/v4/negotiations/590299344770662410",
        )
        qtbot.waitUntil(lambda: items(window) == ["Get negotiation GET"])
        assert window.saved.panel.isVisible()
        assert window.saved.save_action.shortcut().toString() == "Ctrl+S"

        click_item(window, qtbot, "Get negotiation")
        qtbot.mouseClick(window.saved.panel.rename_button, Qt.MouseButton.LeftButton)
        renamed = folder / "Negotiation by id.request.json"
        qtbot.waitUntil(lambda: items(window) == ["Negotiation by id GET"])
        assert renamed.exists() and not saved.exists()
        assert json.loads(renamed.read_text())["name"] == "Negotiation by id"

        window.request_panel.url.setText("http://elsewhere.invalid/")
        click_item(window, qtbot, "Negotiation by id")
        qtbot.mouseClick(window.saved.panel.open_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.request_panel.url.text() == url)

        before = len(server.requests)
        with qtbot.waitSignal(window.response_shown, timeout=10000):
            qtbot.mouseClick(window.saved.panel.send_button, Qt.MouseButton.LeftButton)
        _method, _path, headers, _body = server.requests[before]
        assert headers["Authorization"] == f"Bearer {s.ACCESS_TOKEN}"  # the current token
        assert ask.errors == []
    window.close()
    settings = SettingsStore(AppPaths.from_environment().settings_file).load()
    assert settings.saved_requests_dir == str(folder)
    again = make_window()
    qtbot.waitUntil(lambda: items(again) == ["Negotiation by id GET"])


def test_a_secret_in_the_request_is_refused_with_the_reason(
    make_window, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.saved.ask = ask = ScriptedAsk(folders=[tmp_path / "suite"], texts=["leaky"])
    window.request_panel.url.setText("http://127.0.0.1:9/api/v4/businesses")
    set_headers(window, f"X-Api-Key: {s.CLIENT_SECRET}")
    window.saved.save_current()
    qtbot.waitUntil(lambda: bool(ask.errors))
    assert "looks like it holds a secret" in ask.errors[0]
    assert "{{variable}}" in ask.errors[0]
    assert not list((tmp_path / "suite").glob("*.request.json"))
    assert "secret" in window.statusBar().currentMessage()


def test_folders_overwrite_and_delete(make_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "suite"
    window = make_window()
    window.saved.ask = ask = ScriptedAsk(
        folders=[folder], texts=["smoke", "first", "first"], confirms=[True, True]
    )
    window.request_panel.url.setText("http://127.0.0.1:9/api/v4/categories")
    window.saved.set_folder(folder)
    window.saved.view_action.trigger()  # View > Saved requests
    qtbot.waitUntil(window.saved.panel.isVisible)
    qtbot.mouseClick(window.saved.panel.folder_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: items(window) == ["smoke"])
    click_item(window, qtbot, "smoke")
    window.saved.save_current()
    qtbot.waitUntil(lambda: items(window) == ["smoke", "  first GET"])
    window.request_panel.method.setCurrentText("POST")
    click_item(window, qtbot, "first")
    window.saved.save_current()  # same name: asks, then replaces
    target = folder / "smoke" / "first.request.json"
    qtbot.waitUntil(lambda: json.loads(target.read_text())["method"] == "POST")
    assert any("already exists" in text for kind, text in ask.asked if kind == "confirm")
    click_item(window, qtbot, "first")
    qtbot.mouseClick(window.saved.panel.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not target.exists())
    qtbot.waitUntil(lambda: items(window) == ["smoke"])
