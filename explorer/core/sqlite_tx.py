"""One SQLite transaction, for the stores that share the history database.

``transaction(conn, write=True)`` begins an immediate (write-locking) transaction, commits
it when the block ends, and rolls it back on any exception before re-raising it; with
``write=False`` it only hands the connection over. The stores translate the exceptions into
their own messages around it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, *, write: bool) -> Iterator[sqlite3.Connection]:
    """Yield ``conn``; when ``write``, inside BEGIN IMMEDIATE … COMMIT, rolled back on error."""
    if not write:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
