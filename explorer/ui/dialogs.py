"""File, folder, name and confirmation dialogs for the history, saved-request and bundle views.

Panels never open a ``QFileDialog``, ``QInputDialog`` or ``QMessageBox`` themselves; they
call the window's :class:`Ask`. Tests replace it with an object that answers from a
script, so every flow runs without a dialog blocking the event loop.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class Ask:
    """Modal questions: folders, files, names, confirmations and error messages."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent

    def folder(self, title: str, start: str = "") -> Path | None:
        """A folder the user picked, or None when cancelled."""
        chosen = QFileDialog.getExistingDirectory(self.parent, title, start)
        return Path(chosen) if chosen else None

    def save_file(self, title: str, start: str, filters: list[str]) -> tuple[Path, str] | None:
        """A file to write and the filter the user chose, or None when cancelled."""
        path, chosen = QFileDialog.getSaveFileName(self.parent, title, start, ";;".join(filters))
        return (Path(path), chosen) if path else None

    def open_file(self, title: str, start: str, filters: list[str]) -> Path | None:
        """A file to read, or None when cancelled."""
        path, _chosen = QFileDialog.getOpenFileName(self.parent, title, start, ";;".join(filters))
        return Path(path) if path else None

    def text(self, title: str, label: str, default: str = "") -> str | None:
        """One line of text, or None when cancelled."""
        value, ok = QInputDialog.getText(
            self.parent, title, label, QLineEdit.EchoMode.Normal, default
        )
        return value if ok else None

    def confirm(self, title: str, text: str, *, action: str = "OK") -> bool:
        """True when the user agreed to ``action``."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes

    def error(self, title: str, text: str) -> None:
        """Tell the user something went wrong and what to do."""
        QMessageBox.warning(self.parent, title, text)
