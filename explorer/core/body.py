"""Preparing a response body for display, off the GUI thread: sniff, decode, format, lex.

Nothing here touches Qt, so it runs on a worker thread. :func:`sniff` says what a body is
(empty, JSON, text, image, binary) and how to decode it. :func:`iter_chunks` turns the
text to show into :class:`Chunk` objects of whole lines, each with its pygments tokens as
compact arrays, so the view inserts text a little at a time and colours only the lines on
screen. :func:`hex_dump` renders bytes for the hex view.
"""

from __future__ import annotations

import codecs
import json
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

#: Above this many bytes a JSON body is shown as received first; "Format anyway" formats it.
FORMAT_LIMIT = 5 * 1024 * 1024
#: Characters per chunk handed to the GUI thread (one insert per chunk).
CHUNK_CHARS = 12 * 1024
#: Lines longer than this are broken for display only (the copy keeps the original).
LONG_LINE = 1000

_CHARSET = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9_\-.:]+)", re.IGNORECASE)
_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


class BodyKind(StrEnum):
    """What a body is, for choosing its view."""

    EMPTY = "empty"
    JSON = "json"
    TEXT = "text"
    IMAGE = "image"
    BINARY = "binary"


class TokenKind(IntEnum):
    """The token classes the body view colours (everything else keeps the text colour)."""

    KEY = 1
    STRING = 2
    NUMBER = 3
    KEYWORD = 4
    TAG = 5
    ATTRIBUTE = 6
    COMMENT = 7


@dataclass(frozen=True, kw_only=True)
class Sniffed:
    """How to show a body: its kind, the text encoding to use, and a note for the user."""

    kind: BodyKind
    encoding: str | None = None
    image_format: str | None = None
    note: str = ""


def declared_charset(content_type: str) -> str | None:
    """The codec named by ``charset=`` in a Content-Type header, if Python knows it."""
    match = _CHARSET.search(content_type or "")
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1)).name
    except LookupError:
        return None


def image_format(body: bytes, content_type: str) -> str | None:
    """png/jpeg/gif/webp from the magic bytes, or from an ``image/`` content type."""
    for magic, name in _IMAGE_MAGIC:
        if body.startswith(magic):
            return name
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "webp"
    media = content_type.split(";", maxsplit=1)[0].strip().lower()
    if media in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        return media.split("/")[1]
    return None


def sniff(body: bytes, content_type: str) -> Sniffed:
    """Decide how to show ``body`` given its Content-Type header (full value)."""
    if not body:
        return Sniffed(kind=BodyKind.EMPTY)
    fmt = image_format(body, content_type)
    if fmt is not None:
        return Sniffed(kind=BodyKind.IMAGE, image_format=fmt)
    media = content_type.split(";", maxsplit=1)[0].strip().lower()
    charset = declared_charset(content_type)
    head = body[:65536]
    if charset is None and head.startswith(codecs.BOM_UTF8):
        charset = "utf-8-sig"
    encoding: str | None = None
    note = ""
    if charset is not None:
        try:
            head.decode(charset)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not merely a character cut at the sample's end
                note = f"The body is not valid {charset}, as its Content-Type declares."
        else:
            encoding = charset
            if charset not in ("utf-8", "utf-8-sig", "ascii"):
                note = f"Decoded as {charset}, the charset its Content-Type declares."
    if encoding is None and not note:
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4 and len(body) > len(head):
                encoding = "utf-8"
            else:
                note = "Not UTF-8 text and no charset declared: shown as bytes."
    if encoding is None or (b"\x00" in head[:1024] and not charset):
        return Sniffed(kind=BodyKind.BINARY, note=note or "Binary content: shown as bytes.")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    looks_json = stripped[:1] in (b"{", b"[")
    if media.endswith(("json", "+json")) or looks_json:
        return Sniffed(kind=BodyKind.JSON, encoding=encoding, note=note)
    return Sniffed(kind=BodyKind.TEXT, encoding=encoding, note=note)


