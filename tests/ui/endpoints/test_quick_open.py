"""Ctrl+K quick-open finds endpoints by fuzzy path, summary or operationId."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui.conftest import ENDPOINTS

from explorer.core.catalog import Catalog, load_default_catalog
from explorer.ui.endpoints.quick_open import simple_matches


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


def test_fuzzy_query_selects_the_endpoint_in_the_tree(make_window, catalog, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.endpoint_tree.tree, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = window.quick_open_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.list.count() == len(catalog.endpoints)  # empty query lists everything
    qtbot.keyClicks(dialog.search, "sendmsg")
    first = dialog.list.item(0)
    assert first is not None and "/negotiations/{negotiationID}/messages" in first.text()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    current = window.endpoint_tree.current_endpoint()
    assert current is not None and current.operation_id == "sendMessageV4"
    assert window.request_panel.endpoint is current
    assert "supply::messages.write" in window.request_panel.header.details.text()


def test_arrow_keys_move_and_summary_words_match(make_window, catalog, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    window.quick_open_action.trigger()
    dialog = window.quick_open_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.search, "webhook")
    count = dialog.list.count()
    assert count >= 4
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    second = dialog.list.item(1).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Enter)
    assert window.endpoint_tree.current_endpoint() is second


def test_no_match_says_so(make_window, catalog, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    window.quick_open_action.trigger()
    dialog = window.quick_open_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.search, "zzzqqq")
    assert dialog.list.count() == 0
    assert dialog.hint.text() == "No endpoint matches."
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # nothing to open: nothing happens
    assert window.endpoint_tree.current_endpoint() is None


def test_without_a_catalog_a_simple_matcher_is_used(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.quick_open_action.trigger()
    dialog = window.quick_open_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.search, "bussrch")
    assert dialog.list.count() == 1
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    current = window.endpoint_tree.current_endpoint()
    assert current is not None and current.operation_id == "searchBusinessesV4"
    assert [e.operation_id for e in simple_matches(ENDPOINTS, "orders get")] == ["listOrdersV4"]
