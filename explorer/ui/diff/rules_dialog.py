"""Diff settings: which fields are volatile (left out) and which identify array items.

The offered volatile fields (trace ids, timestamps, ``Date``, ids, caching headers) are
listed with a box each, ticked when they are in use; the user adds their own patterns,
removes them, or goes back to the defaults. A pattern that cannot be used is named with
what to write instead, and what was typed stays in the box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.diff_rules import (
    DEFAULT_ID_KEYS,
    DEFAULT_VOLATILE,
    OFFERED_VOLATILE,
    DiffRules,
    DiffRulesError,
    check_pattern,
)
from explorer.ui.plain import plain_labels


class DiffRulesDialog(QDialog):
    """Edits :class:`DiffRules`; :meth:`rules` gives the result after Accept."""

    def __init__(self, rules: DiffRules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Diff settings")
        self.setObjectName("diffRulesDialog")
        intro = QLabel(
            "Ticked fields are left out of every comparison: their values are expected to "
            "differ. A name matches that field anywhere (traceID, *Time); a path matches "
            "from the top (headers.date, body.data[*].status)."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "dim")
        self.volatile = QListWidget()
        self.volatile.setObjectName("volatileList")
        self.volatile.setAccessibleName("Volatile fields")
        self.new_pattern = QLineEdit(placeholderText="Add a field or path: *Token, body.meta")
        self.new_pattern.setObjectName("newVolatile")
        self.new_pattern.setAccessibleName("New volatile field")
        self.add_button = QPushButton("Add")
        self.add_button.setObjectName("addVolatile")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected field from the list")
        self.defaults_button = QPushButton("Restore defaults")
        self.problem = QLabel("")
        self.problem.setObjectName("diffRulesProblem")
        self.problem.setProperty("role", "warning")
        self.problem.setWordWrap(True)
        plain_labels(self.problem)
        self.problem.hide()
        self.id_keys = QLineEdit()
        self.id_keys.setObjectName("idKeys")
        self.id_keys.setAccessibleName("Fields that identify array items")
        self.id_keys.setToolTip(
            "Arrays of objects are matched by the first of these fields that every object "
            "has, with a different value each; separate them with commas."
        )
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_pattern, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        form = QFormLayout()
        form.addRow("Identify array items by", self.id_keys)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(self.defaults_button, QDialogButtonBox.ButtonRole.ResetRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.volatile, 1)
        layout.addLayout(add_row)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.add_button.clicked.connect(self.on_add_clicked)
        self.new_pattern.returnPressed.connect(self.on_add_clicked)
        self.remove_button.clicked.connect(self.on_remove_clicked)
        self.defaults_button.clicked.connect(lambda: self.load(DiffRules()))
        self.buttons.accepted.connect(self.on_accepted)
        self.buttons.rejected.connect(self.reject)
        self._result = rules
        self.load(rules)
        self.resize(460, 520)

    def load(self, rules: DiffRules) -> None:
        self.volatile.clear()
        for pattern in dict.fromkeys((*OFFERED_VOLATILE, *rules.volatile)):
            self._add_item(pattern, checked=pattern in rules.volatile)
        self.id_keys.setText(", ".join(rules.id_keys))
        self.show_problem("")

    def _add_item(self, pattern: str, *, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(pattern)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        if pattern in DEFAULT_VOLATILE:
            item.setToolTip("Left out by default")
        self.volatile.addItem(item)
        return item

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def patterns(self) -> list[str]:
        return [self.volatile.item(i).text() for i in range(self.volatile.count())]

    @Slot()
    def on_add_clicked(self) -> None:
        try:
            pattern = check_pattern(self.new_pattern.text())
        except DiffRulesError as exc:
            self.show_problem(str(exc))
            return
        self.show_problem("")
        if pattern in self.patterns():
            found = self.volatile.findItems(pattern, Qt.MatchFlag.MatchExactly)[0]
            found.setCheckState(Qt.CheckState.Checked)
            self.volatile.setCurrentItem(found)
        else:
            self.volatile.setCurrentItem(self._add_item(pattern, checked=True))
        self.new_pattern.clear()

    @Slot()
    def on_remove_clicked(self) -> None:
        for item in self.volatile.selectedItems():
            self.volatile.takeItem(self.volatile.row(item))

    def chosen(self) -> DiffRules:
        """The rules as the dialog shows them; raises DiffRulesError."""
        volatile = [
            self.volatile.item(i).text()
            for i in range(self.volatile.count())
            if self.volatile.item(i).checkState() == Qt.CheckState.Checked
        ]
        keys = [key.strip() for key in self.id_keys.text().split(",") if key.strip()]
        return DiffRules.of(volatile, keys or DEFAULT_ID_KEYS)

    @Slot()
    def on_accepted(self) -> None:
        try:
            self._result = self.chosen()
        except DiffRulesError as exc:
            self.show_problem(str(exc))
            return
        self.accept()

    def rules(self) -> DiffRules:
        return self._result
