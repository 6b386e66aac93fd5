"""The endpoint tree on the left: sections, method badges and a filter box.

Each endpoint is drawn on two lines by :class:`EndpointDelegate`: a coloured method
badge and the summary, then the path in a dimmer monospace font, so long paths never
push the summary out of sight. Unverified (inferred) endpoints carry an amber mark with a
symbol (and its words where there is room). A screen reader hears each row as its method,
summary, path and mark (:func:`accessible_row_name`), with the tooltip as description.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal, Slot
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

    def load(self, endpoints: Sequence[Endpoint]) -> None:
        self.tree.clear()
        self._items.clear()
        sections: dict[str, QTreeWidgetItem] = {}
        bold = QFont()
        bold.setBold(True)
        for endpoint in endpoints:
            section = sections.get(endpoint.section)
            if section is None:
                section = QTreeWidgetItem([endpoint.section])
                section.setFont(0, bold)
                section.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(section)
                sections[endpoint.section] = section
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
            section.addChild(item)
            self._items[endpoint.key] = item
        self.tree.expandAll()
        self.on_filter_changed(self.filter_edit.text())

    def select(self, key: str) -> bool:
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

    def current_endpoint(self) -> Endpoint | None:
        item = self.tree.currentItem()
        return item.data(0, ENDPOINT_ROLE) if item is not None else None

    @Slot(str)
    def on_filter_changed(self, text: str) -> None:
        needle = text.strip().lower()
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
                haystack = " ".join(
                    (
                        endpoint.method,
                        endpoint.path,
                        endpoint.summary,
                        endpoint.operation_id,
                        endpoint.section,
                    )
                ).lower()
                hidden = bool(needle) and not all(part in haystack for part in needle.split())
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
