"""Running work off the GUI thread.

The one off-thread pattern of the window: :class:`TaskRunner` runs each task on a thread
pool, gives it an id, and delivers the result through a queued signal to an object living
on the GUI thread. With ``latest_only`` only the newest task's result is delivered; a late
result of an older or cancelled one is dropped. Requests go through one of these inside
the :class:`~explorer.ui.exchange.ExchangeController`.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]

#: How often the interpreter may switch threads (Python's default is 5 ms). The GUI thread
#: shares the GIL with the workers (a large body is decoded and lexed on one): every Qt
#: call that returns to Python waits for a worker to let go, so a short interval bounds
#: that wait and keeps the window responsive while a worker is busy.
SWITCH_INTERVAL_S = 0.0005


def share_the_gil_with_workers() -> None:
    """Set the process-wide switch interval once, at start-up (see ``SWITCH_INTERVAL_S``)."""
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


class TaskRunner(QObject):
    """Runs callables on worker threads; results come back on the GUI thread.

    ``submit(fn)`` calls ``fn(cancel_event)`` on a worker and returns an id. When it
    finishes, ``finished(id, result)`` is emitted on the GUI thread, or ``failed(id, exc)``
    if it raised. ``cancel(id)`` sets the event and emits ``cancelled(id)`` at once.
    With ``latest_only``, only the newest task's result is delivered.

    ``run(fn, on_done, on_error)`` is ``submit`` with the result going to this task's own
    callbacks (on the GUI thread): no result needs telling apart by its shape. A task
    with an ``on_error`` does not emit ``failed``; a cancelled or dropped task calls
    neither callback.
    """

    started = Signal(int)
    finished = Signal(int, object)
    failed = Signal(int, object)
    cancelled = Signal(int)
    _done = Signal(int, object, object)  # id, result, exception (worker -> GUI thread)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_workers: int = 4,
        latest_only: bool = True,
        pool: ThreadPoolExecutor | None = None,
    ) -> None:
        """``pool``: run on this shared pool (its owner shuts it down) instead of one of
        this runner's own; many runners then cost no more threads than one."""
        super().__init__(parent)
        self._owns_pool = pool is None
        self._pool = pool or ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix="explorer-io"
        )
        self._latest_only = latest_only
        self._next_id = 0
        self._latest = 0
        self._events: dict[int, threading.Event] = {}
        self._callbacks: dict[int, tuple[Done | None, Done | None]] = {}
        self._done.connect(self._on_done)

    @property
    def busy(self) -> bool:
        return bool(self._events)

    def submit(self, fn: Callable[[threading.Event], Any]) -> int:
        self._next_id += 1
        task_id = self._next_id
        self._latest = task_id
        if self._latest_only:
            for older in list(self._events):
                self.cancel(older)
        event = threading.Event()
        self._events[task_id] = event

        def run() -> None:
            try:
                result = fn(event)
            except BaseException as exc:  # reported on the GUI thread, never lost
                self._done.emit(task_id, None, exc)
                return
            self._done.emit(task_id, result, None)

        future: Future[None] = self._pool.submit(run)
        del future
        self.started.emit(task_id)
        return task_id

    def run(
        self,
        fn: Callable[[threading.Event], Any],
        on_done: Done | None = None,
        on_error: Done | None = None,
    ) -> int:
        """Run ``fn(cancel)`` on a worker; ``on_done(result)`` or ``on_error(exc)`` run on
        the GUI thread for this task only."""
        task_id = self.submit(fn)
        self._callbacks[task_id] = (on_done, on_error)
        return task_id

    def cancel(self, task_id: int | None = None) -> None:
        ids = [task_id] if task_id is not None else list(self._events)
        for tid in ids:
            event = self._events.pop(tid, None)
            self._callbacks.pop(tid, None)
            if event is not None:
                event.set()
                self.cancelled.emit(tid)

    @Slot(int, object, object)
    def _on_done(self, task_id: int, result: object, exc: object) -> None:
        event = self._events.pop(task_id, None)
        on_done, on_error = self._callbacks.pop(task_id, (None, None))
        if event is None or event.is_set():
            return  # cancelled: the user already saw "Cancelled"
        if self._latest_only and task_id != self._latest:
            log.debug("dropping the late result of task %s", task_id)
            return
        if exc is not None:
            if on_error is not None:
                on_error(exc)
            else:
                self.failed.emit(task_id, exc)
        else:
            self.finished.emit(task_id, result)
            if on_done is not None:
                on_done(result)

    def shutdown(self) -> None:
        self.cancel()
        if self._owns_pool:
            self._pool.shutdown(wait=False, cancel_futures=True)
