"""Keyboard-complete: Tab goes through the whole window and every dialog in reading order,
never gets stuck, never leaves the window, never lands on nothing, and shows where it is.

The walk presses Tab as a person would, on whatever has the focus, so a panel or dialog
added later is walked too.
"""

from __future__ import annotations

from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from explorer.core.settings import ThemeChoice

__all__ = ["sandbox", "session_window"]

MAX_STEPS = 600
MAX_INSIDE = 12  # Tab presses one widget may keep (its links); more is a trap


def focus() -> QWidget | None:
    return QApplication.focusWidget()


def tab_walk(qtbot, top: QWidget, *, backward: bool = False) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Press Tab (or Shift+Tab) until the focus comes back to where it started."""
    start = focus()
    assert start is not None and start.window() is top, f"focus starts outside: {start}"
    key = Qt.Key.Key_Backtab if backward else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backward else Qt.KeyboardModifier.NoModifier
    seen = [start]
    same = 0  # Tab inside one widget: from link to link of a label, cell to cell
    for _step in range(MAX_STEPS):
        before = focus()
        assert before is not None
        qtbot.keyClick(before, key, modifier)
        now = focus()
        assert now is not None, f"focus lost after {describe(before)}"
        assert now.window() is top, f"focus left the window after {describe(before)}"
        assert now.isVisible() and now.isEnabled(), f"focus on a hidden widget: {describe(now)}"
        same = same + 1 if now is before else 0
        assert same < MAX_INSIDE, f"focus stuck on {describe(before)}"
        if now is start:
            return seen
        if now is not before:
            seen.append(now)
    raise AssertionError(
        f"Tab never came back to {describe(start)}: trapped in {describe(seen[-1])}"
    )


def describe(widget: QWidget) -> str:
    chain = []
    while widget is not None and len(chain) < 4:
        chain.append(f"{type(widget).__name__}#{widget.objectName()}")
        widget = widget.parentWidget()
    return " < ".join(chain)


def first_index(chain: list[QWidget], target: QWidget) -> int:
    for index, widget in enumerate(chain):
        if widget is target or target.isAncestorOf(widget):
            return index
    raise AssertionError(f"Tab never reaches {describe(target)}")


def on_screen(widget: QWidget):  # type: ignore[no-untyped-def]
    """The window's picture around ``widget`` (with a margin for a ring drawn round it)."""
    window = widget.window()
    corner = widget.mapTo(window, QPoint(0, 0))
    return window.grab(QRect(corner, widget.size()).adjusted(-3, -3, 3, 3)).toImage()


def shows_focus(qtbot, widget: QWidget, elsewhere: QWidget) -> bool:  # type: ignore[no-untyped-def]
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    focused = on_screen(widget)
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: not widget.hasFocus())
    return focused != on_screen(widget)


def ready_window(session_window, qtbot):  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    window.resize(1280, 800)
    with qtbot.waitActive(window):
        window.activateWindow()
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=15000):
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    window.endpoint_tree.filter_edit.setFocus()
    qtbot.waitUntil(window.endpoint_tree.filter_edit.hasFocus)
    return window


def test_tab_goes_through_the_whole_window_in_reading_order(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = ready_window(session_window, qtbot)
    chain = tab_walk(qtbot, window)
    order = [
        window.endpoint_tree.filter_edit,
        window.endpoint_tree.tree,
        window.request_panel,
        window.request_panel.send_button,
        window.response_pane.badge,
        window.response_pane,
        window.explanation_panel,
    ]
    positions = [first_index(chain, w) for w in order]
    assert positions == sorted(positions), [describe(chain[p]) for p in positions]
    # Shift+Tab goes back the same way
    back = tab_walk(qtbot, window, backward=True)
    assert set(map(id, back)) == set(map(id, chain))


def test_the_focus_is_seen_on_every_kind_of_control_in_both_themes(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = ready_window(session_window, qtbot)
    chain = tab_walk(qtbot, window)
    kinds: dict[type, QWidget] = {}
    for widget in chain:
        kinds.setdefault(type(widget), widget)
    elsewhere = window.endpoint_tree.filter_edit
    for choice in (ThemeChoice.DARK, ThemeChoice.LIGHT):
        window.theme_actions[choice].trigger()
        unseen = [
            describe(w)
            for w in kinds.values()
            if w is not elsewhere and not shows_focus(qtbot, w, elsewhere)
        ]
        assert not unseen, f"{choice}: no visible focus on:\n" + "\n".join(unseen)


def dialog_actions(window) -> list[QAction]:  # type: ignore[no-untyped-def]
    """Every menu action that opens a window of its own ("…" by convention, and Help)."""
    found = []
    for action in window.findChildren(QAction):
        text = action.text().replace("&", "")
        if action.menu() is None and action.isEnabled() and text.endswith("…"):
            found.append(action)
    found += [window.help.help_action, window.help.shortcuts_action]
    return found


def walk_dialog(qtbot, dialog: QDialog) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Tab through ``dialog`` from where its focus is, then close it with Escape."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    if focus() is None or focus().window() is not dialog:
        dialog.focusNextChild()
    qtbot.waitUntil(lambda: focus() is not None and focus().window() is dialog)
    chain = tab_walk(qtbot, dialog)
    qtbot.keyClick(focus(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    return chain


def test_every_dialog_keeps_the_focus_inside_and_lets_it_out(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = ready_window(session_window, qtbot)
    walked: list[str] = []
    choosers: list[str] = []  # run with exec(): the focus is checked inside them only
    problems: list[str] = []

    def on_modal() -> None:  # a dialog run with exec() (a file chooser): walked from inside
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog) and modal.isVisible() and not modal.property("walked"):
            modal.setProperty("walked", True)
            choosers.append(type(modal).__name__)
            try:
                walk_dialog(qtbot, modal)
            except AssertionError as problem:
                problems.append(str(problem))
                modal.reject()

    watcher = QTimer(interval=100)
    watcher.timeout.connect(on_modal)
    watcher.start()
    try:
        for action in dialog_actions(window):
            before = set(map(id, QApplication.topLevelWidgets()))
            choosers_before = len(choosers)
            action.trigger()
            opened = [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog)
                and w.isVisible()
                and id(w)
                not in before
                | {id(x) for x in QApplication.topLevelWidgets() if x.property("walked")}
            ]
            if not opened:
                opened = [
                    w
                    for w in QApplication.topLevelWidgets()
                    if isinstance(w, QDialog) and w.isVisible() and not w.property("walked")
                ]
            for dialog in opened[:1]:
                dialog.setProperty("walked", True)
                walk_dialog(qtbot, dialog)
                walked.append(action.text().replace("&", ""))
            if len(choosers) > choosers_before or QApplication.activeWindow() is None:
                # offscreen there is no window manager to activate the window again
                window.activateWindow()
                qtbot.waitUntil(window.isActiveWindow)
            # the focus comes back to a real widget of the window, never to nothing
            try:
                qtbot.waitUntil(lambda: focus() is not None and focus().window() is window)
            except Exception as exc:
                raise AssertionError(
                    f"after {action.text()}: focus on {focus() and describe(focus())}, "
                    f"active {QApplication.activeWindow()}, walked {walked}"
                ) from exc
    finally:
        watcher.stop()
    assert not problems, "\n".join(problems)
    assert len(walked) >= 4, walked
