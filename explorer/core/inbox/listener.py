"""The inbox's HTTP listener: receives webhook deliveries, records them, answers.

A :class:`InboxListener` is a threaded HTTP server, on 127.0.0.1 unless the caller
explicitly chooses another address (:func:`explorer.core.loopback.is_loopback_host` tells
the caller when to warn). Every request, whatever its method or path, is read whole
(headers and raw body bytes, ``Content-Length`` or chunked), checked (credentials,
contract), and committed to the :class:`~explorer.core.inbox.store.InboxStore` *before* it
is answered; a delivery that cannot be recorded is answered 503, so the sender knows it
was not taken. The answer is configurable (:class:`AnswerPlan`: a status and a delay).
With a forward URL, each delivery is also passed on and the endpoint's answer is both
recorded and given to the sender. Nothing here imports Qt: callers get each recorded
delivery through a callback that runs on the listener's thread.
"""

from __future__ import annotations

import contextlib
import http.server
import ipaddress
import json
import logging
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from explorer.core.inbox.checks import (
    WebhookSchemas,
    check_contract,
    check_credentials,
    default_webhook_schemas,
)
from explorer.core.inbox.model import Delivery, WebhookCredentials, envelope_fields
from explorer.core.inbox.replay import deliver
from explorer.core.inbox.store import BODY_CAP_BYTES, InboxError, InboxStore

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
MAX_DELAY_S = 120.0
_READ_TIMEOUT_S = 30.0
#: Deliveries checked and recorded at once. The rest wait (blocked, not competing for the
#: interpreter lock), so a burst of hundreds never starves the thread that shows them.
CHECKING_AT_ONCE = 2
#: Connections served at once (a delayed answer keeps one busy while it waits).
HANDLERS = 32


@dataclass(frozen=True, kw_only=True)
class AnswerPlan:
    """How the inbox answers each delivery: a status (2xx by default) after a delay."""

    status: int = 200
    delay_s: float = 0.0

    def __post_init__(self) -> None:
        if not 200 <= self.status <= 599:
            raise ValueError(
                f"{self.status} is not a status the inbox can answer with; choose 200-599 "
                "(e.g. 200 to accept, 500 to see how a sender retries)."
            )
        if not 0 <= self.delay_s <= MAX_DELAY_S:
            raise ValueError(f"The delay must be 0 to {MAX_DELAY_S:.0f} seconds.")


@dataclass(frozen=True, kw_only=True)
class InboxConfig:
    """Everything a running listener uses; replace it whole with :meth:`configure`."""

    credentials: WebhookCredentials = field(default_factory=WebhookCredentials)
    answer: AnswerPlan = field(default_factory=AnswerPlan)
    forward_url: str = ""
    forward_timeout_s: float = 10.0


OnDelivery = Callable[[Delivery], None]
OnError = Callable[[str], None]


class InboxListener:
    """A local HTTP server that records every request it receives."""

    def __init__(
        self,
        store: InboxStore,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        config: InboxConfig | None = None,
        schemas: WebhookSchemas | None = None,
        on_delivery: OnDelivery | None = None,
        on_error: OnError | None = None,
    ) -> None:
        if not 0 <= port <= 65535:
            raise ValueError(f"{port} is not a port: choose 1-65535, or 0 for a free one.")
        self.store = store
        self.host = host.strip() or DEFAULT_HOST
        self._port = port
        self._config = config or InboxConfig()
        self._schemas = schemas
        self._on_delivery = on_delivery
        self._on_error = on_error
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._checking = threading.BoundedSemaphore(CHECKING_AT_ONCE)
        self.received = 0

    # -- life -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        return self._server.server_address[1] if self._server is not None else self._port

    @property
    def url(self) -> str:
        """The URL to give the sender (an IPv6 host in brackets)."""
        host = self.host
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    @property
    def config(self) -> InboxConfig:
        with self._lock:
            return self._config

    def configure(self, config: InboxConfig) -> None:
        """Use ``config`` for every delivery from now on (the listener keeps running)."""
        with self._lock:
            self._config = config

    def start(self) -> None:
        """Bind and serve on a background thread. Raises OSError with words when the
        address is taken or not allowed."""
        if self._server is not None:
            return
        if self._schemas is None:
            self._schemas = default_webhook_schemas()
        try:
            server = _Server(self.host, self._port, self)
        except OSError as exc:
            raise OSError(exc.errno, _bind_words(self.host, self._port, exc)) from exc
        self._stopping.clear()
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="webhook-inbox",
            daemon=True,
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> InboxListener:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- one request --------------------------------------------------------------------
    def build(
        self,
        *,
        method: str,
        path: str,
        headers: tuple[tuple[str, str], ...],
        body: bytes,
        source: str,
        truncated: bool = False,
        config: InboxConfig | None = None,
    ) -> Delivery:
        """The checked (not yet stored) delivery for one request."""
        active = config or self.config
        schemas = self._schemas or default_webhook_schemas()
        event_type, webhook_id, negotiation_id = envelope_fields(body)
        return Delivery(
            received_at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            method=method,
            path=path,
            headers=headers,
            body=body,
            body_truncated=truncated,
            source=source,
            answered_status=active.answer.status,
            credential=check_credentials(headers, active.credentials),
            verdict=check_contract(body, headers, schemas, method=method),
            event_type=event_type,
            webhook_id=webhook_id,
            negotiation_id=negotiation_id,
        )

    def handle(self, request: _Handler) -> None:
        config = self.config
        try:
            body, truncated = _read_body(request)
        except ValueError as exc:
            request.answer(400, {"error": str(exc)})
            return
        headers = tuple((str(k), str(v)) for k, v in request.headers.items())
        source = f"{request.client_address[0]}:{request.client_address[1]}"
        secrets = config.credentials.known_secrets()
        try:
            with self._checking:
                delivery = self.build(
                    method=request.command,
                    path=request.path,
                    headers=headers,
                    body=body,
                    source=source,
                    truncated=truncated,
                    config=config,
                )
                stored = self.store.add(delivery, known_secrets=secrets)
        except InboxError as exc:
            logger.error("A delivery could not be recorded: %s", exc)
            self._report_error(f"A delivery could not be recorded: {exc}")
            request.answer(503, {"error": "The inbox could not record this delivery."})
            return
        with self._lock:
            self.received += 1
        status = config.answer.status
        if truncated:
            status = 413
        elif config.forward_url:
            answer = deliver(
                config.forward_url,
                body,
                headers,
                credentials=None,
                method=request.command,
                timeout_s=config.forward_timeout_s,
            )
            status = answer.status if answer.status is not None else 502
            with contextlib.suppress(InboxError):
                self.store.set_forward(
                    stored.id or 0, answer, answered_status=status, known_secrets=secrets
                )
                stored = self.store.get(stored.id or 0) or stored
        if self._on_delivery is not None:
            try:
                self._on_delivery(replace(stored, answered_status=status))
            except Exception:  # a viewer's failure must never cost the sender its answer
                logger.exception("The inbox's delivery callback failed")
        if config.answer.delay_s and not truncated:
            self._stopping.wait(config.answer.delay_s)
        request.answer(status, _answer_body(status, stored.id or 0, truncated))

    def _report_error(self, message: str) -> None:
        if self._on_error is not None:
            with contextlib.suppress(Exception):
                self._on_error(message)


