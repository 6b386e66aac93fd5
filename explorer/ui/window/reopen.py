"""Putting a stored request back on screen: into the request panel and, with a response,
into the response pane and explanation panel.

Used by the history and the saved requests. The request panel is reached only through
its public parts: a ``load_spec(spec)`` method when it has one; else the endpoint is
selected in the tree (by operationId) and the inputs read back from the request are given
to ``set_inputs``; a request of no known endpoint fills the free URL, headers and body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from explorer.core.models import RequestSpec
from explorer.core.reopen import FREE, inputs_for

if TYPE_CHECKING:
    from explorer.ui.window.main_window import MainWindow


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
        shown = [f"{k}: {v}" for k, v in inputs_for(FREE, spec).headers]
        headers.setPlainText("\n".join(shown))
    body = getattr(panel, "raw", None) or getattr(panel, "body", None)
    if isinstance(body, QPlainTextEdit) and not body.isReadOnly():
        body.setPlainText(spec.body.decode("utf-8", errors="replace") if spec.body else "")
    return True


def current_sandbox_base(window: MainWindow) -> str:
    """The running Sandbox's base URL when the window's environment is the Sandbox."""
    on_sandbox = window.environment_combo.currentData() in (None, "sandbox")
    return window.base_url if on_sandbox else ""
