"""One way to ask: the window's question methods are Questions put to one ask function
(the real one opens Qt dialogs; here a script answers and records what was asked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from explorer.ui.ask import Question, QuestionKind, Questions


class Script:
    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.asked: list[Question] = []

    def __call__(self, question: Question) -> Any:
        self.asked.append(question)
        return self.answers.pop(0)


def test_each_method_is_one_question_of_its_kind(tmp_path: Path) -> None:
    script = Script(str(tmp_path), (str(tmp_path / "b.har"), "HAR (*.har)"), "name", True, None)
    questions = Questions(script)
    assert questions.folder("Folder for saved requests", "/start") == tmp_path
    assert questions.save_file("Export", "/start/x.har", ["HAR (*.har)", "MD (*.md)"]) == (
        tmp_path / "b.har",
        "HAR (*.har)",
    )
    assert questions.text("Save request", "Name:", "default") == "name"
    assert questions.confirm("Delete", "Delete the file?", action="Delete") is True
    questions.error("Saved requests", "It could not be read.")
    kinds = [q.kind for q in script.asked]
    assert kinds == [
        QuestionKind.FOLDER,
        QuestionKind.SAVE_FILE,
        QuestionKind.TEXT,
        QuestionKind.CONFIRM,
        QuestionKind.WARNING,
    ]
    folder, save, text, confirm, error = script.asked
    assert folder.default == "/start" and save.options == ("HAR (*.har)", "MD (*.md)")
    assert text.default == "default" and text.text == "Name:"
    assert confirm.action == "Delete" and error.text == "It could not be read."


def test_cancelled_questions_answer_none() -> None:
    questions = Questions(Script(None, None, None, False))
    assert questions.folder("Folder") is None
    assert questions.save_file("Export", "", ["HAR (*.har)"]) is None
    assert questions.text("Name", "Name:") is None
    assert questions.confirm("Delete", "Sure?") is False
