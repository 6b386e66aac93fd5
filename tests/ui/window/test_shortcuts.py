"""No two actions of the real window share a shortcut (Qt would fire neither)."""

from __future__ import annotations

from collections import defaultdict

from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

__all__ = ["sandbox", "session_window"]


def test_every_shortcut_belongs_to_one_action(session_window) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    owners: dict[str, set[str]] = defaultdict(set)
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            if not sequence.isEmpty():
                owners[sequence.toString()].add(action.text().replace("&", ""))
    clashes = {key: names for key, names in owners.items() if len(names) > 1}
    assert not clashes, clashes
    assert "Ctrl+Shift+P" in owners


def test_ctrl_shift_p_toggles_presentation_mode(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    with qtbot.waitActive(window):
        window.activateWindow()
    assert not window.redaction.presentation
    qtbot.keyClick(
        window.endpoint_tree.tree,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: window.redaction.presentation)
    assert window.banner.isVisible()
