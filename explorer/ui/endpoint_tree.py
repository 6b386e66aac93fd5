"""The endpoint tree on the left: sections, method badges and a filter box."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from explorer.core.models import Endpoint

METHOD_COLORS = {
    "GET": "#2e8b57",
    "POST": "#c77c02",
    "PUT": "#2f6fd6",
    "PATCH": "#7a4fd0",
    "DELETE": "#c2352b",
}
_ENDPOINT_ROLE = Qt.ItemDataRole.UserRole + 1


class EndpointTree(QWidget):
    """Lists endpoints by section; emits ``endpoint_selected`` when one is picked."""

    endpoint_selected = Signal(object)  # Endpoint

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_edit = QLineEdit(placeholderText="Filter endpoints  (Ctrl+K: quick open)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setObjectName("endpointFilter")
        self.tree = QTreeWidget()
        self.tree.setObjectName("endpointTree")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(12)
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
            label = f"{endpoint.method:<6} {endpoint.path}"
            if endpoint.inferred:
                label += "   (unverified)"
            item = QTreeWidgetItem([label])
            item.setData(0, _ENDPOINT_ROLE, endpoint)
            item.setForeground(0, QBrush(QColor(METHOD_COLORS.get(endpoint.method, "#888888"))))
            tip = endpoint.summary or endpoint.operation_id
            if endpoint.inferred:
                tip += "\nUnverified: parts of this endpoint are inferred, not documented."
            item.setToolTip(0, tip)
            mono = QFont("monospace")
            mono.setStyleHint(QFont.StyleHint.Monospace)
            item.setFont(0, mono)
            section.addChild(item)
            self._items[endpoint.key] = item
        self.tree.expandAll()
        self.on_filter_changed(self.filter_edit.text())

    def select(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        item.setHidden(False)
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return True

    def current_endpoint(self) -> Endpoint | None:
        item = self.tree.currentItem()
        return item.data(0, _ENDPOINT_ROLE) if item is not None else None

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
                endpoint: Endpoint = child.data(0, _ENDPOINT_ROLE)
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
        endpoint = current.data(0, _ENDPOINT_ROLE)
        if endpoint is not None:
            self.endpoint_selected.emit(endpoint)
