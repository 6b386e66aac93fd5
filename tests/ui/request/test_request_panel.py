"""The request builder driven as a person would, over the shipped Thumbtack description."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer.core.catalog import Catalog, load_default_catalog
from explorer.core.drafts import DraftStore
from explorer.core.models import ParamLocation, RequestSpec, ResponseRecord
from explorer.paths import AppPaths
from explorer.ui.request.field_editors import ScalarEditor
from explorer.ui.request.panel import RequestPanel
from explorer.ui.window.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


@pytest.fixture
def open_window(make_window, catalog):  # type: ignore[no-untyped-def]
    def build(**overrides: object) -> MainWindow:
        paths = AppPaths.from_environment().ensure()
        window: MainWindow = make_window(
            catalog=catalog,
            endpoints=list(catalog.endpoints),
            drafts=DraftStore.for_paths(paths),
            **overrides,
        )
        return window

    return build


def param(panel: RequestPanel, location: ParamLocation, name: str) -> ScalarEditor:
    row = panel.param_form.row(location, name)
    assert row is not None, name
    assert isinstance(row.editor, ScalarEditor)
    return row.editor


def body_field(panel: RequestPanel, *path: str | int) -> ScalarEditor:
    assert panel.body_editor is not None
    for row in panel.body_editor.rows():
        if row.path == path:
            assert isinstance(row.editor, ScalarEditor)
            return row.editor
    raise AssertionError(f"no body field {path}")


def retype(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if not text:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    for index, line in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(widget, line)


def test_get_with_query_and_deep_object_params(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    window.endpoint_tree.select("getCategoryRecommendationsV4")
    assert (
        panel.header.title.text() == "Recommended categories for a zip code"
        or panel.header.title.text()
    )
    assert "demand::categories.read" in panel.header.details.text()
    assert "client credentials" in panel.header.details.text()
    assert "developers.thumbtack.com/docs/categories" in panel.header.details.text()
    assert panel.badge.text() == "GET"
    assert not panel.tabs.isTabVisible(1)  # no body for a GET

    retype(qtbot, param(panel, ParamLocation.QUERY, "zipCode").line, "10001")
    retype(qtbot, param(panel, ParamLocation.QUERY, "utmData[utm_source]").line, "cma-acme")
    retype(qtbot, param(panel, ParamLocation.QUERY, "limit").line, "3")
    qtbot.waitUntil(lambda: "zipCode=10001" in panel.url.text())
    url = panel.url.text()
    assert "utmData[utm_source]=cma-acme" in url
    assert "limit=3" in url
    preview = panel.preview.toPlainText()
    assert preview.startswith("GET /api/v4/categories/recommendations?zipCode=10001")
    assert "Authorization: Bearer ••••••" in preview
    assert panel.problems == []


def test_post_with_nested_body_updates_raw_and_preview(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    window.endpoint_tree.select("searchBusinessesV4")
    assert panel.tabs.currentIndex() == 1  # a body without parameters opens on the form
    campaign = body_field(panel, "utmData", "utm_campaign")
    qtbot.keyClicks(campaign.line, "spring")
    retype(qtbot, body_field(panel, "limit").line, "5")
    qtbot.waitUntil(lambda: '"utm_campaign": "spring"' in panel.raw.toPlainText())
    document = json.loads(panel.raw.toPlainText())
    assert document["utmData"] == {"utm_source": "cma-example", "utm_campaign": "spring"}
    assert document["limit"] == 5  # typed as an integer, not text

    assert panel.body_editor is not None
    array = next(r.editor for r in panel.body_editor.rows() if r.path == ("requestFormDetails",))
    qtbot.mouseClick(array.add_button, LEFT)
    item = body_field(panel, "requestFormDetails", 0)
    qtbot.keyClicks(item.line, '{"question": "size", "answer": "large"}')
    qtbot.waitUntil(lambda: "requestFormDetails" in panel.raw.toPlainText())
    assert json.loads(panel.raw.toPlainText())["requestFormDetails"] == [
        {"question": "size", "answer": "large"}
    ]
    qtbot.waitUntil(lambda: '"answer": "large"' in panel.preview.toPlainText())
    assert panel.preview.toPlainText().startswith("POST /api/v4/businesses/search")
    assert "Content-Type: application/json" in panel.preview.toPlainText()


def test_path_params_and_enum_choice(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    window.endpoint_tree.select("postJobStatusV4")
    panel.tabs.setCurrentIndex(0)
    retype(qtbot, param(panel, ParamLocation.PATH, "negotiationID").line, "777")
    panel.tabs.setCurrentIndex(1)
    status = body_field(panel, "status")
    assert status.combo is not None
    assert status.combo.findText("job_complete") > 0  # the enum is offered as choices
    retype(qtbot, status.combo.lineEdit(), "job_complete")
    qtbot.waitUntil(lambda: '"status": "job_complete"' in panel.raw.toPlainText())
    qtbot.waitUntil(lambda: "/negotiations/777/job-status" in panel.url.text())
    assert panel.build_spec() is not None
    spec = panel.build_spec()
    assert spec is not None and spec.url.endswith("/api/v4/negotiations/777/job-status")
    assert json.loads(spec.body or b"")["status"] == "job_complete"


def test_raw_edit_moves_the_form(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    window.endpoint_tree.select("searchBusinessesV4")
    panel.tabs.setCurrentIndex(2)
    text = '{"searchQuery": "plumber", "zipCode": "30301", "utmData": {"utm_source": "cma-z"}}'
    retype(qtbot, panel.raw, text)
    qtbot.waitUntil(lambda: body_field(panel, "zipCode").text() == "30301")
    assert body_field(panel, "searchQuery").text() == "plumber"
    assert body_field(panel, "utmData", "utm_source").text() == "cma-z"
    assert body_field(panel, "limit").text() == ""  # gone from the JSON, gone from the form
    assert panel.raw.toPlainText() == text  # what was typed stays as typed


def test_invalid_json_points_at_the_line(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    window.endpoint_tree.select("searchBusinessesV4")
    panel.tabs.setCurrentIndex(2)
    retype(qtbot, panel.raw, '{\n  "zipCode": "90210",\n  "limit": 5,,\n}')
    qtbot.waitUntil(lambda: "line 3" in panel.raw_status.text())
    assert panel.raw.marked_lines == [3]
    assert "not valid JSON" in panel.raw_status.text()
    assert not panel.form_banner.isHidden()

    def listed() -> list[str]:
        return [panel.problem_list.item(i).text() for i in range(panel.problem_list.count())]

    # said once: under the editor on this page, in the list below the tabs elsewhere
    assert not any("not valid JSON" in m for m in listed())
    assert panel.problem_list.isHidden()
    panel.tabs.setCurrentIndex(0)
    assert [m for m in listed() if "not valid JSON" in m] == [listed()[0]]
    qtbot.waitUntil(panel.problem_list.isVisible)
    item = panel.problem_list.item(0)
    assert panel.problem_list.visualItemRect(item).bottom() < panel.problem_list.viewport().height()
    assert body_field(panel, "zipCode").text() == "90210"  # the last valid body stays


def test_wrong_type_and_unknown_field_shown_inline(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    window.endpoint_tree.select("createOrderV4")
    panel.tabs.setCurrentIndex(2)
    example = json.loads(panel.raw.toPlainText())
    example["configurationID"] = 12
    example["colour"] = "red"
    retype(qtbot, panel.raw, json.dumps(example, indent=2))
    row = next(r for r in panel.body_editor.rows() if r.path == ("configurationID",))  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: row.note_kind == "error")
    assert "must be text" in row.note.text()
    messages = [panel.problem_list.item(i).text() for i in range(panel.problem_list.count())]
    assert any("'colour'" in m for m in messages)
    assert line_of(panel.raw.toPlainText(), "configurationID") in panel.raw.marked_lines
    assert "1 problem · 1 warning" in panel.problem_count.text()


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_missing_required_blocks_send_until_send_anyway(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    sent: list[RequestSpec] = []

    def perform(spec, _cancel):  # type: ignore[no-untyped-def]
        sent.append(spec)
        return ResponseRecord(request=spec, status=400, reason="Bad Request")

    window = open_window(perform=perform)
    panel = window.request_panel
    window.endpoint_tree.select("getCategoryRecommendationsV4")
    retype(qtbot, param(panel, ParamLocation.QUERY, "zipCode").line, "")
    qtbot.mouseClick(panel.send_button, LEFT)
    assert panel.fail_bar.isVisible()
    assert "would fail validation" in panel.fail_bar.label.text()
    assert "zipCode" in panel.fail_bar.label.text()
    qtbot.wait(50)
    assert sent == []
    zip_row = panel.param_form.row(ParamLocation.QUERY, "zipCode")
    assert zip_row is not None and "required" in zip_row.note.text()

    qtbot.mouseClick(panel.fix_button, LEFT)
    assert not panel.fail_bar.isVisible()
    assert QApplication.focusWidget() is param(panel, ParamLocation.QUERY, "zipCode").line

    qtbot.mouseClick(panel.send_button, LEFT)
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        qtbot.mouseClick(panel.send_anyway_button, LEFT)
    assert len(sent) == 1
    assert "zipCode=" not in sent[0].url  # sent exactly as typed, without the field


def test_variables_are_previewed(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window(variables=lambda: {"utm_source": "cma-demo"})
    panel = window.request_panel
    window.endpoint_tree.select("getCategoryRecommendationsV4")
    editor = param(panel, ParamLocation.QUERY, "utmData[utm_source]")
    retype(qtbot, editor.line, "{{utm_source}}")
    row = panel.param_form.row(ParamLocation.QUERY, "utmData[utm_source]")
    assert row is not None
    qtbot.waitUntil(lambda: row.note.text() == "→ cma-demo")
    assert "utmData[utm_source]=cma-demo" in panel.url.text()
    retype(qtbot, editor.line, "{{nope}}")
    qtbot.waitUntil(lambda: "has no value" in row.note.text())


def test_copy_as_curl_and_httpx_mask_the_authorization(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    window.endpoint_tree.select("getCurrentUserV4")
    qtbot.mouseClick(panel.param_form.more_button, LEFT)
    qtbot.keyClicks(panel.param_form.extra_headers, "Authorization: Bearer s3cret-token")
    panel.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: "Authorization" in panel.preview.toPlainText())
    assert "s3cret-token" not in panel.preview.toPlainText()
    qtbot.mouseClick(panel.copy_curl_button, LEFT)
    curl = QApplication.clipboard().text()
    assert "\ncurl " in curl and "/api/v4/users/self" in curl
    assert "Bearer $THUMBTACK_ACCESS_TOKEN" in curl and "s3cret-token" not in curl
    qtbot.mouseClick(panel.copy_httpx_button, LEFT)
    code = QApplication.clipboard().text()
    assert "import httpx\n" in code and "s3cret-token" not in code
    assert "os.environ['THUMBTACK_ACCESS_TOKEN']" in code
    spec = panel.build_spec()
    assert spec is not None and spec.header("Authorization") == "Bearer s3cret-token"


def test_drafts_survive_switching_and_restart(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    window.endpoint_tree.select("listMessagesV4")
    retype(qtbot, param(panel, ParamLocation.PATH, "negotiationID").line, "42")
    window.endpoint_tree.select("searchBusinessesV4")
    qtbot.keyClicks(body_field(panel, "utmData", "utm_content").line, "banner")
    window.endpoint_tree.select("listMessagesV4")
    assert param(panel, ParamLocation.PATH, "negotiationID").text() == "42"
    window.endpoint_tree.select("searchBusinessesV4")
    assert body_field(panel, "utmData", "utm_content").text() == "banner"
    window.close()

    again = open_window()
    again.endpoint_tree.select("listMessagesV4")
    assert param(again.request_panel, ParamLocation.PATH, "negotiationID").text() == "42"
    again.endpoint_tree.select("searchBusinessesV4")
    assert '"utm_content": "banner"' in again.request_panel.raw.toPlainText()


def test_reset_to_example_and_undo(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    window.endpoint_tree.select("getCategoryRecommendationsV4")
    zip_code = param(panel, ParamLocation.QUERY, "zipCode")
    retype(qtbot, zip_code.line, "12345")
    qtbot.mouseClick(panel.reset_button, LEFT)
    assert zip_code.text() == "90210"
    assert panel.undo_bar.isVisible()
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(panel.reset_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert zip_code.text() == "12345"
    assert not panel.undo_bar.isVisible()
    qtbot.mouseClick(panel.reset_button, LEFT)
    qtbot.mouseClick(panel.undo_button, LEFT)
    assert zip_code.text() == "12345"


def test_free_url_mode_without_an_endpoint(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    assert panel.endpoint is None and not panel.url.isReadOnly()
    qtbot.keyClicks(panel.url, "http://127.0.0.1:9/anything")
    spec = panel.build_spec()
    assert spec is not None and spec.url == "http://127.0.0.1:9/anything"
    with qtbot.waitSignal(panel.send_requested, timeout=1000):
        qtbot.mouseClick(panel.send_button, LEFT)


def test_preview_and_copies_use_the_window_redactor(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.request_panel
    secrets = ("cs_PREVIEW_1", "xat_PREVIEW_2", "rt_PREVIEW_3", "pw_PREVIEW_4")
    window.endpoint_tree.select("searchBusinessesV4")
    qtbot.mouseClick(panel.param_form.more_button, LEFT)
    qtbot.keyClicks(panel.param_form.extra_query, "client_secret=cs_PREVIEW_1")
    qtbot.keyClicks(panel.param_form.extra_headers, "X-Auth-Token: xat_PREVIEW_2")
    panel.tabs.setCurrentIndex(2)
    panel.raw.setPlainText(
        '{"refresh_token":"rt_PREVIEW_3","auth":{"password":"pw_PREVIEW_4"},'
        '"email":"dana.reyes@example.com"}'
    )
    panel.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: "pw_PREVIEW_4" in (panel.build_spec().body or b"").decode())
    qtbot.waitUntil(lambda: "X-Auth-Token" in panel.preview.toPlainText())
    qtbot.waitUntil(lambda: "dana.reyes" in panel.preview.toPlainText())
    preview = panel.preview.toPlainText()
    assert "client_secret=••••••" in preview and "X-Auth-Token: ••••••" in preview
    assert "dana.reyes@example.com" in preview  # personal data shows outside presentation mode
    copies = []
    for button in (panel.copy_curl_button, panel.copy_httpx_button):
        qtbot.mouseClick(button, LEFT)
        copies.append(QApplication.clipboard().text())
    for text in (preview, panel.url.toolTip(), *copies):
        for secret in secrets:
            assert secret not in text, (secret, text)
    window.redaction.set_presentation(True)
    qtbot.waitUntil(lambda: "dana.reyes@example.com" not in panel.preview.toPlainText())
    qtbot.mouseClick(panel.copy_curl_button, LEFT)
    assert "dana.reyes@example.com" not in QApplication.clipboard().text()
    spec = panel.build_spec()  # what is sent is what was typed
    assert spec is not None and spec.body is not None and b"rt_PREVIEW_3" in spec.body
