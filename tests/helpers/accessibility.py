"""Walks a real window the way assistive technology and a person's eyes meet it.

:func:`unnamed_controls` reads the ``QAccessible`` tree (what a screen reader is given);
:func:`colour_only_marks` finds anything whose meaning is carried by colour alone: a
coloured label, cell or rich-text span with no words or symbol of its own. Both walk every
widget, so features added later are covered without naming them here.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QPalette, QPixmap, QRegion
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

ACTIONABLE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTextEdit,
    QPlainTextEdit,
    QTabBar,
)
#: A coloured span in rich text: its style and what it says.
SPAN = re.compile(r"<span[^>]*style=\"[^\"]*color:[^\"]*\"[^>]*>(.*?)</span>", re.S)
TAGS = re.compile(r"<[^>]+>")


def says_something(text: str) -> bool:
    """Words, digits or a symbol (✓ ✗ ⚠ ◆ …), not only spaces and punctuation."""
    return any(ch.isalnum() or (ord(ch) > 0x2000 and not ch.isspace()) for ch in text)


def _name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def walk(interface: QAccessibleInterface, seen: set[int]) -> list[QAccessibleInterface]:
    found = [interface]
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is None or not child.isValid() or id(child.object()) in seen:
            continue
        seen.add(id(child.object()))
        found.extend(walk(child, seen))
    return found


def describe(widget: QWidget) -> str:
    chain = [f"{type(widget).__name__} {widget.objectName()}".strip()]
    parent = widget.parentWidget()
    while parent is not None and len(chain) < 5:
        chain.append(f"{type(parent).__name__} {parent.objectName()}".strip())
        parent = parent.parentWidget()
    return " < ".join(chain)


def unnamed_controls(root: QWidget) -> list[str]:
    """Every visible control a person can focus or act on whose accessible name is empty
    (or only a symbol such as "▲")."""
    interface = QAccessible.queryAccessibleInterface(root)
    assert interface is not None and interface.isValid()
    nameless = []
    for node in walk(interface, set()):
        widget = node.object()
        if not isinstance(widget, ACTIONABLE) or not widget.isVisible():
            continue
        name = node.text(QAccessible.Text.Name)
        if not any(ch.isalnum() for ch in name):
            nameless.append(describe(widget))
    return nameless


def visible_widgets(root: QWidget) -> list[QWidget]:
    return [w for w in [root, *root.findChildren(QWidget)] if w.isVisible()]


def _paints_a_colour(widget: QWidget) -> bool:
    """Whether the widget, as rendered, shows a colour that is none of the application
    palette's surfaces (a coloured chip, dot or bar)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if widget.width() < 2 or widget.height() < 2:
        return False
    own_background = widget.autoFillBackground() or widget.testAttribute(
        Qt.WidgetAttribute.WA_StyledBackground
    )
    if isinstance(widget, QLabel) and not own_background and widget.pixmap().isNull():
        return False  # an empty label paints nothing of its own
    parent = widget.parentWidget()
    if parent is not None:  # what the parent alone paints under it: the label adds nothing?
        under = QPixmap(widget.size() * widget.devicePixelRatio())
        under.setDevicePixelRatio(widget.devicePixelRatio())
        parent.render(
            under,
            QPoint(0, 0),
            QRegion(widget.geometry()),
            QWidget.RenderFlag.DrawWindowBackground,
        )
        if under.toImage() == widget.grab().toImage():
            return False
    surfaces = {
        app.palette().color(role).rgb()
        for role in (
            QPalette.ColorRole.Window,
            QPalette.ColorRole.Base,
            QPalette.ColorRole.AlternateBase,
            QPalette.ColorRole.Button,
            QPalette.ColorRole.Mid,
        )
    }
    image = widget.grab().toImage()
    step_x, step_y = max(1, image.width() // 8), max(1, image.height() // 4)
    for x in range(0, image.width(), step_x):
        for y in range(0, image.height(), step_y):
            if image.pixelColor(x, y).rgb() not in surfaces:
                return True
    return False


def _cells(view: QAbstractItemView, limit: int = 400) -> list[QModelIndex]:
    model = view.model()
    if model is None:
        return []
    found: list[QModelIndex] = []
    stack = [QModelIndex()]
    while stack and len(found) < limit:
        parent = stack.pop()
        for row in range(min(model.rowCount(parent), limit)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                found.append(index)
                if column == 0 and model.hasChildren(index):
                    stack.append(index)
    return found


def colour_only_marks(root: QWidget) -> list[str]:
    """Anything visible whose meaning is colour alone: a label or button in colours of its
    own with no words or symbol, a coloured cell with no text, a coloured rich-text span
    that says nothing."""
    found = []
    for widget in visible_widgets(root):
        if isinstance(widget, (QLabel, QAbstractButton)):
            text = widget.text()
            plain = TAGS.sub("", html.unescape(text)) if "<" in text else text
            # a button's picture (an icon, a drawn ×) with its name is not colour alone
            has_icon = isinstance(widget, QAbstractButton) and (
                not widget.icon().isNull()
                or says_something(widget.accessibleName())
                or says_something(_name(widget))
            )
            if not says_something(plain) and not has_icon and _paints_a_colour(widget):
                found.append(f"coloured, says nothing: {describe(widget)}")
            if isinstance(widget, QLabel):
                for span in SPAN.findall(text):
                    if not says_something(html.unescape(TAGS.sub("", span))):
                        found.append(f"coloured span says nothing: {describe(widget)}")
        if isinstance(widget, QAbstractItemView):
            for index in _cells(widget):
                coloured = any(
                    index.data(role) is not None
                    for role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole)
                )
                words = str(index.data(Qt.ItemDataRole.DisplayRole) or "") + str(
                    index.data(Qt.ItemDataRole.AccessibleTextRole) or ""
                )
                if coloured and not says_something(words):
                    found.append(
                        f"coloured cell says nothing: {describe(widget)} row {index.row()}"
                    )
    return found


def accessible_cell_names(view: QAbstractItemView) -> list[str]:
    """The names a screen reader is given for the cells of ``view``."""
    interface = QAccessible.queryAccessibleInterface(view)
    assert interface is not None
    roles = (QAccessible.Role.TreeItem, QAccessible.Role.Cell, QAccessible.Role.ListItem)
    names = []
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None and child.isValid() and child.role() in roles:
            names.append(child.text(QAccessible.Text.Name))
    return names
