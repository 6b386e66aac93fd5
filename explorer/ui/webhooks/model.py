"""The list of deliveries: a table model (newest first) and its filter.

Arrivals are batched: :meth:`DeliveryModel.add` queues a delivery and one timer tick
inserts everything queued in one step, so a burst of hundreds of deliveries costs the GUI
thread one insert per tick, not one per delivery. Text beside colour: a failed check
reads "wrong"/"missing"/"invalid" and is also shown in red.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor

from explorer.core.inbox.model import Delivery
from explorer.ui.style.palette import current

COLUMNS = ("#", "Received", "Event", "Credentials", "Contract", "Answer")
#: Short words for the list (the tooltip and the delivery view say it in full).
_SHORT = {"data not documented": "undocumented", "not checked": "—"}
DELIVERY_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
_FLUSH_MS = 30
_MAX_ROWS = 5000


class DeliveryModel(QAbstractTableModel):
    """Recorded deliveries, newest first."""

    flushed = Signal(int)  # how many rows the last flush inserted

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Delivery] = []
        self._pending: list[Delivery] = []
        self._ids: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_FLUSH_MS)
        self._timer.timeout.connect(self.flush)

    # -- content ------------------------------------------------------------------------
    def load(self, deliveries: list[Delivery]) -> None:
        """Replace everything (``deliveries`` newest first)."""
        self.beginResetModel()
        self._rows = list(deliveries)
        self._ids = {d.id for d in self._rows if d.id is not None}
        self._pending = [d for d in self._pending if d.id not in self._ids]
        self.endResetModel()
        if self._pending:
            self._timer.start()

    def add(self, delivery: Delivery) -> None:
        """Queue one new delivery; it appears at the top on the next tick."""
        self._pending.append(delivery)
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def flush(self) -> None:
        fresh = [d for d in self._pending if d.id not in self._ids]
        self._pending = []
        if not fresh:
            return
        fresh.sort(key=lambda d: d.id or 0, reverse=True)
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._rows[:0] = fresh
        self._ids.update(d.id for d in fresh if d.id is not None)
        self.endInsertRows()
        if len(self._rows) > _MAX_ROWS:
            self.beginRemoveRows(QModelIndex(), _MAX_ROWS, len(self._rows) - 1)
            for gone in self._rows[_MAX_ROWS:]:
                self._ids.discard(gone.id or 0)
            del self._rows[_MAX_ROWS:]
            self.endRemoveRows()
        self.flushed.emit(len(fresh))

    def delivery(self, row: int) -> Delivery | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, delivery_id: int) -> int:
        for row, delivery in enumerate(self._rows):
            if delivery.id == delivery_id:
                return row
        return -1

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        delivery = self._rows[index.row()]
        column = index.column()
        if role == DELIVERY_ROLE:
            return delivery
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(delivery, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            failed = (column == 3 and delivery.credential.failed) or (
                column == 4 and delivery.verdict.failed
            )
            return QBrush(QColor(current().error)) if failed else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 3:
                return delivery.credential.summary
            if column == 4:
                return delivery.verdict.summary
        return None


def _cell(delivery: Delivery, column: int) -> str:
    if column == 0:
        return str(delivery.id or "")
    if column == 1:
        return (
            delivery.received_at[11:23] if len(delivery.received_at) > 20 else delivery.received_at
        )
    if column == 2:
        return delivery.event_type or f"({delivery.method} {delivery.path})"
    if column == 3:
        return _SHORT.get(delivery.credential.state.value, delivery.credential.state.value)
    if column == 4:
        return _SHORT.get(delivery.verdict.state.value, delivery.verdict.state.value)
    if column == 5:
        forward = delivery.forward
        if forward is not None:
            return f"{delivery.answered_status} (fwd)"
        return str(delivery.answered_status)
    return ""


class DeliveryFilterModel(QSortFilterProxyModel):
    """Filters by event type, text (event, path, body) and failed checks only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._event = ""
        self._text = ""
        self._failed_only = False

    def set_filter(
        self, *, event_type: str = "", text: str = "", failed_only: bool = False
    ) -> None:
        self.beginFilterChange()
        self._event = event_type
        self._text = text.strip().lower()
        self._failed_only = failed_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, DeliveryModel):
            return True
        delivery = model.delivery(source_row)
        if delivery is None:
            return False
        if self._event and delivery.event_type != self._event:
            return False
        if self._failed_only and not (delivery.credential.failed or delivery.verdict.failed):
            return False
        if self._text:
            haystack = f"{delivery.event_type} {delivery.path} {delivery.source}".lower()
            if (
                self._text not in haystack
                and self._text not in delivery.body.decode("utf-8", errors="replace").lower()
            ):
                return False
        return True
