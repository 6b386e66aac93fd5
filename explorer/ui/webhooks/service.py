"""The inbox for the window: a listener in its own process, the store behind Qt signals.

:class:`InboxService` runs the listener as a child process (``thumbtack-explorer webhooks
listen --json``), so a burst of hundreds of deliveries is parsed, checked and recorded on
another interpreter and never competes with the window's thread. The child records into
the same SQLite file; each delivery it prints (one JSON line) reaches the GUI thread
through the queued :attr:`arrived` signal. The secret goes to the child on its standard
input, never on its command line, and the child ends when that input closes (with the
window, even if the window is killed). Changing the receiver's settings while it runs
restarts the child on the same port. Everything that can take time (starting, stopping,
reading the store, replaying, sending samples) runs on a worker; results come back as
signals on the GUI thread.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from explorer.core.inbox.events import ordering_note, sample_delivery
from explorer.core.inbox.listener import InboxConfig
from explorer.core.inbox.model import (
    AuthKind,
    Delivery,
    EndpointAnswer,
    WebhookCredentials,
    delivery_from_dict,
)
from explorer.core.inbox.replay import deliver
from explorer.core.inbox.store import DeliveryFilter, InboxError, InboxStore
from explorer.ui.workers import TaskRunner

RECENT_LIMIT = 1000


@dataclass(frozen=True)
class Started:
    url: str
    host: str
    port: int


@dataclass
class _Child:
    process: subprocess.Popen[str]
    started: Started
    config: InboxConfig
    readers: list[threading.Thread]


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
        self._child: _Child | None = None
        self._config = InboxConfig()
        self._lock = threading.Lock()
        self.received = 0
        self.runner = TaskRunner(self, latest_only=False)
        self.runner.finished.connect(self.on_runner_finished)
        self.runner.failed.connect(self.on_runner_failed)

    # -- state ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        with self._lock:
            child = self._child
        return child is not None and child.process.poll() is None

    @property
    def url(self) -> str:
        with self._lock:
            child = self._child
        return child.started.url if child is not None else ""

    @property
    def config(self) -> InboxConfig:
        return self._config

    def configure(self, config: InboxConfig) -> None:
        """Use ``config`` from now on (a running listener restarts on its port with it)."""
        changed = config != self._config
        self._config = config
        with self._lock:
            running = self._child is not None and self._child.config != config
        if changed and running:
            self._restart(config)

    def _open_store(self) -> InboxStore:
        with self._lock:
            if self._store is None:
                self._store = InboxStore(self.store_path)
            return self._store

    # -- the listener process ---------------------------------------------------------------
    def _command(self, host: str, port: int, config: InboxConfig) -> tuple[list[str], str]:
        """The child's command line and what to write to its standard input."""
        program = (
            [sys.executable]
            if getattr(sys, "frozen", False)
            else [sys.executable, "-m", "explorer"]
        )
        args = [
            *program,
            "webhooks",
            "listen",
            "--json",
            "--until-stdin-closes",
            "--host",
            host,
            "--port",
            str(port),
            "--status",
            str(config.answer.status),
            "--delay",
            f"{config.answer.delay_s:g}",
            "--database",
            str(self.store_path),
        ]
        if config.forward_url:
            args += ["--forward", config.forward_url]
        secret = ""
        credentials = config.credentials
        if credentials.kind is AuthKind.BASIC:
            args += ["--username", credentials.name, "--password-stdin"]
            secret = credentials.secret
        elif credentials.kind is AuthKind.HEADER:
            args += ["--header", credentials.name, "--password-stdin"]
            secret = credentials.secret
        return args, secret

    def _spawn(self, host: str, port: int, config: InboxConfig) -> Started:
        args, secret = self._command(host, port, config)
        child = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert child.stdin is not None and child.stdout is not None and child.stderr is not None
        if secret:
            child.stdin.write(secret + "\n")
        child.stdin.flush()
        said: list[str] = []
        url = ""
        for line in child.stderr:
            said.append(line.strip())
            found = re.search(r"listening on (http://\S+/)", line)
            if found:
                url = found.group(1)
                break
        if not url:
            child.wait(10)
            for stream in (child.stdin, child.stdout, child.stderr):
                with contextlib.suppress(OSError):
                    stream.close()
            words = " ".join(part.removeprefix("Error: ") for part in said if part)
            raise OSError(0, words or "The inbox could not start.")
        started = Started(url=url, host=host, port=int(url.rsplit(":", 1)[1].strip("/")))
        readers = [
            threading.Thread(target=self._read, args=(child,), daemon=True),
            threading.Thread(target=self._read_errors, args=(child,), daemon=True),
        ]
        with self._lock:
            self._child = _Child(process=child, started=started, config=config, readers=readers)
        for reader in readers:
            reader.start()
        return started

    def _read(self, child: subprocess.Popen[str]) -> None:
        assert child.stdout is not None
        with child.stdout:
            self._read_lines(child.stdout)

    def _read_lines(self, stream: Iterable[str]) -> None:
        for line in stream:
            try:
                delivery = delivery_from_dict(json.loads(line))
            except (ValueError, TypeError):
                continue
            self.received += 1
            self.arrived.emit(delivery)

    def _read_errors(self, child: subprocess.Popen[str]) -> None:
        assert child.stderr is not None
        with child.stderr:
            for line in child.stderr:
                text = line.strip()
                if text.startswith(("Error:", "Warning:")):
                    self.failed.emit(text.removeprefix("Error: "))

    def _end(self, child: _Child | None, timeout: float = 5.0) -> None:
        if child is None:
            return
        process = child.process
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()  # the child ends when its input closes
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        for reader in child.readers:
            reader.join(5)

    # -- work on the runner -----------------------------------------------------------------
    def start(self, host: str, port: int) -> None:
        config = self._config
        self.received = 0

        def run(_cancel: threading.Event) -> Started:
            return self._spawn(host, port, config)

        self.runner.submit(run)

    def stop(self) -> None:
        with self._lock:
            child, self._child = self._child, None
        if child is None:
            return

        def run(_cancel: threading.Event) -> Stopped:
            self._end(child)
            return Stopped(received=self.received)

        self.runner.submit(run)

    def _restart(self, config: InboxConfig) -> None:
        with self._lock:
            child, self._child = self._child, None
        if child is None:
            return
        started = child.started

        def run(_cancel: threading.Event) -> Started:
            self._end(child)
            return self._spawn(started.host, started.port, config)

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
        with self._lock:
            child, self._child = self._child, None
        self._end(child, timeout=2.0)
        self.runner.shutdown()
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
