"""The program's widget style: Fusion plus the few looks the theme adds, without a style sheet.

Owns :class:`AppStyle`, a ``QProxyStyle`` over Fusion that
:func:`explorer.ui.style.theme.apply_theme` sets once on the application, and
:func:`apply_role`, which gives a widget the look of its
``role`` property. An application-wide style sheet would make Qt polish and size every
widget through its style-sheet engine, which about doubles the time the main window takes
to build; these looks cost a few Python calls instead.

What it draws, all from the widget's palette so that a theme switch (a new application
palette) repaints it with no further step: 1 px rounded borders in the ``Mid`` colour around
line edits and text editors (a line edit whose ``invalid`` property is true gets the error
colour), 1 px tab-pane borders, 1 px splitter lines, rounded "card" frames and a flat
toolbar. Labels get their role through a font weight and palette roles: ``heading``
(semi-bold, at the size of the text around it, as the former style sheet rendered it),
``dim`` (the ``PlaceholderText`` colour), ``inferred`` (amber, semi-bold) and ``banner``
(white on red); those two colours come from :mod:`explorer.ui.style.palette`, and
:func:`refresh_looks` gives them the new palette's after a theme switch. As with a style
sheet, a role changed after a widget is shown takes effect when the widget is polished
again (``w.style().unpolish(w); w.style().polish(w)``).

Only ``polish`` and two drawing calls are overridden in Python: metric and size queries,
thousands per window, stay in C++.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProxyStyle,
    QSplitter,
    QStyle,
    QStyleOption,
    QTextEdit,
    QToolBar,
    QWidget,
)

from explorer.ui.style.palette import current

#: Text margins on top of Fusion's 1 px line-edit frame: the room the former style sheet's
#: "padding: 3px" gave, so line edits keep their size and their text its place.
LINE_EDIT_TEXT_MARGINS = (3, 1, 3, 1)
#: A text editor's frame: 1 px border and 3 px of room.
TEXT_BOX_FRAME = 4
TOOLBAR_SPACING = 6

#: The application property holding the wheel guard (an object with ``watch(widget)``);
#: :mod:`explorer.ui.wheel_guard` sets it (the two modules do not import each other).
WHEEL_GUARD_PROPERTY = "explorer_wheel_guard"
_APPLIED = "_explorerLook"  # the role whose look a widget carries now
_BOX = "_explorerBox"  # drawn by AppStyle: "card" or "text"


def _semibold() -> QFont:
    """Only the weight: size and family still come from the parent, so a font-scale change
    reaches the label."""
    font = QFont()
    font.setWeight(QFont.Weight.DemiBold)
    return font


def _colored(text: str, background: str | None = None) -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    if background is not None:
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
    return palette


def _label_look(label: QLabel, role: str) -> None:
    if role == "heading":
        label.setFont(_semibold())
    elif role == "dim":
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    elif role == "inferred":
        label.setFont(_semibold())
        label.setPalette(_colored(current().inferred))
    elif role == "banner":
        colors = current()
        label.setFont(_semibold())
        label.setPalette(_colored(colors.banner_fg, colors.banner_bg))
        label.setAutoFillBackground(True)
        label.setContentsMargins(8, 4, 8, 4)


def _undo_label_look(label: QLabel) -> None:
    label.setFont(QFont())  # an empty font: everything inherited again
    label.setPalette(QPalette())
    label.setForegroundRole(QPalette.ColorRole.NoRole)
    label.setAutoFillBackground(False)
    label.setContentsMargins(0, 0, 0, 0)


LABEL_ROLES = frozenset({"heading", "dim", "inferred", "banner"})
_COLOURED_ROLES = frozenset({"inferred", "banner"})


def refresh_looks(app: QApplication) -> None:
    """After a theme switch: labels whose role has its own colours take the new palette's."""
    for widget in app.allWidgets():
        role = widget.property(_APPLIED)
        if role in _COLOURED_ROLES and isinstance(widget, QLabel):
            _label_look(widget, role)


