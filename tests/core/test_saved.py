"""Saved requests: diff-stable files, no secrets, folders, and broken files left alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import scripted_session as s

from explorer.core.captures import Capture
from explorer.core.models import RequestSpec
from explorer.core.saved import (
    SavedRequest,
    SavedRequestError,
    SavedRequestStore,
    request_file_name,
)


@pytest.fixture
def store(tmp_path: Path) -> SavedRequestStore:
    return SavedRequestStore(tmp_path / "suite")


def _create_request() -> SavedRequest:
    spec = RequestSpec(
        method="post",
        url="{{base_url}}/api/v4/requests",
        headers=(
            ("Authorization", f"Bearer {s.ACCESS_TOKEN}"),
            ("Content-Type", "application/json"),
        ),
        body=json.dumps({"zip": "94117", "categoryID": "201565295100608806"}).encode(),
        operation_id="createRequestV4",
    )
    return SavedRequest.from_spec(spec, name="Create a request", description="Happy path")


def test_saving_twice_gives_identical_bytes(store: SavedRequestStore) -> None:
    written = store.save("create.request.json", _create_request())
    first = (store.root / written).read_bytes()
    assert (store.root / written).stat().st_mode & 0o777 == 0o600  # the user's only
    store.save("create", store.load("create"))
    second = (store.root / written).read_bytes()
    assert first == second
    assert first.endswith(b"}\n")
    document = json.loads(first)
    assert list(document) == sorted(document)
    assert b'\n  "body": {\n    "categoryID"' in first  # two-space indent, sorted keys


def test_authorization_becomes_a_reference(store: SavedRequestStore) -> None:
    written = store.save("create", _create_request())
    raw = (store.root / written).read_bytes()
    assert s.leaks(raw, s.SECRETS) == []
    loaded = store.load("create")
    assert ("Authorization", "Bearer {{access_token}}") in loaded.headers
    assert loaded.operation_id == "createRequestV4"
    assert loaded.method == "POST"
    spec = loaded.to_spec()
    assert json.loads(spec.body or b"") == {"zip": "94117", "categoryID": "201565295100608806"}


@pytest.mark.parametrize(
    ("request_", "part"),
    [
        (
            SavedRequest(name="a", method="GET", url=f"{{{{base_url}}}}/x?token={s.REFRESH_TOKEN}"),
            "the URL",
        ),
        (
            SavedRequest(name="a", method="GET", url="/x", headers=(("X-Api-Key", "k-123456"),)),
            "the header 'X-Api-Key'",
        ),
        (
            SavedRequest(
                name="a",
                method="POST",
                url="/x",
                body={"client_secret": "abc12345"},
                body_is_json=True,
            ),
            "the body",
        ),
        (
            SavedRequest(
                name="a",
                method="POST",
                url="/x",
                body=f"grant_type=refresh_token&refresh_token={s.REFRESH_TOKEN}",
            ),
            "the body",
        ),
        (
            SavedRequest(name="a", method="GET", url="/x", description=f"use {s.ACCESS_TOKEN}"),
            "the description",
        ),
    ],
)
def test_secrets_are_refused_with_a_clear_message(
    store: SavedRequestStore, request_: SavedRequest, part: str
) -> None:
    with pytest.raises(SavedRequestError) as caught:
        store.save("leaky", request_, known_secrets=s.KNOWN_SECRETS)
    assert part in str(caught.value)
    assert "{{variable}}" in str(caught.value)
    assert not (store.root / "leaky.request.json").exists()


def test_references_are_accepted(store: SavedRequestStore) -> None:
    request = SavedRequest(
        name="token",
        method="POST",
        url="{{auth_url}}/oauth2/token",
        headers=(("X-Api-Key", "{{api_key}}"),),
        body="grant_type=refresh_token&refresh_token={{refresh_token}}",
    )
    store.save("token", request)
    assert store.load("token") == request


def test_folders_rename_delete_and_tree(store: SavedRequestStore) -> None:
    store.save("smoke/create", _create_request())
    store.save("smoke/errors/unauthorized", _create_request())
    store.save("zeta", _create_request())
    store.make_folder("empty")
    assert store.rename("zeta", "smoke/renamed") == "smoke/renamed.request.json"
    tree = store.tree()
    assert tree.requests == ()
    assert [f.name for f in tree.folders] == ["empty", "smoke"]
    smoke = tree.folders[1]
    assert smoke.requests == ("smoke/create.request.json", "smoke/renamed.request.json")
    assert smoke.folders[0].requests == ("smoke/errors/unauthorized.request.json",)
    with pytest.raises(SavedRequestError, match="already exists"):
        store.rename("smoke/create", "smoke/renamed")
    store.delete("smoke/renamed")
    with pytest.raises(SavedRequestError, match="no such saved request"):
        store.load("smoke/renamed")


def test_paths_stay_inside_the_folder(store: SavedRequestStore) -> None:
    with pytest.raises(SavedRequestError, match="inside the folder"):
        store.save("../outside", _create_request())
    assert request_file_name("a/b:c?") == "a-b-c-.request.json"


def test_broken_file_is_reported_and_left_alone(store: SavedRequestStore) -> None:
    path = store.root / "broken.request.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"name": "x", "method": ', encoding="utf-8")
    with pytest.raises(SavedRequestError) as caught:
        store.load("broken")
    assert str(path) in str(caught.value)
    assert "line 1" in str(caught.value)
    assert path.read_text(encoding="utf-8") == '{"name": "x", "method": '
    path.write_text('{"name": 3, "headers": {}}', encoding="utf-8")
    with pytest.raises(SavedRequestError, match="'name' is missing or not text"):
        store.load("broken")
    assert store.tree().requests == ("broken.request.json",)


def test_a_webhook_auth_value_is_refused(store: SavedRequestStore) -> None:
    from explorer.core.saved import find_secrets

    body = {
        "webhookURL": "https://hooks.example.com/tt",
        "auth": {"header": "X-Hook-Key", "value": "whk_hdr_value_7Q2mZ9"},
    }
    spec = RequestSpec(
        method="POST",
        url="{{base_url}}/api/v4/businesses/1/webhooks",
        headers=(("Content-Type", "application/json"),),
        body=json.dumps(body).encode(),
    )
    request = SavedRequest.from_spec(spec, name="hook")
    assert find_secrets(request) == ["the body"]
    with pytest.raises(SavedRequestError, match="the body"):
        store.save("hook", request)
    body["auth"]["value"] = "{{webhook_key}}"
    safe = SavedRequest.from_spec(
        RequestSpec(method="POST", url=spec.url, body=json.dumps(body).encode()), name="hook"
    )
    assert store.save("hook", safe) == "hook.request.json"


def test_the_environment_address_is_saved_as_base_url(store: SavedRequestStore) -> None:
    store.bases = ("https://api.thumbtack.com", "https://auth.thumbtack.com")
    spec = RequestSpec(method="GET", url="https://api.thumbtack.com/api/v4/businesses")
    token = RequestSpec(method="POST", url="https://auth.thumbtack.com/oauth2/token")
    store.save("list", SavedRequest.from_spec(spec, name="list"))
    store.save("token", SavedRequest.from_spec(token, name="token"))
    assert store.load("list").url == "{{base_url}}/api/v4/businesses"
    assert store.load("token").url == "{{auth_base_url}}/oauth2/token"
    other = RequestSpec(method="GET", url="https://example.com/api/v4/businesses")
    store.save("other", SavedRequest.from_spec(other, name="other"))
    assert store.load("other").url == "https://example.com/api/v4/businesses"  # not ours


def test_an_old_file_with_a_sandbox_port_is_migrated_on_load(store: SavedRequestStore) -> None:
    old = {
        "version": 1,
        "name": "search",
        "method": "POST",
        "url": "http://127.0.0.1:48400/api/v4/businesses/search",
        "headers": [{"name": "Authorization", "value": "Bearer {{access_token}}"}],
        "body": {"zipCode": "94117"},
        "body_format": "json",
        "description": "kept as it was",
    }
    path = store.root / "search.request.json"
    store.root.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(old))
    loaded = store.load("search")
    assert loaded.url == "{{base_url}}/api/v4/businesses/search"
    rewritten = json.loads(path.read_text())
    assert rewritten["url"] == "{{base_url}}/api/v4/businesses/search"
    assert {k: v for k, v in rewritten.items() if k != "url"} == {
        **{k: v for k, v in old.items() if k != "url"},
        "operation_id": None,
    }


def test_captures_are_saved_with_the_request(store: SavedRequestStore) -> None:
    spec = RequestSpec(method="POST", url="http://127.0.0.1:1/api/v4/businesses/search")
    captures = (Capture.parse("searchID <- $.searchID"), Capture.parse("etag <- header ETag"))
    store.save("search", SavedRequest.from_spec(spec, name="search", captures=captures))
    assert store.load("search").captures == captures
    document = json.loads((store.root / "search.request.json").read_text())
    assert document["captures"] == [
        {"name": "searchID", "path": "$.searchID"},
        {"name": "etag", "header": "ETag"},
    ]
    document["captures"] = [{"name": "2bad", "path": "$.a"}]
    (store.root / "search.request.json").write_text(json.dumps(document))
    with pytest.raises(SavedRequestError, match=r"captures\[0\]: '2bad' cannot be a variable name"):
        store.load("search")
