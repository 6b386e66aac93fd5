"""``thumbtack-explorer webhooks``: listen, send, list and show, as a user runs them."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx2 as httpx
import pytest
from click.testing import CliRunner, Result
from helpers.inbox import running_inbox
from helpers.servers import local_server, reply

from explorer.cli import build_cli
from explorer.core.inbox.events import sample_delivery
from explorer.core.inbox.listener import InboxConfig
from explorer.core.inbox.model import WebhookCredentials
from explorer.core.inbox.store import InboxStore
from explorer.paths import AppPaths

BASIC = WebhookCredentials.basic("hello", "world")


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(build_cli(lambda _options: 0), ["webhooks", *args], input=input)


def _lines(stream: IO[str], into: queue.Queue[str]) -> None:
    with stream:
        for line in stream:
            into.put(line.rstrip("\n"))


@dataclass
class Listening:
    proc: subprocess.Popen[str]
    url: str
    out: queue.Queue[str]
    err: queue.Queue[str]

    def next_line(self, timeout: float = 15.0) -> str:
        return self.out.get(timeout=timeout)


@contextmanager
def listening(*args: str, stdin: str = "") -> Iterator[Listening]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "webhooks", "listen", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": ""},
    )
    assert proc.stdin and proc.stdout and proc.stderr
    proc.stdin.write(stdin)
    proc.stdin.close()
    out: queue.Queue[str] = queue.Queue()
    err: queue.Queue[str] = queue.Queue()
    readers = [
        threading.Thread(target=_lines, args=(stream, target), daemon=True)
        for stream, target in ((proc.stdout, out), (proc.stderr, err))
    ]
    for reader in readers:
        reader.start()
    url = ""
    seen: list[str] = []
    try:
        while not url:
            line = err.get(timeout=60)
            seen.append(line)
            found = re.search(r"listening on (http://\S+/)", line)
            url = found.group(1) if found else ""
        yield Listening(proc=proc, url=url, out=out, err=err)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for reader in readers:
            reader.join(15)


def _post(url: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    with httpx.Client(timeout=10) as client:
        return client.post(url, content=body, headers=headers or {})


@pytest.mark.integration
def test_listen_prints_each_delivery_as_it_arrives() -> None:
    with listening("--username", "hello", "--password-stdin", stdin="world\n") as inbox:
        first = sample_delivery("NegotiationCreatedV4")
        _post(inbox.url, first.body, dict(first.headers) | dict(BASIC.headers()))
        line = inbox.next_line()  # printed before the second delivery is even sent
        assert "NegotiationCreatedV4" in line and "credentials ok" in line
        assert "contract valid" in line and "answered 200" in line
        second = sample_delivery("MessageCreatedV4")
        _post(inbox.url, second.body, dict(second.headers))
        line = inbox.next_line()
        assert "MessageCreatedV4" in line and "credentials missing" in line
        assert "No Authorization header" in inbox.next_line()
        assert "has not arrived yet" in inbox.next_line()
        inbox.proc.send_signal(signal.SIGINT)
        assert inbox.proc.wait(timeout=15) == 0
    tail = []
    while not inbox.err.empty():
        tail.append(inbox.err.get())
    assert any("Stopped. 2 delivery(ies) recorded." in t for t in tail)
    assert "Traceback" not in "\n".join(tail)


@pytest.mark.integration
def test_listen_json_prints_one_object_per_line_without_secrets() -> None:
    with listening(
        "--json", "--header", "X-Partner-Key", "--password-stdin", stdin="s3cret-value\n"
    ) as inbox:
        bodies = []
        for value in ("s3cret-value", "not-the-one"):
            sample = sample_delivery("MessageCreatedV4")
            bodies.append(sample.body)
            _post(inbox.url, sample.body, dict(sample.headers) | {"X-Partner-Key": value})
        objects = [json.loads(inbox.next_line()) for _ in range(2)]
    assert [o["credentials"]["state"] for o in objects] == ["ok", "wrong"]
    assert [o["body"].encode() for o in objects] == bodies
    assert all(o["contract"]["state"] == "valid" for o in objects)
    assert "s3cret-value" not in json.dumps(objects) and "not-the-one" not in json.dumps(objects)


@pytest.mark.integration
def test_a_kill_during_a_burst_loses_no_acknowledged_delivery() -> None:
    with listening() as inbox:
        acknowledged: list[int] = []
        lock = threading.Lock()
        enough = threading.Event()
        samples = [sample_delivery("MessageCreatedV4").body for _ in range(600)]

        def send(body: bytes) -> None:
            try:
                answer = _post(inbox.url, body)
            except httpx.HTTPError:
                return  # sent after the kill
            if answer.status_code == 200:
                with lock:
                    acknowledged.append(int(answer.json()["received"]))
                    if len(acknowledged) >= 60:
                        enough.set()

        with ThreadPoolExecutor(max_workers=32) as pool:
            for body in samples:
                pool.submit(send, body)
            assert enough.wait(60)
            inbox.proc.send_signal(signal.SIGKILL)
            inbox.proc.wait(timeout=15)
            pool.shutdown(cancel_futures=True)
    path = AppPaths.from_environment().data / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with InboxStore(path) as store:
        recorded = {d.id for d in store.list(limit=10_000)}
    assert 60 <= len(acknowledged) < 600  # killed in the middle of the burst
    assert set(acknowledged) <= recorded


def test_bad_listen_options_say_what_to_do() -> None:
    result = run("listen", "--username", "hello")
    assert result.exit_code == 2 and "--password-stdin" in result.output
    result = run("listen", "--username", "a", "--header", "X: y")
    assert result.exit_code == 2 and "not both" in result.output
    result = run("listen", "--header", "no-colon")
    assert result.exit_code == 2 and "Name: value" in result.output
    assert "Traceback" not in result.output


def test_listen_on_a_taken_port_is_one_clear_line(tmp_path: Path) -> None:
    with running_inbox(tmp_path / "other.sqlite3") as (inbox, _got):
        result = run("listen", "--port", str(inbox.port))
    assert result.exit_code == 1
    assert "already in use" in result.output and "Traceback" not in result.output


def test_non_loopback_warning_is_printed() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "webhooks", "listen", "--host", "0.0.0.0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()
    second = proc.stderr.readline()
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=15)
    assert first.startswith("Warning: listening on 0.0.0.0")
    assert "anyone who can reach" in first and "listening on http://127.0.0.1:" in second


@pytest.mark.integration
def test_send_a_sample_to_your_endpoint_with_the_webhook_credentials() -> None:
    with local_server(reply(200, b"{}")) as server:
        result = run(
            "send",
            "negotiationcreatedv4",
            "--to",
            server.url + "/hook",
            "--username",
            "hello",
            "--password-stdin",
            input="world\n",
        )
    assert result.exit_code == 0, result.output
    assert "200 in" in result.output and "accepted" in result.output
    assert "world" not in result.output
    _m, path, headers, body = server.requests[0]
    assert path == "/hook" and headers["Authorization"] == dict(BASIC.headers())["Authorization"]
    assert json.loads(body)["event"]["eventType"] == "NegotiationCreatedV4"


@pytest.mark.integration
def test_send_from_inbox_replays_the_recorded_bytes_and_fails_on_an_error_answer() -> None:
    sample = sample_delivery("MessageCreatedV4")
    path = AppPaths.from_environment().ensure().data / "history.sqlite3"
    with running_inbox(path, InboxConfig(credentials=BASIC)) as (inbox, got):
        _post(inbox.url, sample.body, dict(sample.headers) | dict(BASIC.headers()))
        recorded = got.wait_for(1)[0]
    with local_server(reply(500, b"oops")) as server:
        result = run(
            "send",
            "--from-inbox",
            str(recorded.id),
            "--to",
            server.url,
            "--username",
            "hello",
            "--password-stdin",
            "--json",
            input="world\n",
        )
    assert result.exit_code == 1
    answer = json.loads(result.output)
    assert answer["status"] == 500 and "not processed" in answer["explanation"]
    _m, _p, headers, body = server.requests[0]
    assert body == sample.body
    assert headers["Authorization"] == dict(BASIC.headers())["Authorization"]
    wrong = run(
        "send", "NegotiationCreatedV4", "--from-inbox", str(recorded.id), "--to", "http://x/"
    )
    assert wrong.exit_code == 2 and "is a MessageCreatedV4" in wrong.output
    missing = run("send", "--from-inbox", "999", "--to", "http://127.0.0.1:1/")
    assert missing.exit_code == 1 and "no delivery 999" in missing.output
    bad_url = run("send", "MessageCreatedV4", "--to", "localhost:8000")
    assert bad_url.exit_code == 2 and "http://" in bad_url.output


def test_list_and_show_read_the_recorded_deliveries() -> None:
    empty = run("list")
    assert empty.exit_code == 0 and "No deliveries recorded yet" in empty.output
    path = AppPaths.from_environment().ensure().data / "history.sqlite3"
    with running_inbox(path, InboxConfig(credentials=BASIC)) as (inbox, got):
        good = sample_delivery("NegotiationCreatedV4")
        _post(inbox.url, good.body, dict(good.headers) | dict(BASIC.headers()))
        _post(inbox.url, b'{"event":{"eventType":"MessageCreatedV4"}}', dict(BASIC.headers()))
        first, second = got.wait_for(2)
    listed = run("list")
    assert listed.exit_code == 0
    rows = listed.output.splitlines()
    assert str(second.id) in rows[0] and "MessageCreatedV4" in rows[0]
    failed = run("list", "--failed", "--json")
    assert [json.loads(line)["id"] for line in failed.output.splitlines()] == [second.id]
    shown = run("show", str(first.id))
    assert shown.exit_code == 0
    assert "Credentials: ok" in shown.output and "Contract: valid" in shown.output
    assert "confirmed by real deliveries" in shown.output
    assert "Authorization: Basic ••••" in shown.output and "d29ybGQ" not in shown.output
    assert run("show", "12345").exit_code == 1


def test_listen_records_into_a_chosen_database_and_ends_when_its_input_closes(
    tmp_path: Path,
) -> None:
    database = tmp_path / "elsewhere.sqlite3"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "explorer",
            "webhooks",
            "listen",
            "--json",
            "--database",
            str(database),
            "--until-stdin-closes",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin and proc.stdout and proc.stderr
    found = re.search(r"listening on (http://\S+/)", proc.stderr.readline())
    assert found is not None
    _post(found.group(1), sample_delivery("MessageCreatedV4").body)
    line = json.loads(proc.stdout.readline())
    proc.stdin.close()  # as when the window that started it goes away
    assert proc.wait(timeout=15) == 0
    err = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    assert "Stopped. 1 delivery(ies) recorded." in err
    with InboxStore(database) as store:
        assert [d.id for d in store.list()] == [line["id"]]
    assert not (AppPaths.from_environment().data / "history.sqlite3").exists()
