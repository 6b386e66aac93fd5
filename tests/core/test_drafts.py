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


def test_typed_secrets_are_never_written(tmp_path: Path) -> None:
    secrets = ("rt_DRAFT_9Hc2Wq7Y", "cs_DRAFT_Q8zT5w", "cv_DRAFT_x1", "ck_DRAFT_77", "ak_DRAFT_55")
    store = DraftStore(tmp_path / "drafts.json")
    store.put(
        "Thumbtack v4",
        "POST /oauth2/token",
        RequestInputs(
            query_params=(("access_token", "at_DRAFT_q1"), ("zip_code", "94117")),
            headers=(
                ("Cookie", "sid=ck_DRAFT_77"),
                ("X-Api-Key", "ak_DRAFT_55"),
                ("X-Partner-Token", "pt_DRAFT_66"),
                ("X-Trace", "1"),
                ("X-Key-Ref", "{{api_key}}"),
            ),
            body_text="grant_type=refresh_token&refresh_token=rt_DRAFT_9Hc2Wq7Y"
            "&client_secret=cs_DRAFT_Q8zT5w&code_verifier=cv_DRAFT_x1&code=ac_DRAFT_88",
            variables={"client_secret": "cs_DRAFT_Q8zT5w", "zip": "94117"},
        ),
    )
    data = (tmp_path / "drafts.json").read_bytes()
    for value in (*secrets, "at_DRAFT_q1", "pt_DRAFT_66", "ac_DRAFT_88"):
        assert value.encode() not in data, value
    again = DraftStore(tmp_path / "drafts.json")
    again.load()
    draft = again.get("Thumbtack v4", "POST /oauth2/token")
    assert draft is not None  # what is not a secret is kept as typed
    assert draft.query_params == (("access_token", ""), ("zip_code", "94117"))
    assert draft.headers == (("X-Trace", "1"), ("X-Key-Ref", "{{api_key}}"))
    assert draft.body_text.startswith("grant_type=refresh_token&refresh_token=••••••")
    assert draft.variables == {"client_secret": "", "zip": "94117"}


def test_a_json_body_with_a_secret_is_masked_and_a_plain_one_kept_as_typed(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "drafts.json")
    plain = '{\n  "text": "half"\n}'
    store.put("api", "a", RequestInputs(body_text=plain))
    store.put("api", "b", RequestInputs(body_text='{"auth": {"header": "X", "value": "whk_1x"}}'))
    store.put("api", "c", RequestInputs(body_text='{"refresh_token": "rt_half_typ'))
    data = (tmp_path / "drafts.json").read_bytes()
    assert b"whk_1x" not in data and b"rt_half_typ" not in data
    draft = store.get("api", "a")
    assert draft is not None and draft.body_text == plain
