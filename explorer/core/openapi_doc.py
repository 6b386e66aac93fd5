"""Reading one OpenAPI document and following its ``$ref``s on demand, with errors that say where.

:class:`DocumentReader` turns text into a document (JSON, or YAML through libyaml) within
:data:`LIMITS` that real descriptions never reach (size, YAML alias expansion, nesting
depth), so a hostile file ends with a message instead of eating the machine; it maps a
JSON path such as ``paths./x.get.responses`` back to a line and column of the file.
:class:`SchemaResolver` follows ``$ref`` (local pointers, ``$id``/``$anchor`` of OpenAPI
3.1, relative files of a multi-file description) through the ``referencing`` library only
when a form, a check or a view asks for a part of the document, and caches each result:
every referenced schema is built once and shared, and a cycle ends in a described
placeholder, so a description whose schemas refer to each other costs memory in
proportion to its size. :func:`example_from_schema` makes a plausible value when a
description gives none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

if TYPE_CHECKING:
    # Loaded where they are used: a command that only lists or calls endpoints reads the
    # description with yaml-rs and follows no reference, so it never pays for them.
    import referencing
    import referencing._core
    import referencing.exceptions
    import referencing.jsonschema
    import yaml

_ROOT_URI = "urn:explorer:openapi-root"


def _load_referencing() -> None:
    """Bind ``referencing`` for this module; every resolver comes from :func:`make_registry`,
    which calls this first, so the code that follows references finds it bound."""
    global referencing
    import referencing
    import referencing._core
    import referencing.exceptions
    import referencing.jsonschema


def _safe_loader() -> type[yaml.SafeLoader]:
    """libyaml's loader when PyYAML was built with it (ten times faster), else Python's."""
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


#: keys whose values are data, never schemas or references to follow
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})
#: references inside references that one resolution follows (forms never show deeper)
_MAX_REF_DEPTH = 30


@dataclass(frozen=True)
class Limits:
    """What one description may hold. The largest public descriptions (Microsoft Graph,
    Stripe, GitHub) stay far below each: about 40 MB, two million values, depth 60."""

    max_bytes: int = 200 * 1024 * 1024
    #: values after YAML aliases are expanded (a real file holds about one per 10 bytes)
    max_values: int = 20_000_000
    max_depth: int = 400


LIMITS = Limits()


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


def _size_words(count: int) -> str:
    return f"{count / 1024 / 1024:.0f} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"


def check_size(source: str, size: int, limits: Limits = LIMITS) -> None:
    """CatalogError when a file is larger than any description the program opens."""
    if size > limits.max_bytes:
        raise CatalogError(
            source,
            f"the file is {_size_words(size)}, more than the {_size_words(limits.max_bytes)} "
            "an API description may be",
            hint="Open the description itself, not an archive or a data file.",
        )


@contextlib.contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Python's cyclic garbage collector held off while a description is read, and what
    was read moved out of its sight afterwards (:func:`gc.freeze`).

    Reading a description allocates millions of values and no garbage cycles; left on,
    the collector walks all of them again and again meanwhile (600 ms passes measured on
    GitHub's YAML), each holding the interpreter's lock, so the window froze while a
    worker read. With ``freeze`` (a description opened to be kept while it is open), what
    was read is not walked by every later full collection either (60 ms each with
    Stripe's open): its values are still freed by reference counting when it is closed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def parse_text(text: str, *, source: str, limits: Limits = LIMITS) -> Any:
    """JSON or YAML text to plain JSON-like values, within ``limits``."""
    with collector_paused():
        return _parse_text(text, source=source, limits=limits)


def _parse_text(text: str, *, source: str, limits: Limits = LIMITS) -> Any:
    check_size(source, len(text), limits)
    if source.lower().endswith(".json") or text.lstrip().startswith("{"):
        try:
            return _json_in_pieces(text)
        except (ValueError, IndexError, RecursionError):
            pass  # parsed again whole, for the message with its line and column
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError(
                source,
                f"it is not valid JSON ({exc.msg})",
                location=f"line {exc.lineno}, column {exc.colno}",
            ) from None
        except RecursionError:
            raise _too_deep(source, limits) from None
    loaded = _fast_yaml(text, source, limits)
    if loaded is not _NOT_READ:
        return _Plain(source, limits).convert(loaded)
    import yaml

    try:
        loaded = yaml.load(text, Loader=_safe_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        if "nesting depth" in problem:
            raise _too_deep(source, limits) from None
        raise CatalogError(source, f"it is not valid YAML ({problem})", location=where) from None
    except yaml.YAMLError as exc:
        raise CatalogError(source, f"it is not valid YAML ({exc})") from None
    except RecursionError:
        raise _too_deep(source, limits) from None
    return _Plain(source, limits).convert(loaded)


_NOT_READ = object()


def _fast_yaml(text: str, source: str, limits: Limits) -> Any:
    """YAML through yaml-rs (Rust, about twenty times faster than libyaml here), which
    stops alias expansion itself; ``_NOT_READ`` when it is missing or finds a problem,
    so that PyYAML reads the file again and its message names the line and column."""
    try:
        import yaml_rs
    except ImportError:
        return _NOT_READ
    try:
        return yaml_rs.loads(text)
    except yaml_rs.YAMLDecodeError as exc:
        if "alias" in str(exc):
            raise _alias_bomb(source, limits) from None
        return _NOT_READ
    except RecursionError:
        raise _too_deep(source, limits) from None


def _alias_bomb(source: str, limits: Limits) -> CatalogError:
    return CatalogError(
        source,
        f"its YAML aliases expand to more than {limits.max_values:,} values, far more than "
        "any API description holds (an alias bomb)",
        hint="Open a description without self-multiplying aliases (anchors '&' used "
        "through '*' inside each other).",
    )


_DECODER = json.JSONDecoder()
#: containers this close to the top are read member by member (see _json_in_pieces)
_PIECE_DEPTH = 4


def _json_in_pieces(text: str, depth: int = _PIECE_DEPTH) -> Any:
    """``json.loads(text)``, but the outer levels are read member by member.

    The standard parser keeps the interpreter's lock for a whole document (120 ms for a
    4 MB description), which would freeze the window while a worker opens a file. Read
    piece by piece, the lock is let go between the members of ``paths`` and
    ``components``, so the window keeps painting. Raises ValueError like ``json.loads``.
    """
    value, end = _piece(text, _skip(text, 0), _PIECE_DEPTH - depth)
    if _skip(text, end) != len(text):
        raise ValueError("extra data")
    return value


def json_in_pieces(text: str, depth: int = 2) -> Any:
    """A JSON text parsed with its ``depth`` outer levels read member by member, so a
    worker parsing a large body does not hold up the window (ValueError if not JSON)."""
    try:
        return _json_in_pieces(text, depth)
    except (IndexError, RecursionError) as exc:
        raise ValueError(str(exc)) from None


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


def _piece(text: str, index: int, depth: int) -> tuple[Any, int]:
    opener = text[index]
    if depth >= _PIECE_DEPTH or opener not in "{[":
        return _DECODER.raw_decode(text, index)
    closer = "}" if opener == "{" else "]"
    index = _skip(text, index + 1)
    result: Any = {} if opener == "{" else []
    while text[index] != closer:
        if opener == "{":
            key, index = _DECODER.raw_decode(text, index)
            if not isinstance(key, str):
                raise ValueError("a key that is not a string")
            index = _skip(text, index)
            if text[index] != ":":
                raise ValueError("a key without ':'")
            value, index = _piece(text, _skip(text, index + 1), depth + 1)
            result[key] = value
        else:
            value, index = _piece(text, index, depth + 1)
            result.append(value)
        index = _skip(text, index)
        if text[index] == ",":
            index = _skip(text, index + 1)
            if text[index] == closer:
                raise ValueError("a trailing comma")
        elif text[index] != closer:
            raise ValueError("a missing comma")
    return result, index + 1


def _too_deep(source: str, limits: Limits) -> CatalogError:
    return CatalogError(
        source,
        f"it nests values more than {limits.max_depth} levels deep, deeper than any API "
        "description",
        hint="Check that this is the API description you meant to open.",
    )


class _Plain:
    """YAML extras made JSON-like (keys become strings, dates text), counting as it goes.

    A YAML alias makes two places share one value; libyaml keeps them shared, so a file of
    a few hundred bytes can stand for billions of values ("alias bomb"). Shared values are
    converted once and counted each time they are used, so the walk stops at the limit
    long before anything is expanded.
    """

    def __init__(self, source: str, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.total = 0
        self._memo: dict[int, tuple[Any, int]] = {}

    def convert(self, node: Any) -> Any:
        return self._walk(node, 0)[0]

    def _walk(self, node: Any, depth: int) -> tuple[Any, int]:
        if not isinstance(node, dict | list):
            self._count(1)
            if isinstance(node, dt.datetime | dt.date):
                return node.isoformat().replace("+00:00", "Z"), 1
            return node, 1
        if depth > self.limits.max_depth:
            raise _too_deep(self.source, self.limits)
        known = self._memo.get(id(node))
        if known is not None:  # an alias: counted again, converted once
            self._count(known[1])
            return known
        size = 1
        self._count(1)
        result: Any
        if isinstance(node, dict):
            result = {}
            for key, value in node.items():
                converted, count = self._walk(value, depth + 1)
                result[str(key)] = converted
                size += count
        else:
            result = []
            for value in node:
                converted, count = self._walk(value, depth + 1)
                result.append(converted)
                size += count
        self._memo[id(node)] = (result, size)
        return result, size

    def _count(self, count: int) -> None:
        self.total += count
        if self.total > self.limits.max_values:
            raise _alias_bomb(self.source, self.limits)


class DocumentReader:
    """Parses the text of one description and knows its source for messages."""

    def __init__(
        self, text: str, *, source: str, base_uri: str = "", limits: Limits = LIMITS
    ) -> None:
        self.text = text
        self.source = source
        self.base_uri = base_uri or _ROOT_URI
        self.limits = limits
        self._nodes: yaml.Node | None = None

    def read(self) -> dict[str, Any]:
        document = parse_text(self.text, source=self.source, limits=self.limits)
        if not isinstance(document, dict):
            raise CatalogError(
                self.source,
                "it is not an OpenAPI description (the top level is not a mapping)",
                hint="Open an OpenAPI 3.0 or 3.1 JSON or YAML file.",
            )
        return document

    def check_version(self, document: Mapping[str, Any]) -> str:
        """The ``openapi`` version; CatalogError unless it is 3.0.x or 3.1.x."""
        if "swagger" in document and "openapi" not in document:
            raise CatalogError(
                self.source,
                f"it is not an OpenAPI 3.0 or 3.1 description (it is Swagger "
                f"{document.get('swagger')})",
                location=self.locate(("swagger",)),
                hint="Convert this Swagger 2.0 file to OpenAPI 3 first (swagger2openapi or "
                "the Swagger Editor's 'Convert to OpenAPI 3' do it), then open the converted "
                "file.",
            )
        version = str(document.get("openapi", ""))
        if not version.startswith(("3.0", "3.1")):
            found = f"version {version!r}" if version else "no 'openapi' version field"
            raise CatalogError(
                self.source,
                f"it is not an OpenAPI 3.0 or 3.1 description ({found})",
                location=self.locate(("openapi",)),
                hint="Open an OpenAPI 3.0/3.1 file; convert Swagger 2.0 files first.",
            )
        return version

    def locate(self, path: Sequence[object]) -> str:
        """``line L, column C (json.path)``; just the JSON path when no line is known."""
        dotted = format_location(path)
        node = self._node_at(path)
        if node is None:
            return dotted
        mark = node.start_mark
        return f"line {mark.line + 1}, column {mark.column + 1} ({dotted})"

    def _node_at(self, path: Sequence[object]) -> yaml.Node | None:
        import yaml

        if self._nodes is None:
            try:
                self._nodes = yaml.compose(self.text, Loader=_safe_loader())
            except (yaml.YAMLError, RecursionError):
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


def file_of(uri: str) -> str:
    """The local path of a ``file:`` URI (what messages name), else the URI itself."""
    parts = urlsplit(uri)
    return unquote(parts.path) if parts.scheme == "file" else uri


def make_registry(document: Mapping[str, Any], reader: DocumentReader) -> referencing.Registry[Any]:
    """A registry holding the document; relative files are read once, on first use.

    OpenAPI 3.1 schemas may name themselves with ``$id`` (and parts with ``$anchor``);
    the schemas under ``components`` are registered so such references resolve.
    """
    _load_referencing()
    files: dict[str, referencing.Resource[Any]] = {}
    lock = threading.Lock()

    def retrieve(uri: str) -> referencing.Resource[Any]:
        with lock:
            known = files.get(uri)
            if known is not None:
                return known
            parts = urlsplit(uri)
            if parts.scheme != "file":
                raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]
            path = Path(unquote(parts.path))
            try:
                check_size(str(path), path.stat().st_size, reader.limits)
                contents = parse_text(
                    path.read_text(encoding="utf-8"), source=str(path), limits=reader.limits
                )
            except (OSError, UnicodeDecodeError, CatalogError):
                missing = referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]
                raise missing from None
            # Another file of the description holds OpenAPI parts, not one JSON Schema:
            # its pointers are followed, its contents are not crawled as a schema.
            resource = referencing.Resource.opaque(contents)
            files[uri] = resource
            return resource

    resource = referencing.jsonschema.DRAFT202012.create_resource(document)
    registry: referencing.Registry[Any] = referencing.Registry(retrieve=retrieve)  # type: ignore[call-arg]
    registry = registry.with_resource(reader.base_uri, resource)
    if str(document.get("openapi", "")).startswith("3.1") and "$id" in reader.text:
        extra = []
        for group in (document.get("components") or {}).values():
            for schema in (group or {}).values() if isinstance(group, dict) else ():
                if isinstance(schema, dict) and isinstance(schema.get("$id"), str):
                    named = referencing.jsonschema.DRAFT202012.create_resource(schema)
                    extra.append((urljoin(reader.base_uri, schema["$id"]), named))
        if extra:
            registry = registry.with_resources(extra).crawl()
    return registry


@dataclass(frozen=True)
class Unresolved:
    """A ``$ref`` that points to nothing: the file it is written in, where, and what."""

    file: str
    path: tuple[object, ...]
    ref: str
    reason: str

    def message(self) -> str:
        return (
            f"{self.file} at {format_location(self.path)}: the reference {self.ref!r} "
            f"points to nothing ({self.reason})"
        )


class SchemaResolver:
    """Follows ``$ref`` when asked, caching every target; cycles end in a placeholder.

    :meth:`resolve` returns a part of the document with the references inside it replaced
    by what they point to. Each referenced node is built once and then shared by every
    place that uses it, so resolving all of a large description costs about its own size;
    a reference back to a node still being built becomes
    ``{"description": "(recursive reference to …)", "x-recursive-ref": "…"}``. A
    reference that points to nothing becomes a placeholder that says so (with
    ``x-unresolved``) and is listed in :attr:`unresolved`.
    """

    def __init__(self, document: Mapping[str, Any], reader: DocumentReader) -> None:
        self._reader = reader
        self._document = document
        self._root_resolver: referencing._core.Resolver[Any] | None = None
        self._openapi_31 = str(document.get("openapi", "")).startswith("3.1")
        self._openapi_30 = str(document.get("openapi", "")).startswith("3.0")
        self._memo: dict[tuple[int, bool], Any] = {}
        self._busy: set[int] = set()
        self._lock = threading.RLock()
        self.unresolved: list[Unresolved] = []

    @property
    def _root(self) -> referencing._core.Resolver[Any]:
        """The document's resolver. Until a reference is followed it stands in for the real
        one, which is made (with the ``referencing`` registry) at the first ``$ref``: a part
        without references, or a catalog only listed, never needs it."""
        if self._root_resolver is not None:
            return self._root_resolver
        return cast("referencing._core.Resolver[Any]", _RootUntilNeeded(self))

    def _real_root(self) -> referencing._core.Resolver[Any]:
        with self._lock:
            if self._root_resolver is None:
                registry = make_registry(self._document, self._reader)
                self._root_resolver = registry.resolver(base_uri=self._reader.base_uri)
            return self._root_resolver

    @property
    def source(self) -> str:
        return self._reader.source

    def resolve(self, node: Any, where: Sequence[object], at: Any = None) -> dict[str, Any]:
        """``node`` with every ``$ref`` inside it followed (``{}`` unless a mapping)."""
        with self._lock:
            result = self._deep(node, at or self._root, tuple(where), convert=False)
        return result if isinstance(result, dict) else {}

    def schema(self, node: Any, where: Sequence[object], at: Any = None) -> dict[str, Any]:
        """A resolved JSON Schema; OpenAPI 3.0 ``nullable``/boolean exclusives converted."""
        with self._lock:
            result = self._deep(node, at or self._root, tuple(where), convert=self._openapi_30)
        return result if isinstance(result, dict) else {}

    def follow(
        self, node: Any, where: Sequence[object], at: Any = None
    ) -> tuple[dict[str, Any], Any]:
        """Only the top of ``node``: its ``$ref`` chain followed, nothing inside resolved.

        Returns the node and where it lives (pass it as ``at`` to resolve what is inside).
        Raises CatalogError, naming the file and the JSON path, when a reference points to
        nothing.
        """
        resolver = at or self._root
        seen: set[int] = set()
        with self._lock:
            while isinstance(node, dict) and isinstance(node.get("$ref"), str):
                ref = node["$ref"]
                try:
                    resolved = resolver.lookup(ref)
                except referencing.exceptions.Unresolvable as exc:
                    why = reference_problem(exc, ref, _base(resolver))
                    raise CatalogError(
                        file_of(_base(resolver)) if _base(resolver) != _ROOT_URI else self.source,
                        f"the reference {ref!r} points to nothing ({why})",
                        location=self._locate_in(resolver, (*where, "$ref")),
                        hint="Correct the $ref, add what it names, or put the file it names "
                        "beside the description.",
                    ) from None
                if id(resolved.contents) in seen:
                    break
                seen.add(id(resolved.contents))
                node, resolver = resolved.contents, resolved.resolver
        return (node if isinstance(node, dict) else {}), resolver

    def _locate_in(self, resolver: referencing._core.Resolver[Any], path: Sequence[object]) -> str:
        if _base(resolver) in (self._reader.base_uri, _ROOT_URI):
            return self._reader.locate(path)
        return format_location(path)

    def _deep(
        self,
        node: Any,
        resolver: referencing._core.Resolver[Any],
        where: tuple[object, ...],
        *,
        convert: bool,
    ) -> Any:
        if isinstance(node, list):
            return [
                self._deep(item, resolver, (*where, i), convert=convert)
                for i, item in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        if self._openapi_31 and isinstance(node.get("$id"), str):
            _load_referencing()
            resource = referencing.jsonschema.DRAFT202012.create_resource(node)
            resolver = resolver.in_subresource(resource)
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return self._mapping(node, resolver, where, convert=convert)
        target = self._target(ref, resolver, where, convert=convert)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if not siblings or not isinstance(target, dict):
            return target
        merged = dict(target)
        merged.update(self._mapping(siblings, resolver, where, convert=convert))
        return merged

    def _target(
        self,
        ref: str,
        resolver: referencing._core.Resolver[Any],
        where: tuple[object, ...],
        *,
        convert: bool,
    ) -> Any:
        try:
            resolved = resolver.lookup(ref)
        except referencing.exceptions.Unresolvable as exc:
            base = _base(resolver)
            problem = Unresolved(
                file=self.source if base in (self._reader.base_uri, _ROOT_URI) else file_of(base),
                path=(*where, "$ref"),
                ref=ref,
                reason=reference_problem(exc, ref, base),
            )
            self.unresolved.append(problem)
            return {
                "description": f"(the reference {ref} points to nothing)",
                "x-unresolved": problem.message(),
            }
        contents = resolved.contents
        key = (id(contents), convert)
        known = self._memo.get(key)
        if known is not None:
            return known
        if id(contents) in self._busy:
            return {"description": f"(recursive reference to {ref})", "x-recursive-ref": ref}
        if len(self._busy) >= _MAX_REF_DEPTH:
            return {
                "description": f"(reference to {ref}, nested too deep to show)",
                "x-deep-ref": ref,
            }
        self._busy.add(id(contents))
        try:
            fragment = urldefrag(ref).fragment
            inner = (
                tuple(p.replace("~1", "/").replace("~0", "~") for p in fragment.split("/")[1:])
                if fragment.startswith("/")
                else ()
            )
            result = self._deep(contents, resolved.resolver, inner, convert=convert)
        finally:
            self._busy.discard(id(contents))
        self._memo[key] = result
        return result

    def _mapping(
        self,
        node: Mapping[str, Any],
        resolver: referencing._core.Resolver[Any],
        where: tuple[object, ...],
        *,
        convert: bool,
    ) -> dict[str, Any]:
        result = {
            key: value
            if key in _DATA_KEYS
            else self._deep(value, resolver, (*where, key), convert=convert)
            for key, value in node.items()
        }
        return _from_openapi_30(result) if convert else result


class _RootUntilNeeded:
    """Stands in for the root resolver of a :class:`SchemaResolver` until a reference is
    looked up; then the real one is made and answers."""

    def __init__(self, owner: SchemaResolver) -> None:
        self._owner = owner
        self._base_uri = owner._reader.base_uri

    def lookup(self, ref: str) -> Any:
        return self._owner._real_root().lookup(ref)

    def in_subresource(self, resource: Any) -> Any:
        return self._owner._real_root().in_subresource(resource)


def _base(resolver: referencing._core.Resolver[Any]) -> str:
    return str(getattr(resolver, "_base_uri", ""))


def reference_problem(exc: referencing.exceptions.Unresolvable, ref: str, base: str) -> str:
    """Why ``ref`` (written in the file ``base``) cannot be followed, in words."""
    _load_referencing()
    if isinstance(exc, referencing.exceptions.PointerToNowhere):
        return f"nothing is at {urldefrag(ref).fragment or ref}"
    target = urldefrag(urljoin(base, ref)).url if base != _ROOT_URI else ""
    if target.startswith("file:") and target != urldefrag(base).url:
        path = Path(file_of(target))
        if not path.is_file():
            return f"the file {path} does not exist"
        return f"the file {path} cannot be read as JSON or YAML"
    if urldefrag(ref).url and not target.startswith("file:"):
        return "only references to local files are followed"
    return "it cannot be followed"


def _from_openapi_30(result: dict[str, Any]) -> dict[str, Any]:
    """One schema node of OpenAPI 3.0 in JSON Schema 2020-12 words (its children are
    converted as they are built)."""
    if result.get("nullable") is True and isinstance(result.get("type"), str):
        result["type"] = [result["type"], "null"]
    result.pop("nullable", None)
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
