"""Putting a stored request back on screen: into the request panel and, with a response,
into the response pane and explanation panel.

Used by the history and the saved requests. The request panel is reached only through
its public parts: a ``load_spec(spec)`` method when it has one; else the endpoint is
selected in the tree (by operationId) and the inputs read back from the request are given
to ``set_inputs``; a request of no known endpoint fills the free URL, headers and body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from explorer.core.builder import RequestInputs
from explorer.core.models import Endpoint, RequestSpec
from explorer.core.redact import MASK, is_reference
from explorer.core.variables import resolve_variables

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow

_NOT_TYPED = ("authorization", "content-type", "content-length", "host")
_FREE = Endpoint(operation_id="", method="GET", path="/", section="")


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


def window_variables(window: MainWindow) -> Mapping[str, str]:
    """The environment's ``{{name}}`` values, when the window's services provide them."""
    provider = getattr(window.services, "variables", None)
    if not callable(provider):
        return {}
    try:
        values = provider()
    except Exception:  # a broken variable source must not stop a re-open
        return {}
    return dict(values) if isinstance(values, Mapping) else {}


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


def load_into_request_panel(window: MainWindow, spec: RequestSpec) -> bool:
    """Show ``spec`` in the request panel so the user can edit and send it again.

    Returns False when the panel could not take it (it shows another endpoint and
    cannot be given a free URL)."""
    panel = window.request_panel
    loader = getattr(panel, "load_spec", None)
    if callable(loader):
        loader(spec)
        return True
    setter = getattr(panel, "set_inputs", None)
    if spec.operation_id and window.endpoint_tree.select(spec.operation_id):
        endpoint = getattr(panel, "endpoint", None)
        if callable(setter) and endpoint is not None:
            setter(inputs_for(endpoint, spec))
            return True
    method = getattr(panel, "method", None)
    url = getattr(panel, "url", None)
    if not isinstance(url, QLineEdit) or url.isReadOnly():
        return False
    if isinstance(method, QComboBox):
        method.setCurrentText(spec.method.upper())
    url.setText(spec.url)
    form = getattr(panel, "param_form", None)
    headers = getattr(form, "extra_headers", None) or getattr(panel, "headers", None)
    if isinstance(headers, QPlainTextEdit) and not headers.isReadOnly():
        shown = [f"{k}: {v}" for k, v in inputs_for(_FREE, spec).headers]
        headers.setPlainText("\n".join(shown))
    body = getattr(panel, "raw", None) or getattr(panel, "body", None)
    if isinstance(body, QPlainTextEdit) and not body.isReadOnly():
        body.setPlainText(spec.body.decode("utf-8", errors="replace") if spec.body else "")
    return True


def current_sandbox_base(window: MainWindow) -> str:
    """The running Sandbox's base URL when the window's environment is the Sandbox."""
    on_sandbox = window.environment_combo.currentData() in (None, "sandbox")
    return window.base_url if on_sandbox else ""
