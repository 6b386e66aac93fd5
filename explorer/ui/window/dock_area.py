"""Where the window's side docks go: History, Saved requests and the Token panel.

:class:`DockArea` owns their placement so that opening a dock never squeezes the main
panels below their minimum sizes. A dock opens beside the panels when the window leaves
room for it, and below them otherwise; a dock opened while another of them is open joins
it as a tab, so the three share one area instead of taking a column each.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget

#: Narrower than this, docks open below the panels even when they would just fit beside.
NARROW_WINDOW = 1100
#: The most a dock beside the panels takes, and the least a dock below them takes.
MAX_SIDE_WIDTH = 420
MIN_BOTTOM_HEIGHT = 180
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


class DockArea(QObject):
    """Places the window's docks when they open; remembers nothing between runs."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.docks: list[QDockWidget] = []
        self._open: set[str] = set()
        self._placing = False
        window.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        window.installEventFilter(self)

    def add(self, dock: QDockWidget, *, min_width: int = 240) -> None:
        """Adopt ``dock`` (hidden); it is placed each time it is opened."""
        dock.hide()
        dock.setMinimumWidth(min_width)
        self.window.addDockWidget(self._area_for(dock), dock)
        self.docks.append(dock)
        dock.visibilityChanged.connect(lambda visible, d=dock: self.on_visibility(d, visible))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self._park_closed()
        return False

    def _park_closed(self) -> None:
        # A closed dock waits where it will open: showing it in the right area first would
        # widen the window to fit it before it could be moved below the panels.
        for dock in self.docks:
            if dock.isHidden() and not dock.isFloating():
                area = self._area_for(dock)
                if self.window.dockWidgetArea(dock) != area:
                    self.window.addDockWidget(area, dock)

    def _area_for(self, dock: QDockWidget) -> Qt.DockWidgetArea:
        beside = (
            self.window.width() >= NARROW_WINDOW
            and self.side_room() >= dock.minimumSizeHint().width() + 8
        )
        return RIGHT if beside else BOTTOM

    @Slot(object, bool)
    def on_visibility(self, dock: QDockWidget, visible: bool) -> None:
        name = dock.objectName()
        if not visible:
            if dock.isHidden():  # closed, not just behind another tab
                self._open.discard(name)
                self._park_closed()
            return
        if name in self._open or self._placing:
            return
        self._open.add(name)
        if not dock.isFloating():
            self._placing = True
            try:
                self.place(dock)
            finally:
                self._placing = False

    def side_room(self) -> int:
        """Width the window has beside its panels' minimum sizes."""
        central = self.window.centralWidget()
        used = central.minimumSizeHint().width() if central is not None else 0
        return self.window.width() - used

    def place(self, dock: QDockWidget) -> None:
        window = self.window
        sibling = next(
            (
                other
                for other in self.docks
                if other is not dock and not other.isHidden() and not other.isFloating()
            ),
            None,
        )
        if sibling is not None:
            window.tabifyDockWidget(sibling, dock)
            dock.show()
            dock.raise_()
            return
        beside = (
            window.width() >= NARROW_WINDOW
            and self.side_room() >= dock.minimumSizeHint().width() + 8
        )
        area = (
            Qt.DockWidgetArea.RightDockWidgetArea
            if beside
            else Qt.DockWidgetArea.BottomDockWidgetArea
        )
        if window.dockWidgetArea(dock) != area:
            window.addDockWidget(area, dock)
        if beside:
            width = max(dock.minimumSizeHint().width(), min(MAX_SIDE_WIDTH, window.width() // 3))
            window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        else:
            height = max(MIN_BOTTOM_HEIGHT, window.height() // 3)
            window.resizeDocks([dock], [height], Qt.Orientation.Vertical)
