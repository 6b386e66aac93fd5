"""``parse_json`` for big bodies: the outer levels walked in Python, the rest in C, with
exactly the result and the errors of ``json.loads``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core import body_search
from explorer.core.body_search import parse_json

documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5)
    ),
    max_leaves=40,
)


@pytest.fixture(autouse=True)
def always_sliced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(body_search, "FAST_PARSE_LIMIT", 0)


@settings(max_examples=200, deadline=None)
@given(documents, st.sampled_from([None, 2]))
def test_the_same_document_as_json_loads(document: Any, indent: int | None) -> None:
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    assert parse_json(text.encode(), "utf-8") == json.loads(text)


@pytest.mark.parametrize("bad", ["[1,", '{"a":}', "[1] x", '{"a" 1}', "", "[[[", '{"a": [1, }'])
def test_invalid_json_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_json(bad.encode(), "utf-8")


def test_a_big_array_of_objects() -> None:
    document = {"data": [{"id": i, "tags": ["a", {"b": [i]}]} for i in range(5000)], "n": 1}
    assert parse_json(json.dumps(document).encode(), "utf-8") == document
