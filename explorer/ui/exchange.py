"""One exchange at a time: send a request, cancel it, the latest result wins, the last
exchange stays at hand.

:class:`ExchangeController` is what the window, the history, the saved requests and the
bundles share instead of the window itself. It sends on its own latest-only
:class:`~explorer.ui.workers.TaskRunner` (classifying and explaining the answer there,
off the GUI thread) and says what happened through typed signals; it shows nothing
itself. Each request tab of the window owns one, so nothing in it is global;
:class:`CurrentExchange` is what the features hold instead: it acts on the current tab's
controller and passes on its signals (and every tab's ``finished``, which the history
records).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot

from explorer.core.models import Explanation, RequestSpec, ResponseRecord
from explorer.core.reopen import sendable
from explorer.core.status import StatusInfo, agreeing, classify
from explorer.ui.workers import TaskRunner

Perform = Callable[[RequestSpec, threading.Event], ResponseRecord]
Explain = Callable[[ResponseRecord], Explanation | None]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShownResponse:
    """A record with its classification and explanation, both computed on the worker."""

    record: ResponseRecord
    status: StatusInfo
    explanation: Explanation | None
    #: the contract verdict (a ContractResult, secrets already masked), when one was made
    contract: Any = None


class ExchangeController(QObject):
    """Sends one request at a time and keeps the last exchange.

    Signals, in the order they come for one request: ``pending(spec)`` as it leaves (the
    spec as sent), then ``settled()`` once it is over, then ``shown(ShownResponse)`` and
    ``finished(ShownResponse)``, or ``failed(exc)``, or ``cancelled()``. ``shown`` also
    comes for a stored exchange put back on screen (:meth:`show`); ``finished`` only for
    an exchange this object completed, which is what the history records.
    """

    pending = Signal(object)  # RequestSpec, as sent
    settled = Signal()  # the request is over, whatever its end
    shown = Signal(object)  # ShownResponse to put on screen
    finished = Signal(object)  # ShownResponse of a request this object completed
    failed = Signal(object)  # the exception the request raised
    cancelled = Signal()

    def __init__(
        self,
        perform: Perform,
        *,
        explain: Explain = lambda _record: None,
        prepare: Callable[[RequestSpec], RequestSpec] = lambda spec: spec,
        variables: Callable[[], Mapping[str, str]] = lambda: {},
        sandbox_base: Callable[[], str] = lambda: "",
        base_url: Callable[[], str] = lambda: "",
        judge: Callable[[ResponseRecord], Any] = lambda _record: None,
        parent: QObject | None = None,
    ) -> None:
        """``perform`` sends (on a worker), ``explain`` explains an answer (on the worker),
        ``prepare`` adjusts each request just before it is sent (the Sandbox fault),
        ``variables`` and ``sandbox_base`` make a stored request sendable again, and
        ``base_url`` is the current environment's API base (a retry moves to it), and
        ``judge`` gives the contract verdict on an answer (on the worker)."""
        super().__init__(parent)
        self._perform = perform
        self._explain = explain
        self._prepare = prepare
        self._variables = variables
        self._sandbox_base = sandbox_base
        self._base_url = base_url
        self._judge = judge
        self.runner = TaskRunner(self, latest_only=True)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.last_record: ResponseRecord | None = None
        self.last_shown: ShownResponse | None = None
        #: (request, base URL): what the user last asked to send, before ``prepare``.
        self.last_asked: tuple[RequestSpec, str] | None = None
        #: the request on its way (as sent), until it is over
        self.in_flight: RequestSpec | None = None

    @property
    def busy(self) -> bool:
        """A request is on its way."""
        return self.runner.busy

    def send(self, spec: RequestSpec) -> int:
        """Send ``spec`` (after ``prepare``); an earlier request still running is cancelled."""
        self.last_asked = (spec, self._base_url())  # what a retry rebuilds from
        spec = self._prepare(spec)
        perform, explain, judge = self._perform, self._explain, self._judge

        def run(cancel: threading.Event) -> ShownResponse:
            # Classifying, explaining and judging parse the body: done here, off the GUI thread.
            record = perform(spec, cancel)
            explanation = explain(record)
            status = agreeing(classify(record), explanation)  # badge and explanation agree
            try:
                contract = judge(record)
            except Exception:  # the verdict is advice: a failure to judge never hides the answer
                log.exception("the contract verdict could not be made")
                contract = None
            return ShownResponse(
                record=record, status=status, explanation=explanation, contract=contract
            )

        task_id = self.runner.submit(run)
        self.in_flight = spec
        self.pending.emit(spec)
        return task_id

    def cancel(self) -> None:
        """Cancel the request on its way, if any; its late answer is dropped."""
        if self.runner.busy:
            self.runner.cancel()

    def show(self, shown: ShownResponse, *, request: RequestSpec | None = None) -> None:
        """Put a stored exchange on screen as the last one; ``request`` (the stored one
        made sendable) is what Retry sends again."""
        self.last_shown = shown
        self.last_record = (
            dataclasses.replace(shown.record, request=request) if request else shown.record
        )
        if request is not None:
            self.last_asked = (request, self._base_url())  # what Retry sends
        self.shown.emit(shown)

    def restore(self, shown: ShownResponse | None, *, request: RequestSpec | None = None) -> None:
        """Take ``shown`` as the last exchange without a signal (a tab coming back after a
        restart; it is put on screen when its tab is shown); ``None`` forgets it."""
        self.last_shown = shown
        self.last_record = None if shown is None else shown.record
        if shown is not None and request is None:
            request = shown.record.request
        self.last_asked = None if request is None else (request, self._base_url())

    def forget(self) -> None:
        """Cancel the request on its way (``cancelled`` says so) and forget the last
        exchange: its tab shows another request now."""
        self.cancel()
        self.in_flight = None
        self.restore(None)

    def retry_spec(self) -> RequestSpec | None:
        """The last request rebuilt from the current state: the user's request (never the
        headers of the answer that failed), on the current base URL; the current token and
        Sandbox fault are added when it is sent."""
        from explorer.core.resend import rebuild_for_retry

        if self.last_asked is None:
            return None
        asked, asked_base = self.last_asked
        return rebuild_for_retry(asked, asked_base=asked_base, current_base=self._base_url())

    def stored(
        self, record: ResponseRecord, explanation: Explanation | None, contract: Any = None
    ) -> ShownResponse:
        """A stored record as a fresh one is shown: classified, with its stored explanation
        or, when none was stored, a new one, and the contract verdict stored with it."""
        found = explanation if explanation is not None else self._explain(record)
        status = agreeing(classify(record), found)
        return ShownResponse(record=record, status=status, explanation=found, contract=contract)

    def sendable(self, spec: RequestSpec) -> RequestSpec:
        """A stored request ready to send now: see :func:`explorer.core.reopen.sendable`."""
        try:
            values: Any = self._variables()
        except Exception:  # a broken variable source must not stop a re-open
            values = {}
        variables = dict(values) if isinstance(values, Mapping) else {}
        return sendable(spec, variables, sandbox_base=self._sandbox_base())

    def on_screen(self, built: RequestSpec | None) -> RequestSpec | None:
        """The request on screen (``built`` from the request panel); when it is the one
        just sent, the sent one, with the Authorization the send added (which saving turns
        into ``{{access_token}}``)."""
        sent = self.last_record.request if self.last_record is not None else None
        if built is None:
            return sent
        if sent is not None and (sent.method, sent.url) == (built.method, built.url):
            return sent
        return built

    def shutdown(self) -> None:
        self.runner.shutdown()

    @Slot(int, object)
    def _on_finished(self, _task_id: int, result: object) -> None:
        self.in_flight = None
        self.settled.emit()
        if isinstance(result, ShownResponse):
            self.last_shown = result
            self.last_record = result.record
            self.shown.emit(result)
            self.finished.emit(result)

    @Slot(int, object)
    def _on_failed(self, _task_id: int, exc: object) -> None:
        self.in_flight = None
        self.settled.emit()
        self.failed.emit(exc)

    @Slot(int)
    def _on_cancelled(self, _task_id: int) -> None:
        self.in_flight = None
        self.settled.emit()
        self.cancelled.emit()


class ExchangeLike(Protocol):
    """What the features use of an exchange: an :class:`ExchangeController`, or the
    window's :class:`CurrentExchange` (the current tab's)."""

    @property
    def busy(self) -> bool: ...

    @property
    def last_record(self) -> ResponseRecord | None: ...

    def send(self, spec: RequestSpec) -> int: ...

    def cancel(self) -> None: ...

    def show(self, shown: ShownResponse, *, request: RequestSpec | None = None) -> None: ...

    def retry_spec(self) -> RequestSpec | None: ...

    def stored(
        self, record: ResponseRecord, explanation: Explanation | None, contract: Any = None
    ) -> ShownResponse: ...

    def sendable(self, spec: RequestSpec) -> RequestSpec: ...

    def on_screen(self, built: RequestSpec | None) -> RequestSpec | None: ...


class CurrentExchange(QObject):
    """The exchange of the current tab, for everything that is not a tab.

    Its methods act on the current tab's :class:`ExchangeController` (a request sent from
    the History, a saved request or a fix goes to the tab on screen). Its signals are
    those of the current tab's controller, except ``finished``, which comes from every
    attached controller: an answer that arrives in a tab in the background is recorded
    too.
    """

    pending = Signal(object)
    settled = Signal()
    shown = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, first: ExchangeController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.current = first
        self.attach(first)

    def attach(self, controller: ExchangeController) -> None:
        """Pass on ``controller``'s signals (those of the current one only, but
        ``finished`` always)."""

        def relay(signal: Any) -> Callable[..., None]:
            def forward(*args: object) -> None:
                if controller is self.current:
                    signal.emit(*args)

            return forward

        controller.pending.connect(relay(self.pending))
        controller.settled.connect(relay(self.settled))
        controller.shown.connect(relay(self.shown))
        controller.failed.connect(relay(self.failed))
        controller.cancelled.connect(relay(self.cancelled))
        controller.finished.connect(self.finished)

    def switch_to(self, controller: ExchangeController) -> None:
        self.current = controller

    @property
    def busy(self) -> bool:
        return self.current.busy

    @property
    def last_record(self) -> ResponseRecord | None:
        return self.current.last_record

    @property
    def last_shown(self) -> ShownResponse | None:
        return self.current.last_shown

    def send(self, spec: RequestSpec) -> int:
        return self.current.send(spec)

    def cancel(self) -> None:
        self.current.cancel()

    def show(self, shown: ShownResponse, *, request: RequestSpec | None = None) -> None:
        self.current.show(shown, request=request)

    def retry_spec(self) -> RequestSpec | None:
        return self.current.retry_spec()

    def stored(
        self, record: ResponseRecord, explanation: Explanation | None, contract: Any = None
    ) -> ShownResponse:
        return self.current.stored(record, explanation, contract)

    def sendable(self, spec: RequestSpec) -> RequestSpec:
        return self.current.sendable(spec)

    def on_screen(self, built: RequestSpec | None) -> RequestSpec | None:
        return self.current.on_screen(built)
