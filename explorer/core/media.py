"""What kind of content a body is, from its media type and, where that is silent, its bytes.

:func:`media_kind` is the one place the program tells JSON from JSON Lines (NDJSON), text,
HTML, XML, a form, an image or other binary data; the CLI decides with it whether a body
can be printed, and the explanation engine whether a body is complete. Nothing here
raises. :func:`describe_size` words a byte count for a short summary.
"""

from __future__ import annotations

import codecs
import json
from enum import StrEnum


class MediaKind(StrEnum):
    EMPTY = "empty"
    JSON = "json"
    JSON_LINES = "json_lines"  # NDJSON / JSON Lines: one JSON document per line
    TEXT = "text"
    HTML = "html"
    XML = "xml"
    FORM = "form"  # application/x-www-form-urlencoded
    IMAGE = "image"
    BINARY = "binary"

    @property
    def printable(self) -> bool:
        """Whether a terminal may show the body as text."""
        return self not in (MediaKind.IMAGE, MediaKind.BINARY)


#: Media types of newline-delimited JSON, under every name in use.
JSON_LINES_TYPES = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonl",
        "application/jsonlines",
        "application/x-jsonlines",
        "application/json-seq",
        "application/stream+json",
        "application/x-json-stream",
    }
)
_TEXT_APPLICATION = frozenset(
    {
        "application/javascript",
        "application/ecmascript",
        "application/x-yaml",
        "application/yaml",
        "application/toml",
        "application/graphql",
        "application/sql",
        "application/x-sh",
    }
)
_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # WebP (RIFF....WEBP)
    b"BM",
    b"II*\x00",
    b"MM\x00*",
)
_SNIFF = 4096


def base_type(content_type: str | None) -> str:
    """``type/subtype`` of a Content-Type value, lower-cased, without parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json_type(content_type: str | None) -> bool:
    media = base_type(content_type)
    return media in ("application/json", "text/json") or media.endswith("+json")


def media_kind(content_type: str | None, body: bytes = b"") -> MediaKind:
    """The kind of ``body``: the declared media type first, the bytes where it is silent
    or generic (``application/octet-stream`` that holds UTF-8 text stays binary: the
    server said so)."""
    if not body:
        return MediaKind.EMPTY
    media = base_type(content_type)
    if media in JSON_LINES_TYPES:
        return MediaKind.JSON_LINES
    if is_json_type(media):
        return MediaKind.JSON
    if media in ("text/html", "application/xhtml+xml"):
        return MediaKind.HTML
    if media in ("application/xml", "text/xml") or media.endswith("+xml"):
        return MediaKind.XML if not media.startswith("image/") else MediaKind.IMAGE
    if media == "application/x-www-form-urlencoded":
        return MediaKind.FORM
    if media.startswith("image/"):
        return MediaKind.IMAGE
    if media.startswith("text/") or media in _TEXT_APPLICATION:
        return MediaKind.TEXT if _decodes(body) else MediaKind.BINARY
    if media:
        return MediaKind.BINARY
    return _sniff(body)


def _decodes(body: bytes) -> bool:
    sample = body[:_SNIFF]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return True
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        return exc.start >= len(sample) - 3 and len(body) > _SNIFF
    return True


def _sniff(body: bytes) -> MediaKind:
    head = body[:16]
    if head.startswith(_IMAGE_MAGIC) and (not head.startswith(b"RIFF") or head[8:12] == b"WEBP"):
        return MediaKind.IMAGE
    if not _decodes(body):
        return MediaKind.BINARY
    text = body[:_SNIFF].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        return MediaKind.JSON_LINES if is_json_lines(body) else MediaKind.JSON
    if text[:15].lower().startswith(("<!doctype html", "<html")):
        return MediaKind.HTML
    if text.startswith("<?xml"):
        return MediaKind.XML
    return MediaKind.TEXT


def is_json_lines(body: bytes, *, limit: int = 2 * 1024 * 1024) -> bool:
    """Whether ``body`` is two or more complete JSON documents, one per line."""
    if not body or len(body) > limit:
        return False
    try:
        lines = [line for line in body.decode("utf-8-sig").splitlines() if line.strip()]
    except UnicodeDecodeError:
        return False
    if len(lines) < 2:
        return False
    try:
        for line in lines:
            json.loads(line.lstrip("\x1e"))  # RFC 7464 record separator
    except (ValueError, RecursionError):
        return False
    return True


def json_lines_complete(body: bytes, *, limit: int = 2 * 1024 * 1024) -> bool:
    """Whether every non-empty line of ``body`` is a whole JSON document."""
    if len(body) > limit:
        return True  # too big to check here: not called cut off on a guess
    try:
        lines = [line for line in body.decode("utf-8-sig").splitlines() if line.strip()]
        for line in lines:
            json.loads(line.lstrip("\x1e"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return True


def describe_size(size: int) -> str:
    """``812 bytes``, ``8.1 KB``, ``3.4 MB``."""
    if size < 1000:
        return f"{size} byte" + ("" if size == 1 else "s")
    for unit, factor in (("KB", 1000), ("MB", 1000**2), ("GB", 1000**3)):
        if size < factor * 1000 or unit == "GB":
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover - the loop always returns


def body_summary(content_type: str | None, body: bytes) -> str:
    """One line for a body that is not printed: its kind, media type, size and first
    bytes in hex (what a file starts with tells its format)."""
    kind = media_kind(content_type, body)
    media = base_type(content_type) or "no Content-Type"
    what = "image" if kind is MediaKind.IMAGE else "binary body"
    size = describe_size(len(body))
    exact = f" ({len(body)} bytes)" if len(body) >= 1000 else ""
    preview = body[:_PREVIEW_BYTES].hex(" ")
    more = " …" if len(body) > _PREVIEW_BYTES else ""
    first = f"; first bytes {preview}{more}" if body else ""
    return f"[{what}: {size}{exact}, {media}{first}]"


#: How many leading bytes a summary shows.
_PREVIEW_BYTES = 16
