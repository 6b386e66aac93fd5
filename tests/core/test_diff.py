"""The structural diff of two exchanges: arrays matched by id, volatile fields, headers,
status, text and binary bodies, redaction, big bodies and cancelling."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from explorer.core.diff import MISSING, BodyKind, ChangeKind, DiffCancelled, compare
from explorer.core.diff_rules import (
    DEFAULT_VOLATILE,
    DiffRules,
    DiffRulesError,
    DiffRulesStore,
)
from explorer.core.models import NetworkFailure, NetworkFailureKind, RequestSpec, ResponseRecord
from explorer.core.redact import MASK, RedactionPolicy, Redactor

SPEC = RequestSpec(method="GET", url="https://api.example/api/v4/negotiations")


def record(
    body: Any, *, status: int | None = 200, headers: tuple[tuple[str, str], ...] = ()
) -> ResponseRecord:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return ResponseRecord(
        request=SPEC,
        status=status,
        reason="OK",
        headers=(("Content-Type", "application/json"), *headers),
        body=raw,
    )


def lead(number: int, **extra: Any) -> dict[str, Any]:
    return {
        "negotiationID": f"N{number}",
        "businessID": "B1",  # the same in every item: never the identity
        "status": "active",
        "createdTime": f"2026-12-0{number % 9 + 1}T10:00:00Z",
        "customer": {"customerID": f"C{number}", "displayName": f"Customer {number}"},
        **extra,
    }


def paths(diff: Any, kind: ChangeKind | None = None) -> list[str]:
    return [c.path for c in diff.changes if kind is None or c.kind is kind]


def test_equal_exchanges_have_no_differences() -> None:
    body = {"data": [lead(1), lead(2)], "pagination": {"next": None}}
    diff = compare(record(body), record(body))
    assert diff.same and diff.changes == ()
    assert diff.summary() == "No differences"
    assert diff.body_kind is BodyKind.JSON


def test_reordered_objects_are_matched_by_their_id_field() -> None:
    a = {"data": [lead(1), lead(2), lead(3)]}
    b = {"data": [lead(3), lead(1, status="closed"), lead(2)]}
    diff = compare(record(a), record(b))
    assert [(c.kind, c.path, c.old, c.new) for c in diff.changes] == [
        (ChangeKind.CHANGED, "body.data[negotiationID=N1].status", "active", "closed")
    ]
    assert diff.keyed_arrays == (("body.data", "negotiationID"),)


def test_added_and_removed_items_by_id_whatever_the_order() -> None:
    a = {"data": [lead(1), lead(2), lead(3)]}
    b = {"data": [lead(4), lead(3), lead(1)]}
    diff = compare(record(a), record(b))
    assert paths(diff, ChangeKind.REMOVED) == ["body.data[negotiationID=N2]"]
    assert paths(diff, ChangeKind.ADDED) == ["body.data[negotiationID=N4]"]
    removed = next(c for c in diff.changes if c.kind is ChangeKind.REMOVED)
    assert removed.old["customer"]["displayName"] == "Customer 2" and removed.new is MISSING
    assert diff.summary() == "2 differences: 1 added, 1 removed"


def test_arrays_without_an_identity_are_compared_by_position() -> None:
    a = {"tags": ["a", "b", "c"], "rows": [{"v": 1}, {"v": 1}]}
    b = {"tags": ["a", "c"], "rows": [{"v": 1}, {"v": 2}]}
    diff = compare(record(a), record(b))
    assert ("body.tags[1]", ChangeKind.REMOVED) in [(c.path, c.kind) for c in diff.changes]
    assert ("body.rows[1].v", ChangeKind.CHANGED) in [(c.path, c.kind) for c in diff.changes]
    assert diff.keyed_arrays == ()


def test_ids_that_repeat_are_not_used_to_match() -> None:
    a = {"data": [{"id": 1, "v": "x"}, {"id": 1, "v": "y"}]}
    b = {"data": [{"id": 1, "v": "y"}, {"id": 1, "v": "x"}]}
    diff = compare(record(a), record(b))
    assert diff.keyed_arrays == ()
    assert paths(diff) == ["body.data[0].v", "body.data[1].v"]


def test_id_keys_are_configurable() -> None:
    a = {"items": [{"code": "x", "n": 1}, {"code": "y", "n": 2}]}
    b = {"items": [{"code": "y", "n": 2}, {"code": "x", "n": 3}]}
    positional = compare(record(a), record(b))
    assert len(positional.changes) == 4
    rules = DiffRules.of(DEFAULT_VOLATILE, ("code",))
    keyed = compare(record(a), record(b), rules)
    assert paths(keyed) == ["body.items[code=x].n"]


def test_volatile_fields_are_left_out_and_counted() -> None:
    a = {"traceID": "t-1", "data": [lead(1)], "meta": {"updatedAt": "x"}}
    b = {"traceID": "t-2", "data": [lead(1, createdTime="later")], "meta": {"updatedAt": "y"}}
    headers_a = (("Date", "Fri, 04 Dec 2026 10:00:00 GMT"), ("X-Request-ID", "r1"))
    headers_b = (("Date", "Fri, 04 Dec 2026 10:00:09 GMT"), ("X-Request-ID", "r2"))
    diff = compare(record(a, headers=headers_a), record(b, headers=headers_b))
    assert diff.same, diff.changes
    assert diff.ignored == 5
    assert "body.traceID" in diff.ignored_paths and "headers.date" in diff.ignored_paths
    assert diff.summary() == "No differences; 5 in volatile fields ignored"
    everything = compare(
        record(a, headers=headers_a), record(b, headers=headers_b), DiffRules.of(())
    )
    assert set(paths(everything)) == {
        "headers.date",
        "headers.x-request-id",
        "body.traceID",
        "body.data[negotiationID=N1].createdTime",
        "body.meta.updatedAt",
    }


def test_volatile_paths_from_the_top_and_wildcards() -> None:
    a = {"data": [lead(1), lead(2)], "status": "a"}
    b = {"data": [lead(1, status="x"), lead(2, status="y")], "status": "b"}
    rules = DiffRules.of(("body.data[*].status",))
    diff = compare(record(a), record(b), rules)
    assert paths(diff) == ["body.status"]  # the top-level status is not under data[*]
    assert diff.ignored == 2


def test_an_id_field_marked_volatile_is_not_used_to_match() -> None:
    a = {"data": [lead(1), lead(2)]}
    b = {"data": [lead(5), lead(6)]}
    by_id = compare(record(a), record(b), DiffRules.of(()))
    assert sorted(c.kind.value for c in by_id.changes) == ["added", "added", "removed", "removed"]
    ids_ignored = compare(record(a), record(b), DiffRules.of(("*ID", "displayName", "*Time")))
    assert ids_ignored.same, ids_ignored.changes
    assert ids_ignored.keyed_arrays == ()


def test_status_and_headers_are_compared() -> None:
    a = record({"ok": True}, headers=(("X-Rate-Remaining", "9"), ("Cache-Control", "no-store")))
    b = record({"ok": True}, status=404, headers=(("x-rate-remaining", "8"), ("Vary", "Accept")))
    diff = compare(a, b)
    found = {(c.kind, c.path) for c in diff.changes}
    assert found == {
        (ChangeKind.CHANGED, "status"),
        (ChangeKind.CHANGED, "headers.x-rate-remaining"),
        (ChangeKind.REMOVED, "headers.cache-control"),
        (ChangeKind.ADDED, "headers.vary"),
    }
    assert diff.changes[0].path == "status"  # status, then headers, then body


def test_a_failed_exchange_against_an_answer() -> None:
    failed = ResponseRecord(
        request=SPEC,
        failure=NetworkFailure(
            kind=NetworkFailureKind.READ_TIMEOUT, exception_type="ReadTimeout", message="timed out"
        ),
    )
    diff = compare(failed, record({"ok": True}))
    status = next(c for c in diff.changes if c.path == "status")
    assert status.old == "no response (timed out)" and status.new == 200


def test_type_changes_are_changes() -> None:
    diff = compare(record({"n": 1, "m": None}), record({"n": "1", "m": {}}))
    assert sorted((c.path, c.old, c.new) for c in diff.changes) == [
        ("body.m", None, {}),
        ("body.n", 1, "1"),
    ]


def test_text_bodies_are_compared_line_by_line() -> None:
    a = ResponseRecord(request=SPEC, status=200, body=b"one\ntwo\nthree\n")
    b = ResponseRecord(request=SPEC, status=200, body=b"one\nTWO\nthree\nfour\n")
    diff = compare(a, b)
    assert diff.body_kind is BodyKind.TEXT
    assert [(c.kind, c.path, c.old, c.new) for c in diff.changes] == [
        (ChangeKind.CHANGED, "body line 2", "two", "TWO"),
        (ChangeKind.ADDED, "body line 4 (B)", MISSING, "four"),
    ]


def test_binary_bodies_are_compared_by_their_bytes() -> None:
    a = ResponseRecord(request=SPEC, status=200, body=b"\x89PNG\xff\x00\x01")
    b = ResponseRecord(request=SPEC, status=200, body=b"\x89PNG\xff\x00\x02")
    diff = compare(a, b)
    assert diff.body_kind is BodyKind.BINARY
    (change,) = diff.changes
    assert change.path == "body" and "7 bytes, sha256" in change.old and change.old != change.new
    assert compare(a, a).same


def test_reported_values_are_redacted_as_the_history_is() -> None:
    token = "ya29.a-very-secret-token-value-1234567890"
    a = record({"access_token": "old-token-value-abcdef", "note": "x"})
    b = record({"access_token": token, "note": f"Bearer {token}"})
    redactor = Redactor(RedactionPolicy.for_storage([token]))
    diff = compare(a, b, redactor=redactor)
    shown = json.dumps(diff.to_dict(), ensure_ascii=False)
    assert token not in shown and "old-token-value-abcdef" not in shown
    assert MASK in shown
    headers = compare(
        record({}, headers=(("Set-Cookie", "session=abc123secret"),)),
        record({}, headers=(("Set-Cookie", "session=zzz999secret"),)),
        DiffRules.of(()),
    )
    assert headers.changes and "abc123secret" not in json.dumps(headers.to_dict())


def big_body(count: int) -> dict[str, Any]:
    return {"data": [lead(i, notes="x" * 300) for i in range(count)], "traceID": "t"}


def test_large_bodies_with_reordered_items_and_volatile_fields() -> None:
    a = big_body(12000)
    raw_a = json.dumps(a).encode()
    assert len(raw_a) > 5_000_000
    b = json.loads(raw_a)
    random.Random(7).shuffle(b["data"])
    for item in b["data"]:
        item["createdTime"] = "2027-01-01T00:00:00Z"
    changed = b["data"][100]
    changed["status"] = "closed"
    gone = b["data"].pop(200)
    b["traceID"] = "u"
    diff = compare(record(raw_a), record(json.dumps(b).encode()))
    assert [(c.kind, c.path) for c in diff.changes] == [
        (ChangeKind.CHANGED, f"body.data[negotiationID={changed['negotiationID']}].status"),
        (ChangeKind.REMOVED, f"body.data[negotiationID={gone['negotiationID']}]"),
    ]
    assert diff.ignored > 11000


def test_a_long_diff_can_be_cancelled() -> None:
    a = json.dumps(big_body(3000)).encode()
    b = json.dumps(big_body(3001)).replace('"active"', '"closed"').encode()
    with pytest.raises(DiffCancelled):
        compare(record(a), record(b), cancelled=lambda: True)


def test_rules_reject_unusable_patterns_with_what_to_write() -> None:
    for bad, words in (("", "empty"), ("trace ID", "space"), ("a..b", "empty step")):
        with pytest.raises(DiffRulesError, match=words):
            DiffRules.of((bad,))


def test_rules_are_saved_and_a_broken_file_gives_the_defaults(tmp_path: Any) -> None:
    store = DiffRulesStore.in_config(tmp_path)
    assert store.load() == DiffRules()
    rules = DiffRules.of(("traceID", "body.meta"), ("code",))
    store.save(rules)
    assert DiffRulesStore.in_config(tmp_path).load() == rules
    (tmp_path / "diff.json").write_text('{"version": 1, "volatile": [1, 2]}')
    broken = DiffRulesStore.in_config(tmp_path)
    assert broken.load() == DiffRules()
    assert broken.problem is not None and "lists of text" in str(broken.problem)
