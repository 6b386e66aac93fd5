"""The Compare window: two exchanges side by side, difference by difference.

On top, what A and B are (request, status, environment, when); then a summary in words
("3 differences: 1 changed, 1 added, 1 removed; 12 in volatile fields ignored"), a
filter, and Diff settings…. The table has one row per difference with its sign and word
(``~ changed``, ``+ added``, ``− removed``), its path, and the value on each side;
the selected row's two values are shown in full, side by side, below. While a large
diff is computed (off the GUI thread) the window says so and offers Cancel.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.diff import ExchangeDiff, pretty_value
from explorer.ui.announce import announce
from explorer.ui.diff.model import DiffModel, kind_text
from explorer.ui.plain import plain_labels
from explorer.ui.style.theme import is_dark

#: About the most of one value shown in a detail pane (the table row keeps the summary).
DETAIL_LIMIT = 50_000


class _PathDelegate(QStyledItemDelegate):
    """A path cut in its middle, so its top and its last field both show."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class DiffWindow(QWidget):
    """Shows one :class:`ExchangeDiff`; asks its owner for settings, cancel and swap."""

    settings_requested = Signal()
    cancel_requested = Signal()
    swap_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("diffWindow")
        self.setWindowTitle("Compare exchanges — Thumbtack API Explorer")
        self.side_a = QLabel("A: —")
        self.side_a.setObjectName("diffSideA")
        self.side_b = QLabel("B: —")
        self.side_b.setObjectName("diffSideB")
        for label in (self.side_a, self.side_b):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel("")
        self.summary.setObjectName("diffSummary")
        self.summary.setProperty("role", "heading")
        self.summary.setWordWrap(True)
        self.notes = QLabel("")
        self.notes.setObjectName("diffNotes")
        self.notes.setProperty("role", "dim")
        self.notes.setWordWrap(True)
        plain_labels(self.side_a, self.side_b, self.summary, self.notes)
        self.filter = QLineEdit(placeholderText="Filter by path, e.g. status or negotiationID")
        self.filter.setObjectName("diffFilter")
        self.filter.setAccessibleName("Filter differences by path")
        self.filter.setClearButtonEnabled(True)
        self.swap_button = QPushButton("Swap A and B")
        self.swap_button.setObjectName("diffSwap")
        self.settings_button = QPushButton("Diff settings…")
        self.settings_button.setObjectName("diffSettingsButton")
        self.settings_button.setToolTip("Which fields to leave out, how array items match")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("diffCancel")
        self.cancel_button.hide()

        self.model = DiffModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setObjectName("diffTable")
        self.table.setAccessibleName("Differences")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # values: their start
        self.table.setItemDelegateForColumn(1, _PathDelegate(self.table))  # paths: both ends
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(0, self.fontMetrics().horizontalAdvance("− removed") + 24)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.detail_a = self._detail("diffDetailA", "The selected value in A", mono)
        self.detail_b = self._detail("diffDetailB", "The selected value in B", mono)
        self.detail_a_label = QLabel("A")
        self.detail_b_label = QLabel("B")
        plain_labels(self.detail_a_label, self.detail_b_label)
        details = QSplitter(Qt.Orientation.Horizontal)
        for label, view in (
            (self.detail_a_label, self.detail_a),
            (self.detail_b_label, self.detail_b),
        ):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(label)
            box.addWidget(view, 1)
            details.addWidget(holder)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("diffSplit")
        split.addWidget(self.table)
        split.addWidget(details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        sides = QHBoxLayout()
        sides.addWidget(self.side_a, 1)
        sides.addWidget(self.side_b, 1)
        tools = QHBoxLayout()
        tools.addWidget(self.filter, 1)
        tools.addWidget(self.cancel_button)
        tools.addWidget(self.swap_button)
        tools.addWidget(self.settings_button)
        layout = QVBoxLayout(self)
        layout.addLayout(sides)
        layout.addWidget(self.summary)
        layout.addLayout(tools)
        layout.addWidget(split, 1)
        layout.addWidget(self.notes)

        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.settings_button.clicked.connect(self.settings_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.swap_button.clicked.connect(self.swap_requested)
        self.table.selectionModel().selectionChanged.connect(self.on_table_selection_changed)
        self.model.filled.connect(self.on_model_filled)
        self.diff: ExchangeDiff | None = None
        self.resize(980, 640)

    def _detail(self, name: str, accessible: str, font: QFont) -> QPlainTextEdit:
        view = QPlainTextEdit(readOnly=True)
        view.setObjectName(name)
        view.setAccessibleName(accessible)
        view.setFont(font)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        return view

    # ----- what the owner shows -------------------------------------------------------------
    def show_sides(self, a: str, b: str) -> None:
        self.side_a.setText(f"A: {a}")
        self.side_b.setText(f"B: {b}")
        self.model.set_sides(a.split("  ", maxsplit=1)[0], b.split("  ", maxsplit=1)[0])

    def show_pending(self, text: str = "Comparing…") -> None:
        self.diff = None
        self.model.feed(())
        self.summary.setText(text)
        self.notes.setText("")
        self.detail_a.clear()
        self.detail_b.clear()
        self.cancel_button.show()
        self.settings_button.setEnabled(False)
        self.swap_button.setEnabled(False)

    def show_problem(self, text: str) -> None:
        self.cancel_button.hide()
        self.settings_button.setEnabled(True)
        self.swap_button.setEnabled(True)
        self.summary.setText(text)
        announce(self, text)

    def show_diff(self, diff: ExchangeDiff) -> None:
        self.diff = diff
        self.cancel_button.hide()
        self.settings_button.setEnabled(True)
        self.swap_button.setEnabled(True)
        self.model.set_dark(is_dark())
        self.summary.setText(diff.summary() + ("" if diff.same else "."))
        notes = list(diff.notes)
        if diff.keyed_arrays:
            matched = ", ".join(f"{path} by {key}" for path, key in diff.keyed_arrays)
            notes.append(f"Arrays matched by id: {matched}.")
        if diff.ignored:
            shown = ", ".join(diff.ignored_paths[:5])
            more = "…" if diff.ignored > 5 else ""
            notes.append(f"Left out as volatile: {shown}{more}")
        if diff.truncated:
            notes.append("The body diff stopped early: there are more differences.")
        self.notes.setText("\n".join(notes))
        self.model.feed(diff.changes)
        announce(self, self.summary.text())

    @Slot()
    def on_model_filled(self) -> None:
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    @Slot(QItemSelection, QItemSelection)
    def on_table_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        change = self.model.change(self.proxy.mapToSource(rows[0]).row()) if rows else None
        if change is None:
            self.detail_a.clear()
            self.detail_b.clear()
            return
        word = kind_text(change.kind)
        self.detail_a_label.setText(f"A · {change.path} · {word}")
        self.detail_b_label.setText(f"B · {change.path} · {word}")
        for view, value in ((self.detail_a, change.old), (self.detail_b, change.new)):
            view.setPlainText(pretty_value(value, limit=DETAIL_LIMIT))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_requested.emit()
        super().closeEvent(event)
