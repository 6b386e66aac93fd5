"""The history of exchanges: a SQLite database in the data directory.

Every exchange (request, response, timing, explanation, environment, profile) is redacted
with secrets on *before* it is written; callers cannot opt out. The store is searchable by
endpoint, status (``404`` or ``4xx``) and text (FTS5 trigram index, ``LIKE`` when FTS5 is
missing), bounded by limits the user sets (kept in the database), and written in WAL mode
inside transactions so a crash loses at most the exchange being written. The database and
its -wal/-shm files are readable by their owner only. A damaged
database is set aside (renamed, never emptied), reported as a :class:`HistoryError`, and a
new empty one is created. One lock serialises all use, so a worker thread may write while
the GUI thread reads.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from explorer.core.files import set_aside
from explorer.core.models import (
    Explanation,
    NetworkFailure,
    NetworkFailureKind,
    RequestSpec,
    ResponseRecord,
    Timing,
)
from explorer.core.redact import MASK, RedactionPolicy, Redactor
from explorer.core.sqlite_tx import transaction
from explorer.paths import AppPaths

HISTORY_FILE = "history.sqlite3"
BODY_CAP_BYTES = 2 * 1024 * 1024
#: Default limits, from ``python -m bench --only history``: at 100,000 stored exchanges an
#: add (pruning included) stays near 1 ms and every search under 50 ms, so the number of
#: exchanges is not what needs bounding; the disk is. 200 MB holds about 40,000 typical
#: API exchanges (about 5 KB each on disk), and the count limit sits above that so the
#: runner and the webhook inbox, which write far more than a person, keep a working day.
DEFAULT_MAX_ENTRIES = 50_000
DEFAULT_MAX_MB = 200.0
_SEARCH_CAP = 64 * 1024
_SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS exchanges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    operation_id TEXT,
    status INTEGER,
    environment TEXT NOT NULL DEFAULT '',
    profile TEXT NOT NULL DEFAULT '',
    total_ms REAL NOT NULL DEFAULT 0,
    request TEXT NOT NULL,
    request_body BLOB,
    response TEXT NOT NULL,
    response_body BLOB NOT NULL,
    response_size INTEGER NOT NULL,
    explanation TEXT,
    search_text TEXT NOT NULL,
    size_bytes INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS exchanges_endpoint ON exchanges(endpoint);
CREATE INDEX IF NOT EXISTS exchanges_status ON exchanges(status);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Running totals (how many exchanges, how many bytes) kept by triggers in the same
# transaction as every insert and delete, whoever writes, so pruning never scans the table.
# A covering index of (id, size_bytes) lets pruning walk the oldest rows without reading
# their bodies.
_TOTALS = (
    "CREATE TABLE IF NOT EXISTS totals ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " entries INTEGER NOT NULL,"
    " bytes INTEGER NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS exchanges_totals_insert AFTER INSERT ON exchanges BEGIN"
    " UPDATE totals SET entries = entries + 1, bytes = bytes + NEW.size_bytes WHERE id = 1;"
    " END",
    "CREATE TRIGGER IF NOT EXISTS exchanges_totals_delete AFTER DELETE ON exchanges BEGIN"
    " UPDATE totals SET entries = entries - 1, bytes = bytes - OLD.size_bytes WHERE id = 1;"
    " END",
    "CREATE TRIGGER IF NOT EXISTS exchanges_totals_update"
    " AFTER UPDATE OF size_bytes ON exchanges BEGIN"
    " UPDATE totals SET bytes = bytes - OLD.size_bytes + NEW.size_bytes WHERE id = 1;"
    " END",
    "CREATE INDEX IF NOT EXISTS exchanges_age_size ON exchanges(id, size_bytes)",
    "INSERT OR IGNORE INTO totals(id, entries, bytes)"
    " SELECT 1, count(*), coalesce(sum(size_bytes), 0) FROM exchanges",
)


class HistoryError(Exception):
    """The history could not be used. Names the database and, if so, where it was set aside."""

    def __init__(self, path: Path, problem: str, backup: Path | None = None) -> None:
        self.path = path
        self.problem = problem
        self.backup = backup
        where = (
            f" It was set aside as {backup} and a new, empty history was started." if backup else ""
        )
        super().__init__(f"History database {path}: {problem}.{where}")


@dataclass(frozen=True, kw_only=True)
class HistoryLimits:
    """How much history to keep: the oldest exchanges go first."""

    max_entries: int = DEFAULT_MAX_ENTRIES
    max_mb: float = DEFAULT_MAX_MB


@dataclass(frozen=True, kw_only=True)
class ExchangeSummary:
    """One row of the history list."""

    id: int
    created_at: str
    method: str
    url: str
    endpoint: str
    operation_id: str | None
    status: int | None
    environment: str
    profile: str
    total_ms: float
    cause: str = ""  # why the outcome came from elsewhere (the token could not be had)
    verdict: str | None = None  # the contract verdict (contract.Verdict), when one was made

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, kw_only=True)
class Exchange:
    """One request/response with its context. From the history it is already redacted."""

    record: ResponseRecord
    explanation: Mapping[str, Any] | None = None
    environment: str = ""
    profile: str = ""
    created_at: str = ""
    id: int | None = None
    response_size: int | None = None  # size before storage truncation, when it was cut
    contract: Mapping[str, Any] | None = None  # ContractResult.to_dict(), when one was made

    @property
    def request(self) -> RequestSpec:
        return self.record.request

    @property
    def operation_id(self) -> str | None:
        return self.record.request.operation_id

    def resend_spec(self) -> RequestSpec:
        """The request to send again: masked headers (the old Authorization) are dropped so
        the sender adds current credentials; everything else is as stored."""
        spec = self.record.request
        headers = tuple((k, v) for k, v in spec.headers if MASK not in v)
        return RequestSpec(
            method=spec.method,
            url=spec.url,
            headers=headers,
            body=spec.body,
            operation_id=spec.operation_id,
            timeout_s=spec.timeout_s,
            follow_redirects=spec.follow_redirects,
            thumbtack=spec.thumbtack,
        )


def parse_status_filter(text: str) -> tuple[int, int] | None:
    """``"404"`` -> (404, 404); ``"4xx"`` -> (400, 499); ``"none"`` -> None (no response).

    Raises ValueError with a message that says what is accepted.
    """
    value = text.strip().lower()
    if value in ("none", "failed", "network"):
        return None
    if len(value) == 3 and value[0] in "12345" and value[1:] == "xx":
        low = int(value[0]) * 100
        return low, low + 99
    if value.isdigit() and 100 <= int(value) <= 599:
        return int(value), int(value)
    raise ValueError(
        f"'{text}' is not a status: give a code from 100 to 599 (e.g. 404), a class from "
        "1xx to 5xx (e.g. 4xx), or 'none' for requests that got no response."
    )


def _make_private(path: Path) -> None:
    """The database file and its -wal/-shm files readable by their owner only (0600).

    The file is created with that mode before SQLite opens it (SQLite gives the -wal and
    -shm files the database's mode); files left by an older version are tightened. Where
    the file cannot be made, SQLite's own error reports it.
    """
    if os.name != "posix":
        return
    # Create only: opening and closing the file while SQLite has it open would drop this
    # process's POSIX locks on it, and another process could then delete the live -wal.
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        with contextlib.suppress(OSError):
            os.chmod(path.with_name(name), 0o600)


class HistoryStore:
    """The history database. Open with :meth:`open`; check :attr:`damage` after opening."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.damage: HistoryError | None = None
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._fts = False
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            self._connect()
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise HistoryError(path, describe_database_error(exc, path, "opened")) from exc
            self.damage = self._set_aside(str(exc))
            self._connect()

    @classmethod
    def open(cls, paths: AppPaths | None = None) -> HistoryStore:
        """The history in the program's data directory."""
        resolved = paths or AppPaths.from_environment()
        return cls(resolved.data / HISTORY_FILE)

    # -- connection -------------------------------------------------------------------
    def _connect(self) -> None:
        _make_private(self.path)
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {row[0] if row else '?'}")
            conn.executescript(_SCHEMA)
            _add_contract_columns(conn)
            _ensure_totals(conn)
            self._fts = _ensure_fts(conn)
            conn.execute(
                "INSERT OR IGNORE INTO settings(key, value) VALUES ('schema_version', ?)",
                (str(_SCHEMA_VERSION),),
            )
        except BaseException:
            conn.close()
            raise
        _make_private(self.path)  # the -wal and -shm files now exist
        self._conn = conn

    def _set_aside(self, problem: str) -> HistoryError:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        backup = set_aside(self.path) if self.path.exists() else None
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists() and backup is not None:
                side.replace(backup.with_name(backup.name + suffix))
        return HistoryError(self.path, f"it is damaged ({problem})", backup)

    @contextlib.contextmanager
    def _use(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._conn is None:
                raise HistoryError(self.path, "it is closed")
            try:
                with transaction(self._conn, write=write) as conn:
                    yield conn
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    raise HistoryError(
                        self.path, describe_database_error(exc, self.path, "used")
                    ) from exc
                error = self._set_aside(str(exc))
                self._connect()
                raise error from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------
    def add(
        self,
        record: ResponseRecord,
        *,
        explanation: Explanation | Mapping[str, Any] | None = None,
        environment: str = "",
        profile: str = "",
        known_secrets: Iterable[str] = (),
        created_at: str | None = None,
        contract: Mapping[str, Any] | None = None,
    ) -> int:
        """Redact (secrets always) and store one exchange; returns its id.

        ``contract`` is the contract verdict (``ContractResult.to_dict()``), kept with the
        exchange so the history can be filtered by it.
        """
        row = self._prepare(
            record,
            explanation=explanation,
            environment=environment,
            profile=profile,
            known_secrets=known_secrets,
            created_at=created_at,
            contract=contract,
        )
        with self._use(write=True) as conn:
            row_id = self._insert_locked(conn, row)
            self._prune_locked(conn, self._limits_locked(conn), keep=None)
        return row_id

    def _prepare(
        self,
        record: ResponseRecord,
        *,
        explanation: Explanation | Mapping[str, Any] | None = None,
        environment: str = "",
        profile: str = "",
        known_secrets: Iterable[str] = (),
        created_at: str | None = None,
        contract: Mapping[str, Any] | None = None,
    ) -> tuple[Any, ...]:
        """The redacted row :meth:`add` writes, in the column order of :meth:`_insert_locked`."""
        redactor = Redactor(RedactionPolicy.for_storage(known_secrets))
        safe = redactor.redact_record(record)
        contract_json = None if contract is None else json.dumps(redactor.redact_mapping(contract))
        verdict = None if contract is None else str(contract.get("verdict") or "") or None
        explained: dict[str, Any] | None = None
        if explanation is not None:
            raw = explanation.to_dict() if isinstance(explanation, Explanation) else explanation
            explained = redactor.redact_mapping(raw)
        request_body = safe.request.body
        if request_body is not None and len(request_body) > BODY_CAP_BYTES:
            request_body = request_body[:BODY_CAP_BYTES]
        response_body = safe.body[:BODY_CAP_BYTES]
        response_size = len(safe.body)
        request_doc = _spec_to_dict(safe.request, truncated=request_body != safe.request.body)
        response_doc = _record_to_dict(safe, truncated=len(response_body) < response_size)
        search = "\n".join(
            [
                safe.request.method,
                safe.request.url,
                safe.request.operation_id or "",
                str(safe.status or ""),
                _text(request_body or b"")[:_SEARCH_CAP],
                _text(response_body)[:_SEARCH_CAP],
                str((explained or {}).get("title", "")),
            ]
        )
        request_json = json.dumps(request_doc, ensure_ascii=False)
        response_json = json.dumps(response_doc, ensure_ascii=False)
        explanation_json = None if explained is None else json.dumps(explained)
        size = (
            len(request_json)
            + len(response_json)
            + len(request_body or b"")
            + len(response_body)
            + len(search)
            + len(explanation_json or "")
            + len(contract_json or "")
        )
        stamp = created_at or datetime.now(UTC).isoformat(timespec="milliseconds")
        return (
            stamp,
            safe.request.method.upper(),
            safe.request.url,
            urlsplit(safe.request.url).path or "/",
            safe.request.operation_id,
            safe.status,
            environment,
            profile,
            safe.timing.total_ms,
            request_json,
            request_body,
            response_json,
            response_body,
            response_size,
            explanation_json,
            search,
            size,
            verdict,
            contract_json,
        )

    def _insert_locked(self, conn: sqlite3.Connection, row: tuple[Any, ...]) -> int:
        """Write one row made by :meth:`_prepare` (and its full-text entry); returns its id."""
        cursor = conn.execute(
            "INSERT INTO exchanges(created_at, method, url, endpoint, operation_id, status,"
            " environment, profile, total_ms, request, request_body, response,"
            " response_body, response_size, explanation, search_text, size_bytes,"
            " verdict, contract)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            row,
        )
        row_id = int(cursor.lastrowid or 0)
        if self._fts:
            conn.execute(
                "INSERT INTO exchanges_fts(rowid, search_text) VALUES (?, ?)", (row_id, row[15])
            )
        return row_id

    # -- limits and pruning -----------------------------------------------------------
    def limits(self) -> HistoryLimits:
        with self._use() as conn:
            return self._limits_locked(conn)

    def set_limits(self, limits: HistoryLimits) -> int:
        """Store new limits (in the database), prune to them; returns how many went."""
        if limits.max_entries < 1 or limits.max_mb <= 0:
            raise ValueError("Keep at least 1 exchange and more than 0 MB of history.")
        with self._use(write=True) as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                [("max_entries", str(limits.max_entries)), ("max_mb", str(limits.max_mb))],
            )
            return self._prune_locked(conn, limits, keep=None)

    def prune(self, *, keep: int | None = None) -> int:
        """Remove the oldest exchanges beyond the limits (or beyond ``keep``); returns how
        many went."""
        if keep is not None and keep < 0:
            raise ValueError("--keep must be 0 or more.")
        with self._use(write=True) as conn:
            removed = self._prune_locked(conn, self._limits_locked(conn), keep=keep)
        if removed:
            with self._use() as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    def _limits_locked(self, conn: sqlite3.Connection) -> HistoryLimits:
        stored = dict(conn.execute("SELECT key, value FROM settings").fetchall())
        try:
            return HistoryLimits(
                max_entries=int(stored.get("max_entries", DEFAULT_MAX_ENTRIES)),
                max_mb=float(stored.get("max_mb", DEFAULT_MAX_MB)),
            )
        except ValueError:
            return HistoryLimits()

    def _prune_locked(
        self, conn: sqlite3.Connection, limits: HistoryLimits, *, keep: int | None
    ) -> int:
        max_entries = limits.max_entries if keep is None else min(keep, limits.max_entries)
        count, total = self._totals_locked(conn)
        max_bytes = int(limits.max_mb * 1024 * 1024)
        excess = count - max_entries
        over = total - max_bytes
        if excess <= 0 and over <= 0:
            return 0
        # The oldest rows go first until both limits hold, walked in batches through the
        # (id, size_bytes) index; one ranged delete removes them.
        removed = 0
        cutoff: int | None = None
        after = -1
        while excess > 0 or over > 0:
            batch = conn.execute(
                "SELECT id, size_bytes FROM exchanges INDEXED BY exchanges_age_size"
                " WHERE id > ? ORDER BY id LIMIT ?",
                (after, max(excess, 64) if over <= 0 else 256),
            ).fetchall()
            if not batch:
                break
            for row_id, size in batch:
                if excess <= 0 and over <= 0:
                    break
                cutoff = row_id
                removed += 1
                excess -= 1
                over -= size
            after = batch[-1][0]
        if cutoff is not None:
            conn.execute("DELETE FROM exchanges WHERE id <= ?", (cutoff,))
            if self._fts:
                conn.execute("DELETE FROM exchanges_fts WHERE rowid <= ?", (cutoff,))
        return removed

    def _totals_locked(self, conn: sqlite3.Connection) -> tuple[int, int]:
        """(exchanges, bytes) from the running totals."""
        row = conn.execute("SELECT entries, bytes FROM totals WHERE id = 1").fetchone()
        if row is None:  # the totals row was removed by hand: count once, then keep it
            _ensure_totals(conn)
            row = conn.execute("SELECT entries, bytes FROM totals WHERE id = 1").fetchone()
        return int(row[0]), int(row[1])

    # -- reading ----------------------------------------------------------------------
    def count(self) -> int:
        with self._use() as conn:
            return self._totals_locked(conn)[0]

    def search(
        self,
        *,
        endpoint: str | None = None,
        status: str | None = None,
        text: str | None = None,
        limit: int = 100,
        offset: int = 0,
        verdict: str | None = None,
        before_id: int | None = None,
        after_id: int | None = None,
    ) -> list[ExchangeSummary]:
        """Newest first. ``endpoint`` matches an operationId exactly or part of the path;
        ``status`` is a code, a class (``4xx``) or ``none``; ``text`` searches everything;
        ``verdict`` is a contract verdict (``violates``, ``conforms``, …) or ``none``
        (exchanges that were not checked). ``before_id`` / ``after_id`` keep only older /
        newer exchanges than that id: the next page of a list, or what was added since
        (paging by id costs the same at any depth, unlike ``offset``)."""
        where: list[str] = []
        args: list[Any] = []
        if verdict:
            if verdict == "none":
                where.append("verdict IS NULL")
            else:
                where.append("verdict = ?")
                args.append(verdict)
        if endpoint:
            where.append("(operation_id = ? OR endpoint LIKE ? ESCAPE '\\')")
            args += [endpoint, f"%{_like(endpoint)}%"]
        if status:
            bounds = parse_status_filter(status)
            if bounds is None:
                where.append("status IS NULL")
            elif bounds[0] == bounds[1]:  # one code: the index yields its rows in id order
                where.append("status = ?")
                args.append(bounds[0])
            else:
                where.append("status BETWEEN ? AND ?")
                args += list(bounds)
        source = "exchanges"
        order = "id"
        if text and text.strip():
            needle = text.strip()
            if self._fts and len(needle) >= 3:
                # Walk the full-text index newest first and stop at the page's end, rather
                # than collecting every match and sorting it.
                source = "exchanges_fts CROSS JOIN exchanges ON exchanges.id = exchanges_fts.rowid"
                order = "exchanges_fts.rowid"
                where.append("exchanges_fts MATCH ?")
                args.append('"' + needle.replace('"', '""') + '"')
            else:
                where.append("exchanges.search_text LIKE ? ESCAPE '\\'")
                args.append(f"%{_like(needle)}%")
        if before_id is not None:
            where.append(f"{order} < ?")
            args.append(before_id)
        if after_id is not None:
            where.append(f"{order} > ?")
            args.append(after_id)
        # The page's ids first (from the indexes alone where a filter has one), then the
        # columns of those rows only.
        page = (
            f"SELECT exchanges.id FROM {source}"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {order} DESC LIMIT ? OFFSET ?"
        )
        sql = (
            "SELECT id, created_at, method, url, endpoint, operation_id, status, environment,"
            " profile, total_ms, json_extract(response, '$.cause'), verdict FROM exchanges"
            f" WHERE id IN ({page}) ORDER BY id DESC"
        )
        args += [max(0, limit), max(0, offset)]
        with self._use() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [
            ExchangeSummary(
                id=row[0],
                created_at=row[1],
                method=row[2],
                url=row[3],
                endpoint=row[4],
                operation_id=row[5],
                status=row[6],
                environment=row[7],
                profile=row[8],
                total_ms=row[9],
                cause=row[10] or "",
                verdict=row[11],
            )
            for row in rows
        ]

    def get(self, exchange_id: int) -> Exchange | None:
        """The stored (redacted) exchange, or None when there is no such id."""
        with self._use() as conn:
            row = conn.execute(
                "SELECT id, created_at, environment, profile, request, request_body, response,"
                " response_body, response_size, explanation, contract FROM exchanges"
                " WHERE id = ?",
                (exchange_id,),
            ).fetchone()
        if row is None:
            return None
        spec = _spec_from_dict(json.loads(row[4]), row[5])
        record = _record_from_dict(json.loads(row[6]), spec, bytes(row[7]))
        explanation = json.loads(row[9]) if row[9] else None
        contract = json.loads(row[10]) if row[10] else None
        return Exchange(
            id=row[0],
            created_at=row[1],
            environment=row[2],
            profile=row[3],
            record=record,
            explanation=explanation,
            response_size=row[8],
            contract=contract,
        )


def _ensure_totals(conn: sqlite3.Connection) -> None:
    """The running totals and their triggers, made in one transaction (so no exchange
    written meanwhile by another process is missed); counted once from the table when the
    totals row is missing."""
    made = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'totals'").fetchone()
    if made and conn.execute("SELECT 1 FROM totals WHERE id = 1").fetchone():
        return
    started = not conn.in_transaction
    if started:
        conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _TOTALS:
            conn.execute(statement)
    except BaseException:
        if started:
            conn.execute("ROLLBACK")
        raise
    if started:
        conn.execute("COMMIT")


def _add_contract_columns(conn: sqlite3.Connection) -> None:
    """Histories written before contract verdicts were kept get the two columns."""
    columns = {str(row[1]) for row in conn.execute("PRAGMA table_info(exchanges)")}
    if "verdict" not in columns:
        conn.execute("ALTER TABLE exchanges ADD COLUMN verdict TEXT")
    if "contract" not in columns:
        conn.execute("ALTER TABLE exchanges ADD COLUMN contract TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS exchanges_verdict ON exchanges(verdict)")


#: Below this many free bytes a write failure is put down to a full disk.
_NEARLY_FULL = 8 * 1024 * 1024


def describe_database_error(exc: sqlite3.DatabaseError, path: Path, doing: str) -> str:
    """What went wrong with the database file, in words, with what to do."""
    import shutil

    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    try:
        full = shutil.disk_usage(path.parent).free < _NEARLY_FULL
    except OSError:
        full = False
    if code == sqlite3.SQLITE_FULL or (full and code in (sqlite3.SQLITE_IOERR, 0)):
        return (
            f"it could not be {doing}: the disk is full. Free some space; the history "
            "already saved is kept"
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return (
            f"it could not be {doing}: it or its folder is read-only. Make {path.parent} "
            "writable for you (or set THUMBTACK_EXPLORER_HOME to a writable folder)"
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return (
            f"it could not be {doing}: the file cannot be opened. Check that {path.parent} "
            "exists and is readable and writable for you"
        )
    if code == sqlite3.SQLITE_IOERR:
        return (
            f"it could not be {doing}: the disk could not be read or written ({exc}). Check "
            "the free space and the disk"
        )
    return f"it could not be {doing} ({exc})"


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Corruption or "file is not a database", as opposed to locks, permissions or bugs."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "integrity check" in text


def _ensure_fts(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS exchanges_fts"
            " USING fts5(search_text, tokenize='trigram')"
        )
    except sqlite3.OperationalError:
        return False
    return True


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def _spec_to_dict(spec: RequestSpec, *, truncated: bool) -> dict[str, Any]:
    return {
        "method": spec.method,
        "url": spec.url,
        "headers": [list(pair) for pair in spec.headers],
        "operation_id": spec.operation_id,
        "timeout_s": spec.timeout_s,
        "follow_redirects": spec.follow_redirects,
        "thumbtack": spec.thumbtack,
        "has_body": spec.body is not None,
        "body_truncated": truncated,
    }


def _spec_from_dict(doc: Mapping[str, Any], body: bytes | None) -> RequestSpec:
    return RequestSpec(
        method=doc["method"],
        url=doc["url"],
        headers=tuple((str(k), str(v)) for k, v in doc.get("headers", [])),
        body=(bytes(body) if body is not None else b"") if doc.get("has_body") else None,
        operation_id=doc.get("operation_id"),
        timeout_s=float(doc.get("timeout_s", 30.0)),
        follow_redirects=bool(doc.get("follow_redirects", False)),
        thumbtack=doc["thumbtack"] if isinstance(doc.get("thumbtack"), bool) else None,
    )


def _record_to_dict(record: ResponseRecord, *, truncated: bool) -> dict[str, Any]:
    failure = record.failure
    return {
        "status": record.status,
        "reason": record.reason,
        "http_version": record.http_version,
        "headers": [list(pair) for pair in record.headers],
        "body_truncated": record.body_truncated or truncated,
        "timing": asdict(record.timing),
        "failure": None
        if failure is None
        else {
            "kind": failure.kind.value,
            "exception_type": failure.exception_type,
            "message": failure.message,
            "chain": list(failure.chain),
        },
        "started_at": record.started_at,
        "url": record.url,
        "cause": record.cause,
    }


def _record_from_dict(doc: Mapping[str, Any], spec: RequestSpec, body: bytes) -> ResponseRecord:
    failure_doc = doc.get("failure")
    failure = None
    if failure_doc:
        try:
            kind = NetworkFailureKind(failure_doc.get("kind", "other"))
        except ValueError:
            kind = NetworkFailureKind.OTHER
        failure = NetworkFailure(
            kind=kind,
            exception_type=failure_doc.get("exception_type", ""),
            message=failure_doc.get("message", ""),
            chain=tuple(failure_doc.get("chain", [])),
        )
    return ResponseRecord(
        request=spec,
        status=doc.get("status"),
        reason=doc.get("reason", ""),
        http_version=doc.get("http_version", ""),
        headers=tuple((str(k), str(v)) for k, v in doc.get("headers", [])),
        body=body,
        body_truncated=bool(doc.get("body_truncated", False)),
        timing=Timing(**doc.get("timing", {})),
        failure=failure,
        started_at=doc.get("started_at", ""),
        url=doc.get("url", ""),
        cause=str(doc.get("cause") or ""),
    )
