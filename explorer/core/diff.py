"""A structural diff of two exchanges: status, headers and body, value by value.

:func:`compare` turns each :class:`~explorer.core.models.ResponseRecord` into one
document (``status``, ``headers`` by lower-case name, ``body`` parsed as JSON when it is
JSON) and reports each changed, added and removed value with its path
(``body.data[negotiationID=123].status``). Arrays of objects that carry an identifying
field (see :class:`~explorer.core.diff_rules.DiffRules`) are compared item by item by
that field, whatever their order; fields the rules call volatile are left out and
counted. Text bodies are compared line by line, other bodies by their bytes.

DeepDiff classifies the differences. Before it runs, one walk over both documents drops
every part that is equal on both sides (most of a large body usually is), so two 10 MB
bodies are compared in well under two seconds. The cyclic garbage collector is paused
while a diff builds its millions of small objects (it would otherwise walk them again and
again and take most of the time); JSON documents hold no cycles.

Every value reported is passed through the program's
:class:`~explorer.core.redact.Redactor` with its field name, so a diff never shows a
secret the history would not store.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from explorer.core.body_search import parse_json
from explorer.core.diff_rules import DiffRules
from explorer.core.models import ResponseRecord
from explorer.core.redact import RedactionPolicy, Redactor

#: How many line changes a text body diff reports before it says "and more".
MAX_TEXT_CHANGES = 2000


class ChangeKind(StrEnum):
    """What happened to one value between the first exchange (A) and the second (B)."""

    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"

    @property
    def mark(self) -> str:
        """A sign beside the word, never colour alone: ``~``, ``+``, ``−``."""
        return {"changed": "~", "added": "+", "removed": "−"}[self.value]


class _Missing:
    """The value on the side where a field is absent."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True, kw_only=True)
class Change:
    """One difference: where, what kind, and the value on each side (MISSING if none)."""

    kind: ChangeKind
    path: str
    old: Any = MISSING
    new: Any = MISSING

    def to_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {"kind": self.kind.value, "path": self.path}
        if self.old is not MISSING:
            document["old"] = self.old
        if self.new is not MISSING:
            document["new"] = self.new
        return document


class BodyKind(StrEnum):
    JSON = "json"
    TEXT = "text"
    BINARY = "binary"
    NONE = "none"


@dataclass(frozen=True, kw_only=True)
class ExchangeDiff:
    """The differences between two exchanges, in document order."""

    changes: tuple[Change, ...]
    body_kind: BodyKind
    #: how many differences lay in volatile fields (not reported), and a few of their paths
    ignored: int = 0
    ignored_paths: tuple[str, ...] = ()
    #: path of each array compared by an identifying field -> that field
    keyed_arrays: tuple[tuple[str, str], ...] = ()
    truncated: bool = False  # a text body diff stopped at MAX_TEXT_CHANGES
    notes: tuple[str, ...] = field(default=())  # e.g. one body was cut short when stored

    @property
    def same(self) -> bool:
        return not self.changes

    def counts(self) -> dict[ChangeKind, int]:
        found = dict.fromkeys(ChangeKind, 0)
        for change in self.changes:
            found[change.kind] += 1
        return found

    def summary(self) -> str:
        """``"3 differences: 1 changed, 1 added, 1 removed; 12 volatile ignored"``."""
        counts = self.counts()
        if self.same:
            text = "No differences"
        else:
            parts = [f"{counts[k]} {k.value}" for k in ChangeKind if counts[k]]
            noun = "difference" if len(self.changes) == 1 else "differences"
            text = f"{len(self.changes)} {noun}: " + ", ".join(parts)
        if self.ignored:
            text += f"; {self.ignored} in volatile fields ignored"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "same": self.same,
            "summary": self.summary(),
            "body": self.body_kind.value,
            "changes": [change.to_dict() for change in self.changes],
            "ignored": self.ignored,
            "ignored_paths": list(self.ignored_paths),
            "keyed_arrays": {path: key for path, key in self.keyed_arrays},
            "truncated": self.truncated,
            "notes": list(self.notes),
        }


class _ItemKey(str):
    """The key of an array item matched by its identifying field (``negotiationID=12``)."""

    __slots__ = ()


class DiffCancelled(Exception):
    """The diff was cancelled before it finished."""


