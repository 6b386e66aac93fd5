"""HAR 1.2: a Chromium network log becomes saved requests, and saved requests become HAR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.har_io import har_plan, requests_to_har
from explorer.core.interchange import InterchangeError, apply_plan, read_suite
from explorer.core.saved import SavedRequestStore

DATA = Path(__file__).parent / "data" / "har"
CHROMIUM = (DATA / "chromium-partner-page.har").read_text(encoding="utf-8")
TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcm8ifQ.c2lnbmF0dXJlLXZhbHVl"


def test_a_chromium_har_becomes_api_requests_with_examples() -> None:
    plan = har_plan(CHROMIUM)
    names = [(item.folder, item.request.method, item.request.url) for item in plan.requests]
    assert names == [
        (
            "api.thumbtack.com",
            "GET",
            "https://api.thumbtack.com/api/v4/negotiations/548954743629463556/messages?limit=10",
        ),
        (
            "api.thumbtack.com",
            "POST",
            "https://api.thumbtack.com/api/v4/negotiations/548954743629463556/messages",
        ),
        ("partner.example.com", "POST", "https://partner.example.com/upload"),
    ]
    listing = plan.requests[0].request
    header_names = [k.lower() for k, _ in listing.headers]
    assert not any(name.startswith(":") for name in header_names)
    assert "cookie" not in header_names
    assert dict(listing.headers)["authorization"] == "Bearer {{access_token}}"
    assert listing.example is not None and listing.example["status"] == 200
    assert "Saturday" in listing.example["body"]
    assert all(k.lower() != "set-cookie" for k, _ in listing.example["headers"])
    posted = plan.requests[1].request
    assert posted.body == {"text": "Saturday works!"} and posted.body_is_json
    assert [(s.name, s.value) for s in plan.secrets] == [("access_token", TOKEN)]


def test_binary_bodies_and_page_resources_are_reported_not_imported_as_text() -> None:
    plan = har_plan(CHROMIUM)
    upload = plan.requests[2].request
    assert upload.body is None and upload.example is not None and upload.example["body"] is None
    assert any("binary" in note and "POST /upload" in note for note in plan.notes)
    assert any("2048 bytes" in note for note in plan.notes)
    assert any("2 entries for the page itself" in note for note in plan.notes)
    everything = har_plan(CHROMIUM, include_page_resources=True)
    assert len(everything.requests) == 5


def test_har_to_saved_to_har_keeps_every_field(tmp_path: Path) -> None:
    plan = har_plan(CHROMIUM)
    written = apply_plan(plan, SavedRequestStore(tmp_path))
    assert len(written) == 3
    on_disk = "".join(p.read_text() for p in tmp_path.rglob("*.request.json"))
    assert TOKEN not in on_disk and "8f1c2b7e9a" not in on_disk
    suite = read_suite(tmp_path)
    har = requests_to_har([item.request for item in suite.requests])
    original = json.loads(CHROMIUM)["log"]["entries"]
    kept = [e for e in original if e["_resourceType"] in ("fetch", "xhr")]
    by_url = {(e["request"]["method"], e["request"]["url"]): e for e in kept}
    assert har["log"]["version"] == "1.2"
    assert len(har["log"]["entries"]) == 3
    for entry in har["log"]["entries"]:
        source = by_url[(entry["request"]["method"], entry["request"]["url"])]
        wanted = [
            (h["name"], h["value"])
            for h in source["request"]["headers"]
            if not h["name"].startswith(":") and h["name"] not in ("cookie", "content-length")
        ]
        got = [(h["name"], h["value"]) for h in entry["request"]["headers"]]
        assert got == [(k, v.replace(TOKEN, "{{access_token}}")) for k, v in wanted]
        if "postData" in source["request"]:
            assert json.loads(entry["request"]["postData"]["text"]) == json.loads(
                source["request"]["postData"]["text"]
            )
        assert entry["response"]["status"] == source["response"]["status"]
        if source["response"]["content"].get("encoding") != "base64":
            assert entry["response"]["content"]["text"] == source["response"]["content"]["text"]


@pytest.mark.parametrize(
    ("data", "words"),
    [("not json", "not JSON"), ('{"log": {}}', "no log.entries"), ("[1]", "no log.entries")],
)
def test_malformed_har_says_what_to_do(data: str, words: str) -> None:
    with pytest.raises(InterchangeError, match=words):
        har_plan(data)


def test_broken_entries_are_listed_and_the_rest_imported() -> None:
    document = json.loads(CHROMIUM)
    document["log"]["entries"].insert(0, {"request": {"method": "GET"}})
    document["log"]["entries"].insert(0, {"request": {"url": "wss://h/socket"}})
    plan = har_plan(json.dumps(document))
    assert len(plan.requests) == 3
    assert any("no request URL" in note for note in plan.notes)
    assert any("wss" in note for note in plan.notes)
