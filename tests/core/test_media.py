"""Content types are recognised from the media type, and from the bytes where it is silent."""

from __future__ import annotations

import pytest

from explorer.core.bodies import BodyKind, declared_kinds
from explorer.core.explain_body import BodyKind as ParsedKind
from explorer.core.explain_body import parse_body
from explorer.core.media import MediaKind, body_summary, media_kind

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.mark.parametrize(
    ("content_type", "body", "kind"),
    [
        ("application/json; charset=utf-8", b'{"a":1}', MediaKind.JSON),
        ("application/problem+json", b'{"title":"x"}', MediaKind.JSON),
        ("application/x-ndjson", b'{"a":1}\n{"a":2}\n', MediaKind.JSON_LINES),
        ("application/jsonl", b'{"a":1}\n', MediaKind.JSON_LINES),
        ("", b'{"a":1}\n{"a":2}\n', MediaKind.JSON_LINES),
        ("text/csv", b"a,b\n1,2\n", MediaKind.TEXT),
        ("text/html", b"<html></html>", MediaKind.HTML),
        ("application/xml", b"<a/>", MediaKind.XML),
        ("image/png", PNG, MediaKind.IMAGE),
        ("", PNG, MediaKind.IMAGE),
        ("application/octet-stream", b"plain words", MediaKind.BINARY),
        ("", bytes(range(256)), MediaKind.BINARY),
        ("text/plain", b"\x00\x01\x02\xff", MediaKind.BINARY),
        ("", b"", MediaKind.EMPTY),
    ],
)
def test_media_kind(content_type: str, body: bytes, kind: MediaKind) -> None:
    assert media_kind(content_type, body) is kind


def test_only_text_kinds_are_printable() -> None:
    assert MediaKind.JSON_LINES.printable and MediaKind.TEXT.printable
    assert not MediaKind.IMAGE.printable and not MediaKind.BINARY.printable


def test_summary_names_size_type_and_first_bytes() -> None:
    assert (
        body_summary("image/png", PNG)
        == f"[image: 16 bytes, image/png; first bytes {PNG.hex(' ')}]"
    )
    longer = body_summary("application/octet-stream", bytes(range(40)))
    assert longer.endswith("; first bytes 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f …]")


def test_complete_json_lines_are_not_truncated_json() -> None:
    assert parse_body(b'{"a":1}\n{"b":2}\n', "application/x-ndjson").kind is ParsedKind.JSON_LINES
    cut = parse_body(b'{"a":1}\n{"b":', "application/x-ndjson")
    assert cut.kind is ParsedKind.TRUNCATED_JSON


def test_declared_request_body_kinds() -> None:
    kinds = declared_kinds(
        [
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/plain",
            "application/octet-stream",
            "image/png",
        ]
    )
    assert kinds == (BodyKind.JSON, BodyKind.FORM, BodyKind.MULTIPART, BodyKind.RAW, BodyKind.FILE)
