"""Banners go with their cause: the validation bar closes when "Reset to example" makes
the inputs valid, and the "Reset … Undo" bar closes when a saved request is opened."""

from __future__ import annotations

from pathlib import Path

from helpers.session_window import ScriptedAsk, sandbox, session_window
from helpers.window_session import ScriptedAsk as WindowAsk
from PySide6.QtCore import Qt

from explorer.core.models import ParamLocation

__all__ = ["sandbox", "session_window"]


def test_reset_to_example_closes_the_validation_bar(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window(ScriptedAsk())
    panel = window.request_panel
    window.endpoint_tree.select("getCategoryRecommendationsV4")
    row = panel.param_form.row(ParamLocation.QUERY, "zipCode")
    field = row.editor.line
    field.clear()
    qtbot.keyClicks(field, "abc")
    qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    assert panel.fail_bar.isVisible()
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert field.text() == "90210"
    qtbot.waitUntil(lambda: not panel.fail_bar.isVisible(), timeout=3000)


def test_opening_a_saved_request_closes_the_undo_bar(  # type: ignore[no-untyped-def]
    session_window, qtbot, tmp_path: Path
) -> None:
    window = session_window(ScriptedAsk())
    panel = window.request_panel
    saved = window.saved
    saved.ask = WindowAsk(folders=[tmp_path / "suite"], texts=["Keywords"])
    window.endpoint_tree.select("searchKeywordsV4")
    saved.save_action.trigger()
    qtbot.waitUntil((tmp_path / "suite" / "Keywords.request.json").exists)
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)  # same endpoint
    assert panel.undo_bar.isVisible()
    tree = saved.panel.tree
    qtbot.waitUntil(lambda: bool(tree.findItems("Keywords", Qt.MatchFlag.MatchRecursive)))
    item = tree.findItems("Keywords", Qt.MatchFlag.MatchRecursive)[0]
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )
    qtbot.mouseClick(saved.panel.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Opened Keywords" in window.statusBar().currentMessage())
    assert not panel.undo_bar.isVisible()
