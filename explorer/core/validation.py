"""Checking typed values against JSON Schema, with messages in plain words.

This module owns the wording of input problems: it runs ``jsonschema``'s Draft 2020-12
validator (with its format checker) and turns each error into a sentence that names the
field and what to do. Parameters arrive as text and are converted to the schema's type
first; a body arrives as JSON text, so syntax errors carry their line and column.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from explorer.core.models import Parameter
from explorer.core.variables import resolve_variables

if TYPE_CHECKING:  # jsonschema costs ~0.1 s to import: loaded at first validation
    import jsonschema
    import jsonschema.exceptions

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "an object ({...})",
    "array": "a list ([...])",
    "null": "null",
}
_FORMAT_SAMPLES = {
    "date-time": "2026-01-01T12:00:00Z",
    "date": "2026-01-01",
    "email": "user@example.com",
    "uri": "https://example.com/",
}


@dataclass(frozen=True, kw_only=True)
class BodyFinding:
    """One problem in a JSON body: the field, the words, and where it is."""

    field: str
    message: str
    line: int | None = None
    column: int | None = None
    json_path: tuple[str | int, ...] = ()
    warning: bool = False


def _validator(schema: Mapping[str, Any]) -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def field_name(path: Sequence[str | int], root: str = "body") -> str:
    """``("utmData", "utm_source")`` -> ``utmData.utm_source``; ``("ids", 0)`` -> ``ids[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or root


def check_parameter(param: Parameter, typed: list[str]) -> list[str]:
    """Messages for the text values given to one parameter (several when repeated)."""
    schema = dict(param.schema)
    kind = _main_type(schema)
    if kind == "array":
        items = schema.get("items", {})
        texts = [
            part for value in typed for part in (value.split(",") if len(typed) == 1 else [value])
        ]
        converted = [_convert(text, items) for text in texts]
    else:
        converted = [_convert(typed[-1], schema)]
        if len(typed) > 1:
            return [
                f"'{param.name}' is given {len(typed)} times but takes one value; "
                "remove the extra ones."
            ]
    messages = [
        f"'{param.name}' {problem}"
        for problem in converted
        if isinstance(problem, str) and problem.startswith("\0")
    ]
    if messages:
        return [m.replace("\0", "") for m in messages]
    value: Any = converted if kind == "array" else converted[0]
    return [_sentence(error, param.name) for error in _validator(schema).iter_errors(value)]


def _main_type(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return str(kind)


def _convert(text: str, schema: Mapping[str, Any]) -> Any:
    """Text to the schema's type; a string starting with NUL is a problem sentence."""
    kind = _main_type(schema)
    try:
        if kind == "integer":
            return int(text.strip())
        if kind == "number":
            return float(text.strip())
    except ValueError:
        return f"\0must be {_TYPE_WORDS[kind]}; '{text}' is not. Type digits only."
    if kind == "boolean":
        lowered = text.strip().lower()
        if lowered not in {"true", "false"}:
            return f"\0must be true or false; '{text}' is neither."
        return lowered == "true"
    return text


def check_body(
    schema: Mapping[str, Any] | None,
    text: str,
    variables: Mapping[str, str] | None,
    *,
    form: bool = False,
) -> list[BodyFinding]:
    """Syntax first (with line and column), then the schema, then unknown fields."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        substituted = resolve_variables(text, variables).text if variables else text
        try:
            document = json.loads(substituted)
        except json.JSONDecodeError:
            return [
                BodyFinding(
                    field="body",
                    line=exc.lineno,
                    column=exc.colno,
                    message=f"The body is not valid JSON: {exc.msg.lower()} at line {exc.lineno}, "
                    f"column {exc.colno}. Correct the JSON there"
                    + (" (a form body is typed as a JSON object)." if form else "."),
                )
            ]
    else:
        if variables:
            substituted = resolve_variables(text, variables).text
            with contextlib.suppress(json.JSONDecodeError):
                document = json.loads(substituted)
    if not schema:
        return []
    findings = [
        BodyFinding(
            field=field_name(list(error.absolute_path)),
            message=_sentence(error, field_name(list(error.absolute_path))),
            json_path=tuple(error.absolute_path),
        )
        for error in _validator(schema).iter_errors(document)
    ]
    findings.extend(_unknown_fields(schema, document, ()))
    return findings


def unknown_fields(schema: Mapping[str, Any], document: Any) -> list[BodyFinding]:
    """Warnings for the fields of ``document`` the schema does not name (where it does
    not forbid them outright)."""
    return list(_unknown_fields(schema, document, ()))


def sentence(error: jsonschema.exceptions.ValidationError) -> str:
    """A JSON Schema error (from any validator built on ``jsonschema``, openapi-core's
    included) in this module's words, naming the field."""
    return _sentence(error, field_name(list(error.absolute_path)))


def _unknown_fields(
    schema: Mapping[str, Any], document: Any, path: tuple[str | int, ...]
) -> Iterator[BodyFinding]:
    """Fields the description does not name, where it does not forbid them outright."""
    if isinstance(document, dict) and isinstance(schema.get("properties"), dict):
        properties = schema["properties"]
        open_ended = "additionalProperties" in schema or "patternProperties" in schema
        for key, value in document.items():
            if key in properties:
                yield from _unknown_fields(properties[key], value, (*path, key))
            elif not open_ended:
                name = field_name([*path, key])
                yield BodyFinding(
                    field=name,
                    json_path=(*path, key),
                    warning=True,
                    message=f"'{name}' is not a field the API description knows; check its "
                    "spelling (it will be sent as typed).",
                )
    elif isinstance(document, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(document):
            yield from _unknown_fields(schema["items"], item, (*path, index))


#: The most characters a finding quotes from what was typed (a body may be megabytes).
QUOTE_LIMIT = 80
_SENTENCE_LIMIT = 400


def _quote(value: Any) -> str:
    """A short JSON rendering of ``value``, cut with "…" (never rendering all of a huge one)."""
    if isinstance(value, str) and len(value) > QUOTE_LIMIT:
        value = value[:QUOTE_LIMIT]
        return json.dumps(value, ensure_ascii=False)[: QUOTE_LIMIT + 1] + "…"
    if isinstance(value, (list, dict)) and len(value) > 20:
        kind = "array" if isinstance(value, list) else "object"
        return f"an {kind} of {len(value):,} items"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def _cap(text: str) -> str:
    return text if len(text) <= _SENTENCE_LIMIT else text[: _SENTENCE_LIMIT - 1] + "…"


def _sentence(error: jsonschema.exceptions.ValidationError, name: str) -> str:
    """One finding in words, quoting at most a few dozen characters of the input."""
    return _cap(_words(error, _cap(name)))


def _words(error: jsonschema.exceptions.ValidationError, name: str) -> str:
    keyword = error.validator
    value: Any = error.validator_value
    instance = error.instance
    if keyword == "required" and isinstance(instance, dict):
        missing = [str(n) for n in value if n not in instance]
        fields = ", ".join(f"'{field_name([*error.absolute_path, n])}'" for n in missing)
        return (
            f"{fields} {'is' if len(missing) == 1 else 'are'} required; add "
            f"{'it' if len(missing) == 1 else 'them'}."
        )
    if keyword == "type":
        kinds = value if isinstance(value, list) else [value]
        wanted = " or ".join(_TYPE_WORDS.get(str(k), str(k)) for k in kinds)
        return f"'{name}' must be {wanted}; it is {_quote(instance)}."
    if keyword == "enum":
        choices = ", ".join(json.dumps(v) for v in value)
        return f"'{name}' must be one of {_cap(choices)}; it is {_quote(instance)}."
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = ", ".join(f"'{k}'" for k in instance if k not in known)
        return (
            f"{extra} {'is not a known field' if ',' not in extra else 'are not known fields'}"
            f" of '{name}'; remove or rename it."
        )
    if keyword == "format":
        sample = _FORMAT_SAMPLES.get(str(value))
        hint = f", for example {sample}" if sample else ""
        return f"'{name}' must be a valid {value}{hint}."
    if keyword in {"minLength", "maxLength"}:
        side = "at least" if keyword == "minLength" else "at most"
        return f"'{name}' must be {side} {value} characters long."
    if keyword in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        words = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }[keyword]
        return f"'{name}' must be {words} {value}."
    if keyword in {"minItems", "maxItems"}:
        side = "at least" if keyword == "minItems" else "at most"
        return f"'{name}' must have {side} {value} items."
    if keyword == "pattern":
        return f"'{name}' does not have the expected form (pattern {value})."
    if keyword in {"const", "oneOf", "anyOf", "allOf", "not", "uniqueItems", "contains"}:
        return f"'{name}' does not match the description ({keyword}); it is {_quote(instance)}."
    return f"'{name}': {_cap(error.message)}."
