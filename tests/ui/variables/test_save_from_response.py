"""Carrying values forward in the real window (offscreen, real Sandbox on 127.0.0.1):
"Save as variable…" on a value of the body text and of the tree, the explanation's
suggestion of the capture the documented flow needs next, and captured customer data
masked in presentation mode."""

from __future__ import annotations

import json

import pytest
from helpers.session_window import sandbox, session_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTreeWidgetItem

from explorer.core.redact import MASK

__all__ = ["sandbox", "session_window"]

QUIET_POPUPS = pytest.mark.qt_log_ignore(
    "This plugin does not support (raise|grabbing the keyboard|grabbing the mouse)"
)


def search(window, qtbot) -> dict:  # type: ignore[no-untyped-def, type-arg]
    window.endpoint_tree.select("searchBusinessesV4")
    with qtbot.waitSignal(window.response_shown, timeout=20000) as shown:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.response_pane.body_view.loading)
    body: dict = json.loads(shown.args[0].body)  # type: ignore[type-arg]
    return body


def save_in_dialog(window, qtbot, name: str | None = None) -> None:  # type: ignore[no-untyped-def]
    menus = window.variables.value_menus
    qtbot.waitUntil(lambda: menus.dialog is not None and menus.dialog.isVisible())
    dialog = menus.dialog
    if name is not None:
        dialog.name_edit.setText(name)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


@QUIET_POPUPS
def test_right_click_on_a_value_of_the_text_saves_it_as_a_variable(
    session_window, qtbot, sandbox
) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    body = search(window, qtbot)
    business_id = body["data"][0]["businessID"]
    code = window.response_pane.body_view.code
    text = code.toPlainText()
    cursor = code.textCursor()
    cursor.setPosition(text.index(business_id, text.index('"businessID"')) + 2)
    pos = code.cursorRect(cursor).center()
    code.customContextMenuRequested.emit(pos)  # the right-click
    menus = window.variables.value_menus
    action = next(a for a in menus.last_menu.actions() if a.text() == "Save as variable…")
    assert action.isEnabled()
    action.trigger()
    dialog = menus.dialog
    assert dialog.name_edit.text() == "businessID"
    assert dialog.picked.path == "$.data[0].businessID"
    assert dialog.capture_box.isChecked()
    save_in_dialog(window, qtbot)
    service = window.variables.service
    assert service.values()["businessID"] == business_id
    assert [str(c) for c in service.captures_for("searchBusinessesV4")] == [
        "businessID <- $.data[0].businessID"
    ]
    assert "Saved {{businessID}}" in window.statusBar().currentMessage()
    # the next response of the same request updates it
    again = search(window, qtbot)
    assert service.values()["businessID"] == again["data"][0]["businessID"]


@QUIET_POPUPS
def test_right_click_in_the_tree_and_the_flow_hint_under_the_explanation(
    session_window, qtbot, sandbox
) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    body = search(window, qtbot)
    hints = window.variables.hints
    qtbot.waitUntil(hints.isVisible)
    lines = [label.text() for label in hints.findChildren(type(window.banner), "captureHint")]
    assert "→ Next in the Exact search flow: save searchID for Create request" in lines
    qtbot.mouseClick(hints.buttons["searchID"], Qt.MouseButton.LeftButton)
    service = window.variables.service
    qtbot.waitUntil(lambda: service.values().get("searchID") == body["searchID"])
    assert "searchID <- $.searchID" in [str(c) for c in service.captures_for("searchBusinessesV4")]
    assert "searchID" not in hints.buttons  # now marked as captured after each response

    view = window.response_pane.body_view
    qtbot.mouseClick(view.tree_button, Qt.MouseButton.LeftButton)
    tree = view.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1)
    root = tree.topLevelItem(0)

    def child(item: QTreeWidgetItem, label: str) -> QTreeWidgetItem:
        item.setExpanded(True)
        return next(
            item.child(i) for i in range(item.childCount()) if item.child(i).text(0) == label
        )

    name_item = child(child(child(root, "data"), "[0]"), "businessName")
    tree.scrollToItem(name_item)
    pos = tree.visualItemRect(name_item).center()
    tree.customContextMenuRequested.emit(pos)
    action = next(
        a
        for a in window.variables.value_menus.last_menu.actions()
        if a.text() == "Save as variable…"
    )
    action.trigger()
    assert window.variables.value_menus.dialog.picked.path == "$.data[0].businessName"
    save_in_dialog(window, qtbot, name="proName")
    assert service.values()["proName"] == body["data"][0]["businessName"]


def test_captured_customer_data_is_masked_in_presentation_mode(
    session_window, qtbot, sandbox
) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    service = window.variables.service
    service.put_captured("customerName", "Olivia Young", where="captured", personal=True)
    service.put_captured("negotiationID", "519153480500518912", where="captured")
    dock = window.variables.dock
    rows = {r[0]: r[1] for r in dock.rows()}
    assert rows["{{customerName}}"] == "Olivia Young"
    window.presentation.action.trigger()  # presentation mode on
    qtbot.waitUntil(lambda: window.redaction.presentation)
    rows = {r[0]: r[1] for r in dock.rows()}
    assert rows["{{customerName}}"] == MASK
    assert rows["{{negotiationID}}"] == "519153480500518912"
    from explorer.ui.variables.assist import describe

    assert "Olivia" not in describe(service, "customerName", presentation=True)
