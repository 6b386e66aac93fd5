"""The response's Contract tab: the verdict, and each problem with its JSON path.

:class:`ContractView` lists what :class:`explorer.core.contract.ContractResult` found:
where (the body's JSON path, a header, the status), the validator's words and, when the
schema describes itself, the schema's words. Clicking a row emits ``path_chosen`` with the
JSON path, which the response pane turns into a selection in the body. Every text here
came from the server or the description, so all of it is shown as plain text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

_PARTS_ROLE = Qt.ItemDataRole.UserRole + 1
PARTS_ROLE = _PARTS_ROLE  # where a problem row keeps its JSON path (a tuple of parts)


class ContractView(QWidget):
    """The verdict in words above the list of problems."""

    path_chosen = Signal(object)  # tuple of keys and indexes into the body

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("No response yet.")
        self.summary.setObjectName("contractSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = QTreeWidget()
        self.problems.setObjectName("contractProblems")
        self.problems.setAccessibleName("Contract problems")
        self.problems.setColumnCount(3)
        self.problems.setHeaderLabels(["Where", "Problem", "The schema says"])
        self.problems.setRootIsDecorated(False)
        self.problems.setAlternatingRowColors(True)
        self.problems.setWordWrap(True)
        self.problems.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.problems.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.problems.setColumnWidth(0, 200)
        self.problems.setColumnWidth(2, 180)
        self.problems.itemClicked.connect(self.on_item_clicked)
        self.problems.itemActivated.connect(self.on_item_clicked)
        self.note = QLabel("")
        self.note.setObjectName("contractNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.note)
        self.result: Any = None
        self.show_result(None)

    def show_result(self, result: Any) -> None:
        """Show a ContractResult, or that there is none (no description, no response)."""
        self.result = result
        self.problems.clear()
        self.note.hide()
        if result is None:
            self.summary.setText(
                "No contract verdict: the response is not from an operation of the loaded "
                "API description, or there was no response."
            )
            self.problems.hide()
            return
        self.summary.setText(f"{result.label[:1].upper()}{result.label[1:]}. {result.summary}")
        self.problems.setVisible(bool(result.problems))
        for problem in result.problems:
            item = QTreeWidgetItem([problem.path, problem.message, problem.schema_words])
            item.setData(0, _PARTS_ROLE, tuple(problem.parts))
            item.setToolTip(1, problem.message)
            if problem.parts or problem.path == "$":
                item.setToolTip(0, "Click to select this part of the body")
            self.problems.addTopLevelItem(item)

    def tab_title(self) -> str:
        result = self.result
        if result is None or not result.problems:
            return "Contract"
        return f"Contract ({len(result.problems)})"

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    @Slot(QTreeWidgetItem, int)
    def on_item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        parts = item.data(0, _PARTS_ROLE)
        path = item.text(0)
        if parts or path == "$":
            self.path_chosen.emit(tuple(parts or ()))
