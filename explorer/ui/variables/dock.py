"""The Variables editor: every ``{{name}}`` the current environment knows, where each
value comes from, and a form to define, change or remove one.

Plain values are written to the variables file; a secret's value goes to the keychain or
the encrypted vault (the form asks the store to open first when it is locked) and is shown
masked everywhere. Values captured from responses are listed with the request they came
from; "Keep" makes one a variable of the environment. Built-ins are listed, read only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.variables import WORKSPACE, Variable, VariableSource, name_problem
from explorer.ui.variables.service import VariablesService

#: ``ensure_store(then)``: open the secret store (asking for the vault's passphrase or a
#: fallback if needed), then call ``then()``.
EnsureStore = Callable[[Callable[[], None]], None]


class VariablesDock(QDockWidget):
    """The Variables editor (View ▸ Variables, Ctrl+Shift+V)."""

    message = Signal(str)

    def __init__(
        self,
        service: VariablesService,
        *,
        presentation: Callable[[], bool] = lambda: False,
        ensure_store: EnsureStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Variables", parent)
        self.service = service
        self._presentation = presentation
        self._ensure_store = ensure_store
        self.setObjectName("variablesDock")
        self.action = self.toggleViewAction()
        self.action.setText("&Variables")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.action.setObjectName("variablesAction")

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        self.heading = QLabel()
        self.heading.setObjectName("variablesHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        self.table = QTreeWidget()
        self.table.setObjectName("variablesTable")
        self.table.setAccessibleName("Variables")
        self.table.setColumnCount(3)
        self.table.setHeaderLabels(["Name", "Value", "Comes from"])
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 150)  # the value matters most; the tooltip says the rest
        self.table.itemSelectionChanged.connect(self._on_selected)
        layout.addWidget(self.table, 1)

        form_box = QWidget()
        form = QFormLayout(form_box)
        form.setContentsMargins(0, 4, 0, 0)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("variableName")
        self.name_edit.setPlaceholderText("searchID")
        self.name_edit.setAccessibleName("Variable name")
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("variableValue")
        self.value_edit.setAccessibleName("Variable value")
        self.secret_box = QCheckBox("Secret: kept in the keychain or vault, shown masked")
        self.secret_box.setObjectName("variableSecret")
        self.secret_box.toggled.connect(self._on_secret_toggled)
        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("variableScope")
        self.scope_combo.setAccessibleName("Defined in")
        form.addRow("&Name", self.name_edit)
        form.addRow("V&alue", self.value_edit)
        form.addRow("", self.secret_box)
        form.addRow("&Defined in", self.scope_combo)
        layout.addWidget(form_box)
        self.note = QLabel("")
        self.note.setObjectName("variableNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save variable")
        self.save_button.setObjectName("saveVariable")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_current)
        self.new_button = QPushButton("&New")
        self.new_button.setObjectName("newVariable")
        self.new_button.clicked.connect(lambda: self.define_variable(""))
        self.keep_button = QPushButton("&Keep in environment")
        self.keep_button.setObjectName("keepVariable")
        self.keep_button.setToolTip("Make this captured value a variable of the environment")
        self.keep_button.clicked.connect(self.keep_selected)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setObjectName("removeVariable")
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.save_button, self.new_button, self.keep_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.name_edit.returnPressed.connect(self.value_edit.setFocus)
        self.value_edit.returnPressed.connect(self.save_current)
        # In a small window the dock scrolls rather than pushing the window taller.
        outer = QScrollArea()
        outer.setObjectName("variablesScroll")
        outer.setWidgetResizable(True)
        outer.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.setWidget(body)
        outer.setMinimumHeight(160)
        self.scroll_area = outer
        self.setWidget(outer)
        service.changed.connect(self.refresh)
        self.refresh()

    # ----- showing --------------------------------------------------------------------------
    def refresh(self) -> None:
        service = self.service
        env = service.environment_name
        self.heading.setText(
            f"What {{{{name}}}} means in <b>{_escape(env)}</b>: built-ins first, then values "
            "captured from responses, the environment's variables and the workspace's."
        )
        scope = self.scope_combo.currentData()
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem(f"This environment ({env})", service.environment_id)
        self.scope_combo.addItem("Workspace (every environment)", WORKSPACE)
        index = self.scope_combo.findData(scope)
        self.scope_combo.setCurrentIndex(max(index, 0))
        self.scope_combo.blockSignals(False)
        selected = self.selected_name()
        variables = sorted(
            service.variables().values(),
            key=lambda v: (list(VariableSource).index(v.source), v.name.lower()),
        )
        presentation = self._presentation()
        self.table.blockSignals(True)
        self.table.clear()
        for variable in variables:
            cells = [
                "{{" + variable.name + "}}",
                variable.shown(presentation=presentation),
                variable.origin(),
            ]
            tip = "\n".join(t for t in (variable.origin(), variable.description) if t)
            item = QTreeWidgetItem(cells)
            item.setData(0, Qt.ItemDataRole.UserRole, variable)
            for column in range(3):
                item.setToolTip(column, tip if column else f"{{{{{variable.name}}}}}: {tip}")
            self.table.addTopLevelItem(item)
        self.table.blockSignals(False)
        if selected:
            self.select(selected)
        self._update_buttons()

    def selected_variable(self) -> Variable | None:
        items = self.table.selectedItems()
        if not items:
            return None
        found = items[0].data(0, Qt.ItemDataRole.UserRole)
        return found if isinstance(found, Variable) else None

    def selected_name(self) -> str:
        variable = self.selected_variable()
        return variable.name if variable is not None else ""

    def select(self, name: str) -> bool:
        for row in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(row)
            if item is not None and item.text(0) == "{{" + name + "}}":
                self.table.setCurrentItem(item)
                return True
        return False

    def rows(self) -> list[tuple[str, str, str]]:
        """What the table shows, row by row (name, value, where it comes from)."""
        out: list[tuple[str, str, str]] = []
        for row in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(row)
            if item is not None:
                out.append((item.text(0), item.text(1), item.text(2)))
        return out

    def _on_selected(self) -> None:
        variable = self.selected_variable()
        if variable is None:
            self._update_buttons()
            return
        self.name_edit.setText(variable.name)
        editable = variable.source in (VariableSource.ENVIRONMENT, VariableSource.WORKSPACE)
        self.secret_box.setChecked(variable.secret)
        # a secret's value is never put back into a field: type a new one to change it
        self.value_edit.setText("" if variable.secret else (variable.value or ""))
        self.value_edit.setPlaceholderText(
            "type a new value to replace the secret" if variable.secret else ""
        )
        scope = WORKSPACE if variable.source is VariableSource.WORKSPACE else None
        self.scope_combo.setCurrentIndex(1 if scope == WORKSPACE else 0)
        if variable.source is VariableSource.BUILTIN:
            self.note.setText(
                f"{{{{{variable.name}}}}} is {variable.where.removeprefix('built-in: ')}."
            )
        elif variable.source is VariableSource.CAPTURED:
            self.note.setText(
                f"Captured this run ({variable.where}); Keep makes it a variable of "
                "the environment."
            )
        else:
            self.note.setText("" if editable else variable.origin())
        self._update_buttons()

    def _update_buttons(self) -> None:
        variable = self.selected_variable()
        source = variable.source if variable is not None else None
        self.keep_button.setEnabled(source is VariableSource.CAPTURED)
        self.remove_button.setEnabled(
            source
            in (VariableSource.ENVIRONMENT, VariableSource.WORKSPACE, VariableSource.CAPTURED)
        )

    def _on_secret_toggled(self, secret: bool) -> None:
        mode = QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal
        self.value_edit.setEchoMode(mode)

    # ----- editing --------------------------------------------------------------------------
    def define_variable(self, name: str) -> None:
        """Open the editor on ``name`` (a new variable of this environment when it has no
        value yet), the value field ready for typing."""
        self.setVisible(True)
        self.raise_()
        self.table.clearSelection()
        if name and self.select(name):
            variable = self.selected_variable()
            if variable is not None and variable.source in (
                VariableSource.ENVIRONMENT,
                VariableSource.WORKSPACE,
            ):
                self.value_edit.setFocus()
                self.value_edit.selectAll()
                self.scroll_area.ensureWidgetVisible(self.save_button)
                return
        self.table.clearSelection()
        self.name_edit.setText(name)
        self.value_edit.clear()
        self.value_edit.setPlaceholderText("")
        self.secret_box.setChecked(False)
        self.scope_combo.setCurrentIndex(0)
        self.note.setText(
            f"Define {{{{{name}}}}}: type its value and press Enter." if name else "A new variable."
        )
        target = self.value_edit if name else self.name_edit
        target.setFocus()
        self.scroll_area.ensureWidgetVisible(self.save_button)

    def save_current(self) -> None:
        name = self.name_edit.text().strip()
        problem = name_problem(name) if name else "Type the variable's name first."
        if problem:
            self._say(problem)
            self.name_edit.setFocus()
            return
        secret = self.secret_box.isChecked()
        value = self.value_edit.text()
        scope = str(self.scope_combo.currentData() or self.service.environment_id)
        if secret and not value:
            existing = self.service.lookup(name)
            if existing is not None and existing.secret:
                self._say("Type a new value to replace the secret (it is never shown).")
                return

        def save() -> None:
            failure = self.service.define(scope, name, value, secret=secret)
            if failure:
                self._say(failure)
                return
            where = "this environment" if scope != WORKSPACE else "the workspace"
            kept = " in the secret store" if secret else ""
            self._say(f"Saved {{{{{name}}}}} in {where}{kept}.")
            if secret:
                self.value_edit.clear()
            self.select(name)

        if secret and self._ensure_store is not None:
            self._ensure_store(save)
        else:
            save()

    def remove_selected(self) -> None:
        variable = self.selected_variable()
        if variable is None:
            return
        if variable.source is VariableSource.CAPTURED:
            self.service.forget_captured(variable.name)
            self._say(f"Forgot the captured {{{{{variable.name}}}}}.")
            return
        scope = (
            WORKSPACE
            if variable.source is VariableSource.WORKSPACE
            else self.service.environment_id
        )

        def remove() -> None:
            failure = self.service.remove(scope, variable.name)
            self._say(failure or f"Removed {{{{{variable.name}}}}}.")

        if variable.secret and self._ensure_store is not None:
            self._ensure_store(remove)
        else:
            remove()

    def keep_selected(self) -> None:
        variable = self.selected_variable()
        if variable is None or variable.source is not VariableSource.CAPTURED:
            return
        failure = self.service.define(
            self.service.environment_id, variable.name, variable.value or ""
        )
        if not failure:
            self.service.forget_captured(variable.name)
        self._say(failure or f"Kept {{{{{variable.name}}}}} in this environment.")

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.message.emit(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
