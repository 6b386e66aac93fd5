"""Typed input widgets generated from JSON Schema, for parameters and request bodies.

Owns :func:`make_editor` (schema -> editor), the editors themselves (:class:`ScalarEditor`
for text, numbers, dates, enums, booleans and free JSON; :class:`ObjectEditor` for nested
objects; :class:`ArrayEditor` for lists with add/remove rows) and :class:`FieldRow`, the
label + editor + inline note that every form row uses.

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
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)


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
        marker = ' <span style="color:#d9473f">*</span>' if required else ""
        self.label = QLabel(f"{name}{marker}")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        tip = [str(schema.get("description", "")), f"Type: {describe_type(schema)}"]
        if required:
            tip.append("Required.")
        self.label.setToolTip("\n".join(t for t in tip if t))
        self.label.setObjectName(f"label:{name}")
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.unverified: QLabel | None = None
        if schema.get("x-inferred"):
            self.unverified = QLabel("unverified")
            self.unverified.setProperty("chip", "unverified")
            self.unverified.setToolTip(
                str(
                    schema.get(
                        "x-inferred-note", "Inferred, not documented; verify before relying on it."
                    )
                )
            )
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setObjectName(f"note:{name}")
        self.note.hide()
        self.note_kind = ""

    def set_note(self, text: str, kind: str = "") -> None:
        self.note_kind = kind if text else ""
        self.note.setText(text)
        self.note.setProperty("note", kind)
        self.note.style().unpolish(self.note)
        self.note.style().polish(self.note)
        self.note.setVisible(bool(text))
        if isinstance(self.editor, ScalarEditor):
            self.editor.set_invalid(kind == "error")


class RowGrid(QWidget):
    """A two-column grid of :class:`FieldRow` s (label | editor, note under the editor)."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(3)
        self.grid.setColumnStretch(1, 1)
        self.next_row = 0

    def add_row(self, row: FieldRow, *, full_width: bool = False) -> None:
        r = self.next_row
        if full_width:
            self.grid.addWidget(row.editor, r, 0, 1, 3)
        else:
            self.grid.addWidget(row.label, r, 0)
            self.grid.addWidget(row.editor, r, 1)
            if row.unverified is not None:  # a compact marker; the tooltip says why
                row.unverified.setText("?")
                row.unverified.setAccessibleName("unverified")
                row.unverified.setToolTip(f"Unverified: {row.unverified.toolTip()}")
                self.grid.addWidget(row.unverified, r, 2)
        self.grid.addWidget(row.note, r + 1, 1)
        self.next_row += 2


class ObjectEditor(Editor):
    """A nested object: one row per property, unknown keys kept as loaded."""

    def __init__(
        self, schema: Mapping[str, Any], required: bool, path: tuple[str | int, ...] = ()
    ) -> None:
        super().__init__(schema, required)
        self.path = path
        self._loaded: Any = MISSING
        self.fields: dict[str, FieldRow] = {}
        self.body = RowGrid()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body)
        needed = set(schema.get("required") or [])
        for name, raw_prop in (schema.get("properties") or {}).items():
            prop = raw_prop if isinstance(raw_prop, Mapping) else {}
            child = make_editor(prop, name in needed, (*path, name))
            row = FieldRow(name, (*path, name), child, prop, name in needed)
            child.changed.connect(self.changed)
            self.fields[name] = row
            if isinstance(child, ObjectEditor | ArrayEditor):
                box = _group(row, child)
                self.body.add_row(FieldRow(name, row.path, box, {}, False), full_width=True)
            else:
                self.body.add_row(row)

    def value(self) -> Any:
        loaded = self._loaded if isinstance(self._loaded, dict) else {}
        keys = list(dict.fromkeys([*loaded, *self.fields]))
        result: dict[str, Any] = {}
        for key in keys:
            row = self.fields.get(key)
            value = row.editor.value() if row is not None else loaded[key]
            if value is not MISSING:
                result[key] = value
        if not result and self._loaded is MISSING and not self.required:
            return MISSING
        return result

    def set_value(self, value: Any) -> bool:
        if value is not MISSING and not isinstance(value, dict):
            return False
        self._loaded = value
        fits = True
        for key, row in self.fields.items():
            fits = (
                row.editor.set_value(
                    value.get(key, MISSING) if isinstance(value, dict) else MISSING
                )
                and fits
            )
        return fits

    def rows(self) -> Iterator[FieldRow]:
        for row in self.fields.values():
            yield row
            yield from row.editor.rows()

    def focus_editor(self) -> None:
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.editor.focus_editor()


