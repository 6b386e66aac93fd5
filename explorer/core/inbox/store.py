"""The inbox's records: a table of its own in the history database.

Deliveries live in ``webhook_deliveries`` inside the history file (``history.sqlite3``),
with the history's protections: the file is private to its owner, WAL mode, and every
row is redacted with secrets on *before* it is written (the configured password or header
value is masked wherever it appears, and so are ``Authorization`` headers). A delivery is
committed before the listener answers the sender, so a delivery that was acknowledged is
on disk even if the program is killed the next moment. The table keeps the newest
:data:`MAX_DELIVERIES`; older ones go first.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from explorer.core.history import HISTORY_FILE, _is_damage, _make_private
from explorer.core.inbox.model import (
    ContractVerdict,
    CredentialCheck,
    CredentialState,
    Delivery,
    EndpointAnswer,
    Origin,
    VerdictState,
)
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.sqlite_tx import transaction
from explorer.paths import AppPaths

MAX_DELIVERIES = 5000
#: Bodies beyond this are stored cut (and marked so); the listener refuses larger ones.
BODY_CAP_BYTES = 8 * 1024 * 1024

_SCHEMA = """
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    source TEXT NOT NULL,
    event_type TEXT NOT NULL DEFAULT '',
    webhook_id TEXT NOT NULL DEFAULT '',
    negotiation_id TEXT NOT NULL DEFAULT '',
    answered_status INTEGER NOT NULL,
    credential_state TEXT NOT NULL,
    verdict_state TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'received',
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    body_truncated INTEGER NOT NULL DEFAULT 0,
    credential TEXT NOT NULL,
    verdict TEXT NOT NULL,
    forward TEXT
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_event ON webhook_deliveries(event_type);
CREATE INDEX IF NOT EXISTS webhook_deliveries_negotiation
    ON webhook_deliveries(negotiation_id, event_type);
"""
_COLUMNS = (
    "id, received_at, method, path, source, event_type, webhook_id, negotiation_id,"
    " answered_status, credential_state, verdict_state, origin, headers, body,"
    " body_truncated, credential, verdict, forward"
)


class InboxError(Exception):
    """The inbox's records could not be used; the message names the file and what to do."""


@dataclass(frozen=True, kw_only=True)
class DeliveryFilter:
    """Which deliveries to list. Empty fields match everything."""

    event_type: str = ""
    text: str = ""
    failed_credentials: bool = False
    failed_contract: bool = False