@dataclass
class _Walk:
    rules: DiffRules
    cancelled: Callable[[], bool]
    ignored: int = 0
    ignored_paths: list[str] = field(default_factory=list)
    keyed: dict[str, str] = field(default_factory=dict)
    steps: int = 0

    def tick(self) -> None:
        self.steps += 1
        if self.steps & 0x3FF == 0 and self.cancelled():
            raise DiffCancelled

    def ignore(self, path: str) -> None:
        self.ignored += 1
        if len(self.ignored_paths) < 50:
            self.ignored_paths.append(path)


def _step(path: str, key: object) -> str:
    if isinstance(key, _ItemKey):
        return f"{path}[{key}]"
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _scalar(value: object) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool)


def _id_field(walk: _Walk, a: list[Any], b: list[Any], path: str) -> str | None:
    """The field that identifies every object of both arrays (unique on each side)."""
    items = [*a, *b]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    common: set[str] = {key for key in items[0] if isinstance(key, str)}
    for item in items[1:]:
        common &= item.keys()
        if not common:
            return None
    # The best-ranked pattern first; among equals, the field named after the array
    # (negotiations -> negotiationID), then the one the objects list first.
    parent = path.rsplit(".", 1)[-1].split("[", 1)[0].lower()
    order = {name: index for index, name in enumerate(items[0])}
    ranked: list[tuple[int, int, int, str]] = []
    for name in common:
        rank = walk.rules.id_rank(name)
        if rank is None or walk.rules.is_volatile(name, f"{path}[*].{name}"):
            continue
        stem = name.lower().removesuffix("id").rstrip("_")
        named = 0 if stem and parent.startswith(stem) else 1
        ranked.append((rank, named, order[name], name))
    for *_rank, name in sorted(ranked):
        ok = True
        for side in (a, b):
            values = [item[name] for item in side]
            if not all(_scalar(v) for v in values) or len(set(values)) != len(values):
                ok = False
                break
        if ok:
            return name
    return None


def _keyed(items: list[Any], name: str) -> dict[_ItemKey, Any]:
    return {_ItemKey(f"{name}={item[name]}"): item for item in items}


#: Containers shallower than this are walked rather than compared with ``==``: one such
#: comparison of two big documents is a single C call that would hold the GIL.
_WALK_DEPTH = 3


def _equal(left: Any, right: Any, depth: int) -> bool:
    if left is right:
        return True
    if depth < _WALK_DEPTH and isinstance(left, dict | list):
        return False  # walked instead
    return bool(left == right) and type(left) is type(right)


def _prune(
    walk: _Walk, a: Any, b: Any, path: str, *, headers: bool = False, depth: int = 0
) -> tuple[Any, Any]:
    """Both values with every part equal on both sides taken out, volatile fields left
    out (and counted), arrays of identified objects turned into dicts by their id."""
    walk.tick()
    if isinstance(a, dict) and isinstance(b, dict):
        out_a: dict[Any, Any] = {}
        out_b: dict[Any, Any] = {}
        for key in (*a, *(k for k in b if k not in a)):
            here = _step(path, key)
            left = a.get(key, MISSING)
            right = b.get(key, MISSING)
            name = key if isinstance(key, str) and not isinstance(key, _ItemKey) else ""
            if name and walk.rules.is_volatile(name, here, header=headers):
                if left != right:
                    walk.ignore(here)
                continue
            if left is MISSING:
                out_b[key] = right
            elif right is MISSING:
                out_a[key] = left
            elif _equal(left, right, depth):
                continue
            else:
                x, y = _prune(walk, left, right, here, headers=here == "headers", depth=depth + 1)
                if x or y or type(x) is not type(y):  # both empty: equal once pruned
                    out_a[key], out_b[key] = x, y
        return out_a, out_b
    if isinstance(a, list) and isinstance(b, list):
        id_field = _id_field(walk, a, b, path)
        if id_field is not None:
            walk.keyed[path] = id_field
            return _prune(walk, _keyed(a, id_field), _keyed(b, id_field), path, depth=depth)
        if len(a) == len(b):
            pruned_a: list[Any] = []
            pruned_b: list[Any] = []
            for index, (left, right) in enumerate(zip(a, b, strict=True)):
                if _equal(left, right, depth):
                    pruned_a.append(None)
                    pruned_b.append(None)
                else:
                    x, y = _prune(walk, left, right, f"{path}[{index}]", depth=depth + 1)
                    same = not x and not y and type(x) is type(y)
                    pruned_a.append(None if same else x)
                    pruned_b.append(None if same else y)
            return pruned_a, pruned_b
        return a, b
    return a, b


def _render(path: list[Any]) -> str:
    text = ""
    for key in path:
        text = _step(text, key)
    return text


