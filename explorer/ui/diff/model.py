"""The rows of a diff: one per difference, filled in slices so the window never stalls.

:class:`DiffModel` shows each :class:`~explorer.core.diff.Change` as a row: its kind as
a sign *and* a word (``~ changed``, ``+ added``, ``− removed``; colour only adds to
them), where it is, and the value on each side. :meth:`DiffModel.feed` adds the rows a
few hundred at a time from a timer, so a diff with tens of thousands of differences
appears at once and fills in without holding the GUI thread more than a few
milliseconds. A row's text is made when it is first shown, not before.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor

from explorer.core.diff import Change, ChangeKind, show_value

#: The longest a slice of rows may hold the GUI thread.
SLICE_BUDGET_S = 0.008
SLICE_ROWS = 500

#: The palette's status colours each kind borrows (contrast-checked there).
_STATUS_OF = {
    ChangeKind.CHANGED: "rate_limited",
    ChangeKind.ADDED: "success",
    ChangeKind.REMOVED: "server_error",
}


def _pair(kind: ChangeKind, dark: bool) -> tuple[str, str]:
    from explorer.ui.style.palette import for_dark

    return for_dark(dark).status_pair(_STATUS_OF[kind])


AnyIndex = QModelIndex | QPersistentModelIndex


def kind_text(kind: ChangeKind) -> str:
    return f"{kind.mark} {kind.value}"


def change_words(change: Change) -> str:
    """The whole row in words, for screen readers and tooltips."""
    if change.kind is ChangeKind.CHANGED:
        return f"changed: {change.path}, from {show_value(change.old)} to {show_value(change.new)}"
    if change.kind is ChangeKind.ADDED:
        return f"added in B: {change.path}, {show_value(change.new)}"
    return f"removed in B: {change.path}, was {show_value(change.old)}"


class DiffModel(QAbstractTableModel):
    """Differences as rows: kind, where, A's value, B's value."""

    filled = Signal()  # every row of the current diff is in

    COLUMNS = ("Difference", "Where", "A", "B")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._changes: list[Change] = []
        self._pending: Sequence[Change] = ()
        self._next = 0
        self._texts: dict[tuple[int, int], str] = {}
        self.dark = False
        self.headers = list(self.COLUMNS)
        self._timer = QTimer(self, interval=0)
        self._timer.timeout.connect(self.on_timer_timeout)

    # ----- filling ------------------------------------------------------------------------
    def feed(self, changes: Sequence[Change]) -> None:
        """Show ``changes`` instead of what was shown, a slice at a time."""
        self._timer.stop()
        self.beginResetModel()
        self._changes = []
        self._texts.clear()
        self.endResetModel()
        self._pending = changes
        self._next = 0
        if changes:
            self._timer.start()
        else:
            self.filled.emit()

    @property
    def filling(self) -> bool:
        return self._timer.isActive()

    @Slot()
    def on_timer_timeout(self) -> None:
        started = time.perf_counter()
        while self._next < len(self._pending):
            end = min(len(self._pending), self._next + SLICE_ROWS)
            first = len(self._changes)
            self.beginInsertRows(QModelIndex(), first, first + end - self._next - 1)
            self._changes.extend(self._pending[self._next : end])
            self.endInsertRows()
            self._next = end
            if time.perf_counter() - started > SLICE_BUDGET_S:
                return
        self._timer.stop()
        self._pending = ()
        self.filled.emit()

    def set_sides(self, a: str, b: str) -> None:
        self.headers = ["Difference", "Where", f"A: {a}", f"B: {b}"]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.headers) - 1)

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        if self._changes:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._changes) - 1, 0))

    def change(self, row: int) -> Change | None:
        return self._changes[row] if 0 <= row < len(self._changes) else None

    # ----- the model ----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._changes)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def _text(self, row: int, column: int) -> str:
        key = (row, column)
        found = self._texts.get(key)
        if found is None:
            change = self._changes[row]
            if column == 0:
                found = kind_text(change.kind)
            elif column == 1:
                found = change.path
            elif column == 2:
                found = "" if change.kind is ChangeKind.ADDED else show_value(change.old)
            else:
                found = "" if change.kind is ChangeKind.REMOVED else show_value(change.new)
            self._texts[key] = found
        return found

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._changes):
            return None
        row, column = index.row(), index.column()
        change = self._changes[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return change_words(change)
        if role == Qt.ItemDataRole.BackgroundRole and column in (0, 2, 3):
            if (column == 2 and change.kind is ChangeKind.ADDED) or (
                column == 3 and change.kind is ChangeKind.REMOVED
            ):
                return None
            return QBrush(QColor(_pair(change.kind, self.dark)[0]))
        if role == Qt.ItemDataRole.ForegroundRole and column in (0, 2, 3):
            return QBrush(QColor(_pair(change.kind, self.dark)[1]))
        return None
