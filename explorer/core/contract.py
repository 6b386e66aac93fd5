"""Does a response keep the contract of its API description? One verdict per response.

:class:`ContractChecker` judges a response (status, headers, body) against the operation
it answers, using openapi-core for the OpenAPI rules: which response object the status
selects (``200``, ``2XX``, ``default``), which media type the ``Content-Type`` selects,
the headers the description requires, and the body against its schema (JSON Schema
2020-12 for OpenAPI 3.1, the 3.0 dialect for 3.0). Bodies larger than
:data:`FAST_PATH_BYTES` are checked by jsonschema-rs instead, which is about forty times
faster on the same schema (``bench/bench_contract.py`` measures both).

The verdict is one of :class:`Verdict`; each problem carries the JSON path of the part of
the body (or the header) it is about and the validator's words. A check never raises:
a description that cannot be followed gives a problem that says so.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from explorer.core.models import Endpoint, RequestSpec
from explorer.core.redact import MASK, Redactor

if TYPE_CHECKING:
    from explorer.core.catalog import Catalog

#: bodies at least this large are validated by jsonschema-rs (openapi-core finds the
#: response, the media type and the headers either way)
FAST_PATH_BYTES = 256 * 1024
#: bodies at least this large are judged in a separate process (see :func:`_elsewhere`)
PROCESS_BYTES = 2 * 1024 * 1024
#: a message quotes at most this much of the value it is about
_QUOTE = 160
_MAX_PROBLEMS = 500
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


class Verdict(StrEnum):
    CONFORMS = "conforms"
    VIOLATES = "violates"
    UNDOCUMENTED_STATUS = "undocumented_status"
    UNEXPECTED_CONTENT_TYPE = "unexpected_content_type"
    NO_SCHEMA = "no_schema"


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One way the response breaks the contract."""

    path: str  # "$.items[0].id" for the body, "header X-Request-Id" for a header
    message: str
    where: str = "body"  # "body", "header", "status" or "content-type"
    parts: tuple[str | int, ...] = ()  # the body's JSON path as keys and indexes
    keyword: str = ""  # the schema keyword that failed ("required", "type", ...)
    schema_words: str = ""  # the failing schema's own description, when it has one

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True, kw_only=True)
class ContractResult:
    """The verdict on one response, and why."""

    verdict: Verdict
    problems: tuple[Problem, ...] = ()
    status: int | None = None
    content_type: str = ""
    operation: str = ""  # "GET /pets/{petId}"
    documented: tuple[str, ...] = ()  # the statuses (or media types) the description has
    inferred: bool = False  # checked against a schema graded inferred
    engine: str = "openapi-core"
    elapsed_ms: float = 0.0
    note: str = ""  # said instead of the usual summary (an operation the file lacks)
    stored: bool = False  # read back from the history: made when the response came
    side: str = "response"  # or "request": what was judged

    @property
    def label(self) -> str:
        """The badge's words: ``conforms``, ``violates (3)``, ``undocumented status``…"""
        if self.verdict is Verdict.VIOLATES:
            text = f"violates ({len(self.problems)})"
        elif self.verdict is Verdict.UNDOCUMENTED_STATUS:
            text = "undocumented status"
        elif self.verdict is Verdict.UNEXPECTED_CONTENT_TYPE:
            text = "unexpected content type"
        elif self.verdict is Verdict.NO_SCHEMA:
            text = "no schema to check"
        else:
            text = "conforms"
        return f"{text} (inferred schema)" if self.inferred else text

    @property
    def summary(self) -> str:
        """One sentence for tooltips and the CLI."""
        graded = (
            " It was checked against a schema graded inferred (not confirmed by Thumbtack's "
            "documentation)."
            if self.inferred
            else ""
        )
        if self.stored:
            said = self.note or "The verdict was stored with this exchange."
            return (
                f"{said} (Verdict made when the response was received; send it again to "
                "judge it against the description open now.)"
            )
        if self.note:
            return self.note
        if self.verdict is Verdict.CONFORMS:
            return f"The {self.side} matches the description of {self.operation}.{graded}"
        if self.verdict is Verdict.UNDOCUMENTED_STATUS:
            listed = ", ".join(self.documented) or "none"
            return (
                f"The description of {self.operation} documents no {self.status} response "
                f"(it documents {listed}).{graded}"
            )
        if self.verdict is Verdict.UNEXPECTED_CONTENT_TYPE:
            listed = ", ".join(self.documented) or "none"
            shown = self.content_type or "no Content-Type"
            return (
                f"The description of {self.operation} documents no {shown} body for "
                f"{self.status} (it documents {listed}).{graded}"
            )
        if self.verdict is Verdict.NO_SCHEMA:
            return (
                f"The description of {self.operation} gives no schema for this body, so "
                f"there is nothing to check it against.{graded}"
            )
        count = len(self.problems)
        return (
            f"The {self.side} breaks the description of {self.operation} in {count} "
            f"place{'s' if count != 1 else ''}.{graded}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "label": self.label,
            "problems": [problem.to_dict() for problem in self.problems],
            "inferred": self.inferred,
            "operation": self.operation,
            "summary": self.summary,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ContractResult | None:
        """The result saved by :meth:`to_dict` (history, bundles); ``None`` if unreadable."""
        try:
            verdict = Verdict(str(data.get("verdict")))
        except ValueError:
            return None
        problems = tuple(
            Problem(
                path=str(p.get("path", "")),
                message=str(p.get("message", "")),
                where=_where_of(str(p.get("path", ""))),
                parts=parts_of(str(p.get("path", ""))),
            )
            for p in data.get("problems") or []
            if isinstance(p, Mapping)
        )
        summary = str(data.get("summary", ""))
        marker = " (Verdict made when the response was received"
        return cls(
            verdict=verdict,
            problems=problems,
            inferred=bool(data.get("inferred", False)),
            operation=str(data.get("operation", "")),
            note=summary.split(marker, 1)[0],
            stored=True,
        )


def masked(result: ContractResult, redactor: Redactor, body: bytes) -> ContractResult:
    """``result`` with nothing secret (or, per the redactor, personal) quoted in its words.

    A message quotes the value it is about; where the redactor masks that part of the body
    (a token, a secret field, an e-mail address), every text of the value is masked in the
    message too. Then the message goes through the redactor's text rules.
    """
    raw: Any = None
    safe: Any = None
    if any(problem.parts for problem in result.problems):
        try:
            raw = json.loads(body)
            safe = redactor.redact_json(raw)
        except (ValueError, RecursionError):
            raw = safe = None
    problems = []
    for problem in result.problems:
        message = problem.message
        if raw is not None and problem.parts:
            original, shown = _at(raw, problem.parts), _at(safe, problem.parts)
            if original != shown:
                for text in _texts(original):
                    message = message.replace(text, MASK)
        problems.append(
            dataclasses.replace(
                problem,
                message=redactor.redact_text(message),
                schema_words=redactor.redact_text(problem.schema_words),
            )
        )
    return dataclasses.replace(result, problems=tuple(problems))


def _at(value: Any, parts: Sequence[str | int]) -> Any:
    for part in parts:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return None
    return value


def _texts(value: Any, limit: int = 200) -> list[str]:
    """The texts (and numbers) inside ``value``, longest first, for masking."""
    found: list[str] = []
    stack = [value]
    while stack and len(found) < limit:
        current = stack.pop()
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, str | int | float) and not isinstance(current, bool):
            text = str(current)
            if len(text) >= 3:
                found.append(text)
    return sorted(set(found), key=len, reverse=True)


