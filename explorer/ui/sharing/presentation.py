"""Presentation mode and the redaction every view, copy and export of the window uses.

:class:`RedactionContext` is the window's one answer to "what may be shown": a
:class:`~explorer.core.redact.Redactor` (secrets always masked; personal data too while
presentation mode is on) and a ``changed`` signal so views re-render. Every copy action
goes through :meth:`RedactionContext.copy_text`. :class:`PresentationMode` owns the
toggle (toolbar, View menu, Ctrl+Shift+P), the banner, the larger font and the setting.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from explorer.core.models import Explanation
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.ui.style.theme import apply_theme, resolve_dark
from explorer.ui.workers import TaskRunner

if TYPE_CHECKING:
    from explorer.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

PRESENTATION_FONT_SCALE = 1.25
BANNER_TEXT = "Presentation mode: secrets and personal data are masked"


class RedactionContext(QObject):
    """What the window's views may show right now. Emits ``changed`` when that changes."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None, *, presentation: bool = False) -> None:
        super().__init__(parent)
        self._presentation = presentation
        self._known: tuple[str, ...] = ()
        self._redactor = self._build()

    def _build(self) -> Redactor:
        if self._presentation:
            return Redactor(RedactionPolicy.for_presentation(self._known))
        return Redactor(RedactionPolicy.for_storage(self._known))

    @property
    def redactor(self) -> Redactor:
        """The redactor for anything shown, copied or exported now."""
        return self._redactor

    @property
    def presentation(self) -> bool:
        return self._presentation

    @property
    def known_secrets(self) -> tuple[str, ...]:
        return self._known

    def set_presentation(self, on: bool) -> None:
        if on != self._presentation:
            self._presentation = on
            self._redactor = self._build()
            self.changed.emit()

    def set_known_secrets(self, values: Iterable[str | None]) -> None:
        """The current profile's client secret and tokens, masked wherever they appear."""
        known = tuple(sorted({v for v in values if v}))
        if known != self._known:
            self._known = known
            self._redactor = self._build()
            self.changed.emit()

    def redact_explanation(self, explanation: Explanation | None) -> Explanation | None:
        """An explanation whose texts (cause, fix, matched fragments) are redacted."""
        if explanation is None:
            return None
        text = self._redactor.redact_text
        return dataclasses.replace(
            explanation,
            title=text(explanation.title),
            cause=text(explanation.cause),
            fix=tuple(text(step) for step in explanation.fix),
            matched=tuple(text(part) for part in explanation.matched),
        )

    def copy_text(self, text: str) -> str:
        """Put ``text`` on the clipboard, redacted as the screen is; returns what was copied."""
        return copy_text(text, self._redactor)


def copy_text(text: str, redactor: Redactor) -> str:
    """The one clipboard writer of the window: ``text`` through ``redactor``.

    Callers pass an identity redactor only for an explicit "with secrets" action.
    """
    safe = redactor.redact_text(text)
    QApplication.clipboard().setText(safe)
    return safe


class PresentationMode(QObject):
    """The presentation-mode toggle of one window: action, banner, font scale, setting."""

    toggled = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.context = window.redaction
        self.saver = TaskRunner(self, latest_only=True, max_workers=1)
        self.saver.failed.connect(self.on_saver_failed)
        self.action = QAction("&Presentation mode", window, checkable=True)
        self.action.setObjectName("presentationAction")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.action.setToolTip(
            "Presentation mode (Ctrl+Shift+P): mask secrets and personal data and use a "
            "larger font, for screen-shares"
        )
        self.action.setChecked(self.context.presentation)
        self.action.toggled.connect(self.on_action_toggled)
        window.addAction(self.action)
        window.toolbar.addSeparator()
        window.toolbar.addAction(self.action)
        button = window.toolbar.widgetForAction(self.action)
        if button is not None:
            button.setObjectName("presentationButton")
            button.setStyleSheet(
                "QToolButton:checked { background: #b3261e; color: white; border-radius: 4px; }"
            )
        window.view_menu.addSeparator()
        window.view_menu.addAction(self.action)
        self._show_banner(self.context.presentation)

    @property
    def on(self) -> bool:
        return self.context.presentation

    def set_on(self, on: bool) -> None:
        self.action.setChecked(on)

    @Slot(bool)
    def on_action_toggled(self, on: bool) -> None:
        scale = PRESENTATION_FONT_SCALE if on else 1.0
        window = self.window
        window.settings = window.settings.with_changes(presentation_mode=on, font_scale=scale)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, dark=resolve_dark(window.settings.theme), font_scale=scale)
        self._show_banner(on)
        self.context.set_presentation(on)
        settings, store = window.settings, window.services.settings_store
        self.saver.submit(lambda _cancel: store.save(settings))
        window.statusBar().showMessage(
            "Presentation mode on: secrets and personal data are masked everywhere."
            if on
            else "Presentation mode off: secrets stay masked; personal data is shown.",
            5000,
        )
        self.toggled.emit(on)

    def _show_banner(self, on: bool) -> None:
        banner = self.window.banner
        banner.setText(f"\N{FISHEYE}  {BANNER_TEXT}  ·  Ctrl+Shift+P to turn off")
        banner.setVisible(on)

    @Slot(int, object)
    def on_saver_failed(self, _task_id: int, exc: object) -> None:
        log.warning("could not save settings: %s", exc)
        self.window.statusBar().showMessage(
            f"Presentation mode could not be remembered: {exc}", 10000
        )
