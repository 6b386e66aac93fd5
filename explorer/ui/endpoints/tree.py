"""The endpoint tree on the left: sections, method badges and a filter box.

Each endpoint is drawn on two lines by :class:`EndpointDelegate`: a coloured method
badge and the summary, then the path in a dimmer monospace font, so long paths never
push the summary out of sight. Unverified (inferred) endpoints carry an amber mark with a
symbol (and its words where there is room). A screen reader hears each row as its method,
summary, path and mark (:func:`accessible_row_name`), with the tooltip as description.
A long description is filled in slices of :data:`SLICE_MS` (see :meth:`EndpointTree.load`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.evidence import Evidence
from explorer.core.models import Endpoint
from explorer.ui.style.palette import current

ENDPOINT_ROLE = Qt.ItemDataRole.UserRole + 1
#: How long one slice of filling the tree may take (the window stays responsive).
SLICE_MS = 15.0

Index = QModelIndex | QPersistentModelIndex


def evidence_mark(endpoint: Endpoint) -> tuple[str, str, str] | None:
    """(symbol, short words, what a screen reader says) for an endpoint whose evidence is
    weaker than Thumbtack's documentation; None for a documented one."""
    if endpoint.inferred:
        return ("◆", "unverified", "unverified: inferred, not documented by Thumbtack")
    if endpoint.evidence is Evidence.OBSERVED:
        return ("◈", "seen in traffic", "seen in real traffic, not documented by Thumbtack")
    if endpoint.inferred_notes:
        return ("◇", "partly", "partly unverified: some fields are inferred")
    return None


def accessible_row_name(endpoint: Endpoint) -> str:
    """What a screen reader says for an endpoint's row: method, summary, path and mark."""
    parts = [endpoint.method, endpoint.summary or endpoint.operation_id, endpoint.path]
    grade = evidence_mark(endpoint)
    if grade is not None:
        parts.append(grade[2])
    return ", ".join(part for part in parts if part)


