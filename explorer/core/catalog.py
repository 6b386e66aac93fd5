"""The endpoint catalog, read from an OpenAPI 3.0/3.1 description.

This module owns turning a description file into :class:`Catalog`: reading (JSON or
YAML), validation (openapi-spec-validator), ``$ref`` resolution (referencing) and the
mapping of each operation onto an :class:`~explorer.core.models.Endpoint`. A file that
cannot be used raises :class:`CatalogError`, whose message names the file, the place of
the problem and what to do. Nothing here is specific to Thumbtack except the ``x-``
extensions it understands (``x-server``, ``x-flows``, ``x-inferred``, ``x-inferred-note``, and
the evidence grades ``x-evidence``, ``x-evidence-note`` and ``x-evidence-scopes``; see
:mod:`explorer.core.evidence`). In a description that grades its facts, a fact without a
grade is read as inferred; a description that grades nothing (Thumbtack's own file) is the
documentation itself, so its facts are documented. ``x-inferred`` always means inferred.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.core.evidence import EXTENSION as EVIDENCE_EXTENSION
from explorer.core.evidence import Evidence, grade_of, note_of, weakest
from explorer.core.evidence import parse as parse_evidence
from explorer.core.models import Endpoint, Flow, Parameter, ParamLocation
from explorer.core.openapi_doc import (
    CatalogError,
    DocumentReader,
    SchemaResolver,
    example_from_schema,
)
from explorer.resources import resource_path

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DEFAULT_SECTION = "Other"
_FLOW_NAMES = {
    "clientCredentials": Flow.CLIENT_CREDENTIALS,
    "authorizationCode": Flow.AUTHORIZATION_CODE,
}


@dataclass(frozen=True, kw_only=True)
class Server:
    """One entry of the description's ``servers`` list."""

    url: str
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class FuzzyMatch:
    """One quick-open hit: the endpoint, its score and which text matched best."""

    endpoint: Endpoint
    score: float
    matched: str  # "operationId", "path" or "summary"


