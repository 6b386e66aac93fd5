"""``{{`` in the request form: completion, a hover that says what a name means, and a
"Define it" bar for each name that has no value.

:class:`VariableAssist` attaches itself to every editable text field under a widget (the
URL, the parameter and header fields, the body editors, the raw JSON editor), again
whenever the form is rebuilt. Typing ``{{`` offers the names the current environment
knows; hovering over a ``{{name}}`` shows its value (masked when secret, or personal data
in presentation mode) and where it comes from. :class:`UndefinedBar` lists, in words and
with a ⚠ mark (never colour alone), each name that has no value, with one button that
opens the Variables editor on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from explorer.core.variables import open_reference, reference_at
from explorer.ui.variables.service import VariablesService

_ATTACHED = "variableAssist"


def describe(service: VariablesService, name: str, *, presentation: bool) -> str:
    """What the hover over ``{{name}}`` says."""
    variable = service.lookup(name)
    if variable is None:
        return (
            f"⚠ {{{{{name}}}}} is not defined in {service.environment_name}: it is sent as "
            "typed. Use “Define it” under the form, or View ▸ Variables."
        )
    value = variable.shown(presentation=presentation)
    return f"{{{{{name}}}}} = {value}\nFrom: {variable.origin()}"


class VariableAssist(QObject):
    """Completion and hover for ``{{name}}`` in the text fields under a widget."""

    def __init__(
        self,
        service: VariablesService,
        *,
        presentation: Callable[[], bool] = lambda: False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._presentation = presentation
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.activated.connect(self._insert)
        popup = self.completer.popup()
        assert popup is not None  # a completer always has its popup
        self.popup: QAbstractItemView = popup
        popup.setObjectName("variableCompletions")
        self._target: QWidget | None = None

    # ----- attaching ------------------------------------------------------------------------
    def attach_under(self, root: QWidget) -> int:
        """Attach to every editable text field under ``root`` not yet attached; the number
        of fields attached now."""
        count = 0
        for widget in root.findChildren(QLineEdit) + root.findChildren(QPlainTextEdit):
            if widget.property(_ATTACHED) or widget.isReadOnly():
                continue
            if isinstance(widget, QLineEdit) and widget.echoMode() != QLineEdit.EchoMode.Normal:
                continue
            if (
                isinstance(widget.parent(), QWidget)
                and widget.objectName() == "qt_spinbox_lineedit"
            ):
                continue
            self.attach(widget)
            count += 1
        return count

    def attach(self, widget: QLineEdit | QPlainTextEdit) -> None:
        widget.setProperty(_ATTACHED, True)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _text, w=widget: self._maybe_complete(w))
            widget.installEventFilter(self)
        else:
            widget.textChanged.connect(lambda w=widget: self._maybe_complete(w))
            widget.viewport().installEventFilter(self)

    # ----- completion -----------------------------------------------------------------------
    @staticmethod
    def _before_cursor(widget: QWidget) -> str:
        if isinstance(widget, QLineEdit):
            return widget.text()[: widget.cursorPosition()]
        if isinstance(widget, QPlainTextEdit):
            cursor = widget.textCursor()
            return cursor.block().text()[: cursor.positionInBlock()]
        return ""

    def _maybe_complete(self, widget: QWidget) -> None:
        if not widget.hasFocus():
            return
        partial = open_reference(self._before_cursor(widget))
        popup = self.popup
        if partial is None:
            popup.hide()
            return
        names = self.service.names()
        self.model.setStringList(names)
        self._target = widget
        self.completer.setWidget(widget)
        self.completer.setCompletionPrefix(partial)
        if self.completer.completionCount() == 0:
            popup.hide()
            return
        if isinstance(widget, QLineEdit):
            rect = widget.cursorRect()
        elif isinstance(widget, QPlainTextEdit):
            rect = widget.cursorRect(widget.textCursor())
        else:
            return
        rect.setWidth(max(220, popup.sizeHintForColumn(0) + 30))
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
        self.completer.complete(rect)

    def _insert(self, name: str) -> None:
        widget = self._target
        if widget is None:
            return
        partial = open_reference(self._before_cursor(widget)) or ""
        if isinstance(widget, QLineEdit):
            text, at = widget.text(), widget.cursorPosition()
            closing = "" if text[at : at + 2] == "}}" else "}}"
            start = at - len(partial)
            new = text[:start] + name + closing + text[at:]
            widget.setText(new)
            widget.setCursorPosition(start + len(name) + 2)
            widget.textEdited.emit(new)  # the form reads what the user typed
        elif isinstance(widget, QPlainTextEdit):
            cursor = widget.textCursor()
            block = cursor.block().text()
            at = cursor.positionInBlock()
            closing = "" if block[at : at + 2] == "}}" else "}}"
            cursor.movePosition(cursor.MoveOperation.Left, cursor.MoveMode.KeepAnchor, len(partial))
            cursor.insertText(name + closing)
            if not closing:
                cursor.movePosition(cursor.MoveOperation.Right, cursor.MoveMode.MoveAnchor, 2)
            widget.setTextCursor(cursor)
        self.popup.hide()

    # ----- hover ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        text = self.hover_text(watched, event.pos())
        if not text:
            return False
        widget = watched if isinstance(watched, QWidget) else None
        QToolTip.showText(event.globalPos(), text, widget)
        return True

    def hover_text(self, watched: QObject, pos: Any) -> str:
        """What the hover at ``pos`` (in ``watched``'s coordinates) says; "" off a name."""
        if isinstance(watched, QLineEdit):
            text, index = watched.text(), watched.cursorPositionAt(pos)
        else:
            editor = watched.parent() if isinstance(watched, QWidget) else None
            if not isinstance(editor, QPlainTextEdit):
                return ""
            cursor = editor.cursorForPosition(pos)
            text, index = cursor.block().text(), cursor.positionInBlock()
        ref = reference_at(text, index)
        if ref is None:
            return ""
        return describe(self.service, ref.name, presentation=self._presentation())


class UndefinedBar(QWidget):
    """One line per ``{{name}}`` without a value: "⚠ {{name}} is not defined" [Define it]."""

    define_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undefinedVariables")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.names: list[str] = []
        self.buttons: dict[str, QPushButton] = {}
        self.hide()

    def show_names(self, names: list[str], environment: str) -> None:
        if names == self.names:
            return
        self.names = list(names)
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        for name in names[:4]:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            label = QLabel(f"⚠ {{{{{name}}}}} is not defined in {environment}")
            label.setObjectName("undefinedVariable")
            label.setProperty("note", "warning")
            button = QPushButton("Define it…")
            button.setObjectName(f"define_{name}")
            button.setAccessibleName(f"Define the variable {name}")
            button.clicked.connect(lambda _=False, n=name: self.define_requested.emit(n))
            line.addWidget(label, 1)
            line.addWidget(button)
            self._layout.addWidget(row)
            self.buttons[name] = button
        if len(names) > 4:
            self._layout.addWidget(QLabel(f"… and {len(names) - 4} more (see the problems above)"))
        self.setVisible(bool(names))
