"""The window's bridge to the history database: every use runs on one worker thread.

:class:`HistoryService` opens the :class:`~explorer.core.history.HistoryStore`, records
each finished exchange, searches, loads, prunes and closes it, always off the GUI thread
(one worker, so writes keep their order). Results come back as signals on the GUI thread.
A damaged database is reported through ``damaged`` with the path it was set aside to.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from explorer.core.history import HistoryError, HistoryLimits, HistoryStore
from explorer.core.models import Explanation, ResponseRecord
from explorer.ui.workers import TaskRunner

log = logging.getLogger(__name__)


class Purpose(StrEnum):
    """Why an exchange is loaded from the history."""

    OPEN = "open"
    RESEND = "resend"
    EXPORT = "export"
    COMPARE = "compare"


class HistoryService(QObject):
    """Owns the history store of one window and runs all its work on a worker thread."""

    opened = Signal()
    damaged = Signal(object)  # HistoryError (with .backup), after opening or during use
    failed = Signal(str)  # a problem in words
    recorded = Signal(int)  # id of the new exchange
    results = Signal(list)  # list[ExchangeSummary]: the first page of the newest search
    page = Signal(list)  # list[ExchangeSummary]: the next (older) page of that search
    newer = Signal(list)  # list[ExchangeSummary]: exchanges recorded since its first row
    loaded = Signal(object, str)  # Exchange, Purpose
    limits_loaded = Signal(object)  # HistoryLimits
    pruned = Signal(int)  # how many exchanges went

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.store: HistoryStore | None = None
        self.damage: HistoryError | None = None
        self._latest_search = 0
        self._generation = 0  # which search a page or the newer rows belong to
        self._closed = threading.Event()
        self._closing = False
        self.runner = TaskRunner(self, latest_only=False, serial=True)
        self.runner.finished.connect(self.on_runner_finished)
        self.runner.failed.connect(self.on_runner_failed)

    # ----- work submitted to the worker --------------------------------------------------
    def _submit(self, kind: str, work: Callable[[], Any]) -> int:
        return self.runner.submit(lambda _cancel: (kind, work()))

    def open(self) -> int:
        def work() -> HistoryStore:
            store = HistoryStore(self.path)
            self.store = store
            return store

        return self._submit("open", work)

    def _require(self) -> HistoryStore:
        if self.store is None:
            raise HistoryError(self.path, "it is not open")
        return self.store

    def record(
        self,
        record: ResponseRecord,
        *,
        explanation: Explanation | None,
        environment: str,
        profile: str,
        known_secrets: Iterable[str],
        contract: Mapping[str, Any] | None = None,
    ) -> int:
        """Store one exchange (the store redacts it before writing)."""
        secrets = tuple(known_secrets)

        def work() -> int:
            return self._require().add(
                record,
                explanation=explanation,
                environment=environment,
                profile=profile,
                known_secrets=secrets,
                contract=contract,
            )

        return self._submit("recorded", work)

    def search(
        self,
        *,
        endpoint: str | None,
        status: str | None,
        text: str | None,
        limit: int = 200,
        before_id: int | None = None,
        after_id: int | None = None,
    ) -> int:
        """The newest ``limit`` matches (``results``); with ``before_id`` the page older
        than that id (``page``), with ``after_id`` those newer than it (``newer``). A page
        or newer rows of an older search are dropped when they arrive."""
        kind = "page" if before_id is not None else "newer" if after_id is not None else "results"
        if kind == "results":
            self._generation += 1
        generation = self._generation

        def work() -> tuple[int, list[Any]]:
            found = self._require().search(
                endpoint=endpoint,
                status=status,
                text=text,
                limit=limit,
                before_id=before_id,
                after_id=after_id,
            )
            return generation, found

        task = self._submit(kind, work)
        if kind == "results":
            self._latest_search = task
        return task

    def load(self, exchange_id: int, purpose: Purpose) -> int:
        def work() -> tuple[Any, str]:
            exchange = self._require().get(exchange_id)
            if exchange is None:
                raise HistoryError(self.path, f"exchange {exchange_id} is no longer there")
            return exchange, purpose.value

        return self._submit("loaded", work)

    def load_many(self, exchange_ids: list[int], purpose: Purpose) -> int:
        """Load several exchanges at once: ``loaded`` gets the list of them, in order."""

        def work() -> tuple[Any, str]:
            store = self._require()
            found = []
            for exchange_id in exchange_ids:
                exchange = store.get(exchange_id)
                if exchange is None:
                    raise HistoryError(self.path, f"exchange {exchange_id} is no longer there")
                found.append(exchange)
            return found, purpose.value

        return self._submit("loaded", work)

    def load_limits(self) -> int:
        return self._submit("limits", lambda: self._require().limits())

    def set_limits(self, limits: HistoryLimits) -> int:
        return self._submit("pruned", lambda: self._require().set_limits(limits))

    def prune(self) -> int:
        return self._submit("pruned", lambda: self._require().prune())

    def close(self, timeout_s: float = 5.0) -> None:
        """Finish the writes already queued, then close the database (once)."""
        if self._closing:
            return
        self._closing = True

        def work() -> None:
            try:
                if self.store is not None:
                    self.store.close()
            finally:
                self._closed.set()

        self.runner.submit(lambda _cancel: work())
        if not self._closed.wait(timeout_s):
            log.warning("the history did not close within %s s", timeout_s)
        self.runner.shutdown()

    # ----- results on the GUI thread ----------------------------------------------------
    @Slot(int, object)
    def on_runner_finished(self, task_id: int, result: object) -> None:
        if not isinstance(result, tuple) or len(result) != 2:
            return
        kind, payload = result
        if kind == "open":
            assert isinstance(payload, HistoryStore)
            self.damage = payload.damage
            if payload.damage is not None:
                self.damaged.emit(payload.damage)
            self.opened.emit()
        elif kind == "recorded":
            self.recorded.emit(int(payload))
        elif kind in ("results", "page", "newer"):
            generation, rows = payload
            if generation != self._generation:
                return  # a newer search replaced the list these rows belong to
            if kind == "results" and task_id == self._latest_search:
                self.results.emit(list(rows))
            elif kind == "page":
                self.page.emit(list(rows))
            elif kind == "newer":
                self.newer.emit(list(rows))
        elif kind == "loaded":
            exchange, purpose = payload
            self.loaded.emit(exchange, purpose)
        elif kind == "limits":
            self.limits_loaded.emit(payload)
        elif kind == "pruned":
            self.pruned.emit(int(payload))

    @Slot(int, object)
    def on_runner_failed(self, _task_id: int, exc: object) -> None:
        if isinstance(exc, HistoryError):
            if exc.backup is not None:
                self.damage = exc
                self.damaged.emit(exc)
            else:
                self.failed.emit(str(exc))
            return
        if isinstance(exc, ValueError):
            self.failed.emit(str(exc))
            return
        log.error("history work failed", exc_info=exc if isinstance(exc, BaseException) else None)
        self.failed.emit(f"The history could not be used: {exc}")
