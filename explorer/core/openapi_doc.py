"""Reading, validating and resolving one OpenAPI document, with errors that say where.

:class:`DocumentReader` turns text into a document (JSON or YAML through
``yaml.safe_load``), checks it with openapi-spec-validator and maps a JSON path such as
``paths./x.get.responses`` back to a line and column of the file. :class:`SchemaResolver`
follows ``$ref`` through the ``referencing`` library (local pointers and relative files)
and returns self-contained JSON Schemas that a Draft 2020-12 validator can use.
:func:`example_from_schema` makes a plausible value when a description gives none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import referencing
import referencing.exceptions
import referencing.jsonschema
import yaml

_ROOT_URI = "urn:explorer:openapi-root"
#: libyaml's loader when PyYAML was built with it (ten times faster), else the Python one.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogError(Exception):
    """An API description could not be used. The message says where and what to do."""

    def __init__(self, source: str, problem: str, *, location: str = "", hint: str = "") -> None:
        self.source = source
        self.location = location
        self.problem = problem
        self.hint = hint or "Fix the file, or open another API description."
        where = f" at {location}" if location else ""
        super().__init__(f"{source}{where}: {problem}. {self.hint}")


def format_location(path: Sequence[object]) -> str:
    """``("paths", "/x", "get")`` -> ``paths./x.get`` (``(top level)`` when empty)."""
    return ".".join(str(part) for part in path) or "(top level)"


class DocumentReader:
    """Parses and validates the text of one description; knows its source for messages."""

    def __init__(self, text: str, *, source: str, base_uri: str = "") -> None:
        self.text = text
        self.source = source
        self.base_uri = base_uri or _ROOT_URI
        self._nodes: yaml.Node | None = None

    def read(self) -> dict[str, Any]:
        if self.source.lower().endswith(".json") or self.text.lstrip().startswith("{"):
            try:
                document = json.loads(self.text)
            except json.JSONDecodeError as exc:
                raise CatalogError(
                    self.source,
                    f"it is not valid JSON ({exc.msg})",
                    location=f"line {exc.lineno}, column {exc.colno}",
                ) from None
        else:
            try:
                document = yaml.load(self.text, Loader=_SAFE_LOADER)
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
                problem = " ".join(p for p in (exc.context, exc.problem) if p)
                raise CatalogError(
                    self.source, f"it is not valid YAML ({problem})", location=where
                ) from None
            except yaml.YAMLError as exc:
                raise CatalogError(self.source, f"it is not valid YAML ({exc})") from None
        if not isinstance(document, dict):
            raise CatalogError(
                self.source,
                "it is not an OpenAPI description (the top level is not a mapping)",
                hint="Open an OpenAPI 3.0 or 3.1 JSON or YAML file.",
            )
        return _plain(document)  # type: ignore[no-any-return]

    def check_version(self, document: Mapping[str, Any]) -> str:
        """The ``openapi`` version; CatalogError unless it is 3.0.x or 3.1.x."""
        version = str(document.get("openapi", document.get("swagger", "")))
        if not version.startswith(("3.0", "3.1")):
            found = f"version {version!r}" if version else "no 'openapi' version field"
            raise CatalogError(
                self.source,
                f"it is not an OpenAPI 3.0 or 3.1 description ({found})",
                location=self.locate(("openapi",)),
                hint="Open an OpenAPI 3.0/3.1 file; convert Swagger 2.0 files first.",
            )
        return version

    def validate(self, document: Mapping[str, Any]) -> None:
        """Raise CatalogError for the first problem, with its location and a count of more."""
        version = self.check_version(document)
        self._check_refs(document)
        # Imported here: the validator costs ~0.4 s to import and start-up does not need it.
        from openapi_spec_validator.shortcuts import get_validator_cls
        from openapi_spec_validator.validation.exceptions import ValidatorDetectError

        try:
            validator_cls = get_validator_cls(document)
        except ValidatorDetectError:
            raise CatalogError(
                self.source,
                f"the OpenAPI version {version!r} is not supported",
                hint="Use openapi: 3.0.x or 3.1.x.",
            ) from None
        try:
            errors = list(validator_cls(document).iter_errors())
        except (referencing.exceptions.Unresolvable, LookupError, TypeError, ValueError):
            errors = list(validator_cls.schema_validator.iter_errors(document))
            if not errors:
                raise CatalogError(
                    self.source,
                    "the validator could not check this description",
                    hint="Check it with an OpenAPI linter.",
                ) from None
        if errors:
            best = errors[0]
            count = len(errors) - 1
            plural = "s" if count > 1 else ""
            more = f" ({count} more problem{plural} after this one)" if count else ""
            raise CatalogError(
                self.source,
                f"{best.message}{more}",
                location=self.locate(tuple(best.absolute_path)),
                hint="Fix this part of the description and open it again.",
            )

    def locate(self, path: Sequence[object]) -> str:
        """``line L, column C (json.path)``; just the JSON path when no line is known."""
        dotted = format_location(path)
        node = self._node_at(path)
        if node is None:
            return dotted
        mark = node.start_mark
        return f"line {mark.line + 1}, column {mark.column + 1} ({dotted})"

    def _node_at(self, path: Sequence[object]) -> yaml.Node | None:
        if self._nodes is None:
            try:
                self._nodes = yaml.compose(self.text, Loader=_SAFE_LOADER)
            except yaml.YAMLError:
                return None
        node = self._nodes
        for part in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if str(k.value) == str(part)), None)
            elif isinstance(node, yaml.SequenceNode) and str(part).isdigit():
                index = int(str(part))
                node = node.value[index] if index < len(node.value) else None
            else:
                node = None
            if node is None:
                return None
        return node

    def _check_refs(self, document: Mapping[str, Any]) -> None:
        resolver = make_registry(document, self).resolver(base_uri=self.base_uri)
        for path, ref in _iter_refs(document, ()):
            try:
                resolver.lookup(ref)
            except referencing.exceptions.Unresolvable:
                raise CatalogError(
                    self.source,
                    f"the reference {ref!r} points to nothing",
                    location=self.locate(path),
                    hint="Correct the $ref or add the component it names.",
                ) from None


def _iter_refs(node: Any, path: tuple[object, ...]) -> Iterator[tuple[tuple[object, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield (*path, key), value
            elif not (isinstance(key, str) and key in {"example", "examples", "default"}):
                yield from _iter_refs(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _iter_refs(value, (*path, index))


def _plain(node: Any) -> Any:
    """YAML extras made JSON-like: keys become strings (``200:``), dates become text."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    if isinstance(node, dt.datetime | dt.date):
        return node.isoformat().replace("+00:00", "Z")
    return node


