"""A real HTTP server on 127.0.0.1 that records exactly what arrived and answers 200.

Unlike :mod:`helpers.servers` it keeps repeated headers in order, reads chunked bodies and
answers every method (HEAD included), so a program in any language can be checked
against it byte for byte.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass(frozen=True)
class Arrival:
    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header_values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def normalized_target(self) -> tuple[str, list[tuple[str, str]]]:
        """The path and query pairs with percent-encoding decoded (``[`` and ``%5B`` agree)."""
        parts = urlsplit(self.target)
        return unquote(parts.path), parse_qsl(parts.query, keep_blank_values=True)


@dataclass
class EchoServer:
    url: str = ""
    arrivals: list[Arrival] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> list[Arrival]:
        with self.lock:
            taken, self.arrivals = self.arrivals, []
        return taken


@contextmanager
def echo_server() -> Iterator[EchoServer]:
    state = EchoServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _read_body(self) -> bytes:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _any(self) -> None:
            body = self._read_body()
            with state.lock:
                state.arrivals.append(
                    Arrival(
                        method=self.command,
                        target=self.path,
                        headers=tuple(self.headers.items()),
                        body=body,
                    )
                )
            answer = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _any

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
