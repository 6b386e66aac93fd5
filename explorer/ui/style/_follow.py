"""Keeps a widget's own colours (style sheets, painted marks) in step with the theme."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from explorer.ui.style.palette import Palette


class ThemeFollower(QObject):
    """Child of ``widget``: restyles it now and on every application palette change
    (Qt sends ``ApplicationPaletteChange`` to every widget when the theme is applied)."""

    def __init__(self, widget: QWidget, restyle: Callable[[Palette], None]) -> None:
        super().__init__(widget)
        self._restyle = restyle
        widget.installEventFilter(self)
        self.restyle()

    def restyle(self) -> None:
        from explorer.ui.style.palette import current

        self._restyle(current())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self.restyle()
        return False
