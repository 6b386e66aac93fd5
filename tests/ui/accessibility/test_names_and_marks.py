"""What a screen reader is told, and that no meaning is carried by colour alone.

The checks walk every visible widget of the real window (and its docks, after a real
exchange with the Sandbox), so panels added later are checked as well.
"""

from __future__ import annotations

from helpers.accessibility import accessible_cell_names, colour_only_marks, unnamed_controls
from helpers.session_window import ScriptedAsk, sandbox, session_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from explorer.core.evidence import Evidence
from explorer.core.settings import ThemeChoice
from explorer.ui.endpoints.tree import accessible_row_name

__all__ = ["sandbox", "session_window"]


def busy_window(session_window, qtbot):  # type: ignore[no-untyped-def]
    """The window after one exchange, with every dock it has open."""
    window = session_window(ScriptedAsk())
    window.resize(1280, 800)
    for action in window.view_menu.actions():
        if action.isCheckable() and not action.isChecked() and "dock" not in action.text():
            if action is window.presentation.action:
                continue
            action.trigger()
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=15000):
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return window


def test_endpoint_rows_say_method_summary_path_and_evidence(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    names = accessible_cell_names(window.endpoint_tree.tree)
    endpoints = window.endpoints
    assert len(names) >= len(endpoints)
    for endpoint in endpoints:
        said = accessible_row_name(endpoint)
        assert said in names, said
        assert said.startswith(f"{endpoint.method}, ")
        assert endpoint.path in said and (endpoint.summary or endpoint.operation_id) in said
    inferred = next(e for e in endpoints if e.inferred)
    assert "unverified" in accessible_row_name(inferred)
    observed = next(e for e in endpoints if e.evidence is Evidence.OBSERVED and not e.inferred)
    assert "seen in real traffic" in accessible_row_name(observed)
    documented = next(
        e
        for e in endpoints
        if not e.inferred and not e.inferred_notes and e.evidence is Evidence.DOCUMENTED
    )
    assert "unverified" not in accessible_row_name(documented)
    # the description is the row's tooltip: the evidence in full
    tree = window.endpoint_tree.tree
    interface = QAccessible.queryAccessibleInterface(tree)
    descriptions = [
        interface.child(i).text(QAccessible.Text.Description) for i in range(interface.childCount())
    ]
    assert any("not documented by Thumbtack" in d for d in descriptions)


def test_every_control_is_named_and_no_mark_is_colour_alone_in_every_theme(
    session_window, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = busy_window(session_window, qtbot)
    for choice in (ThemeChoice.DARK, ThemeChoice.LIGHT, ThemeChoice.HIGH_CONTRAST):
        window.theme_actions[choice].trigger()
        nameless = unnamed_controls(window)
        assert not nameless, f"{choice}: without an accessible name:\n" + "\n".join(nameless)
        colour_only = colour_only_marks(window)
        assert not colour_only, f"{choice}: colour alone:\n" + "\n".join(colour_only)
