"""Webhook delivery: POSTs the event envelope from a bounded background worker.

What a delivery looks like follows real deliveries that partners logged: the envelope
``{"event": {eventType, triggeredAt, webhookID, description: ""}, "data": ...}``, the
headers ``Content-Type: application/json`` and ``User-Agent: Go-http-client/1.1``, and no
signature header. Credentials are sent only as registered: HTTP Basic or a custom header.
(:data:`DELIVERY_HEADERS` is the one place these headers are written.)

Deliveries go through a bounded queue (a full queue drops the event and logs it) to one
worker thread. It tries each delivery a bounded number of times with exponential backoff;
a 2XX reply counts as delivered. Thumbtack documents no retry policy: the retries are the
Sandbox's inference, kept so a receiver can practise failing (graded inferred in
:mod:`explorer.sandbox.behaviours`). The server never waits for a delivery.

Because one worker takes the queue in order and retries a delivery before the next, the
Sandbox delivers in creation order. Thumbtack does not promise that (reference §7: a
message can arrive before its lead), so partner code, and tests, must not rely on it.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import queue
import ssl
import threading
import urllib.parse
from collections import deque
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

#: The headers every delivery carries, as seen on real deliveries (no signature header).
DELIVERY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Type", "application/json"),
    ("User-Agent", "Go-http-client/1.1"),
)


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """One event for one webhook."""

    webhook_id: str
    url: str
    event_type: str
    body: bytes
    auth_type: str = "None"
    auth: tuple[str, str] | None = None


@dataclass(frozen=True, kw_only=True)
class DeliveryResult:
    """How a delivery ended (kept for inspection; the last 200 are remembered)."""

    webhook_id: str
    event_type: str
    url: str
    attempts: int
    status: int | None
    delivered: bool
    error: str | None = None


def envelope(event_type: str, webhook_id: str, triggered_at: str, data: dict[str, Any]) -> bytes:
    payload = {
        "event": {
            "eventType": event_type,
            "triggeredAt": triggered_at,
            "webhookID": webhook_id,
            "description": "",
        },
        "data": data,
    }
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


class WebhookDispatcher:
    """A bounded queue and one worker thread that delivers with bounded retries."""

    def __init__(
        self,
        *,
        max_attempts: int = 3,
        backoff_s: float = 0.5,
        timeout_s: float = 5.0,
        queue_size: int = 256,
    ) -> None:
        self._max_attempts = max(1, max_attempts)
        self._backoff = backoff_s
        self._timeout = timeout_s
        self._queue: queue.Queue[Delivery] = queue.Queue(maxsize=queue_size)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._results: deque[DeliveryResult] = deque(maxlen=200)
        self._lock = threading.Lock()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def enqueue(self, delivery: Delivery) -> bool:
        try:
            self._queue.put_nowait(delivery)
        except queue.Full:
            logger.warning(
                "Webhook queue full; dropped %s for webhook %s",
                delivery.event_type,
                delivery.webhook_id,
            )
            return False
        return True

    @property
    def results(self) -> list[DeliveryResult]:
        with self._lock:
            return list(self._results)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                delivery = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            result = self._deliver(delivery)
            with self._lock:
                self._results.append(result)

    def _deliver(self, delivery: Delivery) -> DeliveryResult:
        status: int | None = None
        error: str | None = None
        attempts = 0
        for attempt in range(self._max_attempts):
            if attempt and self._stop.wait(self._backoff * 2 ** (attempt - 1)):
                break
            attempts += 1
            try:
                status = self._post(delivery)
            except (OSError, http.client.HTTPException) as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"
                logger.info(
                    "Webhook %s attempt %d failed: %s", delivery.webhook_id, attempts, error
                )
                continue
            if 200 <= status < 300:
                return DeliveryResult(
                    webhook_id=delivery.webhook_id,
                    url=delivery.url,
                    event_type=delivery.event_type,
                    attempts=attempts,
                    status=status,
                    delivered=True,
                )
            error = f"HTTP {status}"
            logger.info("Webhook %s attempt %d answered %s", delivery.webhook_id, attempts, status)
        return DeliveryResult(
            webhook_id=delivery.webhook_id,
            url=delivery.url,
            event_type=delivery.event_type,
            attempts=attempts,
            status=status,
            delivered=False,
            error=error,
        )

    def _post(self, delivery: Delivery) -> int:
        parts = urllib.parse.urlsplit(delivery.url)
        host = parts.hostname or ""
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                host, parts.port, timeout=self._timeout, context=ssl.create_default_context()
            )
        else:
            connection = http.client.HTTPConnection(host, parts.port, timeout=self._timeout)
        headers = dict(DELIVERY_HEADERS)
        if delivery.auth_type == "Basic" and delivery.auth is not None:
            raw = f"{delivery.auth[0]}:{delivery.auth[1]}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(raw).decode("ascii")
        elif delivery.auth_type == "CustomHeader" and delivery.auth is not None:
            headers[delivery.auth[0]] = delivery.auth[1]
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            connection.request("POST", path, body=delivery.body, headers=headers)
            response = connection.getresponse()
            response.read(64 * 1024)
            return response.status
        finally:
            connection.close()
