"""Typed input widgets generated from JSON Schema, for parameters and request bodies.

Owns the :class:`Editor` interface, :class:`ScalarEditor` (text, numbers, dates, enums,
booleans and free JSON), :class:`FieldRow` (the label + editor + inline note that every
form row uses). Rows are laid out by :class:`~explorer.ui.request.row_grid.RowGrid`; nested
objects and lists are in :mod:`explorer.ui.request.composite_editors`.

Editors are lossless: a value loaded from raw JSON is given back unchanged until the user
edits that field, so a wrong type typed on purpose (QA) or a field the form does not
know survives a round trip through the form.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from explorer.core.evidence import MEANINGS, Evidence, grade_of, note_of

#: Controls inside a field's editor that take the field's name for a screen reader.
_NAMED_BY_FIELD = (QLineEdit, QComboBox, QCheckBox, QPlainTextEdit)


class _Missing:
    """The value of a field that is not in the document (omitted, not null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
MAX_DEPTH = 6
_FORMAT_HINTS = {"date-time": "2026-01-01T12:00:00Z", "date": "2026-01-01"}


def schema_kind(schema: Mapping[str, Any]) -> str:
    """The editor kind for a schema: enum, boolean, integer, number, date, date-time,
    string, object, array or json (anything the form cannot type more precisely)."""
    if schema.get("enum"):
        return "enum"
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and "properties" in schema:
        kind = "object"
    if kind == "string" and schema.get("format") in _FORMAT_HINTS:
        return str(schema["format"])
    if kind == "object" and not schema.get("properties"):
        return "json"
    if kind in {"boolean", "integer", "number", "string", "object", "array"}:
        return str(kind)
    return "json"


def describe_type(schema: Mapping[str, Any]) -> str:
    kind = schema_kind(schema)
    if kind == "array":
        return f"list of {describe_type(schema.get('items') or {})}"
    return {"json": "JSON value", "enum": "choice"}.get(kind, kind)


class Editor(QWidget):
    """A value editor: ``value()`` gives the JSON value (or ``MISSING``)."""

    changed = Signal()

    def __init__(self, schema: Mapping[str, Any], required: bool) -> None:
        super().__init__()
        self.schema = schema
        self.required = required

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> bool:
        """Show ``value``; False when the form cannot show it (a shape mismatch)."""
        raise NotImplementedError

    def focus_editor(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def rows(self) -> Iterator[FieldRow]:
        """Every field row inside this editor (nested ones too)."""
        return iter(())


class ScalarEditor(Editor):
    """One text box, number box, date box, choice list, check box or JSON snippet."""

    def __init__(
        self, schema: Mapping[str, Any], required: bool, *, text_mode: bool = False
    ) -> None:
        super().__init__(schema, required)
        self.kind = schema_kind(schema)
        self.text_mode = text_mode  # parameters: the value is the text as typed
        if text_mode and self.kind == "boolean":
            self.kind = "enum"
            schema = {**schema, "enum": [True, False]}
        self._loaded: Any = MISSING
        self._edited = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.combo: QComboBox | None = None
        self.check: QCheckBox | None = None
        self.line: QLineEdit | None = None
        if self.kind == "enum":
            self._choices = list(schema.get("enum") or [])
            self.combo = QComboBox()
            self.combo.setEditable(True)
            self.combo.addItem("")
            for choice in self._choices:
                self.combo.addItem(_text(choice))
            self.combo.setMinimumContentsLength(12)
            self.combo.currentTextChanged.connect(self._on_user_edit)
            layout.addWidget(self.combo, 1)
        elif self.kind == "boolean":
            self.check = QCheckBox("not sent")
            self.check.setTristate(not required)
            self.check.setCheckState(
                Qt.CheckState.PartiallyChecked if not required else Qt.CheckState.Unchecked
            )
            self.check.clicked.connect(self._on_user_edit)
            layout.addWidget(self.check, 1)
            self._label_check()
        else:
            self.line = QLineEdit()
            self.line.setPlaceholderText(self._placeholder())
            self.line.textEdited.connect(self._on_user_edit)
            layout.addWidget(self.line, 1)
            if self.kind in _FORMAT_HINTS:
                layout.addWidget(self._calendar_button())

    def _placeholder(self) -> str:
        if self.kind in _FORMAT_HINTS:
            return _FORMAT_HINTS[self.kind]
        if self.kind in {"integer", "number"}:
            low, high = self.schema.get("minimum"), self.schema.get("maximum")
            if low is not None and high is not None:
                return f"{self.kind} {low}–{high}"
            return f"{self.kind}" + (f" ≥ {low}" if low is not None else "")
        if self.kind == "array" or (self.text_mode and schema_kind(self.schema) == "array"):
            return "comma-separated values"
        if self.kind == "json":
            return "JSON value"
        return str(self.schema.get("description", ""))[:60]

    def _calendar_button(self) -> QToolButton:
        button = QToolButton()
        button.setText("Pick")
        button.setToolTip("Pick a date")
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        calendar = QCalendarWidget()
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)
        button.setMenu(menu)

        def picked(date: QDate) -> None:
            text = date.toString("yyyy-MM-dd")
            if self.kind == "date-time":
                text += "T09:00:00Z"
            assert self.line is not None
            self.line.setText(text)
            self._on_user_edit()
            menu.close()

        calendar.clicked.connect(picked)
        self.calendar = calendar
        return button

    def _label_check(self) -> None:
        if self.check is None:
            return
        state = self.check.checkState()
        self.check.setText(
            {Qt.CheckState.Checked: "true", Qt.CheckState.Unchecked: "false"}.get(state, "not sent")
        )

    @Slot()
    def _on_user_edit(self, *_args: object) -> None:
        if self._blocked:
            return
        self._edited = True
        self._label_check()
        self.changed.emit()

    _blocked = False

    # ----- values ---------------------------------------------------------------------
    def text(self) -> str:
        if self.combo is not None:
            return self.combo.currentText()
        if self.check is not None:
            self._label_check()
            return {"true": "true", "false": "false"}.get(self.check.text(), "")
        assert self.line is not None
        return self.line.text()

    def set_text(self, text: str) -> None:
        self._blocked = True
        try:
            if self.combo is not None:
                self.combo.setCurrentText(text)
            elif self.line is not None:
                self.line.setText(text)
        finally:
            self._blocked = False

    def value(self) -> Any:
        if not self._edited:
            return self._loaded
        text = self.text()
        if self.check is not None:
            state = self.check.checkState()
            return (
                MISSING
                if state == Qt.CheckState.PartiallyChecked
                else (state == Qt.CheckState.Checked)
            )
        if text == "":
            return MISSING
        if self.kind == "enum":
            return next((c for c in self._choices if _text(c) == text), text)
        if self.kind in {"integer", "number"}:
            for convert in (int, float) if self.kind == "number" else (int,):
                try:
                    return convert(text.strip())
                except ValueError:
                    continue
            return text  # kept as typed; validation says what is wrong
        if self.kind == "json":
            try:
                return json.loads(text)
            except ValueError:
                return text
        return text

    def set_value(self, value: Any) -> bool:
        self._loaded = value
        self._edited = False
        self._blocked = True
        try:
            if self.check is not None:
                state = (
                    Qt.CheckState.Checked
                    if value is True
                    else Qt.CheckState.Unchecked
                    if value is False or self.required
                    else Qt.CheckState.PartiallyChecked
                )
                self.check.setCheckState(state)
                self._label_check()
            else:
                self.set_text("" if value is MISSING else _text(value))
        finally:
            self._blocked = False
        return True

    def focus_editor(self) -> None:
        target = self.combo or self.check or self.line
        assert target is not None
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_invalid(self, invalid: bool) -> None:
        target = self.combo or self.line
        if target is not None and target.property("invalid") != invalid:
            target.setProperty("invalid", invalid)
            target.style().unpolish(target)
            target.style().polish(target)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


class FieldRow:
    """Label, editor and an inline note (problem, warning or variable preview)."""

    def __init__(
        self,
        name: str,
        path: tuple[str | int, ...],
        editor: Editor,
        schema: Mapping[str, Any],
        required: bool,
    ) -> None:
        self.name = name
        self.path = path
        self.editor = editor
        # the "*" says "required" in the text colour (its words are in the tooltip and the
        # accessible name), so it reads the same in every theme
        marker = " <b>*</b>" if required else ""
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)  # before the text: laid out once
        self.label.setText(f"{name}{marker}")
        tip = [str(schema.get("description", "")), f"Type: {describe_type(schema)}"]
        if required:
            tip.append("Required.")
        self.label.setToolTip("\n".join(t for t in tip if t))
        self.label.setObjectName(f"label:{name}")
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.unverified: QLabel | None = None
        self.evidence = grade_of(schema, Evidence.DOCUMENTED)
        if self.evidence is not Evidence.DOCUMENTED:
            chip = "unverified" if self.evidence is Evidence.INFERRED else "seen in traffic"
            self.unverified = QLabel(chip)
            self.unverified.setProperty("chip", "unverified")
            self.unverified.setAccessibleName(f"{name}: {self.evidence.label}")
            note = note_of(schema) or (
                "Inferred, not documented; verify before relying on it."
                if self.evidence is Evidence.INFERRED
                else "Not on Thumbtack's pages."
            )
            self.unverified.setToolTip(f"{MEANINGS[self.evidence]}\n{note}")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setObjectName(f"note:{name}")
        self.note.hide()
        self.note_kind = ""
        self._about = self.label.toolTip()
        # The editor's own controls are named after the field (nested rows named theirs).
        self.controls = [
            w
            for w in editor.findChildren(QWidget)
            if isinstance(w, _NAMED_BY_FIELD)
            and not w.accessibleName()
            and not isinstance(w.parent(), QComboBox)
        ]
        spoken = f"{name}, required" if required else name
        for control in self.controls:
            control.setAccessibleName(spoken)
            control.setAccessibleDescription(self._about)

    def set_note(self, text: str, kind: str = "") -> None:
        self.note_kind = kind if text else ""
        self.note.setText(text)
        self.note.setProperty("note", kind)
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
        self.note.setVisible(bool(text))
        for control in self.controls:  # the problem is read with the field
            control.setAccessibleDescription("\n".join(t for t in (text, self._about) if t))
        if isinstance(self.editor, ScalarEditor):
            self.editor.set_invalid(kind == "error")
