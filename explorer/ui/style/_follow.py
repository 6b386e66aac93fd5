"""Keeps a widget's own colours (style sheets, painted marks) in step with the theme."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


class ThemeFollower(QObject):
    """Child of ``widget``: restyles it now and on every application palette change
    (Qt sends ``ApplicationPaletteChange`` to every widget when the theme is applied).
    ``shown`` gives the palette now shown (:func:`explorer.ui.style.palette.current`)."""

    def __init__(
        self, widget: QWidget, restyle: Callable[[Any], None], shown: Callable[[], Any]
    ) -> None:
        super().__init__(widget)
        self._restyle = restyle
        self._shown = shown
        widget.installEventFilter(self)
        self.restyle()

    def restyle(self) -> None:
        self._restyle(self._shown())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self.restyle()
        return False
