"""A stored request made sendable again: the pure half of re-opening a request from the
history or the saved requests (the window puts the result on screen).

``sendable`` drops stored credentials and fills ``{{variables}}``, ``on_current_sandbox``
moves a URL of an earlier Sandbox run to the one running now, and ``inputs_for`` reads
back what the user typed for an endpoint (the inverse of
:func:`explorer.core.builder.build_request`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from explorer.core.builder import RequestInputs
from explorer.core.models import Endpoint, RequestSpec
from explorer.core.redact import MASK, is_reference
from explorer.core.variables import resolve_variables

_NOT_TYPED = ("authorization", "content-type", "content-length", "host")
#: The endpoint of a request that matches none in the description (a free URL).
FREE = Endpoint(operation_id="", method="GET", path="/", section="")


def on_current_sandbox(url: str, sandbox_base: str) -> str:
    """A Sandbox URL from an earlier run (another port on this computer) moved to the
    Sandbox running now; any other URL unchanged. The Sandbox picks its port at start."""
    if not sandbox_base:
        return url
    try:
        old, new = urlsplit(url), urlsplit(sandbox_base)
    except ValueError:
        return url
    loopback = old.hostname in ("127.0.0.1", "localhost", "::1")
    thumbtack_path = old.path.startswith(("/api/v4/", "/oauth2/"))
    if not loopback or not thumbtack_path or old.netloc == new.netloc:
        return url
    return urlunsplit((new.scheme, new.netloc, old.path, old.query, old.fragment))


def sendable(
    spec: RequestSpec, variables: Mapping[str, str] | None = None, *, sandbox_base: str = ""
) -> RequestSpec:
    """``spec`` ready to send: masked or ``{{...}}`` credentials dropped (the window adds
    the current ones), other ``{{variables}}`` filled in from the environment, and a URL of
    an earlier Sandbox run moved to ``sandbox_base`` (the Sandbox running now)."""
    headers = tuple(
        (name, resolve_variables(value, variables).text)
        for name, value in spec.headers
        if not (
            MASK in value
            or (name.lower() == "authorization" and ("{{" in value or is_reference(value)))
        )
    )
    body = spec.body
    if body is not None and variables:
        body = resolve_variables(body.decode("utf-8", errors="replace"), variables).text.encode()
    return RequestSpec(
        method=spec.method,
        url=on_current_sandbox(resolve_variables(spec.url, variables).text, sandbox_base),
        headers=headers,
        body=body,
        operation_id=spec.operation_id,
        timeout_s=spec.timeout_s,
        follow_redirects=spec.follow_redirects,
    )


def inputs_for(endpoint: Endpoint, spec: RequestSpec) -> RequestInputs:
    """What the user would have typed for ``endpoint`` to build ``spec``: path values read
    back from the URL, its query, its own headers (not credentials) and the body."""
    parts = urlsplit(spec.url)
    pattern = re.sub(
        r"\\\{([A-Za-z_][A-Za-z0-9_]*)\\\}", r"(?P<\1>[^/]+)", re.escape(endpoint.path)
    )
    try:
        found = re.search(pattern + "$", parts.path)
    except re.error:
        found = None
    path = {k: unquote(v) for k, v in found.groupdict().items()} if found else {}
    headers = tuple(
        (k, v)
        for k, v in spec.headers
        if k.lower() not in _NOT_TYPED and MASK not in v and "{{access_token}}" not in v
    )
    return RequestInputs(
        path_params=path,
        query_params=tuple(parse_qsl(parts.query, keep_blank_values=True)),
        headers=headers,
        body_text=spec.body.decode("utf-8", errors="replace") if spec.body else "",
    )
