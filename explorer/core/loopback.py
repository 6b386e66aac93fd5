"""The one-shot loopback listener that receives the authorization-code redirect.

It binds the redirect URI's port on 127.0.0.1 *before* the browser is opened (so a busy
port is reported at once, naming the port and the fix), answers the one redirect with a
clear page for the browser, checks ``state``, and hands the code to the caller, who can
cancel (a ``threading.Event``) or give up after a timeout.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


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
    """The redirect's ``state`` is not the one sent: possibly a forged request."""


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
    """Receives exactly one redirect at ``redirect_uri`` and checks its ``state``."""

    def __init__(self, redirect_uri: str, expected_state: str) -> None:
        parts = urlsplit(redirect_uri)
        self.port = parts.port or 80
        self.path = parts.path or "/"
        self._state = expected_state
        self._done = threading.Event()
        self._outcome = _Outcome()
        self._server: HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Bind the port; raises :class:`LoopbackPortBusy` when it is taken."""
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # keep codes out of logs
                return

        try:
            self._server = HTTPServer(("127.0.0.1", self.port), Handler)
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
        outcome: _Outcome
        if query.get("state") != self._state:
            outcome = _Outcome(
                error=StateMismatch(
                    "The sign-in redirect carried a different 'state' than the one this program "
                    "sent, so it was rejected (it may not come from your sign-in). Start the "
                    "sign-in again."
                )
            )
        elif "error" in query:
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
        if outcome.error is None:
            body = _page(
                True,
                "Thumbtack API Explorer received the authorization. "
                "You can close this tab and go back to the program.",
            )
        else:
            body = _page(False, f"{outcome.error} You can close this tab.")
        request.send_response(200 if outcome.error is None else 400)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(body)))
        request.send_header("Cache-Control", "no-store")
        request.end_headers()
        request.wfile.write(body)
        self._outcome = outcome
        self._done.set()

    def wait(self, *, cancel: threading.Event | None = None, timeout_s: float = 300.0) -> str:
        """The authorization code; raises a :class:`LoginError` on every other outcome."""
        try:
            remaining = timeout_s
            step = 0.05
            while not self._done.wait(min(step, max(remaining, 0.0))):
                remaining -= step
                if cancel is not None and cancel.is_set():
                    raise LoginCancelled("The sign-in was cancelled.")
                if remaining <= 0:
                    raise LoginTimedOut(
                        f"No sign-in redirect arrived within {timeout_s:.0f} seconds. Finish "
                        "signing in in the browser sooner, or start again."
                    )
            if self._outcome.error is not None:
                raise self._outcome.error
            assert self._outcome.code is not None
            return self._outcome.code
        finally:
            self.close()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
