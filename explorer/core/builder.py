"""From an endpoint and what the user typed to the exact request, and what is wrong with it.

This module owns :class:`RequestInputs` (the user's inputs for one endpoint, as typed),
:func:`build_request` (inputs -> :class:`~explorer.core.models.RequestSpec`),
``{{name}}`` variables (:func:`resolve_variables`), :func:`validate_inputs` (problems in
plain words, never blocking: "Send anyway" sends the inputs as typed) and
:func:`example_inputs` (a form pre-filled from the description's examples and defaults).
Pure Python; the window and the CLI call it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from explorer.core.models import Endpoint, Parameter, ParamLocation, RequestSpec, Severity
from explorer.core.validation import check_body, check_parameter
from explorer.core.variables import Resolved, resolve_variables

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


class ProblemLocation(StrEnum):
    """Where an input problem sits."""

    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    BODY = "body"
    VARIABLE = "variable"


@dataclass(frozen=True, kw_only=True)
class InputProblem:
    """One thing wrong with the inputs, said so that the user knows what to do."""

    location: ProblemLocation
    field: str  # parameter name, or the body field as a dotted path ("utmData.utm_source")
    message: str
    severity: Severity = Severity.ERROR
    line: int | None = None  # 1-based, for JSON syntax errors in the body
    column: int | None = None
    json_path: tuple[str | int, ...] = ()  # where in the body document


@dataclass(frozen=True, kw_only=True)
class RequestInputs:
    """What the user typed for one endpoint. Values are text, exactly as typed.

    ``query_params`` and ``headers`` are ordered pairs, so keys may repeat
    (``ids=1&ids=2``) and deep-object keys (``utmData[utm_source]``) are plain keys.
    ``variables`` override the environment's variables for this request only.
    """

    path_params: Mapping[str, str] = field(default_factory=dict)
    query_params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body_text: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path_params": dict(self.path_params),
            "query_params": [list(pair) for pair in self.query_params],
            "headers": [list(pair) for pair in self.headers],
            "body_text": self.body_text,
            "variables": dict(self.variables),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RequestInputs:
        """The inverse of :meth:`to_dict`; malformed parts are dropped, not guessed."""

        def pairs(value: Any) -> tuple[tuple[str, str], ...]:
            if not isinstance(value, list):
                return ()
            return tuple(
                (str(item[0]), str(item[1]))
                for item in value
                if isinstance(item, list | tuple) and len(item) == 2
            )

        def mapping(value: Any) -> dict[str, str]:
            return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

        body = data.get("body_text", "")
        return cls(
            path_params=mapping(data.get("path_params")),
            query_params=pairs(data.get("query_params")),
            headers=pairs(data.get("headers")),
            body_text=body if isinstance(body, str) else "",
            variables=mapping(data.get("variables")),
        )


def build_request(
    endpoint: Endpoint,
    inputs: RequestInputs,
    *,
    base_url: str,
    variables: Mapping[str, str] | None = None,
    auth_header: str | None = None,
    timeout_s: float = 30.0,
) -> RequestSpec:
    """The exact request for ``inputs``, built as typed (problems are for :func:`validate_inputs`).

    Path values are percent-encoded (``a/b`` -> ``a%2Fb``); a path parameter with no
    value keeps its ``{name}``. Query pairs keep their order; brackets of deep-object
    keys stay readable. ``auth_header`` (for example ``"Bearer …"``) is added unless the
    user typed an Authorization header. A JSON body gets ``Content-Type`` from the
    endpoint; a form body (``application/x-www-form-urlencoded``) typed as a JSON object
    is sent form-encoded.
    """
    values = {**(variables or {}), **inputs.variables}

    def sub(text: str) -> str:
        return resolve_variables(text, values).text

    path = _PATH_PARAM.sub(
        lambda m: (
            quote(sub(inputs.path_params[m.group(1)]), safe="")
            if inputs.path_params.get(m.group(1), "") != ""
            else m.group(0)
        ),
        endpoint.path,
    )
    url = sub(base_url).rstrip("/") + path
    query = "&".join(
        f"{quote(sub(key), safe='[]')}={quote(sub(value), safe='')}"
        for key, value in inputs.query_params
        if key.strip()
    )
    if query:
        url = f"{url}{'&' if '?' in url else '?'}{query}"
    headers = [(key.strip(), sub(value)) for key, value in inputs.headers if key.strip()]
    names = {key.lower() for key, _ in headers}
    body: bytes | None = None
    if inputs.body_text.strip():
        text = sub(inputs.body_text)
        media_type = endpoint.body_media_type or "application/json"
        if media_type == "application/x-www-form-urlencoded":
            text = _form_encoded(text)
        body = text.encode("utf-8")
        if "content-type" not in names:
            headers.append(("Content-Type", media_type))
    if "accept" not in names:
        headers.append(("Accept", "application/json"))
    if auth_header and "authorization" not in names:
        headers.append(("Authorization", auth_header))
    return RequestSpec(
        method=endpoint.method.upper(),
        url=url,
        headers=tuple(headers),
        body=body,
        operation_id=endpoint.operation_id,
        timeout_s=timeout_s,
    )


def _form_encoded(text: str) -> str:
    try:
        document = json.loads(text)
    except ValueError:
        return text
    if not isinstance(document, dict):
        return text
    return "&".join(
        f"{quote(str(k), safe='')}={quote(_scalar_text(v), safe='')}"
        for k, v in document.items()
        if v is not None
    )


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def validate_inputs(
    endpoint: Endpoint,
    inputs: RequestInputs,
    *,
    variables: Mapping[str, str] | None = None,
) -> list[InputProblem]:
    """Everything that would make the API refuse these inputs, errors first.

    With ``variables`` (the environment's), ``{{name}}`` values are substituted before
    checking and unknown names are reported; without, variables are not checked.
    """
    values = {**(variables or {}), **inputs.variables} if variables is not None else None
    problems: list[InputProblem] = []
    given: dict[tuple[ParamLocation, str], list[str]] = {}
    for key, value in inputs.path_params.items():
        given.setdefault((ParamLocation.PATH, key), []).append(value)
    for key, value in inputs.query_params:
        given.setdefault((ParamLocation.QUERY, key), []).append(value)
    for key, value in inputs.headers:
        given.setdefault((ParamLocation.HEADER, key.lower()), []).append(value)
    described: set[tuple[ParamLocation, str]] = set()
    for param in endpoint.parameters:
        lookup = param.name.lower() if param.location is ParamLocation.HEADER else param.name
        described.add((param.location, lookup))
        typed = [v for v in given.get((param.location, lookup), []) if v != ""]
        problems.extend(_check_param(param, typed, values))
    for (location, key), _ in given.items():
        if location is ParamLocation.QUERY and (location, key) not in described and key.strip():
            problems.append(
                InputProblem(
                    location=ProblemLocation.QUERY,
                    field=key,
                    severity=Severity.WARNING,
                    message=f"The query parameter '{key}' is not in the API description; "
                    "check its spelling (it will be sent as typed).",
                )
            )
    problems.extend(_check_body(endpoint, inputs.body_text, values))
    if values is not None:
        problems.extend(_unknown_variables(inputs, values))
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(problems, key=lambda p: order[p.severity])


def _check_param(
    param: Parameter, typed: list[str], values: Mapping[str, str] | None
) -> list[InputProblem]:
    location = ProblemLocation(param.location.value)
    if not typed:
        if not param.required:
            return []
        return [
            InputProblem(
                location=location,
                field=param.name,
                message=f"The {param.location.value} parameter '{param.name}' is required; "
                "fill it in.",
            )
        ]
    resolved = [resolve_variables(v, values).text if values is not None else v for v in typed]
    return [
        InputProblem(location=location, field=param.name, message=message)
        for message in check_parameter(param, resolved)
    ]


def _check_body(
    endpoint: Endpoint, body_text: str, values: Mapping[str, str] | None
) -> list[InputProblem]:
    if not body_text.strip():
        if endpoint.body_required:
            return [
                InputProblem(
                    location=ProblemLocation.BODY,
                    field="body",
                    message="This endpoint needs a request body; type one or use Reset to example.",
                )
            ]
        return []
    return [
        InputProblem(
            location=ProblemLocation.BODY,
            field=found.field,
            message=found.message,
            line=found.line,
            column=found.column,
            json_path=found.json_path,
            severity=Severity.WARNING if found.warning else Severity.ERROR,
        )
        for found in check_body(
            endpoint.body_schema,
            body_text,
            values,
            form=endpoint.body_media_type.endswith("x-www-form-urlencoded"),
        )
    ]


def _unknown_variables(inputs: RequestInputs, values: Mapping[str, str]) -> list[InputProblem]:
    texts = [*inputs.path_params.values(), inputs.body_text]
    texts += [f"{k}{v}" for k, v in (*inputs.query_params, *inputs.headers)]
    unknown: dict[str, None] = {}
    for text in texts:
        unknown.update(dict.fromkeys(resolve_variables(text, values).unknown))
    return [
        InputProblem(
            location=ProblemLocation.VARIABLE,
            field=name,
            severity=Severity.WARNING,
            message=f"The variable {{{{{name}}}}} has no value in this environment; "
            "define it or type the value (it will be sent as typed).",
        )
        for name in unknown
    ]


def example_inputs(endpoint: Endpoint) -> RequestInputs:
    """Inputs pre-filled from the description: examples and defaults, required fields first.

    Optional query parameters appear only when the description gives an example or
    default for them; path parameters always appear (empty when nothing is known).
    """
    path_params: dict[str, str] = {}
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    for param in endpoint.parameters:
        value = _example_text(param)
        if param.location is ParamLocation.PATH:
            path_params[param.name] = value or ""
        elif value is not None and (param.required or value != ""):
            target = query if param.location is ParamLocation.QUERY else headers
            target.append((param.name, value))
        elif param.required:
            (query if param.location is ParamLocation.QUERY else headers).append((param.name, ""))
    body_text = ""
    if endpoint.body_example is not None:
        example = endpoint.body_example
        body_text = (
            example
            if isinstance(example, str)
            else json.dumps(example, indent=2, ensure_ascii=False)
        )
    return RequestInputs(
        path_params=path_params,
        query_params=tuple(query),
        headers=tuple(headers),
        body_text=body_text,
    )


def _example_text(param: Parameter) -> str | None:
    value = param.example
    if value is None:
        value = param.schema.get("default")
    if value is None and param.schema.get("enum"):
        value = param.schema["enum"][0]
    if value is None:
        return None
    if isinstance(value, list):
        return ",".join(_scalar_text(v) for v in value)
    return _scalar_text(value)


__all__ = [
    "InputProblem",
    "ProblemLocation",
    "RequestInputs",
    "Resolved",
    "build_request",
    "example_inputs",
    "resolve_variables",
    "validate_inputs",
]
