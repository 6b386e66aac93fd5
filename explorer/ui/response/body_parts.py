"""Parts of the body view: the search box, the bar over a capped body, the lazy JSON tree.

:class:`SearchBox` is a line edit that shows "3 of 12" or "No match" inside its right end.

:class:`CapBar` says how much of a big body is on screen and offers the ways to get
the rest (show all, save to a file, copy). :class:`JsonTree` shows a parsed document
as a tree whose children are created only when their parent is expanded, a page at a
time, so a document of a million items opens at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from explorer.core.body import dump_pretty
from explorer.ui.overflow_bar import OverflowBar
from explorer.ui.style.app_style import LINE_EDIT_TEXT_MARGINS

TREE_PAGE = 500
_PLACEHOLDER = "…"


class SearchBox(QLineEdit):
    """A search line edit with its result ("3 of 12", "No match") inside, at the right."""

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, placeholderText=placeholder)
        self.setClearButtonEnabled(True)
        self.count = QLabel("", self)
        self.count.setObjectName("bodySearchCount")
        self.count.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.count.hide()
        self._min_width = 50
        self.setMinimumWidth(self._min_width)

    def set_count(self, text: str, *, warning: bool = False) -> None:
        self.count.setText(text)
        self.count.setToolTip(text)
        self.count.setProperty("role", "inferred" if warning else "dim")
        self.count.style().unpolish(self.count)
        self.count.style().polish(self.count)
        self.count.setVisible(bool(text))
        # Room for a few typed letters, the result and the clear button.
        room = self.count.sizeHint().width() + self.fontMetrics().horizontalAdvance("mmmm") + 24
        self.setMinimumWidth(room if text else self._min_width)
        self._place_count()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_count()

    def _place_count(self) -> None:
        left, top, right, bottom = LINE_EDIT_TEXT_MARGINS
        if self.count.isHidden():
            self.setTextMargins(left, top, right, bottom)
            return
        width = self.count.sizeHint().width()
        clear = self.height() if self.text() else 4  # the clear button's room
        self.count.setGeometry(self.width() - clear - width, 0, width, self.height())
        self.setTextMargins(left, top, right + width + 2, bottom)


class CapBar(QFrame):
    """ "Showing the first 4 MB of 50 MB" with Show all, Save body to file… and Copy all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("capBar")
        self.setStyleSheet(
            "QFrame#capBar { background: palette(alternate-base); border: 1px solid "
            "palette(mid); border-left: 3px solid palette(highlight); border-radius: 4px; }"
            " QFrame#capBar QLabel { border: none; background: transparent; }"
        )
        self.label = QLabel()
        self.label.setObjectName("capLabel")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_all_button = QPushButton("Show all")
        self.show_all_button.setObjectName("showAll")
        self.show_all_button.setToolTip(
            "Put the rest of the body in the view, in chunks; the window stays usable. "
            "The view needs about 25 bytes of memory per character shown."
        )
        self.save_button = QPushButton("Save body to file…")
        self.save_button.setObjectName("saveBody")
        self.copy_button = QPushButton("Copy all")
        self.copy_button.setObjectName("copyBody")
        self.copy_button.setToolTip("Copy the whole body exactly as received")
        # Narrow, Copy all and then Save leave the row for its "⋯" menu; Show all stays longest.
        self.row = OverflowBar(spacing=6)
        self.row.add_widget(self.label, comfort_chars=16, stretch=1)
        self.row.add_button(self.show_all_button, "Show all", priority=3)
        self.row.add_button(self.save_button, "Save body to file…", priority=2)
        self.row.add_button(self.copy_button, "Copy all", priority=1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.row)
        self.hide()

    def set_file_actions(self, shown: bool) -> None:
        """Offer Save and Copy all (not while a filter's result is shown)."""
        self.row.set_wanted(self.save_button, shown)
        self.row.set_wanted(self.copy_button, shown)

    def show_capped(self, shown: str, total: str) -> None:
        self.label.setText(
            f"Showing the first {shown} of {total}. Find and the filter cover all of it; "
            "Show all loads the rest (slower, and uses much more memory)."
        )
        self.show_all_button.setEnabled(True)
        self.show()

    def say(self, text: str) -> None:
        """Replace the message (a search result past the shown part, a saved file)."""
        self.label.setText(text)


class JsonTree(QTreeWidget):
    """Key and value columns; children appear on expand, :data:`TREE_PAGE` at a time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Key", "Value"])
        self.setColumnWidth(0, 220)
        self.setUniformRowHeights(True)
        self.itemExpanded.connect(self.on_item_expanded)
        self.itemDoubleClicked.connect(self.on_item_double_clicked)

    def load(self, document: Any) -> None:
        self.clear()
        root = QTreeWidgetItem(["$", _summary(document)])
        root.setData(0, Qt.ItemDataRole.UserRole, (document, 0))
        self.addTopLevelItem(root)
        _add_placeholder(root, document)
        root.setExpanded(True)

    @Slot(QTreeWidgetItem)
    def on_item_expanded(self, item: QTreeWidgetItem) -> None:
        first = item.child(0) if item.childCount() == 1 else None
        if first is not None and first.data(0, Qt.ItemDataRole.UserRole) == _PLACEHOLDER:
            item.takeChild(0)
            value, _start = item.data(0, Qt.ItemDataRole.UserRole)
            _populate(item, value, 0)

    @Slot(QTreeWidgetItem, int)
    def on_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        parent = item.parent()
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if parent is not None and item.text(0).startswith("… ") and isinstance(data, tuple):
            parent.removeChild(item)
            _populate(parent, data[0], data[1])


def _summary(value: Any) -> str:
    if isinstance(value, dict):
        return f"{{{len(value)} key{'' if len(value) == 1 else 's'}}}"
    if isinstance(value, list):
        return f"[{len(value)} item{'' if len(value) == 1 else 's'}]"
    text = dump_pretty(value)
    return text if len(text) <= 300 else text[:300] + "…"


def _add_placeholder(item: QTreeWidgetItem, value: Any) -> None:
    if isinstance(value, dict | list) and value:
        placeholder = QTreeWidgetItem([_PLACEHOLDER, ""])
        placeholder.setData(0, Qt.ItemDataRole.UserRole, _PLACEHOLDER)
        item.addChild(placeholder)


def _populate(item: QTreeWidgetItem, value: Any, start: int) -> None:
    if isinstance(value, dict):
        keys = list(value)[start : start + TREE_PAGE]
        pairs: list[tuple[Any, Any]] = [(key, value[key]) for key in keys]
    else:
        pairs = list(enumerate(value[start : start + TREE_PAGE], start))
    for key, child in pairs:
        label = str(key) if isinstance(value, dict) else f"[{key}]"
        node = QTreeWidgetItem([label, _summary(child)])
        node.setData(0, Qt.ItemDataRole.UserRole, (child, 0))
        item.addChild(node)
        _add_placeholder(node, child)
    left = len(value) - start - TREE_PAGE
    if left > 0:
        more = QTreeWidgetItem([f"… {left} more", ""])
        more.setData(0, Qt.ItemDataRole.UserRole, (value, start + TREE_PAGE))
        more.setToolTip(0, "Double-click to show more")
        item.addChild(more)
