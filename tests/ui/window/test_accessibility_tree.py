"""Every control a person can focus or act on has an accessible name a screen reader can say."""

from __future__ import annotations

from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

__all__ = ["sandbox", "session_window"]

ACTIONABLE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QTabBar,
)


def walk(interface: QAccessibleInterface, seen: set[int]) -> list[QAccessibleInterface]:
    found = [interface]
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is None or not child.isValid() or id(child.object()) in seen:
            continue
        seen.add(id(child.object()))
        found.extend(walk(child, seen))
    return found


def unnamed_controls(root: QWidget) -> list[str]:
    interface = QAccessible.queryAccessibleInterface(root)
    assert interface is not None and interface.isValid()
    nameless = []
    for node in walk(interface, set()):
        widget = node.object()
        if not isinstance(widget, ACTIONABLE) or not widget.isVisible():
            continue
        name = node.text(QAccessible.Text.Name)
        if not any(ch.isalnum() for ch in name):  # empty, or only a symbol such as "▲"
            nameless.append(
                f"{type(widget).__name__} {widget.objectName() or ''} in {describe(widget)}"
            )
    return nameless


def describe(widget: QWidget) -> str:
    chain = []
    parent = widget.parentWidget()
    while parent is not None and len(chain) < 4:
        chain.append(type(parent).__name__)
        parent = parent.parentWidget()
    return " < ".join(chain)


def open_every_dock(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    for action in (window.history.action, window.saved.view_action):
        if not action.isChecked():
            action.trigger()
            qtbot.waitUntil(action.isChecked)


def test_every_control_in_the_main_window_has_a_name(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    window.resize(1280, 800)
    open_every_dock(window, qtbot)
    window.endpoint_tree.select("searchKeywordsV4")  # the form shows its fields
    with qtbot.waitSignal(window.response_shown, timeout=15000):
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    nameless = unnamed_controls(window)
    assert not nameless, "controls without an accessible name:\n" + "\n".join(nameless)


def test_the_status_badge_and_form_fields_say_their_words(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=15000) as blocker:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    badge = window.response_pane.badge
    said = QAccessible.queryAccessibleInterface(badge).text(QAccessible.Text.Name)
    assert str(blocker.args[0].status) in said
    assert badge.label.text() in said  # the words, not only the colour
    fields = [
        w for w in window.request_panel.findChildren(QLineEdit) if w.objectName() != "requestUrl"
    ]
    names = [QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name) for w in fields]
    assert any(name.endswith(", required") for name in names), names
