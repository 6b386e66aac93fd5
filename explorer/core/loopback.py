"""The one-shot loopback listener that receives the authorization-code redirect.

It binds the redirect URI's port on 127.0.0.1 *before* the browser is opened (so a busy
port is reported at once, naming the port and the fix), answers the redirect with a clear
page for the browser, checks ``state``, and hands the code to the caller, who can cancel
(a ``threading.Event``) or give up after a timeout.

Any local program or web page can reach the port, so nothing it sends may end or stall
the sign-in: each connection is served on its own thread with a short socket timeout (an
idle connection cannot wedge the listener, and :meth:`LoopbackListener.close` returns at
once), and a redirect with a wrong ``state`` gets a 400 page while the listener keeps
waiting for the right one until the timeout or a cancel.
"""

from __future__ import annotations

import html
import ipaddress
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:  # http.server (and the email package under it) loads when a sign-in starts
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def is_loopback_host(host: str) -> bool:
    """True for an address only this machine can reach: 127.0.0.0/8, ::1 and 'localhost'.

    A host name other than 'localhost' is False: it may resolve to any interface.
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


class LoginError(Exception):
    """The sign-in in the browser did not give a code; the message says what to do."""


class LoopbackPortBusy(LoginError):
    def __init__(self, port: int, detail: str) -> None:
        self.port = port
        super().__init__(
            f"Port {port} on 127.0.0.1 is already in use ({detail}), so the sign-in redirect "
            f"cannot be received. Close the program using port {port} (perhaps another sign-in "
            "still waiting), or set the profile's redirect URI to another port such as "
            "http://127.0.0.1:8766/callback and register that URI with Thumbtack."
        )


class StateMismatch(LoginError):
    """Only redirects with another ``state`` than the one sent arrived before the timeout
    (possibly forged requests)."""


#: how long one connection may sit idle before it is dropped (seconds).
CONNECTION_TIMEOUT_S = 5.0


class AuthorizationDenied(LoginError):
    """The authorization server redirected back with an ``error``."""

    def __init__(self, error: str, description: str) -> None:
        self.error = error
        self.description = description
        text = f": {description}" if description else ""
        super().__init__(f"The authorization server refused the sign-in ({error}{text}).")


class LoginCancelled(LoginError):
    pass


class LoginTimedOut(LoginError):
    pass


@dataclass(frozen=True, kw_only=True)
class _Outcome:
    code: str | None = None
    error: LoginError | None = None


_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title><style>body{{font:16px system-ui,sans-serif;margin:4em auto;
max-width:36em;color:#222}}h1{{color:{colour}}}</style></head>
<body><h1>{title}</h1><p>{text}</p></body></html>"""


def _page(ok: bool, text: str) -> bytes:
    title = "Signed in" if ok else "Sign-in failed"
    return _PAGE.format(
        title=title, colour="#1a7f37" if ok else "#b42318", text=html.escape(text)
    ).encode("utf-8")


class LoopbackListener:
    """Receives the redirect at ``redirect_uri`` whose ``state`` is the expected one."""

    def __init__(
        self,
        redirect_uri: str,
        expected_state: str,
        *,
        connection_timeout_s: float = CONNECTION_TIMEOUT_S,
    ) -> None:
        parts = urlsplit(redirect_uri)
        self.port = parts.port or 80
        self.path = parts.path or "/"
        self._state = expected_state
        self._connection_timeout_s = connection_timeout_s
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._outcome = _Outcome()
        self.rejected = 0  # redirects with another state, answered with 400
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Bind the port; raises :class:`LoopbackPortBusy` when it is taken."""
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        listener = self

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False  # close() never waits for a slow or idle connection

        class Handler(BaseHTTPRequestHandler):
            timeout = self._connection_timeout_s  # an idle connection is dropped

            def do_GET(self) -> None:
                listener._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # keep codes out of logs
                return

        try:
            self._server = Server(("127.0.0.1", self.port), Handler)
        except OSError as exc:
            raise LoopbackPortBusy(self.port, exc.strerror or str(exc)) from exc
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="oauth-loopback",
            daemon=True,
        )
        self._thread.start()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        if parts.path != self.path or self._done.is_set():
            request.send_response(404)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if query.get("state") != self._state:
            with self._lock:
                self.rejected += 1
            _reply(
                request,
                400,
                _page(
                    False,
                    "This redirect does not belong to the sign-in Thumbtack API Explorer is "
                    "waiting for (its 'state' is different), so it was ignored. If you are "
                    "signing in, finish in the tab the program opened.",
                ),
            )
            return
        outcome: _Outcome
        if "error" in query:
            outcome = _Outcome(
                error=AuthorizationDenied(query["error"], query.get("error_description", ""))
            )
        elif not query.get("code"):
            outcome = _Outcome(
                error=LoginError(
                    "The sign-in redirect carried no authorization code. Start the sign-in again."
                )
            )
        else:
            outcome = _Outcome(code=query["code"])
        with self._lock:
            if self._done.is_set():
                return
            self._outcome = outcome
            self._done.set()
        if outcome.error is None:
            body = _page(
                True,
                "Thumbtack API Explorer received the authorization. "
                "You can close this tab and go back to the program.",
            )
        else:
            body = _page(False, f"{outcome.error} You can close this tab.")
        _reply(request, 200 if outcome.error is None else 400, body)

    def wait(self, *, cancel: threading.Event | None = None, timeout_s: float = 300.0) -> str:
        """The authorization code; raises a :class:`LoginError` on every other outcome."""
        try:
            deadline = time.monotonic() + timeout_s
            while not self._done.wait(min(0.05, max(deadline - time.monotonic(), 0.0))):
                if cancel is not None and cancel.is_set():
                    raise LoginCancelled("The sign-in was cancelled.")
                if time.monotonic() >= deadline:
                    raise self._timed_out(timeout_s)
            if self._outcome.error is not None:
                raise self._outcome.error
            assert self._outcome.code is not None
            return self._outcome.code
        finally:
            self.close()

    def _timed_out(self, timeout_s: float) -> LoginError:
        if self.rejected:
            return StateMismatch(
                f"No sign-in redirect with this program's 'state' arrived within "
                f"{timeout_s:.0f} seconds; {self.rejected} redirect(s) with a different 'state' "
                "were rejected (they may not come from your sign-in). Start the sign-in again."
            )
        return LoginTimedOut(
            f"No sign-in redirect arrived within {timeout_s:.0f} seconds. Finish "
            "signing in in the browser sooner, or start again."
        )

    def close(self) -> None:
        """Stop listening and free the port; returns at once (open connections are left to
        their own short timeout)."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()


def _reply(request: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
    try:
        request.send_response(status)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(body)))
        request.send_header("Cache-Control", "no-store")
        request.end_headers()
        request.wfile.write(body)
    except OSError:  # the browser went away: the outcome stands
        return
