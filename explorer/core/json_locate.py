"""Where a JSON path is in a JSON text: the character span of one value, found fast.

:func:`span_of` walks only along the path: every value beside it is skipped by the
standard library's C scanner (:meth:`json.JSONDecoder.raw_decode`), so finding a value
near the end of a 10 MB body costs about as much as reading it once. Used to select the
part of a response body a contract problem is about.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in _SPACE:
        index += 1
    return index


def _value_end(text: str, index: int) -> int:
    return _DECODER.raw_decode(text, index)[1]


def span_of(text: str, parts: Sequence[str | int]) -> tuple[int, int] | None:
    """``(start, end)`` of the value at ``parts`` in ``text``; ``None`` when it is not
    there or the text is not JSON."""
    try:
        index = _skip_space(text, 0)
        for part in parts:
            found = _child(text, index, part)
            if found is None:
                return None
            index = found
        return index, _value_end(text, index)
    except (ValueError, RecursionError, IndexError):
        return None


def _child(text: str, index: int, part: str | int) -> int | None:
    """Where the value of key (or item) ``part`` starts in the container at ``index``."""
    opener = text[index] if index < len(text) else ""
    if opener == "{" and isinstance(part, str):
        index = _skip_space(text, index + 1)
        while index < len(text) and text[index] != "}":
            key, index = _DECODER.raw_decode(text, index)
            index = _skip_space(text, index)
            if text[index] != ":":
                return None
            index = _skip_space(text, index + 1)
            if key == part:
                return index
            index = _skip_space(text, _value_end(text, index))
            if index < len(text) and text[index] == ",":
                index = _skip_space(text, index + 1)
        return None
    if opener == "[" and isinstance(part, int):
        index = _skip_space(text, index + 1)
        position = 0
        while index < len(text) and text[index] != "]":
            if position == part:
                return index
            index = _skip_space(text, _value_end(text, index))
            if index < len(text) and text[index] == ",":
                index = _skip_space(text, index + 1)
            position += 1
        return None
    return None


__all__ = ["span_of"]
