"""The Environments tab of the profile editor: presets to read, custom ones to edit.

Production and Staging are Thumbtack's documented URLs and cannot be changed; the Sandbox
runs on this computer and gets its URLs when it starts. Custom environments (a partner's
proxy, a third-party OAuth server) have a name, an API base, an authorize URL and a token
URL, each checked with the problem shown beside the field.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
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

from explorer.core.environments import Environment, EnvironmentKind, custom_environment
from explorer.ui.ask import Question, QuestionKind
from explorer.ui.session.controller import SessionController

_FIELDS = ("name", "id", "api_base", "authorize_url", "token_url")


def slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9._-]+", "-", name.strip().lower()).strip("-._")
    return text[:64] or "custom"


class EnvironmentEditor(QWidget):
    """Lists every environment; edits the custom ones."""

    saved = Signal()

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.list = QListWidget()
        self.list.setObjectName("environmentList")
        self.new_button = QPushButton("New custom…")
        self.delete_button = QPushButton("Delete")
        self.name = QLineEdit()
        self.env_id = QLineEdit()
        self.env_id.setPlaceholderText("made from the name when empty")
        self.api_base = QLineEdit()
        self.api_base.setPlaceholderText("https://api.example.com/api/")
        self.authorize_url = QLineEdit()
        self.authorize_url.setPlaceholderText("https://auth.example.com/oauth2/auth")
        self.token_url = QLineEdit()
        self.token_url.setPlaceholderText("https://auth.example.com/oauth2/token")
        self.thumbtack = QCheckBox("This is Thumbtack's Partner API (a proxy in front of it)")
        self.thumbtack.setObjectName("environmentIsThumbtack")
        self.thumbtack.setToolTip(
            "Its answers get Thumbtack's documented meanings; any other host gets the "
            "HTTP meaning of its status."
        )
        self.note = QLabel("")
        self.note.setProperty("role", "dim")
        self.note.setWordWrap(True)
        self.save_button = QPushButton("Save environment")
        self.save_button.setObjectName("saveEnvironment")
        self.issues = {key: QLabel("") for key in _FIELDS}
        for label in self.issues.values():
            label.setProperty("role", "error")
            label.setWordWrap(True)
            label.hide()

        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)
        form = QFormLayout()
        form.addRow(self.note)
        for title, key, widget in (
            ("Name", "name", self.name),
            ("ID", "id", self.env_id),
            ("API base", "api_base", self.api_base),
            ("Authorize URL", "authorize_url", self.authorize_url),
            ("Token URL", "token_url", self.token_url),
        ):
            form.addRow(title, widget)
            form.addRow("", self.issues[key])
        form.addRow("", self.thumbtack)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 5)

        self.list.currentItemChanged.connect(self.on_list_current_changed)
        self.new_button.clicked.connect(self.on_new_clicked)
        self.save_button.clicked.connect(self.on_save_clicked)
        self.delete_button.clicked.connect(self.on_delete_clicked)
        self.editing: Environment | None = None
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for env in self.controller.environments():
            suffix = {
                EnvironmentKind.PRODUCTION: "  (preset)",
                EnvironmentKind.STAGING: "  (preset)",
                EnvironmentKind.SANDBOX: "  (on this computer)",
            }.get(env.kind, "")
            item = QListWidgetItem(env.name + suffix)
            item.setData(Qt.ItemDataRole.UserRole, env.id)
            self.list.addItem(item)
            if env.id == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.on_list_current_changed(self.list.currentItem(), None)

    @Slot(QListWidgetItem, QListWidgetItem)
    def on_list_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is None:
            return
        env = self.controller.environment_for(str(current.data(Qt.ItemDataRole.UserRole)))
        self.load(env)

    def load(self, env: Environment | None) -> None:
        self.editing = env
        custom = env is None or env.kind is EnvironmentKind.CUSTOM
        values = env.to_dict() if env else dict.fromkeys(_FIELDS, "")
        for key, edit in self._edits().items():
            edit.setText(str(values.get(key, "")))
            edit.setReadOnly(not custom)
        self.env_id.setReadOnly(env is not None)
        self.thumbtack.setChecked(env.speaks_thumbtack if env is not None else False)
        self.thumbtack.setEnabled(custom)
        self.save_button.setEnabled(custom)
        self.delete_button.setEnabled(env is not None and custom)
        if env is not None and env.is_preset:
            note = f"{env.name} is Thumbtack's documented environment; it cannot be changed."
        elif env is not None and env.kind is EnvironmentKind.SANDBOX:
            note = (
                "The Sandbox runs on this computer; its URLs are filled in when it starts. "
                "It simulates the Thumbtack API and is not Thumbtack."
            )
        else:
            note = "A custom environment: a partner's proxy or another OAuth 2.0 server."
        self.note.setText(note)
        self._show_problems([])

    def _edits(self) -> dict[str, QLineEdit]:
        return {
            "name": self.name,
            "id": self.env_id,
            "api_base": self.api_base,
            "authorize_url": self.authorize_url,
            "token_url": self.token_url,
        }

    def _show_problems(self, problems: list[str]) -> None:
        by_field: dict[str, list[str]] = {key: [] for key in _FIELDS}
        for problem in problems:
            key, _, message = problem.partition(": ")
            by_field.get(key, by_field["name"]).append(message or problem)
        for key, label in self.issues.items():
            label.setText("\n".join("✖ " + m for m in by_field[key]))
            label.setVisible(bool(by_field[key]))

    @Slot()
    def on_new_clicked(self) -> None:
        self.list.clearSelection()
        self.load(None)
        self.name.setFocus()

    @Slot()
    def on_save_clicked(self) -> None:
        env_id = self.env_id.text().strip() or slug(self.name.text())
        try:
            env = custom_environment(
                id=env_id,
                name=self.name.text().strip(),
                api_base=self.api_base.text().strip(),
                token_url=self.token_url.text().strip(),
                authorize_url=self.authorize_url.text().strip(),
                thumbtack=self.thumbtack.isChecked(),
            )
            self.controller.profiles.save_environment(env)
        except ValueError as exc:
            self._show_problems(str(exc).split("; "))
            return
        except OSError as exc:
            self._show_problems([f"name: could not save ({exc.strerror or exc})"])
            return
        self.controller.profiles_changed.emit()
        self.reload(select=env.id)
        self.saved.emit()

    @Slot()
    def on_delete_clicked(self) -> None:
        env = self.editing
        if env is None or env.kind is not EnvironmentKind.CUSTOM:
            return
        if not self.controller.ask(
            Question(
                kind=QuestionKind.CONFIRM,
                title="Delete environment",
                text=f"Delete the environment '{env.name}'?",
            )
        ):
            return
        try:
            self.controller.profiles.remove_environment(env.id)
        except ValueError as exc:
            self._show_problems([f"name: {exc}"])
            return
        self.controller.profiles_changed.emit()
        self.reload()
        self.saved.emit()
