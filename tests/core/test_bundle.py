"""Support bundles: redacted HAR 1.2, JSON and Markdown files of one exchange."""

from __future__ import annotations

import base64
import json
import platform
from pathlib import Path

import pytest
from helpers import scripted_session as s

from explorer import __version__
from explorer.core.bundle import BundleFormat, to_har, to_markdown, write_bundle
from explorer.core.history import Exchange, HistoryStore
from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.redact import MASK

EXPLANATION = {
    "rule_id": "auth.expired",
    "title": "The access token has expired",
    "cause": f"Token {s.ACCESS_TOKEN} is past its lifetime.",
    "fix": ["Refresh the token", "Send again"],
    "doc_url": "https://developers.thumbtack.com/docs/getting-started/authentication",
}


def _exchanges() -> list[Exchange]:
    return [
        Exchange(record=record, explanation=EXPLANATION, environment="Sandbox", profile="qa")
        for record in s.all_exchanges()
    ]


@pytest.mark.parametrize("fmt", list(BundleFormat))
def test_bundles_carry_no_secret_and_no_personal_data(tmp_path: Path, fmt: BundleFormat) -> None:
    for index, exchange in enumerate(_exchanges()):
        path = tmp_path / f"bundle{index}{fmt.suffix}"
        write_bundle(path, exchange, fmt)
        assert path.stat().st_mode & 0o777 == 0o600  # readable by the user only
        raw = path.read_bytes()
        assert s.leaks(raw, s.SECRETS) == []
        assert s.leaks(raw, s.PERSONAL) == []
        assert __version__.encode() in raw
        assert platform.system().encode() in raw
        assert b"Sandbox" in raw


def test_har_is_har_1_2() -> None:
    document = to_har(_exchanges())
    log = document["log"]
    assert log["version"] == "1.2"
    assert log["creator"] == {"name": "Thumbtack API Explorer", "version": __version__}
    token, negotiation, error = log["entries"]
    assert token["request"]["method"] == "POST"
    assert token["request"]["postData"]["mimeType"] == "application/x-www-form-urlencoded"
    assert f"client_secret={MASK}" in token["request"]["postData"]["text"]
    assert {"name": "Authorization", "value": f"Basic {MASK}"} in token["request"]["headers"]
    assert json.loads(token["response"]["content"]["text"])["refresh_token"] == MASK
    assert token["timings"] == {
        "blocked": -1,
        "dns": 1.0,
        "connect": 2.0,
        "ssl": -1,
        "send": 0.5,
        "wait": 20.0,
        "receive": 0.0,
    }
    assert token["time"] == 25.0
    assert token["startedDateTime"] == "2026-09-15T04:02:24Z"
    assert {"name": "access_token", "value": MASK} in negotiation["request"]["queryString"]
    assert negotiation["response"]["status"] == 200
    assert error["response"]["status"] == 401
    assert error["_explanation"]["title"] == "The access token has expired"
    for entry in log["entries"]:
        for key in ("request", "response", "cache", "timings", "startedDateTime", "time"):
            assert key in entry


def test_binary_bodies_are_base64_in_har() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    record = ResponseRecord(
        request=RequestSpec(method="GET", url="https://x.test/logo.png"),
        status=200,
        headers=(("Content-Type", "image/png"),),
        body=png,
    )
    content = to_har([Exchange(record=record)])["log"]["entries"][0]["response"]["content"]
    assert content["encoding"] == "base64"
    assert base64.b64decode(content["text"]) == png
    assert content["mimeType"] == "image/png"


def test_markdown_summary_reads_well() -> None:
    text = to_markdown(_exchanges()[2])
    assert text.startswith("# GET https://api.thumbtack.test/api/v4/businesses\n")
    assert "- **Result:** 401 Unauthorized" in text
    assert "## The access token has expired" in text
    assert "1. Refresh the token" in text
    assert "```json\n{" in text
    details = text.split("```json\n", 1)[1].rsplit("\n```", 1)[0]
    assert json.loads(details)["response"]["status"] == 401


def test_json_bundle_has_a_markdown_summary(tmp_path: Path) -> None:
    path = write_bundle(tmp_path / "b.json", _exchanges()[1], "json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["about"]["version"] == __version__
    assert document["environment"] == "Sandbox"
    assert document["timing_ms"]["total_ms"] == 41.5
    assert document["summary_markdown"].startswith("# GET ")
    customer = json.loads(document["response"]["body"]["text"])["data"]["customer"]
    assert customer["firstName"] == MASK


def test_a_stored_exchange_exports_too(tmp_path: Path) -> None:
    with HistoryStore.open() as store:
        exchange = store.get(store.add(s.negotiation_exchange(), environment="Production"))
    assert exchange is not None
    path = write_bundle(tmp_path / "x.har", exchange, BundleFormat.HAR)
    entry = json.loads(path.read_text(encoding="utf-8"))["log"]["entries"][0]
    assert entry["_environment"] == "Production"
    assert s.leaks(path.read_bytes(), s.SECRETS + s.PERSONAL) == []