def _where_of(path: str) -> str:
    if path.startswith("header Content-Type"):
        return "content-type"
    if path.startswith("header") or path == "headers":
        return "header"
    return "status" if path == "status" else "body"


def parts_of(path: str) -> tuple[str | int, ...]:
    """``$.items[0].id`` -> ``("items", 0, "id")``: :func:`json_path` read back (a path
    that is not one of the body's gives ``()``)."""
    if not path.startswith("$"):
        return ()
    parts: list[str | int] = []
    index = 1
    decoder = json.JSONDecoder()
    try:
        while index < len(path):
            if path[index] == ".":
                end = index + 1
                while end < len(path) and path[end] not in ".[":
                    end += 1
                parts.append(path[index + 1 : end])
                index = end
            elif path[index] == "[":
                value, end = decoder.raw_decode(path, index + 1)
                if path[end] != "]" or not isinstance(value, str | int):
                    return ()
                parts.append(value)
                index = end + 1
            else:
                return ()
    except (ValueError, IndexError):
        return ()
    return tuple(parts)


def json_path(parts: Sequence[str | int]) -> str:
    """``("items", 0, "id")`` -> ``$.items[0].id`` (keys that are not names are quoted)."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}"
        else:
            text += f"[{json.dumps(part)}]"
    return text


class _Headers(Mapping[str, str]):
    """Response headers looked up without regard to case (repeated ones joined)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._values: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            self._values[key] = f"{self._values[key]}, {value}" if key in self._values else value

    def __getitem__(self, key: str) -> str:
        return self._values[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class ContractChecker:
    """Judges responses against one catalog's description; safe to use from a worker.

    The openapi-core objects are made on first use (its import costs about 0.3 s) and
    kept, so every later check only validates.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._lock = threading.Lock()
        self._validator: Any = None
        self._request: Any = None
        self._fast: dict[tuple[str, ...], Any] = {}
        self._fast_root: dict[str, Any] | None = None

    # ------------------------------------------------------------------ public

    def check(
        self,
        endpoint: Endpoint,
        *,
        status: int,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
    ) -> ContractResult:
        """The verdict on one response to ``endpoint``.

        A body of :data:`PROCESS_BYTES` or more is judged in a separate process: parsing
        and validating megabytes of JSON holds the interpreter's lock the whole time
        (half a second for 10 MB), which would freeze the window, whichever thread ran
        it. The process reads the same description file; where it cannot be used, the
        check runs here."""
        started = time.perf_counter()
        pairs = tuple(headers)
        result = None
        if len(body) >= PROCESS_BYTES:
            result = _elsewhere(self.catalog, endpoint, status, pairs, body)
        if result is None:
            result = self._check(endpoint, status, _Headers(pairs), body)
        elapsed = (time.perf_counter() - started) * 1000
        return _replace(result, elapsed_ms=elapsed)

    def check_request(self, endpoint: Endpoint, spec: RequestSpec) -> ContractResult:
        """The verdict on a request about to be sent to ``endpoint``: its path, query,
        header and cookie parameters and its body against the operation, by openapi-core
        (the reading of the description its responses are judged by). The credentials
        are not judged: they are added when it is sent."""
        started = time.perf_counter()
        result = self._check_request(endpoint, spec)
        elapsed = (time.perf_counter() - started) * 1000
        return _replace(result, elapsed_ms=elapsed)

    def _check_request(self, endpoint: Endpoint, spec: RequestSpec) -> ContractResult:
        from openapi_core.deserializing.exceptions import DeserializeError
        from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
        from openapi_core.validation.request.exceptions import (
            MissingRequestBody,
            MissingRequiredParameter,
            MissingRequiredRequestBody,
            ParametersError,
            RequestBodyValidationError,
        )
        from openapi_core.validation.schemas.exceptions import InvalidSchemaValue

        operation_name = f"{endpoint.method.upper()} {endpoint.path}"
        base: dict[str, Any] = {
            "operation": operation_name,
            "inferred": bool(endpoint.inferred),
            "side": "request",
            "engine": "openapi-core",
        }
        where = self._operation_path(endpoint)
        if where is None:
            note = (
                f"The description has no operation {operation_name}, so there is nothing to "
                "check the request against."
            )
            return ContractResult(verdict=Verdict.NO_SCHEMA, note=note, **base)
        validator = self._request_validator()
        path_item = validator.spec
        for part in where[:-1]:
            path_item = path_item / part
        operation = path_item / where[-1]
        parameters = _request_parameters(endpoint.path, spec)
        problems: list[Problem] = []
        unread: list[str] = []
        try:
            validator._get_parameters(parameters, operation, path_item)
        except ParametersError as exc:
            for error in exc.errors:
                name = str(getattr(error, "name", ""))
                location = str(getattr(error, "location", ""))
                label = f"{location} parameter {name}".strip()
                if isinstance(error, MissingRequiredParameter):
                    problems.append(
                        Problem(path=label, where="parameter", message="required; it is missing")
                    )
                    continue
                cause = error.__cause__
                if type(cause) is DeserializeError:  # a style openapi-core cannot read
                    if _given(parameters, location, name):
                        unread.append(label)
                    continue  # (it also fails on an absent deepObject: nothing to judge)
                errors = getattr(cause, "schema_errors", None)
                message = (
                    "; ".join(_cut(str(e.message)) for e in errors)
                    if errors
                    else _cut(str(cause or error))
                )
                problems.append(Problem(path=label, where="parameter", message=message))
        except Exception as exc:  # a parameter openapi-core cannot follow
            problems.append(Problem(path="parameters", where="parameter", message=_cut(str(exc))))
        content_type = spec.header("Content-Type") or ""
        mime = content_type.split(";")[0].strip().lower()
        unchecked = ""
        try:
            validator._get_body(spec.body, mime or None, operation)
        except MissingRequestBody:
            pass
        except MissingRequiredRequestBody:
            problems.append(
                Problem(path="$", message="the description requires a body; there is none")
            )
        except RequestBodyValidationError as exc:
            cause = exc.__cause__
            if isinstance(cause, InvalidSchemaValue):
                problems += [_from_jsonschema(e) for e in cause.schema_errors][:_MAX_PROBLEMS]
            elif isinstance(cause, MediaTypeNotFound):
                documented = ", ".join((operation / "requestBody" / "content").str_keys())
                problems.append(
                    Problem(
                        path="header Content-Type",
                        where="content-type",
                        message=f"{mime or 'no Content-Type'} is not a media type the "
                        f"description takes here (it takes {documented})",
                    )
                )
            elif "json" in mime:
                problems.append(Problem(path="$", message="the body is not valid JSON"))
            else:  # an encoding openapi-core cannot read (deepObject in a form, ...)
                unchecked = _unchecked(mime, cause or exc)
        except Exception as exc:
            unchecked = _unchecked(mime, exc)
        if unread and not problems:
            unchecked = (
                f"{', '.join(unread)} not checked: the contract engine cannot read "
                "its style. " + unchecked.replace("The parameters match; the", "The")
            ).strip()
        if unchecked and not problems:
            return ContractResult(verdict=Verdict.NO_SCHEMA, note=unchecked, **base)
        verdict = Verdict.VIOLATES if problems else Verdict.CONFORMS
        return ContractResult(verdict=verdict, problems=tuple(problems[:_MAX_PROBLEMS]), **base)

    def _request_validator(self) -> Any:
        with self._lock:
            if self._request is None:
                from jsonschema_path import SchemaPath
                from openapi_core import V30RequestValidator, V31RequestValidator

                spec = SchemaPath.from_dict(
                    dict(self.catalog.document), base_uri=self.catalog.base_uri or ""
                )
                version = self.catalog.openapi_version
                validator_cls = (
                    V30RequestValidator if version.startswith("3.0") else V31RequestValidator
                )
                self._request = validator_cls(spec)
            return self._request

    # ------------------------------------------------------------------ internals

    def _operation_path(self, endpoint: Endpoint) -> tuple[str, ...] | None:
        source = getattr(endpoint, "source", None)
        where = getattr(source, "where", None)
        if isinstance(where, tuple):
            return tuple(str(part) for part in where)
        found = self.catalog.by_route(endpoint.method, endpoint.path)
        if found is None:
            return None
        return ("paths", found.path, found.method.lower())

    def _spec_validator(self) -> Any:
        with self._lock:
            if self._validator is None:
                from jsonschema_path import SchemaPath
                from openapi_core import V30ResponseValidator, V31ResponseValidator

                spec = SchemaPath.from_dict(
                    dict(self.catalog.document), base_uri=self.catalog.base_uri or ""
                )
                version = self.catalog.openapi_version
                validator_cls = (
                    V30ResponseValidator if version.startswith("3.0") else V31ResponseValidator
                )
                self._validator = validator_cls(spec)
            return self._validator

    def _check(
        self, endpoint: Endpoint, status: int, headers: _Headers, body: bytes
    ) -> ContractResult:
        from openapi_core.deserializing.media_types.exceptions import MediaTypeDeserializeError
        from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
        from openapi_core.templating.responses.exceptions import ResponseNotFound

        operation_name = f"{endpoint.method.upper()} {endpoint.path}"
        content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
        base = {
            "status": status,
            "content_type": content_type,
            "operation": operation_name,
            "inferred": bool(endpoint.inferred),
        }
        where = self._operation_path(endpoint)
        if where is None:
            note = (
                f"The description has no operation {operation_name}, so there is nothing to "
                "check the response against."
            )
            return ContractResult(verdict=Verdict.NO_SCHEMA, note=note, **base)  # type: ignore[arg-type]
        validator = self._spec_validator()
        operation = validator.spec
        for part in where:
            operation = operation / part
        try:
            response = validator._find_operation_response(status, operation)
        except ResponseNotFound:
            documented = tuple(str(code) for code in (operation / "responses").str_keys())
            return ContractResult(
                verdict=Verdict.UNDOCUMENTED_STATUS,
                documented=documented,
                problems=(
                    Problem(
                        path="status",
                        where="status",
                        message=f"{status} is not a status the description documents for "
                        f"this operation (it documents {', '.join(documented) or 'none'})",
                    ),
                ),
                **base,  # type: ignore[arg-type]
            )
        with response.open() as raw_response:
            inferred = bool(base["inferred"]) or _marks_inferred(raw_response)
        base["inferred"] = inferred
        problems = list(self._header_problems(validator, response, headers))
        if "content" not in response or not list((response / "content").str_keys()):
            if body.strip():
                verdict = Verdict.VIOLATES if problems else Verdict.NO_SCHEMA
                return ContractResult(verdict=verdict, problems=tuple(problems), **base)  # type: ignore[arg-type]
            verdict = Verdict.VIOLATES if problems else Verdict.CONFORMS
            return ContractResult(verdict=verdict, problems=tuple(problems), **base)  # type: ignore[arg-type]
        content = response / "content"
        try:
            mime_type, parameters, media = validator._find_media_type(content, content_type or None)
        except MediaTypeNotFound:
            documented = tuple(content.str_keys())
            return ContractResult(
                verdict=Verdict.UNEXPECTED_CONTENT_TYPE,
                documented=documented,
                problems=(
                    *problems,
                    Problem(
                        path="header Content-Type",
                        where="content-type",
                        message=f"{content_type or 'no Content-Type'} is not a media type the "
                        f"description documents for {status} (it documents "
                        f"{', '.join(documented)})",
                    ),
                ),
                **base,  # type: ignore[arg-type]
            )
        if "schema" not in media:
            verdict = Verdict.VIOLATES if problems else Verdict.NO_SCHEMA
            return ContractResult(verdict=verdict, problems=tuple(problems), **base)  # type: ignore[arg-type]
        schema = media / "schema"
        with schema.open() as raw_schema:
            base["inferred"] = bool(base["inferred"]) or _marks_inferred(raw_schema)
        if not body:
            problems.append(
                Problem(
                    path="$",
                    message="the description documents a body for this response; it has none",
                )
            )
            return ContractResult(verdict=Verdict.VIOLATES, problems=tuple(problems), **base)  # type: ignore[arg-type]
        engine = "openapi-core"
        try:
            if len(body) >= FAST_PATH_BYTES and "json" in mime_type:
                engine = "jsonschema-rs"
                response_key, media_key = str(response.parts[-1]), str(media.parts[-1])
                schema_where = (*where, "responses", response_key, "content", media_key, "schema")
                problems += self._fast_problems(schema_where, body)
            else:
                value = validator._deserialise_media_type(media, mime_type, parameters, body)
                if isinstance(value, bytes | str) and mime_type.endswith("+json"):
                    # a structured-syntax suffix (RFC 6839): application/problem+json is JSON,
                    # which openapi-core hands over undecoded
                    try:
                        value = json.loads(value)
                    except ValueError as exc:
                        raise _BodyUnreadable(f"the body is not valid JSON ({exc})") from None
                problems += self._body_problems(validator, schema, value)
        except _BodyUnreadable as exc:
            problems.append(Problem(path="$", message=str(exc)))
        except MediaTypeDeserializeError as exc:
            cause = exc.__cause__ or exc.__context__
            why = f" ({_cut(str(cause))[:120]})" if isinstance(cause, ValueError) else ""
            problems.append(Problem(path="$", message=f"the body is not valid {mime_type}{why}"))
        except Exception as exc:  # a deserialiser or schema openapi-core cannot follow
            problems.append(Problem(path="$", message=_cut(_exception_words(exc))))
        verdict = Verdict.VIOLATES if problems else Verdict.CONFORMS
        return ContractResult(
            verdict=verdict,
            problems=tuple(problems[:_MAX_PROBLEMS]),
            engine=engine,
            **base,  # type: ignore[arg-type]
        )

    def _header_problems(self, validator: Any, response: Any, headers: _Headers) -> list[Problem]:
        from openapi_core.validation.response.exceptions import HeadersError

        try:
            validator._get_headers(headers, response)
        except HeadersError as exc:
            problems = []
            for error in exc.context:
                name = str(getattr(error, "name", ""))
                message = str(error)
                cause = error.__cause__
                errors = getattr(cause, "schema_errors", None)
                if errors:
                    message = "; ".join(_cut(str(e.message)) for e in errors)
                problems.append(
                    Problem(
                        path=f"header {name}",
                        where="header",
                        message=_cut(
                            message.replace("Missing required header", "required header missing")
                        ),
                    )
                )
            return problems
        except Exception as exc:
            return [Problem(path="headers", where="header", message=_cut(_exception_words(exc)))]
        return []

    def _body_problems(self, validator: Any, schema: Any, value: Any) -> list[Problem]:
        from openapi_core.validation.schemas.exceptions import InvalidSchemaValue

        try:
            validator._validate_schema(schema, value)
        except InvalidSchemaValue as exc:
            return [_from_jsonschema(error) for error in exc.schema_errors][:_MAX_PROBLEMS]
        return []

    def _fast_problems(self, where: tuple[str, ...], body: bytes) -> list[Problem]:
        from explorer.core.openapi_doc import json_in_pieces

        try:
            value = json_in_pieces(body.decode("utf-8"))
        except (ValueError, RecursionError):
            try:  # parsed again whole for the message with its line and column
                value = json.loads(body)
            except (ValueError, RecursionError) as exc:
                why = _cut(str(exc))[:120]
                raise _BodyUnreadable(f"the body is not valid JSON ({why})") from None
        key = where
        with self._lock:
            compiled = self._fast.get(key)
        if compiled is None:
            compiled = self._compile_fast(where)
            with self._lock:
                self._fast[key] = compiled
        problems = []
        for error in compiled.iter_errors(value):
            parts = tuple(error.instance_path)
            problems.append(
                Problem(
                    path=json_path(parts),
                    parts=parts,
                    message=_cut(str(error.message)),
                    keyword=str(error.schema_path[-1]) if error.schema_path else "",
                )
            )
            if len(problems) >= _MAX_PROBLEMS:
                break
        return problems

    def _compile_fast(self, where: tuple[str, ...]) -> Any:
        """A jsonschema-rs validator for the schema at ``where`` (logical parts, through
        ``$ref``s), which refers into the document (and its other files) by absolute URI."""
        import jsonschema_rs

        openapi_30 = self.catalog.openapi_version.startswith("3.0")
        doc_uri = self.catalog.base_uri or "urn:explorer:doc"
        with self._lock:
            if self._fast_root is None:
                document = dict(self.catalog.document)
                self._fast_root = _to_2020(document) if openapi_30 else document
            root = self._fast_root
        uri, pointer = self._pointer(where, doc_uri)
        registry = jsonschema_rs.Registry([(doc_uri, root)])

        def retrieve(target: str) -> Any:
            from explorer.core.openapi_doc import file_of, parse_text

            path = file_of(target.split("#", maxsplit=1)[0])
            with open(path, encoding="utf-8") as handle:
                loaded = parse_text(handle.read(), source=path)
            return _to_2020(loaded) if openapi_30 else loaded

        return jsonschema_rs.Draft202012Validator(
            {"$ref": f"{uri}#{pointer}"},
            registry=registry,
            retriever=retrieve,
            validate_formats=True,
        )

    def _pointer(self, where: tuple[str, ...], doc_uri: str) -> tuple[str, str]:
        """The file and JSON pointer of the node at the logical path ``where``."""
        from urllib.parse import urldefrag, urljoin

        import referencing

        resolver_source = self.catalog.resolver
        if resolver_source is None or self.catalog.reader is None:
            raise _BodyUnreadable("the description cannot be followed to this schema")
        from explorer.core.openapi_doc import make_registry

        resolver = make_registry(self.catalog.document, self.catalog.reader).resolver(
            base_uri=self.catalog.reader.base_uri
        )
        node: Any = self.catalog.document
        uri, pointer = doc_uri, ""
        for part in where:
            seen = 0
            while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 50:
                ref = str(node["$ref"])
                try:
                    resolved = resolver.lookup(ref)
                except referencing.exceptions.Unresolvable:
                    raise _BodyUnreadable(f"the reference {ref!r} points to nothing") from None
                target, fragment = urldefrag(urljoin(uri, ref))
                uri, pointer = target or uri, fragment
                node, resolver = resolved.contents, resolved.resolver
                seen += 1
            if not isinstance(node, Mapping) or part not in node:
                raise _BodyUnreadable("the description cannot be followed to this schema")
            node = node[part]
            pointer += "/" + part.replace("~", "~0").replace("/", "~1")
        return uri, pointer


class _BodyUnreadable(Exception):
    pass


def _replace(result: ContractResult, **changes: Any) -> ContractResult:
    return dataclasses.replace(result, **changes)


def _marks_inferred(node: Any) -> bool:
    return isinstance(node, Mapping) and bool(node.get("x-inferred"))


def _given(parameters: Any, location: str, name: str) -> bool:
    """Whether the request carries the parameter ``name`` (``name[key]`` for a deepObject)."""
    try:
        keys = list(parameters[location].keys())
    except (KeyError, AttributeError):
        return False
    lowered = name.lower() if location == "header" else name
    for raw in keys:
        key = str(raw).lower() if location == "header" else str(raw)
        if key == lowered or key.startswith(f"{lowered}["):
            return True
    return False


def _unchecked(mime: str, exc: BaseException) -> str:
    words = [str(a) for a in exc.args if isinstance(a, str)]
    style = next((w for w in words if w in {"deepObject", "form", "pipeDelimited"}), "")
    why = f" (its {style} encoding)" if style else ""
    return (
        f"The parameters match; the {mime or 'request'} body was not checked: the contract "
        f"engine cannot read it{why}."
    )


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE * 2 else text[: _QUOTE * 2 - 1] + "…"


def _exception_words(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc) or name
    return f"the body could not be checked ({text})"


def _from_jsonschema(error: Any) -> Problem:
    parts = tuple(error.absolute_path) if hasattr(error, "absolute_path") else ()
    schema = getattr(error, "schema", None)
    words = ""
    if isinstance(schema, Mapping):
        words = str(schema.get("description") or schema.get("title") or "")
    return Problem(
        path=json_path(parts),
        parts=parts,
        message=_cut(str(getattr(error, "message", error))),
        keyword=str(getattr(error, "validator", "") or ""),
        schema_words=_cut(words) if words else "",
    )


def _to_2020(node: Any) -> Any:
    """An OpenAPI 3.0 schema (or a whole 3.0 document) in JSON Schema 2020-12 words."""
    if isinstance(node, list):
        return [_to_2020(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {
        key: value
        if key in {"example", "examples", "default", "enum", "const"}
        else _to_2020(value)
        for key, value in node.items()
    }
    if result.get("nullable") is True:
        kind = result.get("type")
        if isinstance(kind, str):
            result["type"] = [kind, "null"]
        elif "enum" in result and isinstance(result["enum"], list) and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
    if isinstance(result.get("nullable"), bool):
        result.pop("nullable")
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if result.get(exclusive) is True and bound in result:
            result[exclusive] = result.pop(bound)
        elif result.get(exclusive) is False:
            result.pop(exclusive)
    return result


@dataclass
class _Cache:
    checkers: dict[int, ContractChecker] = field(default_factory=dict)


_CACHE = _Cache()
_CACHE_LOCK = threading.Lock()


def checker_for(catalog: Catalog) -> ContractChecker:
    """The one checker of ``catalog`` (kept while the catalog is in use)."""
    with _CACHE_LOCK:
        known = _CACHE.checkers.get(id(catalog))
        if known is None or known.catalog is not catalog:
            known = ContractChecker(catalog)
            if len(_CACHE.checkers) > 8:
                _CACHE.checkers.clear()
            _CACHE.checkers[id(catalog)] = known
        return known


# ---------------------------------------------------------------------- another process

_POOL: Any = None
_POOL_LOCK = threading.Lock()
#: the descriptions the checking process has read: source -> (modified time, catalog)
_READ: dict[str, tuple[float, Catalog]] = {}


def _pool() -> Any:
    """The one checking process, started when a large body first needs it (``spawn``:
    a fresh interpreter, never a fork of a process that runs threads and a window)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            _POOL = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return _POOL


def shutdown_checking_process() -> None:
    """Stop the checking process (it is started again when needed)."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _elsewhere(
    catalog: Catalog,
    endpoint: Endpoint,
    status: int,
    headers: tuple[tuple[str, str], ...],
    body: bytes,
) -> ContractResult | None:
    """The verdict computed by the checking process; ``None`` when the description is
    not a file it can read, or the process fails (the caller then checks here)."""
    import os
    from concurrent.futures.process import BrokenProcessPool

    source = catalog.source
    if not source or not os.path.isfile(source):
        return None
    job = (
        source,
        os.path.getmtime(source),
        _where(endpoint),
        endpoint.method,
        endpoint.path,
        bool(endpoint.inferred),
    )
    try:
        result: ContractResult | None = _pool().submit(_judge, job, status, headers, body).result()
    except BrokenProcessPool:
        shutdown_checking_process()
        return None
    except (OSError, RuntimeError, EOFError):
        return None
    if result is None:
        return None
    return _replace(result, engine=f"{result.engine}, in a separate process")


def _where(endpoint: Endpoint) -> tuple[str, ...] | None:
    where = getattr(getattr(endpoint, "source", None), "where", None)
    return tuple(str(part) for part in where) if isinstance(where, tuple) else None


def _judge(
    job: tuple[str, float, tuple[str, ...] | None, str, str, bool],
    status: int,
    headers: tuple[tuple[str, str], ...],
    body: bytes,
) -> ContractResult | None:
    """In the checking process: the verdict on one response (``None``: not found)."""
    from pathlib import Path

    from explorer.core.catalog import load_catalog

    source, modified, where, method, path, inferred = job
    known = _READ.get(source)
    if known is None or known[0] != modified:
        _READ.clear()  # one description at a time: the one the window shows
        known = (modified, load_catalog(Path(source)))
        _READ[source] = known
    catalog = known[1]
    endpoint = next((e for e in catalog.endpoints if _where(e) == where), None)
    if endpoint is None:
        endpoint = catalog.by_route(method, path)
    if endpoint is None or bool(endpoint.inferred) != inferred:
        return None
    checker = checker_for(catalog)
    return checker._check(endpoint, status, _Headers(headers), body)


def _request_parameters(template: str, spec: RequestSpec) -> Any:
    """The request's parameters as openapi-core reads them: the query (repeated names
    kept), the headers, the cookies and the path's values matched against ``template``."""
    import re
    from http.cookies import SimpleCookie
    from urllib.parse import parse_qsl, unquote, urlsplit

    from openapi_core.datatypes import RequestParameters
    from werkzeug.datastructures import Headers, ImmutableMultiDict

    url = urlsplit(spec.url)
    names: list[str] = []

    def group(match: re.Match[str]) -> str:
        names.append(match.group(1))
        return f"(?P<p{len(names) - 1}>[^/]+)"

    pattern = re.sub(r"\\\{([^{}]+)\\\}", group, re.escape(template))
    found = re.search(pattern + "/?$", url.path)
    path = {} if found is None else {n: unquote(found.group(f"p{i}")) for i, n in enumerate(names)}
    cookies: dict[str, str] = {}
    for value in (v for k, v in spec.headers if k.lower() == "cookie"):
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(value)
        except Exception:  # a malformed Cookie header is judged as absent
            continue
        cookies.update({k: morsel.value for k, morsel in jar.items()})
    return RequestParameters(
        query=ImmutableMultiDict(parse_qsl(url.query, keep_blank_values=True)),
        header=Headers(list(spec.headers)),
        cookie=ImmutableMultiDict(cookies),
        path=path,
    )


