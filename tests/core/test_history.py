"""The history database: redacted before writing, searchable, bounded, crash-safe."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import scripted_session as s

from explorer.core.history import (
    BODY_CAP_BYTES,
    HISTORY_FILE,
    HistoryError,
    HistoryLimits,
    HistoryStore,
    parse_status_filter,
)
from explorer.core.models import ResponseRecord
from explorer.core.redact import MASK
from explorer.paths import AppPaths


@pytest.fixture
def store() -> Iterator[HistoryStore]:
    with HistoryStore.open() as opened:
        yield opened


def _fill(store: HistoryStore) -> list[int]:
    ids = []
    for record in s.all_exchanges():
        ids.append(
            store.add(
                record,
                explanation={
                    "title": "Token expired",
                    "cause": f"The token {s.ACCESS_TOKEN} expired.",
                    "matched": [s.ACCESS_TOKEN],
                },
                environment="Sandbox",
                profile="qa",
                known_secrets=s.KNOWN_SECRETS,
            )
        )
    return ids


def _raw_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_it_lives_in_the_data_directory(store: HistoryStore) -> None:
    assert store.path.parent == AppPaths.from_environment().data
    assert store.path.exists()


def test_no_secret_reaches_the_database_files(store: HistoryStore, explorer_home: Path) -> None:
    _fill(store)
    # Read while open (the -wal file holds the newest pages) and after closing.
    assert s.leaks(_raw_bytes(explorer_home), s.SECRETS) == []
    store.close()
    assert s.leaks(_raw_bytes(explorer_home), s.SECRETS) == []


def test_reopened_exchange_is_redacted_and_complete(store: HistoryStore) -> None:
    token_id, negotiation_id, _ = _fill(store)
    exchange = store.get(token_id)
    assert exchange is not None
    assert exchange.environment == "Sandbox"
    assert exchange.profile == "qa"
    assert exchange.operation_id == "oauthToken"
    assert exchange.request.header("Authorization") == f"Basic {MASK}"
    assert json.loads(exchange.record.body)["access_token"] == MASK
    assert exchange.record.timing.wait_ms == 20.0
    assert exchange.record.started_at == "2026-09-15T04:02:24Z"
    assert exchange.explanation is not None
    assert exchange.explanation["cause"] == f"The token {MASK} expired."
    resend = exchange.resend_spec()
    assert resend.header("Authorization") is None  # the sender adds a fresh one
    assert resend.header("Content-Type") == "application/x-www-form-urlencoded"
    assert resend.method == "POST"
    # Personal data is kept in history (it is masked on screen in presentation mode).
    negotiation = store.get(negotiation_id)
    assert negotiation is not None
    assert json.loads(negotiation.record.body) == s.NEGOTIATION
    assert store.get(9999) is None


def test_search_by_endpoint_status_and_text(store: HistoryStore) -> None:
    token_id, negotiation_id, error_id = _fill(store)
    assert [r.id for r in store.search()] == [error_id, negotiation_id, token_id]
    assert [r.id for r in store.search(status="4xx")] == [error_id]
    assert [r.id for r in store.search(status="200")] == [negotiation_id, token_id]
    assert [r.id for r in store.search(endpoint="getNegotiationV4")] == [negotiation_id]
    assert [r.id for r in store.search(endpoint="/businesses")] == [error_id]
    assert [r.id for r in store.search(text="Reyes")] == [negotiation_id]
    assert [r.id for r in store.search(text="Lake Worth")] == [negotiation_id]
    assert [r.id for r in store.search(text="has expired")] == [error_id]
    assert [r.id for r in store.search(text="4B")] == [negotiation_id]  # short: LIKE
    assert store.search(text=s.ACCESS_TOKEN[:40]) == []
    assert [r.id for r in store.search(text="Unauthorized", status="401")] == [error_id]
    assert store.search(text='quote " and % and _') == []
    assert len(store.search(limit=2)) == 2


def test_status_filter_words() -> None:
    assert parse_status_filter("4xx") == (400, 499)
    assert parse_status_filter("404") == (404, 404)
    assert parse_status_filter("none") is None
    assert parse_status_filter("1XX") == (100, 199)
    for nonsense in ("teapot", "7xx", "0xx", "6xx", "600", "99", "4x", ""):
        with pytest.raises(ValueError, match=r"from 100 to 599 .* from 1xx to 5xx"):
            parse_status_filter(nonsense)


def test_failed_requests_have_no_status(store: HistoryStore) -> None:
    record = ResponseRecord(request=s.error_exchange().request)
    failed = store.add(record)
    _fill(store)
    assert [r.id for r in store.search(status="none")] == [failed]


def test_limits_are_stored_and_prune_oldest(store: HistoryStore) -> None:
    for _ in range(4):
        _fill(store)
    assert store.count() == 12
    assert store.set_limits(HistoryLimits(max_entries=5, max_mb=50)) == 7
    assert store.count() == 5
    store.close()
    with HistoryStore.open() as again:
        assert again.limits() == HistoryLimits(max_entries=5, max_mb=50)
        newest = [r.id for r in again.search()]
        assert newest == list(range(12, 7, -1))
        again.add(s.error_exchange())
        assert again.count() == 5  # adding prunes to the limit
        assert again.prune(keep=2) == 3
        assert [r.id for r in again.search()] == [13, 12]
        assert again.search(text="Reyes") == []  # the index is pruned too


def test_size_limit(store: HistoryStore) -> None:
    store.set_limits(HistoryLimits(max_entries=1000, max_mb=0.01))
    for _ in range(10):
        store.add(s.negotiation_exchange())
    assert 1 <= store.count() < 10


def test_big_bodies_are_cut_with_a_marker(store: HistoryStore) -> None:
    base = s.error_exchange()
    big = ResponseRecord(
        request=base.request,
        status=200,
        headers=(("Content-Type", "text/plain"),),
        body=b"x" * (BODY_CAP_BYTES + 1000),
    )
    exchange = store.get(store.add(big))
    assert exchange is not None
    assert len(exchange.record.body) == BODY_CAP_BYTES
    assert exchange.record.body_truncated
    assert exchange.response_size == BODY_CAP_BYTES + 1000


def test_a_worker_thread_writes_while_another_reads(store: HistoryStore) -> None:
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(30):
                store.add(s.negotiation_exchange())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    while worker.is_alive():
        store.search(text="Reyes", limit=5)
    worker.join()
    assert errors == []
    assert store.count() == 30


def test_garbage_file_is_set_aside_and_reported(explorer_home: Path) -> None:
    path = AppPaths.from_environment().data / "history.sqlite3"
    path.parent.mkdir(parents=True)
    garbage = b"this is not a database " * 500
    path.write_bytes(garbage)
    with HistoryStore.open() as store:
        assert isinstance(store.damage, HistoryError)
        assert str(path) in str(store.damage)
        assert "set aside" in str(store.damage)
        backup = store.damage.backup
        assert backup is not None
        assert backup.read_bytes() == garbage  # nothing the user had is lost
        store.add(s.error_exchange())
        assert store.count() == 1


def test_damaged_pages_are_set_aside(explorer_home: Path) -> None:
    with HistoryStore.open() as store:
        for _ in range(20):
            _fill(store)
        path = store.path
    original = path.read_bytes()
    damaged = bytearray(original)
    damaged[4096 : 4096 * 4] = b"\xde\xad\xbe\xef" * (4096 * 3 // 4)
    path.write_bytes(bytes(damaged))
    with HistoryStore.open() as store:
        assert store.damage is not None
        assert store.damage.backup is not None
        assert store.damage.backup.read_bytes() == bytes(damaged)
        assert store.count() == 0


def test_unopenable_location_is_reported_not_set_aside(tmp_path: Path) -> None:
    blocker = tmp_path / "folder-as-file"
    blocker.mkdir()
    with pytest.raises(HistoryError, match="cannot be opened"):
        HistoryStore(blocker)
    assert blocker.is_dir()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from helpers import scripted_session as s
    from explorer.core.history import HistoryStore
    store = HistoryStore(Path(sys.argv[1]))
    for _ in range(5000):
        row = store.add(s.negotiation_exchange(), known_secrets=s.KNOWN_SECRETS)
        print(row, flush=True)
    """
)


