"""Keeps what the user typed per endpoint: in memory at once, on disk shortly after.

Owns :class:`DraftKeeper`, the window's side of :class:`explorer.core.drafts.DraftStore`:
every edit is remembered in memory immediately (switching endpoints never loses it), and
written to the drafts file after a short pause and when the window closes. A draft equal
to the endpoint's example is not kept, so untouched endpoints follow the description.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.core.builder import RequestInputs
from explorer.core.drafts import DraftStore
from explorer.core.files import DocumentError

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 800


class DraftKeeper(QObject):
    """Drafts of the current catalog; ``problem`` says when the file could not be used."""

    problem = Signal(str)

    def __init__(self, store: DraftStore | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.catalog_name = ""
        self.load_problem = ""
        self._memory: dict[tuple[str, str], RequestInputs | None] = {}
        self._dirty: set[tuple[str, str]] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        if store is not None:
            try:
                store.load()
            except DocumentError as exc:
                self.load_problem = f"Your saved drafts could not be read and were set aside: {exc}"
                log.warning("%s", self.load_problem)

    def get(self, endpoint_key: str) -> RequestInputs | None:
        slot = (self.catalog_name, endpoint_key)
        if slot in self._memory:
            return self._memory[slot]
        return self.store.get(*slot) if self.store is not None else None

    def remember(self, endpoint_key: str, inputs: RequestInputs, example: RequestInputs) -> None:
        slot = (self.catalog_name, endpoint_key)
        value = None if inputs == example else inputs
        if slot in self._memory and self._memory[slot] == value:
            return
        if slot not in self._memory and value is None and self.get(endpoint_key) is None:
            return
        self._memory[slot] = value
        self._dirty.add(slot)
        self._timer.start()

    @property
    def pending(self) -> bool:
        return bool(self._dirty)

    def flush(self) -> None:
        """Write every changed draft now (the window calls this when it closes)."""
        self._timer.stop()
        if self.store is None:
            self._dirty.clear()
            return
        dirty, self._dirty = self._dirty, set()
        try:
            for catalog, key in dirty:
                value = self._memory.get((catalog, key))
                if value is None:
                    self.store.remove(catalog, key)
                else:
                    self.store.put(catalog, key, value)
        except (OSError, DocumentError) as exc:
            self._dirty |= dirty
            message = f"Drafts could not be saved ({exc}); they are kept in memory."
            log.warning("%s", message)
            self.problem.emit(message)
