"""Only a focused editor takes the mouse wheel.

Scrolling a form with the wheel must not change the combo box or spin box that happens
to pass under the pointer. :class:`WheelGuard` (an application-wide event filter) hands
a wheel event over an unfocused combo box or spin box to the widget's parent, so the
form scrolls; once the user clicks or tabs into the editor, the wheel changes it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

_GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    """Passes wheel events over unfocused value editors on to their parents."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, _GUARDED):
            return False
        if event.type() == QEvent.Type.Polish:
            # The wheel passing over must not focus it either (Qt's WheelFocus would).
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if event.type() != QEvent.Type.Wheel:
            return False
        if watched.hasFocus() or isinstance(watched.parent(), QAbstractSpinBox | QComboBox):
            return False
        area = _scroll_area_of(watched)
        if area is not None and isinstance(event, QWheelEvent):
            viewport = area.viewport()
            position = viewport.mapFromGlobal(event.globalPosition())
            passed = QWheelEvent(
                position,
                event.globalPosition(),
                event.pixelDelta(),
                event.angleDelta(),
                event.buttons(),
                event.modifiers(),
                event.phase(),
                event.inverted(),
            )
            QApplication.sendEvent(viewport, passed)
        return True


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install one guard on ``app`` (a second call returns the first)."""
    existing = app.property("explorer_wheel_guard")
    if isinstance(existing, WheelGuard):
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    app.setProperty("explorer_wheel_guard", guard)
    return guard
