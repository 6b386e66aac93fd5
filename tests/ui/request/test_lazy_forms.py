"""Long request bodies open at once: nested groups are built when first shown, and a
form half built gives and takes exactly the values a whole one does."""

from __future__ import annotations

import json
import random
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from explorer.core.catalog import parse_catalog
from explorer.ui.request.composite_editors import (
    ROW_BUDGET,
    ArrayEditor,
    GroupBox,
    ObjectEditor,
    expand_within,
    make_editor,
)
from explorer.ui.request.field_editors import MISSING, ScalarEditor
from explorer.ui.request.panel import RequestPanel


def _object(depth: int, width: int, prefix: str = "f") -> dict[str, Any]:
    """An object ``width`` wide: scalars, a required nested object, an optional one and
    a list of objects, down to ``depth`` levels."""
    properties: dict[str, Any] = {}
    for i in range(width):
        properties[f"{prefix}{i}"] = {"type": ["string", "integer", "boolean"][i % 3]}
    if depth:
        properties["inner"] = _object(depth - 1, width, prefix)
        properties["extra"] = _object(depth - 1, width, prefix)
        properties["items"] = {"type": "array", "items": _object(depth - 1, 2, prefix)}
    return {"type": "object", "required": [f"{prefix}0", "inner"], "properties": properties}


def _description(body: dict[str, Any]) -> str:
    return json.dumps(
        {
            "openapi": "3.1.0",
            "info": {"title": "Long bodies", "version": "1"},
            "paths": {
                "/things": {
                    "post": {
                        "operationId": "createThing",
                        "requestBody": {
                            "required": True,
                            "content": {"application/json": {"schema": body}},
                        },
                        "responses": {"200": {"description": "ok"}},
                    }
                },
                "/small": {
                    "post": {
                        "operationId": "createSmall",
                        "requestBody": {"content": {"application/json": {"schema": _object(1, 2)}}},
                        "responses": {"200": {"description": "ok"}},
                    }
                },
            },
        }
    )


def _panel(qtbot, body: dict[str, Any]) -> tuple[RequestPanel, Any]:  # type: ignore[no-untyped-def]
    catalog = parse_catalog(_description(body), source="long.json")
    panel = RequestPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 900)
    panel.show()
    return panel, {e.operation_id: e for e in catalog.endpoints}


def _groups(editor: Any) -> list[GroupBox]:
    return editor.findChildren(GroupBox)