def lexer_for(content_type: str, kind: BodyKind) -> Any:
    """A pygments lexer for the body: JSON for any JSON type (problem+json too), else by type."""
    from pygments.lexers import JsonLexer, TextLexer, get_lexer_for_mimetype
    from pygments.util import ClassNotFound

    if kind is BodyKind.JSON:
        return JsonLexer()
    media = content_type.split(";", maxsplit=1)[0].strip().lower()
    try:
        return get_lexer_for_mimetype(media) if media else TextLexer()
    except ClassNotFound:
        return TextLexer()


@dataclass(frozen=True, kw_only=True)
class Chunk:
    """Whole lines of text with their coloured tokens.

    ``line_starts[i]`` is where line ``i`` starts in ``text``; the tokens are three
    parallel arrays sorted by start (offsets in ``text``). The view joins chunks with a
    newline, so ``text`` has no trailing one.
    """

    text: str
    length: int
    line_starts: array[int]
    tok_starts: array[int]
    tok_lens: array[int]
    tok_kinds: bytes

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_spans(self, index: int) -> list[tuple[int, int, TokenKind]]:
        """(start, length, kind) of the coloured tokens of line ``index``, line-relative."""
        from bisect import bisect_left

        start = self.line_starts[index]
        end = self.line_starts[index + 1] - 1 if index + 1 < len(self.line_starts) else self.length
        lo = bisect_left(self.tok_starts, start)
        hi = bisect_left(self.tok_starts, end, lo)
        spans = []
        for i in range(lo, hi):
            s = self.tok_starts[i]
            spans.append((s - start, min(self.tok_lens[i], end - s), TokenKind(self.tok_kinds[i])))
        return spans


def _kind_of(ttype: Any, cache: dict[Any, int]) -> int:
    kind = cache.get(ttype)
    if kind is None:
        from pygments.token import Comment, Keyword, Name, Number, String

        if ttype in Name.Tag:
            kind = TokenKind.KEY if ttype is Name.Tag else TokenKind.TAG
        elif ttype in String:
            kind = TokenKind.STRING
        elif ttype in Number:
            kind = TokenKind.NUMBER
        elif ttype in Keyword:
            kind = TokenKind.KEYWORD
        elif ttype in Name.Attribute:
            kind = TokenKind.ATTRIBUTE
        elif ttype in Comment:
            kind = TokenKind.COMMENT
        else:
            kind = 0
        cache[ttype] = int(kind)
    return kind


def make_chunk(text: str, lexer: Any, cache: dict[Any, int] | None = None) -> Chunk:
    """Lex ``text`` (whole lines) into a :class:`Chunk`."""
    cache = {} if cache is None else cache
    starts = array("I", [0])
    find = text.find
    pos = find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    tok_starts = array("I")
    tok_lens = array("I")
    kinds = bytearray()
    if lexer is not None:
        for index, ttype, value in lexer.get_tokens_unprocessed(text):
            kind = _kind_of(ttype, cache)
            if kind:
                tok_starts.append(index)
                tok_lens.append(len(value))
                kinds.append(kind)
    return Chunk(
        text=text,
        length=len(text),
        line_starts=starts,
        tok_starts=tok_starts,
        tok_lens=tok_lens,
        tok_kinds=bytes(kinds),
    )


