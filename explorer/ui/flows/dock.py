"""The Flows list: Thumbtack's documented journeys, run step by step in the window.

Each flow (read from ``resources/flows``, the same files the QA runner reads) lists its
steps with what each does, its documentation page and, where a fact is not from a
documentation page, a note saying so. "Run" sends the steps in order on a worker (the
Sandbox signs its demo users in itself, so nothing needs typing), marks each step with
its status in words and a symbol (never colour alone), and keeps what the steps captured
as ``{{variables}}`` for the requests that follow. A finished step opens in the request
form with its response.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.environments import Environment
from explorer.core.flows import (
    Flow,
    FlowError,
    Send,
    StepResult,
    StepStatus,
    run_flow,
    shipped_flows,
)
from explorer.core.models import Endpoint
from explorer.ui.workers import TaskRunner

_MARK = {
    StepStatus.WAITING: "○ waiting",
    StepStatus.RUNNING: "… running",
    StepStatus.PASSED: "✔ passed",
    StepStatus.FAILED: "✖ failed",
    StepStatus.SKIPPED: "– skipped",
}


def status_text(result: StepResult) -> str:
    """A step's status in words, with its HTTP status when it had one."""
    text = _MARK[result.status]
    if result.http_status is not None and result.status in (StepStatus.PASSED, StepStatus.FAILED):
        text += f" · HTTP {result.http_status}"
    return text


class _Progress(QObject):
    """Carries step results from the worker to the GUI thread."""

    step = Signal(object)  # StepResult


#: What the dock needs to run a flow now: the catalog, the environment to build for and
#: the sender; or a reason it cannot run (in words).
Prepare = Callable[[], "tuple[Sequence[Endpoint], Environment, Send] | str"]


