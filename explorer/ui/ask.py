"""Every modal question the profile and token views ask, through one small function object.

The views never open a message box themselves: they build a :class:`Question` and call
``ask(question)``. :class:`DialogAsk` answers with real Qt dialogs; tests pass a plain
function that answers from a script and records what was asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class QuestionKind(StrEnum):
    """What sort of answer is wanted."""

    CHOICE = "choice"  # answer: index into ``options``, or None when cancelled
    PASSPHRASE = "passphrase"  # answer: the text, or None
    CONFIRM = "confirm"  # answer: bool
    OPEN_FILE = "open_file"  # answer: a path text, or None
    SAVE_FILE = "save_file"  # answer: a path text, or None
    INFO = "info"  # answer: None (a message the user acknowledges)
    WARNING = "warning"  # answer: None (something went wrong; the user acknowledges it)


@dataclass(frozen=True, kw_only=True)
class Question:
    """One question: kind, title, text and (for a choice) the options in words."""

    kind: QuestionKind
    title: str
    text: str
    options: tuple[str, ...] = ()
    confirm_twice: bool = False  # a passphrase being created is typed twice
    file_filter: str = "Profiles (*.json);;All files (*)"


Ask = Callable[[Question], Any]


class DialogAsk:
    """Answers questions with Qt's standard dialogs, parented to ``parent``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def __call__(self, question: Question) -> Any:
        handler = {
            QuestionKind.CHOICE: self._choice,
            QuestionKind.PASSPHRASE: self._passphrase,
            QuestionKind.CONFIRM: self._confirm,
            QuestionKind.OPEN_FILE: self._open_file,
            QuestionKind.SAVE_FILE: self._save_file,
            QuestionKind.INFO: self._info,
            QuestionKind.WARNING: self._warning,
        }[question.kind]
        return handler(question)

    def _choice(self, q: Question) -> int | None:
        box = QMessageBox(QMessageBox.Icon.Question, q.title, q.text, parent=self.parent)
        buttons = [box.addButton(option, QMessageBox.ButtonRole.AcceptRole) for option in q.options]
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return buttons.index(clicked) if clicked in buttons else None  # type: ignore[arg-type]

    def _passphrase(self, q: Question) -> str | None:
        while True:
            text, ok = QInputDialog.getText(
                self.parent, q.title, q.text, QLineEdit.EchoMode.Password
            )
            if not ok:
                return None
            if not text:
                continue
            if not q.confirm_twice:
                return str(text)
            again, ok = QInputDialog.getText(
                self.parent, q.title, "Type the passphrase again:", QLineEdit.EchoMode.Password
            )
            if not ok:
                return None
            if again == text:
                return str(text)
            QMessageBox.warning(self.parent, q.title, "The two passphrases differ; try again.")

    def _confirm(self, q: Question) -> bool:
        answer = QMessageBox.question(self.parent, q.title, q.text)
        return answer == QMessageBox.StandardButton.Yes

    def _open_file(self, q: Question) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, q.title, "", q.file_filter)
        return str(path) or None

    def _save_file(self, q: Question) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, q.title, q.text, q.file_filter)
        return str(path) or None

    def _info(self, q: Question) -> None:
        QMessageBox.information(self.parent, q.title, q.text)

    def _warning(self, q: Question) -> None:
        QMessageBox.warning(self.parent, q.title, q.text)
