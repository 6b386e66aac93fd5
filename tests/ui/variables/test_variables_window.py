"""Variables in the real window (offscreen) against a real Sandbox on 127.0.0.1: a secret
variable is kept in the encrypted vault and no file the program writes holds its value;
an undefined {{name}} is marked in words with a one-click "Define it"; typing {{ offers
the names; the hover says the value (masked when secret) and where it comes from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.session_window import PASSPHRASE, ScriptedAsk, sandbox, session_window
from helpers.window_session import set_headers
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

from explorer.core.models import ParamLocation
from explorer.core.redact import MASK
from explorer.ui.variables.assist import describe

__all__ = ["sandbox", "session_window"]

SECRET = "pk_live_4f9d2c7a81e6b03d5f"


def files_holding(root: Path, value: str) -> list[str]:
    needle = value.encode()
    return [str(p) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def field(window, name: str, location: ParamLocation = ParamLocation.PATH) -> QLineEdit:  # type: ignore[no-untyped-def]
    row = window.request_panel.param_form.row(location, name)
    assert row is not None, name
    line = row.editor.line
    assert isinstance(line, QLineEdit)
    return line


def test_a_secret_variable_never_reaches_a_file(
    session_window, qtbot, sandbox, explorer_home: Path
) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk(choice=0, passphrase=[PASSPHRASE, PASSPHRASE]))
    dock = window.variables.dock
    window.variables.action.trigger()
    qtbot.waitUntil(dock.isVisible)
    qtbot.mouseClick(dock.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dock.name_edit, "partner_key")
    qtbot.mouseClick(dock.secret_box, Qt.MouseButton.LeftButton)
    assert dock.value_edit.echoMode() is QLineEdit.EchoMode.Password
    qtbot.keyClicks(dock.value_edit, SECRET)
    qtbot.mouseClick(dock.save_button, Qt.MouseButton.LeftButton)
    service = window.variables.service
    qtbot.waitUntil(lambda: getattr(service.lookup("partner_key"), "value", None) == SECRET)
    row = next(r for r in dock.rows() if r[0] == "{{partner_key}}")
    assert row[1] == MASK and "secret" in row[2]
    assert SECRET not in " ".join(" ".join(r) for r in dock.rows())
    assert dock.value_edit.text() == ""  # never put back into a field

    # use it: the request carries it, the window shows it masked
    window.endpoint_tree.select("searchKeywordsV4")
    set_headers(window, "X-Partner-Key: {{partner_key}}")
    with (
        qtbot.waitSignal(window.history.service.recorded, timeout=20000),
        qtbot.waitSignal(window.response_shown, timeout=20000) as shown,
    ):
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    sent = shown.args[0].request
    assert sent.header("X-Partner-Key") is not None
    assert SECRET not in window.request_panel.preview.toPlainText()
    hover = describe(service, "partner_key", presentation=False)
    assert MASK in hover and SECRET not in hover and "secret, environment" in hover
    window.close()

    # the vault holds it encrypted; no file of the program's holds it in plain text
    assert (explorer_home / "data" / "vault.bin").exists()
    variables = json.loads((explorer_home / "config" / "variables.json").read_text())
    assert variables["environments"]["sandbox"] == [{"name": "partner_key", "secret": True}]
    assert files_holding(explorer_home, SECRET) == []


def test_an_undefined_variable_is_marked_and_define_it_opens_the_editor(
    session_window, qtbot, sandbox
) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    window.endpoint_tree.select("getCategoryRequestFormV4")
    line = field(window, "categoryID")
    line.clear()
    qtbot.keyClicks(line, "{{myCategory}}")
    bar = window.variables.undefined_bar
    qtbot.waitUntil(lambda: bar.names == ["myCategory"] and bar.isVisible())
    label = bar.findChild(type(window.banner), "undefinedVariable")
    assert label is not None and label.text().startswith("⚠ {{myCategory}} is not defined")
    problems = window.request_panel.problem_list
    assert any("{{myCategory}}" in problems.item(i).text() for i in range(problems.count()))

    qtbot.mouseClick(bar.buttons["myCategory"], Qt.MouseButton.LeftButton)  # one click
    dock = window.variables.dock
    qtbot.waitUntil(dock.isVisible)
    assert dock.name_edit.text() == "myCategory"
    qtbot.waitUntil(dock.value_edit.hasFocus)
    qtbot.keyClicks(dock.value_edit, "201565295100608806")
    qtbot.keyClick(dock.value_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not bar.isVisible())
    assert window.variables.service.values()["myCategory"] == "201565295100608806"
    with qtbot.waitSignal(window.response_shown, timeout=20000) as shown:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    record = shown.args[0]
    assert record.request.url.endswith("/api/v4/categories/201565295100608806/request-form")
    assert record.status == 200


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")  # popup
def test_typing_double_braces_offers_the_names_and_the_hover_tells_the_source(
    session_window, qtbot, sandbox
) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    service = window.variables.service
    assert service.define("workspace", "kitchen_category", "201565295100608806") == ""
    window.endpoint_tree.select("getCategoryRequestFormV4")
    line = field(window, "categoryID")
    line.clear()
    window.activateWindow()
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)
    qtbot.keyClicks(line, "{{kitch")
    popup = window.variables.assist.popup
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown == ["kitchen_category"]
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: line.text() == "{{kitchen_category}}")

    assist = window.variables.assist
    inside = QPoint(line.cursorRect().center().x() - 30, line.height() // 2)
    text = assist.hover_text(line, inside)
    assert text == "{{kitchen_category}} = 201565295100608806\nFrom: workspace"
    assert "{{base_url}} = http://127.0.0.1:" in describe(service, "base_url", presentation=False)
    assert describe(service, "nothing", presentation=False).startswith(
        "⚠ {{nothing}} is not defined"
    )
    with qtbot.waitSignal(window.response_shown, timeout=20000) as sent:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    assert sent.args[0].request.url.endswith("/api/v4/categories/201565295100608806/request-form")
