"""The wheel guard watches only combo boxes and spin boxes under the program's style (no
application-wide filter), and still lets the wheel scroll the form past an unfocused one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from explorer.ui.style.app_style import AppStyle
from explorer.ui.style.theme import install_style
from explorer.ui.wheel_guard import WheelGuard, install_wheel_guard, wheel_guard_of


def wheel_down(widget: QWidget) -> None:
    centre = QPointF(widget.rect().center())
    QApplication.sendEvent(
        widget,
        QWheelEvent(
            centre,
            QPointF(widget.mapToGlobal(widget.rect().center())),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )


class Counting(WheelGuard):
    """The guard, noting which objects' events reach its Python filter."""

    seen: ClassVar[set[str]] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        Counting.seen.add(type(watched).__name__)
        return super().eventFilter(watched, event)


@pytest.fixture
def fresh_guard(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The guard installed anew for this test, the former one put back afterwards."""
    former = wheel_guard_of(qapp)
    if former is not None and former.app_wide:
        qapp.removeEventFilter(former)
    qapp.setProperty("explorer_wheel_guard", None)
    monkeypatch.setattr("explorer.ui.wheel_guard.WheelGuard", Counting)
    Counting.seen = set()
    yield
    guard = wheel_guard_of(qapp)
    if guard is not None and guard.app_wide:
        qapp.removeEventFilter(guard)
    qapp.setProperty("explorer_wheel_guard", former)
    if former is not None and former.app_wide:
        qapp.installEventFilter(former)


def form(qtbot) -> tuple[QScrollArea, list[QWidget]]:  # type: ignore[no-untyped-def]
    body = QWidget()
    layout = QFormLayout(body)
    editors: list[QWidget] = []
    for i in range(40):
        if i % 2:
            editor: QWidget = QSpinBox()
        else:
            combo = QComboBox()
            combo.addItems(["a", "b", "c"])
            editor = combo
        editors.append(editor)
        layout.addRow(QLabel(f"Field {i}"), editor)
    area = QScrollArea()
    area.setWidget(body)
    area.setWidgetResizable(True)
    area.resize(300, 200)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, editors


def test_under_the_programs_style_only_the_editors_are_watched(qapp, qtbot, fresh_guard) -> None:  # type: ignore[no-untyped-def]
    install_style(qapp)
    assert isinstance(qapp.style(), AppStyle)
    early = QComboBox()  # made before the guard: watched when it is installed
    qtbot.addWidget(early)
    guard = install_wheel_guard(qapp)
    assert isinstance(guard, Counting) and not guard.app_wide
    area, editors = form(qtbot)  # made after: handed to the guard as they are polished
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)

    for _ in range(5):  # paints, layouts and timers of other widgets never reach Python
        area.resize(300, 220)
        area.resize(300, 200)
        area.widget().repaint()
        qapp.processEvents()
    assert Counting.seen <= {"QComboBox", "QSpinBox"}, Counting.seen

    combo = editors[2]
    assert isinstance(combo, QComboBox)
    assert combo.focusPolicy() != Qt.FocusPolicy.WheelFocus
    assert early.focusPolicy() != Qt.FocusPolicy.WheelFocus
    index, scrolled = combo.currentIndex(), bar.value()
    wheel_down(combo)
    assert combo.currentIndex() == index  # the value under the pointer is untouched
    assert bar.value() > scrolled  # the form scrolled instead
    spin = editors[3]
    assert isinstance(spin, QSpinBox)
    value, scrolled = spin.value(), bar.value()
    wheel_down(spin)
    assert spin.value() == value and bar.value() > scrolled
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel_down(combo)
    assert combo.currentIndex() != index  # focused: the wheel changes it


def test_under_another_style_the_guard_filters_the_application(
    qapp, qtbot, fresh_guard, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(type(qapp.style()), "guards_wheel", False, raising=False)
    guard = install_wheel_guard(qapp)
    assert guard.app_wide
    area, editors = form(qtbot)
    assert {"QLabel", "QScrollArea"} <= Counting.seen  # every widget's events
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    spin = editors[1]
    assert isinstance(spin, QSpinBox)
    value, scrolled = spin.value(), bar.value()
    wheel_down(spin)
    assert spin.value() == value and bar.value() > scrolled
