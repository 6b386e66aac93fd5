"""A visible focus ring around whatever has the keyboard focus, in every theme.

Styles draw focus differently per control (a dotted line, a slightly darker frame, nothing
at all on a tree or a label with links); :class:`FocusRing` draws one 2 px ring in the
palette's focus colour (3:1 against every surface) around the focused widget, above it in
its window, so a keyboard user always sees where they are. It ignores the mouse, takes no
focus, hides when the focus came from a mouse click, and follows the widget as it moves.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.style.palette import current

RING = 2  # px


class FocusRing(QWidget):
    """One per application (:func:`install_focus_ring`)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.target: QWidget | None = None

    @Slot(QWidget, QWidget)
    def on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.target is not None:
            self.target.removeEventFilter(self)
        self.target = None
        if new is None or new.isWindow() or QGuiApplication.mouseButtons():
            self.hide()
            return
        window = new.window()
        if self.parentWidget() is not window:
            self.setParent(window)
        self.target = new
        new.installEventFilter(self)
        self._place()

    def _place(self) -> None:
        target, window = self.target, self.parentWidget()
        if target is None or window is None or not target.isVisible():
            self.hide()
            return
        corner = target.mapTo(window, QPoint(0, 0))
        self.setGeometry(QRect(corner, target.size()).adjusted(-RING, -RING, RING, RING))
        self.show()
        self.raise_()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.target and kind in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
        ):
            self._place()
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(QColor(current().focus), RING)
        painter.setPen(pen)
        half = RING / 2
        painter.drawRoundedRect(self.rect().toRectF().adjusted(half, half, -half, -half), 3, 3)
        painter.end()


def install_focus_ring(app: QApplication) -> FocusRing:
    """The application's focus ring (made once)."""
    existing = getattr(app, "_explorer_focus_ring", None)
    if isinstance(existing, FocusRing):
        return existing
    ring = FocusRing()
    app.focusChanged.connect(ring.on_focus_changed)
    app._explorer_focus_ring = ring  # type: ignore[attr-defined]
    return ring
