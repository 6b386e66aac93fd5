"""Every kind of body from the window, as a person fills it in: form fields, multipart with
a file, raw text of its own type and one binary file, each arriving as httpbin (a real
third-party server on 127.0.0.1) reports it. The kinds offered follow the operation's
requestBody."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.httpbin import running_httpbin
from PySide6.QtCore import Qt

from explorer.core.bodies import BodyKind

DESCRIPTION = """\
openapi: 3.0.3
info: {{title: Uploads, version: "1"}}
servers:
  - url: "http://127.0.0.1:{port}"
paths:
  /post:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema: {{type: object, properties: {{title: {{type: string}}}}}}
          application/x-www-form-urlencoded:
            schema: {{type: object}}
          text/csv:
            schema: {{type: string}}
          application/octet-stream:
            schema: {{type: string, format: binary}}
      responses:
        "200": {{description: Echoed}}
  /anything:
    put:
      operationId: putJson
      requestBody:
        content:
          application/json:
            schema: {{type: object, properties: {{a: {{type: integer}}}}}}
      responses:
        "200": {{description: Echoed}}
"""


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    with running_httpbin() as url:
        yield url


@pytest.fixture
def window(make_window, qtbot, tmp_path: Path, echo_url: str):  # type: ignore[no-untyped-def]
    window = make_window()
    path = tmp_path / "uploads.yaml"
    path.write_text(DESCRIPTION.format(port=echo_url.rsplit(":", 1)[1]), encoding="utf-8")
    loader = window.descriptions
    loader.ask_path = lambda _parent: path
    with qtbot.waitSignal(loader.loaded, timeout=10000):
        loader.open_action.trigger()
    qtbot.waitUntil(lambda: window.base_url == echo_url)
    return window


def send(window, qtbot):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    record = blocker.args[0]
    assert record.status == 200, record
    return json.loads(record.body)


def choose(window, kind: BodyKind):  # type: ignore[no-untyped-def]
    panel = window.request_panel.body_kinds
    tabs = window.request_panel.tabs
    tabs.setCurrentIndex(tabs.indexOf(window.request_panel.body_kinds_page))
    assert panel.choose(kind)
    return panel


def test_the_kinds_offered_follow_the_request_body(window) -> None:  # type: ignore[no-untyped-def]
    assert window.endpoint_tree.select("upload")
    assert window.request_panel.body_kinds.offered() == [
        BodyKind.JSON,
        BodyKind.MULTIPART,
        BodyKind.FORM,
        BodyKind.RAW,
        BodyKind.FILE,
    ]
    assert window.endpoint_tree.select("putJson")
    assert window.request_panel.body_kinds.offered() == [BodyKind.JSON]


def test_multipart_with_a_file(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notes = tmp_path / "notes.txt"
    notes.write_text("first line\n")
    assert window.endpoint_tree.select("upload")
    panel = choose(window, BodyKind.MULTIPART)
    title = panel.rows[0]
    qtbot.keyClicks(title.name, "title")
    qtbot.keyClicks(title.value, "Hello")
    qtbot.mouseClick(panel.add_field, Qt.MouseButton.LeftButton)
    part = panel.rows[1]
    qtbot.keyClicks(part.name, "notes")
    part.is_file.click()
    panel.ask_file = lambda _parent: notes
    qtbot.mouseClick(part.browse, Qt.MouseButton.LeftButton)
    assert part.value.text() == str(notes)
    echoed = send(window, qtbot)
    assert echoed["form"] == {"title": "Hello"}
    assert echoed["files"] == {"notes": "first line\n"}
    assert echoed["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")


def test_url_encoded_form(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.endpoint_tree.select("upload")
    panel = choose(window, BodyKind.FORM)
    qtbot.keyClicks(panel.rows[0].name, "a")
    qtbot.keyClicks(panel.rows[0].value, "1 2")
    echoed = send(window, qtbot)
    assert echoed["form"] == {"a": "1 2"}
    assert echoed["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


def test_raw_text_of_its_own_type(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.endpoint_tree.select("upload")
    panel = choose(window, BodyKind.RAW)
    assert panel.raw_type.text() == "text/csv"  # the type the operation declares
    qtbot.keyClicks(panel.raw_text, "id,name")
    echoed = send(window, qtbot)
    assert echoed["data"] == "id,name"
    assert echoed["headers"]["Content-Type"] == "text/csv"


def test_a_binary_file(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blob = bytes(range(256))
    source = tmp_path / "blob.bin"
    source.write_bytes(blob)
    assert window.endpoint_tree.select("upload")
    panel = choose(window, BodyKind.FILE)
    panel.ask_file = lambda _parent: source
    qtbot.mouseClick(panel.file_browse, Qt.MouseButton.LeftButton)
    panel.file_type.clear()
    qtbot.keyClicks(panel.file_type, "application/octet-stream")
    echoed = send(window, qtbot)
    expected = "data:application/octet-stream;base64," + base64.b64encode(blob).decode()
    assert echoed["data"] == expected
    preview = window.request_panel.preview.toPlainText()
    assert "\ufffd" not in preview and "256 bytes" in preview


def test_a_missing_file_is_said_before_sending(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert window.endpoint_tree.select("upload")
    panel = choose(window, BodyKind.FILE)
    qtbot.keyClicks(panel.file_path, str(tmp_path / "gone.bin"))
    window.request_panel.request_send()
    assert window.request_panel.fail_bar.isVisible()
    assert "Cannot read the body file" in window.request_panel.fail_bar.label.text()
