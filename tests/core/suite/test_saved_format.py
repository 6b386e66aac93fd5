"""A suite step is a saved request: the window's store keeps its assertions, profile and
``as`` byte for byte, writes them sorted, and refuses a secret written into an assertion."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from explorer.core.captures import Capture
from explorer.core.saved import SavedRequest, SavedRequestError, SavedRequestStore

STEP = SavedRequest(
    name="Search keywords",
    method="GET",
    url="{{base_url}}/api/v4/keywords/search?searchQuery=plumb",
    assertions=({"status": "2xx"}, {"jsonpath": "$.data", "length": {"min": 1}}),
    captures=(Capture.parse("keywordID <- $.data[0].keywordID"),),
    role="app",
)


def test_a_step_round_trips_through_the_store(tmp_path: Path) -> None:
    store = SavedRequestStore(tmp_path)
    written = store.save("search", STEP)
    first = (tmp_path / written).read_bytes()
    loaded = store.load(written)
    assert loaded == STEP
    store.save("search", loaded)  # saved again unchanged: the same bytes
    assert (tmp_path / written).read_bytes() == first
    text = first.decode()
    assert text.index('"as"') < text.index('"assertions"') < text.index('"captures"')


def test_a_request_without_suite_keys_is_written_as_before(tmp_path: Path) -> None:
    store = SavedRequestStore(tmp_path)
    plain = SavedRequest(name="x", method="GET", url="{{base_url}}/api/v4/users/self")
    text = (tmp_path / store.save("x", plain)).read_text()
    assert '"assertions"' not in text and '"as"' not in text and '"profile"' not in text


def test_a_secret_in_an_assertion_is_refused(tmp_path: Path) -> None:
    leaky = replace(
        STEP,
        assertions=(
            {"header": "X-Echo", "equals": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"},
        ),
    )
    with pytest.raises(SavedRequestError, match="the assertions"):
        SavedRequestStore(tmp_path / "requests").save("leaky", leaky)
    assert not (tmp_path / "requests" / "leaky.request.json").exists()


def test_a_wrong_role_is_reported_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.request.json").write_text(
        '{"version": 1, "name": "b", "method": "GET", "url": "/x", "as": "admin"}'
    )
    with pytest.raises(SavedRequestError, match="'as' must be app, customer or pro"):
        SavedRequestStore(tmp_path).load("bad")
