"""What a diff of two exchanges ignores and how it matches array items: the user's rules.

:class:`DiffRules` holds two lists of patterns. *Volatile* patterns name fields whose
values are expected to differ between two runs (trace ids, timestamps, the ``Date``
header); differences there are counted but not reported. *ID* patterns name the fields
that identify an object in an array (``negotiationID``, ``id``), so arrays of objects are
compared item by item whatever their order.

A pattern is either a field name, matched against the last step of a path anywhere
(``traceID``, ``*Time``), or a path from the top (``headers.date``,
``body.data[*].status``); ``*`` stands for any run of characters within one step.
Header names are compared without regard to case. The rules are kept in ``diff.json`` in
the config directory, shared by the window and the ``history diff`` command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from explorer.core.files import DocumentError, VersionedDocument

DIFF_FILE = "diff.json"
DIFF_DOCUMENT = VersionedDocument(kind="diff rules", version=1, migrations={})

#: Fields that differ between any two runs of the same request: ignored unless unticked.
DEFAULT_VOLATILE: tuple[str, ...] = (
    "traceID",
    "*Time",
    "*At",
    "timestamp",
    "headers.date",
    "headers.age",
    "headers.expires",
    "headers.x-request-id",
    "headers.x-trace-id",
    "headers.traceparent",
    "headers.content-length",
)

#: More fields a user may want to ignore (offered, not ticked): ids differ between
#: environments, caching headers between servers.
OFFERED_VOLATILE: tuple[str, ...] = (
    *DEFAULT_VOLATILE,
    "*ID",
    "id",
    "headers.etag",
    "headers.last-modified",
    "headers.set-cookie",
    "headers.server",
)

#: Fields that identify an object in an array, most specific first.
DEFAULT_ID_KEYS: tuple[str, ...] = ("*ID", "id", "*Id", "*_id", "uuid", "key", "name")

_MAX_PATTERN = 200


class DiffRulesError(ValueError):
    """A pattern the rules cannot use, with what to write instead."""


def check_pattern(pattern: str) -> str:
    """The pattern, stripped; raises :class:`DiffRulesError` saying what is wrong."""
    text = pattern.strip()
    if not text:
        raise DiffRulesError("An empty pattern matches nothing: give a field name or a path.")
    if len(text) > _MAX_PATTERN:
        raise DiffRulesError(f"A pattern is at most {_MAX_PATTERN} characters long.")
    if any(ch.isspace() for ch in text):
        raise DiffRulesError(
            f"'{text}' has a space in it: a pattern is a field name (traceID, *Time) "
            "or a path (headers.date, body.data[*].status)."
        )
    if text.startswith(".") or text.endswith(".") or ".." in text:
        raise DiffRulesError(f"'{text}' has an empty step: write steps as a.b.c.")
    return text


def _compile(pattern: str) -> re.Pattern[str]:
    body = r"[^.]*".join(re.escape(part) for part in pattern.split("*"))
    return re.compile(body)


def _is_path(pattern: str) -> bool:
    return "." in pattern or "[" in pattern


@dataclass(frozen=True, kw_only=True)
class DiffRules:
    """Volatile fields to ignore and the fields that identify array items."""

    volatile: tuple[str, ...] = DEFAULT_VOLATILE
    id_keys: tuple[str, ...] = DEFAULT_ID_KEYS

    @classmethod
    def of(
        cls, volatile: Iterable[str] = DEFAULT_VOLATILE, id_keys: Iterable[str] = DEFAULT_ID_KEYS
    ) -> DiffRules:
        """Rules from user input: each pattern checked, duplicates dropped, order kept."""
        return cls(
            volatile=tuple(dict.fromkeys(check_pattern(p) for p in volatile)),
            id_keys=tuple(dict.fromkeys(check_pattern(p) for p in id_keys)),
        )

    def with_volatile(self, extra: Iterable[str]) -> DiffRules:
        return DiffRules.of((*self.volatile, *extra), self.id_keys)

    @cached_property
    def _matchers(self) -> tuple[_Matcher, _Matcher, _Matcher, _Matcher]:
        names = [p for p in self.volatile if not _is_path(p)]
        paths = [_lower_headers(p) for p in self.volatile if _is_path(p)]
        header_paths = [p for p in paths if p.startswith("headers.")]
        body_paths = [p for p in paths if not p.startswith("headers.")]
        return (
            _Matcher(names),
            _Matcher(names, ignore_case=True),
            _Matcher(body_paths),
            _Matcher(header_paths),
        )

    @cached_property
    def _id_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile(p) for p in self.id_keys)

    def is_volatile(self, name: str, path: str, *, header: bool = False) -> bool:
        """``name`` is the last step of ``path``; header names match without case."""
        names, header_names, body_paths, header_paths = self._matchers
        if header:
            return header_names.matches(name) or header_paths.matches(path)
        return names.matches(name) or body_paths.matches(path)

    def id_rank(self, name: str) -> int | None:
        """How well ``name`` names an item's identity (0 best), or None when it does not."""
        for rank, pattern in enumerate(self._id_patterns):
            if pattern.fullmatch(name):
                return rank
        return None

    def to_dict(self) -> dict[str, list[str]]:
        return {"volatile": list(self.volatile), "id_keys": list(self.id_keys)}


class _Matcher:
    """Any of some patterns, as one regular expression; names are remembered."""

    def __init__(self, patterns: Iterable[str], *, ignore_case: bool = False) -> None:
        parts = [_compile(p).pattern for p in patterns]
        flags = re.IGNORECASE if ignore_case else 0
        self._regex = re.compile("|".join(f"(?:{p})" for p in parts), flags) if parts else None
        self._seen: dict[str, bool] = {}

    def matches(self, text: str) -> bool:
        if self._regex is None:
            return False
        found = self._seen.get(text)
        if found is None:
            found = self._regex.fullmatch(text) is not None
            if len(self._seen) < 4096:
                self._seen[text] = found
        return found


def _lower_headers(pattern: str) -> str:
    return "headers." + pattern[8:].lower() if pattern.startswith("headers.") else pattern


class DiffRulesStore:
    """Loads and saves the user's :class:`DiffRules` (``diff.json`` in the config folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: DocumentError | DiffRulesError | None = None

    @classmethod
    def in_config(cls, config: Path) -> DiffRulesStore:
        return cls(config / DIFF_FILE)

    def load(self) -> DiffRules:
        """The saved rules; the defaults when none were saved or the file is unusable
        (then :attr:`problem` says why)."""
        try:
            document = DIFF_DOCUMENT.load(self.path, default=dict)
            volatile = document.get("volatile", list(DEFAULT_VOLATILE))
            id_keys = document.get("id_keys", list(DEFAULT_ID_KEYS))
            if not _strings(volatile) or not _strings(id_keys):
                raise DiffRulesError(
                    f"{self.path}: 'volatile' and 'id_keys' must be lists of text."
                )
            return DiffRules.of(volatile, id_keys)
        except (DocumentError, DiffRulesError) as exc:
            self.problem = exc
            return DiffRules()

    def save(self, rules: DiffRules) -> None:
        DIFF_DOCUMENT.save(self.path, dict(rules.to_dict()))


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


__all__ = [
    "DEFAULT_ID_KEYS",
    "DEFAULT_VOLATILE",
    "OFFERED_VOLATILE",
    "DiffRules",
    "DiffRulesError",
    "DiffRulesStore",
    "check_pattern",
]
