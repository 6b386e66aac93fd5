"""Reading an error body the way the explanation engine needs it, whatever arrives.

:func:`parse_body` decodes bytes (BOM, declared charset, non-UTF-8 fallbacks), parses JSON
(also when truncated, by salvaging the top-level string fields), tells HTML from JSON and
text, and exposes the top-level fields with lower-cased keys. :func:`fragment_for` finds
the exact text of a field in the body so the views can highlight it. Nothing here raises.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from explorer.core.body import declared_charset
from explorer.core.media import JSON_LINES_TYPES, is_json_lines, json_lines_complete

#: Bodies beyond this are not parsed as a whole (the message fields sit at the start).
PARSE_LIMIT = 2 * 1024 * 1024
#: Order in which a message is read (reference §9.4).
MESSAGE_FIELDS = ("error_description", "detail", "title", "error")

_HTML_START = re.compile(
    rb"^\s*(<!doctype\s+html|<html|<head|<body|<title|<\?xml|<h1|<p>|<div)", re.IGNORECASE
)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_STRING_FIELD = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_OPEN_STRING_FIELD = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"\s*:\s*"((?:[^"\\]|\\.)*)\Z')
_TAGS = re.compile(r"<[^>]+>")
#: "required scope(s) [supply::businesses.list] not found" (a real 401 detail), also with
#: several scopes split by spaces or commas, quotes, "scopes"/"scope" or a colon.
_REQUIRED_SCOPES = re.compile(r"required\s+scopes?(?:\s*\(s\))?\s*:?\s*\[([^\]]*)\]", re.IGNORECASE)


def required_scopes(text: str) -> tuple[str, ...]:
    """The scopes a missing-scope message names, in order, e.g. ``("supply::x.read",)``."""
    found: list[str] = []
    for group in _REQUIRED_SCOPES.findall(text or ""):
        for raw in re.split(r"[\s,]+", group):
            scope = raw.strip("'\"` ")
            if scope and scope not in found:
                found.append(scope)
    return tuple(found)


class BodyKind(StrEnum):
    """What kind of body came back."""

    EMPTY = "empty"
    JSON = "json"  # a JSON document (object, array or scalar)
    PROBLEM = "problem"  # an RFC 7807 problem: problem+json, or an object with type/title
    TRUNCATED_JSON = "truncated_json"  # looked like JSON but did not parse
    JSON_LINES = "json_lines"  # NDJSON / JSON Lines: whole JSON documents, one per line
    HTML = "html"
    TEXT = "text"
    BINARY = "binary"


@dataclass(frozen=True, kw_only=True)
class ParsedBody:
    """A body, decoded and parsed. ``fields`` has the top-level keys lower-cased."""

    text: str = ""
    kind: BodyKind = BodyKind.EMPTY
    json: Any = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    html_title: str = ""

    def field_text(self, name: str) -> str | None:
        """A top-level field as text (numbers and booleans too), or None."""
        value = self.fields.get(name.lower())
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, bool | int | float):
            return json.dumps(value)
        return None

    @property
    def message(self) -> str:
        """The first message field present, read in the documented order."""
        for name in MESSAGE_FIELDS:
            text = self.field_text(name)
            if text:
                return text
        return ""

    @property
    def messages(self) -> str:
        """All message fields joined, for patterns that may match any of them."""
        return "\n".join(t for name in MESSAGE_FIELDS if (t := self.field_text(name)))

    @property
    def errors(self) -> list[Any]:
        value = self.fields.get("errors")
        if isinstance(value, list):
            return value
        if isinstance(value, Mapping) and value:
            return [{"field": k, "message": v} for k, v in value.items()]
        return []

    @property
    def trace_id(self) -> str | None:
        for key in ("traceid", "trace_id", "trace-id"):
            text = self.field_text(key)
            if text:
                return text[:200]
        return None


def decode(body: bytes, content_type: str = "") -> str:
    """Text of ``body``: BOM first, then the declared charset, then UTF-8, then Latin-1."""
    if not body:
        return ""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    declared = declared_charset(content_type)
    if declared:
        try:
            return body.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if body.count(b"\x00") > len(body) // 10:
        return body.decode("utf-8", errors="replace")
    return body.decode("latin-1")


def _looks_binary(body: bytes) -> bool:
    sample = body[:1024]
    if b"\x00" in sample:
        # UTF-16 text has many NULs but was already decoded through its BOM.
        return not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    return False


def _lower_keys(value: Mapping[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(key, str):
            out.setdefault(key.strip().lower(), item)
    return out


def _unescape(raw: str) -> str:
    try:
        return str(json.loads(f'"{raw}"'))
    except ValueError:
        return raw


def parse_body(body: bytes, content_type: str = "") -> ParsedBody:
    """Decode and parse ``body``; never raises."""
    try:
        return _parse(body, content_type)
    except Exception:
        return ParsedBody(text="", kind=BodyKind.BINARY)


def _parse(body: bytes, content_type: str) -> ParsedBody:
    if not body or not body.strip():
        return ParsedBody(text=decode(body, content_type) if body else "", kind=BodyKind.EMPTY)
    head = body[:PARSE_LIMIT]
    if _looks_binary(head) and not head.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)
    ):
        return ParsedBody(text="", kind=BodyKind.BINARY)
    text = decode(head, content_type)
    stripped = text.lstrip("\ufeff \t\r\n")
    media = (content_type or "").split(";")[0].strip().lower()
    lines = media in JSON_LINES_TYPES or (stripped.startswith(("{", "[")) and is_json_lines(body))
    if lines and json_lines_complete(body):
        return ParsedBody(text=text, kind=BodyKind.JSON_LINES)
    if stripped.startswith(("{", "[")) or media.endswith(("json", "+json")):
        parsed: Any = None
        ok = False
        if len(body) <= PARSE_LIMIT:
            try:
                parsed = json.loads(stripped)
                ok = True
            except (ValueError, RecursionError):
                ok = False
        if ok:
            fields = _lower_keys(parsed) if isinstance(parsed, Mapping) else {}
            is_problem = media == "application/problem+json" or (
                isinstance(parsed, Mapping)
                and ("type" in fields or "title" in fields)
                and "error" not in fields
            )
            return ParsedBody(
                text=text,
                kind=BodyKind.PROBLEM if is_problem else BodyKind.JSON,
                json=parsed,
                fields=fields,
            )
        if stripped.startswith(("{", "[")):
            salvaged: dict[str, Any] = {}
            for match in _STRING_FIELD.finditer(stripped[:65536]):
                salvaged.setdefault(match.group(1).lower(), _unescape(match.group(2)))
            cut = _OPEN_STRING_FIELD.search(stripped[-4096:])
            if cut:  # the body ends inside a string: keep what arrived of it
                salvaged.setdefault(cut.group(1).lower(), _unescape(cut.group(2)))
            return ParsedBody(text=text, kind=BodyKind.TRUNCATED_JSON, fields=salvaged)
    if _HTML_START.search(head.lstrip(codecs.BOM_UTF8)[:512]) or media in (
        "text/html",
        "application/xhtml+xml",
    ):
        title_match = _HTML_TITLE.search(text[:65536])
        title = ""
        if title_match:
            title = " ".join(_TAGS.sub(" ", title_match.group(1)).split())[:200]
        return ParsedBody(text=text, kind=BodyKind.HTML, html_title=title)
    return ParsedBody(text=text, kind=BodyKind.TEXT)


def fragment_for(parsed: ParsedBody, name: str) -> str | None:
    """The exact text of ``"name": value`` in the body (any key casing), or None."""
    if not parsed.text:
        return None
    pattern = re.compile(
        r'"' + re.escape(name) + r'"\s*:\s*("(?:[^"\\]|\\.)*"|[-\w.+]+|\[|\{)',
        re.IGNORECASE,
    )
    match = pattern.search(parsed.text[:PARSE_LIMIT])
    return match.group(0) if match else None
