"""Help ▸ Help (F1), Help ▸ Keyboard shortcuts (Ctrl+/) and the troubleshooting guide.

:class:`HelpFeature` makes the actions; the window places them in its menus and gives a
``context`` callable saying which topic (and anchor) fits what has the focus, so F1 on the
status badge opens that status's row and F1 on the explanation opens its error's entry.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QWidget

from explorer.core.status import TROUBLESHOOTING_URL
from explorer.ui.help.shortcuts import ShortcutSheet
from explorer.ui.help.view import HelpView


class HelpFeature(QObject):
    """The help actions of ``window``; ``context()`` gives (topic id, anchor) for F1."""

    def __init__(
        self,
        window: QWidget,
        *,
        context: Callable[[], tuple[str, str]],
        open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or window)
        self._window = window
        self._context = context
        self._open_url = open_url
        self.view: HelpView | None = None
        self.sheet: ShortcutSheet | None = None
        self.help_action = QAction("&Help", window)
        self.help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.help_action.setToolTip("Help on what has the focus, offline (F1)")
        self.help_action.triggered.connect(self.on_help)
        self.shortcuts_action = QAction("&Keyboard shortcuts", window)
        self.shortcuts_action.setShortcut(QKeySequence("Ctrl+/"))
        self.shortcuts_action.triggered.connect(self.on_shortcuts)
        self.guide_action = QAction("Troubleshooting guide on the &web", window)
        self.guide_action.triggered.connect(self.on_guide)
        self.actions = [self.help_action, self.shortcuts_action, self.guide_action]

    def _help_view(self) -> HelpView:
        if self.view is None:
            self.view = HelpView(self._window, open_url=self._open_url)
        return self.view

    @Slot()
    def on_help(self) -> None:
        topic, anchor = self._context()
        view = self._help_view()
        if not view.show_topic(topic, anchor):
            view.show_topic(next(iter(view.topics)))
        view.show()
        view.activateWindow()
        view.browser.setFocus()

    @Slot()
    def on_shortcuts(self) -> None:
        if self.sheet is None:
            self.sheet = ShortcutSheet(self._window)
        self.sheet.show()
        self.sheet.activateWindow()
        self.sheet.filter.setFocus()

    @Slot()
    def on_guide(self) -> None:
        view = self._help_view()
        view.show()
        view.open_external(QUrl(TROUBLESHOOTING_URL))