def _answer_body(status: int, delivery_id: int, truncated: bool) -> dict[str, Any]:
    if truncated:
        return {"error": f"The body is larger than {BODY_CAP_BYTES} bytes.", "id": delivery_id}
    if 200 <= status < 300:
        return {"received": delivery_id}
    return {"error": f"The inbox is set to answer {status}.", "id": delivery_id}


def _read_body(request: _Handler) -> tuple[bytes, bool]:
    """The whole body (Content-Length or chunked), cut at the cap (then truncated=True)."""
    encoding = (request.headers.get("Transfer-Encoding") or "").lower()
    if "chunked" in encoding:
        chunks: list[bytes] = []
        size = 0
        while True:
            line = request.rfile.readline(1024)
            try:
                length = int(line.split(b";")[0].strip() or b"x", 16)
            except ValueError:
                raise ValueError("The chunked body is malformed.") from None
            if length == 0:
                while request.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                break
            data = request.rfile.read(length)
            request.rfile.readline(8)
            if size < BODY_CAP_BYTES:
                chunks.append(data)
            size += len(data)
        body = b"".join(chunks)
        return body[:BODY_CAP_BYTES], size > BODY_CAP_BYTES
    raw_length = request.headers.get("Content-Length")
    if raw_length is None:
        return b"", False
    try:
        length = int(raw_length)
    except ValueError:
        raise ValueError(f"Content-Length '{raw_length[:20]}' is not a number.") from None
    if length < 0:
        raise ValueError("Content-Length is negative.")
    body = request.rfile.read(min(length, BODY_CAP_BYTES))
    if length > BODY_CAP_BYTES:
        remaining = length - BODY_CAP_BYTES
        while remaining > 0:  # drain, so the sender gets the answer and not a reset
            piece = request.rfile.read(min(remaining, 1 << 20))
            if not piece:
                break
            remaining -= len(piece)
        return body, True
    return body, False


def _bind_words(host: str, port: int, exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return f"'{host}' is not an address of this machine; use 127.0.0.1."
    if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
        return f"Port {port} on {host} is already in use: choose another port, or 0 for a free one."
    if exc.errno in (13, 10013):
        return (
            f"Listening on port {port} is not allowed: ports below 1024 need privileges; "
            "choose one above 1024, or 0 for a free one."
        )
    if exc.errno in (99, 49, 10049):
        return f"{host} is not an address of this machine; use 127.0.0.1."
    return f"The inbox could not listen on {host}:{port} ({exc.strerror or exc})."


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = _READ_TIMEOUT_S

    def _any(self) -> None:
        self.server.inbox.handle(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _any

    def answer(self, status: int, document: dict[str, Any]) -> None:
        payload = json.dumps(document).encode("utf-8")
        with contextlib.suppress(OSError):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            # One delivery per connection: the pool's threads never sit on idle keep-alives.
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("inbox: " + format, *args)


class _Server(http.server.HTTPServer):
    """Connections are handled by a bounded pool of threads; the rest wait in the listen
    backlog. A thread per connection would let a burst of hundreds of deliveries crowd the
    interpreter lock and stall a window in the same process."""

    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, host: str, port: int, inbox: InboxListener) -> None:
        self.inbox = inbox
        family = socket.AF_INET
        with contextlib.suppress(ValueError):
            if ipaddress.ip_address(host.strip("[]")).version == 6:
                family = socket.AF_INET6
        self.address_family = family
        self._pool = ThreadPoolExecutor(max_workers=HANDLERS, thread_name_prefix="webhook-inbox")
        super().__init__((host.strip("[]"), port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        self._pool.submit(self._work, request, client_address)

    def _work(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.exception("The inbox failed on a request from %s", client_address)
