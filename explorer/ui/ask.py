"""Every modal question the window asks, through one small function object.

The views never open a message box themselves: they build a :class:`Question` and call
``ask(question)``. :class:`DialogAsk` answers with real Qt dialogs; tests pass a plain
function that answers from a script and records what was asked. :class:`Questions` puts
the same questions as methods (``folder``, ``save_file``, ``text``, ``confirm``,
``error``), for the history, saved requests and bundles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class QuestionKind(StrEnum):
    """What sort of answer is wanted."""

    CHOICE = "choice"  # answer: index into ``options``, or None when cancelled
    PASSPHRASE = "passphrase"  # answer: the text, or None
    CONFIRM = "confirm"  # answer: bool
    OPEN_FILE = "open_file"  # answer: a path text, or None (options: the filters)
    SAVE_FILE = "save_file"  # answer: a path text, or None; with options: (path, filter)
    FOLDER = "folder"  # answer: a folder path text, or None
    TEXT = "text"  # answer: one line of text, or None when cancelled
    INFO = "info"  # answer: None (a message the user acknowledges)
    WARNING = "warning"  # answer: None (something went wrong; the user acknowledges it)


@dataclass(frozen=True, kw_only=True)
class Question:
    """One question: kind, title, text and (for a choice) the options in words."""

    kind: QuestionKind
    title: str
    text: str
    options: tuple[str, ...] = ()  # a choice's answers; a file's filters (SAVE_FILE)
    confirm_twice: bool = False  # a passphrase being created is typed twice
    file_filter: str = "Profiles (*.json);;All files (*)"
    default: str = ""  # TEXT: the text offered; FOLDER and SAVE_FILE: where to start
    action: str = ""  # CONFIRM: the words on the button that agrees (else Yes/No)


AskFunction = Callable[[Question], Any]


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
            QuestionKind.FOLDER: self._folder,
            QuestionKind.TEXT: self._text,
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
        if not q.action:
            answer = QMessageBox.question(self.parent, q.title, q.text)
            return answer == QMessageBox.StandardButton.Yes
        box = QMessageBox(QMessageBox.Icon.Question, q.title, q.text, parent=self.parent)
        yes = box.addButton(q.action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes

    def _open_file(self, q: Question) -> str | None:
        filters = ";;".join(q.options) if q.options else q.file_filter
        path, _ = QFileDialog.getOpenFileName(self.parent, q.title, q.default, filters)
        return str(path) or None

    def _save_file(self, q: Question) -> str | tuple[str, str] | None:
        if q.options:  # the filters to pick from: the answer says which one was picked
            path, chosen = QFileDialog.getSaveFileName(
                self.parent, q.title, q.default, ";;".join(q.options)
            )
            return (str(path), str(chosen)) if path else None
        path, _ = QFileDialog.getSaveFileName(self.parent, q.title, q.text, q.file_filter)
        return str(path) or None

    def _folder(self, q: Question) -> str | None:
        chosen = QFileDialog.getExistingDirectory(self.parent, q.title, q.default)
        return str(chosen) or None

    def _text(self, q: Question) -> str | None:
        value, ok = QInputDialog.getText(
            self.parent, q.title, q.text, QLineEdit.EchoMode.Normal, q.default
        )
        return str(value) if ok else None

    def _info(self, q: Question) -> None:
        QMessageBox.information(self.parent, q.title, q.text)

    def _warning(self, q: Question) -> None:
        QMessageBox.warning(self.parent, q.title, q.text)


class Questions:
    """The window's questions as methods, each one :class:`Question` put to ``ask``."""

    def __init__(self, ask: AskFunction) -> None:
        self.ask = ask

    def folder(self, title: str, start: str = "") -> Path | None:
        """A folder the user picked, or None when cancelled."""
        chosen = self.ask(Question(kind=QuestionKind.FOLDER, title=title, text="", default=start))
        return Path(chosen) if chosen else None

    def save_file(self, title: str, start: str, filters: list[str]) -> tuple[Path, str] | None:
        """A file to write and the filter the user chose, or None when cancelled."""
        answer = self.ask(
            Question(
                kind=QuestionKind.SAVE_FILE,
                title=title,
                text="",
                default=start,
                options=tuple(filters),
            )
        )
        if not answer:
            return None
        path, chosen = answer
        return Path(path), str(chosen)

    def open_file(self, title: str, start: str, filters: list[str]) -> Path | None:
        """A file to read, or None when cancelled."""
        chosen = self.ask(
            Question(
                kind=QuestionKind.OPEN_FILE,
                title=title,
                text="",
                default=start,
                options=tuple(filters),
            )
        )
        return Path(chosen) if chosen else None

    def text(self, title: str, label: str, default: str = "") -> str | None:
        """One line of text, or None when cancelled."""
        answer = self.ask(
            Question(kind=QuestionKind.TEXT, title=title, text=label, default=default)
        )
        return None if answer is None else str(answer)

    def confirm(self, title: str, text: str, *, action: str = "OK") -> bool:
        """True when the user agreed to ``action``."""
        return bool(
            self.ask(Question(kind=QuestionKind.CONFIRM, title=title, text=text, action=action))
        )

    def error(self, title: str, text: str) -> None:
        """Tell the user something went wrong and what to do."""
        self.ask(Question(kind=QuestionKind.WARNING, title=title, text=text))
