"""The Runner dock: pick a suite, an environment and a profile, run it, watch each step.

Above, three choices and Run / Stop / Run failed only; then a progress bar that counts
("12 of 40 steps · 11 passed, 1 failed") and one row per finished step: its outcome as a
mark *and* a word (``✓ passed``, ``✗ failed``), its name, the answer's status and time;
under a failed step, the failing assertion in words. Activating a step (double-click,
Enter) asks the owner to open its exchange; "Compare with the previous run" asks it to
compare the step with the same step of the run before. The work is the owner's
(:class:`~explorer.ui.runner.controller.RunnerController`); this file only shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.plain import plain_labels, plain_tooltip
from explorer.ui.style.palette import for_dark
from explorer.ui.style.theme import is_dark

INDEX_ROLE = Qt.ItemDataRole.UserRole


class RunnerDock(QDockWidget):
    """The Runner's widgets; signals say what the user asked for."""

    run_requested = Signal()
    rerun_failed_requested = Signal()
    stop_requested = Signal()
    choose_folder_requested = Signal()
    step_activated = Signal(int)  # the index of the step's result in the current run
    compare_requested = Signal(int)

    COLUMNS = ("Result", "Step", "Status", "Took")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Runner", parent)
        self.setObjectName("runnerDock")
        body = QWidget()
        self.suite = QComboBox()
        self.suite.setObjectName("runnerSuite")
        self.suite.setAccessibleName("Suite")
        self.suite.setMinimumContentsLength(14)
        self.suite.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.folder_button = QPushButton("Folder…")
        self.folder_button.setObjectName("runnerFolder")
        self.folder_button.setToolTip("Run another folder of saved requests as a suite")
        self.environment = QComboBox()
        self.environment.setObjectName("runnerEnvironment")
        self.environment.setAccessibleName("Environment")
        self.profile = QComboBox()
        self.profile.setObjectName("runnerProfile")
        self.profile.setAccessibleName("Profile")
        self.profile.setToolTip(
            "Automatic: each step goes with the profile that can call its endpoint "
            "(on the Sandbox, the built-in demo profiles)"
        )
        suite_row = QHBoxLayout()
        suite_row.addWidget(self.suite, 1)
        suite_row.addWidget(self.folder_button)
        form = QFormLayout()
        form.addRow("Suite", suite_row)
        form.addRow("Environment", self.environment)
        form.addRow("Profile", self.profile)
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("runnerRun")
        self.run_button.setDefault(True)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("runnerStop")
        self.stop_button.setEnabled(False)
        self.failed_button = QPushButton("Run failed only")
        self.failed_button.setObjectName("runnerFailedOnly")
        self.failed_button.setEnabled(False)
        self.failed_button.setToolTip(
            "Run again only the steps that failed, with what the run captured"
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.failed_button)
        buttons.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setObjectName("runnerProgress")
        self.progress.setAccessibleName("Run progress")
        self.progress.setTextVisible(True)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("No run yet")
        self.status = QLabel("Pick a suite and press Run. 'smoke' calls every documented endpoint.")
        self.status.setObjectName("runnerStatus")
        self.status.setWordWrap(True)
        self.status.setProperty("role", "dim")
        plain_labels(self.status)
        self.results = QTreeWidget()
        self.results.setObjectName("runnerResults")
        self.results.setAccessibleName("Steps of the run")
        self.results.setHeaderLabels(list(self.COLUMNS))
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.results.header()
        header.setStretchLastSection(False)
        for column in range(len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.open_button = QPushButton("Open exchange")
        self.open_button.setObjectName("runnerOpen")
        self.open_button.setToolTip("Show the step's request, answer, explanation and contract")
        self.compare_button = QPushButton("Compare with previous run")
        self.compare_button.setObjectName("runnerCompare")
        self.compare_button.setToolTip(
            "Compare this step's answer with the same step in the run before"
        )
        for button in (self.open_button, self.compare_button):
            button.setEnabled(False)
        step_buttons = QHBoxLayout()
        step_buttons.addWidget(self.open_button)
        step_buttons.addWidget(self.compare_button)
        step_buttons.addStretch(1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addLayout(step_buttons)
        self.setWidget(body)
        self.can_compare: set[int] = set()

        self.run_button.clicked.connect(self.run_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        self.failed_button.clicked.connect(self.rerun_failed_requested)
        self.folder_button.clicked.connect(self.choose_folder_requested)
        self.results.itemActivated.connect(lambda item, _c: self._emit(self.step_activated))
        self.results.itemSelectionChanged.connect(self.on_results_selection_changed)
        self.open_button.clicked.connect(lambda: self._emit(self.step_activated))
        self.compare_button.clicked.connect(lambda: self._emit(self.compare_requested))

    # ----- what the owner shows -------------------------------------------------------------
    def start(self, planned: int, text: str) -> None:
        self.results.clear()
        self.can_compare.clear()
        self.progress.setRange(0, max(1, planned))
        self.progress.setValue(0)
        self.progress.setFormat(f"0 of {planned} steps")
        self.status.setText(text)
        self.set_running(True)

    def set_running(self, running: bool) -> None:
        for widget in (
            self.run_button,
            self.suite,
            self.folder_button,
            self.environment,
            self.profile,
        ):
            widget.setEnabled(not running)
        self.stop_button.setEnabled(running)
        if running:
            self.failed_button.setEnabled(False)

    def add_step(
        self,
        index: int,
        *,
        passed: bool,
        title: str,
        status: str,
        took: str,
        reason: str,
        comparable: bool,
    ) -> None:
        word = "✓ passed" if passed else "✗ failed"
        item = QTreeWidgetItem([word, title, status, took])
        item.setData(0, INDEX_ROLE, index)
        colours = for_dark(is_dark()).status_pair("success" if passed else "server_error")
        item.setBackground(0, QBrush(QColor(colours[0])))
        item.setForeground(0, QBrush(QColor(colours[1])))
        tip = f"{word.split(' ', 1)[1]}: {title}, {status}, {took}" + (
            f"\n{reason}" if reason else ""
        )
        for column in range(len(self.COLUMNS)):
            item.setToolTip(column, plain_tooltip(tip))
            item.setData(column, Qt.ItemDataRole.AccessibleTextRole, tip)
        self.results.addTopLevelItem(item)
        if reason:
            why = QTreeWidgetItem(["why", reason, "", ""])
            why.setData(0, INDEX_ROLE, index)
            for column in (0, 1):
                why.setToolTip(column, plain_tooltip(reason))
                why.setData(column, Qt.ItemDataRole.AccessibleTextRole, f"why it failed: {reason}")
            item.addChild(why)
            item.setExpanded(True)
        if comparable:
            self.can_compare.add(index)

    def show_progress(self, done: int, planned: int, passed: int, failed: int) -> None:
        self.progress.setRange(0, max(1, planned))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done} of {planned} steps · {passed} passed, {failed} failed")

    def finish(self, text: str, *, failed: int) -> None:
        self.set_running(False)
        self.failed_button.setEnabled(failed > 0)
        self.status.setText(text)

    def selected_index(self) -> int | None:
        item = self.results.currentItem()
        if item is None or not item.isSelected():
            return None
        value = item.data(0, INDEX_ROLE)
        return int(value) if value is not None else None

    def _emit(self, signal: SignalInstance) -> None:
        index = self.selected_index()
        if index is not None:
            signal.emit(index)

    @Slot()
    def on_results_selection_changed(self) -> None:
        index = self.selected_index()
        self.open_button.setEnabled(index is not None)
        self.compare_button.setEnabled(index is not None and index in self.can_compare)
