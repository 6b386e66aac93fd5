""" "Save as variable…" on a value of the response body: in the text view, the tree and the
Contract tab's problem rows.

The value under the pointer (or the selected text) becomes ``{{name}}`` at once; the
dialog offers to capture it from every later response of the same request as well
(``name <- $.json.path``), which is what makes the next request follow the last answer.
A customer's personal data is shown masked in the dialog in presentation mode.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.captures import (
    as_text,
    is_personal,
    jsonpath_of,
    path_at,
    suggested_name,
    value_at,
)
from explorer.core.models import ResponseRecord
from explorer.core.redact import MASK
from explorer.core.variables import name_problem

SAVE_LABEL = "Save as variable…"


@dataclass(frozen=True)
class Picked:
    """A value chosen in the response: its text, and where it is (empty: a selection)."""

    value: str
    parts: tuple[str | int, ...] | None = None

    @property
    def path(self) -> str:
        return jsonpath_of(self.parts) if self.parts is not None else ""


def tree_parts(item: QTreeWidgetItem) -> tuple[tuple[str | int, ...], Any] | None:
    """The JSON path of a row of the body tree and its value (None for "… more" rows)."""
    data = item.data(0, Qt.ItemDataRole.UserRole)
    if not isinstance(data, tuple) or item.text(0).startswith("… "):
        return None
    value = data[0]
    parts: list[str | int] = []
    node: QTreeWidgetItem | None = item
    while node is not None and node.parent() is not None:
        parent = node.parent()
        assert parent is not None
        parent_value = parent.data(0, Qt.ItemDataRole.UserRole)[0]
        label = node.text(0)
        if isinstance(parent_value, list):
            parts.append(int(label.strip("[]")))
        else:
            parts.append(label)
        node = parent
    return tuple(reversed(parts)), value


class SaveVariableDialog(QDialog):
    """Name the value; optionally capture it from every response of this request."""

    def __init__(self, picked: Picked, *, shown_value: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveVariableDialog")
        self.setWindowTitle("Save as variable")
        self.picked = picked
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name_edit = QLineEdit(suggested_name(picked.parts or ()) if picked.parts else "")
        self.name_edit.setObjectName("saveVariableName")
        self.name_edit.setAccessibleName("Variable name")
        self.name_edit.selectAll()
        value = QLabel(shown_value if len(shown_value) <= 120 else shown_value[:120] + "…")
        value.setObjectName("saveVariableValue")
        value.setWordWrap(True)
        form.addRow("&Name", self.name_edit)
        form.addRow("Value", value)
        if picked.path:
            form.addRow("From", QLabel(picked.path))
        layout.addLayout(form)
        self.capture_box = QCheckBox(
            f"Also capture it from every response of this request ({picked.path})"
            if picked.path
            else "Also capture it from every response (needs a value of the JSON body)"
        )
        self.capture_box.setObjectName("captureAlways")
        self.capture_box.setChecked(bool(picked.path))
        self.capture_box.setEnabled(bool(picked.path))
        layout.addWidget(self.capture_box)
        self.problem = QLabel("")
        self.problem.setObjectName("saveVariableProblem")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons = buttons
        buttons.accepted.connect(self._check_and_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()

    def _check_and_accept(self) -> None:
        problem = name_problem(self.name) if self.name else "Type a name for the variable."
        if problem:
            self.problem.setText(f"⚠ {problem}")
            self.name_edit.setFocus()
            return
        self.accept()


#: ``save(record, name, value, path, capture_always, personal) -> problem or ""``
Save = Callable[[ResponseRecord, str, str, str, bool, bool], str]


class ResponseValueMenus(QObject):
    """Adds "Save as variable…" to the response pane's body text, tree and Contract rows."""

    saved = Signal(str)  # the variable's name

    def __init__(
        self,
        pane: Any,
        *,
        save: Save,
        presentation: Callable[[], bool],
        record: Callable[[], ResponseRecord | None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``record`` is the response on screen as received (the pane shows it redacted:
        a value is read from the real one, never from its masked copy)."""
        super().__init__(parent)
        self.pane = pane
        self._record = record or (lambda: pane.record)
        self._save = save
        self._presentation = presentation
        self.dialog: SaveVariableDialog | None = None
        self.last_menu: QMenu | None = None
        body = pane.body_view
        for widget, handler in (
            (body.code, self._on_text_menu),
            (body.tree, self._on_tree_menu),
            (pane.contract_view.problems, self._on_contract_menu),
        ):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            widget.customContextMenuRequested.connect(handler)

    # ----- what is under the pointer -------------------------------------------------------
    def record(self) -> ResponseRecord | None:
        found = self._record()
        return found if isinstance(found, ResponseRecord) else None

    def document(self) -> Any:
        record = self.record()
        if record is None or not record.body:
            return None
        try:
            return json.loads(record.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None

    def pick_in_text(self, pos: QPoint) -> Picked | None:
        code: QPlainTextEdit = self.pane.body_view.code
        selected = code.textCursor().selectedText()
        offset = code.cursorForPosition(pos).position()
        text = code.toPlainText()
        parts = path_at(text, offset)
        document = self.document()
        if parts and document is not None:
            try:
                return Picked(as_text(value_at(document, parts)), parts)
            except (KeyError, IndexError, TypeError):
                pass
        if selected:
            return Picked(selected.strip().strip('"'))
        return None

    def pick_in_tree(self, pos: QPoint) -> Picked | None:
        tree: QTreeWidget = self.pane.body_view.tree
        item = tree.itemAt(pos)
        found = tree_parts(item) if item is not None else None
        document = self.document()
        if found is None or not found[0] or document is None:
            return None
        try:  # the tree shows what is on screen; the value is read from the real body
            return Picked(as_text(value_at(document, found[0])), found[0])
        except (KeyError, IndexError, TypeError):
            return None

    def pick_in_contract(self, pos: QPoint) -> Picked | None:
        from explorer.ui.response.contract_view import PARTS_ROLE

        item = self.pane.contract_view.problems.itemAt(pos)
        parts = item.data(0, PARTS_ROLE) if item is not None else None
        document = self.document()
        if not parts or document is None:
            return None
        try:
            return Picked(as_text(value_at(document, parts)), tuple(parts))
        except (KeyError, IndexError, TypeError):
            return None

    # ----- menus ---------------------------------------------------------------------------
    def _menu(self, widget: QWidget, pos: QPoint, picked: Picked | None, base: QMenu) -> None:
        base.addSeparator()
        action = base.addAction(SAVE_LABEL)
        action.setObjectName("saveAsVariable")
        action.setEnabled(picked is not None and self.record() is not None)
        if picked is not None:
            action.triggered.connect(lambda: self.ask(picked))
        self.last_menu = base
        base.popup(widget.mapToGlobal(pos))

    def _on_text_menu(self, pos: QPoint) -> None:
        code = self.pane.body_view.code
        menu = code.createStandardContextMenu(pos)
        menu.setParent(code, menu.windowFlags())
        self._menu(code.viewport(), pos, self.pick_in_text(pos), menu)

    def _on_tree_menu(self, pos: QPoint) -> None:
        tree = self.pane.body_view.tree
        self._menu(tree.viewport(), pos, self.pick_in_tree(pos), QMenu(tree))

    def _on_contract_menu(self, pos: QPoint) -> None:
        problems = self.pane.contract_view.problems
        self._menu(problems.viewport(), pos, self.pick_in_contract(pos), QMenu(problems))

    # ----- saving --------------------------------------------------------------------------
    def ask(self, picked: Picked) -> SaveVariableDialog:
        """Open the dialog for ``picked`` (not modal: the window keeps working)."""
        key = str(picked.parts[-1]) if picked.parts else ""
        personal = is_personal(key, picked.value)
        shown = MASK if personal and self._presentation() else picked.value
        dialog = SaveVariableDialog(picked, shown_value=shown, parent=self.pane.window())
        dialog.accepted.connect(lambda: self._on_accepted(dialog, personal))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_accepted(self, dialog: SaveVariableDialog, personal: bool) -> None:
        record = self.record()
        if record is None:
            return
        picked = dialog.picked
        problem = self._save(
            record,
            dialog.name,
            picked.value,
            picked.path,
            dialog.capture_box.isChecked(),
            personal,
        )
        if not problem:
            self.saved.emit(dialog.name)
