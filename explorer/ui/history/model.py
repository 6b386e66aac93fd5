"""The History dock's rows: a table model that fetches the history a page at a time.

The view asks for more rows when the user scrolls near the end (``canFetchMore`` /
``fetchMore``); the model asks its owner for the page older than its last row, and the
page arrives later, from the worker that reads the database. So a history of 100,000
exchanges opens as fast as one of a hundred, and the window's thread never waits on
SQLite. Exchanges recorded since are put on top (``prepend``) so the scroll position and
the selection stay where the user left them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from explorer.core.history import ExchangeSummary
from explorer.core.models import StatusClass
from explorer.core.status import classify_status
from explorer.ui.plain import plain_tooltip
from explorer.ui.style.palette import current
from explorer.ui.style.theme import is_dark, status_colors

#: Rows read per page: more than a tall dock shows, few enough to read in a few ms.
PAGE_SIZE = 200
ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Status", "Request", "Took", "When")
_Index = QModelIndex | QPersistentModelIndex


def status_class_of(code: int | None) -> StatusClass:
    if code is None:
        return StatusClass.NETWORK_ERROR
    return classify_status(code).status_class


def short_path(path: str) -> str:
    """``/api/v4/businesses/1`` -> ``/businesses/1``: the version prefix says nothing."""
    if path.startswith("/api/v"):
        slash = path.find("/", 6)
        if slash > 6 and path[6:slash].isdigit():
            return path[slash:]
    return path


def when(stamp: str) -> str:
    """A stored time stamp as the user reads it: the time today, else the date and time."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp[:19]
    if moment.date() == datetime.now().astimezone().date():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True, slots=True)
class _Row:
    """What one exchange shows: its cells, tooltip and status colours (made once)."""

    id: int
    cells: tuple[str, str, str, str]
    tip: str
    status_class: StatusClass
    background: QBrush
    foreground: QBrush


_ALIGN = (
    Qt.AlignmentFlag.AlignCenter,
    None,
    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    None,
)


class HistoryModel(QAbstractTableModel):
    """The rows of the newest search, newest first, filled page by page on demand.

    ``request_page(before_id)`` is called when the view wants rows older than
    ``before_id``; the owner answers later with :meth:`append_page`. Only one page is
    asked for at a time, and a short page means the end was reached.
    """

    def __init__(
        self, request_page: Callable[[int], None], *, wanted: Callable[[], bool] = lambda: True
    ) -> None:
        """``wanted()`` says whether rows are being looked at (a hidden list's view would
        ask for every page, as it has no row heights yet)."""
        super().__init__()
        self._request_page = request_page
        self._wanted = wanted
        self._rows: list[_Row] = []
        self._ids: dict[int, int] = {}
        self._complete = True
        self._waiting = False
        self._brushes: dict[tuple[StatusClass, str], tuple[QBrush, QBrush]] = {}

    # ----- filling ----------------------------------------------------------------------
    def reset(self, rows: Sequence[ExchangeSummary], *, page_size: int = PAGE_SIZE) -> None:
        """Show the first page of a new search (``page_size`` is what was asked for)."""
        self.beginResetModel()
        dark = is_dark()
        self._rows = [self._row(r, dark) for r in rows]
        self._ids = {row.id: i for i, row in enumerate(self._rows)}
        self._complete = len(rows) < page_size
        self._waiting = False
        self.endResetModel()

    def append_page(self, rows: Sequence[ExchangeSummary], *, page_size: int = PAGE_SIZE) -> None:
        """The page older than the last row arrived."""
        self._waiting = False
        dark = is_dark()
        fresh = [self._row(r, dark) for r in rows if r.id not in self._ids]
        self._complete = len(rows) < page_size
        if not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        for offset, row in enumerate(fresh):
            self._ids[row.id] = first + offset
        self._rows.extend(fresh)
        self.endInsertRows()

    def prepend(self, rows: Sequence[ExchangeSummary]) -> None:
        """Exchanges newer than the first row (newest first) go on top."""
        dark = is_dark()
        fresh = [self._row(r, dark) for r in rows if r.id not in self._ids]
        if not fresh:
            return
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._rows[:0] = fresh
        self._ids = {row.id: i for i, row in enumerate(self._rows)}
        self.endInsertRows()

    def page_failed(self) -> None:
        """The page could not be read: stop asking until the next search."""
        self._waiting = False
        self._complete = True

    def newest_id(self) -> int | None:
        return self._rows[0].id if self._rows else None

    def oldest_id(self) -> int | None:
        return self._rows[-1].id if self._rows else None

    def exchange_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, exchange_id: int) -> int | None:
        return self._ids.get(exchange_id)

    @property
    def complete(self) -> bool:
        """Every row of the search is in the model."""
        return self._complete

    def restyle(self) -> None:
        """The theme changed: colour the status cells again."""
        self._brushes.clear()
        dark = is_dark()
        self._rows = [
            _Row(r.id, r.cells, r.tip, r.status_class, *self._brush(r.status_class, dark))
            for r in self._rows
        ]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    # ----- Qt's model interface ---------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._complete and not self._waiting and self._wanted()

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent) or not self._rows:
            return
        self._waiting = True
        self._request_page(self._rows[-1].id)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tip
        if role == ID_ROLE:
            return row.id
        if column == 0:
            if role == Qt.ItemDataRole.BackgroundRole:
                return row.background
            if role == Qt.ItemDataRole.ForegroundRole:
                return row.foreground
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN[column]
        return None

    # ----- rows -------------------------------------------------------------------------
    def _brush(self, status_class: StatusClass, dark: bool) -> tuple[QBrush, QBrush]:
        key = (status_class, current().name if current().dark == dark else str(dark))
        found = self._brushes.get(key)
        if found is None:
            background, foreground = status_colors(status_class, dark=dark)
            found = (QBrush(QColor(background)), QBrush(QColor(foreground)))
            self._brushes[key] = found
        return found

    def _row(self, summary: ExchangeSummary, dark: bool) -> _Row:
        elapsed = f"{summary.total_ms:.0f} ms" if summary.status is not None else "—"
        status = str(summary.status) if summary.status is not None else "failed"
        what = f"{summary.method} {short_path(summary.endpoint or summary.url)}"
        cause = summary.cause
        if cause:  # the user's request, with why it got no API answer, and where
            status = "no token"
            what += f"  ·  no token ({summary.environment or 'environment unknown'})"
        moment = when(summary.created_at)
        tip = (
            f"{summary.method} {summary.url}\n{moment}  ·  {summary.environment}"
            f"{'  ·  ' + summary.operation_id if summary.operation_id else ''}"
            + (f"\n{cause}" if cause else "")
        )
        status_class = status_class_of(summary.status)
        background, foreground = self._brush(status_class, dark)
        cells = (f" {status} ", what, elapsed, moment)
        return _Row(summary.id, cells, plain_tooltip(tip), status_class, background, foreground)