def test_committed_exchanges_survive_a_kill_during_writes(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    tests_dir = Path(__file__).resolve().parents[1]
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(tests_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    committed: list[int] = []
    assert child.stdout is not None
    for line in child.stdout:
        committed.append(int(line))
        if len(committed) >= 40:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with HistoryStore(path) as store:
        assert store.damage is None
        stored = {row.id for row in store.search(limit=10000)}
        assert set(committed) <= stored
        assert store.get(committed[-1]) is not None


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_database_files_are_private_to_the_user(explorer_home: Path) -> None:
    old_umask = os.umask(0o022)  # the usual umask: new files readable by everyone
    try:
        paths = AppPaths.from_environment().ensure()
        with HistoryStore.open(paths) as history:
            _fill(history)
            files = list(paths.data.glob("history.sqlite3*"))
            assert {p.name for p in files} >= {"history.sqlite3", "history.sqlite3-wal"}
            for path in files:
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        legacy = paths.data / HISTORY_FILE
        legacy.chmod(0o644)  # a file left by an older version is tightened when opened
        with HistoryStore.open(paths):
            assert stat.S_IMODE(legacy.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)


def test_another_process_opening_the_history_never_cuts_this_one_off(tmp_path: Path) -> None:
    """The window keeps its history open while the CLI opens and closes the same file."""
    import subprocess
    import sys

    from explorer.core.models import RequestSpec as _Spec
    from explorer.core.models import ResponseRecord as _Record

    path = tmp_path / "history.sqlite3"
    reader = (
        "import sys; from pathlib import Path; from explorer.core.history import HistoryStore;"
        "s = HistoryStore(Path(sys.argv[1])); print(len(s.search())); s.close()"
    )

    def count_from_other_process() -> int:
        out = subprocess.run(
            [sys.executable, "-c", reader, str(path)], capture_output=True, text=True, check=True
        )
        return int(out.stdout.strip())

    with HistoryStore(path) as window:
        window.add(_Record(request=_Spec(method="GET", url="http://x/1"), status=200))
        assert count_from_other_process() == 1
        window.add(_Record(request=_Spec(method="GET", url="http://x/2"), status=200))
        assert count_from_other_process() == 2
        if Path("/proc/self/fd").is_dir():
            targets = []
            for fd in Path("/proc/self/fd").iterdir():
                try:
                    targets.append(str(fd.readlink()))
                except OSError:
                    continue
            assert not [t for t in targets if "history.sqlite3" in t and "(deleted)" in t]
