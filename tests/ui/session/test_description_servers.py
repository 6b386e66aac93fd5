"""Opening a description offers its servers (with their variables' values) as
environments; the request goes to the chosen one, its base path kept. The server is
httpbin on 127.0.0.1, whose /anything echoes the URL it was sent to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.httpbin import running_httpbin
from PySide6.QtCore import Qt

from explorer.core.catalog import Catalog, load_default_catalog
from explorer.core.explain import ExplanationEngine

DESCRIPTION = """\
openapi: 3.0.3
info: {{title: Echo, version: "1"}}
servers:
  - url: "http://127.0.0.1:{port}/anything/{{stage}}"
    description: Local echo
    variables:
      stage: {{default: v1, enum: [v1, v2]}}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200": {{description: The pets}}
"""


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    with running_httpbin() as url:
        yield url


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


def open_description(window, qtbot, path: Path) -> None:  # type: ignore[no-untyped-def]
    loader = window.descriptions
    loader.ask_path = lambda _parent: path
    with qtbot.waitSignal(loader.loaded, timeout=10000):
        loader.open_action.trigger()


def combo_items(window) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    combo = window.environment_combo
    return [(combo.itemText(i), str(combo.itemData(i))) for i in range(combo.count())]


def send(window, qtbot):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_servers_become_environments_and_requests_go_there(  # type: ignore[no-untyped-def]
    make_window, catalog, qtbot, tmp_path: Path, echo_url: str
) -> None:
    engine = ExplanationEngine.from_resources()
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints), explain=engine.explain)
    before = combo_items(window)
    path = tmp_path / "echo.yaml"
    path.write_text(DESCRIPTION.format(port=echo_url.rsplit(":", 1)[1]), encoding="utf-8")
    open_description(window, qtbot, path)
    items = combo_items(window)
    assert items[: len(before)] == before
    assert [name for name, _ in items[len(before) :]] == [
        "Echo: Local echo",
        "Echo: Local echo (stage=v2)",
    ]
    assert window.environment_combo.currentText() == "Echo: Local echo"
    assert window.endpoint_tree.select("listPets")
    qtbot.waitUntil(lambda: window.request_panel.url.text() == f"{echo_url}/anything/v1/pets")
    record = send(window, qtbot)
    assert json.loads(record.body)["url"] == f"{echo_url}/anything/v1/pets"
    assert window.response_pane.badge.text().startswith("200")

    window.environment_combo.setCurrentIndex(
        window.environment_combo.findText("Echo: Local echo (stage=v2)")
    )
    window.start_environment()
    qtbot.waitUntil(lambda: window.request_panel.url.text() == f"{echo_url}/anything/v2/pets")
    record = send(window, qtbot)
    assert json.loads(record.body)["url"] == f"{echo_url}/anything/v2/pets"
    panel = window.explanation_panel
    qtbot.waitUntil(lambda: panel.title.text().startswith("200"))
    explanation = " ".join((panel.title.text() + " " + panel.cause.text()).split())
    assert "thumbtack" not in explanation.lower()
    assert "The API description documents this answer of listPets as 200" in explanation


def test_petstore_keeps_its_base_path(make_window, catalog, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    petstore = Path(__file__).parents[2] / "data" / "openapi" / "oai-v3.0-petstore.yaml"
    open_description(window, qtbot, petstore)
    assert (
        window.environment_combo.currentText() == "Swagger Petstore: http://petstore.swagger.io/v1"
    )
    assert window.endpoint_tree.select("listPets")
    qtbot.waitUntil(lambda: window.request_panel.url.text() == "http://petstore.swagger.io/v1/pets")


def test_reloading_thumbtacks_description_takes_the_servers_away(  # type: ignore[no-untyped-def]
    make_window, catalog, qtbot
) -> None:
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    before = combo_items(window)
    petstore = Path(__file__).parents[2] / "data" / "openapi" / "oai-v3.0-petstore.yaml"
    open_description(window, qtbot, petstore)
    assert len(combo_items(window)) == len(before) + 1
    with qtbot.waitSignal(window.descriptions.loaded, timeout=20000):
        window.descriptions.on_reload_triggered()
    assert combo_items(window) == before
