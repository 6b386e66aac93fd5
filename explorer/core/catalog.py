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
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.core.evidence import Evidence, grade_of, note_of, weakest
from explorer.core.evidence import parse as parse_evidence
from explorer.core.models import Endpoint, Flow, Parameter, ParamLocation
from explorer.core.openapi_doc import (
    CatalogError,
    DocumentReader,
    SchemaResolver,
    check_size,
    collector_paused,
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
    #: operations the API calls (OpenAPI 3.1 ``webhooks``, and operations' ``callbacks``)
    incoming: tuple[Endpoint, ...] = ()
    #: the document as parsed, ``$ref``s kept, for checks that resolve on their own
    document: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    base_uri: str = ""
    resolver: SchemaResolver | None = field(default=None, repr=False, compare=False)
    reader: DocumentReader | None = field(default=None, repr=False, compare=False)
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


def load_catalog(path: Path, *, validate: bool = False) -> Catalog:
    """Read an OpenAPI 3.0/3.1 file (JSON or YAML) into a catalog, resolving nothing yet.

    This is what the window and the CLI open a description with. Its ``$ref``s are
    followed when a part is first needed. ``validate=True`` also runs
    :func:`explorer.core.description_check.check_catalog` and raises its first error
    (the window runs that check in the background and lists its findings as warnings).
    """
    try:
        check_size(str(path), path.stat().st_size)
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
    text: str, *, source: str = "<text>", base_uri: str = "", validate: bool = False
) -> Catalog:
    """Build a catalog from the text of a description (JSON or YAML)."""
    reader = DocumentReader(text, source=source, base_uri=base_uri)
    with collector_paused(freeze=True):  # kept while open: out of the collector's walks
        document = reader.read()
        reader.check_version(document)
        catalog = _build(document, reader, SchemaResolver(document, reader))
    if validate:
        from explorer.core.description_check import check_catalog

        findings = [f for f in check_catalog(catalog) if f.error]
        if findings:
            raise findings[0].as_error(more=len(findings) - 1)
    return catalog


def _build(
    document: Mapping[str, Any], reader: DocumentReader, resolver: SchemaResolver
) -> Catalog:
    info = document.get("info") if isinstance(document.get("info"), dict) else {}
    assert isinstance(info, dict)
    openapi_version = str(document.get("openapi", ""))
    tags = document.get("tags") if isinstance(document.get("tags"), list) else []
    tag_order = [str(t["name"]) for t in tags or [] if isinstance(t, dict) and "name" in t]
    components = document.get("components") if isinstance(document.get("components"), dict) else {}
    schemes = resolver.resolve(
        (components or {}).get("securitySchemes", {}), ("components", "securitySchemes")
    )
    used_ids: set[str] = set()
    context = _Context(
        schemes=schemes,
        root_security=document.get("security"),
        resolver=resolver,
        used_ids=used_ids,
        inferred_marks="x-inferred" in reader.text or "x-evidence" in reader.text,
        default_grade=Evidence.INFERRED if "x-evidence" in reader.text else Evidence.DOCUMENTED,
    )
    endpoints = _operations(document.get("paths"), ("paths",), context, reader)
    incoming: list[Endpoint] = []
    if isinstance(document.get("webhooks"), dict):
        incoming += _operations(document["webhooks"], ("webhooks",), context, reader, "Webhooks")
    for endpoint in endpoints:
        assert isinstance(endpoint, LazyEndpoint)
        callbacks = endpoint.source.operation.get("callbacks")
        if isinstance(callbacks, dict):
            for name, raw in callbacks.items():
                where = (*endpoint.source.where, "callbacks", str(name))
                item, _ = resolver.follow(raw, where, endpoint.source.at)
                section = f"Callbacks of {endpoint.operation_id}"
                incoming += _operations(item, where, context, reader, section)
    seen = [e.section for e in endpoints]
    sections = [t for t in tag_order if t in seen]
    sections += [s for s in dict.fromkeys(seen) if s not in sections]
    servers = tuple(
        Server(url=str(s.get("url", "")), description=str(s.get("description", "")))
        for s in document.get("servers") or []
        if isinstance(s, dict)
    )
    catalog = Catalog(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        openapi_version=openapi_version,
        source=reader.source,
        servers=servers,
        endpoints=tuple(endpoints),
        sections=tuple(sections),
        incoming=tuple(incoming),
        document=document,
        base_uri=reader.base_uri,
        resolver=resolver,
        reader=reader,
    )
    context.catalog.append(catalog)
    return catalog


