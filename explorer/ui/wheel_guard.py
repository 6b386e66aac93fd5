"""Only a focused editor takes the mouse wheel.

Scrolling a form with the wheel must not change the combo box or spin box that happens
to pass under the pointer. :class:`WheelGuard` hands a wheel event over an unfocused combo
box or spin box to the scroll area around it, so the form scrolls; once the user clicks or
tabs into the editor, the wheel changes it.

The guard watches those editors only, not the application: an application-wide Python
event filter would make every event of every widget (paints, layouts, mouse moves, timers)
call into Python. The program's widget style (:class:`~explorer.ui.style.app_style.AppStyle`)
hands each combo box and spin box to the guard when it polishes it, once per widget; under
another style the guard falls back to an application-wide filter.
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


#: The application property the guard is kept in; the program's style reads it by this
#: name (``AppStyle.polish``) to hand each new editor to the guard.
_PROPERTY = "explorer_wheel_guard"
_WATCHED = "_explorerWheelGuarded"


class WheelGuard(QObject):
    """Passes wheel events over unfocused value editors on to their parents."""

    def __init__(self, parent: QObject | None = None, *, app_wide: bool = False) -> None:
        super().__init__(parent)
        self.app_wide = app_wide

    def watch(self, widget: QWidget) -> None:
        """Guard one combo box or spin box (a second call does nothing)."""
        if not isinstance(widget, _GUARDED) or widget.property(_WATCHED):
            return
        widget.setProperty(_WATCHED, True)
        _no_wheel_focus(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            return isinstance(watched, _GUARDED) and self._pass_on(watched, event)
        if kind == QEvent.Type.Polish and isinstance(watched, _GUARDED):
            _no_wheel_focus(watched)
        return False

    def _pass_on(self, watched: QWidget, event: QEvent) -> bool:
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


def _no_wheel_focus(widget: QWidget) -> None:
    # The wheel passing over must not focus it either (Qt's WheelFocus would).
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def wheel_guard_of(app: QApplication | None) -> WheelGuard | None:
    """The guard installed on ``app``, if any (the style asks, polishing an editor)."""
    found = app.property(_PROPERTY) if app is not None else None
    return found if isinstance(found, WheelGuard) else None


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install one guard for ``app`` (a second call returns the first).

    With a style that hands editors to the guard as it polishes them (it says so with a
    ``guards_wheel`` attribute), the editors that exist now are watched at once and new
    ones as they are polished; otherwise the guard filters the whole application."""
    existing = wheel_guard_of(app)
    if existing is not None:
        return existing
    by_style = bool(getattr(app.style(), "guards_wheel", False))
    guard = WheelGuard(app, app_wide=not by_style)
    app.setProperty(_PROPERTY, guard)
    if by_style:
        for widget in app.allWidgets():
            guard.watch(widget)
    else:
        app.installEventFilter(guard)
    return guard
