"""The Sandbox's HTTP server: real sockets on 127.0.0.1, HTTP/1.1 keep-alive, many clients.

Built on the standard library's :class:`http.server.ThreadingHTTPServer` (one daemon
thread per connection) so that the network faults have full control of the socket: a
body can be cut off, reset mid-way or dripped byte by byte, which higher-level servers
hide. :class:`SandboxServer` is the public face::

    with SandboxServer(SandboxConfig(port=0)) as server:
        server.api_base       # "http://127.0.0.1:PORT" (API paths are /api/v4/...)
        server.token_url      # f"{api_base}/oauth2/token"
        server.authorize_url  # f"{api_base}/oauth2/auth"

Robustness: bodies over ``max_body_bytes`` get 413 without being read, a bad
``Content-Length`` or chunked upload gets a ProblemDetails and the connection is closed,
every socket has a timeout, clients that disconnect early are dropped quietly, and any
unexpected error becomes a 500 ProblemDetails. ``stop()`` closes the listening socket and
every open connection, joins every thread it started, and frees the port. Logging goes
through :mod:`logging` (logger ``explorer.sandbox``), never straight to stderr.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from explorer.sandbox import problems
from explorer.sandbox.api import SandboxApp
from explorer.sandbox.clients import DemoClient, demo_clients
from explorer.sandbox.faults import FAULT_HEADER, FaultPlan, FaultSyntaxError, parse_faults
from explorer.sandbox.oauth import AuthorizationServer
from explorer.sandbox.problems import FieldError
from explorer.sandbox.state import SandboxState
from explorer.sandbox.tokens import TokenService
from explorer.sandbox.webhooks import DeliveryResult, WebhookDispatcher
from explorer.sandbox.wire import Request, Response

logger = logging.getLogger("explorer.sandbox")
logger.addHandler(logging.NullHandler())

MIB = 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class SandboxConfig:
    """How a Sandbox server runs."""

    host: str = "127.0.0.1"
    port: int = 0  # 0 = a free port
    token_lifetime_s: int = 3600
    rate_limit_per_minute: int = 120  # per client; 0 turns the limit off
    auto_approve: bool = False  # skip the consent page (tests, unattended runs)
    refresh_grace_s: float = 60.0
    max_body_bytes: int = MIB
    fault: str | None = None  # the default fault for requests without X-Sandbox-Fault
    request_timeout_s: float = 15.0
    webhook_max_attempts: int = 3
    webhook_backoff_s: float = 0.5


class SandboxError(RuntimeError):
    """The Sandbox could not start (for example, the port is in use)."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], sandbox: SandboxServer) -> None:
        self.sandbox = sandbox
        self.workers: set[threading.Thread] = set()
        self.connections: set[socket.socket] = set()
        self.registry_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._work,
            args=(request, client_address),
            name="sandbox-connection",
            daemon=True,
        )
        with self.registry_lock:
            self.workers.add(thread)
            self.connections.add(request)
        thread.start()

    def _work(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self.registry_lock:
                self.workers.discard(threading.current_thread())
                self.connections.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("Connection from %s ended with an error", client_address, exc_info=True)


def _malformed(body: bytes) -> bytes:
    return b"{'sandbox': malformed, " + body[: max(1, len(body) // 2)]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ThumbtackSandbox/1.0"
    sys_version = ""
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.sandbox.config.request_timeout_s)
        # headers and body leave in separate writes: without this, Nagle's algorithm and
        # the client's delayed ACK add ~40 ms to every keep-alive response
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError, OSError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found by the standard parser, as ProblemDetails (and close)."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # an unparsable request line: answer in 1.1
            self.request_version = "HTTP/1.1"
        title = message or self.responses.get(code, ("Error",))[0]
        response = problems.problem(code, title, explain or title, kind="http-error")
        with contextlib.suppress(OSError):
            self._write(response, FaultPlan())

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    # -- request ---------------------------------------------------------------------------

    def _read_body(self) -> bytes | None:
        """The body, or None after answering an error for it."""
        limit = self.server.sandbox.config.max_body_bytes
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked(limit)
        raw_length = self.headers.get("Content-Length")
        if raw_length is None:
            return b""
        try:
            length = int(raw_length)
            if length < 0:
                raise ValueError(raw_length)
        except ValueError:
            self.close_connection = True
            self._write(
                problems.validation_error(
                    [
                        FieldError(
                            field="Content-Length",
                            location="header",
                            message="must be a whole number",
                        )
                    ]
                ),
                FaultPlan(),
            )
            return None
        if length > limit:
            self.close_connection = True
            self._write(problems.payload_too_large(limit), FaultPlan())
            return None
        body = self.rfile.read(length)
        if len(body) < length:  # the client went away mid-body
            self.close_connection = True
            return None
        return body

    def _read_chunked(self, limit: int) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                self._write(
                    problems.validation_error(
                        [FieldError(field="body", message="malformed chunked encoding")]
                    ),
                    FaultPlan(),
                )
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > limit:
                self.close_connection = True
                self._write(problems.payload_too_large(limit), FaultPlan())
                return None
            chunk = self.rfile.read(size)
            self.rfile.readline(16)
            if len(chunk) < size:
                self.close_connection = True
                return None
            chunks.append(chunk)

    def _serve(self) -> None:
        sandbox = self.server.sandbox
        body = self._read_body()
        if body is None:
            return
        raw_fault = self.headers.get(FAULT_HEADER)
        try:
            plan = parse_faults(raw_fault if raw_fault is not None else sandbox.fault)
        except FaultSyntaxError as error:
            self._write(
                problems.validation_error(
                    [FieldError(field=FAULT_HEADER, location="header", message=str(error))]
                ),
                FaultPlan(),
            )
            return
        if plan.latency_ms and sandbox.stopping.wait(plan.latency_ms / 1000):
            self.close_connection = True
            return
        parts = urllib.parse.urlsplit(self.path)
        request = Request(
            method=self.command,
            path=parts.path,
            query=urllib.parse.parse_qs(parts.query, keep_blank_values=True),
            headers=self.headers,
            body=body,
            client_host=self.client_address[0],
        )
        try:
            response = sandbox.app.handle(request, plan)
        except Exception:
            logger.exception("Sandbox handler failed for %s %s", self.command, parts.path)
            response = problems.server_error()
        if plan.network is not None and plan.network != "drop-mid-body":
            response = response.with_headers((FAULT_HEADER, plan.network))
        self._write(response, plan)

    # -- response --------------------------------------------------------------------------

    def _write(self, response: Response, plan: FaultPlan) -> None:
        body = response.body
        if plan.network == "truncated-body":
            body = body[: len(body) // 2]
        elif plan.network == "malformed-body":
            body = _malformed(body)
        self.send_response(response.status)
        if response.content_type is not None:
            self.send_header("Content-Type", response.content_type)
        if response.status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if plan.network == "drop-mid-body":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()  # reset, not a clean close
        elif plan.network == "slow-drip" and body:
            pieces = min(20, len(body))
            step = -(-len(body) // pieces)
            pause = plan.drip_ms / 1000 / pieces
            for start in range(0, len(body), step):
                self.wfile.write(body[start : start + step])
                self.wfile.flush()
                if self.server.sandbox.stopping.wait(pause):
                    self.close_connection = True
                    return
        elif body:
            self.wfile.write(body)


class SandboxServer:
    """A Sandbox on its own background threads; also a context manager."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.stopping = threading.Event()
        self.state = SandboxState()
        self._fault: str | None = None
        if self.config.fault is not None:
            self.set_fault(self.config.fault)
        self._clients = demo_clients()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._webhooks = WebhookDispatcher(
            max_attempts=self.config.webhook_max_attempts, backoff_s=self.config.webhook_backoff_s
        )
        self._app: SandboxApp | None = None
        self._auto_approve = self.config.auto_approve

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Bind the port and serve on a background thread; returns at once."""
        if self._httpd is not None:
            return
        try:
            httpd = _HTTPServer((self.config.host, self.config.port), self)
        except OSError as error:
            raise SandboxError(
                f"Cannot listen on {self.config.host}:{self.config.port}: "
                f"{error.strerror or error}. Choose another port (0 picks a "
                "free one)."
            ) from error
        self._httpd = httpd
        self.stopping.clear()
        tokens = TokenService(
            issuer=self.api_base,
            access_lifetime_s=self.config.token_lifetime_s,
            refresh_grace_s=self.config.refresh_grace_s,
            clock=time.time,
        )
        auth = AuthorizationServer(
            tokens=tokens, clients=self._clients, auto_approve=lambda: self._auto_approve
        )
        self._app = SandboxApp(
            state=self.state,
            tokens=tokens,
            auth=auth,
            webhooks=self._webhooks,
            rate_limit_per_minute=self.config.rate_limit_per_minute,
            base_url=lambda: self.api_base,
        )
        self._webhooks.start()
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="sandbox-http",
            daemon=True,
        )
        self._thread.start()
        logger.info("Sandbox serving on %s", self.api_base)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close every connection, join every thread, free the port."""
        httpd = self._httpd
        if httpd is None:
            return
        self.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout)
        with httpd.registry_lock:
            connections = list(httpd.connections)
            workers = list(httpd.workers)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        self._webhooks.stop(timeout)
        self._httpd = None
        self._thread = None
        logger.info("Sandbox stopped")

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- facts -----------------------------------------------------------------------------

    @property
    def app(self) -> SandboxApp:
        if self._app is None:
            raise SandboxError("The Sandbox is not running; call start() first.")
        return self._app

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise SandboxError("The Sandbox is not running; call start() first.")
        return int(self._httpd.server_address[1])

    @property
    def api_base(self) -> str:
        host = self.config.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"

    @property
    def token_url(self) -> str:
        return f"{self.api_base}/oauth2/token"

    @property
    def authorize_url(self) -> str:
        return f"{self.api_base}/oauth2/auth"

    @property
    def demo_clients(self) -> tuple[DemoClient, ...]:
        return self._clients

    @property
    def webhook_deliveries(self) -> list[DeliveryResult]:
        """The outcome of recent webhook deliveries (newest last)."""
        return self._webhooks.results

    # -- switches --------------------------------------------------------------------------

    @property
    def fault(self) -> str | None:
        return self._fault

    def set_fault(self, name: str | None) -> None:
        """Set the default fault for requests without ``X-Sandbox-Fault`` (None: no fault).

        Raises ``ValueError`` naming the known faults when ``name`` is not one.
        """
        parse_faults(name)
        self._fault = name or None

    def set_auto_approve(self, enabled: bool) -> None:
        self._auto_approve = enabled