def catalog_of(endpoint: Endpoint) -> Catalog | None:
    """The catalog an endpoint was read from (``None`` for one made by hand)."""
    source = getattr(endpoint, "source", None)
    owners = source.context.catalog if isinstance(source, OperationSource) else []
    return owners[0] if owners else None


def _operations(
    items: Any,
    prefix: tuple[str, ...],
    context: _Context,
    reader: DocumentReader,
    section: str = "",
) -> list[Endpoint]:
    """One endpoint per operation of a ``paths``-like mapping; nothing inside resolved."""
    endpoints: list[Endpoint] = []
    if not isinstance(items, dict):
        return endpoints
    for raw_path, raw_item in items.items():
        path = str(raw_path)
        item, at = context.resolver.follow(raw_item, (*prefix, path))
        shared = item.get("parameters") or []
        for method in HTTP_METHODS:
            where = (*prefix, path, method)
            operation, op_at = context.resolver.follow(item.get(method), where, at)
            if not operation:
                continue
            try:
                endpoint = _endpoint(
                    method, path, operation, shared, context, where=where, at=op_at
                )
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise CatalogError(
                    reader.source,
                    f"this operation could not be read ({exc})",
                    location=reader.locate(where),
                ) from None
            if section:
                object.__setattr__(endpoint, "section", section)
            context.used_ids.add(endpoint.operation_id)
            endpoints.append(endpoint)
    return endpoints


@dataclass(frozen=True, kw_only=True)
class _Context:
    """What every operation of one document is read against."""

    schemes: Mapping[str, Any]
    root_security: Any
    resolver: SchemaResolver
    used_ids: set[str]
    inferred_marks: bool  # the file uses x-inferred anywhere (else notes need no resolving)
    #: the grade of an ungraded fact: inferred in a description that grades its facts,
    #: documented in one that grades nothing (it is the documentation itself)
    default_grade: Evidence = Evidence.DOCUMENTED
    #: the catalog these operations belong to (set once it is built)
    catalog: list[Catalog] = field(default_factory=list)


class OperationSource:
    """The unresolved operation behind a :class:`LazyEndpoint` and where it lives."""

    def __init__(
        self,
        *,
        method: str,
        path: str,
        operation: Mapping[str, Any],
        shared: Any,
        where: tuple[str, ...],
        at: Any,
        context: _Context,
    ) -> None:
        self.method = method
        self.path = path
        self.operation = operation
        self.shared = shared
        self.where = where
        self.at = at
        self.context = context
        self.lock = threading.RLock()

    def request_part(self) -> dict[str, Any]:
        """Parameters, request body and the notes about inferred parts, resolved."""
        resolver, where, operation = self.context.resolver, self.where, self.operation
        notes: list[str] = []
        if operation.get("x-inferred-note"):
            notes.append(str(operation["x-inferred-note"]))
        parameters = _parameters(
            self.shared,
            operation.get("parameters") or [],
            resolver,
            where,
            notes,
            at=self.at,
            grade=grade_of(operation, self.context.default_grade),
        )
        try:
            body, body_at = resolver.follow(
                operation.get("requestBody"), (*where, "requestBody"), self.at
            )
        except CatalogError as exc:
            notes.append(f"The request body cannot be read: {exc.problem}")
            body, body_at = {}, self.at
        body_schema, body_example, media_type = _body(body, resolver, where, notes, body_at)
        return {
            "parameters": parameters,
            "body_schema": body_schema,
            "body_required": bool(body.get("required", False)),
            "body_example": body_example,
            "body_media_type": media_type,
            "body_media_types": tuple(str(m) for m in (body.get("content") or {})),
            "inferred_notes": tuple(notes),
        }

    def responses(self) -> dict[str, Any]:
        return self.context.resolver.resolve(
            self.operation.get("responses", {}), (*self.where, "responses"), self.at
        )


_REQUEST_FIELDS = (
    "parameters",
    "body_schema",
    "body_required",
    "body_example",
    "body_media_type",
    "body_media_types",
    "inferred_notes",
)


