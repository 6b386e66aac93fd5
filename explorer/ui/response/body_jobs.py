"""The work behind the body view, run on its worker: each job yields (kind, payload) messages.

Jobs never touch widgets. :func:`body_job` decodes a body a slice at a time, formats or
lexes it into :class:`~explorer.core.body.Chunk` objects and stops after
:data:`CAP_CHARS` characters with a ``("capped", ...)`` message; the view may resume the
same iterator later ("Show all"). Only the slices in flight exist as text: the body is
never decoded or formatted whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from explorer.core.body import (
    BodyKind,
    Chunk,
    Consumed,
    Sniffed,
    decode_pieces,
    display_pieces,
    human_size,
    iter_chunks,
    lexer_for,
    pretty_json_chunks,
)

#: Characters of text put in the editor before the view stops and offers "Show all".
#: The editor costs about 25 bytes of memory per character (text plus layout).
CAP_CHARS = 4 * 1024 * 1024


def body_job(
    body: bytes, sniffed: Sniffed, content_type: str, *, formatting: bool
) -> Iterator[tuple[str, Any]]:
    """Decode, format or lex, and cap a body, as messages for the view."""
    encoding = sniffed.encoding or "utf-8"
    consumed = Consumed()
    pieces = decode_pieces(body, encoding, consumed=consumed)
    notes: list[tuple[str, str]] = []
    total = human_size(len(body))
    if sniffed.kind is BodyKind.JSON and formatting:
        errors = [0]

        def formatted() -> Iterator[Chunk]:
            for item in pretty_json_chunks(pieces):
                if isinstance(item, int):
                    errors[0] = item
                else:
                    yield item

        yield from capped(formatted(), notes, lambda: (consumed.bytes, total))
        if errors[0]:
            yield "note", "Not valid JSON: formatted as far as it could be read."
        yield "done", None
        return
    lexer = lexer_for(content_type, sniffed.kind) if formatting else None
    broken = ("broken", "Long lines are broken for display; Copy copies the body as received.")
    lines = display_pieces(pieces, on_break=lambda: notes.append(broken))
    chunks = iter_chunks(lines, lexer)
    yield from capped(chunks, notes, lambda: (consumed.bytes, total))
    yield "done", None


def text_job(text: str) -> Iterator[tuple[str, Any]]:
    """Plain text (a network failure's chain), uncoloured."""
    for chunk in iter_chunks(display_pieces(text), None):
        yield "chunk", chunk
    yield "done", None


def image_job(body: bytes) -> Iterator[tuple[str, Any]]:
    """Decode an image (QImage, not QPixmap, is safe off the GUI thread)."""
    from PySide6.QtGui import QImage

    image = QImage.fromData(body)
    yield "image", image


def filter_job(expression: Any, document: Any) -> Iterator[tuple[str, Any]]:
    """What a parsed JSONPath expression selects, formatted, capped like a body."""
    values = [match.value for match in expression.find(document)]
    yield "filtered", len(values)
    # The pure-Python encoder (iterencode) keeps the GIL in short slices.
    encoded = grouped(json.JSONEncoder(ensure_ascii=False).iterencode(values))
    chunks = (item for item in pretty_json_chunks(encoded) if not isinstance(item, int))
    shown = [0]

    def counted() -> Iterator[Chunk]:
        for chunk in chunks:
            shown[0] += chunk.length
            yield chunk

    yield from capped(counted(), [], lambda: (shown[0], "the filter's result"))
    yield "done", None


def capped(
    chunks: Iterator[Chunk],
    notes: list[tuple[str, str]],
    sizes: Callable[[], tuple[int, str]],
) -> Iterator[tuple[str, Any]]:
    """Chunks as ``("chunk", c)``; one ``("capped", sizes())`` once :data:`CAP_CHARS` are out.

    The consumer stops at "capped" and may resume the same iterator later ("Show all").
    ``notes`` collects messages found while reading; they go out before the next chunk.
    """
    cap = CAP_CHARS
    shown = 0
    pending = next(chunks, None)
    while pending is not None:
        chunk, pending = pending, next(chunks, None)
        while notes:
            yield notes.pop(0)
        yield "chunk", chunk
        shown += chunk.length
        if cap and shown >= cap and pending is not None:
            cap = 0
            yield "capped", sizes()
    while notes:
        yield notes.pop(0)


def grouped(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """Join many small strings into pieces of about ``size`` characters."""
    buffer: list[str] = []
    length = 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)
