"""The variables feature of one window: the service, the Variables editor, ``{{``
completion and hover in the request form, the "Define it" bar, captures after each
response and "Save as variable…" from the response body.

Built by the window with narrow collaborators (never the window itself): the request
panel to assist, the redaction (presentation mode, secrets to mask), callables for the
current environment and addresses, and the session's ``ensure_store`` for secrets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QStatusBar, QWidget

from explorer.core.builder import InputProblem, ProblemLocation
from explorer.core.captures import Capture, CaptureResult
from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.secrets import SecretStore
from explorer.core.variables import VariableStore
from explorer.ui.redaction import RedactionContext
from explorer.ui.variables.assist import UndefinedBar, VariableAssist
from explorer.ui.variables.dock import EnsureStore, VariablesDock
from explorer.ui.variables.service import VariablesService, request_key


class VariablesController(QObject):
    """Variables for one window."""

    message = Signal(str)

    def __init__(
        self,
        *,
        config: Path,
        redaction: RedactionContext,
        secret_store: Callable[[], SecretStore | None],
        environment: Callable[[], tuple[str, str]],
        base_url: Callable[[], str],
        auth_base_url: Callable[[], str] = lambda: "",
        extra: Callable[[], Mapping[str, str]] = lambda: {},
        ensure_store: EnsureStore | None = None,
        status: QStatusBar | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.redaction = redaction
        self.service = VariablesService(
            VariableStore.in_folder(config, secret_store),
            environment=environment,
            base_url=base_url,
            auth_base_url=auth_base_url,
            extra=extra,
            captures_path=config / "captures.json",
            parent=self,
        )
        dock_parent = parent if isinstance(parent, QWidget) else None
        self.dock = VariablesDock(
            self.service,
            presentation=lambda: redaction.presentation,
            ensure_store=ensure_store,
            parent=dock_parent,
        )
        self.action = self.dock.action
        self.assist = VariableAssist(
            self.service, presentation=lambda: redaction.presentation, parent=self
        )
        self.undefined_bar = UndefinedBar()
        self.undefined_bar.define_requested.connect(self.dock.define_variable)
        self._status = status
        self._panel: Any = None
        self._flows: list[Any] | None = None
        self._hint_record: ResponseRecord | None = None
        self.dock.message.connect(self.say)
        self.service.problem.connect(self.say)
        self.service.captured.connect(self._on_captured)
        self.service.changed.connect(self._publish_secrets)
        redaction.changed.connect(self.dock.refresh)
        self._publish_secrets()

    # ----- the request form -----------------------------------------------------------------
    def assist_panel(self, panel: Any) -> None:
        """``{{`` completion and hover in ``panel``'s fields; the Define-it bar under its
        problems; the panel's checks run again when a variable changes."""
        self._panel = panel
        layout = getattr(panel, "below_problems", None)
        if layout is not None:
            layout.addWidget(self.undefined_bar)
        panel.define_variable.connect(self.dock.define_variable)
        panel.problems_changed.connect(self.on_problems)
        self.assist.attach_under(panel)
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(0)
        self._recheck.timeout.connect(self._run_panel_checks)
        self.service.changed.connect(self._recheck.start)

    def _run_panel_checks(self) -> None:
        panel = self._panel
        if panel is not None and hasattr(panel, "run_checks"):
            panel.run_checks()
            if hasattr(panel, "refresh_preview"):
                panel.refresh_preview()

    def on_problems(self, problems: list[InputProblem]) -> None:
        names = [p.field for p in problems if p.location is ProblemLocation.VARIABLE]
        self.undefined_bar.show_names(names, self.service.environment_name)
        if self._panel is not None:
            self.assist.attach_under(self._panel)  # fields of a form built since

    def assist_response(
        self, pane: Any, record: Callable[[], ResponseRecord | None] | None = None
    ) -> None:
        """ "Save as variable…" on the values of ``pane``'s body, tree and Contract rows."""
        from explorer.ui.variables.save_value import ResponseValueMenus

        self.value_menus = ResponseValueMenus(
            pane,
            save=lambda rec, name, value, path, always, personal: self.save_value(
                rec, name, value, path=path, capture_always=always, personal=personal
            ),
            presentation=lambda: self.redaction.presentation,
            record=record,
            parent=self,
        )
        self.value_menus.saved.connect(self._on_value_saved)

    def hint_under(self, explanation_panel: Any) -> None:
        """The capture the documented flow needs next, under the explanation."""
        from explorer.ui.variables.hints import CaptureHints

        self.hints = CaptureHints(self._shipped_flows)
        layout = getattr(explanation_panel, "extras", None)
        if layout is not None:
            layout.addWidget(self.hints)
        self.hints.chosen.connect(self._on_hint_chosen)

    def _shipped_flows(self) -> list[Any]:
        if self._flows is None:
            from explorer.core.flows import shipped_flows

            self._flows = shipped_flows()
        return list(self._flows)

    def show_hints(self, record: ResponseRecord | None, *, ok: bool = False) -> None:
        """The suggestions for the response on screen (None: there is none)."""
        hints = getattr(self, "hints", None)
        if hints is None:
            return
        self._hint_record = record
        if record is None:
            hints.show_for("", ok=False, captured=set())
            return
        captured = {c.name for c in self.captures_for(record.request)}
        hints.show_for(record.request.operation_id or "", ok=ok, captured=captured)

    def _on_hint_chosen(self, suggestion: Any) -> None:
        record = self._hint_record
        if record is None:
            return
        problem = self.service.add_capture(request_key(record.request), suggestion.capture)
        if problem:
            self.say(problem)
            return
        results = self.service.on_response(record)
        self.show_hints(record, ok=True)
        if not any(r.name == suggestion.capture.name and r.found for r in results):
            self.say(f"{{{{{suggestion.capture.name}}}}} will be captured after each response.")

    def _on_value_saved(self, name: str) -> None:
        variable = self.service.lookup(name)
        shown = variable.shown(presentation=self.redaction.presentation) if variable else ""
        self.say(f"Saved {{{{{name}}}}} = {shown}; the next request can use it.")

    # ----- captures declared per request ------------------------------------------------------
    def captures_for(self, spec: RequestSpec) -> list[Capture]:
        """The captures ``spec``'s request declares (what a saved request keeps)."""
        return self.service.captures_for(request_key(spec))

    def adopt_captures(self, spec: RequestSpec, captures: Sequence[Capture]) -> None:
        """A saved request opened with its captures: they run after its responses."""
        key = request_key(spec)
        known = {c.name: c for c in self.service.captures_for(key)}
        for capture in captures:
            known[capture.name] = capture
        problem = self.service.set_captures(key, list(known.values()))
        if problem:
            self.say(problem)

    # ----- responses ------------------------------------------------------------------------
    def on_response(self, record: ResponseRecord) -> list[CaptureResult]:
        """After a response: the captures its request declares."""
        return self.service.on_response(record)

    def save_value(
        self,
        record: ResponseRecord,
        name: str,
        value: str,
        *,
        path: str = "",
        capture_always: bool = False,
        personal: bool = False,
    ) -> str:
        """ "Save as variable…": the value becomes ``{{name}}`` now; with ``capture_always``
        the request also captures it from every later response. "" or a problem."""
        where = f"saved from {record.request.method.upper()} {_path(record.request.url)}"
        self.service.put_captured(name, value, where=where, personal=personal)
        if capture_always and path:
            problem = self.service.add_capture(
                request_key(record.request), Capture(name=name, expression=path)
            )
            if problem:
                return problem
        return ""

    def _on_captured(self, results: list[CaptureResult], where: str) -> None:
        found = [r for r in results if r.value is not None]
        missed = [r for r in results if r.value is None]
        parts: list[str] = []
        if found:
            parts.append("Captured " + ", ".join("{{" + r.name + "}}" for r in found))
        if missed:
            parts.append("; ".join(f"{{{{{r.name}}}}} not captured: {r.problem}" for r in missed))
        if parts:
            self.say(" · ".join(parts) + f" ({where})")

    def _publish_secrets(self) -> None:
        self.redaction.set_secret_variables(self.service.secret_values())

    def say(self, text: str) -> None:
        self.message.emit(text)
        if self._status is not None:
            self._status.showMessage(text, 10000)


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).path or url
    except ValueError:
        return url
