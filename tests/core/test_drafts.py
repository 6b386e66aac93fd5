"""Drafts survive a reload, never keep a token, and a damaged file is set aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.builder import RequestInputs
from explorer.core.drafts import DraftStore
from explorer.core.files import DocumentError
from explorer.paths import AppPaths

INPUTS = RequestInputs(
    path_params={"negotiationID": "42"},
    query_params=(("limit", "5"), ("utmData[utm_source]", "cma-x")),
    headers=(("Authorization", "Bearer secret-token"), ("X-Trace", "1")),
    body_text='{"text": "half-typed',
)


def test_drafts_survive_a_reload(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts.json")
    store.load()
    store.put("Thumbtack Partner API", "sendMessageV4", INPUTS)
    again = DraftStore(tmp_path / "drafts.json")
    again.load()
    draft = again.get("Thumbtack Partner API", "sendMessageV4")
    assert draft is not None
    assert draft.body_text == INPUTS.body_text and draft.query_params == INPUTS.query_params
    assert again.get("Other API", "sendMessageV4") is None
    assert again.keys("Thumbtack Partner API") == ("sendMessageV4",)


def test_authorization_values_are_never_written(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts.json")
    store.put("api", "op", INPUTS)
    text = (tmp_path / "drafts.json").read_text(encoding="utf-8")
    assert "secret-token" not in text
    draft = store.get("api", "op")
    assert draft is not None and draft.headers == (("X-Trace", "1"),)
    assert json.loads(text)["version"] == 1


def test_corrupt_file_is_set_aside_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "drafts.json"
    path.write_text('{"version": 1, "catalogs": {', encoding="utf-8")
    store = DraftStore(path)
    with pytest.raises(DocumentError) as info:
        store.load()
    assert info.value.backup is not None and info.value.backup.exists()
    assert info.value.backup.read_text(encoding="utf-8") == '{"version": 1, "catalogs": {'
    assert "line 1" in str(info.value)
    store.put("api", "op", RequestInputs(body_text="{}"))
    assert info.value.backup.read_text(encoding="utf-8") == '{"version": 1, "catalogs": {'


def test_removing_a_draft_and_the_default_location(tmp_path: Path) -> None:
    paths = AppPaths.from_environment({"THUMBTACK_EXPLORER_HOME": str(tmp_path)})
    store = DraftStore.for_paths(paths)
    assert store.path == tmp_path / "data" / "drafts.json"
    store.put("api", "op", INPUTS)
    store.remove("api", "op")
    reloaded = DraftStore.for_paths(paths)
    reloaded.load()
    assert reloaded.get("api", "op") is None
