"""The tabs file: tabs come back as they were written, with no secret in the file; a
damaged file is set aside and said so."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from explorer.core.builder import RequestInputs
from explorer.core.files import DocumentError
from explorer.core.models import RequestSpec, ResponseRecord, Timing
from explorer.core.tabs import BODY_CAP_BYTES, TabAnswer, TabSet, TabSnapshot, TabStore

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlLXNlY3JldA"
KNOWN = "opaque-known-secret-6612"


def answer(body: bytes = b'{"ok": true}') -> TabAnswer:
    spec = RequestSpec(
        method="GET",
        url="http://127.0.0.1:48400/api/v4/keywords/search?searchQuery=plumb",
        headers=(("Authorization", f"Bearer {TOKEN}"), ("Accept", "application/json")),
        operation_id="searchKeywordsV4",
    )
    record = ResponseRecord(
        request=spec,
        status=200,
        reason="OK",
        headers=(("Content-Type", "application/json"),),
        body=body,
        timing=Timing(total_ms=12.5, wait_ms=10.0),
        started_at="2026-12-04T22:30:00Z",
    )
    return TabAnswer(
        record=record,
        explanation={"title": "OK", "status_class": "success", "cause": f"echo {KNOWN}"},
        contract={"verdict": "conforms", "problems": []},
        inputs=RequestInputs(query_params=(("searchQuery", "plumb"),)),
    )


def test_tabs_come_back_in_order_with_their_answers(tmp_path: Path) -> None:
    store = TabStore(tmp_path / "tabs.json")
    tabs = TabSet(
        tabs=(
            TabSnapshot(
                endpoint_key="searchKeywordsV4",
                inputs=RequestInputs(query_params=(("searchQuery", "plumber"),)),
                baseline=RequestInputs(query_params=(("searchQuery", "plumb"),)),
                pinned=True,
                answer=answer(),
            ),
            TabSnapshot(method="POST", url="https://example.test/echo"),
        ),
        current=1,
    )
    store.save(tabs)
    back = store.load()
    assert back.current == 1
    first, second = back.tabs
    assert first.endpoint_key == "searchKeywordsV4" and first.pinned
    assert first.inputs.query_params == (("searchQuery", "plumber"),)
    assert first.baseline is not None and first.baseline.query_params == (("searchQuery", "plumb"),)
    assert first.answer is not None
    record = first.answer.record
    assert (record.status, record.body, record.timing.total_ms) == (200, b'{"ok": true}', 12.5)
    assert record.started_at == "2026-12-04T22:30:00Z"
    assert record.request.operation_id == "searchKeywordsV4"
    assert first.answer.contract == {"verdict": "conforms", "problems": []}
    assert first.answer.inputs == RequestInputs(query_params=(("searchQuery", "plumb"),))
    assert (second.method, second.url, second.answer) == ("POST", "https://example.test/echo", None)


def test_no_secret_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "tabs.json"
    body = json.dumps({"access_token": TOKEN, "note": f"known {KNOWN}"}).encode()
    typed = RequestInputs(
        headers=(("Authorization", f"Bearer {TOKEN}"), ("X-Trace", "keep-me")),
        query_params=(("client_secret", "s3cr3t-value-123"),),
        body_text=json.dumps({"password": "hunter2hunter2"}),
    )
    TabStore(path).save(
        TabSet(tabs=(TabSnapshot(endpoint_key="getTokenV4", inputs=typed, answer=answer(body)),)),
        known_secrets=[KNOWN],
    )
    text = path.read_text(encoding="utf-8")
    for secret in (TOKEN, KNOWN, "s3cr3t-value-123", "hunter2hunter2"):
        assert secret not in text
    assert "keep-me" in text  # what is not secret is kept
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0  # the owner's only


def test_a_binary_body_survives_and_a_long_one_is_cut(tmp_path: Path) -> None:
    store = TabStore(tmp_path / "tabs.json")
    binary = bytes(range(256))
    long = b"x" * (BODY_CAP_BYTES + 10)
    store.save(
        TabSet(
            tabs=(
                TabSnapshot(endpoint_key="a", answer=answer(binary)),
                TabSnapshot(endpoint_key="b", answer=answer(long)),
            )
        )
    )
    a, b = store.load().tabs
    assert a.answer is not None and a.answer.record.body == binary
    assert b.answer is not None and len(b.answer.record.body) == BODY_CAP_BYTES
    assert b.answer.record.body_truncated


def test_a_damaged_file_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "tabs.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DocumentError) as caught:
        TabStore(path).load()
    assert caught.value.backup is not None and caught.value.backup.exists()
    assert not path.exists()  # the next save cannot overwrite what was there
    assert "tabs.json" in str(caught.value)


def test_entries_that_do_not_fit_are_dropped_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "tabs.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "current": 7,
                "tabs": [
                    "not a tab",
                    {"endpoint": "", "url": ""},
                    {"endpoint": "searchKeywordsV4", "answer": {"request": "broken"}},
                ],
            }
        ),
        encoding="utf-8",
    )
    back = TabStore(path).load()
    assert [t.endpoint_key for t in back.tabs] == ["searchKeywordsV4"]
    assert back.tabs[0].answer is None
    assert back.current == 0


def test_a_newer_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "tabs.json"
    path.write_text(json.dumps({"version": 99, "tabs": []}), encoding="utf-8")
    with pytest.raises(DocumentError, match="newer"):
        TabStore(path).load()
    assert path.exists()