def make_registry(document: Mapping[str, Any], reader: DocumentReader) -> referencing.Registry[Any]:
    """A registry holding the document; relative file references are read on demand."""

    def retrieve(uri: str) -> referencing.Resource[Any]:
        parts = urlsplit(uri)
        if parts.scheme != "file":
            raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]
        path = Path(unquote(parts.path))
        try:
            text = path.read_text(encoding="utf-8")
            contents = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError):
            missing = referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]
            raise missing from None
        return referencing.jsonschema.DRAFT202012.create_resource(_plain(contents))

    resource = referencing.jsonschema.DRAFT202012.create_resource(document)
    registry: referencing.Registry[Any] = referencing.Registry(retrieve=retrieve)  # type: ignore[call-arg]
    with_document: referencing.Registry[Any] = registry.with_resource(reader.base_uri, resource)
    return with_document


class SchemaResolver:
    """Follows ``$ref`` (cycles become a described placeholder) and normalises schemas."""

    def __init__(self, document: Mapping[str, Any], reader: DocumentReader) -> None:
        self._reader = reader
        self._root = make_registry(document, reader).resolver(base_uri=reader.base_uri)
        self._openapi_30 = str(document.get("openapi", "")).startswith("3.0")

    def resolve(self, node: Any, where: Sequence[object]) -> dict[str, Any]:
        """``node`` with every ``$ref`` inside it replaced by what it points to."""
        try:
            result = self._deep(node, self._root, frozenset())
        except referencing.exceptions.Unresolvable as exc:
            raise CatalogError(
                self._reader.source,
                f"a reference points to nothing ({exc})",
                location=self._reader.locate(where),
            ) from None
        return result if isinstance(result, dict) else {}

    def schema(self, node: Any, where: Sequence[object]) -> dict[str, Any]:
        """A resolved JSON Schema; OpenAPI 3.0 ``nullable``/boolean exclusives converted."""
        resolved = self.resolve(node, where)
        if self._openapi_30:
            return _from_openapi_30(resolved)  # type: ignore[no-any-return]
        return resolved

    def _deep(
        self, node: Any, resolver: referencing._core.Resolver[Any], seen: frozenset[int]
    ) -> Any:
        if isinstance(node, list):
            return [self._deep(item, resolver, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            resolved = resolver.lookup(ref)
            target = resolved.contents
            if id(target) in seen:
                return {"description": f"(recursive reference to {ref})"}
            result = self._deep(target, resolved.resolver, seen | {id(target)})
            siblings = {k: self._deep(v, resolver, seen) for k, v in node.items() if k != "$ref"}
            return {**result, **siblings} if isinstance(result, dict) else result
        return {
            key: value
            if key in {"example", "examples", "default", "const", "enum"}
            else self._deep(value, resolver, seen)
            for key, value in node.items()
        }


def _from_openapi_30(node: Any) -> Any:
    if isinstance(node, list):
        return [_from_openapi_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {
        k: v if k in {"example", "default", "enum"} else _from_openapi_30(v)
        for k, v in node.items()
    }
    if result.pop("nullable", False) is True and isinstance(result.get("type"), str):
        result["type"] = [result["type"], "null"]
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if result.get(exclusive) is True and bound in result:
            result[exclusive] = result.pop(bound)
        elif result.get(exclusive) is False:
            result.pop(exclusive)
    if "example" in result and "examples" not in result:
        result["examples"] = [result["example"]]
    return result


_FORMAT_SAMPLES = {
    "date-time": "2026-01-01T12:00:00Z",
    "date": "2026-01-01",
    "time": "12:00:00Z",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "192.0.2.1",
}


def example_from_schema(schema: Mapping[str, Any], depth: int = 0) -> Any:
    """A plausible value for ``schema``: its example/default/enum, or one built from types.

    Objects get their required properties and those with an example or default (all of
    them when that leaves none), so a pre-filled body shows the shape without noise.
    """
    if depth > 8 or not isinstance(schema, Mapping):
        return None
    for key in ("example", "default", "const"):
        if key in schema:
            return schema[key]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return example_from_schema(schema[key][0], depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = example_from_schema(part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or (kind is None and "properties" in schema):
        properties: Mapping[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", []))
        chosen = [n for n, s in properties.items() if n in required or _has_example(s)] or list(
            properties
        )
        return {name: example_from_schema(properties[name], depth + 1) for name in chosen}
    if kind == "array":
        item = example_from_schema(schema.get("items", {}), depth + 1)
        return [] if item is None else [item]
    if kind == "string":
        return _FORMAT_SAMPLES.get(str(schema.get("format", "")), "string")
    if kind in {"integer", "number"}:
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def _has_example(schema: Any) -> bool:
    return isinstance(schema, Mapping) and any(
        key in schema for key in ("example", "examples", "default", "const")
    )