_WEBHOOK_VALIDATORS: dict[int, tuple[Mapping[str, Any], Any]] = {}


def check_webhook_body(
    document: Mapping[str, Any],
    event: str,
    body: bytes,
    *,
    base_uri: str = "",
    words: Callable[[Any], str] | None = None,
) -> list[Problem]:
    """The problems of a webhook delivery's body against the request body the
    description's ``webhooks`` section gives ``event``, by openapi-core (the engine of
    every other verdict). ``words`` turns a JSON Schema error into the message shown
    (the validator's own words by default)."""
    from openapi_core.validation.request.exceptions import (
        MissingRequestBody,
        RequestBodyValidationError,
    )
    from openapi_core.validation.schemas.exceptions import InvalidSchemaValue

    with _CACHE_LOCK:
        known = _WEBHOOK_VALIDATORS.get(id(document))
        if known is None or known[0] is not document:
            from jsonschema_path import SchemaPath
            from openapi_core import V31WebhookRequestValidator

            spec = SchemaPath.from_dict(dict(document), base_uri=base_uri)
            known = (document, V31WebhookRequestValidator(spec))
            if len(_WEBHOOK_VALIDATORS) > 4:
                _WEBHOOK_VALIDATORS.clear()
            _WEBHOOK_VALIDATORS[id(document)] = known
    validator = known[1]
    operation = validator.spec / "webhooks" / event / "post"
    try:
        validator._get_body(body, "application/json", operation)
    except MissingRequestBody:
        return []
    except RequestBodyValidationError as exc:
        cause = exc.__cause__
        if isinstance(cause, InvalidSchemaValue):
            problems = []
            for error in cause.schema_errors:
                problem = _from_jsonschema(error)
                if words is not None:
                    problem = dataclasses.replace(problem, message=words(error))
                problems.append(problem)
            return problems[:_MAX_PROBLEMS]
        return [Problem(path="$", message=_cut(str(cause or exc)))]
    return []


def check_request(catalog: Catalog, endpoint: Endpoint, spec: RequestSpec) -> ContractResult:
    """The verdict on a request about to be sent to ``endpoint`` of ``catalog``."""
    return checker_for(catalog).check_request(endpoint, spec)


def check_response(
    catalog: Catalog,
    endpoint: Endpoint,
    *,
    status: int,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
) -> ContractResult:
    """The verdict on one response to ``endpoint`` of ``catalog``."""
    return checker_for(catalog).check(endpoint, status=status, headers=headers, body=body)


__all__ = [
    "FAST_PATH_BYTES",
    "PROCESS_BYTES",
    "ContractChecker",
    "ContractResult",
    "Problem",
    "Verdict",
    "check_request",
    "check_response",
    "check_webhook_body",
    "checker_for",
    "json_path",
    "masked",
    "parts_of",
    "shutdown_checking_process",
]
