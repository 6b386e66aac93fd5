"""The request form shrinks with its panel (labels go above their editors) instead of being
cut: in presentation mode at 1280x800 with a dock open beside the panels, and alone."""

from __future__ import annotations

import pytest
from helpers.window_session import keep_app_look  # noqa: F401 (a fixture)
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QScrollArea, QWidget

from explorer.core.catalog import Catalog, load_default_catalog
from explorer.core.models import ParamLocation
from explorer.ui.request.field_editors import FieldRow, ScalarEditor
from explorer.ui.request.row_grid import RowGrid
from explorer.ui.window.main_window import MainWindow

RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def check_form(area: QScrollArea) -> None:
    """Every label and editor of the form is whole inside the visible width, and what is
    below the fold can be scrolled to."""
    viewport = area.viewport()
    content = area.widget()
    grids = [grid for grid in content.findChildren(RowGrid) if grid.isVisible()]
    assert grids, "the form is shown"
    for grid in grids:
        for label in grid.findChildren(QWidget):
            name = label.objectName()
            if not name.startswith("label:") or label.parent() is not grid:
                continue  # the labels of nested groups are checked with their own grid
            assert label.isVisible(), name
            box = rect_in(label, viewport)
            assert box.left() >= 0 and box.right() < viewport.width(), (name, box)
            assert label.width() >= label.sizeHint().width(), name  # not cut
        for editor in grid.findChildren(ScalarEditor):
            if not editor.isVisible():
                continue
            box = rect_in(editor, viewport)
            assert box.left() >= 0 and box.right() < viewport.width(), box
            assert editor.width() >= 100, editor.width()  # room to read a value
    bar = area.verticalScrollBar()
    hidden_below = content.height() - viewport.height()
    assert hidden_below <= 0 or (bar.isVisible() and bar.maximum() >= hidden_below)
    assert not area.horizontalScrollBar().isVisible()  # it shrank instead of scrolling sideways


def check_tabs(window: MainWindow) -> None:
    panel = window.request_panel
    tabs, bar = panel.tabs, panel.tabs.tabBar()
    for index in range(tabs.count()):
        if tabs.isTabVisible(index):
            assert bar.rect().contains(bar.tabRect(index)), tabs.tabText(index)
        elif panel.tab_list.is_tab_wanted(index):
            assert panel.tab_list.isVisible(), tabs.tabText(index)


@pytest.mark.parametrize("dock", ["history", "saved"])
def test_presentation_mode_with_a_dock_beside_keeps_the_form_whole(
    make_window,  # type: ignore[no-untyped-def]
    qtbot,
    catalog: Catalog,
    keep_app_look,  # noqa: F811
    dock: str,
) -> None:
    window = make_window(catalog=catalog, endpoints=list(catalog.endpoints))
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (1280, 800))
    window.presentation.set_on(True)
    panel = window.request_panel
    action = window.history.action if dock == "history" else window.saved.view_action
    opened = window.history.panel if dock == "history" else window.saved.panel
    action.trigger()
    qtbot.waitUntil(opened.isVisible)
    assert window.dockWidgetArea(opened) == RIGHT

    assert window.endpoint_tree.select("getCategoryRecommendationsV4")
    qtbot.waitUntil(lambda: panel.param_form.row(ParamLocation.QUERY, "limit") is not None)
    panel.tabs.setCurrentIndex(0)
    area = panel.tabs.widget(0)
    assert isinstance(area, QScrollArea)
    qtbot.waitUntil(lambda: check_form(area))
    qtbot.waitUntil(lambda: check_tabs(window))
    # The longest label is read whole, above its editor, and typing there still works.
    row = panel.param_form.row(ParamLocation.QUERY, "utmData[utm_campaign]")
    assert row is not None and isinstance(row.editor, ScalarEditor)
    assert rect_in(row.label, area).bottom() <= rect_in(row.editor, area).top()
    area.ensureWidgetVisible(row.editor)
    row.editor.set_text("")
    qtbot.keyClicks(row.editor.line, "spring-sale")
    assert row.editor.text() == "spring-sale"
    assert ("utmData[utm_campaign]", "spring-sale") in panel.param_form.parts()[1]

    # A body form too (the nested utmData object), on the Body tab.
    assert window.endpoint_tree.select("createRequestV4")
    qtbot.waitUntil(lambda: panel.body_editor is not None)
    panel.tabs.setCurrentIndex(1)
    body_area = panel.tabs.widget(1)
    assert isinstance(body_area, QScrollArea)
    qtbot.waitUntil(lambda: check_form(body_area))
    qtbot.waitUntil(lambda: check_tabs(window))


def test_rows_stack_when_narrow_and_go_back_side_by_side(qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = RowGrid()
    qtbot.addWidget(grid)
    rows = []
    for name in ("zipCode", "utmData[utm_campaign]"):
        editor = ScalarEditor({"type": "string"}, False, text_mode=True)
        row = FieldRow(name, ("query", name), editor, {"type": "string"}, name == "zipCode")
        grid.add_row(row)
        rows.append(row)
    grid.resize(700, 200)
    grid.show()
    qtbot.waitUntil(lambda: not grid.stacked)
    label, editor = rows[1].label, rows[1].editor
    assert label.geometry().right() < editor.geometry().left()  # side by side
    narrow = grid.side_by_side_width() - 20
    assert grid.minimumSizeHint().width() < narrow
    grid.resize(narrow, 200)
    qtbot.waitUntil(lambda: grid.stacked)
    qtbot.waitUntil(lambda: label.geometry().bottom() < editor.geometry().top())
    assert editor.width() > narrow - 40 and label.width() >= label.sizeHint().width()
    grid.resize(700, 200)
    qtbot.waitUntil(lambda: not grid.stacked)
    qtbot.waitUntil(lambda: label.geometry().right() < editor.geometry().left())