class GroupBox(Editor):
    """Frames a nested object or list with its title, unverified chip and note."""

    def __init__(self, row: FieldRow, inner: Editor) -> None:
        super().__init__(inner.schema, inner.required)
        self.inner = inner
        self.setObjectName(f"group:{row.name}")
        frame = QFrame()
        frame.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(frame)
        inside = QVBoxLayout(frame)
        inside.setContentsMargins(10, 6, 10, 8)
        title = QHBoxLayout()
        title.addWidget(row.label)
        row.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        row.label.setProperty("role", "fieldgroup")
        if row.unverified is not None:
            title.addWidget(row.unverified)
        title.addStretch(1)
        inside.addLayout(title)
        inside.addWidget(row.note)
        inside.addWidget(inner)
        inner.changed.connect(self.changed)

    def value(self) -> Any:
        return self.inner.value()

    def set_value(self, value: Any) -> bool:
        return self.inner.set_value(value)

    def rows(self) -> Iterator[FieldRow]:
        return self.inner.rows()


def _group(row: FieldRow, inner: Editor) -> GroupBox:
    return GroupBox(row, inner)


class ArrayEditor(Editor):
    """A list: one editor per item with a remove button, and "Add item"."""

    def __init__(
        self, schema: Mapping[str, Any], required: bool, path: tuple[str | int, ...] = ()
    ) -> None:
        super().__init__(schema, required)
        self.path = path
        self.item_schema: Mapping[str, Any] = schema.get("items") or {}
        self._loaded: Any = MISSING
        self.items: list[tuple[QWidget, FieldRow]] = []
        self.list_box = QVBoxLayout()
        self.list_box.setSpacing(4)
        self.add_button = QPushButton(f"+ Add {describe_type(self.item_schema)}")
        self.add_button.setObjectName("addItem")
        self.add_button.clicked.connect(self.on_add_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.list_box)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    @Slot()
    def on_add_clicked(self) -> None:
        row = self._add_item(MISSING)
        self._edited()
        row.editor.focus_editor()

    def _add_item(self, value: Any) -> FieldRow:
        index = len(self.items)
        editor = make_editor(self.item_schema, True, (*self.path, index))
        editor.set_value(value)
        row = FieldRow(f"[{index}]", (*self.path, index), editor, self.item_schema, False)
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(QLabel(f"{index + 1}."), 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.addWidget(editor)
        column.addWidget(row.note)
        line.addLayout(column, 1)
        remove = QToolButton()
        remove.setText("✕")
        remove.setToolTip("Remove this item")
        remove.setObjectName("removeItem")
        remove.clicked.connect(lambda _=False, h=holder: self._remove(h))
        line.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
        editor.changed.connect(self._edited)
        self.list_box.addWidget(holder)
        self.items.append((holder, row))
        return row

    def _remove(self, holder: QWidget) -> None:
        values = [row.editor.value() for h, row in self.items if h is not holder]
        self._rebuild([v for v in values if v is not MISSING])
        self._edited()

    def _rebuild(self, values: list[Any]) -> None:
        for holder, _row in self.items:
            holder.setParent(None)
            holder.deleteLater()
        self.items = []
        for value in values:
            self._add_item(value)

    def _edited(self) -> None:
        self._loaded = [
            v for v in (row.editor.value() for _h, row in self.items) if v is not MISSING
        ]
        self.changed.emit()

    def value(self) -> Any:
        values = [v for v in (row.editor.value() for _h, row in self.items) if v is not MISSING]
        if not values and self._loaded is MISSING and not self.required:
            return MISSING
        return values

    def set_value(self, value: Any) -> bool:
        if value is not MISSING and not isinstance(value, list):
            return False
        self._loaded = value
        self._rebuild(list(value) if isinstance(value, list) else [])
        return True

    def rows(self) -> Iterator[FieldRow]:
        for _holder, row in self.items:
            yield row
            yield from row.editor.rows()


def make_editor(
    schema: Mapping[str, Any], required: bool, path: tuple[str | int, ...] = ()
) -> Editor:
    kind = schema_kind(schema)
    if kind == "object" and len(path) < MAX_DEPTH:
        return ObjectEditor(schema, required, path)
    if kind == "array" and len(path) < MAX_DEPTH:
        return ArrayEditor(schema, required, path)
    return ScalarEditor(schema, required)
