"""The History dock: every exchange of the window, searchable, re-openable and resendable.

The list shows time, status (colour from the theme beside the code in words), method,
endpoint and elapsed time. One search box takes status filters (``404``, ``4xx``,
``none``), endpoints (``/businesses`` or an operationId) and free text together, and
waits for the user to pause before it searches. Limits live in a settings dialog with
"Prune now". The database work itself is :class:`~explorer.ui.history.service.HistoryService`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance, Slot
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.history import ExchangeSummary, HistoryLimits
from explorer.core.models import StatusClass
from explorer.core.status import classify_status
from explorer.ui.plain import plain_labels, plain_tooltip
from explorer.ui.style.theme import is_dark, status_colors

SEARCH_DELAY_MS = 250
NARROW_PX = 340
_STATUS_WORD = re.compile(r"^(?:[1-5]xx|[1-5]\d\d|none|failed)$", re.IGNORECASE)
_ID_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, kw_only=True)
class HistoryQuery:
    """What the search box asks for: status, endpoint and the remaining text."""

    status: str | None = None
    endpoint: str | None = None
    text: str | None = None


def parse_query(raw: str) -> HistoryQuery:
    """``"4xx /businesses timeout"`` -> status 4xx, endpoint /businesses, text "timeout".

    ``status:``, ``endpoint:`` prefixes say it explicitly; an operationId (camelCase ending
    in V4) counts as an endpoint.
    """
    status = endpoint = None
    words: list[str] = []
    for word in raw.split():
        lowered = word.lower()
        if lowered.startswith("status:"):
            status = word[7:] or None
        elif lowered.startswith("endpoint:"):
            endpoint = word[9:] or None
        elif _STATUS_WORD.match(word) and status is None:
            status = lowered
        elif word.startswith("/") or re.fullmatch(r"[a-z]+[A-Za-z]*V\d+", word):
            endpoint = word
        else:
            words.append(word)
    return HistoryQuery(status=status, endpoint=endpoint, text=" ".join(words) or None)


def status_class_of(code: int | None) -> StatusClass:
    if code is None:
        return StatusClass.NETWORK_ERROR
    return classify_status(code).status_class


def short_path(path: str) -> str:
    """``/api/v4/businesses/1`` -> ``/businesses/1``: the version prefix says nothing."""
    return re.sub(r"^/api/v\d+(?=/)", "", path)


def _when(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp[:19]
    if moment.date() == datetime.now().astimezone().date():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


class HistoryPanel(QDockWidget):
    """Lists the history; asks its owner to open, resend or export an exchange by id."""

    search_requested = Signal(object)  # HistoryQuery
    open_requested = Signal(int)
    resend_requested = Signal(int)
    settings_requested = Signal()
    compare_requested = Signal(list)  # the ids of the two selected exchanges, older first

    COLUMNS = ("Status", "Request", "Took", "When")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("History", parent)
        self.setObjectName("historyDock")
        body = QWidget()
        self.search = QLineEdit(placeholderText="Search: 404, 4xx, /businesses, any text…")
        self.search.setObjectName("historySearch")
        self.search.setAccessibleName("Search history")
        self.search.setAccessibleDescription("A status (404), a class (4xx), a path or any text")
        self.search.setClearButtonEnabled(True)
        self.problem = QLabel("")
        self.problem.setObjectName("historyProblem")
        self.problem.setProperty("role", "warning")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        self.list = QTreeWidget()
        self.list.setObjectName("historyList")
        self.list.setAccessibleName("Sent requests")
        self.list.setHeaderLabels(list(self.COLUMNS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        # Ctrl/Shift-click selects a second exchange to compare with.
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        for column in range(len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.empty = QLabel("No exchanges yet: every request you send is kept here.")
        self.empty.setProperty("role", "dim")
        self.empty.setWordWrap(True)
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Show this exchange in the response pane (double-click)")
        self.resend_button = QPushButton("Resend")
        self.resend_button.setToolTip("Send this request again with the current credentials")
        self.compare_button = QPushButton("Compare")
        self.compare_button.setObjectName("historyCompareButton")
        self.compare_button.setToolTip(
            "Compare the two selected exchanges value by value (Ctrl+click selects a second)"
        )
        self.compare_button.setEnabled(False)
        self.settings_button = QPushButton("Settings…")
        self.settings_button.setObjectName("historySettingsButton")
        self.settings_button.setToolTip("History settings: how much to keep, and pruning")
        for button in (self.open_button, self.resend_button):
            button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.resend_button)
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.problem)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.setWidget(body)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.on_timer_timeout)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.list.itemDoubleClicked.connect(lambda item, _col: self._emit(self.open_requested))
        self.list.itemSelectionChanged.connect(self.on_list_selection_changed)
        self.open_button.clicked.connect(lambda: self._emit(self.open_requested))
        self.resend_button.clicked.connect(lambda: self._emit(self.resend_requested))
        self.settings_button.clicked.connect(self.settings_requested)
        self.compare_button.clicked.connect(self.on_compare_clicked)
        self.rows: list[ExchangeSummary] = []

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Narrow dock: the time moves to the tooltip so the request stays readable.
        self.list.setColumnHidden(3, self.width() < NARROW_PX)

    def query(self) -> HistoryQuery:
        return parse_query(self.search.text())

    def refresh(self) -> None:
        """Search again now with what the box says."""
        self._timer.stop()
        self.search_requested.emit(self.query())

    @Slot()
    def on_timer_timeout(self) -> None:
        self.search_requested.emit(self.query())

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        if item is None or not item.isSelected() or len(self.list.selectedItems()) != 1:
            return None
        value = item.data(0, _ID_ROLE)
        return int(value) if value is not None else None

    def selected_ids(self) -> list[int]:
        """Every selected exchange's id, oldest first."""
        found = (item.data(0, _ID_ROLE) for item in self.list.selectedItems())
        return sorted(int(value) for value in found if value is not None)

    @Slot()
    def on_compare_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 2:
            self.compare_requested.emit(ids)

    def _emit(self, signal: SignalInstance) -> None:
        exchange_id = self.selected_id()
        if exchange_id is not None:
            signal.emit(exchange_id)

    @Slot()
    def on_list_selection_changed(self) -> None:
        chosen = self.selected_id() is not None
        self.open_button.setEnabled(chosen)
        self.resend_button.setEnabled(chosen)
        two = len(self.selected_ids()) == 2
        self.compare_button.setEnabled(two)
        self.compare_button.setToolTip(
            "Compare the two selected exchanges value by value"
            if two
            else "Select two exchanges (Ctrl+click the second) to compare them"
        )

    def show_rows(self, rows: list[ExchangeSummary]) -> None:
        keep = self.selected_id()
        self.rows = list(rows)
        self.list.clear()
        dark = is_dark()
        for row in rows:
            elapsed = f"{row.total_ms:.0f} ms" if row.status is not None else "—"
            status = str(row.status) if row.status is not None else "failed"
            path = short_path(row.endpoint or row.url)
            cause = row.cause
            what = f"{row.method} {path}"
            if cause:  # the user's request, with why it got no API answer, and where
                status = "no token"
                what += f"  ·  no token ({row.environment or 'environment unknown'})"
            item = QTreeWidgetItem([f" {status} ", what, elapsed, _when(row.created_at)])
            item.setData(0, _ID_ROLE, row.id)
            background, foreground = status_colors(status_class_of(row.status), dark=dark)
            item.setBackground(0, QBrush(QColor(background)))
            item.setForeground(0, QBrush(QColor(foreground)))
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignCenter)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tip = (
                f"{row.method} {row.url}\n{_when(row.created_at)}  ·  {row.environment}"
                f"{'  ·  ' + row.operation_id if row.operation_id else ''}"
                + (f"\n{cause}" if cause else "")
            )
            for column in range(len(self.COLUMNS)):
                item.setToolTip(column, plain_tooltip(tip))
            self.list.addTopLevelItem(item)
            if row.id == keep:
                self.list.setCurrentItem(item)
        searching = bool(self.search.text().strip())
        self.empty.setText(
            "Nothing matches this search."
            if searching
            else "No exchanges yet: every request you send is kept here."
        )
        self.empty.setVisible(not rows)
        self.on_list_selection_changed()

    def show_problem(self, text: str) -> None:
        plain_labels(self.problem)
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