@dataclass(frozen=True, kw_only=True)
class Catalog:
    """Every endpoint of one API description, grouped into sections, with lookups."""

    title: str
    version: str
    openapi_version: str = "3.1.0"
    source: str = ""
    servers: tuple[Server, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    sections: tuple[str, ...] = ()
    _by_id: dict[str, Endpoint] = field(default_factory=dict, repr=False, compare=False)
    _by_route: dict[tuple[str, str], Endpoint] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for endpoint in self.endpoints:
            self._by_id.setdefault(endpoint.operation_id, endpoint)
            self._by_route.setdefault((endpoint.method.upper(), endpoint.path), endpoint)

    def by_operation_id(self, operation_id: str) -> Endpoint | None:
        return self._by_id.get(operation_id)

    def by_route(self, method: str, path: str) -> Endpoint | None:
        return self._by_route.get((method.upper(), path))

    def lookup(self, key: str) -> Endpoint | None:
        """An endpoint by ``operationId``, by its key, or by ``"METHOD /path"``."""
        found = self.by_operation_id(key.strip())
        if found is not None:
            return found
        parts = key.split(maxsplit=1)
        if len(parts) == 2:
            return self.by_route(parts[0], parts[1].strip())
        return None

    def in_section(self, section: str) -> tuple[Endpoint, ...]:
        return tuple(e for e in self.endpoints if e.section == section)

    def grouped(self) -> tuple[tuple[str, tuple[Endpoint, ...]], ...]:
        """``(section, endpoints)`` pairs in section order, for the endpoint tree."""
        return tuple((name, self.in_section(name)) for name in self.sections)

    def find_section(self, name: str) -> str | None:
        """The section called ``name``, ignoring case; ``None`` if there is none."""
        lowered = name.strip().lower()
        return next((s for s in self.sections if s.lower() == lowered), None)

    def fuzzy_find(self, query: str, *, limit: int = 50) -> tuple[FuzzyMatch, ...]:
        """Endpoints whose path, summary or operationId match ``query``, best first.

        Every word of the query must match one of the texts as a subsequence; contiguous,
        prefix and word-start matches score higher. An empty query lists everything.
        """
        words = query.lower().split()
        hits: list[tuple[float, int, FuzzyMatch]] = []
        for index, endpoint in enumerate(self.endpoints):
            texts = {
                "operationId": endpoint.operation_id,
                "path": f"{endpoint.method} {endpoint.path}",
                "summary": endpoint.summary,
            }
            total = 0.0
            best_name, best_score = "operationId", -1.0
            for word in words:
                scores = {name: _subsequence_score(word, text) for name, text in texts.items()}
                name = max(scores, key=lambda n: scores[n])
                if scores[name] <= 0:
                    break
                total += scores[name]
                if scores[name] > best_score:
                    best_name, best_score = name, scores[name]
            else:
                match = FuzzyMatch(endpoint=endpoint, score=total, matched=best_name)
                hits.append((-total, index, match))
        hits.sort(key=lambda hit: (hit[0], hit[1]))
        return tuple(hit[2] for hit in hits[:limit])


def _subsequence_score(needle: str, haystack: str) -> float:
    """0 when ``needle`` is not a subsequence of ``haystack``; higher for tighter matches."""
    text = haystack.lower()
    if not needle:
        return 1.0
    position = text.find(needle)
    if position >= 0:
        boundary = position == 0 or not text[position - 1].isalnum()
        return 100.0 + len(needle) * 4 + (30 if boundary else 0) - position * 0.1
    score, last, start = 0.0, -1, 0
    for char in needle:
        found = text.find(char, start)
        if found < 0:
            return 0.0
        score += 3.0 if found == last + 1 else 1.0
        if found == 0 or not text[found - 1].isalnum() or haystack[found].isupper():
            score += 1.5
        last, start = found, found + 1
    return score


# --------------------------------------------------------------------------- loading


def load_default_catalog(*, validate: bool = False) -> Catalog:
    """The Thumbtack v4 description that ships with the program.

    The test suite validates the shipped file, so start-up skips the validator (it costs
    most of a second); ``$ref`` resolution and mapping still run and still report.
    """
    return load_catalog(resource_path("openapi", "thumbtack-v4.yaml"), validate=validate)


def load_catalog(path: Path, *, validate: bool = True) -> Catalog:
    """Read, validate and map an OpenAPI 3.0/3.1 file (JSON or YAML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(
            str(path), "the file does not exist", hint="Check the path and try again."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(
            str(path),
            f"the file cannot be read ({exc})",
            hint="Check that it is a UTF-8 text file you may read.",
        ) from None
    return parse_catalog(
        text, source=str(path), base_uri=path.resolve().as_uri(), validate=validate
    )


def parse_catalog(
    text: str, *, source: str = "<text>", base_uri: str = "", validate: bool = True
) -> Catalog:
    """Build a catalog from the text of a description (JSON or YAML)."""
    reader = DocumentReader(text, source=source, base_uri=base_uri)
    document = reader.read()
    if validate:
        reader.validate(document)
    else:
        reader.check_version(document)
    return _build(document, reader, SchemaResolver(document, reader))


def _build(
    document: Mapping[str, Any], reader: DocumentReader, resolver: SchemaResolver
) -> Catalog:
    info = document.get("info", {})
    openapi_version = str(document.get("openapi", ""))
    tag_order = [str(t["name"]) for t in document.get("tags", []) if isinstance(t, dict)]
    schemes = resolver.resolve(
        document.get("components", {}).get("securitySchemes", {}), ("components", "securitySchemes")
    )
    root_security = document.get("security")
    endpoints: list[Endpoint] = []
    used_ids: set[str] = set()
    context = _Context(
        schemes=schemes,
        root_security=root_security,
        resolver=resolver,
        used_ids=used_ids,
        default_grade=_default_grade(document),
    )
    for raw_path, raw_item in document.get("paths", {}).items():
        path = str(raw_path)
        item = resolver.resolve(raw_item, ("paths", path))
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            where = ("paths", path, method)
            try:
                endpoint = _endpoint(method, path, operation, shared, context)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise CatalogError(
                    reader.source,
                    f"this operation could not be read ({exc})",
                    location=reader.locate(where),
                ) from None
            used_ids.add(endpoint.operation_id)
            endpoints.append(endpoint)
    seen = [e.section for e in endpoints]
    sections = [t for t in tag_order if t in seen]
    sections += [s for s in dict.fromkeys(seen) if s not in sections]
    servers = tuple(
        Server(url=str(s.get("url", "")), description=str(s.get("description", "")))
        for s in document.get("servers", [])
        if isinstance(s, dict)
    )
    return Catalog(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        openapi_version=openapi_version,
        source=reader.source,
        servers=servers,
        endpoints=tuple(endpoints),
        sections=tuple(sections),
    )


@dataclass(frozen=True, kw_only=True)
class _Context:
    """What every operation of one document is read against."""

    schemes: Mapping[str, Any]
    root_security: Any
    resolver: SchemaResolver
    used_ids: set[str]
    default_grade: Evidence = Evidence.DOCUMENTED


def _default_grade(document: Mapping[str, Any]) -> Evidence:
    """Inferred for a description that grades its facts (an ungraded one is then a gap),
    documented for one that grades nothing: it is the documentation itself."""
    for item in (document.get("paths") or {}).values():
        for operation in (item or {}).values() if isinstance(item, Mapping) else ():
            if isinstance(operation, Mapping) and EVIDENCE_EXTENSION in operation:
                return Evidence.INFERRED
    return Evidence.DOCUMENTED


def _endpoint(
    method: str,
    path: str,
    operation: Mapping[str, Any],
    shared_params: Iterable[Any],
    context: _Context,
) -> Endpoint:
    resolver, used_ids = context.resolver, context.used_ids
    where = ("paths", path, method)
    notes: list[str] = []
    if operation.get("x-inferred-note"):
        notes.append(str(operation["x-inferred-note"]))
    grade = grade_of(operation, context.default_grade)
    parameters = _parameters(
        shared_params, operation.get("parameters", []), resolver, where, notes, grade=grade
    )
    body = resolver.resolve(operation.get("requestBody", {}), (*where, "requestBody"))
    body_schema, body_example, media_type = _body(body, resolver, where, notes)
    scopes, flows = _security(
        operation.get("security", context.root_security), context.schemes, operation.get("x-flows")
    )
    tags = operation.get("tags") or [DEFAULT_SECTION]
    operation_id = str(operation.get("operationId") or "") or _generated_id(method, path)
    if operation_id in used_ids:
        operation_id = _unique(operation_id, used_ids)
    external = operation.get("externalDocs") or {}
    responses = resolver.resolve(operation.get("responses", {}), (*where, "responses"))
    return Endpoint(
        operation_id=operation_id,
        method=method.upper(),
        path=path,
        section=str(tags[0]),
        summary=str(operation.get("summary", "")).strip(),
        description=str(operation.get("description", "")).strip(),
        doc_url=str(external.get("url", "")),
        parameters=parameters,
        body_schema=body_schema,
        body_required=bool(body.get("required", False)),
        body_example=body_example,
        body_media_type=media_type,
        scopes=scopes,
        flows=flows,
        inferred=bool(operation.get("x-inferred", False)),
        inferred_notes=tuple(notes),
        server="auth" if operation.get("x-server") == "auth" else "api",
        responses=responses,
        evidence=grade,
        evidence_note=note_of(operation) if grade is not Evidence.DOCUMENTED else "",
        scope_evidence=parse_evidence(operation.get("x-evidence-scopes"), grade),
    )


def _parameters(
    shared: Iterable[Any],
    own: Iterable[Any],
    resolver: SchemaResolver,
    where: tuple[str, ...],
    notes: list[str],
    *,
    grade: Evidence = Evidence.DOCUMENTED,
) -> tuple[Parameter, ...]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for index, raw in enumerate([*shared, *own]):
        param = resolver.resolve(raw, (*where, "parameters", str(index)))
        location = str(param.get("in", ""))
        if location in {loc.value for loc in ParamLocation}:
            merged[(location, str(param.get("name", "")))] = param
    result: list[Parameter] = []
    for (location, name), param in merged.items():
        schema = resolver.schema(param.get("schema", {}), (*where, "parameters", name))
        if param.get("x-inferred"):
            notes.append(f"Parameter {name}: {param.get('x-inferred-note', 'unverified')}")
        example = param.get("example", schema.get("example", schema.get("default")))
        if example is None and isinstance(param.get("examples"), dict):
            example = next(
                (v.get("value") for v in param["examples"].values() if isinstance(v, dict)), None
            )
        is_deep = param.get("style") == "deepObject" and schema.get("type") == "object"
        param_grade = grade_of(param, grade)
        if is_deep:
            result.extend(_deep_object(name, param, schema, notes, param_grade))
            continue
        result.append(
            Parameter(
                name=name,
                location=ParamLocation(location),
                required=bool(param.get("required", location == "path")),
                schema=schema,
                description=str(param.get("description", "")),
                example=example,
                inferred=bool(param.get("x-inferred", False)),
                evidence=param_grade,
                evidence_note=note_of(param),
            )
        )
    return tuple(result)


def _deep_object(
    name: str,
    param: Mapping[str, Any],
    schema: Mapping[str, Any],
    notes: list[str],
    grade: Evidence = Evidence.DOCUMENTED,
) -> list[Parameter]:
    """``utmData`` with ``style: deepObject`` becomes ``utmData[utm_source]`` and so on."""
    required = set(schema.get("required", []))
    example = param.get("example", schema.get("example")) or {}
    result = []
    for prop, prop_schema in schema.get("properties", {}).items():
        if prop_schema.get("x-inferred"):
            notes.append(
                f"Parameter {name}[{prop}]: {prop_schema.get('x-inferred-note', 'unverified')}"
            )
        result.append(
            Parameter(
                name=f"{name}[{prop}]",
                location=ParamLocation.QUERY,
                required=bool(param.get("required")) and prop in required,
                schema=prop_schema,
                description=str(prop_schema.get("description", param.get("description", ""))),
                example=(example.get(prop) if isinstance(example, dict) else None)
                or prop_schema.get("example", prop_schema.get("default")),
                inferred=bool(param.get("x-inferred") or prop_schema.get("x-inferred")),
                evidence=weakest((grade, grade_of(prop_schema, grade))),
                evidence_note=note_of(prop_schema) or note_of(param),
            )
        )
    return result


def _body(
    body: Mapping[str, Any], resolver: SchemaResolver, where: tuple[str, ...], notes: list[str]
) -> tuple[Mapping[str, Any] | None, Any, str]:
    content = body.get("content") or {}
    if not content:
        return None, None, "application/json"
    media_type = next((m for m in content if "json" in m), next(iter(content)))
    media = content[media_type] or {}
    schema = resolver.schema(media.get("schema", {}), (*where, "requestBody", media_type))
    for prop, prop_schema in schema.get("properties", {}).items():
        if isinstance(prop_schema, dict) and prop_schema.get("x-inferred"):
            notes.append(f"Body field {prop}: {prop_schema.get('x-inferred-note', 'unverified')}")
    example = media.get("example")
    if example is None and isinstance(media.get("examples"), dict):
        first = next(iter(media["examples"].values()), None)
        if isinstance(first, dict):
            example = resolver.resolve(first, (*where, "requestBody", "examples")).get("value")
    if example is None:
        example = example_from_schema(schema)
    return schema, example, str(media_type)


def _security(
    requirements: Any, schemes: Mapping[str, Any], declared_flows: Any
) -> tuple[tuple[str, ...], tuple[Flow, ...]]:
    scopes: dict[str, None] = {}
    flows: dict[Flow, None] = {}
    for requirement in requirements or []:
        for scheme_name, scheme_scopes in (requirement or {}).items():
            scheme = schemes.get(scheme_name) or {}
            scopes.update(dict.fromkeys(str(s) for s in scheme_scopes or []))
            if scheme.get("type") != "oauth2" or declared_flows:
                continue
            for flow_name, flow in (scheme.get("flows") or {}).items():
                offered = set((flow or {}).get("scopes") or {})
                if flow_name in _FLOW_NAMES and set(scheme_scopes or []) <= offered:
                    flows[_FLOW_NAMES[flow_name]] = None
    for flow_name in declared_flows or []:
        if flow_name in _FLOW_NAMES:
            flows[_FLOW_NAMES[flow_name]] = None
    return tuple(scopes), tuple(flows)


def _generated_id(method: str, path: str) -> str:
    """``GET /pets/{petId}`` -> ``getPetsByPetId``: stable keys for operations without one."""
    words: list[str] = []
    for segment in path.strip("/").split("/"):
        match = re.fullmatch(r"\{(.+)\}", segment)
        pieces = re.split(r"[^0-9A-Za-z]+", match.group(1) if match else segment)
        text = "".join(p[:1].upper() + p[1:] for p in pieces if p)
        words.append(f"By{text}" if match else text)
    return method.lower() + "".join(words)


def _unique(operation_id: str, used: set[str]) -> str:
    counter = 2
    while f"{operation_id}{counter}" in used:
        counter += 1
    return f"{operation_id}{counter}"


__all__ = [
    "Catalog",
    "CatalogError",
    "FuzzyMatch",
    "Server",
    "load_catalog",
    "load_default_catalog",
    "parse_catalog",
]
