"""The mouse wheel scrolls the form: it changes a combo box only once the user has put
the focus in it (clicked or tabbed)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea

from explorer.core.models import Endpoint, Parameter, ParamLocation


def wheel_down(widget) -> None:  # type: ignore[no-untyped-def]
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


CHOICES = Endpoint(
    operation_id="manyChoices",
    method="GET",
    path="/api/v4/choices",
    section="Test",
    parameters=tuple(
        Parameter(
            name=f"choice{i}",
            location=ParamLocation.QUERY,
            schema={"type": "string", "enum": ["a", "b", "c"]},
        )
        for i in range(30)
    ),
)


def test_the_wheel_scrolls_past_an_unfocused_combo(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.resize(800, 600)
    window.request_panel.load_endpoint(CHOICES, "http://127.0.0.1:9")
    row = window.request_panel.param_form.row(ParamLocation.QUERY, "choice3")
    combo = row.editor.combo
    assert combo is not None
    qtbot.waitUntil(combo.isVisible)
    area = next(a for a in window.request_panel.findChildren(QScrollArea) if a.isAncestorOf(combo))
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    before_index, before_scroll = combo.currentIndex(), bar.value()
    wheel_down(combo)
    assert combo.currentIndex() == before_index  # the value under the pointer is untouched
    assert bar.value() > before_scroll  # the form scrolled instead
    assert combo.focusPolicy() != Qt.FocusPolicy.WheelFocus  # passing over does not focus it

    qtbot.mouseClick(combo.lineEdit() or combo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(combo.hasFocus)
    wheel_down(combo)
    assert combo.currentIndex() != before_index  # focused: the wheel changes it