def test_a_long_body_opens_with_its_deeper_groups_collapsed_and_opens_them_on_click(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel, endpoints = _panel(qtbot, _object(4, 30))
    panel.load_endpoint(endpoints["createThing"], "https://api.example.com")
    editor = panel.body_editor
    assert isinstance(editor, ObjectEditor)
    built = len(list(editor.rows()))
    assert 0 < built <= ROW_BUDGET * 2  # not the thousands of rows the schema has
    assert not editor.complete
    qtbot.waitUntil(lambda: editor.complete)  # the rest of the top level, in slices
    assert len(editor.fields) == 33
    collapsed = [g for g in _groups(editor) if not g.expanded]
    assert collapsed, "the nested groups beyond the budget wait to be opened"
    group = next(g for g in collapsed if g.objectName() == "group:extra")
    assert group.summary.isVisible() and "fields, hidden" in group.summary.text()

    toggle = group.findChild(QToolButton, "groupToggle")
    assert toggle is not None and toggle.accessibleName() == "Show the fields of extra"
    qtbot.keyClick(toggle, Qt.Key.Key_Space)  # opened from the keyboard
    assert group.expanded and group.inner.isVisible()
    assert toggle.accessibleName() == "Hide the fields of extra"
    field = next(r for r in editor.rows() if r.path == ("extra", "f1"))
    assert isinstance(field.editor, ScalarEditor) and field.editor.line is not None
    qtbot.keyClicks(field.editor.line, "12")
    qtbot.waitUntil(lambda: '"f1": 12' in panel.raw.toPlainText())
    assert json.loads(panel.raw.toPlainText())["extra"]["f1"] == 12

    qtbot.keyClick(toggle, Qt.Key.Key_Space)  # hidden again from the keyboard, value kept
    assert not group.inner.isVisible() and group.summary.isVisible()
    assert json.loads(panel.raw.toPlainText())["extra"]["f1"] == 12


def test_values_typed_as_raw_json_are_kept_in_collapsed_groups_and_shown_when_opened(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel, endpoints = _panel(qtbot, _object(4, 30))
    panel.load_endpoint(endpoints["createThing"], "https://api.example.com")
    document = {"f0": "a", "inner": {"inner": {"inner": {"f2": True, "f4": 7}}}, "zz": 1}
    panel.raw.setPlainText(json.dumps(document))
    panel.on_raw_settled()
    editor = panel.body_editor
    assert isinstance(editor, ObjectEditor)
    qtbot.waitUntil(lambda: editor.complete)
    level = editor.fields["inner"].editor
    assert isinstance(level, ObjectEditor) and not level.built  # kept, not shown
    assert json.loads(json.dumps(editor.value())) == _expected(document)
    for _ in range(3):  # opened level by level as a person would
        assert isinstance(level, ObjectEditor)
        group = next(g for g in _groups(editor) if g.inner is level)
        toggle = group.findChild(QToolButton, "groupToggle")
        qtbot.keyClick(toggle, Qt.Key.Key_Space)
        assert level.built and level.isVisible()
        last = level
        level = level.fields["inner"].editor
    shown = last.fields["f4"].editor
    assert isinstance(shown, ScalarEditor) and shown.line is not None
    assert shown.line.text() == "7"
    assert last.fields["f2"].editor.value() is True
    assert editor.value()["zz"] == 1  # a key the form does not know survives
    assert json.loads(json.dumps(editor.value())) == _expected(document)


def _expected(document: dict[str, Any]) -> Any:
    """What the whole form gives for ``document`` (built eagerly, every group open)."""
    eager = make_editor(_object(4, 30), True)
    expand_within(eager, budget=100_000)
    eager.set_value(document)
    value = eager.value()
    eager.deleteLater()
    return json.loads(json.dumps(value))


def _random_value(schema: dict[str, Any], rng: random.Random, depth: int = 0) -> Any:
    kind = schema.get("type")
    if kind == "object":
        out = {}
        for name, prop in schema["properties"].items():
            if rng.random() < 0.4:
                out[name] = _random_value(prop, rng, depth + 1)
        return out
    if kind == "array":
        return [_random_value(schema["items"], rng, depth + 1) for _ in range(rng.randint(0, 2))]
    return {"string": "text", "integer": 3, "boolean": False}[kind]


def test_a_form_partly_built_gives_and_takes_the_values_of_a_whole_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    schema = _object(3, 4)
    rng = random.Random(7)
    for round_ in range(25):
        value = _random_value(schema, rng) if round_ % 5 else MISSING
        whole = make_editor(schema, round_ % 2 == 0)
        expand_within(whole, budget=100_000)
        lazy = make_editor(schema, round_ % 2 == 0)
        expand_within(lazy, budget=rng.randint(0, 12))
        qtbot.addWidget(whole)
        qtbot.addWidget(lazy)
        assert whole.set_value(value) == lazy.set_value(value)
        assert lazy.value() == whole.value()
        expand_within(lazy, budget=100_000)  # opened afterwards: the same fields shown
        expand_within(whole, budget=100_000)  # (the items the value brought, too)
        assert lazy.value() == whole.value()
        shown = {r.path: r.editor.value() for r in lazy.rows()}
        assert shown == {r.path: r.editor.value() for r in whole.rows()}


def test_a_shape_the_form_cannot_show_is_refused_deep_inside_a_collapsed_group(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = make_editor(_object(3, 3), True)
    qtbot.addWidget(editor)
    expand_within(editor, budget=0)
    assert isinstance(editor, ObjectEditor)
    assert not editor.fields["inner"].editor.built  # type: ignore[attr-defined]
    assert editor.set_value({"inner": {"inner": {"items": "not a list"}}}) is False
    assert editor.set_value({"inner": {"inner": {"items": []}}}) is True


def test_a_small_body_opens_whole(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel, endpoints = _panel(qtbot, _object(4, 30))
    panel.load_endpoint(endpoints["createSmall"], "https://api.example.com")
    editor = panel.body_editor
    assert isinstance(editor, ObjectEditor) and editor.complete
    assert all(g.expanded for g in _groups(editor))
    assert any(isinstance(r.editor, ArrayEditor) for r in editor.rows())


def test_fixing_a_problem_inside_a_collapsed_group_opens_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel, endpoints = _panel(qtbot, _object(4, 30))
    panel.load_endpoint(endpoints["createThing"], "https://api.example.com")
    panel.raw.setPlainText(json.dumps({"f0": "a", "inner": {}, "extra": {"inner": {"f1": "x"}}}))
    panel.on_raw_settled()
    problems = panel.run_checks()
    deep = next(p for p in problems if tuple(p.json_path) == ("extra", "inner", "f1"))
    panel.focus_problem(deep)
    editor = panel.body_editor
    assert isinstance(editor, ObjectEditor)
    row = next(r for r in editor.rows() if r.path == ("extra", "inner", "f1"))
    line = row.editor.line if isinstance(row.editor, ScalarEditor) else None
    assert line is not None
    qtbot.waitUntil(line.hasFocus)
