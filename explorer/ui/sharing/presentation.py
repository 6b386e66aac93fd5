"""Presentation mode: the toggle (toolbar, View menu, Ctrl+Shift+P), the banner, the
larger font and the setting.

:class:`PresentationMode` switches the window's
:class:`~explorer.ui.redaction.RedactionContext` to mask personal data too; the window
places its action in the toolbar and the View menu.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QStatusBar

from explorer.ui.redaction import RedactionContext
from explorer.ui.settings_keeper import SettingsKeeper
from explorer.ui.style.theme import apply_theme, resolve_palette

PRESENTATION_FONT_SCALE = 1.25
BANNER_TEXT = "Presentation mode: secrets and personal data are masked"


class PresentationMode(QObject):
    """The presentation-mode toggle of one window: action, banner, font scale, setting."""

    toggled = Signal(bool)

    def __init__(
        self,
        redaction: RedactionContext,
        settings: SettingsKeeper,
        *,
        banner: QLabel,
        status: QStatusBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = redaction
        self.settings = settings
        self.banner = banner
        self.status = status
        self.action = QAction("&Presentation mode", parent, checkable=True)
        self.action.setObjectName("presentationAction")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.action.setToolTip(
            "Presentation mode (Ctrl+Shift+P): mask secrets and personal data and use a "
            "larger font, for screen-shares"
        )
        self.action.setChecked(self.context.presentation)
        self.action.toggled.connect(self.on_action_toggled)
        self._show_banner(self.context.presentation)

    @property
    def on(self) -> bool:
        return self.context.presentation

    def set_on(self, on: bool) -> None:
        self.action.setChecked(on)

    @Slot(bool)
    def on_action_toggled(self, on: bool) -> None:
        scale = PRESENTATION_FONT_SCALE if on else 1.0
        settings = self.settings.change(presentation_mode=on, font_scale=scale)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, palette=resolve_palette(settings.theme), font_scale=scale)
        self._show_banner(on)
        self.context.set_presentation(on)
        self.settings.save("Presentation mode")
        self.status.showMessage(
            "Presentation mode on: secrets and personal data are masked everywhere."
            if on
            else "Presentation mode off: secrets stay masked; personal data is shown.",
            5000,
        )
        self.toggled.emit(on)

    def _show_banner(self, on: bool) -> None:
        self.banner.setText(f"\N{FISHEYE}  {BANNER_TEXT}  ·  Ctrl+Shift+P to turn off")
        self.banner.setVisible(on)
