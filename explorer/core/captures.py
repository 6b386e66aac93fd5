"""Captures: values carried from a response into the next request's ``{{variables}}``.

A capture names a variable and where its value is in a response: a JSONPath into the
JSON body (``searchID <- $.searchID``) or a response header (``etag <- header ETag``).
A request (a saved request, a flow step, a suite case) declares its captures; they run
after each response and their values are what ``{{searchID}}`` means in the next request.

A capture that finds nothing says so in words (and keeps the old value): the next request
then shows ``{{searchID}}`` as undefined instead of sending a stale ID silently. Values
that look like a customer's personal data (a name, phone number, address...) are marked
``personal`` so presentation mode masks them as it masks them in a response.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from explorer.core.models import ResponseRecord
from explorer.core.redact import RedactionPolicy, Redactor

#: A variable name a capture may set (the same names ``{{name}}`` accepts).
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_ARROW = re.compile(r"\s*(?:<-|←|=)\s*")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class CaptureError(ValueError):
    """A capture that cannot be used as written; the message says what to change."""


class CaptureSource(StrEnum):
    """Where a capture reads its value."""

    BODY = "body"  # a JSONPath into the JSON body
    HEADER = "header"  # a response header, by name


@dataclass(frozen=True, kw_only=True)
class Capture:
    """``name <- $.json.path`` or ``name <- header Name``."""

    name: str
    source: CaptureSource = CaptureSource.BODY
    expression: str = ""  # the JSONPath, or the header's name

    def __post_init__(self) -> None:
        problem = capture_problem(self)
        if problem:
            raise CaptureError(problem)

    def __str__(self) -> str:
        if self.source is CaptureSource.HEADER:
            return f"{self.name} <- header {self.expression}"
        return f"{self.name} <- {self.expression}"

    @classmethod
    def parse(cls, text: str) -> Capture:
        """``"searchID <- $.searchID"``, ``"etag <- header ETag"`` (``←`` or ``=`` too)."""
        parts = _ARROW.split(text.strip(), maxsplit=1)
        if len(parts) != 2 or not parts[0] or not parts[1].strip():
            raise CaptureError(
                f"{text.strip()!r} is not a capture; write it as 'name <- $.path.in.body' "
                "or 'name <- header Header-Name'"
            )
        name, where = parts[0].strip(), parts[1].strip()
        head, _, rest = where.partition(" ")
        if head.lower() == "header" and rest.strip():
            return cls(name=name, source=CaptureSource.HEADER, expression=rest.strip())
        return cls(name=name, source=CaptureSource.BODY, expression=where)

    def to_dict(self) -> dict[str, str]:
        if self.source is CaptureSource.HEADER:
            return {"name": self.name, "header": self.expression}
        return {"name": self.name, "path": self.expression}

    @classmethod
    def from_dict(cls, data: Any) -> Capture:
        """From ``{"name": .., "path": ..}`` or ``{"name": .., "header": ..}``."""
        if isinstance(data, str):
            return cls.parse(data)
        if not isinstance(data, Mapping):
            raise CaptureError(
                'a capture must be {"name": ..., "path": "$..."} or {"name": ..., '
                f'"header": "..."}}, not {type(data).__name__}'
            )
        name = data.get("name")
        path, header = data.get("path"), data.get("header")
        if not isinstance(name, str):
            raise CaptureError("a capture needs a 'name' (the variable it sets)")
        if isinstance(header, str) and path is None:
            return cls(name=name, source=CaptureSource.HEADER, expression=header)
        if isinstance(path, str) and header is None:
            return cls(name=name, source=CaptureSource.BODY, expression=path)
        raise CaptureError(
            f"the capture '{name}' needs exactly one of 'path' (a JSONPath such as "
            "$.searchID) or 'header' (a response header's name)"
        )


def capture_problem(capture: Capture) -> str:
    """Why ``capture`` cannot be used ("" when it can)."""
    if not NAME_PATTERN.match(capture.name):
        return (
            f"{capture.name!r} cannot be a variable name: use letters, digits, '_', '.' or "
            "'-', starting with a letter or '_' (for example searchID)"
        )
    if capture.source is CaptureSource.HEADER:
        if not _HEADER_NAME.match(capture.expression):
            return f"{capture.expression!r} is not a header name (for example ETag)"
        return ""
    try:
        _compiled(capture.expression)
    except CaptureError as exc:
        return str(exc)
    return ""


_CACHE: dict[str, Any] = {}


def _compiled(expression: str) -> Any:
    found = _CACHE.get(expression)
    if found is not None:
        return found
    from jsonpath_ng.ext.parser import parse

    if not expression.startswith("$"):
        raise CaptureError(
            f"{expression!r} is not a JSONPath: start it with $ (for example $.searchID or "
            "$.data[0].businessID)"
        )
    try:
        compiled = parse(expression)
    except Exception as exc:  # the parser raises several kinds, each meaning "not valid"
        raise CaptureError(
            f"{expression!r} is not a JSONPath the program can read ({exc})"
        ) from None
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[expression] = compiled
    return compiled


@dataclass(frozen=True, kw_only=True)
class CaptureResult:
    """What one capture found: its value (None: nothing), or why not, in words."""

    capture: Capture
    value: str | None = None
    problem: str = ""
    #: the value looks like a customer's personal data: mask it in presentation mode
    personal: bool = False

    @property
    def name(self) -> str:
        return self.capture.name

    @property
    def found(self) -> bool:
        return self.value is not None


def as_text(value: Any) -> str:
    """A JSON value as a variable's text: strings as they are, anything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_PERSONAL = Redactor(RedactionPolicy(secrets=False, personal_data=True))


