"""Guards against the PySide6 release that aborts after thousands of setter calls on 3.11."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit


def test_tens_of_thousands_of_setter_calls_do_not_crash(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    edit = QPlainTextEdit()
    qtbot.addWidget(label)
    qtbot.addWidget(edit)
    for i in range(30000):
        label.setText(str(i))
    for i in range(5000):
        edit.setPlainText(str(i))
    assert label.text() == "29999"
    assert edit.toPlainText() == "4999"
