"""The window's settings in memory and the one place they are written from.

Features change the settings through :class:`SettingsKeeper` and ask it to save; it
writes on one worker, newest snapshot last, and :meth:`SettingsKeeper.save_now` (on close)
writes synchronously after any queued write, under the same lock, so a late background
write can never replace what was saved on close.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from explorer.core.settings import Settings, SettingsStore
from explorer.ui.workers import TaskRunner

log = logging.getLogger(__name__)


class SettingsKeeper(QObject):
    """Holds the current :class:`Settings`; the only writer of the settings file."""

    problem = Signal(str)  # a write failed: what to tell the user

    def __init__(
        self, store: SettingsStore, settings: Settings, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._settings = settings
        self._lock = threading.Lock()
        self._runner = TaskRunner(self, latest_only=False, serial=True)
        self._runner.failed.connect(self._on_failed)
        self._runner.finished.connect(lambda task_id, _result: self._what.pop(task_id, None))
        self._what: dict[int, str] = {}

    @property
    def current(self) -> Settings:
        return self._settings

    def change(self, **changes: Any) -> Settings:
        """Change the settings in memory (see :meth:`save`)."""
        self._settings = self._settings.with_changes(**changes)
        return self._settings

    def save(self, what: str = "") -> None:
        """Write the current settings on the worker; ``what`` names the change in the
        message shown if the write fails ("Presentation mode could not be remembered")."""
        snapshot, store, lock = self._settings, self.store, self._lock

        def write(cancel: threading.Event) -> None:
            with lock:
                if not cancel.is_set():
                    store.save(snapshot)

        self._what[self._runner.submit(write)] = what

    def save_now(self) -> None:
        """Write the current settings now, on this thread (the window is closing)."""
        self._runner.shutdown()  # queued writes are dropped: this one is newer
        with self._lock:
            try:
                self.store.save(self._settings)
            except OSError as exc:
                log.warning("could not save settings: %s", exc)

    @Slot(int, object)
    def _on_failed(self, task_id: int, exc: object) -> None:
        log.warning("could not save settings: %s", exc)
        what = self._what.pop(task_id, "")
        subject = what or "The settings"
        self.problem.emit(f"{subject} could not be remembered: {exc}")