class EndpointDelegate(QStyledItemDelegate):
    """Paints an endpoint row: method badge + summary, then the path."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(ENDPOINT_ROLE) is None:
            return QSize(size.width(), size.height() + 6)
        line = QFontMetrics(option.font).height()
        return QSize(size.width(), line * 2 + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        endpoint: Endpoint | None = index.data(ENDPOINT_ROLE)
        if endpoint is None:
            super().paint(painter, option, index)
            return
        painter.save()
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        colors = current()
        palette = option.palette
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        rect = option.rect.adjusted(4, 4, -4, -4)
        metrics = QFontMetrics(option.font)
        line = metrics.height()

        badge_font = QFont(option.font)
        badge_font.setBold(True)
        badge_font.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.8))
        badge_metrics = QFontMetrics(badge_font)
        badge_width = badge_metrics.horizontalAdvance("DELETE") + 8
        badge = QRect(rect.left(), rect.top() + 1, badge_width, line - 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(colors.method(endpoint.method))))
        painter.drawRoundedRect(badge, 3, 3)
        painter.setPen(QColor(colors.method_text))
        painter.setFont(badge_font)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, endpoint.method)

        title_left = badge.right() + 8
        title_rect = QRect(title_left, rect.top(), rect.right() - title_left, line)
        title = endpoint.summary or endpoint.operation_id or endpoint.path
        grade = evidence_mark(endpoint)
        if grade is not None:
            symbol, words, _said = grade
            mark = f" {symbol} {words}" if title_rect.width() > 260 else f" {symbol}"
            mark_width = metrics.horizontalAdvance(mark)
            title_rect.setRight(title_rect.right() - mark_width)
            painter.setFont(option.font)
            painter.setPen(text_color if selected else QColor(colors.inferred))
            painter.drawText(
                QRect(title_rect.right(), rect.top(), mark_width, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                mark,
            )
        painter.setFont(option.font)
        painter.setPen(text_color)
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, title_rect.width()),
        )

        path_font = QFont("monospace")
        path_font.setStyleHint(QFont.StyleHint.Monospace)
        path_font.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        path_metrics = QFontMetrics(path_font)
        path_rect = QRect(rect.left(), rect.top() + line + 2, rect.width(), line)
        dim = text_color if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setFont(path_font)
        painter.setPen(dim)
        painter.drawText(
            path_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            path_metrics.elidedText(endpoint.path, Qt.TextElideMode.ElideMiddle, path_rect.width()),
        )
        painter.restore()


class EndpointTree(QWidget):
    """Lists endpoints by section; emits ``endpoint_selected`` when one is picked."""

    endpoint_selected = Signal(object)  # Endpoint

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_edit = QLineEdit(placeholderText="Filter endpoints  (Ctrl+K: quick open)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setObjectName("endpointFilter")
        self.filter_edit.setAccessibleName("Filter endpoints")
        self.tree = QTreeWidget()
        self.tree.setObjectName("endpointTree")
        self.tree.setAccessibleName("Endpoints")
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(10)
        self.tree.setItemDelegate(EndpointDelegate(self.tree))
        self.tree.setMouseTracking(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree)
        self.filter_edit.textChanged.connect(self.on_filter_changed)
        self.tree.currentItemChanged.connect(self.on_tree_current_changed)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._sections: dict[str, QTreeWidgetItem] = {}
        self._waiting: deque[Endpoint] = deque()
        self._wanted: set[str] = set()
        self._needle = ""
        self._pending: str | None = None
        self._when_filled: list[Callable[[], object]] = []
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.timeout.connect(self._fill_slice)

    def load(self, endpoints: Sequence[Endpoint]) -> None:
        """Show ``endpoints``: as many as fit in :data:`SLICE_MS` at once, the rest a slice
        per turn of the event loop, so ten thousand operations never freeze the window;
        ``filled`` is emitted when the last one is in (:meth:`when_filled`)."""
        self._fill_timer.stop()
        self.tree.clear()
        self._items.clear()
        self._sections = {}
        self._waiting = deque(endpoints)
        self._wanted = {endpoint.key for endpoint in endpoints}
        self._needle = self.filter_edit.text().strip().lower()
        self._fill_slice()

    @property
    def filled(self) -> bool:
        return not self._waiting

    def when_filled(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once every endpoint is in the tree (now, if it is)."""
        if self.filled:
            callback()
        else:
            self._when_filled.append(callback)

    @Slot()
    def _fill_slice(self) -> None:
        started = time.perf_counter()
        bold = QFont()
        bold.setBold(True)
        added: list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]] = []
        by_section: dict[str, list[QTreeWidgetItem]] = {}
        count = 0
        while self._waiting:
            endpoint = self._waiting.popleft()
            section = self._sections.get(endpoint.section)
            if section is None:
                section = QTreeWidgetItem([endpoint.section])
                section.setFont(0, bold)
                section.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(section)
                section.setExpanded(True)
                self._sections[endpoint.section] = section
            item = _endpoint_item(endpoint)
            children = by_section.get(endpoint.section)
            if children is None:
                children = by_section[endpoint.section] = []
                added.append((section, children))
            children.append(item)
            self._items[endpoint.key] = item
            count += 1
            if count % 32 == 0 and (time.perf_counter() - started) * 1000 >= SLICE_MS:
                break
        for section, children in added:
            section.addChildren(children)
            if self._needle:  # (an item is hidden in its view, so once it is in one)
                for item in children:
                    item.setHidden(not _matches(item.data(0, ENDPOINT_ROLE), self._needle))
                shown = (section.child(i) for i in range(section.childCount()))
                section.setHidden(all(c is None or c.isHidden() for c in shown))
        if self._pending is not None and self._pending in self._items:
            key, self._pending = self._pending, None
            self.select(key)
        if self._waiting:
            self._fill_timer.start(0)
            return
        callbacks, self._when_filled = self._when_filled, []
        for callback in callbacks:
            callback()

    def _fill_rest(self) -> None:
        while self._waiting:
            self._fill_slice()
        self._fill_timer.stop()

    def select(self, key: str) -> bool:
        if key not in self._items and key in self._wanted:
            self._fill_rest()  # asked for by name: the rest of the tree goes in now
        item = self._items.get(key)
        if item is None:
            return False
        item.setHidden(False)
        parent = item.parent()
        if parent is not None:
            parent.setHidden(False)
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return True

    def select_when_shown(self, key: str) -> None:
        """Select ``key`` as soon as its row is in the tree (at once if it is), without
        filling the rest of a long tree first."""
        if key in self._items:
            self.select(key)
        elif key in self._wanted and not self.filled:
            self._pending = key

    def current_endpoint(self) -> Endpoint | None:
        item = self.tree.currentItem()
        return item.data(0, ENDPOINT_ROLE) if item is not None else None

    @Slot(str)
    def on_filter_changed(self, text: str) -> None:
        needle = text.strip().lower()
        self._needle = needle
        for index in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(index)
            if section is None:
                continue
            visible = 0
            for child_index in range(section.childCount()):
                child = section.child(child_index)
                if child is None:
                    continue
                endpoint: Endpoint = child.data(0, ENDPOINT_ROLE)
                hidden = bool(needle) and not _matches(endpoint, needle)
                child.setHidden(hidden)
                visible += not hidden
            section.setHidden(visible == 0)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def on_tree_current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        endpoint = current.data(0, ENDPOINT_ROLE)
        if endpoint is not None:
            self.endpoint_selected.emit(endpoint)


def _matches(endpoint: Endpoint, needle: str) -> bool:
    haystack = " ".join(
        (endpoint.method, endpoint.path, endpoint.summary, endpoint.operation_id, endpoint.section)
    ).lower()
    return all(part in haystack for part in needle.split())


def _endpoint_item(endpoint: Endpoint) -> QTreeWidgetItem:
    label = f"{endpoint.method} {endpoint.path}"
    if endpoint.inferred:
        label += "   (unverified)"
    elif endpoint.evidence is Evidence.OBSERVED:
        label += "   (seen in real traffic)"
    item = QTreeWidgetItem([label])
    item.setData(0, ENDPOINT_ROLE, endpoint)
    tip = f"{endpoint.method} {endpoint.path}\n{endpoint.summary or endpoint.operation_id}"
    if endpoint.inferred:
        tip += "\nUnverified: this endpoint is inferred, not documented by Thumbtack."
    elif endpoint.evidence is Evidence.OBSERVED:
        tip += (
            "\nSeen in real traffic: partners captured this route from Thumbtack; no "
            "Thumbtack page documents it."
        )
    elif endpoint.inferred_notes:
        tip += "\nPartly unverified: some fields are inferred, not documented."
    if endpoint.evidence_note:
        tip += f"\n  • {endpoint.evidence_note}"
    if endpoint.scope_evidence is not Evidence.DOCUMENTED and endpoint.scopes:
        tip += f"\n  • Scopes: {endpoint.scope_evidence.label}"
    for note in endpoint.inferred_notes[:4]:
        tip += f"\n  • {note}"
    item.setToolTip(0, tip)
    item.setData(0, Qt.ItemDataRole.AccessibleTextRole, accessible_row_name(endpoint))
    item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, tip)
    return item
