"""Tool rows that stay whole at any width: what does not fit moves into a "⋯" menu.

:class:`OverflowBar` lays out a row of tools. When the row is narrower than its tools
want, the tools with the lowest priority leave the row, a priority at a time, and wait in
the menu of its "⋯" button, which shows only then. Buttons reappear in the menu as
actions that click them (checked and enabled as the button is); a text box reappears as a
text box (what is typed there goes to the original). Tools without a priority never
leave; stretching tools (text boxes, a message) first give up room down to a comfortable
width, and only then to their minimum, so a narrow row keeps what matters.

:class:`TabListButton` does the same for a tab widget whose tabs do not all fit: a "⋯"
corner button listing every tab.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Slot
from PySide6.QtGui import QAction, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QTabWidget,
    QToolButton,
    QWidget,
    QWidgetAction,
)

MORE_TEXT = "⋯"
#: The "⋯" says there is a menu; Qt's small arrow beside it would only take room.
_NO_MENU_ARROW = "QToolButton::menu-indicator { image: none; width: 0px; }"


@dataclass
class _Item:
    widget: QWidget
    priority: int | None  # None: never leaves the row
    action: QAction | None
    comfort_chars: int  # stretching tools: the width they keep before others leave
    wanted: bool = True
    collapsed: bool = False

    @property
    def stretches(self) -> bool:
        return self.comfort_chars > 0


class OverflowBar(QWidget):
    """A row of tools; those that do not fit wait in the "⋯" menu, lowest priority first."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[_Item] = []
        self._fitting = False
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(spacing)
        self.more_button = QToolButton(self)
        self.more_button.setObjectName("overflowButton")
        self.more_button.setText(MORE_TEXT)
        self.more_button.setAccessibleName("More tools")
        self.more_button.setToolTip("More tools (those that do not fit at this width)")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setStyleSheet(_NO_MENU_ARROW)
        self.menu = QMenu(self.more_button)
        self.menu.aboutToShow.connect(self.on_menu_about_to_show)
        self.more_button.setMenu(self.menu)
        self.more_button.hide()
        self.row.addWidget(self.more_button)

    # ----- building -----------------------------------------------------------------------
    def add_button(self, button: QAbstractButton, label: str, *, priority: int) -> None:
        """A button that leaves the row before tools of a higher ``priority``; in the menu
        it is the action ``label`` (text after a tab shows as its shortcut)."""
        action = QAction(label, self)
        action.triggered.connect(lambda _checked=False, b=button: b.click())
        self._add(_Item(button, priority, action, 0))

    def add_line_edit(
        self,
        edit: QLineEdit,
        label: str,
        *,
        priority: int | None,
        comfort_chars: int,
        stretch: int = 1,
    ) -> None:
        """A text box that keeps about ``comfort_chars`` characters of room before buttons
        leave the row; with a ``priority`` it leaves last and is typed into from the menu."""
        action = _LineEditAction(edit, label, self) if priority is not None else None
        self._add(_Item(edit, priority, action, max(comfort_chars, 1)), stretch)

    def add_widget(self, widget: QWidget, *, comfort_chars: int = 0, stretch: int = 0) -> None:
        """A tool that never leaves the row (a message that wraps, say)."""
        self._add(_Item(widget, None, None, comfort_chars), stretch)

    def _add(self, item: _Item, stretch: int = 0) -> None:
        self._items.append(item)
        self.row.insertWidget(self.row.count() - 1, item.widget, stretch)
        self.fit()

    def set_wanted(self, widget: QWidget, wanted: bool) -> None:
        """Show or hide a tool for good (neither in the row nor in the menu when hidden)."""
        for item in self._items:
            if item.widget is widget:
                item.wanted = wanted
        self.fit()

    def focus_tool(self, widget: QWidget) -> bool:
        """Put the keyboard in a tool: in the row, or in its stand-in in the opened menu
        when the tool waits there (Ctrl+F with the search box in the menu, say)."""
        item = next((item for item in self._items if item.widget is widget), None)
        if item is None or not item.wanted:
            return False
        if not item.collapsed:
            widget.setFocus()
            return True
        self.menu.popup(self.more_button.mapToGlobal(QPoint(0, self.more_button.height())))
        if isinstance(item.action, QWidgetAction):
            for stand_in in item.action.createdWidgets():
                if stand_in.parentWidget() is self.menu:
                    self.menu.setActiveAction(item.action)
                    stand_in.setFocus()
        return True

    # ----- what is where ------------------------------------------------------------------
    def tools(self) -> list[QWidget]:
        """Every wanted tool, in row order, wherever it is now."""
        return [item.widget for item in self._items if item.wanted]

    def collapsed_widgets(self) -> list[QWidget]:
        """The wanted tools now waiting in the menu, in row order."""
        return [item.widget for item in self._items if item.wanted and item.collapsed]

    def menu_actions(self) -> list[QAction]:
        """The actions the menu offers now (one per collapsed tool)."""
        return [
            item.action
            for item in self._items
            if item.wanted and item.collapsed and item.action is not None
        ]

    # ----- fitting ------------------------------------------------------------------------
    def fit(self) -> None:
        """Decide which tools stay in the row at the current width."""
        if self._fitting:
            return
        self._fitting = True
        try:
            self._apply(self._choose(self.contentsRect().width()))
        finally:
            self._fitting = False

    def _choose(self, available: int) -> set[int]:
        wanted = [i for i, item in enumerate(self._items) if item.wanted]
        priorities = sorted({p for i in wanted if (p := self._items[i].priority) is not None})
        out: set[int] = set()

        def fits(*, comfortable: bool) -> bool:
            return self._needed(wanted, out, comfortable=comfortable) <= available

        # First buttons leave while the text boxes would get less than their comfort...
        for priority in priorities:
            if fits(comfortable=True):
                break
            out |= {
                i
                for i in wanted
                if self._items[i].priority == priority and not self._items[i].stretches
            }
        # ...then anything with a priority, while even the minimum widths do not fit.
        for priority in priorities:
            if fits(comfortable=False):
                break
            out |= {i for i in wanted if self._items[i].priority == priority}
        return out

    def _needed(self, wanted: list[int], out: set[int], *, comfortable: bool) -> int:
        shown = [self._items[i] for i in wanted if i not in out]
        widths = [self._width(item, comfortable=comfortable) for item in shown]
        if out:
            widths.append(self.more_button.sizeHint().width())
        return sum(widths) + self.row.spacing() * max(len(widths) - 1, 0)

    @staticmethod
    def _width(item: _Item, *, comfortable: bool) -> int:
        widget = item.widget
        least = max(widget.minimumWidth(), widget.minimumSizeHint().width())
        if not item.stretches:
            return max(least, widget.sizeHint().width())
        if comfortable:
            return max(least, widget.fontMetrics().averageCharWidth() * item.comfort_chars)
        return least

    def _apply(self, out: set[int]) -> None:
        for index, item in enumerate(self._items):
            item.collapsed = index in out
            show = item.wanted and not item.collapsed
            if item.widget.isHidden() == show:
                item.widget.setVisible(show)
        self.more_button.setVisible(bool(out))

    def minimumSizeHint(self):  # type: ignore[no-untyped-def]
        """As narrow as the tools that never leave, plus the "⋯" button."""
        hint = super().minimumSizeHint()
        kept = [
            self._width(item, comfortable=False)
            for item in self._items
            if item.wanted and item.priority is None
        ]
        has_menu = any(item.wanted and item.priority is not None for item in self._items)
        if has_menu:
            kept.append(self.more_button.sizeHint().width())
        hint.setWidth(sum(kept) + self.row.spacing() * max(len(kept) - 1, 0))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()

    def event(self, event: QEvent) -> bool:
        # A tool's wanted width changed (a search count, a font): fit again.
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.FontChange):
            self.fit()
        return super().event(event)

    @Slot()
    def on_menu_about_to_show(self) -> None:
        self.menu.clear()
        for item in self._items:
            if not (item.wanted and item.collapsed and item.action is not None):
                continue
            widget, action = item.widget, item.action
            if isinstance(widget, QAbstractButton):
                action.setCheckable(widget.isCheckable())
                action.setChecked(widget.isChecked())
                action.setToolTip(widget.toolTip())
            action.setEnabled(widget.isEnabled())
            self.menu.addAction(action)


