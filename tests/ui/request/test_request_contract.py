"""The request on screen is judged against the description before it is sent, by the
engine that judges its response, on a worker: typing never waits for it."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from explorer.core.catalog import load_catalog
from explorer.core.contract import Verdict
from explorer.core.models import ParamLocation
from explorer.ui.request.field_editors import ScalarEditor
from explorer.ui.request.panel import RequestPanel

DATA = Path(__file__).resolve().parents[2] / "data" / "openapi"


def _panel(qtbot) -> tuple[RequestPanel, dict]:  # type: ignore[no-untyped-def, type-arg]
    catalog = load_catalog(DATA / "swagger-petstore-3.1.yaml")
    panel = RequestPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 800)
    panel.show()
    return panel, {e.operation_id: e for e in catalog.endpoints}


def test_a_path_parameter_of_the_wrong_type_is_judged_before_sending(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel, endpoints = _panel(qtbot)
    panel.load_endpoint(endpoints["getPetById"], "https://petstore.example/api/v3")
    row = panel.param_form.row(ParamLocation.PATH, "petId")
    assert row is not None and isinstance(row.editor, ScalarEditor) and row.editor.line
    note = panel.contract_note
    with qtbot.waitSignal(panel.request_judged, timeout=15000):
        qtbot.keyClicks(row.editor.line, "abc")
    qtbot.waitUntil(lambda: "violates (1)" in note.text(), timeout=15000)
    assert note.isVisible()
    assert note.text().startswith("✖ Request vs. description: violates (1) — path parameter petId")
    assert "The request breaks the description of GET /pet/{petId}" in note.toolTip()
    assert panel.send_button.isEnabled()  # advice, never a block

    qtbot.keyClick(row.editor.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(row.editor.line, "7")
    qtbot.waitUntil(lambda: note.text() == "✔ Request vs. description: conforms", timeout=15000)
    assert panel.request_verdict is not None
    assert panel.request_verdict.verdict is Verdict.CONFORMS


def test_a_body_missing_required_fields_is_judged_with_their_paths(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel, endpoints = _panel(qtbot)
    panel.load_endpoint(endpoints["addPet"], "https://petstore.example/api/v3")
    panel.tabs.setCurrentIndex(2)
    panel.raw.setPlainText(json.dumps({"id": "seven"}))
    qtbot.waitUntil(
        lambda: (
            panel.request_verdict is not None
            and panel.request_verdict.verdict is Verdict.VIOLATES
            and "$.id" in [p.path for p in panel.request_verdict.problems]
        ),
        timeout=15000,
    )
    assert "violates (3)" in panel.contract_note.text()
    assert "'name' is a required property" in panel.contract_note.toolTip()
    panel.raw.setPlainText(json.dumps({"name": "Rex", "photoUrls": []}))
    qtbot.waitUntil(
        lambda: panel.contract_note.text() == "✔ Request vs. description: conforms",
        timeout=15000,
    )


def test_a_request_of_no_operation_is_not_judged(qtbot) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.models import RequestSpec

    panel, endpoints = _panel(qtbot)
    panel.load_endpoint(endpoints["getPetById"], "https://petstore.example/api/v3")
    panel.load_free(RequestSpec(method="GET", url="https://elsewhere.example/x"))
    qtbot.waitUntil(panel.contract_note.isHidden, timeout=15000)
    assert panel.request_verdict is None
