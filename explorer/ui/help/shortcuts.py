"""The shortcut sheet (Ctrl+/): every keyboard shortcut of the window, read from its actions.

Nothing here lists shortcuts by hand: :func:`shortcut_rows` reads each ``QAction`` and
``QShortcut`` under the window (where the shortcut is defined), with the menu path of the
action, so a shortcut added anywhere appears on the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class ShortcutRow:
    keys: str  # as the platform writes them, e.g. "Ctrl+Shift+P"
    what: str  # the action's words
    where: str  # its menu path ("View ▸ History"), or where it works


def _words(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…").strip()


def _menu_path(action: QAction) -> str:
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu):
            path = [_words(owner.title())]
            parent = owner.menuAction()
            while True:
                outer = next((o for o in parent.associatedObjects() if isinstance(o, QMenu)), None)
                if outer is None:
                    break
                path.insert(0, _words(outer.title()))
                parent = outer.menuAction()
            return " ▸ ".join(p for p in path if p)
    return ""


def _keys(sequences: list[QKeySequence]) -> str:
    return ", ".join(
        s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty()
    )


def shortcut_rows(root: QWidget) -> list[ShortcutRow]:
    """Every shortcut defined under ``root``, one row per action or shortcut object."""
    rows: dict[tuple[str, str], ShortcutRow] = {}
    for action in root.findChildren(QAction):
        try:
            keys, text = _keys(action.shortcuts()), action.text()
        except RuntimeError:  # a menu's action being deleted as we look
            continue
        if not keys or not text:
            continue
        where = _menu_path(action) or "anywhere in the window"
        row = ShortcutRow(keys, _words(text), where)
        rows.setdefault((row.keys, row.what), row)
    for shortcut in root.findChildren(QShortcut):
        keys = _keys(shortcut.keys())
        if not keys:
            continue
        parent = shortcut.parent()
        place = ""
        if isinstance(parent, QWidget):
            place = f"in {parent.accessibleName()}" if parent.accessibleName() else ""
        row = ShortcutRow(keys, shortcut.whatsThis() or "(not described)", place)
        rows.setdefault((row.keys, row.what), row)
    return sorted(rows.values(), key=lambda r: (r.where, r.what))


class ShortcutSheet(QDialog):
    """A searchable table of :func:`shortcut_rows`."""

    def __init__(self, root: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent or root)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard shortcuts")
        self.rows = shortcut_rows(root)
        self.filter = QLineEdit(placeholderText="Find a shortcut or an action")
        self.filter.setObjectName("shortcutFilter")
        self.filter.setAccessibleName("Find a shortcut")
        self.filter.setClearButtonEnabled(True)
        self.table = QTreeWidget()
        self.table.setObjectName("shortcutTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHeaderLabels(["Keys", "Action", "Where"])
        self.table.setRootIsDecorated(False)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for row in self.rows:
            item = QTreeWidgetItem([row.keys, row.what, row.where])
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{row.keys}: {row.what}")
            self.table.addTopLevelItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)
        self.filter.textChanged.connect(self.on_filter_changed)

    def on_filter_changed(self, text: str) -> None:
        needle = text.strip().lower()
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item is None:
                continue
            words = " ".join(item.text(c) for c in range(3)).lower()
            item.setHidden(bool(needle) and needle not in words)

    def shown_rows(self) -> list[tuple[str, str, str]]:
        shown = []
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item is not None and not item.isHidden():
                shown.append((item.text(0), item.text(1), item.text(2)))
        return shown
