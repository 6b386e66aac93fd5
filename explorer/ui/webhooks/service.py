"""The inbox for the window: the core listener and store behind Qt signals.

:class:`InboxService` owns one :class:`~explorer.core.inbox.store.InboxStore` and, while
it runs, one :class:`~explorer.core.inbox.listener.InboxListener`. Everything that can
take time (binding and reading the description's webhook schemas, stopping, reading the
store, replaying, sending samples) runs on a worker; results come back as signals on the
GUI thread. A delivery recorded on the listener's thread reaches the GUI thread through
the queued :attr:`arrived` signal, so the window never waits for the network.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from explorer.core.inbox.events import ordering_note, sample_delivery
from explorer.core.inbox.listener import InboxConfig, InboxListener
from explorer.core.inbox.model import Delivery, EndpointAnswer, WebhookCredentials
from explorer.core.inbox.replay import deliver
from explorer.core.inbox.store import DeliveryFilter, InboxError, InboxStore
from explorer.ui.workers import TaskRunner

RECENT_LIMIT = 1000


@dataclass(frozen=True)
class Started:
    url: str
    host: str
    port: int


@dataclass(frozen=True)
class Stopped:
    received: int


@dataclass(frozen=True)
class Loaded:
    deliveries: list[Delivery]


@dataclass(frozen=True)
class Detail:
    delivery: Delivery
    ordering: str


@dataclass(frozen=True)
class Replayed:
    delivery_id: int | None
    event_type: str
    answer: EndpointAnswer


@dataclass(frozen=True)
class SampleSent:
    event_type: str
    note: str
    answer: EndpointAnswer


class InboxService(QObject):
    """The window's inbox: start/stop, recent deliveries, details, replay, samples."""

    arrived = Signal(object)  # Delivery, as stored (redacted), on the GUI thread
    started = Signal(object)  # Started
    stopped = Signal(object)  # Stopped
    loaded = Signal(object)  # Loaded
    detail_loaded = Signal(object)  # Detail
    replayed = Signal(object)  # Replayed
    sample_sent = Signal(object)  # SampleSent
    failed = Signal(str)  # words for the user

    def __init__(self, store_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store_path = store_path
        self._store: InboxStore | None = None
        self._listener: InboxListener | None = None
        self._config = InboxConfig()
        self._lock = threading.Lock()
        self.runner = TaskRunner(self, latest_only=False, max_workers=2)
        self.runner.finished.connect(self.on_runner_finished)
        self.runner.failed.connect(self.on_runner_failed)

    # -- state ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._listener is not None and self._listener.running

    @property
    def url(self) -> str:
        return self._listener.url if self._listener is not None else ""

    @property
    def config(self) -> InboxConfig:
        return self._config

    def configure(self, config: InboxConfig) -> None:
        """Use ``config`` from now on (a running listener takes it at once)."""
        self._config = config
        if self._listener is not None:
            self._listener.configure(config)

    def _open_store(self) -> InboxStore:
        with self._lock:
            if self._store is None:
                self._store = InboxStore(self.store_path)
            return self._store

    # -- work on the runner -----------------------------------------------------------------
    def start(self, host: str, port: int) -> None:
        config = self._config

        def run(_cancel: threading.Event) -> Started:
            store = self._open_store()
            listener = InboxListener(
                store,
                host=host,
                port=port,
                config=config,
                on_delivery=self.arrived.emit,
                on_error=self.failed.emit,
            )
            listener.start()
            self._listener = listener
            return Started(url=listener.url, host=host, port=listener.port)

        self.runner.submit(run)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is None:
            return

        def run(_cancel: threading.Event) -> Stopped:
            listener.stop()
            return Stopped(received=listener.received)

        self.runner.submit(run)

    def load_recent(self, where: DeliveryFilter | None = None) -> None:
        def run(_cancel: threading.Event) -> Loaded:
            return Loaded(self._open_store().list(where, limit=RECENT_LIMIT))

        self.runner.submit(run)

    def load_detail(self, delivery_id: int) -> None:
        def run(_cancel: threading.Event) -> Detail | None:
            store = self._open_store()
            delivery = store.get(delivery_id)
            if delivery is None:
                return None
            arrival = store.negotiation_arrival(delivery.negotiation_id)
            return Detail(delivery=delivery, ordering=ordering_note(delivery, arrival))

        self.runner.submit(run)

    def replay(self, delivery: Delivery, url: str, credentials: WebhookCredentials | None) -> None:
        def run(_cancel: threading.Event) -> Replayed:
            answer = deliver(
                url,
                delivery.body,
                delivery.headers,
                credentials=credentials,
                method=delivery.method,
            )
            return Replayed(delivery_id=delivery.id, event_type=delivery.event_type, answer=answer)

        self.runner.submit(run)

    def send_sample(self, event_type: str, business_id: str = "") -> None:
        """A sample of ``event_type`` delivered to the running inbox, with the configured
        credentials, as Thumbtack would send it."""
        url = self.url
        credentials = self._config.credentials
        if not url:
            self.failed.emit("Start the inbox first: the sample is delivered to it.")
            return

        def run(_cancel: threading.Event) -> SampleSent:
            sample = sample_delivery(event_type, business_id=business_id or None)
            answer = deliver(url, sample.body, sample.headers, credentials=credentials)
            return SampleSent(event_type=event_type, note=sample.note, answer=answer)

        self.runner.submit(run)

    @Slot(int, object)
    def on_runner_finished(self, _task_id: int, result: object) -> None:
        signal: Any = {
            Started: self.started,
            Stopped: self.stopped,
            Loaded: self.loaded,
            Detail: self.detail_loaded,
            Replayed: self.replayed,
            SampleSent: self.sample_sent,
        }.get(type(result))
        if signal is not None:
            signal.emit(result)

    @Slot(int, object)
    def on_runner_failed(self, _task_id: int, exc: object) -> None:
        if isinstance(exc, OSError) and exc.strerror:
            self.failed.emit(exc.strerror)
        elif isinstance(exc, InboxError | ValueError | KeyError):
            self.failed.emit(str(exc).strip("'\""))
        else:
            self.failed.emit(f"The inbox failed: {exc}")

    def shutdown(self) -> None:
        """Stop listening and close the store (at window close; waits briefly)."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop(timeout=2.0)
        self.runner.shutdown()
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
