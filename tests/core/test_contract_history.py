"""The contract verdict kept in the history (filtered by it) and carried by support bundles."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from explorer.core.bundle import BundleFormat, to_document, to_markdown, write_bundle
from explorer.core.catalog import load_catalog
from explorer.core.contract import check_response
from explorer.core.history import HistoryStore
from explorer.core.models import RequestSpec, ResponseRecord

DATA = Path(__file__).resolve().parents[1] / "data" / "openapi"
CANARY = "tok_canary_5a4b3c2d1e0f99887766"


def _record(body: dict[str, object], status: int = 200) -> ResponseRecord:
    return ResponseRecord(
        request=RequestSpec(
            method="GET", url="https://petstore.example/api/v31/pet/7", operation_id="getPetById"
        ),
        status=status,
        reason="OK",
        headers=(("Content-Type", "application/json"),),
        body=json.dumps(body).encode(),
    )


def _verdict(record: ResponseRecord) -> dict[str, object]:
    catalog = load_catalog(DATA / "swagger-petstore-3.1.yaml")
    endpoint = catalog.lookup("getPetById")
    assert endpoint is not None and record.status is not None
    result = check_response(
        catalog, endpoint, status=record.status, headers=record.headers, body=record.body
    )
    return result.to_dict()


def test_the_history_keeps_the_verdict_and_filters_by_it(tmp_path: Path) -> None:
    good = _record({"id": 1, "name": "Rex", "photoUrls": []})
    bad = _record({"id": "x", "photoUrls": [], "name": {"password": CANARY}})
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        good_id = store.add(good, contract=_verdict(good))
        bad_id = store.add(bad, contract=_verdict(bad), known_secrets=(CANARY,))
        store.add(good)  # not checked
        assert [r.id for r in store.search(verdict="violates")] == [bad_id]
        assert [r.id for r in store.search(verdict="conforms")] == [good_id]
        assert len(store.search(verdict="none")) == 1
        assert store.search()[1].verdict == "violates"
        exchange = store.get(bad_id)
    assert exchange is not None and exchange.contract is not None
    assert exchange.contract["verdict"] == "violates"
    assert {p["path"] for p in exchange.contract["problems"]} == {"$.id", "$.name"}
    assert CANARY.encode() not in (tmp_path / "history.sqlite3").read_bytes()


def test_a_history_from_before_verdicts_gets_them_and_keeps_its_exchanges(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    with HistoryStore(path) as store:
        old_id = store.add(_record({"id": 1}))
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX exchanges_verdict")
    conn.execute("ALTER TABLE exchanges DROP COLUMN verdict")
    conn.execute("ALTER TABLE exchanges DROP COLUMN contract")
    conn.commit()
    conn.close()
    with HistoryStore(path) as store:
        assert [r.id for r in store.search(verdict="none")] == [old_id]
        record = _record({"id": 2, "name": "Rex", "photoUrls": []})
        new_id = store.add(record, contract=_verdict(record))
        assert [r.id for r in store.search(verdict="conforms")] == [new_id]


def test_support_bundles_include_the_verdict(tmp_path: Path) -> None:
    bad = _record({"id": "x", "photoUrls": [], "name": 5})
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        exchange = store.get(store.add(bad, contract=_verdict(bad)))
    assert exchange is not None
    document = to_document(exchange)
    assert document["contract"]["verdict"] == "violates"
    assert document["contract"]["label"] == "violates (2)"
    markdown = to_markdown(exchange)
    assert "## Contract" in markdown and "Verdict: violates (2)" in markdown
    assert "- `$.id`: 'x' is not of type 'integer'" in markdown
    path = tmp_path / "bundle.har"
    write_bundle(path, exchange, BundleFormat.HAR)
    entry = json.loads(path.read_text())["log"]["entries"][0]
    assert entry["_contract"]["verdict"] == "violates"
