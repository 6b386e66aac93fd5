"""Running work off the GUI thread: the program's one thread policy.

**The policy.** Work that would hold up the window runs on one of two process-wide
thread pools, chosen by what the work waits on (:class:`Lane`):

* ``Lane.IO`` (up to :data:`IO_THREADS` threads): requests, token fetches, SQLite and
  file reads and writes, the webhook receiver's controls. These threads mostly wait on
  sockets and disks, which lets go of the interpreter's lock, so several run at once.
* ``Lane.CPU`` (:data:`CPU_THREADS` threads): Python computing: decoding, pretty-printing
  and lexing bodies, reading API descriptions, validation. Python runs one such thread at
  a time anyway; a small pool keeps them from queueing behind the network and from
  starving the GUI thread of the lock (see :data:`SWITCH_INTERVAL_S`).

Nothing else in the window makes threads or pools. Work whose order matters (the history
and settings writers, saved requests) asks for a *serial* runner: its tasks run one after
another, in order, on the shared pool (:class:`SerialExecutor`), instead of on a pool of
its own. Work that would hold the lock for long stretches however it is threaded (the
contract verdict on a body of megabytes) goes to a separate process
(:func:`explorer.core.contract.check_response`).

**Delivering results.** :class:`TaskRunner` runs each task on its lane, gives it an id,
and delivers the result through a queued signal to an object living on the GUI thread,
to that task's own callbacks. With ``latest_only`` only the newest task's result is
delivered; a late result of an older or cancelled one is dropped. A stream of partial
results (a body shown while it is still being formatted) is the one other pattern: a
serial executor's task fills a queue that the GUI thread drains a few milliseconds per
timer turn (:class:`~explorer.ui.response.body_view.BodyView`).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]

#: How often the interpreter may switch threads (Python's default is 5 ms). The GUI thread
#: shares the GIL with the workers (a large body is decoded and lexed on one): every Qt
#: call that returns to Python waits for a worker to let go, so a short interval bounds
#: that wait and keeps the window responsive while a worker is busy.
SWITCH_INTERVAL_S = 0.0005
#: threads of the lane for waiting work (network, disk)
IO_THREADS = 8
#: threads of the lane for Python computing
CPU_THREADS = 2


class Lane(StrEnum):
    """Which shared pool a task runs on (see the module's policy)."""

    IO = "io"
    CPU = "cpu"


_POOLS: dict[Lane, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def pool_for(lane: Lane) -> ThreadPoolExecutor:
    """The process-wide pool of ``lane`` (made on first use)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(lane)
        if pool is None:
            size = IO_THREADS if lane is Lane.IO else CPU_THREADS
            pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix=f"explorer-{lane}")
            _POOLS[lane] = pool
        return pool


class SerialExecutor:
    """Runs callables one after another, in the order given, on a shared lane: the
    order of a single-thread pool without a thread of its own."""

    def __init__(self, lane: Lane = Lane.IO) -> None:
        self.lane = lane
        self._lock = threading.Lock()
        self._waiting: deque[Callable[[], object]] = deque()
        self._running = False
        self._closed = False

    def submit(self, fn: Callable[[], object]) -> None:
        with self._lock:
            if self._closed:
                return
            self._waiting.append(fn)
            if self._running:
                return
            self._running = True
        pool_for(self.lane).submit(self._drain)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._waiting or self._closed:
                    self._running = False
                    self._waiting.clear()
                    return
                fn = self._waiting.popleft()
            try:
                fn()
            except BaseException:  # a task reports its own failure; the order goes on
                log.exception("a serial task failed")

    def shutdown(self) -> None:
        """Drop what has not started; the running task finishes."""
        with self._lock:
            self._closed = True
            self._waiting.clear()


def share_the_gil_with_workers() -> None:
    """Set the process-wide switch interval once, at start-up (see ``SWITCH_INTERVAL_S``)."""
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


class TaskRunner(QObject):
    """Runs callables on a shared lane; results come back on the GUI thread.

    ``submit(fn)`` calls ``fn(cancel_event)`` on a worker and returns an id. When it
    finishes, ``finished(id, result)`` is emitted on the GUI thread, or ``failed(id, exc)``
    if it raised. ``cancel(id)`` sets the event and emits ``cancelled(id)`` at once.
    With ``latest_only``, only the newest task's result is delivered. With ``serial``,
    tasks run one at a time in the order submitted.

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
        latest_only: bool = True,
        lane: Lane = Lane.IO,
        serial: bool = False,
    ) -> None:
        super().__init__(parent)
        self.lane = lane
        self._serial = SerialExecutor(lane) if serial else None
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

        if self._serial is not None:
            self._serial.submit(run)
        else:
            pool_for(self.lane).submit(run)
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
        """Cancel this runner's tasks (the shared pools stay, for the other runners)."""
        self.cancel()
        if self._serial is not None:
            self._serial.shutdown()