def _decode_json(body: bytes) -> tuple[bool, Any]:
    stripped = body.lstrip()[:1]
    if stripped not in (b"{", b"[", b'"') and not stripped[:1].isdigit():
        return False, None
    try:
        # Big bodies in GIL slices: one json.loads of 10 MB would stop the window.
        return True, parse_json(body, "utf-8")
    except (ValueError, RecursionError, UnicodeDecodeError):
        return False, None


def _headers(record: ResponseRecord) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in record.headers:
        key = name.lower()
        found[key] = f"{found[key]}, {value}" if key in found else value
    return found


def _status(record: ResponseRecord) -> Any:
    if record.status is None:
        return f"no response ({record.failure.message})" if record.failure else "no response"
    return record.status


def _body_kind(record: ResponseRecord) -> tuple[BodyKind, Any]:
    if not record.body:
        return BodyKind.NONE, None
    is_json, value = _decode_json(record.body)
    if is_json:
        return BodyKind.JSON, value
    try:
        return BodyKind.TEXT, record.body.decode("utf-8")
    except UnicodeDecodeError:
        return BodyKind.BINARY, record.body


def _deepdiff(a: Any, b: Any) -> Iterator[Change]:
    from deepdiff import DeepDiff  # imported only when there is something to classify

    found = DeepDiff(a, b, view="tree", verbose_level=2, threshold_to_diff_deeper=0, cache_size=0)
    kinds = {
        "values_changed": ChangeKind.CHANGED,
        "type_changes": ChangeKind.CHANGED,
        "dictionary_item_added": ChangeKind.ADDED,
        "iterable_item_added": ChangeKind.ADDED,
        "dictionary_item_removed": ChangeKind.REMOVED,
        "iterable_item_removed": ChangeKind.REMOVED,
    }
    for category, levels in found.items():
        kind = kinds.get(category, ChangeKind.CHANGED)
        for level in levels:
            old = MISSING if kind is ChangeKind.ADDED else level.t1
            new = MISSING if kind is ChangeKind.REMOVED else level.t2
            yield Change(
                kind=kind, path=_render(level.path(output_format="list")), old=old, new=new
            )


def _text_changes(a: str, b: str) -> tuple[list[Change], bool]:
    left, right = a.splitlines(), b.splitlines()
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=len(left) > 2000)
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        where = f"body line {i1 + 1}" if i2 - i1 <= 1 else f"body lines {i1 + 1}-{i2}"
        if tag == "insert":
            where = f"body line {j1 + 1} (B)" if j2 - j1 <= 1 else f"body lines {j1 + 1}-{j2} (B)"
            changes.append(Change(kind=ChangeKind.ADDED, path=where, new="\n".join(right[j1:j2])))
        elif tag == "delete":
            changes.append(Change(kind=ChangeKind.REMOVED, path=where, old="\n".join(left[i1:i2])))
        else:
            changes.append(
                Change(
                    kind=ChangeKind.CHANGED,
                    path=where,
                    old="\n".join(left[i1:i2]),
                    new="\n".join(right[j1:j2]),
                )
            )
        if len(changes) >= MAX_TEXT_CHANGES:
            return changes, True
    return changes, False


def _order_key(walk_order: dict[str, int]) -> Callable[[Change], tuple[int, str]]:
    def key(change: Change) -> tuple[int, str]:
        top = change.path.split(".", 1)[0].split("[", 1)[0]
        return walk_order.get(top, 9), change.path

    return key


def _redacted(change: Change, redactor: Redactor) -> Change:
    last = change.path.rsplit(".", 1)[-1].split("[", 1)[0]
    if change.path.startswith("headers."):

        def mask(value: Any) -> Any:
            if isinstance(value, str):
                return redactor.redact_header_value(last, value)
            return redactor.redact_json(value)
    else:

        def mask(value: Any) -> Any:
            if isinstance(value, str) and change.path.startswith("body line"):
                return redactor.redact_text(value)
            return redactor.redact_json({last: value})[last] if last else value

    return Change(
        kind=change.kind,
        path=change.path,
        old=change.old if change.old is MISSING else mask(change.old),
        new=change.new if change.new is MISSING else mask(change.new),
    )