class HistorySettingsDialog(QDialog):
    """Limits the user controls: max exchanges and megabytes, and "Prune now"."""

    prune_requested = Signal()

    def __init__(self, limits: HistoryLimits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("History settings")
        self.setObjectName("historySettings")
        self.max_entries = QSpinBox(minimum=1, maximum=1_000_000, value=limits.max_entries)
        self.max_entries.setSuffix(" exchanges")
        self.max_mb = QDoubleSpinBox(minimum=0.1, maximum=100_000.0, decimals=1)
        self.max_mb.setValue(limits.max_mb)
        self.max_mb.setSuffix(" MB")
        note = QLabel(
            "The oldest exchanges are removed first when either limit is reached. "
            "Secrets are never stored; bodies are kept as received otherwise."
        )
        note.setProperty("role", "dim")
        note.setWordWrap(True)
        self.prune_button = QPushButton("Prune now")
        self.prune_button.setToolTip("Apply these limits now and remove what is beyond them")
        self.prune_result = QLabel("")
        self.prune_result.setObjectName("pruneResult")
        form = QFormLayout()
        form.addRow("Keep at most", self.max_entries)
        form.addRow("and at most", self.max_mb)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        prune_row = QHBoxLayout()
        prune_row.addWidget(self.prune_button)
        prune_row.addWidget(self.prune_result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addLayout(prune_row)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.prune_button.clicked.connect(self.prune_requested)

    def limits(self) -> HistoryLimits:
        return HistoryLimits(max_entries=self.max_entries.value(), max_mb=self.max_mb.value())