def apply_role(widget: QWidget) -> None:
    """Give ``widget`` the look of its ``role`` property (and drop the look of a former one)."""
    role = widget.property("role")
    before = widget.property(_APPLIED)
    if role == before:
        return
    if isinstance(widget, QLabel):
        if before is not None:
            _undo_label_look(widget)
        if role in LABEL_ROLES:
            _label_look(widget, role)
            widget.setProperty(_APPLIED, role)
        else:
            widget.setProperty(_APPLIED, None)
    elif isinstance(widget, QFrame) and role == "card" and before is None:
        widget.setFrameStyle(QFrame.Shape.Box | QFrame.Shadow.Plain)
        widget.setLineWidth(1)
        widget.setProperty(_BOX, "card")
        widget.setProperty(_APPLIED, role)


def _polish_widget(widget: QWidget) -> None:
    if widget.property("role") is not None or widget.property(_APPLIED) is not None:
        apply_role(widget)
    if isinstance(widget, QLineEdit):
        if widget.hasFrame() and widget.textMargins().isNull():
            widget.setTextMargins(*LINE_EDIT_TEXT_MARGINS)
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        if widget.frameShape() == QFrame.Shape.StyledPanel:
            widget.setFrameShape(QFrame.Shape.Panel)
            widget.setLineWidth(TEXT_BOX_FRAME)
            widget.setProperty(_BOX, "text")
    elif isinstance(widget, QSplitter):
        widget.setHandleWidth(1)
    elif isinstance(widget, QToolBar):
        layout = widget.layout()
        if layout is not None:
            layout.setSpacing(TOOLBAR_SPACING)


def _rounded(
    painter: QPainter, rect: QRectF, radius: float, border: QColor, fill: QBrush | None = None
) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(border, 1))
    painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
    painter.restore()


class AppStyle(QProxyStyle):
    """Fusion, with the program's borders, splitter lines, cards and label roles.

    It also hands each combo box and spin box it polishes to the application's wheel guard
    (:mod:`explorer.ui.wheel_guard`, kept in the application's ``WHEEL_GUARD_PROPERTY``),
    so the guard needs no application-wide filter."""

    guards_wheel = True

    def __init__(self) -> None:
        super().__init__("Fusion")

    def polish(self, target):  # type: ignore[no-untyped-def,override]
        result = super().polish(target)
        if isinstance(target, QWidget):
            _polish_widget(target)
            if isinstance(target, (QComboBox, QAbstractSpinBox)):
                app = QApplication.instance()
                guard = app.property(WHEEL_GUARD_PROPERTY) if app is not None else None
                if guard is not None:
                    guard.watch(target)
        return result

    def drawPrimitive(  # type: ignore[override]
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_PanelLineEdit and isinstance(widget, QLineEdit):
            if getattr(option, "lineWidth", 0) > 0:
                border = option.palette.color(QPalette.ColorRole.Mid)
                if widget.property("invalid") is True:
                    border = QColor(current().invalid_border)
                _rounded(painter, QRectF(option.rect), 4, border, option.palette.base())
                return
        elif element == QStyle.PrimitiveElement.PE_FrameTabWidget:
            painter.save()
            painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
            painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
            painter.restore()
            return
        super().drawPrimitive(element, option, painter, widget)

    def drawControl(  # type: ignore[override]
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.ControlElement.CE_ToolBar:
            return  # flat: no gradient and no line under it
        if element == QStyle.ControlElement.CE_Splitter and isinstance(widget, QSplitter):
            # a splitter's handle is a 1 px line; a dock separator keeps Fusion's grip
            painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.Mid))
            return
        if element == QStyle.ControlElement.CE_ShapedFrame and widget is not None:
            box = widget.property(_BOX)
            if box is not None:
                border = option.palette.color(QPalette.ColorRole.Mid)
                if box == "card":
                    _rounded(painter, QRectF(option.rect), 6, border)
                else:
                    _rounded(painter, QRectF(option.rect), 4, border, option.palette.base())
                return
        super().drawControl(element, option, painter, widget)
