"""File > Open API description: any OpenAPI file loads off the GUI thread; a broken one
names its location and leaves the catalog in use as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from explorer.core.catalog import Catalog, load_default_catalog
from explorer.core.models import ParamLocation
from explorer.ui.request.field_editors import ScalarEditor

PET_STORE = """\
openapi: 3.0.3
info:
  title: Pet Store
  version: "2.1"
tags:
  - name: Pets
paths:
  /pets/{petId}:
    put:
      operationId: updatePet
      tags: [Pets]
      summary: Update a pet
      parameters:
        - name: petId
          in: path
          required: true
          schema: {type: integer}
        - name: dryRun
          in: query
          schema: {type: boolean}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name, kind]
              properties:
                name: {type: string}
                kind: {type: string, enum: [cat, dog]}
                vaccinated: {type: boolean}
                tags: {type: array, items: {type: string}}
                owner:
                  type: object
                  properties:
                    email: {type: string, format: email}
      responses:
        "200": {description: updated}
"""

BROKEN = """\
openapi: 3.0.3
info:
  title: Pet Store
  version: "1.0"
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          descriptionx: missing description
"""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


def open_file(window, qtbot, path: Path, signal_name: str):  # type: ignore[no-untyped-def]
    loader = window.descriptions
    loader.ask_path = lambda _parent: path
    with qtbot.waitSignal(getattr(loader, signal_name), timeout=10000) as blocker:
        loader.open_action.trigger()
    return blocker.args[0]


def test_third_party_description_replaces_the_tree(
    make_window,
    catalog,
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    file_menu = [a.text() for a in window.file_menu.actions()]
    assert "&Open API description…" in file_menu
    assert "&Reload Thumbtack description" in file_menu
    path = tmp_path / "petstore.yaml"
    path.write_text(PET_STORE, encoding="utf-8")
    loaded = open_file(window, qtbot, path, "loaded")
    assert loaded.title == "Pet Store"
    tree = window.endpoint_tree.tree
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == ["Pets"]
    assert "Pet Store 2.1" in window.statusBar().currentMessage()

    assert window.endpoint_tree.select("updatePet")
    panel = window.request_panel
    pet_id = panel.param_form.row(ParamLocation.PATH, "petId")
    assert pet_id is not None and isinstance(pet_id.editor, ScalarEditor)
    qtbot.keyClicks(pet_id.editor.line, "7")
    dry_run = panel.param_form.row(ParamLocation.QUERY, "dryRun")
    assert dry_run is not None and isinstance(dry_run.editor, ScalarEditor)
    assert dry_run.editor.combo is not None  # a boolean parameter: not sent / true / false
    assert panel.body_editor is not None
    rows = {row.path: row.editor for row in panel.body_editor.rows()}
    vaccinated = rows[("vaccinated",)]
    assert isinstance(vaccinated, ScalarEditor) and vaccinated.check is not None
    panel.tabs.setCurrentIndex(1)
    box = vaccinated.check
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: '"vaccinated"' in panel.raw.toPlainText())
    qtbot.waitUntil(lambda: "/pets/7" in panel.url.text())
    body = json.loads(panel.raw.toPlainText())
    assert body["vaccinated"] is True
    assert vaccinated.check.text() == "true"


def test_a_description_that_breaks_the_rules_opens_and_lists_warnings_with_the_location(  # type: ignore[no-untyped-def]
    make_window, catalog, qtbot, tmp_path: Path
) -> None:
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    loader = window.descriptions
    with qtbot.waitSignal(loader.checked, timeout=20000) as checked:
        loaded = open_file(window, qtbot, path, "loaded")
    assert window.catalog is loaded and window.endpoint_tree.select("listPets")
    findings = checked.args[0]
    assert findings and str(path) == findings[0].file
    assert findings[0].location.startswith("line 11, column 11")
    assert "paths./pets.get.responses.200" in findings[0].location
    box = loader.warning_box
    assert box is not None and box.isVisible() and not box.isModal()
    assert "line 11, column 11" in box.informativeText()
    assert "broken.yaml" in box.informativeText()


def test_a_file_that_cannot_be_used_keeps_the_catalog_and_names_the_location(  # type: ignore[no-untyped-def]
    make_window, catalog, qtbot, tmp_path: Path
) -> None:
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    count = window.endpoint_tree.tree.topLevelItemCount()
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN.replace("    get:", "    get: [", 1), encoding="utf-8")
    message = open_file(window, qtbot, path, "failed")
    assert "broken.yaml" in message and "not valid YAML" in message
    assert "line 9, column 16" in message
    box = window.descriptions.error_box
    assert box is not None and box.isVisible()
    assert "line 9" in box.text() and "stay loaded" in box.text()
    assert window.endpoint_tree.tree.topLevelItemCount() == count
    assert window.catalog is catalog
    assert window.endpoint_tree.select("getCategoryRecommendationsV4")


def test_a_yaml_alias_bomb_is_refused_with_a_clear_message(  # type: ignore[no-untyped-def]
    make_window, catalog, qtbot, tmp_path: Path
) -> None:
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    lines = ["openapi: 3.1.0", "info: {title: bomb, version: '1'}", "paths: {}"]
    lines.append("x-a0: &a0 [" + ", ".join(["lol"] * 9) + "]")
    lines += [f"x-a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = open_file(window, qtbot, path, "failed")
    assert "alias bomb" in message and "bomb.yaml" in message
    assert window.catalog is catalog


def test_cancel_while_opening_keeps_the_endpoints_you_had(  # type: ignore[no-untyped-def]
    make_window, catalog, qtbot, tmp_path: Path
) -> None:
    from bench.descriptions import make_description

    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    path = make_description(tmp_path, 3000, schemas=50, fmt="json")
    loader = window.descriptions
    loaded: list[object] = []
    loader.loaded.connect(loaded.append)
    loader.load_file(path)
    assert loader.opening and loader.progress is not None
    assert loader.progress.labelText() == f"Opening {path.name}…"
    cancel = loader.progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    with qtbot.waitSignal(loader.cancelled, timeout=5000):
        cancel.click()  # the note's own Cancel button
    assert not loader.opening
    qtbot.waitUntil(lambda: not window.background.busy, timeout=30000)
    assert loaded == [] and window.catalog is catalog
    assert window.endpoint_tree.select("getCategoryRecommendationsV4")


def test_reload_brings_back_the_thumbtack_description(
    make_window,
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    window = make_window()
    path = tmp_path / "petstore.json"
    import yaml

    path.write_text(json.dumps(yaml.safe_load(PET_STORE)), encoding="utf-8")
    assert open_file(window, qtbot, path, "loaded").title == "Pet Store"
    with qtbot.waitSignal(window.descriptions.loaded, timeout=15000) as blocker:
        window.descriptions.reload_action.trigger()
    assert blocker.args[0].title == "Thumbtack Partner API"
    assert window.endpoint_tree.select("sendMessageV4")
