"""The Runner's behaviour: run a suite off the GUI thread, step results as they finish.

:class:`RunnerController` loads the chosen suite and runs it with the core
:class:`~explorer.core.suite.runner.SuiteRunner` on a worker of its own
:class:`~explorer.ui.workers.TaskRunner`: sending, judging, explaining and the contract
verdict all happen there. Each :class:`~explorer.core.suite.runner.StepResult` comes
back to the GUI thread through a queued signal and becomes one row of the
:class:`~explorer.ui.runner.dock.RunnerDock`; Stop asks the engine to start no new step.
The window gives it narrow collaborators (the core session, the environments, how to
switch environment, how to open a step's exchange, how to compare two records); it
never sees the window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot
from PySide6.QtWidgets import QWidget

from explorer.ui.diff.controller import DiffSide
from explorer.ui.runner.dock import RunnerDock
from explorer.ui.workers import TaskRunner

#: The suites shipped with the program, by folder name under resources/suites.
SHIPPED = (("smoke", "smoke — every documented v4 endpoint (shipped)"),)
AUTOMATIC = "Automatic (each step's own profile)"


def shipped_suites() -> list[tuple[str, Path]]:
    """(label, folder) of each shipped suite this build holds."""
    from explorer.resources import ResourceNotFoundError, resource_path

    found = []
    for name, label in SHIPPED:
        try:
            found.append((label, Path(resource_path("suites", name))))
        except ResourceNotFoundError:
            continue
    return found


class RunnerController(QObject):
    """Runs suites for the Runner dock and keeps the runs of this window."""

    step_finished = Signal(object)  # StepResult (worker -> GUI thread, queued)
    _planned = Signal(int, str)  # planned steps, the suite's name (worker -> GUI thread)
    run_finished = Signal(object)  # RunSummary, once the run is over

    def __init__(
        self,
        *,
        session: Callable[[], Any],
        environments: Callable[[], list[tuple[str, str]]],
        current_environment: Callable[[], str],
        choose_environment: Callable[[str], None],
        environment_ready: SignalInstance,
        profiles: Callable[[str], list[str]],
        saved_folder: Callable[[], str],
        ask_folder: Callable[[], Path | None],
        open_step: Callable[[Any], None],
        compare: Callable[[DiffSide, DiffSide], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.environments = environments
        self.current_environment = current_environment
        self.choose_environment = choose_environment
        self.profiles = profiles
        self.saved_folder = saved_folder
        self.ask_folder = ask_folder
        self.open_step = open_step
        self.compare = compare
        self.dock = RunnerDock(parent)
        self.action = self.dock.toggleViewAction()
        self.action.setText("&Runner")
        self.action.setObjectName("runnerAction")
        self.worker = TaskRunner(self, latest_only=False, serial=True)
        self.runs: list[Any] = []  # RunSummary of each finished run, oldest first
        self.results: list[Any] = []  # StepResult of the run shown, as they came
        self.shown_run = 0  # the number of the run shown (1 is the window's first)
        self.engine: Any = None  # the SuiteRunner under way
        self._lock = threading.Lock()
        self._waiting_for: str | None = None  # an environment being switched to
        self._pending_failed_only = False
        self._folders: list[Path] = []
        environment_ready.connect(self.on_environment_ready)
        self.step_finished.connect(self.on_step_finished)
        self._planned.connect(self.on_planned)
        dock = self.dock
        dock.run_requested.connect(lambda: self.on_run_requested(failed_only=False))
        dock.rerun_failed_requested.connect(lambda: self.on_run_requested(failed_only=True))
        dock.stop_requested.connect(self.stop)
        dock.choose_folder_requested.connect(self.on_choose_folder)
        dock.step_activated.connect(self.on_step_activated)
        dock.compare_requested.connect(self.on_compare_requested)
        dock.environment.currentIndexChanged.connect(lambda _i: self.fill_profiles())
        dock.visibilityChanged.connect(self.on_dock_visibility_changed)

    @Slot(bool)
    def on_dock_visibility_changed(self, visible: bool) -> None:
        if visible:
            self.refresh_choices()

    # ----- the choices ----------------------------------------------------------------------
    def refresh_choices(self) -> None:
        """Suites (shipped, the saved-requests folder, folders chosen), environments and
        profiles, keeping what is selected."""
        dock = self.dock
        if self.engine is not None:
            return
        chosen = dock.suite.currentData()
        dock.suite.blockSignals(True)
        dock.suite.clear()
        for label, folder in shipped_suites():
            dock.suite.addItem(label, str(folder))
        saved = self.saved_folder()
        if saved:
            dock.suite.addItem(f"Saved requests ({Path(saved).name})", saved)
        for folder in self._folders:
            dock.suite.addItem(f"{folder.name} ({folder})", str(folder))
        index = dock.suite.findData(chosen) if chosen else -1
        dock.suite.setCurrentIndex(max(0, index))
        dock.suite.blockSignals(False)
        current = dock.environment.currentData() or self.current_environment()
        dock.environment.blockSignals(True)
        dock.environment.clear()
        for env_id, name in self.environments():
            dock.environment.addItem(name, env_id)
        dock.environment.setCurrentIndex(max(0, dock.environment.findData(current)))
        dock.environment.blockSignals(False)
        self.fill_profiles()

    def fill_profiles(self) -> None:
        dock = self.dock
        chosen = dock.profile.currentData()
        dock.profile.clear()
        dock.profile.addItem(AUTOMATIC, "")
        env_id = dock.environment.currentData() or ""
        for name in self.profiles(env_id):
            dock.profile.addItem(name, name)
        dock.profile.setCurrentIndex(max(0, dock.profile.findData(chosen)))

    @Slot()
    def on_choose_folder(self) -> None:
        folder = self.ask_folder()
        if folder is None:
            return
        if folder not in self._folders:
            self._folders.append(folder)
        self.refresh_choices()
        self.dock.suite.setCurrentIndex(self.dock.suite.findData(str(folder)))

    # ----- running ---------------------------------------------------------------------------
    def on_run_requested(self, *, failed_only: bool) -> None:
        if self.engine is not None or self.worker.busy:
            return
        env_id = self.dock.environment.currentData() or ""
        if env_id and env_id != self.current_environment():
            self._waiting_for = env_id
            self._pending_failed_only = failed_only
            self.dock.status.setText(f"Switching to {self.dock.environment.currentText()}…")
            self.choose_environment(env_id)
            return
        self.start(failed_only=failed_only)

    @Slot(str)
    def on_environment_ready(self, _base_url: str) -> None:
        if self._waiting_for is not None and self._waiting_for == self.current_environment():
            self._waiting_for = None
            self.start(failed_only=self._pending_failed_only)

    def start(self, *, failed_only: bool = False) -> None:
        """Run the chosen suite (or its failed steps) on the current environment."""
        from explorer.core.suite.load import load_rows, load_suite
        from explorer.core.suite.runner import SuiteRunner
        from explorer.core.suite.sending import SessionSender

        dock = self.dock
        folder = dock.suite.currentData()
        session = self.session()
        if not folder:
            dock.status.setText("Choose a suite: a folder of saved requests (Folder…).")
            return
        if session is None:
            dock.status.setText("Running needs a signed-in session; this window has none.")
            return
        environment = getattr(session, "environment", None)
        if environment is not None and not getattr(environment, "api_base", "x"):
            dock.status.setText(
                f"{environment.name} has not started yet; press Run once it shows its address."
            )
            return
        previous = self.runs[-1] if failed_only and self.runs else None
        profile = dock.profile.currentData() or None
        sender = SessionSender(session, profile=profile)
        self.results = []
        self.shown_run = len(self.runs) + 1
        dock.start(0, f"Loading {Path(folder).name}…")

        def work(cancel: threading.Event) -> Any:
            suite = load_suite(Path(folder))
            rows = load_rows(suite.data) if suite.data is not None else None
            engine = SuiteRunner(suite, sender, rows=rows)
            with self._lock:
                self.engine = engine
            if cancel.is_set():
                engine.stop()
            only = previous.failed_keys() if previous is not None else None
            self._planned.emit(engine.planned(only), suite.name)
            steps = engine.rerun(previous) if previous is not None else engine.run()
            for result in steps:
                self.step_finished.emit(result)
            return engine.summary

        self.worker.run(work, self.on_run_done, self.on_run_failed)

    def stop(self) -> None:
        with self._lock:
            engine = self.engine
        if engine is not None:
            engine.stop()
            self.dock.status.setText("Stopping: the steps under way finish, no new one starts…")
            self.dock.stop_button.setEnabled(False)

    @Slot(int, str)
    def on_planned(self, planned: int, name: str) -> None:
        self.dock.start(planned, f"Running {name} on {self.dock.environment.currentText()}…")
        self.dock.stop_button.setEnabled(True)

    @Slot(object)
    def on_step_finished(self, result: Any) -> None:
        index = len(self.results)
        self.results.append(result)
        record = result.record
        if record is None:
            status = "not sent"
        elif record.status is None:
            status = "no response"
        else:
            status = f"{record.status} {record.reason}".strip()
        took = f"{result.elapsed_ms:.0f} ms" if record is not None else "—"
        self.dock.add_step(
            index,
            passed=result.passed,
            title=result.title,
            status=status,
            took=took,
            reason="" if result.passed else result.reason,
            comparable=self._earlier(result) is not None,
        )
        passed = sum(1 for r in self.results if r.passed)
        dock = self.dock
        dock.show_progress(len(self.results), dock.progress.maximum(), passed, index + 1 - passed)

    def on_run_done(self, summary: Any) -> None:
        with self._lock:
            self.engine = None
        self.runs.append(summary)
        words = "Stopped" if summary.stopped else "Done"
        self.dock.finish(
            f"{words}: {summary.counts()} in {summary.elapsed_s:.1f} s on {summary.environment}.",
            failed=summary.failed,
        )
        self.run_finished.emit(summary)

    def on_run_failed(self, exc: object) -> None:
        with self._lock:
            self.engine = None
        problems = getattr(exc, "problems", None)
        if problems:
            text = "This suite cannot run:\n" + "\n".join(f"• {p}" for p in problems)
        else:
            text = f"The run stopped with an error: {type(exc).__name__}: {exc}"
        self.dock.finish(text, failed=0)

    @property
    def running(self) -> bool:
        return self.worker.busy

    # ----- one step --------------------------------------------------------------------------
    def _earlier(self, result: Any) -> tuple[int, Any] | None:
        """(run number, the same step: file and row) in the newest earlier run that sent it."""
        for number in range(self.shown_run - 1, 0, -1):
            for earlier in self.runs[number - 1].results:
                if earlier.key == result.key and earlier.record is not None:
                    return number, earlier
        return None

    @Slot(int)
    def on_step_activated(self, index: int) -> None:
        if 0 <= index < len(self.results):
            self.open_step(self.results[index])

    @Slot(int)
    def on_compare_requested(self, index: int) -> None:
        if not 0 <= index < len(self.results):
            return
        result = self.results[index]
        found = self._earlier(result)
        if found is None or result.record is None:
            return
        number, earlier = found
        self.compare(
            DiffSide(f"Run {number} · {earlier.title}", earlier.record),
            DiffSide(f"Run {self.shown_run} · {result.title}", result.record),
        )

    def shutdown(self) -> None:
        self.stop()
        self.worker.shutdown()