def is_personal(key: str, value: str) -> bool:
    """Whether presentation mode masks ``value`` when it is found under ``key``."""
    if _PERSONAL.redact_text(value) != value:
        return True
    document = {key: value} if key else {"value": value}
    return bool(_PERSONAL.redact_json(document) != document)


def _last_key(match: Any) -> str:
    path = getattr(match, "path", None)
    fields = getattr(path, "fields", None)
    if fields:
        return str(fields[-1])
    context = getattr(match, "context", None)
    while context is not None:
        fields = getattr(getattr(context, "path", None), "fields", None)
        if fields:
            return str(fields[-1])
        context = getattr(context, "context", None)
    return ""


def evaluate(capture: Capture, record: ResponseRecord) -> CaptureResult:
    """Run one capture against a response."""
    if record.failure is not None or record.status is None:
        return CaptureResult(capture=capture, problem="there was no response to read")
    if capture.source is CaptureSource.HEADER:
        value = record.header(capture.expression)
        if value is None:
            return CaptureResult(
                capture=capture,
                problem=f"the response has no {capture.expression} header",
            )
        return CaptureResult(capture=capture, value=value)
    try:
        document = json.loads(record.body.decode("utf-8")) if record.body else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        document = None
    if document is None:
        return CaptureResult(capture=capture, problem="the response body is not JSON")
    return evaluate_document(capture, document)


def evaluate_document(capture: Capture, document: Any) -> CaptureResult:
    """Run a body capture against parsed JSON (the first match is its value)."""
    matches = _compiled(capture.expression).find(document)
    if not matches:
        return CaptureResult(
            capture=capture, problem=f"{capture.expression} matches nothing in the body"
        )
    first = matches[0]
    if first.value is None:
        return CaptureResult(capture=capture, problem=f"{capture.expression} is null")
    text = as_text(first.value)
    return CaptureResult(capture=capture, value=text, personal=is_personal(_last_key(first), text))


def run_captures(captures: Iterable[Capture], record: ResponseRecord) -> list[CaptureResult]:
    """Every capture's result for one response, in order (body parsed once)."""
    listed = list(captures)
    if not listed:
        return []
    document: Any = None
    parsed = False
    results: list[CaptureResult] = []
    for capture in listed:
        if capture.source is CaptureSource.BODY and record.failure is None and record.body:
            if not parsed:
                parsed = True
                try:
                    document = json.loads(record.body.decode("utf-8"))
                except (UnicodeDecodeError, ValueError, RecursionError):
                    document = None
            if document is not None:
                results.append(evaluate_document(capture, document))
                continue
        results.append(evaluate(capture, record))
    return results


def captured_values(results: Iterable[CaptureResult]) -> dict[str, str]:
    """The values the captures found, by variable name."""
    return {r.name: r.value for r in results if r.value is not None}


_SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def jsonpath_of(parts: Sequence[str | int]) -> str:
    """The JSONPath of a value at ``parts`` (keys and list indexes): ``$.data[0].businessID``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _SIMPLE_KEY.match(part):
            out += f".{part}"
        else:
            out += "['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return out


def suggested_name(parts: Sequence[str | int]) -> str:
    """A variable name for the value at ``parts``: its key (``businessID``), cleaned."""
    for part in reversed(parts):
        if isinstance(part, str):
            cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", part).strip("_.-")
            if cleaned and not cleaned[0].isdigit():
                return cleaned
            if cleaned:
                return "_" + cleaned
    return "value"


def path_at(text: str, offset: int) -> tuple[str | int, ...] | None:
    """The path (keys and indexes) of the innermost JSON value that contains ``offset``
    in ``text``; None when the text is not JSON there. Reads only along the way down
    (every value beside it is skipped by the standard library's C scanner)."""
    decoder = json.JSONDecoder()
    space = " \t\n\r"

    def skip(index: int) -> int:
        while index < len(text) and text[index] in space:
            index += 1
        return index

    parts: list[str | int] = []
    try:
        index = skip(0)
        end = decoder.raw_decode(text, index)[1]
        if not index <= offset < end:
            return None
        while text[index] in "{[":
            closing = "}" if text[index] == "{" else "]"
            index = skip(index + 1)
            position = 0
            inside: tuple[str | int, int] | None = None
            while index < len(text) and text[index] != closing:
                key: str | int = position
                member_start = index
                if closing == "}":
                    key, index = decoder.raw_decode(text, index)
                    index = skip(index)
                    if text[index] != ":":
                        return None
                    index = skip(index + 1)
                value_end = decoder.raw_decode(text, index)[1]
                if member_start <= offset < value_end:
                    inside = (key if isinstance(key, (str, int)) else str(key), index)
                    break
                index = skip(value_end)
                if text[index] == ",":
                    index = skip(index + 1)
                position += 1
            if inside is None:
                break
            parts.append(inside[0])
            index = inside[1]
    except (ValueError, RecursionError, IndexError):
        return None
    return tuple(parts)


def value_at(document: Any, parts: Sequence[str | int]) -> Any:
    """The value at ``parts`` in parsed JSON (KeyError/IndexError when absent)."""
    value = document
    for part in parts:
        value = value[part]
    return value
