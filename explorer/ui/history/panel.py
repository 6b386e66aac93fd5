"""The History dock: every exchange of the window, searchable, re-openable and resendable.

The list shows time, status (colour from the theme beside the code in words), method,
endpoint and elapsed time. One search box takes status filters (``404``, ``4xx``,
``none``), endpoints (``/businesses`` or an operationId) and free text together, and
waits for the user to pause before it searches. Limits live in a settings dialog with
"Prune now". The database work itself is :class:`~explorer.ui.history.service.HistoryService`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal, SignalInstance, Slot
from PySide6.QtGui import QResizeEvent
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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.history import ExchangeSummary, HistoryLimits
from explorer.ui.history.model import (
    COLUMNS,
    PAGE_SIZE,
    HistoryModel,
    short_path,
    status_class_of,
)
from explorer.ui.plain import plain_labels
from explorer.ui.style.palette import follow_theme

__all__ = ["HistoryPanel", "HistoryQuery", "parse_query", "short_path", "status_class_of"]

SEARCH_DELAY_MS = 250
NARROW_PX = 340
#: How many of the newest exchanges "Compare with…" may offer.
RECENT = 50
_STATUS_WORD = re.compile(r"^(?:[1-5]xx|[1-5]\d\d|none|failed)$", re.IGNORECASE)


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


class HistoryPanel(QDockWidget):
    """Lists the history; asks its owner to open, resend or export an exchange by id."""

    search_requested = Signal(object)  # HistoryQuery
    page_requested = Signal(object, int)  # HistoryQuery, the oldest id shown
    open_requested = Signal(int)
    resend_requested = Signal(int)
    settings_requested = Signal()
    compare_requested = Signal(list)  # the ids of the two selected exchanges, older first

    COLUMNS = COLUMNS

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
        self.shown_query = HistoryQuery()  # what the rows in the list answer
        # A table view: a tree view would read one more page on every layout of its rows.
        self.list = QTableView()
        self.model = HistoryModel(
            lambda oldest: self.page_requested.emit(self.shown_query, oldest),
            wanted=self.list.isVisible,
        )
        self.list.setObjectName("historyList")
        self.list.setAccessibleName("Sent requests")
        self.list.setModel(self.model)
        self.list.setShowGrid(False)
        self.list.setWordWrap(False)
        self.list.setCornerButtonEnabled(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.list.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # one height, from the font
        rows.setDefaultSectionSize(self.list.fontMetrics().height() + 6)
        header = self.list.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        # Widths from the font, not from the rows: measuring every row's text would cost
        # the dock more with every page read.
        metrics = self.list.fontMetrics()
        for column, sample in ((0, " no token "), (2, " 99999 ms "), (3, " 2026-12-31 23:59 ")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)
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
        self.compare_button = QPushButton("Compare…")
        self.compare_button.setObjectName("historyCompareButton")
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
        self.list.doubleClicked.connect(lambda _index: self._emit(self.open_requested))
        selection = self.list.selectionModel()
        selection.selectionChanged.connect(lambda *_: self.on_list_selection_changed())
        selection.currentChanged.connect(lambda *_: self.on_list_selection_changed())
        self.open_button.clicked.connect(lambda: self._emit(self.open_requested))
        self.resend_button.clicked.connect(lambda: self._emit(self.resend_requested))
        self.settings_button.clicked.connect(self.settings_requested)
        self.compare_button.clicked.connect(self.on_compare_clicked)
        self.compare_first: int | None = None  # the exchange marked as A, to compare with
        #: the newest exchanges listed (for "Compare with…"), newest first
        self.recent_rows: list[ExchangeSummary] = []
        # the status cells' colours are the palette's: searched and shown again after a
        # theme switch (not now: the window's first search is its own)
        themes: list[object] = []
        follow_theme(
            self.list, lambda colors: self._timer.start() if themes else themes.append(colors)
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Narrow dock: the time moves to the tooltip so the request stays readable.
        self.list.setColumnHidden(3, self.width() < NARROW_PX)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.model.restyle()  # the status colours follow the theme

    def query(self) -> HistoryQuery:
        return parse_query(self.search.text())

    def refresh(self) -> None:
        """Search again now with what the box says."""
        self._timer.stop()
        self._search(self.query())

    @Slot()
    def on_timer_timeout(self) -> None:
        self._search(self.query())

    def _search(self, query: HistoryQuery) -> None:
        self.shown_query = query
        self.search_requested.emit(query)

    def selected_id(self) -> int | None:
        """The exchange selected, if any."""
        selection = self.list.selectionModel()
        index = selection.currentIndex()
        if not index.isValid() or not selection.isRowSelected(index.row()):
            return None
        return self.model.exchange_id(index.row())

    @Slot()
    def on_compare_clicked(self) -> None:
        """First press: the selected exchange is A. Second press, on another: compare."""
        chosen = self.selected_id()
        if chosen is None:
            return
        first = self.compare_first
        if first is None or first == chosen:
            self.compare_first = None if first == chosen else chosen
        else:
            self.compare_first = None
            self.compare_requested.emit(sorted((first, chosen)))
        self.on_list_selection_changed()

    def row_texts(self, row: int) -> tuple[str, ...]:
        """What row ``row`` shows, column by column (for tests and screen readers)."""
        return tuple(
            str(self.model.index(row, column).data() or "") for column in range(len(COLUMNS))
        )

    def _emit(self, signal: SignalInstance) -> None:
        exchange_id = self.selected_id()
        if exchange_id is not None:
            signal.emit(exchange_id)

    @Slot()
    def on_list_selection_changed(self) -> None:
        chosen = self.selected_id() is not None
        self.open_button.setEnabled(chosen)
        self.resend_button.setEnabled(chosen)
        first = self.compare_first
        self.compare_button.setEnabled(chosen)
        if first is None:
            self.compare_button.setText("Compare…")
            self.compare_button.setToolTip(
                "Mark this exchange as A; then select another and press Compare with #A"
            )
        else:
            self.compare_button.setText(f"Compare with #{first}")
            self.compare_button.setToolTip(
                f"Compare exchange #{first} with the selected one, value by value "
                f"(press it on #{first} itself to unmark it)"
            )

    def show_rows(self, rows: Sequence[ExchangeSummary]) -> None:
        """The first page of a new search; the selection is kept when its row is there."""
        keep = self.selected_id()
        self.recent_rows = list(rows[:RECENT])
        self.model.reset(rows, page_size=PAGE_SIZE)
        if keep is not None:
            self._select(keep)
        searching = bool(self.search.text().strip())
        self.empty.setText(
            "Nothing matches this search."
            if searching
            else "No exchanges yet: every request you send is kept here."
        )
        self.empty.setVisible(not rows)
        self.on_list_selection_changed()

    def append_page(self, rows: Sequence[ExchangeSummary]) -> None:
        """The next, older page of the shown search."""
        self.model.append_page(rows, page_size=PAGE_SIZE)

    def prepend(self, rows: Sequence[ExchangeSummary]) -> None:
        """Exchanges recorded since the list was read go on top; the view stays put."""
        bar = self.list.verticalScrollBar()
        before = bar.value()
        added = self.model.rowCount()
        known = {row.id for row in self.recent_rows}
        fresh = [row for row in rows if row.id not in known]
        self.recent_rows = (fresh + self.recent_rows)[:RECENT]
        self.model.prepend(rows)
        added = self.model.rowCount() - added
        if added and before > bar.minimum():
            # Keep the rows the user is reading where they were: move down by what came.
            per_row = (
                1
                if self.list.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem
                else self.list.sizeHintForRow(0)
            )
            self.list.updateGeometries()
            bar.setValue(before + added * per_row)
        if added:
            self.empty.hide()

    def _select(self, exchange_id: int) -> None:
        row = self.model.row_of(exchange_id)
        if row is None:
            return
        self.list.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

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
