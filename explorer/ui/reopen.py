"""Putting a stored request back on screen: into the request panel and, with a response,
into the response pane and explanation panel.

Used by the history and the saved requests. The request panel is reached only through
its public parts: a ``load_spec(spec)`` method when it has one, else the endpoint tree
(by operationId) plus its method, URL, headers and body fields where they are editable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from explorer.core.models import RequestSpec
from explorer.core.redact import MASK, is_reference
from explorer.core.variables import resolve_variables

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow


def sendable(spec: RequestSpec, variables: Mapping[str, str] | None = None) -> RequestSpec:
    """``spec`` ready to send: masked or ``{{...}}`` credentials dropped (the window adds
    the current ones), other ``{{variables}}`` filled in from the environment."""
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
        url=resolve_variables(spec.url, variables).text,
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


def load_into_request_panel(window: MainWindow, spec: RequestSpec) -> None:
    """Show ``spec`` in the request panel so the user can edit and send it again."""
    panel = window.request_panel
    loader = getattr(panel, "load_spec", None)
    if callable(loader):
        loader(spec)
        return
    if spec.operation_id:
        window.endpoint_tree.select(spec.operation_id)
    method = getattr(panel, "method", None)
    if isinstance(method, QComboBox) and method.isVisible():
        method.setCurrentText(spec.method.upper())
    url = getattr(panel, "url", None)
    if isinstance(url, QLineEdit) and not url.isReadOnly():
        url.setText(spec.url)
    headers = getattr(panel, "headers", None)
    if isinstance(headers, QPlainTextEdit) and not headers.isReadOnly():
        shown = [
            f"{name}: {value}"
            for name, value in spec.headers
            if name.lower() not in ("authorization", "content-length", "host") and MASK not in value
        ]
        headers.setPlainText("\n".join(shown))
    body = getattr(panel, "body", None)
    if isinstance(body, QPlainTextEdit) and not body.isReadOnly():
        body.setPlainText(spec.body.decode("utf-8", errors="replace") if spec.body else "")