class _LineEditAction(QWidgetAction):
    """A text box in the menu standing in for one that left the row: what is typed there
    is typed into the original, and Enter there is Enter there."""

    def __init__(self, source: QLineEdit, label: str, parent: QObject) -> None:
        super().__init__(parent)
        self.source = source
        self.setText(label)

    def createWidget(self, parent: QWidget) -> QWidget:
        edit = QLineEdit(parent)
        edit.setObjectName(f"{self.source.objectName()}Overflow")
        edit.setPlaceholderText(self.source.placeholderText() or self.text())
        edit.setToolTip(self.source.toolTip())
        edit.setClearButtonEnabled(True)
        edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * 28)
        edit.setText(self.source.text())
        edit.setEnabled(self.source.isEnabled())
        edit.textEdited.connect(self.source.setText)
        edit.returnPressed.connect(lambda: self._on_return(edit))
        return edit

    def _on_return(self, edit: QLineEdit) -> None:
        self.source.setText(edit.text())
        self.source.returnPressed.emit()
        menu = edit.parentWidget()
        if isinstance(menu, QMenu):
            menu.close()


class TabListButton(QToolButton):
    """A "⋯" corner button for a tab widget whose tabs do not all fit: the tabs that do not
    fit are hidden from the bar (the current one always stays) and the menu lists every tab,
    so no tab is cut and none hides behind scroll arrows."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self._fitting = False
        self._unwanted: set[int] = set()
        self.setObjectName("tabListButton")
        self.setText(MORE_TEXT)
        self.setAccessibleName("All tabs")
        self.setToolTip("All tabs (not all of them fit at this width)")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setStyleSheet(_NO_MENU_ARROW)
        self.tab_menu = QMenu(self)
        self.tab_menu.aboutToShow.connect(self.on_tab_menu_about_to_show)
        self.setMenu(self.tab_menu)
        tabs.setCornerWidget(self, Qt.Corner.TopRightCorner)
        tabs.currentChanged.connect(lambda _index: self.refit())
        tabs.installEventFilter(self)
        self.hide()

    def set_tab_wanted(self, index: int, wanted: bool) -> None:
        """Offer a tab or not at all (neither in the bar nor in the menu): the owner's
        ``setTabVisible``, which the fitting would otherwise undo."""
        if wanted:
            self._unwanted.discard(index)
        else:
            self._unwanted.add(index)
            self.tabs.setTabVisible(index, False)
        self.refit()

    def is_tab_wanted(self, index: int) -> bool:
        return 0 <= index < self.tabs.count() and index not in self._unwanted

    def hidden_tabs(self) -> list[int]:
        """Indexes of the wanted tabs now only in the menu."""
        return [i for i in self._wanted() if not self.tabs.isTabVisible(i)]

    def _wanted(self) -> list[int]:
        return [i for i in range(self.tabs.count()) if i not in self._unwanted]

    def refit(self) -> None:
        """Show the current tab and the first tabs that fit beside it; list every tab."""
        if self._fitting:
            return
        self._fitting = True
        try:
            self._refit()
        finally:
            self._fitting = False

    def _refit(self) -> None:
        tabs, bar = self.tabs, self.tabs.tabBar()
        wanted = self._wanted()
        widths = {i: bar.tabSizeHint(i).width() for i in wanted}
        room = tabs.width() - 2
        corner = tabs.cornerWidget(Qt.Corner.TopRightCorner)
        if corner is not None and corner is not self:  # this button shares the corner
            room -= corner.sizeHint().width() - (self.sizeHint().width() if self.isVisible() else 0)
        shown = set(wanted)
        current = tabs.currentIndex()
        if sum(widths.values()) > room and current in widths:
            room -= self.sizeHint().width()
            shown, used = {current}, widths[current]
            for index in wanted:  # the first tabs, in order, up to the first misfit
                if index == current:
                    continue
                if used + widths[index] > room:
                    break
                shown.add(index)
                used += widths[index]
        for index in range(tabs.count()):
            if tabs.isTabVisible(index) != (index in shown):
                tabs.setTabVisible(index, index in shown)
        self.setVisible(len(shown) < len(wanted))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tabs and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
            QEvent.Type.Show,
        ):
            self.refit()
        return False

    @Slot()
    def on_tab_menu_about_to_show(self) -> None:
        self.tab_menu.clear()
        current = self.tabs.currentIndex()
        for index in self._wanted():
            action = self.tab_menu.addAction(self.tabs.tabText(index).replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(index == current)
            action.setEnabled(self.tabs.isTabEnabled(index))
            action.triggered.connect(lambda _c=False, i=index: self.open_tab(i))

    def open_tab(self, index: int) -> None:
        self.tabs.setTabVisible(index, True)
        self.tabs.setCurrentIndex(index)
        self.refit()