class InboxStore:
    """The recorded deliveries. Thread-safe: the listener writes while a view reads."""

    def __init__(self, path: Path, *, max_deliveries: int = MAX_DELIVERIES) -> None:
        self.path = path
        self._max = max(1, max_deliveries)
        self._lock = threading.RLock()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            _make_private(path)
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.executescript(_SCHEMA)
            _make_private(path)
        except sqlite3.DatabaseError as exc:
            raise InboxError(self._problem(exc)) from exc
        self._conn: sqlite3.Connection | None = conn

    @classmethod
    def open(cls, paths: AppPaths | None = None) -> InboxStore:
        """The inbox table of the history in the program's data directory."""
        resolved = paths or AppPaths.from_environment()
        return cls(resolved.data / HISTORY_FILE)

    def _problem(self, exc: sqlite3.DatabaseError) -> str:
        if _is_damage(exc):
            return (
                f"History database {self.path} is damaged ({exc}). Open the window or run "
                "'thumbtack-explorer history list' once: it sets the damaged file aside and "
                "starts a new one."
            )
        return f"History database {self.path} could not be used ({exc})."

    @contextlib.contextmanager
    def _use(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._conn is None:
                raise InboxError(f"The inbox records in {self.path} are closed.")
            try:
                with transaction(self._conn, write=write) as conn:
                    yield conn
            except sqlite3.DatabaseError as exc:
                raise InboxError(self._problem(exc)) from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> InboxStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------
    def add(self, delivery: Delivery, *, known_secrets: Iterable[str] = ()) -> Delivery:
        """Redact (secrets always) and store one delivery; returns it as stored, with id."""
        safe = redact_delivery(delivery, known_secrets)
        body = safe.body[:BODY_CAP_BYTES]
        truncated = safe.body_truncated or len(body) < len(safe.body)
        with self._use(write=True) as conn:
            cursor = conn.execute(
                "INSERT INTO webhook_deliveries(received_at, method, path, source, event_type,"
                " webhook_id, negotiation_id, answered_status, credential_state,"
                " verdict_state, origin, headers, body, body_truncated, credential, verdict,"
                " forward) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    safe.received_at,
                    safe.method,
                    safe.path,
                    safe.source,
                    safe.event_type,
                    safe.webhook_id,
                    safe.negotiation_id,
                    safe.answered_status,
                    safe.credential.state.value,
                    safe.verdict.state.value,
                    safe.origin.value,
                    json.dumps([list(pair) for pair in safe.headers], ensure_ascii=False),
                    body,
                    int(truncated),
                    json.dumps(safe.credential.to_dict(), ensure_ascii=False),
                    json.dumps(safe.verdict.to_dict(), ensure_ascii=False),
                    None if safe.forward is None else json.dumps(safe.forward.to_dict()),
                ),
            )
            row_id = int(cursor.lastrowid or 0)
            conn.execute("DELETE FROM webhook_deliveries WHERE id <= ?", (row_id - self._max,))
        return replace(safe, id=row_id, body=body, body_truncated=truncated)

    def set_forward(
        self,
        delivery_id: int,
        answer: EndpointAnswer,
        *,
        answered_status: int,
        known_secrets: Iterable[str] = (),
    ) -> None:
        """Record what the forwarded endpoint answered (and what the sender was told)."""
        redactor = Redactor(RedactionPolicy.for_storage(known_secrets))
        safe = _redact_answer(answer, redactor)
        with self._use(write=True) as conn:
            conn.execute(
                "UPDATE webhook_deliveries SET forward = ?, answered_status = ? WHERE id = ?",
                (json.dumps(safe.to_dict(), ensure_ascii=False), answered_status, delivery_id),
            )

    def clear(self) -> int:
        """Remove every recorded delivery; returns how many went."""
        with self._use(write=True) as conn:
            return int(conn.execute("DELETE FROM webhook_deliveries").rowcount)

    # -- reading ----------------------------------------------------------------------
    def count(self) -> int:
        with self._use() as conn:
            return int(conn.execute("SELECT count(*) FROM webhook_deliveries").fetchone()[0])

    def list(
        self,
        where: DeliveryFilter | None = None,
        *,
        limit: int = 500,
        after_id: int = 0,
    ) -> list[Delivery]:
        """Newest first; ``after_id`` keeps only newer ones (for incremental refresh)."""
        chosen = where or DeliveryFilter()
        clauses = ["id > ?"]
        args: list[Any] = [after_id]
        if chosen.event_type:
            clauses.append("event_type = ?")
            args.append(chosen.event_type)
        if chosen.failed_credentials:
            clauses.append("credential_state IN (?, ?)")
            args += [CredentialState.WRONG.value, CredentialState.MISSING.value]
        if chosen.failed_contract:
            clauses.append("verdict_state IN (?, ?)")
            args += [VerdictState.INVALID.value, VerdictState.NOT_JSON.value]
        if chosen.text.strip():
            clauses.append("(CAST(body AS TEXT) LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\')")
            needle = "%" + _like(chosen.text.strip()) + "%"
            args += [needle, needle]
        sql = (
            f"SELECT {_COLUMNS} FROM webhook_deliveries WHERE "
            + " AND ".join(clauses)
            + " ORDER BY id DESC LIMIT ?"
        )
        args.append(max(0, limit))
        with self._use() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [_from_row(row) for row in rows]

    def get(self, delivery_id: int) -> Delivery | None:
        with self._use() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM webhook_deliveries WHERE id = ?", (delivery_id,)
            ).fetchone()
        return None if row is None else _from_row(row)

    def negotiation_arrival(self, negotiation_id: str) -> int | None:
        """The id of the first recorded NegotiationCreatedV4 for ``negotiation_id``."""
        if not negotiation_id:
            return None
        with self._use() as conn:
            row = conn.execute(
                "SELECT min(id) FROM webhook_deliveries WHERE negotiation_id = ?"
                " AND event_type = 'NegotiationCreatedV4'",
                (negotiation_id,),
            ).fetchone()
        return None if row is None or row[0] is None else int(row[0])


def redact_delivery(delivery: Delivery, known_secrets: Iterable[str] = ()) -> Delivery:
    """The delivery with secrets masked, as it is stored (and as it may be shown)."""
    redactor = Redactor(RedactionPolicy.for_storage(known_secrets))
    return redact_with(delivery, redactor)


def redact_with(delivery: Delivery, redactor: Redactor) -> Delivery:
    """The delivery through ``redactor`` (storage, presentation or output policy)."""
    if redactor.is_identity:
        return delivery
    ctype = delivery.header("content-type") or ""
    return replace(
        delivery,
        path=redactor.redact_url(delivery.path),
        headers=redactor.redact_headers(delivery.headers),
        body=redactor.redact_body(delivery.body, ctype),
        forward=None if delivery.forward is None else _redact_answer(delivery.forward, redactor),
    )


def _redact_answer(answer: EndpointAnswer, redactor: Redactor) -> EndpointAnswer:
    ctype = ""
    for key, value in answer.headers:
        if key.lower() == "content-type":
            ctype = value
    return replace(
        answer,
        url=redactor.redact_url(answer.url),
        headers=redactor.redact_headers(answer.headers),
        body=redactor.redact_body(answer.body, ctype),
        error=redactor.redact_text(answer.error),
    )


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _from_row(row: tuple[Any, ...]) -> Delivery:
    forward = json.loads(row[17]) if row[17] else None
    return Delivery(
        id=int(row[0]),
        received_at=str(row[1]),
        method=str(row[2]),
        path=str(row[3]),
        source=str(row[4]),
        event_type=str(row[5]),
        webhook_id=str(row[6]),
        negotiation_id=str(row[7]),
        answered_status=int(row[8]),
        origin=Origin(row[11]) if row[11] in {o.value for o in Origin} else Origin.RECEIVED,
        headers=tuple((str(k), str(v)) for k, v in json.loads(row[12])),
        body=bytes(row[13]),
        body_truncated=bool(row[14]),
        credential=CredentialCheck.from_dict(json.loads(row[15])),
        verdict=ContractVerdict.from_dict(json.loads(row[16])),
        forward=None if forward is None else EndpointAnswer.from_dict(forward),
    )
