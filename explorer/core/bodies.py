"""Request bodies of every kind, encoded to the exact bytes and Content-Type that are sent.

A :class:`BodyInput` is what the user gave: a JSON document, form fields (URL-encoded, or
multipart with file parts), raw text of any media type, or a binary file. :func:`encode`
turns it into bytes plus the Content-Type header (multipart gets its boundary from
httpx2, which encodes it). :func:`body_kinds_for` lists the kinds an operation's
``requestBody`` declares, so a builder offers those. Nothing here touches the network.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlencode

from explorer.core.media import base_type, is_json_type

FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"
OCTET_STREAM = "application/octet-stream"
TEXT_TYPE = "text/plain; charset=utf-8"


class BodyKind(StrEnum):
    NONE = "none"
    JSON = "json"
    FORM = "form"  # application/x-www-form-urlencoded
    MULTIPART = "multipart"  # multipart/form-data, fields and files
    RAW = "raw"  # text of any media type, sent as typed
    FILE = "file"  # the bytes of one file

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    BodyKind.NONE: "No body",
    BodyKind.JSON: "JSON",
    BodyKind.FORM: "Form (URL-encoded)",
    BodyKind.MULTIPART: "Multipart form",
    BodyKind.RAW: "Raw text",
    BodyKind.FILE: "Binary file",
}


class BodyError(ValueError):
    """A body that cannot be encoded; the message says what to change."""


@dataclass(frozen=True, kw_only=True)
class FormField:
    """One form field: a text value, or (``path`` set) a file part."""

    name: str
    value: str = ""
    path: Path | None = None
    content_type: str = ""  # a file part's type; guessed from its name when empty

    @property
    def is_file(self) -> bool:
        return self.path is not None


@dataclass(frozen=True, kw_only=True)
class BodyInput:
    """A request body as the user gave it. ``content_type`` overrides the default type."""

    kind: BodyKind = BodyKind.NONE
    text: str = ""  # JSON and raw bodies
    data: bytes | None = None  # raw bytes (a raw body read from a file)
    fields: tuple[FormField, ...] = ()
    path: Path | None = None  # a binary file body
    content_type: str = ""


@dataclass(frozen=True, kw_only=True)
class EncodedBody:
    content: bytes
    content_type: str


def parse_form_option(value: str, *, base: Path | None = None) -> FormField:
    """``NAME=VALUE`` or ``NAME=@FILE`` (``NAME=@FILE;type=image/png``) as a form field."""
    name, sep, rest = value.partition("=")
    if not sep or not name.strip():
        raise BodyError(
            f"'{value}' is not NAME=VALUE; write --form name=value, or --form file=@photo.png "
            "for a file."
        )
    if rest.startswith("@") and len(rest) > 1:
        spec, _, media = rest[1:].partition(";type=")
        path = Path(spec).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        return FormField(name=name.strip(), path=path, content_type=media.strip())
    return FormField(name=name.strip(), value=rest)


def guess_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or OCTET_STREAM


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BodyError(
            f"Cannot read the {what} {path}: {exc.strerror or type(exc).__name__}."
        ) from None


def encode(body: BodyInput) -> EncodedBody | None:
    """The bytes and Content-Type of ``body``; None for no body. Raises :class:`BodyError`."""
    if body.kind is BodyKind.NONE:
        return None
    if body.kind is BodyKind.JSON:
        content = body.data if body.data is not None else body.text.encode("utf-8")
        try:
            json.loads(content)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BodyError(
                f"The body is not valid JSON ({exc}). Send other text with --data, or set "
                "its type with -H 'Content-Type: …'."
            ) from None
        return EncodedBody(content=content, content_type=body.content_type or "application/json")
    if body.kind is BodyKind.RAW:
        content = body.data if body.data is not None else body.text.encode("utf-8")
        return EncodedBody(content=content, content_type=body.content_type or TEXT_TYPE)
    if body.kind is BodyKind.FILE:
        if body.path is None:
            raise BodyError("Choose the file to send as the body.")
        return EncodedBody(
            content=_read(body.path, "body file"),
            content_type=body.content_type or guess_type(body.path),
        )
    multipart = body.kind is BodyKind.MULTIPART or any(f.is_file for f in body.fields)
    if not multipart:
        content = urlencode([(f.name, f.value) for f in body.fields]).encode("ascii")
        return EncodedBody(content=content, content_type=body.content_type or FORM_TYPE)
    return _multipart(body.fields)


def _multipart(fields: Sequence[FormField]) -> EncodedBody:
    """multipart/form-data in the order given, encoded by httpx2 (a text field is a part
    without a file name)."""
    import httpx2 as httpx

    parts: list[tuple[str, tuple[str | None, bytes] | tuple[str, bytes, str]]] = []
    for item in fields:
        if item.path is not None:
            content = _read(item.path, f"file for the form field '{item.name}'")
            media = item.content_type or guess_type(item.path)
            parts.append((item.name, (item.path.name, content, media)))
        else:
            parts.append((item.name, (None, item.value.encode("utf-8"))))
    if not parts:
        raise BodyError("A multipart body needs at least one field (--form NAME=VALUE).")
    request = httpx.Request("POST", "http://multipart.invalid/", files=parts)
    return EncodedBody(content=request.read(), content_type=request.headers["Content-Type"])


def declared_kinds(media_types: Iterable[str]) -> tuple[BodyKind, ...]:
    """The body kinds that fit these requestBody media types, in the order declared."""
    kinds: list[BodyKind] = []
    for media_type in media_types:
        media = base_type(media_type)
        if is_json_type(media):
            kind = BodyKind.JSON
        elif media == FORM_TYPE:
            kind = BodyKind.FORM
        elif media.startswith("multipart/"):
            kind = BodyKind.MULTIPART
        elif media.startswith("text/") or media.endswith("+xml") or media == "application/xml":
            kind = BodyKind.RAW
        else:
            kind = BodyKind.FILE
        if kind not in kinds:
            kinds.append(kind)
    return tuple(kinds)