def compare(
    a: ResponseRecord,
    b: ResponseRecord,
    rules: DiffRules | None = None,
    *,
    redactor: Redactor | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExchangeDiff:
    """The differences from ``a`` to ``b``. ``cancelled`` is polled during long walks
    (raising :class:`DiffCancelled`); ``redactor`` masks the values reported (storage
    redaction, secrets only, by default)."""
    with _collector_paused():
        return _compare(a, b, rules or DiffRules(), redactor, cancelled)


_pause_lock = threading.Lock()
_pauses = [0, False]  # diffs running, whether the collector was on before the first


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    with _pause_lock:
        if _pauses[0] == 0:
            _pauses[1] = gc.isenabled()
            gc.disable()
        _pauses[0] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses[0] -= 1
            if _pauses[0] == 0 and _pauses[1]:
                gc.enable()


def _compare(
    a: ResponseRecord,
    b: ResponseRecord,
    rules: DiffRules,
    redactor: Redactor | None,
    cancelled: Callable[[], bool],
) -> ExchangeDiff:
    redactor = redactor or Redactor(RedactionPolicy.for_storage())
    walk = _Walk(rules=rules, cancelled=cancelled)
    kind_a, body_a = _body_kind(a)
    kind_b, body_b = _body_kind(b)
    notes = []
    for label, record in (("A", a), ("B", b)):
        if record.body_truncated:
            notes.append(f"The body of {label} was cut short when it was stored.")
    doc_a: dict[str, Any] = {"status": _status(a), "headers": _headers(a)}
    doc_b: dict[str, Any] = {"status": _status(b), "headers": _headers(b)}
    text_changes: list[Change] = []
    truncated = False
    if kind_a is BodyKind.JSON and kind_b is BodyKind.JSON:
        body_kind = BodyKind.JSON
        doc_a["body"], doc_b["body"] = body_a, body_b
    elif kind_a is BodyKind.NONE and kind_b is BodyKind.NONE:
        body_kind = BodyKind.NONE
    elif kind_a in (BodyKind.TEXT, BodyKind.JSON) and kind_b in (BodyKind.TEXT, BodyKind.JSON):
        body_kind = BodyKind.TEXT
        text_changes, truncated = _text_changes(
            a.body.decode("utf-8", "replace"), b.body.decode("utf-8", "replace")
        )
    else:
        body_kind = BodyKind.BINARY if BodyKind.BINARY in (kind_a, kind_b) else BodyKind.TEXT
        if a.body != b.body:
            text_changes.append(
                Change(
                    kind=ChangeKind.CHANGED, path="body", old=_digest(a.body), new=_digest(b.body)
                )
            )
    if cancelled():
        raise DiffCancelled
    pruned_a, pruned_b = _prune(walk, doc_a, doc_b, "")
    if cancelled():
        raise DiffCancelled
    changes = list(_deepdiff(pruned_a, pruned_b)) if pruned_a or pruned_b else []
    changes.sort(key=_order_key({"status": 0, "headers": 1, "body": 2}))
    changes.extend(text_changes)
    return ExchangeDiff(
        changes=tuple(_redacted(change, redactor) for change in changes),
        body_kind=body_kind,
        ignored=walk.ignored,
        ignored_paths=tuple(walk.ignored_paths),
        keyed_arrays=tuple(sorted(walk.keyed.items())),
        truncated=truncated,
        notes=tuple(notes),
    )


def _digest(body: bytes) -> str:
    if not body:
        return "(no body)"
    return f"{len(body)} bytes, sha256 {hashlib.sha256(body).hexdigest()[:16]}…"


def _bounded_json(value: Any, limit: int, indent: int | None) -> tuple[str, bool]:
    """JSON of ``value`` up to about ``limit`` characters, and whether it was cut. The
    encoder's generator is stopped there, so a huge value costs no more than its start."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=indent)
    parts: list[str] = []
    size = 0
    for chunk in encoder.iterencode(value):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            return "".join(parts)[:limit], True
    return "".join(parts), False


def show_value(value: Any, *, limit: int = 200) -> str:
    """One value as a short line of text: JSON for data, ``(absent)`` for MISSING."""
    if value is MISSING:
        return "(absent)"
    text, cut = _bounded_json(value, limit, None)
    text = text.replace("\n", "⏎")
    return text[: limit - 1] + "…" if cut or len(text) > limit else text


def pretty_value(value: Any, *, limit: int = 50_000) -> str:
    """One value as indented JSON (text as it is), up to about ``limit`` characters."""
    if value is MISSING:
        return "(absent on this side)"
    if isinstance(value, str):
        text, cut = value[:limit], len(value) > limit
    else:
        text, cut = _bounded_json(value, limit, 2)
    return text + "\n… (cut short here)" if cut else text
