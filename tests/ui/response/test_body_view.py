"""The body view with real bodies: big, binary, images, charsets, empty; search and filter."""

from __future__ import annotations

import json

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from explorer.core.body import FORMAT_LIMIT, TokenKind, human_size, pretty_json_chunks
from explorer.ui.response.body_view import BodyMode, BodyView

ORDERS = {"data": [{"orderID": f"o{i}", "name": f"Pro {i}", "price": i * 10} for i in range(3)]}


def make_view(qtbot) -> BodyView:  # type: ignore[no-untyped-def]
    view = BodyView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    return view


def show(qtbot, view: BodyView, body: bytes, content_type: str, **kw) -> None:  # type: ignore[no-untyped-def]
    view.show_body(body, content_type, **kw)
    qtbot.waitUntil(lambda: not view.loading, timeout=20000)


def test_small_json_is_pretty_and_coloured(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    show(qtbot, view, json.dumps(ORDERS).encode(), "application/json")
    text = view.text()
    assert text.startswith('{\n  "data": [\n    {\n      "orderID": "o0",')
    assert json.loads(text) == ORDERS
    block = view.code.document().findBlockByNumber(3)
    formats = block.layout().formats()
    assert formats and formats[0].format.foreground().color() != QColor()


def test_five_megabytes_load_without_blocking_capped_then_show_all(qtbot) -> None:  # type: ignore[no-untyped-def]
    items = [
        {"businessID": str(i), "name": "Pro ✓", "rating": 4.5, "ok": True} for i in range(70000)
    ]
    body = json.dumps({"data": items}).encode()
    assert 4_000_000 < len(body) <= FORMAT_LIMIT
    view = make_view(qtbot)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    view.show_body(body, "application/json")
    assert view.loading  # returned at once; the work goes on in the background
    qtbot.waitUntil(lambda: view.code.line_total > 0, timeout=10000)
    assert view.loading  # the first lines are on screen before the rest is in
    qtbot.waitUntil(lambda: not view.loading, timeout=60000)
    # Formatted, the body is longer than the cap: only its start is in the editor.
    assert view.capped and view.cap_bar.isVisible()
    assert "Showing the first" in view.cap_bar.label.text()
    assert f"of {human_size(len(body))}." in view.cap_bar.label.text()
    assert view.code.document().characterCount() < len(body)
    qtbot.mouseClick(view.cap_bar.show_all_button, Qt.MouseButton.LeftButton)
    assert view.loading and not view.cap_bar.isVisible()
    qtbot.waitUntil(lambda: not view.loading, timeout=60000)
    timer.stop()
    assert len(ticks) > 20  # the event loop kept running while the body was formatted
    assert not view.capped
    assert view.code.line_total == len(json.dumps({"data": items}, indent=2).splitlines())
    assert view.code.document().lastBlock().text() == "}"


def capped_view(qtbot, monkeypatch, body: bytes, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("explorer.ui.response.body_jobs.CAP_CHARS", 40_000)
    view = make_view(qtbot)
    show(qtbot, view, body, content_type)
    return view


BIG = {"data": [{"businessID": f"b{i}", "name": f"Pro {i}", "rating": 4.5} for i in range(2500)]}


def test_a_body_just_over_the_cap_shows_the_bar(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    raw = json.dumps(BIG).encode()
    view = capped_view(qtbot, monkeypatch, raw)
    assert view.capped and view.cap_bar.isVisible()
    text = view.cap_bar.label.text()
    assert text.startswith("Showing the first ") and f"of {human_size(len(raw))}" in text
    for button in ("show_all_button", "save_button", "copy_button"):
        assert getattr(view.cap_bar, button).isVisible()
    shown = view.text()
    assert shown.startswith('{\n  "data": [') and '"b0"' in shown and '"b2499"' not in shown
    small = json.dumps({"data": BIG["data"][:100]}).encode()
    show(qtbot, view, small, "application/json")  # a body under the cap: no bar
    assert not view.capped and not view.cap_bar.isVisible()
    assert json.loads(view.text()) == json.loads(small)


def test_show_all_loads_the_rest_raw_and_formatted(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    raw = json.dumps(BIG).encode()
    view = capped_view(qtbot, monkeypatch, raw)
    with qtbot.waitSignal(view.formatting_finished, timeout=20000):
        qtbot.mouseClick(view.cap_bar.show_all_button, Qt.MouseButton.LeftButton)
    assert not view.capped and not view.cap_bar.isVisible()
    assert json.loads(view.text()) == BIG
    assert view.text() == json.dumps(BIG, indent=2)
    monkeypatch.setattr("explorer.ui.response.body_view.FORMAT_LIMIT", 100)  # raw, as received
    show(qtbot, view, raw, "application/json")
    assert view.capped
    qtbot.mouseClick(view.cap_bar.show_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.loading, timeout=20000)
    assert view.text().replace("\n", "") == raw.decode()  # long lines broken for display only


def test_search_finds_a_string_beyond_the_cap(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    document = {"data": BIG["data"] + [{"businessID": "needle-42", "name": "Last"}]}
    view = capped_view(qtbot, monkeypatch, json.dumps(document).encode())
    assert "needle-42" not in view.text()
    qtbot.keyClicks(view.search_edit, "NEEDLE-42")  # case-insensitive, like the editor's find
    with qtbot.waitSignal(view.search_finished, timeout=20000) as reported:
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert reported.args == [True]
    assert "1 match(es) in the whole body" in view.cap_bar.label.text()
    with qtbot.waitSignal(view.formatting_finished, timeout=20000):
        qtbot.mouseClick(view.cap_bar.show_all_button, Qt.MouseButton.LeftButton)
    assert view.code.textCursor().selectedText() == "needle-42"  # it went there
    assert view.code.textCursor().block().text() == '      "businessID": "needle-42",'
    show(qtbot, view, json.dumps(BIG).encode(), "application/json")
    view.search_edit.clear()
    qtbot.keyClicks(view.search_edit, "no such text")
    with qtbot.waitSignal(view.search_finished, timeout=20000) as missing:
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    assert missing.args == [False]
    assert "No match for “no such text” anywhere" in view.cap_bar.label.text()
    assert view.search_edit.property("state") == "none"


def test_copy_all_and_save_give_the_exact_body(qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    raw = (json.dumps(BIG)[:-1] + ', "note": "caf\u00e9 ✓"}').encode()
    view = capped_view(qtbot, monkeypatch, raw)
    QApplication.clipboard().clear()
    qtbot.mouseClick(view.cap_bar.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == raw.decode()
    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)  # the toolbar's Copy too
    assert QApplication.clipboard().text() == raw.decode()
    target = tmp_path / "saved.json"
    monkeypatch.setattr(
        "explorer.ui.response.body_view.QFileDialog.getSaveFileName",
        lambda *_a, **_k: (str(target), ""),
    )
    qtbot.mouseClick(view.cap_bar.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved the body" in view.cap_bar.label.text(), timeout=10000)
    assert target.read_bytes() == raw


def test_filter_and_tree_read_the_whole_capped_body(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("explorer.core.body_search.FAST_PARSE_LIMIT", 1000)  # the sliced parser
    view = capped_view(qtbot, monkeypatch, json.dumps(BIG).encode())
    with qtbot.waitSignal(view.filter_applied, timeout=20000) as applied:
        qtbot.keyClicks(view.filter_edit, "$.data[2499].name")
        qtbot.keyClick(view.filter_edit, Qt.Key.Key_Return)
    assert applied.args == [1]
    qtbot.waitUntil(lambda: not view.loading, timeout=10000)
    assert json.loads(view.text()) == ["Pro 2499"]
    view.filter_edit.clear()
    qtbot.waitUntil(lambda: not view.loading and view.capped, timeout=10000)
    view.tree_button.click()
    qtbot.waitUntil(lambda: view.mode is BodyMode.TREE, timeout=20000)
    data = view.tree.topLevelItem(0).child(0)
    assert (data.text(0), data.text(1)) == ("data", "[2500 items]")
    data.setExpanded(True)
    assert data.childCount() == 501 and data.child(500).text(0) == "… 2000 more"


def test_above_the_limit_raw_first_then_format_anyway(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("explorer.ui.response.body_view.FORMAT_LIMIT", 100)
    view = make_view(qtbot)
    body = json.dumps(ORDERS).encode()
    show(qtbot, view, body, "application/json")
    assert view.text() == body.decode()
    assert view.format_button.isVisibleTo(view)
    assert "shown as received" in view.note.text()
    qtbot.mouseClick(view.format_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.loading and "\n" in view.text(), timeout=5000)
    assert json.loads(view.text()) == ORDERS
    assert not view.format_button.isVisibleTo(view)


def test_binary_body_shows_size_and_hex_with_more(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    body = bytes(range(256)) * 200  # 51,200 bytes
    show(qtbot, view, body, "application/octet-stream")
    assert view.mode is BodyMode.HEX
    assert "50.0 KB" in view.note.text()
    first = view.hex.toPlainText().splitlines()[0]
    assert first.startswith("00000000  00 01 02 03 04 05 06 07  08 09 0a 0b")
    lines = len(view.hex.toPlainText().splitlines())
    qtbot.mouseClick(view.hex_more, Qt.MouseButton.LeftButton)
    assert len(view.hex.toPlainText().splitlines()) == 2 * lines


def test_image_gets_a_preview(qtbot) -> None:  # type: ignore[no-untyped-def]
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    view = make_view(qtbot)
    show(qtbot, view, bytes(data.data()), "application/octet-stream")  # sniffed by magic
    assert view.mode is BodyMode.IMAGE
    assert view.image_label.pixmap().width() == 40
    assert "PNG image" in view.note.text() and "40×30" in view.note.text()


def test_declared_charset_decodes_non_utf8(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    show(qtbot, view, "Café crème".encode("latin-1"), "text/plain; charset=ISO-8859-1")
    assert view.text() == "Café crème"
    assert "iso8859-1" in view.note.text()


def test_undecodable_text_without_charset_is_shown_as_bytes(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    show(qtbot, view, "Café".encode("latin-1"), "text/plain")
    assert view.mode is BodyMode.HEX
    assert "no charset declared" in view.note.text()


def test_empty_bodies_say_so_and_what_it_means(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    show(qtbot, view, b"", "text/html", status=202)
    assert view.mode is BodyMode.MESSAGE
    assert "(empty body — 0 bytes)" in view.message.text()
    assert "did not reach the API" in view.message.text()
    show(qtbot, view, b"", "", status=204)
    assert "No Content" in view.message.text()


def test_jsonpath_filter_shows_selection_and_clears(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    show(qtbot, view, json.dumps(ORDERS).encode(), "application/json")
    with qtbot.waitSignal(view.filter_applied, timeout=5000) as blocker:
        qtbot.keyClicks(view.filter_edit, "$.data[*].name")
        qtbot.keyClick(view.filter_edit, Qt.Key.Key_Return)
    assert blocker.args == [3]
    qtbot.waitUntil(lambda: not view.loading, timeout=5000)
    assert json.loads(view.text()) == ["Pro 0", "Pro 1", "Pro 2"]
    with qtbot.waitSignal(view.filter_applied, timeout=5000) as bad:
        view.apply_filter("$.data[")
    assert bad.args == [-1]
    assert "Not a JSONPath expression" in view.note.text()
    view.filter_edit.clear()
    qtbot.waitUntil(lambda: not view.loading, timeout=5000)
    assert json.loads(view.text()) == ORDERS


def test_search_next_previous_and_wrap(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    show(qtbot, view, json.dumps(ORDERS).encode(), "application/json")
    with qtbot.waitActive(view):
        view.activateWindow()
    view.code.setFocus()
    qtbot.keyClick(view.code, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is view.search_edit
    qtbot.keyClicks(view.search_edit, "Pro ")
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    first = view.code.textCursor().blockNumber()
    assert view.code.textCursor().selectedText() == "Pro "
    total = view.code.toPlainText().lower().count("pro ")
    assert total >= 2
    assert view.search_count.isVisible() and view.search_count.text() == f"1 of {total}"
    assert view.search("Pro ")
    second = view.code.textCursor().blockNumber()
    assert second > first
    assert view.search_count.text() == f"2 of {total}"
    assert view.search("Pro ", backward=True)
    assert view.code.textCursor().blockNumber() == first
    view.search("Pro ")
    view.search("Pro ")
    assert view.search("Pro ")  # wraps around to the first
    assert view.code.textCursor().blockNumber() == first
    assert view.search_count.text() == f"1 of {total}"
    assert not view.search("no such text")
    assert view.search_edit.property("state") == "none"
    assert view.search_count.isVisible() and view.search_count.text() == "No match"
    view.search_edit.clear()
    assert not view.search_count.isVisible()


def test_matched_fragments_are_highlighted(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    body = (
        b'{"type":"about:blank","title":"Unauthorized","status":401,"detail":"token is not active"}'
    )
    show(qtbot, view, body, "application/problem+json")
    view.highlight_fragments(['"detail":"token is not active"', '"title":"Unauthorized"'])
    texts = [s.cursor.selectedText() for s in view.matched_selections]
    assert '"detail": "token is not active"' in texts
    assert '"title": "Unauthorized"' in texts
    assert view.code.extraSelections()


def test_tree_view_expands_lazily(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    show(qtbot, view, json.dumps(ORDERS).encode(), "application/json")
    view.tree_button.click()
    qtbot.waitUntil(lambda: view.mode is BodyMode.TREE, timeout=5000)
    root = view.tree.topLevelItem(0)
    data = root.child(0)
    assert (data.text(0), data.text(1)) == ("data", "[3 items]")
    data.setExpanded(True)
    assert data.childCount() == 3 and data.child(0).text(1) == "{3 keys}"


def test_streaming_formatter_keeps_values_and_colours_keys() -> None:
    chunks = list(pretty_json_chunks('{"a":[1,{}],"b":{"c":"x\\u00e9","d":[ ]},"e":null}'))
    assert chunks[-1] == 0
    text = chunks[0].text
    assert json.loads(text) == {"a": [1, {}], "b": {"c": "xé", "d": []}, "e": None}
    assert '"c": "x\\u00e9"' in text  # strings stay exactly as received
    kinds = {
        kind for line in range(chunks[0].line_count) for *_s, kind in chunks[0].line_spans(line)
    }
    assert {TokenKind.KEY, TokenKind.NUMBER, TokenKind.STRING, TokenKind.KEYWORD} <= kinds
    assert list(pretty_json_chunks('{"a": tru}'))[-1] > 0
