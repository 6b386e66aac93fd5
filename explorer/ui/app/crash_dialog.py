"""The dialog shown after an unexpected error: the program goes on, and a copyable report.

Loaded on the first error only, so that start-up does not pay for it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class CrashDialog(QDialog):
    """Says something went wrong, that the program goes on, and offers a copyable report."""

    def __init__(self, summary: str, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        self.summaries = [summary]
        self.reports = [report]
        layout = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # the error may quote a server
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        layout.addWidget(self.report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.full_report()))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self._refresh()

    def add_report(self, summary: str, report: str) -> None:
        """Another error while this dialog is open: it joins this report."""
        self.summaries.append(summary)
        self.reports.append(report)
        self._refresh()

    def full_report(self) -> str:
        if len(self.reports) == 1:
            return self.reports[0]
        return "\n".join(
            f"----- error {index} of {len(self.reports)} -----\n{report}"
            for index, report in enumerate(self.reports, 1)
        )

    def _refresh(self) -> None:
        count = len(self.summaries)
        first = (
            "An unexpected error happened."
            if count == 1
            else f"{count} unexpected errors happened."
        )
        shown = "\n".join(self.summaries[:5]) + (
            f"\n… and {count - 5} more (all in the report)" if count > 5 else ""
        )
        self.text.setText(
            f"{first} The program keeps running and nothing you typed was lost.\n\n{shown}"
            "\n\nThe report below has secrets removed; copy it into a bug report if this "
            "keeps happening."
        )
        self.report.setPlainText(self.full_report())
