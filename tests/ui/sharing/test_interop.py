"""Requests in and out of the window, driven as a person would: paste curl into the URL
field or the Import curl dialog, import a Postman file through its preview, export the
saved requests, and copy as any language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.session_window import controller_of, sandbox, session_window  # noqa: F401
from helpers.window_session import ScriptedAsk
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog

from explorer.core.catalog import Catalog, load_default_catalog
from explorer.core.models import ParamLocation, RequestSpec
from explorer.ui.window.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton
DATA = Path(__file__).resolve().parents[2] / "core" / "data"
TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXN0ZWQifQ.c2lnbmF0dXJlLXBhc3Rl"
PASTED = (
    "curl 'https://api.thumbtack.com/api/v4/negotiations/548954743629463556/messages?limit=5' \\\n"
    f"  -H 'Authorization: Bearer {TOKEN}' \\\n  -H 'Accept: application/json'"
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


@pytest.fixture
def window(make_window, catalog):  # type: ignore[no-untyped-def]
    built: MainWindow = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    _answer(built, ScriptedAsk())
    return built


def _answer(window: MainWindow, ask: ScriptedAsk) -> ScriptedAsk:
    """The import features and the saved requests ask their questions from this script."""
    window.interop.ask = window.saved.ask = ask
    return ask


def _paste_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    QApplication.clipboard().setText(text)
    widget.setFocus()
    qtbot.keySequence(widget, QKeySequence(QKeySequence.StandardKey.Paste))


def _all_text(window: MainWindow) -> str:
    panel = window.request_panel
    return "\n".join(
        [
            panel.url.text(),
            panel.preview.toPlainText(),
            panel.param_form.extra_headers.toPlainText(),
            panel.raw.toPlainText(),
        ]
    )


def test_curl_pasted_in_the_url_field_opens_the_operation(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.request_panel
    _paste_into(qtbot, panel.url, PASTED)
    qtbot.waitUntil(lambda: panel.endpoint is not None)
    assert panel.endpoint.operation_id == "listMessagesV4"
    row = panel.param_form.row(ParamLocation.PATH, "negotiationID")
    assert row is not None and row.editor.text() == "548954743629463556"
    query = panel.param_form.row(ParamLocation.QUERY, "limit")
    assert query is not None and query.editor.text() == "5"
    assert TOKEN not in _all_text(window)
    assert "listMessagesV4" in window.statusBar().currentMessage()


def test_a_pasted_unknown_route_is_a_free_request(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.request_panel
    _paste_into(
        qtbot,
        panel.url,
        "curl -X PUT https://example.com/hooks/1 -H 'X-Team: qa' --json '{\"on\": true}'",
    )
    qtbot.waitUntil(lambda: panel.url.text() == "https://example.com/hooks/1")
    assert panel.endpoint is None and panel.method.currentText() == "PUT"
    assert "X-Team: qa" in panel.param_form.extra_headers.toPlainText()
    assert panel.raw.toPlainText() == '{"on": true}'
    spec = panel.build_spec()
    assert spec is not None and spec.body == b'{"on": true}'
    assert spec.header("content-type") == "application/json"


def test_a_broken_paste_is_explained_and_changes_nothing(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.request_panel
    window.endpoint_tree.select("getCurrentUserV4")
    before = panel.endpoint
    _paste_into(qtbot, panel.url, "curl 'https://api.thumbtack.com/api/v4/users/self")
    qtbot.waitUntil(lambda: bool(window.interop.ask.errors))
    assert "unclosed ' quote" in window.interop.ask.errors[0]
    assert panel.endpoint is before


def test_import_curl_dialog_previews_then_opens(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.interop.import_curl_action.trigger()
    dialog = window.interop.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.import_button.isEnabled()
    _paste_into(qtbot, dialog.input, "curl 'https://example.com/x")
    qtbot.waitUntil(lambda: "unclosed" in dialog.status.text())
    assert not dialog.import_button.isEnabled()
    dialog.input.clear()
    _paste_into(qtbot, dialog.input, PASTED)
    qtbot.waitUntil(lambda: "listMessagesV4" in dialog.status.text())
    assert "Bearer {{access_token}}" in dialog.preview.toPlainText()
    assert TOKEN not in dialog.preview.toPlainText() + dialog.notes.text()
    qtbot.mouseClick(dialog.import_button, LEFT)
    qtbot.waitUntil(lambda: window.request_panel.endpoint is not None)
    assert window.request_panel.endpoint.operation_id == "listMessagesV4"
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_pasted_token_is_offered_to_the_profile_and_stored(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    ask = ScriptedAsk(confirms=[True])
    window = session_window(ask)
    _answer(window, ask)
    controller = controller_of(window)
    _paste_into(qtbot, window.request_panel.url, PASTED)
    qtbot.waitUntil(lambda: any(kind == "confirm" for kind, _ in ask.asked))
    store = controller.store_for(controller.profile)
    qtbot.waitUntil(lambda: TOKEN in (store.get(controller.profile.name, "access_token") or ""))
    assert TOKEN not in _all_text(window)


def test_postman_import_shows_a_preview_then_writes(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    collection = DATA / "postman" / "thumbtack-partner.postman_collection.json"
    saved_dir = tmp_path / "saved"
    _answer(window, ScriptedAsk(opens=[collection], folders=[saved_dir]))
    interop = window.interop
    interop.import_actions["postman"].trigger()
    qtbot.waitUntil(lambda: interop.dialog is not None and interop.dialog.isVisible())
    dialog = interop.dialog
    assert dialog.tree.topLevelItemCount() == 3  # Auth, Messages, Upload a photo
    report = dialog.details.toPlainText()
    assert "pre-request script" in report and "{{client_secret}}" in report
    assert "partner-secret-7Qx" not in report
    assert not list(saved_dir.rglob("*.request.json"))  # nothing before Import
    with qtbot.waitSignal(interop.imported, timeout=10000) as blocker:
        qtbot.mouseClick(dialog.import_button, LEFT)
    assert len(blocker.args[0]) == 4
    assert (saved_dir / "Messages" / "List messages.request.json").is_file()
    tree = window.saved.panel.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() >= 3)


def test_saved_requests_export_as_postman(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    har = DATA / "har" / "chromium-partner-page.har"
    saved_dir, out = tmp_path / "saved", tmp_path / "out.postman_collection.json"
    _answer(window, ScriptedAsk(opens=[har], folders=[saved_dir], files=[(out, "")]))
    interop = window.interop
    interop.import_actions["har"].trigger()
    qtbot.waitUntil(lambda: interop.dialog is not None and interop.dialog.isVisible())
    with qtbot.waitSignal(interop.imported, timeout=10000):
        qtbot.mouseClick(interop.dialog.import_button, LEFT)
    with qtbot.waitSignal(interop.exported, timeout=10000):
        interop.export_actions["postman"].trigger()
    document = json.loads(out.read_text())
    names = [item["name"] for folder in document["item"] for item in folder["item"]]
    assert len(names) == 3
    assert "c2lnbmF0dXJlLXZhbHVl" not in out.read_text()


def test_copy_as_menu_offers_every_language(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.request_panel
    window.endpoint_tree.select("getCurrentUserV4")
    labels = [action.text() for action in panel.copy_menu.actions()]
    assert "Go (net/http)" in labels and "Python with OAuth done right (authlib)" in labels
    go = next(a for a in panel.copy_menu.actions() if a.data() == "go")
    go.trigger()
    copied = QApplication.clipboard().text()
    assert "package main" in copied and 'os.Getenv("THUMBTACK_ACCESS_TOKEN")' in copied
    assert "••••••" not in copied


def test_typing_curl_by_hand_in_a_free_url_is_left_alone(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = window.request_panel
    panel.load_free(RequestSpec(method="GET", url="https://example.com/start"))
    panel.url.clear()
    qtbot.keyClicks(panel.url, "curl https://example.com/typed")
    assert panel.url.text() == "curl https://example.com/typed"
    assert window.interop.ask.errors == []
    panel.url.selectAll()
    QApplication.clipboard().setText("curl https://example.com/pasted -X DELETE")
    panel.url.paste()  # the context menu's Paste
    qtbot.waitUntil(lambda: panel.url.text() == "https://example.com/pasted")
    assert panel.method.currentText() == "DELETE"
