"""Bad input, load, early disconnects and a clean shutdown, over raw sockets."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2 as httpx
import pytest

from explorer.sandbox.server import SandboxConfig, SandboxError, SandboxServer

PATH = (
    "/api/v4/categories/recommendations?zipCode=90210&recommendationType=popular"
    "&utmData%5Butm_source%5D=cma-x"
)


def _sandbox_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("sandbox-")]


def _raw(server: SandboxServer, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(payload)
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks)


def test_keep_alive_serves_many_requests_on_one_connection(api: Any) -> None:
    token = api.cc()
    connection = http.client.HTTPConnection("127.0.0.1", api.server.port, timeout=5)
    try:
        for _ in range(5):
            connection.request("GET", PATH, headers={"Authorization": f"Bearer {token}"})
            response = connection.getresponse()
            assert response.status == 200
            assert json.loads(response.read())["data"]
            assert response.getheader("Connection") is None
        assert connection.sock is not None  # still the same open socket
    finally:
        connection.close()


def test_twenty_clients_times_ten_requests(api: Any) -> None:
    token = api.cc()
    base = api.server.api_base

    def client(_index: int) -> list[int]:
        with httpx.Client(base_url=base, timeout=10, verify=False) as http:
            return [
                http.get(PATH, headers={"Authorization": f"Bearer {token}"}).status_code
                for _ in range(10)
            ]

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = [status for statuses in pool.map(client, range(20)) for status in statuses]
    assert results == [200] * 200


def test_concurrent_writes_are_all_kept(api: Any) -> None:
    token = api.user("supply")
    path = "/businesses/468046965846925323/associate-phone-numbers"

    def create(index: int) -> int:
        return int(
            api.call("POST", path, token, json={"phoneNumber": f"+1650555{index:04d}"}).status_code
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        assert set(pool.map(create, range(30))) == {200}
    numbers = {p["phoneNumber"] for p in api.call("GET", path, token).json()["phoneNumbers"]}
    assert {f"+1650555{i:04d}" for i in range(30)} <= numbers


def test_garbage_request_line_gets_a_problem_and_a_close(api: Any) -> None:
    reply = _raw(api.server, b"NONSENSE\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"application/problem+json" in head
    assert json.loads(body)["status"] == 400


def test_unsupported_method_gets_a_problem(api: Any) -> None:
    reply = _raw(api.server, b"BREW /api/v4/x HTTP/1.1\r\nHost: x\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 501")
    assert json.loads(reply.partition(b"\r\n\r\n")[2])["status"] == 501


def test_bad_content_length_is_refused(api: Any) -> None:
    reply = _raw(
        api.server, b"POST /api/v4/requests HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n"
    )
    assert reply.startswith(b"HTTP/1.1 400")
    assert b"Content-Length" in reply


def test_chunked_uploads_are_read_and_capped(api: Any) -> None:
    token = api.cc()
    body = json.dumps(
        {"searchQuery": "handyman", "zipCode": "90210", "utmData": {"utm_source": "cma-x"}}
    ).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    head = (
        b"POST /api/v4/businesses/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        b"Authorization: Bearer " + token.encode() + b"\r\n\r\n"
    )
    assert _raw(api.server, head + chunked).startswith(b"HTTP/1.1 200")
    huge = b"%x\r\n" % (2 * 1024 * 1024)
    assert _raw(api.server, head + huge).startswith(b"HTTP/1.1 413")


def test_clients_that_leave_early_do_not_hurt_the_server(api: Any) -> None:
    token = api.cc()
    for payload in (
        b"POST /api/v4/businesses/search HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{",
        b"GET /api/v4/categories",
        b"",
    ):
        with socket.create_connection(("127.0.0.1", api.server.port), timeout=5) as sock:
            sock.sendall(payload)
    with socket.create_connection(("127.0.0.1", api.server.port), timeout=5) as sock:
        sock.sendall(
            f"GET {PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
        )
        sock.shutdown(socket.SHUT_RDWR)  # gone before the answer is written
    assert api.call("GET", PATH.removeprefix("/api/v4"), token).status_code == 200


def test_a_stalled_client_times_out_instead_of_holding_a_thread(make_session: Any) -> None:
    api = make_session(request_timeout_s=0.3)
    with socket.create_connection(("127.0.0.1", api.server.port), timeout=5) as sock:
        sock.sendall(b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nab")
        assert sock.recv(100) == b""  # the server closed the connection


def test_stop_leaves_no_thread_and_frees_the_port() -> None:
    before = _sandbox_threads()
    server = SandboxServer(SandboxConfig(rate_limit_per_minute=0))
    server.start()
    port = server.port
    idle = socket.create_connection(("127.0.0.1", port), timeout=5)  # an idle keep-alive client
    slow = httpx.Client(base_url=server.api_base, timeout=10, verify=False)
    waiting = threading.Thread(target=lambda: _swallow(slow, "latency=20000"))
    waiting.start()
    try:
        assert len(_sandbox_threads()) > len(before)
        server.stop()
        waiting.join(5)
        assert not waiting.is_alive()
        assert _sandbox_threads() == before
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1)
        again = SandboxServer(SandboxConfig(port=port))
        again.start()
        assert again.port == port
        again.stop()
    finally:
        idle.close()
        slow.close()


def _swallow(client: httpx.Client, fault: str) -> None:
    with contextlib.suppress(httpx.HTTPError):
        client.get("/", headers={"X-Sandbox-Fault": fault})


def test_a_busy_port_gives_a_clear_error() -> None:
    with SandboxServer() as first:
        second = SandboxServer(SandboxConfig(port=first.port))
        with pytest.raises(SandboxError, match="Choose another port"):
            second.start()


def test_index_lists_the_urls(api: Any) -> None:
    index = api.http.get("/").json()
    assert index["tokenURL"] == api.server.token_url
    assert index["authorizeURL"] == api.server.authorize_url
    assert "GET /api/v4/users/self" in index["endpoints"]