def display_pieces(
    pieces: str | Iterable[str],
    *,
    limit: int = LONG_LINE,
    on_break: Callable[[], None] | None = None,
) -> Iterator[str]:
    """The text of ``pieces`` with lines longer than ``limit`` broken (display only).

    Streams: a line may span pieces, and nothing longer than one piece or ``limit``
    characters is ever copied, so a 50 MB single-line body is cut into small slices and
    no single string operation holds the GIL for long. ``on_break`` is called at the
    first line it breaks.
    """
    column = 0  # characters of the current line already yielded
    broken = False
    for piece in [pieces] if isinstance(pieces, str) else pieces:
        start, size = 0, len(piece)
        while start < size:
            newline = piece.find("\n", start)
            end = size if newline < 0 else newline
            while end - start > limit - column:
                cut = start + limit - column
                yield piece[start:cut] + "\n"
                start, column = cut, 0
                if not broken:
                    broken = True
                    if on_break is not None:
                        on_break()
            if newline < 0:
                yield piece[start:end]
                column += end - start
                start = size
            else:
                yield piece[start : newline + 1]
                column, start = 0, newline + 1


def iter_chunks(
    pieces: Iterable[str], lexer: Any, *, chunk_chars: int = CHUNK_CHARS
) -> Iterator[Chunk]:
    """Group text pieces into chunks of whole lines (about ``chunk_chars`` each) and lex them."""
    cache: dict[Any, int] = {}
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size < chunk_chars:
            continue
        text = "".join(buffer)
        start = 0
        while len(text) - start >= chunk_chars:
            cut = text.find("\n", start + chunk_chars)
            if cut < 0:
                break
            yield make_chunk(_safe(text[start:cut]), lexer, cache)
            start = cut + 1
        rest = text[start:]
        buffer, size = [rest], len(rest)
    yield make_chunk(_safe("".join(buffer)), lexer, cache)


def _safe(text: str) -> str:
    # U+2028/2029 would split a line in the editor and misalign tokens; JSON allows escapes.
    if "\u2028" in text or "\u2029" in text:
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text


def dump_pretty(value: Any) -> str:
    """Indented JSON of a (small) value, for filter results and the clipboard."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def hex_dump(data: bytes, start: int = 0, length: int = 16 * 1024) -> str:
    """Offset, hex and printable-ASCII columns, 16 bytes a line, of ``data[start:start+length]``."""
    lines = []
    end = min(len(data), start + length)
    for offset in range(start, end, 16):
        row = data[offset : min(offset + 16, end)]
        hexes = " ".join(f"{b:02x}" for b in row)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        lines.append(f"{offset:08x}  {hexes[:23]:<23}  {hexes[24:]:<23}  {text}")
    return "\n".join(lines)


def human_size(size: int) -> str:
    """``1.2 MB`` style sizes."""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}"
    return f"{size} bytes"


class Consumed:
    """How many bytes of a body a :func:`decode_pieces` stream has read so far."""

    def __init__(self) -> None:
        self.bytes = 0


def decode_pieces(
    body: bytes, encoding: str, *, piece: int = 1 << 18, consumed: Consumed | None = None
) -> Iterator[str]:
    """Decode ``body`` a slice at a time (a single big decode would hold the GIL).

    Only one slice of text exists at a time: the whole body is never decoded at once.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    view = memoryview(body)
    for start in range(0, len(body), piece):
        end = min(start + piece, len(body))
        if consumed is not None:
            consumed.bytes = end
        yield decoder.decode(view[start:end], final=end >= len(body))


_STR = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_JSON_TOKEN = re.compile(
    r"[ \t\r\n]*(?:"
    rf"(?P<key>{_STR})(?=[ \t\r\n]*:)"
    rf"|(?P<str>{_STR})"
    r"|(?P<punct>[{}\[\],:])"
    r"|(?P<num>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(?![A-Za-z0-9_.])"
    r"|(?P<kw>true|false|null)(?![A-Za-z0-9_])"
    r'|(?P<err>[^ \t\r\n{}\[\],:"]+|"[^\n]*|[^ \t\r\n]))'
)
_SPACES = re.compile(r"[ \t\r\n]*")
_JSON_KINDS = {
    "key": TokenKind.KEY,
    "str": TokenKind.STRING,
    "num": TokenKind.NUMBER,
    "kw": TokenKind.KEYWORD,
}


