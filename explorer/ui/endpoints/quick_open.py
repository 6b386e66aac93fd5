"""Ctrl+K quick-open: find an endpoint by a few letters of its path, summary or operationId.

Owns :class:`QuickOpenDialog`. Matching is the catalog's (``Catalog.fuzzy_find``); for a
plain list of endpoints without a catalog, :func:`simple_matches` does a subsequence match.
The dialog is modeless and emits ``endpoint_chosen`` when the user presses Enter or
double-clicks a hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.models import Endpoint

MAX_HITS = 50


def simple_matches(endpoints: Sequence[Endpoint], query: str) -> list[Endpoint]:
    """Endpoints where every word of ``query`` is a subsequence of one of its texts."""

    def is_subsequence(needle: str, haystack: str) -> bool:
        it = iter(haystack)
        return all(char in it for char in needle)

    words = query.lower().split()
    hits = []
    for endpoint in endpoints:
        texts = [
            endpoint.operation_id.lower(),
            f"{endpoint.method} {endpoint.path}".lower(),
            endpoint.summary.lower(),
        ]
        if all(any(is_subsequence(w, t) for t in texts) for w in words):
            hits.append(endpoint)
    return hits


class QuickOpenDialog(QDialog):
    """A search box over the catalog; Enter picks the highlighted endpoint."""

    endpoint_chosen = Signal(object)  # Endpoint

    def __init__(
        self, endpoints: Sequence[Endpoint], catalog: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Quick open endpoint")
        self.setObjectName("quickOpen")
        self.setModal(False)
        self.endpoints = list(endpoints)
        self.catalog = catalog
        self.search = QLineEdit(placeholderText="Type a path, summary or operationId…")
        self.search.setObjectName("quickOpenSearch")
        self.list = QListWidget()
        self.list.setObjectName("quickOpenList")
        self.hint = QLabel("↑↓ to move · Enter to open · Esc to close")
        self.hint.setProperty("role", "dim")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.resize(780, 420)
        self.search.textChanged.connect(self.on_search_changed)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(self.on_list_activated)
        self.on_search_changed("")

    def matches(self, query: str) -> list[Endpoint]:
        finder = getattr(self.catalog, "fuzzy_find", None)
        if callable(finder):
            return [hit.endpoint for hit in finder(query, limit=MAX_HITS)]
        return simple_matches(self.endpoints, query)[:MAX_HITS]

    @Slot(str)
    def on_search_changed(self, text: str) -> None:
        self.list.clear()
        for endpoint in self.matches(text):
            label = f"{endpoint.method:<6} {endpoint.path}"
            if endpoint.summary:
                label += f"   — {endpoint.summary}"
            item = QListWidgetItem(label)
            item.setToolTip(endpoint.operation_id)
            item.setData(Qt.ItemDataRole.UserRole, endpoint)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.hint.setText(
            "No endpoint matches."
            if not self.list.count() and text
            else "↑↓ to move · Enter to open · Esc to close"
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose(self.list.currentItem())
                return True
        return super().eventFilter(watched, event)

    @Slot(QListWidgetItem)
    def on_list_activated(self, item: QListWidgetItem) -> None:
        self.choose(item)

    def choose(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        endpoint = item.data(Qt.ItemDataRole.UserRole)
        self.accept()
        self.endpoint_chosen.emit(endpoint)
