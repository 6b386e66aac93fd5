"""Nested editors of the request builder: objects, their framed groups, and lists.

Owns :class:`ObjectEditor` (one row per property; keys the form does not know are kept
as loaded), :class:`GroupBox` (frames a nested object or list with its title, unverified
chip, note and a Show/Hide toggle), :class:`ArrayEditor` (one editor per item,
add/remove), :func:`make_editor`, which picks the editor for a JSON Schema, and
:func:`expand_within`, which opens nested groups breadth-first up to a budget of rows.

Nested objects and lists are built when they are first shown, not when the form is: a
request body of hundreds of fields (Stripe's accounts) opens with its first levels built
and the rest collapsed, each group built in a few milliseconds when it is opened (or when
a problem, a focus or a value needs it). An editor that is not built yet keeps the value
it was given and answers :meth:`Editor.value` exactly as the built editor would
(:func:`shaped_value`), so the raw JSON and the form never disagree.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
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

#: Rows a form builds before its nested groups stay collapsed (about 1.5 ms each).
ROW_BUDGET = 16
#: Rows of a long object built per turn of the event loop once the form is shown.
ROWS_PER_SLICE = 8


def _composite(schema: Mapping[str, Any], depth: int) -> str:
    kind = schema_kind(schema)
    return kind if kind in {"object", "array"} and depth < MAX_DEPTH else ""


def shaped_value(schema: Mapping[str, Any], required: bool, depth: int, loaded: Any) -> Any:
    """What a freshly built editor for ``schema`` at ``depth`` gives after
    ``set_value(loaded)``: the value of an editor not built yet."""
    kind = _composite(schema, depth)
    if kind == "object":
        given = loaded if isinstance(loaded, dict) else {}
        properties = schema.get("properties") or {}
        needed = set(schema.get("required") or [])
        result: dict[str, Any] = {}
        for key in dict.fromkeys([*given, *properties]):
            if key in properties:
                prop = properties[key] if isinstance(properties[key], Mapping) else {}
                value = shaped_value(prop, key in needed, depth + 1, given.get(key, MISSING))
            else:
                value = given[key]
            if value is not MISSING:
                result[key] = value
        if not result and loaded is MISSING and not required:
            return MISSING
        return result
    if kind == "array":
        item_schema = schema.get("items") or {}
        items = loaded if isinstance(loaded, list) else []
        values = [shaped_value(item_schema, True, depth + 1, item) for item in items]
        values = [v for v in values if v is not MISSING]
        if not values and loaded is MISSING and not required:
            return MISSING
        return values
    return loaded


def fits(schema: Mapping[str, Any], value: Any, depth: int) -> bool:
    """Whether the editors for ``schema`` can show ``value`` (what ``set_value`` says)."""
    kind = _composite(schema, depth)
    if kind == "object":
        if value is not MISSING and not isinstance(value, dict):
            return False
        properties = schema.get("properties") or {}
        given = value if isinstance(value, dict) else {}
        return all(
            fits(prop if isinstance(prop, Mapping) else {}, given.get(key, MISSING), depth + 1)
            for key, prop in properties.items()
        )
    if kind == "array":
        return value is MISSING or isinstance(value, list)
    return True


class _Composite(Editor):
    """An object or list editor that builds its rows when first needed."""

    built_now = Signal()

    def __init__(
        self, schema: Mapping[str, Any], required: bool, path: tuple[str | int, ...]
    ) -> None:
        super().__init__(schema, required)
        self.path = path
        self._loaded: Any = MISSING
        self.built = False

    def build(self) -> bool:
        """Build the rows (once) and show the value kept meanwhile; True if built now."""
        if self.built:
            return False
        self.built = True
        self._build_rows()
        if self._loaded is not MISSING:
            self._show(self._loaded)
        self.built_now.emit()
        return True

    def _build_rows(self, count: int | None = None) -> int:
        raise NotImplementedError

    def _show(self, value: Any) -> bool:
        raise NotImplementedError

    def _value(self) -> Any:
        raise NotImplementedError

    def value(self) -> Any:
        if not self.built:
            return shaped_value(self.schema, self.required, len(self.path), self._loaded)
        return self._value()

    def set_value(self, value: Any) -> bool:
        if self.built:
            return self._show(value)
        if not fits(self.schema, value, len(self.path)):
            return False
        self._loaded = value
        return True

    def row_cost(self) -> int:
        """How many rows building this editor makes (its nested groups not counted)."""
        return 1

    def groups(self) -> list[GroupBox]:
        return []


class ObjectEditor(_Composite):
    """A nested object: one row per property, unknown keys kept as loaded.

    Its rows can be built a few at a time (:meth:`build_some`): the properties without a
    row yet answer for themselves through :func:`shaped_value`, so a half-built object
    gives and takes the same values as a whole one."""

    def __init__(
        self,
        schema: Mapping[str, Any],
        required: bool,
        path: tuple[str | int, ...] = (),
        *,
        lazy: bool = False,
    ) -> None:
        super().__init__(schema, required, path)
        self.fields: dict[str, FieldRow] = {}
        self._groups: list[GroupBox] = []
        properties = schema.get("properties") or {}
        self._properties: dict[str, Mapping[str, Any]] = {
            name: prop if isinstance(prop, Mapping) else {} for name, prop in properties.items()
        }
        self._needed = set(schema.get("required") or [])
        self._waiting = list(self._properties)  # properties without a row yet
        self.body = RowGrid()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body)
        if not lazy:
            self.build()

    @property
    def complete(self) -> bool:
        """Every property has its row."""
        return self.built and not self._waiting

    def build_some(self, count: int) -> int:
        """Build up to ``count`` more rows (the object is shown from its first one)."""
        first = not self.built
        self.built = True
        made = self._build_rows(count)
        if first:
            self.built_now.emit()
        return made

    def _build_rows(self, count: int | None = None) -> int:
        made = 0
        while self._waiting and (count is None or made < count):
            name = self._waiting.pop(0)
            self._add_row(name)
            made += 1
        return made

    def _add_row(self, name: str) -> None:
        prop, required = self._properties[name], name in self._needed
        child = make_editor(prop, required, (*self.path, name), lazy=True)
        row = FieldRow(name, (*self.path, name), child, prop, required)
        if self._loaded is not MISSING:
            child.set_value(
                self._loaded.get(name, MISSING) if isinstance(self._loaded, dict) else MISSING
            )
        child.changed.connect(self.changed)
        self.fields[name] = row
        if isinstance(child, _Composite):
            box = GroupBox(row, child)
            self._groups.append(box)
            self.body.add_row(FieldRow(name, row.path, box, {}, False), full_width=True)
        else:
            self.body.add_row(row)

    def build(self) -> bool:
        if self.complete:
            return False
        first = not self.built
        self.built = True
        self._build_rows()
        if first:
            self.built_now.emit()
        return True

    def row_cost(self) -> int:
        return max(1, len(self._waiting))

    def groups(self) -> list[GroupBox]:
        return list(self._groups)

    def _value(self) -> Any:
        loaded = self._loaded if isinstance(self._loaded, dict) else {}
        keys = list(dict.fromkeys([*loaded, *self._properties]))
        depth = len(self.path) + 1
        result: dict[str, Any] = {}
        for key in keys:
            row = self.fields.get(key)
            if row is not None:
                value = row.editor.value()
            elif key in self._properties:
                given = loaded.get(key, MISSING)
                value = shaped_value(self._properties[key], key in self._needed, depth, given)
            else:
                value = loaded[key]
            if value is not MISSING:
                result[key] = value
        if not result and self._loaded is MISSING and not self.required:
            return MISSING
        return result

    def _show(self, value: Any) -> bool:
        if value is not MISSING and not isinstance(value, dict):
            return False
        self._loaded = value
        given = value if isinstance(value, dict) else {}
        shown = True
        for key, row in self.fields.items():
            shown = row.editor.set_value(given.get(key, MISSING)) and shown
        depth = len(self.path) + 1
        for key in self._waiting:
            shown = fits(self._properties[key], given.get(key, MISSING), depth) and shown
        return shown

    def rows(self) -> Iterator[FieldRow]:
        for row in self.fields.values():
            yield row
            yield from row.editor.rows()

    def focus_editor(self) -> None:
        if not self.built:
            self.build_some(1)
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.editor.focus_editor()


class GroupBox(Editor):
    """Frames a nested object or list with its title, unverified chip and note; its
    toggle shows or hides the fields (building them the first time)."""

    def __init__(self, row: FieldRow, inner: _Composite) -> None:
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
        self.toggle = QToolButton()
        self.toggle.setObjectName("groupToggle")
        self.toggle.setAutoRaise(True)
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(f"Show the fields of {row.name}")
        self.toggle.toggled.connect(self.on_toggled)
        title.addWidget(self.toggle)
        title.addWidget(row.label)
        row.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        row.label.setProperty("role", "fieldgroup")
        if row.unverified is not None:
            title.addWidget(row.unverified)
        self.summary = QLabel(_summary(inner))
        self.summary.setProperty("role", "dim")
        title.addWidget(self.summary)
        title.addStretch(1)
        inside.addLayout(title)
        inside.addWidget(row.note)
        inside.addWidget(inner)
        self._name = row.name
        inner.changed.connect(self.changed)
        inner.built_now.connect(self._on_inner_built)
        self._show_state(inner.built)

    @property
    def expanded(self) -> bool:
        return self.inner.built and self.toggle.isChecked()

    def expand(self) -> bool:
        """Show the fields (built now if need be); True if that built them."""
        built = self.inner.build()
        self._show_state(True)
        return built

    @Slot(bool)
    def on_toggled(self, checked: bool) -> None:
        if checked:
            self.inner.build()
        self._show_state(checked)

    @Slot()
    def _on_inner_built(self) -> None:
        self._show_state(True)

    def _show_state(self, shown: bool) -> None:
        self.toggle.blockSignals(True)
        self.toggle.setChecked(shown)
        self.toggle.blockSignals(False)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        verb = "Hide" if shown else "Show"
        self.toggle.setToolTip(f"{verb} the fields of {self._name}")
        self.toggle.setAccessibleName(f"{verb} the fields of {self._name}")
        self.inner.setVisible(shown)
        self.summary.setVisible(not shown)

    def value(self) -> Any:
        return self.inner.value()

    def set_value(self, value: Any) -> bool:
        return self.inner.set_value(value)

    def rows(self) -> Iterator[FieldRow]:
        return self.inner.rows()

    def focus_editor(self) -> None:
        self.expand()
        self.inner.focus_editor()


def _summary(inner: _Composite) -> str:
    if isinstance(inner, ObjectEditor):
        count = len(inner.schema.get("properties") or {})
        return f"{count} field{'s' if count != 1 else ''}, hidden"
    return f"{describe_type(inner.schema)}, hidden"


class ArrayEditor(_Composite):
    """A list: one editor per item with a remove button, and "Add item"."""

    def __init__(
        self,
        schema: Mapping[str, Any],
        required: bool,
        path: tuple[str | int, ...] = (),
        *,
        lazy: bool = False,
    ) -> None:
        super().__init__(schema, required, path)
        self.item_schema: Mapping[str, Any] = schema.get("items") or {}
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
        if not lazy:
            self.build()

    def _build_rows(self, count: int | None = None) -> int:
        return 0  # the items come with a value, or with "Add"

    def row_cost(self) -> int:
        return max(1, len(self._loaded) if isinstance(self._loaded, list) else 1)

    def groups(self) -> list[GroupBox]:
        found: list[GroupBox] = []
        for _holder, row in self.items:
            found += row.editor.groups() if isinstance(row.editor, _Composite) else []
        return found

    @Slot()
    def on_add_clicked(self) -> None:
        self.build()
        row = self._add_item(MISSING)
        if isinstance(row.editor, _Composite):
            expand_within(row.editor, ROW_BUDGET // 2)
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

    def _value(self) -> Any:
        values = [v for v in (row.editor.value() for _h, row in self.items) if v is not MISSING]
        if not values and self._loaded is MISSING and not self.required:
            return MISSING
        return values

    def _show(self, value: Any) -> bool:
        if value is not MISSING and not isinstance(value, list):
            return False
        self._loaded = value
        self._rebuild(list(value) if isinstance(value, list) else [])
        return True

    def rows(self) -> Iterator[FieldRow]:
        for _holder, row in self.items:
            yield row
            yield from row.editor.rows()

    def focus_editor(self) -> None:
        self.build()
        if self.items:
            self.items[0][1].editor.focus_editor()
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)


def make_editor(
    schema: Mapping[str, Any],
    required: bool,
    path: tuple[str | int, ...] = (),
    *,
    lazy: bool = False,
) -> Editor:
    """The editor for ``schema``; with ``lazy``, an object or list builds its rows when
    first shown (see :meth:`GroupBox.expand`)."""
    kind = _composite(schema, len(path))
    if kind == "object":
        return ObjectEditor(schema, required, path, lazy=lazy)
    if kind == "array":
        return ArrayEditor(schema, required, path, lazy=lazy)
    return ScalarEditor(schema, required)


def expand_within(editor: Editor, budget: int = ROW_BUDGET) -> int:
    """Open ``editor``'s nested groups breadth-first (the outer levels first) while the
    rows built stay within ``budget``; returns the rows built. A small form opens whole;
    a huge one opens its first levels and keeps the rest a click away."""
    if not isinstance(editor, _Composite):
        return 0
    if isinstance(editor, ObjectEditor):
        spent = editor.build_some(budget)
    else:
        spent = editor.row_cost() if editor.build() else 0
    queue: deque[GroupBox] = deque(editor.groups())
    while queue:
        group = queue.popleft()
        cost = group.inner.row_cost()
        if group.inner.built:
            group.expand()
        elif spent + cost > budget:
            continue
        else:
            group.expand()
            spent += cost
        queue.extend(group.inner.groups())
    return spent


def reveal(editor: Editor | None, path: tuple[str | int, ...]) -> None:
    """Build and open the groups on the way to the field at ``path`` (a problem or a
    focus there needs its row)."""
    current: Editor | None = editor
    for part in path:
        if isinstance(current, GroupBox):
            current.expand()
            current = current.inner
        if isinstance(current, ObjectEditor) and isinstance(part, str):
            if part not in current.fields:
                current.build()
            row = current.fields.get(part)
            if row is None:
                return
            group = next((g for g in current.groups() if g.inner is row.editor), None)
            current = group if group is not None else row.editor
        elif isinstance(current, ArrayEditor) and isinstance(part, int):
            current.build()
            if not 0 <= part < len(current.items):
                return
            current = current.items[part][1].editor
        else:
            return
    if isinstance(current, GroupBox):
        current.expand()