def pretty_json_chunks(
    pieces: str | Iterable[str], *, chunk_chars: int = CHUNK_CHARS, indent: int = 2
) -> Iterator[Chunk | int]:
    """Re-indent JSON from its tokens, streaming, coloured as it goes.

    Works on any size without ``json.loads`` (whose single C call would hold the GIL for
    the whole body, freezing the window), reads its text as a stream of pieces (a token
    may span pieces), keeps every string and number exactly as received, and yields
    :class:`Chunk` objects; at the end it yields the number of pieces it could not read
    as JSON (0 for valid JSON). A dedicated tokenizer, because pygments' JSON lexer runs
    at about 1 MB/s, too slow for 50 MB bodies.
    """
    parts: list[str] = []
    pos = 0
    line_starts = array("I", [0])
    tok_starts = array("I")
    tok_lens = array("I")
    kinds = bytearray()
    depth = 0
    break_before = False
    after_open = False
    errors = 0
    pads = [" " * (indent * level) for level in range(64)]

    def finish() -> Chunk:
        body = "".join(parts)
        return Chunk(
            text=body,
            length=len(body),
            line_starts=line_starts,
            tok_starts=tok_starts,
            tok_lens=tok_lens,
            tok_kinds=bytes(kinds),
        )

    for match in _tokens(pieces):
        group = match.lastgroup
        if group is None:
            continue
        value = match.group(group)
        closing = group == "punct" and value in "}]"
        if closing:
            depth = max(0, depth - 1)
            newline = not after_open
        else:
            newline = break_before
        if newline and pos:
            if pos >= chunk_chars:
                yield finish()
                parts, pos = [], 0
                line_starts = array("I", [0])
                tok_starts, tok_lens, kinds = array("I"), array("I"), bytearray()
            else:
                parts.append("\n")
                pos += 1
                line_starts.append(pos)
            if depth:
                lead = pads[depth] if depth < 64 else " " * (indent * depth)
                parts.append(lead)
                pos += len(lead)
        break_before = after_open = False
        if group == "punct":
            if value == ":":
                parts.append(": ")
                pos += 2
                continue
            parts.append(value)
            pos += 1
            if value == ",":
                break_before = True
            elif not closing:
                depth += 1
                break_before = after_open = True
            continue
        if group == "err":
            errors += 1
        else:
            tok_starts.append(pos)
            tok_lens.append(len(value))
            kinds.append(_JSON_KINDS[group])
        parts.append(value)
        pos += len(value)
    yield finish()
    yield errors


def _tokens(pieces: str | Iterable[str]) -> Iterator[re.Match[str]]:
    """JSON token matches over a stream of text pieces.

    A match that reaches the end of the text read so far may be cut (a number, a string,
    a key whose colon is in the next piece): it is read again with the next piece. A
    token longer than what is buffered doubles the buffer, so a huge string costs
    linear time, not quadratic.
    """
    if isinstance(pieces, str):
        yield from _JSON_TOKEN.finditer(pieces)
        return
    buffer = ""
    waiting: list[str] = []
    need = 0
    source = iter(pieces)
    final = False
    while not final:
        piece = next(source, None)
        if piece is None:
            final = True
        else:
            waiting.append(piece)
            need -= len(piece)
            if need > 0:
                continue
        buffer = buffer + "".join(waiting) if waiting else buffer
        waiting = []
        size = len(buffer)
        kept = 0
        for match in _JSON_TOKEN.finditer(buffer):
            end = match.end()
            if not final and (
                end == size or (match.lastgroup == "str" and _space_end(buffer, end) == size)
            ):
                break
            kept = end
            yield match
        buffer = buffer[kept:]
        need = len(buffer) if kept == 0 else 0


def _space_end(text: str, start: int) -> int:
    """Where the run of JSON whitespace starting at ``start`` ends."""
    spaces = _SPACES.match(text, start)
    return start if spaces is None else spaces.end()
