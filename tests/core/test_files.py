"""Atomic writes and versioned documents: nothing half-written, nothing silently lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.files import DocumentError, VersionedDocument, atomic_write, dump_json

DOC = VersionedDocument(
    kind="example",
    version=2,
    migrations={1: lambda d: {k: v for k, v in d.items() if k != "old"} | {"renamed": d["old"]}},
)


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a" / "file.json"
    atomic_write(target, "first")
    atomic_write(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]
    assert target.stat().st_mode & 0o777 == 0o600


def test_missing_file_gives_default(tmp_path: Path) -> None:
    assert DOC.load(tmp_path / "none.json", default=lambda: {"x": 1}) == {"x": 1}


def test_old_version_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps({"version": 1, "old": "value"}))
    assert DOC.load(path, default=dict) == {"version": 2, "renamed": "value"}


def test_broken_file_is_reported_with_location_and_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"version": 2,\n "a": }')
    with pytest.raises(DocumentError) as info:
        DOC.load(path, default=dict)
    assert "line 2" in str(info.value)
    assert str(path) in str(info.value)
    assert info.value.backup is not None and info.value.backup.read_text().endswith("}")
    assert not path.exists()


def test_newer_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps({"version": 9}))
    with pytest.raises(DocumentError, match="newer"):
        DOC.load(path, default=dict)
    assert path.exists()


def test_dump_json_is_stable() -> None:
    assert dump_json({"b": 1, "a": [2]}) == dump_json({"a": [2], "b": 1})
