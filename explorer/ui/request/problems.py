"""How the request builder shows problems: inline notes, marked lines, the problem list.

Owns :class:`ProblemDisplay`, the part of :class:`~explorer.ui.request.panel.RequestPanel`
that maps each :class:`InputProblem` to the form rows and raw JSON lines it is about,
writes the notes under fields (a ``{{variable}}`` preview where there is no problem),
and moves the focus to a problem when the user asks to fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QLabel, QListWidgetItem, QTabWidget

from explorer.core.builder import InputProblem, ProblemLocation, resolve_variables
from explorer.core.models import Endpoint, ParamLocation, Severity
from explorer.core.preflight import PreflightWarning, headline
from explorer.ui.request.composite_editors import reveal
from explorer.ui.request.field_editors import Editor, FieldRow
from explorer.ui.request.json_editor import JsonEditor, line_of_path
from explorer.ui.request.param_form import ParamForm
from explorer.ui.request.parts import ProblemList


class ProblemDisplay:
    """Mixed into the request panel; uses its forms, raw editor and problem widgets."""

    endpoint: Endpoint | None
    problems: list[InputProblem]
    param_form: ParamForm
    body_editor: Editor | None
    raw: JsonEditor
    raw_status: QLabel
    form_banner: QLabel
    problem_list: ProblemList
    problem_count: QLabel
    tabs: QTabWidget
    define_variable: SignalInstance
    #: endpoint -> the pre-flight warnings for sending it now (no I/O); set by the session.
    readiness_check: Callable[[Endpoint], list[PreflightWarning]] | None = None

    def _rows(self) -> list[FieldRow]:
        rows = list(self.param_form.all_rows())
        if self.body_editor is not None:
            rows += list(self.body_editor.rows())
        return rows

    def _show_problems(self, values: Mapping[str, str] | None = None) -> None:
        notes: dict[int, tuple[str, str]] = {}
        lines: list[int] = []
        raw_text = self.raw.toPlainText()
        for problem in self.problems:
            kind = "error" if problem.severity is Severity.ERROR else "warning"
            named = self.rows_for(problem)
            for row in named:
                text = "Required; fill it in." if len(named) > 1 else problem.message
                notes.setdefault(id(row), (text, kind))
            if problem.location is ProblemLocation.BODY:
                line = problem.line or line_of_path(raw_text, problem.json_path)
                if line:
                    lines.append(line)
        for row in self._rows():
            text, kind = notes.get(id(row), ("", ""))
            if values is not None:
                hint, hint_kind = variable_note(row, values)
                if hint and (not text or hint_kind == "warning"):
                    text, kind = hint, hint_kind  # an unknown variable explains the rest
            row.set_note(text, kind)
        self.raw.mark_problems(lines)
        body = [p for p in self.problems if p.location is ProblemLocation.BODY]
        self.raw_status.setText(
            ""
            if not body
            else f"{body[0].message}" + (f"  (+{len(body) - 1} more)" if len(body) > 1 else "")
        )
        self.raw_status.setProperty("note", "error" if body else "")
        self.raw_status.style().polish(self.raw_status)
        self.show_problem_list()
        self.refresh_readiness()

    def show_problem_list(self) -> None:
        """The list below the tabs, without what the page on screen already says: on the
        Raw JSON page, the body problem written under the editor is not repeated."""
        shown_inline = None
        if self.tabs.currentWidget() is self.raw.parentWidget() and self.raw_status.text():
            shown_inline = next(
                (p for p in self.problems if p.location is ProblemLocation.BODY), None
            )
        self.problem_list.show_problems([p for p in self.problems if p is not shown_inline])

    def set_readiness_check(self, check: Callable[[Endpoint], list[PreflightWarning]]) -> None:
        self.readiness_check = check
        self.refresh_readiness()

    def refresh_readiness(self) -> None:
        """The line under the form: input problems first, then what the pre-flight check
        already knows will fail, else "Ready to send"."""
        errors = sum(p.severity is Severity.ERROR for p in self.problems)
        warnings = len(self.problems) - errors
        words = [
            f"{n} {w}{'s' if n != 1 else ''}"
            for n, w in ((errors, "problem"), (warnings, "warning"))
            if n
        ]
        tip = ""
        if words:
            text = " · ".join(words)
        elif self.endpoint is None:
            text = ""
        else:
            preflight = self.readiness_check(self.endpoint) if self.readiness_check else []
            if preflight:
                warnings = len(preflight)
                text = f"⚠ Will probably fail: {headline(preflight[0])} — see the bar when you send"
                tip = "\n\n".join(w.message for w in preflight)
            else:
                text = "✔ Ready to send"
        self.problem_count.setText(text)
        self.problem_count.setToolTip(tip)
        self.problem_count.setProperty(
            "note", "error" if errors else "warning" if warnings else "ok"
        )
        self.problem_count.style().polish(self.problem_count)

    def rows_for(self, problem: InputProblem) -> list[FieldRow]:
        """The form rows a problem is about (several for "'a', 'b' are required")."""
        if problem.location in (
            ProblemLocation.PATH,
            ProblemLocation.QUERY,
            ProblemLocation.HEADER,
        ):
            row = self.param_form.row(ParamLocation(problem.location.value), problem.field)
            return [row] if row is not None else []
        if problem.location is not ProblemLocation.BODY or self.body_editor is None:
            return []
        rows = {row.path: row for row in self.body_editor.rows()}
        named = [
            row
            for row in rows.values()
            if tuple(row.path[:-1]) == problem.json_path
            and "'" + ".".join(str(p) for p in row.path) + "'" in problem.message
        ]
        if named:
            return named
        path = tuple(problem.json_path)
        while path:
            if path in rows:
                return [rows[path]]
            path = path[:-1]
        return []

    def row_for(self, problem: InputProblem) -> FieldRow | None:
        rows = self.rows_for(problem)
        return rows[0] if rows else None

    def on_problem_activated(self, item: QListWidgetItem) -> None:
        problem = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(problem, InputProblem) and problem.location is ProblemLocation.VARIABLE:
            self.define_variable.emit(problem.field)  # open the Variables editor on it
        elif isinstance(problem, InputProblem):
            self.focus_problem(problem)

    def focus_problem(self, problem: InputProblem) -> None:
        if problem.location is ProblemLocation.BODY:
            reveal(self.body_editor, tuple(problem.json_path))  # a collapsed group opens
        row = self.row_for(problem)
        if problem.location is ProblemLocation.BODY and (
            row is None or problem.line or not self.form_banner.isHidden()
        ):
            self.tabs.setCurrentIndex(2)
            line = problem.line or line_of_path(self.raw.toPlainText(), problem.json_path) or 1
            self.raw.go_to(line, problem.column or 1)
            return
        if row is not None:
            self.tabs.setCurrentIndex(1 if problem.location is ProblemLocation.BODY else 0)
            row.editor.focus_editor()


def variable_note(row: FieldRow, values: Mapping[str, str]) -> tuple[str, str]:
    editor = row.editor
    text = editor.text() if hasattr(editor, "text") and callable(editor.text) else ""
    if not isinstance(text, str) or "{{" not in text:
        return "", ""
    resolved = resolve_variables(text, values)
    if resolved.unknown:
        names = ", ".join(f"{{{{{n}}}}}" for n in resolved.unknown)
        return f"{names} has no value in this environment", "warning"
    return f"→ {resolved.text}", "hint"
