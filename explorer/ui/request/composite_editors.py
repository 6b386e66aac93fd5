"""Nested editors of the request builder: objects, their framed groups, and lists.

Owns :class:`ObjectEditor` (one row per property; keys the form does not know are kept
as loaded), :class:`GroupBox` (frames a nested object or list with its title, unverified
chip and note), :class:`ArrayEditor` (one editor per item, add/remove) and
:func:`make_editor`, which picks the editor for a JSON Schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.request.field_editors import (
    MAX_DEPTH,
    MISSING,
    Editor,
    FieldRow,
    ScalarEditor,
    describe_type,
    schema_kind,
)
from explorer.ui.request.row_grid import RowGrid


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
