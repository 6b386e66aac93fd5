"""Whole-body work for big bodies on a worker thread, without freezing the window.

Nothing here touches Qt. The body view shows only the start of a big body; these
functions read the whole of it: :func:`find_in_body` counts a search string and finds
the first match past a point, and :func:`parse_json` reads JSON for the tree and the
JSONPath filter. Both keep the GIL in short slices: one C call over a 50 MB body (such
as ``json.loads``, 0.7 s) would stop the GUI thread for that long even on a worker.
"""

from __future__ import annotations

import gc
import json
import json.decoder
import json.scanner
from dataclasses import dataclass
from typing import Any

from explorer.core.body import decode_pieces

#: Bodies up to this size are parsed by the C parser at once (about 15 ms).
FAST_PARSE_LIMIT = 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class Found:
    """Where a search string occurs in a body: how often, and the first match past a point."""

    count: int
    next_offset: int | None  # byte offset (exact for ASCII) of the first match at or past ``after``


def find_in_body(
    body: bytes, encoding: str, needle: str, *, after: int = 0, piece: int = 1 << 18
) -> Found:
    """Case-insensitive search of the whole body, as decoded text, a slice at a time."""
    wanted = needle.lower()
    if not wanted:
        return Found(count=0, next_offset=None)
    count = 0
    first: int | None = None
    carry = ""  # the end of the previous slice, for a match across two slices
    offset = 0  # bytes before the current slice
    for text in decode_pieces(body, encoding, piece=piece):
        lowered = carry + text.lower()
        base = offset - len(carry)
        at = lowered.find(wanted)
        while at >= 0:
            count += 1
            if first is None and base + at >= after:
                first = base + at
            at = lowered.find(wanted, at + len(wanted))
        # ``wanted`` cannot end inside the carried tail without starting in it.
        keep = len(wanted) - 1
        carry = lowered[len(lowered) - keep :] if keep else ""
        offset += len(text.encode(encoding, errors="replace")) if not text.isascii() else len(text)
    return Found(count=count, next_offset=first)


def parse_json(body: bytes, encoding: str) -> Any:
    """``json.loads`` of the body, for bodies of any size, in GIL slices.

    Small bodies use the C parser. Bigger ones go through the standard library's own
    object and array parsers for their outer levels (:func:`_sliced_scanner`), and
    each element of an array there is parsed by the C scanner: about as fast as
    ``json.loads``, but the interpreter lets the GUI thread run between elements. The
    cyclic garbage collector
    is paused while it runs and the result is frozen out of its reach (``gc.freeze``).
    Raises ``ValueError`` for invalid JSON and ``RecursionError`` for absurd nesting, as
    ``json.loads`` does.
    """
    text = "".join(decode_pieces(body, encoding))
    if len(body) <= FAST_PARSE_LIMIT:
        return json.loads(text)
    decoder = json.JSONDecoder()
    decoder.scan_once = _sliced_scanner(decoder)  # type: ignore[attr-defined]
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    # Each full collection walks every object made so far (70 ms and more at 50 MB, with
    # the GIL held); a parsed document has no cycles, so the collector waits, and then
    # leaves its objects alone for good (they are still freed when the document goes).
    enabled = gc.isenabled()
    gc.disable()
    try:
        document = decoder.decode(text)
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    return document


#: Arrays this shallow, and objects shallower than OBJECT_DEPTH, are walked in Python
#: (a big body is big by its arrays); anything deeper is one call of the C scanner.
ARRAY_DEPTH = 5
OBJECT_DEPTH = 2


def _sliced_scanner(decoder: json.JSONDecoder) -> Any:
    """A ``scan_once`` that walks the outer objects and arrays with the standard library's
    pure-Python parsers and hands every value below them to the C scanner (when there
    is one), so no single C call covers more than one element of a big array."""
    whole = json.scanner.c_make_scanner or json.scanner.py_make_scanner  # type: ignore[attr-defined]
    c_scan = whole(decoder)
    # The decoder's own pure-Python parsers (json.decoder.JSONObject and JSONArray).
    parse_object = getattr(decoder, "parse_object")  # noqa: B009 (not in the type stubs)
    parse_array = getattr(decoder, "parse_array")  # noqa: B009
    strict = decoder.strict
    memo: dict[str, str] = {}
    depth = [0]

    def scan_once(string: str, idx: int) -> tuple[Any, int]:
        try:
            nextchar = string[idx]
        except IndexError:
            raise StopIteration(idx) from None
        level = depth[0]
        walk = (nextchar == "[" and level < ARRAY_DEPTH) or (
            nextchar == "{" and level < OBJECT_DEPTH
        )
        if not walk:
            found: tuple[Any, int] = c_scan(string, idx)
            return found
        depth[0] = level + 1
        try:
            if nextchar == "{":
                found = parse_object(
                    (string, idx + 1),
                    strict,
                    scan_once,
                    decoder.object_hook,
                    decoder.object_pairs_hook,
                    memo,
                )
            else:
                found = parse_array((string, idx + 1), scan_once)
            return found
        finally:
            depth[0] = level
            if level == 0:
                memo.clear()

    return scan_once
