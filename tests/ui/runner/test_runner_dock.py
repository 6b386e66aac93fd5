"""The Runner dock in the real window (offscreen) against a real Sandbox on 127.0.0.1:
the shipped smoke suite passes step by step; a failing step says why in words, reruns
alone with "Run failed only", opens in a tab with its explanation and contract, and is
compared with the same step of the run before; Stop ends a run early."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from helpers.session_window import sandbox, session_window
from helpers.window_session import ScriptedAsk as WindowAsk
from PySide6.QtCore import Qt

from explorer.ui.runner.controller import shipped_suites

__all__ = ["sandbox", "session_window"]


def open_runner(window: Any, qtbot: Any) -> Any:
    window.runner.action.trigger()
    dock = window.runner.dock
    qtbot.waitUntil(dock.isVisible)
    return dock


def rows(dock: Any) -> list[tuple[str, str]]:
    tree = dock.results
    return [
        (tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
        for i in range(tree.topLevelItemCount())
    ]


def small_suite(tmp_path: Path) -> Path:
    """Two steps of the smoke suite; the keyword search asks for a status it will not get."""
    smoke = shipped_suites()[0][1]
    folder = tmp_path / "two-steps"
    for part in ("01-categories", "02-keywords"):
        (folder / part).mkdir(parents=True)
        first = sorted((smoke / part).glob("*.request.json"))[0]
        shutil.copy(first, folder / part / first.name)
    shutil.copy(smoke / ".suite.json", folder / ".suite.json")
    step = next((folder / "02-keywords").glob("*.request.json"))
    saved = json.loads(step.read_text())
    saved["assertions"] = [{"status": 404}, {"contract": "conforms"}]
    step.write_text(json.dumps(saved, indent=2))
    return folder


def test_the_smoke_suite_passes_on_the_sandbox(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    dock = open_runner(window, qtbot)
    assert dock.suite.currentText().startswith("smoke")
    assert dock.environment.currentText() == window.environment_combo.currentText()
    assert dock.profile.currentText().startswith("Automatic")
    assert not dock.stop_button.isEnabled() and not dock.failed_button.isEnabled()
    finished: list[Any] = []
    window.runner.step_finished.connect(finished.append)
    with qtbot.waitSignal(window.runner.run_finished, timeout=120000) as done:
        qtbot.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)
        assert not dock.run_button.isEnabled() and not dock.suite.isEnabled()  # running
    summary = done.args[0]
    assert summary.ok, [r.line() for r in summary.results if not r.passed]
    count = len(summary.results)
    assert count >= 20 and len(finished) == count
    assert [word for word, _title in rows(dock)] == ["✓ passed"] * count
    assert rows(dock)[0][1] == summary.results[0].title
    assert dock.progress.value() == count
    assert dock.progress.format() == f"{count} of {count} steps · {count} passed, 0 failed"
    assert dock.status.text().startswith(f"Done: {count} passed, 0 failed in ")
    assert dock.run_button.isEnabled() and not dock.failed_button.isEnabled()


def test_a_failing_step_in_words_rerun_opened_and_compared(session_window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    folder = small_suite(tmp_path)
    window.ask = WindowAsk(folders=[folder])
    dock = open_runner(window, qtbot)
    qtbot.mouseClick(dock.folder_button, Qt.MouseButton.LeftButton)
    assert dock.suite.currentData() == str(folder)
    with qtbot.waitSignal(window.runner.run_finished, timeout=60000) as done:
        qtbot.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)
    summary = done.args[0]
    assert summary.counts() == "1 passed, 1 failed"
    assert rows(dock) == [("✓ passed", "Category recommendations"), ("✗ failed", "Search keywords")]
    failed = dock.results.topLevelItem(1)
    assert failed.child(0).text(0) == "why"
    why = failed.child(0).text(1)
    assert why == summary.results[1].reason and "404" in why and "200" in why
    assert failed.isExpanded()
    assert "failed: Search keywords" in failed.data(0, Qt.ItemDataRole.AccessibleTextRole)
    assert dock.progress.format() == "2 of 2 steps · 1 passed, 1 failed"
    assert dock.status.text().startswith("Done: 1 passed, 1 failed")
    assert dock.failed_button.isEnabled()

    # Run failed only: the one step again.
    with qtbot.waitSignal(window.runner.run_finished, timeout=60000) as again:
        qtbot.mouseClick(dock.failed_button, Qt.MouseButton.LeftButton)
    assert [r.title for r in again.args[0].results] == ["Search keywords"]
    assert rows(dock) == [("✗ failed", "Search keywords")]

    # The step opens in the window: its request, its answer and the contract verdict.
    item = dock.results.topLevelItem(0)
    dock.results.setCurrentItem(item)
    assert dock.open_button.isEnabled() and dock.compare_button.isEnabled()
    with qtbot.waitSignal(window.response_shown, timeout=10000):
        qtbot.mouseClick(dock.open_button, Qt.MouseButton.LeftButton)
    assert "/api/v4/keywords/search" in window.request_panel.url.text()
    assert window.response_pane.record is not None
    assert window.response_pane.record.status == 200
    assert "Opened Search keywords from the run: failed" in window.statusBar().currentMessage()

    # ... and is compared with the same step of the run before.
    with qtbot.waitSignal(window.diffs.compared, timeout=20000) as compared:
        qtbot.mouseClick(dock.compare_button, Qt.MouseButton.LeftButton)
    view = window.diffs.window
    assert view.side_a.text().startswith("A: Run 1 · Search keywords")
    assert view.side_b.text().startswith("B: Run 2 · Search keywords")
    assert compared.args[0].summary()  # words, whatever the Sandbox answered


def test_stop_ends_a_run_early(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    dock = open_runner(window, qtbot)
    runner = window.runner

    def stop_after_first(_result: Any) -> None:
        if dock.stop_button.isEnabled():
            qtbot.mouseClick(dock.stop_button, Qt.MouseButton.LeftButton)

    runner.step_finished.connect(stop_after_first)
    with qtbot.waitSignal(runner.run_finished, timeout=120000) as done:
        qtbot.mouseClick(dock.run_button, Qt.MouseButton.LeftButton)
    summary = done.args[0]
    assert summary.stopped and summary.not_run > 0
    assert dock.status.text().startswith("Stopped: ") and "not run" in dock.status.text()
    assert dock.run_button.isEnabled() and not dock.stop_button.isEnabled()
