"""The sign-in redirect listener on a real 127.0.0.1 port: stray local requests and idle
connections can neither end nor stall a sign-in, and cancel or timeout frees the port."""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request

import pytest

from explorer.core.loopback import (
    LoginCancelled,
    LoginError,
    LoginTimedOut,
    LoopbackListener,
    StateMismatch,
)


@pytest.fixture
def port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, query: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}/callback?{query}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def port_is_free(port: int) -> bool:
    """A new sign-in can listen on the port again."""
    again = LoopbackListener(f"http://127.0.0.1:{port}/callback", "next")
    try:
        again.start()
    except LoginError:
        return False
    again.close()
    return True


class Waiter:
    """Runs ``listener.wait`` on a thread, as the window's worker does."""

    def __init__(self, listener: LoopbackListener, **kwargs: object) -> None:
        self.result: str | LoginError | None = None
        self.thread = threading.Thread(target=self._run, args=(listener, kwargs), daemon=True)
        self.thread.start()

    def _run(self, listener: LoopbackListener, kwargs: dict) -> None:  # type: ignore[type-arg]
        try:
            self.result = listener.wait(**kwargs)  # type: ignore[arg-type]
        except LoginError as exc:
            self.result = exc

    def join(self) -> str | LoginError | None:
        self.thread.join(10)
        assert not self.thread.is_alive(), "wait() did not return"
        return self.result


def test_a_wrong_state_is_answered_400_and_the_sign_in_goes_on(port: int) -> None:
    listener = LoopbackListener(f"http://127.0.0.1:{port}/callback", "real-state")
    listener.start()
    waiter = Waiter(listener, timeout_s=30)
    status, page = get(port, "state=forged&code=attacker-code")
    assert status == 400 and "ignored" in page
    assert waiter.thread.is_alive()  # still waiting for the real redirect
    status, page = get(port, "state=real-state&code=the-code")
    assert status == 200 and "received the authorization" in page
    assert waiter.join() == "the-code"
    assert listener.rejected == 1
    assert port_is_free(port)


def test_only_wrong_states_until_the_timeout_is_reported_as_such(port: int) -> None:
    listener = LoopbackListener(f"http://127.0.0.1:{port}/callback", "real-state")
    listener.start()
    waiter = Waiter(listener, timeout_s=1)
    assert get(port, "state=forged&code=x")[0] == 400
    result = waiter.join()
    assert isinstance(result, StateMismatch) and "1 redirect" in str(result)


def test_an_idle_connection_neither_blocks_the_redirect_nor_cancel(port: int) -> None:
    listener = LoopbackListener(f"http://127.0.0.1:{port}/callback", "s")
    listener.start()
    with socket.create_connection(("127.0.0.1", port)):  # connects, sends nothing
        waiter = Waiter(listener, timeout_s=30)
        assert get(port, "state=s&code=c1")[0] == 200
        assert waiter.join() == "c1"
        assert port_is_free(port)

    listener = LoopbackListener(f"http://127.0.0.1:{port}/callback", "s")
    listener.start()
    cancel = threading.Event()
    with socket.create_connection(("127.0.0.1", port)):
        waiter = Waiter(listener, cancel=cancel, timeout_s=30)
        cancel.set()
        assert isinstance(waiter.join(), LoginCancelled)
        assert port_is_free(port)  # freed while the idle connection is still open


def test_an_idle_connection_does_not_hold_the_timeout(port: int) -> None:
    listener = LoopbackListener(f"http://127.0.0.1:{port}/callback", "s")
    listener.start()
    with socket.create_connection(("127.0.0.1", port)):
        result = Waiter(listener, timeout_s=0.5).join()
    assert isinstance(result, LoginTimedOut)
    assert port_is_free(port)


def test_an_idle_connection_is_dropped_after_the_connection_timeout(port: int) -> None:
    listener = LoopbackListener(f"http://127.0.0.1:{port}/callback", "s", connection_timeout_s=0.2)
    listener.start()
    try:
        with socket.create_connection(("127.0.0.1", port)) as idle:
            idle.settimeout(10)
            assert idle.recv(1024) == b""  # the listener closed it
    finally:
        listener.close()
