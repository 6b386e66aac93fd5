"""The checked explanation rules are kept in the cache folder under the hash of the rules
and the schema: a later process reads them without YAML or the validator, and any edit to
either file is checked again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from explorer.core import explain_rules
from explorer.core.explain_rules import RulesFileError, load_rules
from explorer.resources import resource_path

RULES = resource_path("explain", "rules.yaml")
SCHEMA = resource_path("explain", "rules.schema.json")


def test_a_second_load_reads_the_kept_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = load_rules(RULES, SCHEMA, cache=cache)
    kept = list(cache.glob("rules-*.json"))
    assert len(kept) == 1

    def no_checking(*_args: object) -> None:
        raise AssertionError("the kept document should have been read")

    monkeypatch.setattr(explain_rules, "_checked_document", no_checking)
    second = load_rules(RULES, SCHEMA, cache=cache)
    assert second.ids == first.ids
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    assert second.trace_step == first.trace_step


def test_an_edited_rules_file_is_checked_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    rules = tmp_path / "rules.yaml"
    shutil.copyfile(RULES, rules)
    load_rules(rules, SCHEMA, cache=cache)
    rules.write_text(rules.read_text(encoding="utf-8") + "\nunknown_top_level: 1\n")
    with pytest.raises(RulesFileError, match="problem"):
        load_rules(rules, SCHEMA, cache=cache)


def test_a_damaged_kept_document_is_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = load_rules(RULES, SCHEMA, cache=cache)
    (kept,) = cache.glob("rules-*.json")
    kept.write_text("{not json", encoding="utf-8")
    again = load_rules(RULES, SCHEMA, cache=cache)
    assert again.ids == expected.ids
    assert "rules" in json.loads(kept.read_text(encoding="utf-8"))  # written anew
    assert load_rules(RULES, SCHEMA, cache=cache).ids == expected.ids


def test_an_unwritable_cache_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert load_rules(RULES, SCHEMA, cache=blocked / "cache").ids
