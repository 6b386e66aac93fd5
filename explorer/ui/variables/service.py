"""The window's variables: what ``{{name}}`` means now, and the changes to it.

One :class:`VariablesService` per window. It reads the user's definitions
(:class:`~explorer.core.variables.VariableStore`: plain values in ``variables.json``,
secret values in the secret store), keeps the values captured from responses in this run,
fills the built-ins from the current environment, and runs each request's captures after
its response. Everything that shows or uses a variable asks here; ``changed`` tells them
to look again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal

from explorer.core.captures import Capture, CaptureError, CaptureResult, run_captures
from explorer.core.files import DocumentError, VersionedDocument, locked
from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.secrets import SecretStoreError
from explorer.core.variables import (
    WORKSPACE,
    CapturedValues,
    Definitions,
    Variable,
    VariableSource,
    VariableStore,
    builtin_variables,
    defined_variables,
    layered,
    values_of,
)

log = logging.getLogger(__name__)

_CAPTURES = VersionedDocument(kind="captures", version=1, migrations={})


def request_key(spec: RequestSpec) -> str:
    """Which request a capture belongs to: its operationId, else ``METHOD path``."""
    if spec.operation_id:
        return spec.operation_id
    from urllib.parse import urlsplit

    try:
        path = urlsplit(spec.url).path
    except ValueError:
        path = spec.url
    return f"{spec.method.upper()} {path}"


class VariablesService(QObject):
    """Definitions, captured values and built-ins for the window's current environment."""

    changed = Signal()
    #: ``(results, where)`` after a response's captures ran (for the status bar)
    captured = Signal(list, str)
    problem = Signal(str)

    def __init__(
        self,
        store: VariableStore,
        *,
        environment: Callable[[], tuple[str, str]] = lambda: ("sandbox", "Sandbox"),
        base_url: Callable[[], str] = lambda: "",
        auth_base_url: Callable[[], str] = lambda: "",
        extra: Callable[[], Mapping[str, str]] = lambda: {},
        captures_path: Any = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._environment = environment
        self._base_url = base_url
        self._auth_base_url = auth_base_url
        self._extra = extra
        self.captured_values = CapturedValues()
        self._captures_path = captures_path
        self._definitions: Definitions | None = None
        self._cache: dict[str, Variable] | None = None
        self.load_problem = ""

    # ----- reading ------------------------------------------------------------------------
    @property
    def environment_id(self) -> str:
        return self._environment()[0]

    @property
    def environment_name(self) -> str:
        return self._environment()[1]

    def definitions(self) -> Definitions:
        if self._definitions is None:
            try:
                self._definitions = self.store.load()
                self.load_problem = ""
            except DocumentError as exc:
                self.load_problem = (
                    f"The variables file could not be read: {exc}. It was set aside; "
                    "the variables you define now start a new one."
                )
                self.problem.emit(self.load_problem)
                self._definitions = Definitions()
        return self._definitions

    def variables(self) -> dict[str, Variable]:
        """Every name the current environment knows, with where its value comes from."""
        if self._cache is None:
            env_id, env_name = self._environment()
            definitions = self.definitions()
            extra = [
                Variable(
                    name=k,
                    value=v,
                    source=VariableSource.ENVIRONMENT,
                    where=f"environment {env_name}",
                )
                for k, v in self._extra().items()
            ]
            self._cache = layered(
                builtin_variables(base_url=self._base_url(), auth_base_url=self._auth_base_url()),
                self.captured_values.of(env_id).values(),
                defined_variables(self.store, definitions, env_id, scope_name=env_name),
                extra,
                defined_variables(self.store, definitions, WORKSPACE),
            )
        return dict(self._cache)

    def lookup(self, name: str) -> Variable | None:
        return self.variables().get(name)

    def values(self) -> dict[str, str]:
        """What ``{{name}}`` is replaced by when a request is previewed or sent."""
        return values_of(self.variables())

    def names(self) -> list[str]:
        return sorted(self.variables(), key=str.lower)

    def secret_values(self) -> tuple[str, ...]:
        """The secret variables' values: what every redactor masks."""
        return tuple(
            v.value
            for v in self.variables().values()
            if v.secret and v.value and v.name != "access_token"
        )

    def refresh(self) -> None:
        """Read everything again (the environment, the file or the secret store changed)."""
        self._definitions = None
        self._cache = None
        self.changed.emit()

    def _changed(self) -> None:
        self._cache = None
        self.changed.emit()

    # ----- writing ------------------------------------------------------------------------
    def define(
        self, scope: str, name: str, value: str, *, secret: bool = False, description: str = ""
    ) -> str:
        """Define a variable; "" when done, else the reason it was not (in words)."""
        try:
            self.store.define(scope, name, value, secret=secret, description=description)
        except (ValueError, SecretStoreError, DocumentError) as exc:
            return str(exc)
        self.refresh()
        return ""

    def remove(self, scope: str, name: str) -> str:
        try:
            self.store.remove(scope, name)
        except (SecretStoreError, DocumentError) as exc:
            return str(exc)
        self.refresh()
        return ""

    def put_captured(self, name: str, value: str, *, where: str, personal: bool = False) -> None:
        self.captured_values.put(self.environment_id, name, value, where=where, personal=personal)
        self._changed()

    def forget_captured(self, name: str | None = None) -> None:
        self.captured_values.forget(self.environment_id, name)
        self._changed()

    # ----- captures declared per request ---------------------------------------------------
    def captures_for(self, key: str) -> list[Capture]:
        document = self._captures_document()
        found: list[Capture] = []
        for item in document.get("requests", {}).get(key, []):
            try:
                found.append(Capture.from_dict(item))
            except CaptureError:
                continue
        return found

    def set_captures(self, key: str, captures: list[Capture]) -> str:
        if self._captures_path is None:
            return "captures cannot be kept here"
        try:
            with locked(self._captures_path):
                document = self._captures_document()
                requests = document.setdefault("requests", {})
                if captures:
                    requests[key] = [c.to_dict() for c in captures]
                else:
                    requests.pop(key, None)
                _CAPTURES.save(self._captures_path, document)
        except DocumentError as exc:
            return str(exc)
        return ""

    def add_capture(self, key: str, capture: Capture) -> str:
        listed = [c for c in self.captures_for(key) if c.name != capture.name]
        return self.set_captures(key, [*listed, capture])

    def _captures_document(self) -> dict[str, Any]:
        if self._captures_path is None:
            return {}
        try:
            return _CAPTURES.load(self._captures_path, default=dict)
        except DocumentError as exc:
            self.problem.emit(f"The captures file could not be read: {exc}")
            return {}

    def on_response(
        self, record: ResponseRecord, extra: list[Capture] | None = None
    ) -> list[CaptureResult]:
        """Run the request's captures on its response; found values become variables."""
        key = request_key(record.request)
        captures = [*self.captures_for(key), *(extra or [])]
        if not captures:
            return []
        results = run_captures(captures, record)
        where = f"captured from {record.request.method.upper()} {_path_of(record.request.url)}"
        env_id = self.environment_id
        for result in results:
            if result.value is not None:
                self.captured_values.put(
                    env_id, result.name, result.value, where=where, personal=result.personal
                )
        self._changed()
        self.captured.emit(results, where)
        return results


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).path or url
    except ValueError:
        return url
