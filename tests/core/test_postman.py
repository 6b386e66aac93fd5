"""Postman v2.0/v2.1 in, v2.1 out: folders, variables, environments, auth; scripts reported.

The exported collection is validated against Postman's own collection schema (v2.1.0,
draft-07, from github.com/postmanlabs/schemas, Apache-2.0) kept in tests/core/data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from explorer.core.interchange import InterchangeError, apply_plan, read_suite
from explorer.core.postman import postman_plan, suite_to_postman
from explorer.core.saved import SavedRequestStore

DATA = Path(__file__).parent / "data" / "postman"
COLLECTION = (DATA / "thumbtack-partner.postman_collection.json").read_text(encoding="utf-8")
ENVIRONMENT = (DATA / "staging.postman_environment.json").read_text(encoding="utf-8")
SCHEMA = json.loads((DATA / "collection-v2.1.0.schema.json").read_text(encoding="utf-8"))


def _requests(collection: dict[str, Any], folder: str = "") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for item in collection["item"]:
        if "item" in item:
            found += _requests(item, f"{folder}/{item['name']}".strip("/"))
        else:
            found.append((f"{folder}/{item['name']}".strip("/"), item))
    return found


def test_a_postman_export_becomes_folders_of_requests() -> None:
    plan = postman_plan(COLLECTION)
    assert plan.source == "Postman collection v2.1" and plan.title == "Thumbtack Partner API"
    where = [(item.folder, item.request.name) for item in plan.requests]
    assert where == [
        ("Auth", "Client credentials token"),
        ("Messages", "List messages"),
        ("Messages", "Send a message"),
        ("", "Upload a photo"),
    ]
    token, listing, send, upload = (item.request for item in plan.requests)
    assert listing.url == "{{baseUrl}}/api/v4/negotiations/548954743629463556/messages?limit=10"
    assert ("Authorization", "Bearer {{access_token}}") in listing.headers  # inherited auth
    assert all(k != "X-Debug" for k, _ in listing.headers)  # disabled header
    assert listing.example is not None and listing.example["status"] == 200
    assert send.body == {"text": "Saturday works at {{now}}"} and send.body_is_json
    assert send.description == "Replies to the customer."
    assert token.body == "grant_type=client_credentials&audience=urn%3Apartner-api"
    assert dict(token.headers)["Authorization"] == "Basic {{basic_credentials}}"
    assert "multipart/form-data" in dict(upload.headers)["Content-Type"]
    assert plan.variables == {
        "baseUrl": "https://api.thumbtack.com",
        "authBase": "https://auth.thumbtack.com",
    }


def test_secrets_are_set_aside_and_scripts_listed() -> None:
    plan = postman_plan(COLLECTION, environment=ENVIRONMENT)
    secrets = {ref.name: ref.value for ref in plan.secrets}
    assert secrets["client_secret"] == "partner-secret-7Qx"
    assert secrets["access_token"] == "staging-token-9f8e7d6c"
    assert plan.variables["baseUrl"] == "https://staging-api.thumbtack.com"
    assert "unused" not in plan.variables
    text = json.dumps([item.request.to_document() for item in plan.requests])
    assert "partner-secret-7Qx" not in text and "staging-token" not in text
    assert any("test script (2 lines)" in note for note in plan.notes)
    assert any("pre-request script" in note and "Send a message" in note for note in plan.notes)
    assert any("kitchen" not in note and "file on the author's disk" in note for note in plan.notes)


def test_postman_to_suite_to_postman_field_by_field(tmp_path: Path) -> None:
    plan = postman_plan(COLLECTION)
    apply_plan(plan, SavedRequestStore(tmp_path))
    exported = suite_to_postman(read_suite(tmp_path))
    jsonschema.validate(exported, SCHEMA)
    assert exported["info"]["name"] == "Thumbtack Partner API"
    original = dict(_requests(json.loads(COLLECTION)))
    again = dict(_requests(exported))
    assert set(again) == set(original)
    variables = {v["key"]: v["value"] for v in exported["variable"]}
    assert variables["baseUrl"] == "https://api.thumbtack.com"
    assert variables["access_token"] == "" and variables["basic_credentials"] == ""
    listing = again["Messages/List messages"]["request"]
    assert listing["method"] == "GET"
    assert listing["url"]["raw"] == (
        "{{baseUrl}}/api/v4/negotiations/548954743629463556/messages?limit=10"
    )
    assert listing["url"]["query"] == [{"key": "limit", "value": "10"}]
    assert {"key": "Accept", "value": "application/json"} in listing["header"]
    assert again["Messages/List messages"]["response"][0]["code"] == 200
    send = again["Messages/Send a message"]["request"]
    assert json.loads(send["body"]["raw"]) == {"text": "Saturday works at {{now}}"}
    assert send["body"]["options"]["raw"]["language"] == "json"
    # and the exported file imports back to the same requests
    back = postman_plan(json.dumps(exported))

    def fields(items):  # type: ignore[no-untyped-def]
        return sorted(
            (
                i.folder,
                i.request.name,
                i.request.method,
                i.request.url,
                i.request.headers,
                i.request.body,
                i.request.description,
            )
            for i in items
        )

    assert fields(back.requests) == fields(plan.requests)


def test_v2_0_collections_import_with_their_auth_format() -> None:
    collection = {
        "info": {
            "name": "Old",
            "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json",
        },
        "item": [
            {
                "name": "Me",
                "request": {
                    "url": "https://api.thumbtack.com/api/v4/users/self",
                    "method": "GET",
                    "auth": {"type": "bearer", "bearer": {"token": "v2-0-token-123456"}},
                },
            },
            {"name": "Plain", "request": "https://example.com/ping"},
        ],
    }
    plan = postman_plan(json.dumps(collection))
    assert plan.source == "Postman collection v2.0"
    me, plain = (item.request for item in plan.requests)
    assert dict(me.headers)["Authorization"] == "Bearer {{access_token}}"
    assert plan.secrets[0].value == "v2-0-token-123456"
    assert plain.method == "GET" and plain.url == "https://example.com/ping"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("{", "not JSON"),
        ('{"id": "x", "requests": []}', "v1 collection"),
        ('{"info": {"name": "x", "schema": "https://example.com/v9"}}', "not v2.0 or v2.1"),
        ("[]", "top level is not an object"),
    ],
)
def test_malformed_collections_say_what_to_do(data: str, words: str) -> None:
    with pytest.raises(InterchangeError, match=words):
        postman_plan(data)


def test_a_broken_item_is_listed_and_the_rest_imported() -> None:
    collection = json.loads(COLLECTION)
    collection["item"].append({"name": "Broken", "request": {"method": "GET"}})
    collection["item"].append(
        {"name": "Hawk", "request": {"url": "https://h/x", "auth": {"type": "hawk"}}}
    )
    plan = postman_plan(json.dumps(collection))
    assert len(plan.requests) == 5
    assert any("'Broken' has no URL" in note for note in plan.notes)
    assert any("hawk auth" in note for note in plan.notes)


PUBLIC = sorted((DATA / "public").glob("*.json"))


@pytest.mark.parametrize("path", PUBLIC, ids=[p.stem for p in PUBLIC])
def test_postmans_own_example_collections_import_and_export_valid(
    path: Path, tmp_path: Path
) -> None:
    """Collections from Postman's schema repository (see data/postman/public/SOURCE.md)."""
    plan = postman_plan(path.read_text(encoding="utf-8"))
    assert plan.requests
    for item in plan.requests:
        assert urlsplit_scheme(item.request.url) in ("http", "https")
    written = json.dumps([item.request.to_document() for item in plan.requests])
    for ref in plan.secrets:
        assert ref.value not in written
    apply_plan(plan, SavedRequestStore(tmp_path))
    exported = suite_to_postman(read_suite(tmp_path))
    jsonschema.validate(exported, SCHEMA)


def urlsplit_scheme(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).scheme


def test_the_v2_0_example_keeps_its_old_style_bodies_and_path_variables() -> None:
    plan = postman_plan((DATA / "public" / "v2.0-httpbin.json").read_text(encoding="utf-8"))
    by_name = {item.request.name: item.request for item in plan.requests}
    assert by_name["POST with URL params and JSON"].body == {"gimme": "somejson!"}
    assert b'name="postdata"' in by_name["POST with URL params and form-data"].to_spec().body
    assert by_name["POST with URL params and urlencoded"].body == "somekey=somevalue"
    assert by_name["PathVariables"].url == "http://httpbin.org/status/{{code}}"
    assert any("{{code}}" in note for note in plan.notes)
    assert any("no scheme" in note for note in plan.notes)


def test_bearer_tokens_in_postmans_example_are_set_aside() -> None:
    plan = postman_plan((DATA / "public" / "v2.1-bearerAuthTest.json").read_text())
    assert [ref.value for ref in plan.secrets] == ["wkjehbxoqnunc2k3"]
    (item,) = plan.requests
    assert dict(item.request.headers)["Authorization"] == "Bearer {{access_token}}"
    assert any("test script" in note for note in plan.notes)