class FlowsDock(QDockWidget):
    """View ▸ Flows (Ctrl+Shift+L), and the Flows button of the toolbar."""

    step_finished = Signal(object)  # StepResult
    run_finished = Signal(list)  # list[StepResult]
    #: (StepResult, what ``describe`` made of its response) to put in the request form
    open_step = Signal(object, object)
    message = Signal(str)

    def __init__(
        self,
        *,
        prepare: Prepare,
        variables: Callable[[], Mapping[str, str]] = lambda: {},
        confirm_run: Callable[[Flow], bool] = lambda _flow: True,
        describe: Callable[[StepResult], Any] = lambda _result: None,
        flows: list[Flow] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Flows", parent)
        self.setObjectName("flowsDock")
        self.action = self.toggleViewAction()
        self.action.setText("F&lows")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.action.setObjectName("flowsAction")
        self.action.setToolTip("Thumbtack's documented journeys, run step by step (Ctrl+Shift+L)")
        self._prepare = prepare
        self._variables = variables
        self._confirm_run = confirm_run
        self._describe = describe  # runs on the worker (classifying, explaining)
        self.described: dict[str, Any] = {}
        self.runner = TaskRunner(self, latest_only=False, serial=True)
        self._progress = _Progress(self)
        self._progress.step.connect(self._on_step)
        self._task: int | None = None
        self.load_problem = ""
        if flows is None:
            try:
                flows = shipped_flows()
            except (FlowError, OSError) as exc:
                flows = []
                self.load_problem = f"The flows could not be read: {exc}"
        self.flows = flows
        self.results: dict[str, StepResult] = {}
        self._build()

    def _build(self) -> None:
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(6, 6, 6, 6)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("flowsSplitter")
        split.setChildrenCollapsible(False)

        self.flow_list = QTreeWidget()
        self.flow_list.setObjectName("flowList")
        self.flow_list.setAccessibleName("Flows")
        self.flow_list.setHeaderHidden(True)
        self.flow_list.setRootIsDecorated(False)
        for flow in self.flows:
            item = QTreeWidgetItem([f"{flow.title} — {len(flow.steps)} steps"])
            item.setData(0, Qt.ItemDataRole.UserRole, flow.id)
            item.setToolTip(0, flow.summary)
            self.flow_list.addTopLevelItem(item)
        self.flow_list.currentItemChanged.connect(lambda *_: self._show_flow())
        rows = max(1, len(self.flows))
        row_height = self.flow_list.fontMetrics().height() + 6
        self.flow_list.setMaximumHeight(rows * row_height + 2 * self.flow_list.frameWidth() + 6)
        split.addWidget(self.flow_list)

        detail = QWidget()
        layout = QVBoxLayout(detail)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("flowTitle")
        self.title.setWordWrap(True)
        self.title.setOpenExternalLinks(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        layout.addWidget(self.title)
        buttons = QHBoxLayout()
        self.run_button = QPushButton("▶ Run flow")
        self.run_button.setObjectName("runFlow")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run_current)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("stopFlow")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.open_button = QPushButton("Open step")
        self.open_button.setToolTip(
            "Open the chosen step's request and its response in a tab of its own"
        )
        self.open_button.setAccessibleName("Open the chosen step in a tab")
        self.open_button.setObjectName("openFlowStep")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_selected)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)
        self.steps = QTreeWidget()
        self.steps.setObjectName("flowSteps")
        self.steps.setAccessibleName("Steps of the flow")
        self.steps.setColumnCount(3)
        self.steps.setHeaderLabels(["#", "Step", "Status"])
        self.steps.setRootIsDecorated(False)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps.itemSelectionChanged.connect(self._show_step)
        self.steps.itemDoubleClicked.connect(lambda *_: self._open_selected())
        self.steps.setMinimumHeight(self.steps.fontMetrics().height() * 5)
        layout.addWidget(self.steps, 1)
        self.step_detail = QLabel()
        self.step_detail.setObjectName("flowStepDetail")
        self.step_detail.setWordWrap(True)
        self.step_detail.setOpenExternalLinks(True)
        self.step_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.step_detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.step_detail)
        split.addWidget(detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        outer.addWidget(split)
        # In a small window the dock scrolls rather than pushing the window taller.
        scroller = QScrollArea()
        scroller.setObjectName("flowsScroll")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setWidget(body)
        scroller.setMinimumHeight(160)
        self.setWidget(scroller)
        first_flow = self.flow_list.topLevelItem(0)
        if first_flow is not None:
            self.flow_list.setCurrentItem(first_flow)
        else:
            self.title.setText(html.escape(self.load_problem or "No flows are installed."))
            self.run_button.setEnabled(False)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for label in (self.title, self.step_detail):  # links take the new link colour
                text = label.text()
                label.setText("")
                label.setText(text)

    # ----- showing --------------------------------------------------------------------------
    def current_flow(self) -> Flow | None:
        item = self.flow_list.currentItem()
        if item is None:
            return None
        flow_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((f for f in self.flows if f.id == flow_id), None)

    def select_flow(self, flow_id: str) -> bool:
        for row in range(self.flow_list.topLevelItemCount()):
            item = self.flow_list.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == flow_id:
                self.flow_list.setCurrentItem(item)
                return True
        return False

    def _show_flow(self) -> None:
        flow = self.current_flow()
        self.steps.clear()
        if flow is None:
            return
        link = f' <a href="{html.escape(flow.doc_url)}">documentation ↗</a>' if flow.doc_url else ""
        self.title.setText(f"<b>{html.escape(flow.title)}</b>{link}<br>{html.escape(flow.summary)}")
        self.run_button.setText(f"▶ Run {flow.title.lower()}")
        self.run_button.setAccessibleName(f"Run the {flow.title} flow")
        for index, step in enumerate(flow.steps, start=1):
            result = self.results.get(self._key(flow, step.id))
            item = QTreeWidgetItem(
                [
                    str(index),
                    step.title,
                    status_text(result) if result else _MARK[StepStatus.WAITING],
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, step.id)
            item.setToolTip(1, step.does)
            if result is not None and result.problem:
                item.setToolTip(2, result.problem)
            self.steps.addTopLevelItem(item)
        for column in range(3):
            self.steps.resizeColumnToContents(column)
        first = self.steps.topLevelItem(0)
        if first is not None:
            self.steps.setCurrentItem(first)
        self._show_step()

    @staticmethod
    def _key(flow: Flow, step_id: str) -> str:
        return f"{flow.id}/{step_id}"

    def step_statuses(self) -> list[tuple[str, str]]:
        """What the steps list shows: (step title, status text) per step."""
        out: list[tuple[str, str]] = []
        for row in range(self.steps.topLevelItemCount()):
            item = self.steps.topLevelItem(row)
            if item is not None:
                out.append((item.text(1), item.text(2)))
        return out

    def _selected_step(self) -> tuple[Flow, str] | None:
        flow = self.current_flow()
        items = self.steps.selectedItems()
        if flow is None or not items:
            return None
        return flow, str(items[0].data(0, Qt.ItemDataRole.UserRole))

    def _show_step(self) -> None:
        chosen = self._selected_step()
        if chosen is None:
            self.step_detail.setText("")
            self.open_button.setEnabled(False)
            return
        flow, step_id = chosen
        step = flow.step(step_id)
        parts = [f"<b>{html.escape(step.title)}</b> — {html.escape(step.does)}"]
        parts.append(
            f"<code>{html.escape(step.operation)}</code>"
            + (
                f' · <a href="{html.escape(step.doc_url)}">documentation ↗</a>'
                if step.doc_url
                else ""
            )
        )
        if step.note:
            parts.append(f"<i>Note: {html.escape(step.note)}</i>")
        if step.captures:
            parts.append("Captures: " + ", ".join(html.escape(str(c)) for c in step.captures))
        result = self.results.get(self._key(flow, step_id))
        if result is not None:
            if result.problem:
                parts.append(f"✖ {html.escape(result.problem)}")
            found = [c for c in result.captures if c.value is not None]
            if found:
                parts.append(
                    "Carried forward: "
                    + ", ".join("{{" + html.escape(c.name) + "}}" for c in found)
                )
        self.step_detail.setText("<br>".join(parts))
        self.open_button.setEnabled(result is not None and result.spec is not None)

    # ----- running --------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._task is not None

    def run_current(self) -> None:
        flow = self.current_flow()
        if flow is None or self.running:
            return
        prepared = self._prepare()
        if isinstance(prepared, str):
            self._say(prepared)
            return
        if not self._confirm_run(flow):
            return
        catalog, environment, send = prepared
        for step in flow.steps:
            self.results.pop(self._key(flow, step.id), None)
            self.described.pop(self._key(flow, step.id), None)
        self._show_flow()
        variables = dict(self._variables())
        progress = self._progress
        collected: list[StepResult] = []
        describe = self._describe

        def work(cancel: threading.Event) -> list[StepResult]:
            for result in run_flow(
                flow,
                catalog=catalog,
                environment=environment,
                send=send,
                variables=variables,
                cancel=cancel,
            ):
                extra = describe(result) if result.record is not None else None
                progress.step.emit((flow.id, result, extra))
                if result.status is not StepStatus.RUNNING:
                    collected.append(result)
            close = getattr(send, "close", None)
            if callable(close):
                close()
            return collected

        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._say(f"Running {flow.title} on {environment.name}…")
        self._task = self.runner.run(work, self._on_finished, self._on_failed)

    def stop(self) -> None:
        if self._task is not None:
            self.runner.cancel(self._task)
            self._task = None
            self.run_button.setEnabled(True)
            self.stop_button.setEnabled(False)
            self._say("Flow stopped.")

    def _on_step(self, payload: Any) -> None:
        flow_id, result, extra = payload
        flow = next((f for f in self.flows if f.id == flow_id), None)
        if flow is None:
            return
        self.results[self._key(flow, result.step.id)] = result
        self.described[self._key(flow, result.step.id)] = extra
        current = self.current_flow()
        if current is not None and current.id == flow_id:
            for row in range(self.steps.topLevelItemCount()):
                item = self.steps.topLevelItem(row)
                if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == result.step.id:
                    item.setText(2, status_text(result))
                    item.setToolTip(2, result.problem)
                    if result.status is StepStatus.RUNNING:
                        self.steps.setCurrentItem(item)
            self.steps.resizeColumnToContents(2)
            self._show_step()
        if result.status is not StepStatus.RUNNING:
            self.step_finished.emit(result)

    def _on_finished(self, results: object) -> None:
        self._task = None
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        listed = list(results) if isinstance(results, list) else []
        passed = sum(r.status is StepStatus.PASSED for r in listed)
        failed = next((r for r in listed if r.status is StepStatus.FAILED), None)
        if failed is None:
            self._say(f"All {passed} steps passed.")
        else:
            self._say(f"Step “{failed.step.title}” failed: {failed.problem}")
        self.run_finished.emit(listed)

    def _on_failed(self, exc: object) -> None:
        self._task = None
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self._say(f"The flow stopped: {exc}")

    def _open_selected(self) -> None:
        chosen = self._selected_step()
        if chosen is None:
            return
        key = self._key(*chosen)
        result = self.results.get(key)
        if result is not None and result.spec is not None:
            self.open_step.emit(result, self.described.get(key))

    def _say(self, text: str) -> None:
        self.message.emit(text)

    def shutdown(self) -> None:
        self.runner.shutdown()