class _Lazy:
    """A field of :class:`LazyEndpoint` computed on first read, then kept."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        source: OperationSource = instance.__dict__["source"]
        with source.lock:
            if self.name in instance.__dict__:
                return instance.__dict__[self.name]
            if self.name == "responses":
                instance.__dict__["responses"] = source.responses()
            elif self.name == "inferred_notes" and not source.context.inferred_marks:
                note = source.operation.get("x-inferred-note")
                instance.__dict__["inferred_notes"] = (str(note),) if note else ()
            else:
                instance.__dict__.update(source.request_part())
            return instance.__dict__[self.name]


class LazyEndpoint(Endpoint):
    """An endpoint whose parameters, body and responses are resolved when first read.

    Building the endpoint tree of a large description then costs only the operations'
    names; the form, the checks and the views resolve what they show.
    """

    source: OperationSource

    @classmethod
    def create(cls, source: OperationSource, **fields: Any) -> LazyEndpoint:
        endpoint = cls(**fields)
        for name in (*_REQUEST_FIELDS, "responses"):
            endpoint.__dict__.pop(name, None)
        endpoint.__dict__["source"] = source
        return endpoint

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyEndpoint):
            return self.source is other.source and self.operation_id == other.operation_id
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]


for _name in (*_REQUEST_FIELDS, "responses"):
    setattr(LazyEndpoint, _name, _Lazy(_name))


def _endpoint(
    method: str,
    path: str,
    operation: Mapping[str, Any],
    shared_params: Any,
    context: _Context,
    *,
    where: tuple[str, ...],
    at: Any,
) -> Endpoint:
    used_ids = context.used_ids
    scopes, flows = _security(
        operation.get("security", context.root_security), context.schemes, operation.get("x-flows")
    )
    tags = operation.get("tags") or [DEFAULT_SECTION]
    operation_id = str(operation.get("operationId") or "") or _generated_id(method, path)
    if operation_id in used_ids:
        operation_id = _unique(operation_id, used_ids)
    external = operation.get("externalDocs") or {}
    grade = grade_of(operation, context.default_grade)
    source = OperationSource(
        method=method,
        path=path,
        operation=operation,
        shared=shared_params,
        where=where,
        at=at,
        context=context,
    )
    return LazyEndpoint.create(
        source,
        operation_id=operation_id,
        method=method.upper(),
        path=path,
        section=str(tags[0]),
        summary=str(operation.get("summary", "")).strip(),
        description=str(operation.get("description", "")).strip(),
        doc_url=str(external.get("url", "")) if isinstance(external, dict) else "",
        scopes=scopes,
        flows=flows,
        inferred=bool(operation.get("x-inferred", False)) or grade is Evidence.INFERRED,
        server="auth" if operation.get("x-server") == "auth" else "api",
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
    at: Any = None,
    grade: Evidence = Evidence.DOCUMENTED,
) -> tuple[Parameter, ...]:
    merged: dict[tuple[str, str], tuple[dict[str, Any], Any]] = {}
    for index, raw in enumerate([*shared, *own]):
        try:
            param, param_at = resolver.follow(raw, (*where, "parameters", str(index)), at)
        except CatalogError as exc:  # listed by the description check; the form goes on
            notes.append(f"A parameter cannot be read: {exc.problem}")
            continue
        location = str(param.get("in", ""))
        if location in {loc.value for loc in ParamLocation}:
            merged[(location, str(param.get("name", "")))] = (param, param_at)
    result: list[Parameter] = []
    for (location, name), (param, param_at) in merged.items():
        schema = resolver.schema(param.get("schema", {}), (*where, "parameters", name), param_at)
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
                inferred=bool(param.get("x-inferred", False)) or param_grade is Evidence.INFERRED,
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
    body: Mapping[str, Any],
    resolver: SchemaResolver,
    where: tuple[str, ...],
    notes: list[str],
    at: Any = None,
) -> tuple[Mapping[str, Any] | None, Any, str]:
    content = body.get("content") or {}
    if not content:
        return None, None, "application/json"
    media_type = next((m for m in content if "json" in m), next(iter(content)))
    media = content[media_type] or {}
    schema = resolver.schema(media.get("schema", {}), (*where, "requestBody", media_type), at)
    for prop, prop_schema in schema.get("properties", {}).items():
        if isinstance(prop_schema, dict) and prop_schema.get("x-inferred"):
            notes.append(f"Body field {prop}: {prop_schema.get('x-inferred-note', 'unverified')}")
    example = media.get("example")
    if example is None and isinstance(media.get("examples"), dict):
        first = next(iter(media["examples"].values()), None)
        if isinstance(first, dict):
            example = resolver.resolve(first, (*where, "requestBody", "examples"), at).get("value")
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
    "LazyEndpoint",
    "Server",
    "catalog_of",
    "load_catalog",
    "load_default_catalog",
    "parse_catalog",
]
