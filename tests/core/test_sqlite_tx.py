"""The one SQLite transaction the history and inbox stores write through."""

import sqlite3
from pathlib import Path

import pytest

from explorer.core.sqlite_tx import transaction


def _conn(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE t(x INTEGER)")
    return conn


def test_a_write_is_committed_when_the_block_ends(tmp_path: Path) -> None:
    conn = _conn(tmp_path / "a.sqlite3")
    with transaction(conn, write=True) as c:
        c.execute("INSERT INTO t VALUES (1)")
    other = sqlite3.connect(tmp_path / "a.sqlite3")
    assert other.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_an_error_rolls_the_write_back_and_is_raised(tmp_path: Path) -> None:
    conn = _conn(tmp_path / "b.sqlite3")
    with pytest.raises(KeyError), transaction(conn, write=True) as c:
        c.execute("INSERT INTO t VALUES (1)")
        raise KeyError("stop")
    assert not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_a_read_starts_no_transaction(tmp_path: Path) -> None:
    conn = _conn(tmp_path / "c.sqlite3")
    with transaction(conn, write=False) as c:
        assert not c.in_transaction
