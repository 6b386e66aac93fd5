"""Which operation of the catalog a concrete request calls, with its inputs split out.

``POST https://api.thumbtack.com/api/v4/negotiations/123/messages?x=1`` is
``sendMessageV4`` with the path parameter ``negotiationID=123`` and the query pair
``x=1``; the form is filled from that. A request that matches no operation stays a free
request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from urllib.parse import parse_qsl, urlsplit

from explorer.core.builder import RequestInputs
from explorer.core.catalog import Catalog
from explorer.core.models import Endpoint, RequestSpec
from explorer.core.reopen import inputs_for

_PARAM = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, kw_only=True)
class OperationMatch:
    """The operation, the base URL in front of its path, and what fills its form (the
    profile's token replaces a pasted ``Authorization: Bearer {{access_token}}``)."""

    endpoint: Endpoint
    base_url: str
    inputs: RequestInputs


@cache
def _pattern(path: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    names: list[str] = []
    pieces: list[str] = []
    cursor = 0
    for match in _PARAM.finditer(path):
        pieces.append(re.escape(path[cursor : match.start()]))
        pieces.append(f"(?P<p{len(names)}>[^/]+)")
        names.append(match.group(1))
        cursor = match.end()
    pieces.append(re.escape(path[cursor:].rstrip("/")))
    return re.compile("".join(pieces) + "/?$"), tuple(names)


def match_operation(catalog: Catalog, spec: RequestSpec) -> OperationMatch | None:
    """The catalog operation ``spec`` calls, or None (a free request)."""
    parts = urlsplit(spec.url)
    path = parts.path or "/"
    best: tuple[int, OperationMatch] | None = None
    for endpoint in catalog.endpoints:
        if endpoint.method.upper() != spec.method.upper():
            continue
        pattern, _names = _pattern(endpoint.path)
        found = pattern.search(path)
        if found is None or (found.start() > 0 and path[found.start() - 1] == "/"):
            continue
        if found.start() > 0 and not endpoint.path.startswith("/"):
            continue
        literal = len(_PARAM.sub("", endpoint.path))
        if best is not None and best[0] >= literal:
            continue
        base = f"{parts.scheme}://{parts.netloc}{path[: found.start()]}"
        inputs = inputs_for(endpoint, spec)
        inputs = replace(
            inputs,
            headers=tuple(
                (key, value)
                for key, value in inputs.headers
                if not (key.lower() == "authorization" and "{{" in value)
            ),
            body_text=_body_text(spec, endpoint),
        )
        best = (literal, OperationMatch(endpoint=endpoint, base_url=base, inputs=inputs))
    return None if best is None else best[1]


def _body_text(spec: RequestSpec, endpoint: Endpoint) -> str:
    if spec.body is None:
        return ""
    text = spec.body.decode("utf-8", errors="replace")
    if endpoint.body_media_type == "application/x-www-form-urlencoded":
        import json

        pairs = parse_qsl(text, keep_blank_values=True)
        if pairs:
            return json.dumps(dict(pairs), indent=2)
    return text
