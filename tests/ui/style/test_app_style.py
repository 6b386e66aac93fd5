"""The look without an application style sheet: label roles, borders, and theme switches."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

from explorer.core.settings import ThemeChoice
from explorer.ui.session.style import style_session_widget
from explorer.ui.style.app_style import AppStyle
from explorer.ui.style.palette import DARK, LIGHT
from explorer.ui.style.theme import apply_theme, is_dark

Theme = Callable[..., None]


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[Theme]:
    """Switch the application's theme; the one before the test comes back afterwards."""
    was_dark = is_dark(qapp)

    def switch(dark: bool, font_scale: float = 1.0) -> None:
        apply_theme(qapp, dark=dark, font_scale=font_scale)

    yield switch
    apply_theme(qapp, dark=was_dark)


def text_color(label: QLabel) -> str:
    """The colour of the label's text as painted: the pixel farthest from its background."""
    image = label.grab().toImage()
    background = image.pixelColor(0, 0)

    def distance(color: QColor) -> int:
        return (
            abs(color.red() - background.red())
            + abs(color.green() - background.green())
            + abs(color.blue() - background.blue())
        )

    pixels = (image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width()))
    return max(pixels, key=distance).name()


@pytest.fixture
def labels(qtbot) -> Iterator[Callable[..., list[QLabel]]]:  # type: ignore[no-untyped-def]
    """Makes labels with the given roles, shown in a window that lives until the test ends."""
    hosts: list[QWidget] = []

    def make(*roles: str, styled: bool = False) -> list[QLabel]:
        host = QWidget()
        hosts.append(host)
        qtbot.addWidget(host)
        layout = QVBoxLayout(host)
        made = []
        for role in roles:
            label = QLabel("MMMM IIII")
            label.setProperty("role", role)
            layout.addWidget(label)
            made.append(label)
        if styled:
            style_session_widget(host)
        host.show()
        qtbot.waitExposed(host)
        return made

    yield make
    hosts.clear()


def test_the_application_has_no_style_sheet(qapp: QApplication, theme: Theme) -> None:
    theme(True)
    assert qapp.styleSheet() == ""
    assert isinstance(qapp.style(), AppStyle)
    theme(False)
    assert qapp.styleSheet() == ""
    assert isinstance(qapp.style(), AppStyle)


def test_dim_and_heading_labels_follow_a_theme_switch(qtbot, theme: Theme, labels) -> None:  # type: ignore[no-untyped-def]
    theme(True)
    dim, heading = labels("dim", "heading")
    assert text_color(dim) == DARK.dim_text
    assert text_color(heading) == DARK.text
    assert heading.font().weight() == QFont.Weight.DemiBold
    assert dim.font().weight() == QFont.Weight.Normal
    theme(False)
    qtbot.waitUntil(lambda: text_color(dim) == LIGHT.dim_text)
    assert text_color(heading) == LIGHT.text
    assert heading.font().weight() == QFont.Weight.DemiBold


def test_a_dim_label_under_a_panel_style_sheet_keeps_its_full_colour(
    qtbot, theme: Theme, labels
) -> None:  # type: ignore[no-untyped-def]
    theme(True)
    (dim,) = labels("dim", styled=True)
    assert text_color(dim) == DARK.dim_text
    theme(False)
    qtbot.waitUntil(lambda: text_color(dim) == LIGHT.dim_text)


def test_a_heading_follows_the_font_scale(qtbot, qapp: QApplication, theme: Theme, labels) -> None:  # type: ignore[no-untyped-def]
    theme(True)
    (heading,) = labels("heading")
    base = qapp.font().pointSizeF()
    theme(True, font_scale=1.5)
    qtbot.waitUntil(lambda: heading.font().pointSizeF() == pytest.approx(base * 1.5))
    assert heading.font().weight() == QFont.Weight.DemiBold


def test_a_changed_role_takes_effect_when_polished_again(theme: Theme, labels) -> None:  # type: ignore[no-untyped-def]
    theme(True)
    (label,) = labels("dim")
    label.setProperty("role", "inferred")
    label.style().unpolish(label)
    label.style().polish(label)
    assert text_color(label) == DARK.inferred
    assert label.font().weight() == QFont.Weight.DemiBold
    label.setProperty("role", "dim")
    label.style().unpolish(label)
    label.style().polish(label)
    assert text_color(label) == DARK.dim_text
    assert label.font().weight() == QFont.Weight.Normal


@pytest.mark.parametrize("dark", [True, False], ids=["dark", "light"])
def test_line_edit_border_and_invalid_border(qtbot, theme: Theme, dark: bool) -> None:  # type: ignore[no-untyped-def]
    theme(dark)
    colors = DARK if dark else LIGHT
    edit = QLineEdit("text")
    qtbot.addWidget(edit)
    edit.resize(160, edit.sizeHint().height())
    edit.show()
    qtbot.waitExposed(edit)

    def left_edge() -> str:
        return edit.grab().toImage().pixelColor(0, edit.height() // 2).name()

    assert left_edge() == colors.border
    edit.setProperty("invalid", True)
    assert left_edge() == colors.invalid_border


def test_the_window_follows_a_theme_switch(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.set_theme(ThemeChoice.DARK)
    assert QApplication.instance().styleSheet() == ""  # type: ignore[union-attr]
    splitter = window.main_splitter
    assert splitter.handleWidth() == 1

    def handle_color() -> str:
        handle = splitter.handle(1)
        return handle.grab().toImage().pixelColor(handle.contentsRect().center()).name()

    qtbot.waitUntil(lambda: handle_color() == DARK.border)
    assert text_color(window.request_panel.details) == DARK.dim_text
    window.set_theme(ThemeChoice.LIGHT)
    qtbot.waitUntil(lambda: handle_color() == LIGHT.border)
    # The request panel has a style sheet of its own; it takes the new palette too.
    panel = window.request_panel
    assert panel.palette().window().color().name() == LIGHT.window
    assert text_color(panel.details) == LIGHT.dim_text
