"""A tiny configurable HTTP server on 127.0.0.1 for integration tests (real sockets)."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class LocalServer:
    url: str
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)


def reply(
    status: int,
    body: bytes = b"",
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    delay_s: float = 0.0,
) -> Handler:
    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        if delay_s:
            time.sleep(delay_s)
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        h.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            h.wfile.write(body)  # the client may have given up first (timeouts under test)

    return handle


@contextmanager
def local_server(handler: Handler) -> Iterator[LocalServer]:
    state = LocalServer(url="")

    class _Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state.requests.append((self.command, self.path, dict(self.headers), body))
            handler(self)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
