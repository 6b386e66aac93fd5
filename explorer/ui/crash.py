"""Crash safety: an unexpected exception anywhere is logged and shown, and the program goes on.

``install(handler)`` hooks ``sys.excepthook`` and ``threading.excepthook``; exceptions
from worker threads are passed to the GUI thread before a dialog is shown. The report the
user can copy is redacted.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer import __version__

log = logging.getLogger("explorer.crash")


def format_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    redact: Callable[[str], str],
) -> str:
    lines = traceback.format_exception(exc_type, exc, tb)
    header = (
        f"Thumbtack API Explorer {__version__}\n"
        f"Python {platform.python_version()} on {platform.platform()}\n\n"
    )
    return redact(header + "".join(lines))


class CrashReporter(QObject):
    """Receives exceptions from any thread and shows them on the GUI thread."""

    _report = Signal(str, str)

    def __init__(self, redact: Callable[[str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._redact = redact
        self._report.connect(self._on_report, Qt.ConnectionType.QueuedConnection)
        self.shown: list[str] = []
        self.show_dialog = True

    def handle(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        report = format_report(exc_type, exc, tb, self._redact)
        log.error("Unexpected error\n%s", report)
        summary = self._redact(f"{exc_type.__name__}: {exc}")
        self._report.emit(summary, report)

    def install(self) -> None:
        sys.excepthook = self.handle

        def thread_hook(args: threading.ExceptHookArgs) -> None:
            if args.exc_value is not None:
                self.handle(args.exc_type, args.exc_value, args.exc_traceback)

        threading.excepthook = thread_hook

    @Slot(str, str)
    def _on_report(self, summary: str, report: str) -> None:
        self.shown.append(report)
        if self.show_dialog:
            CrashDialog(summary, report, QApplication.activeWindow()).open()


class CrashDialog(QDialog):
    """Says something went wrong, that the program goes on, and offers a copyable report."""

    def __init__(self, summary: str, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Something went wrong")
        layout = QVBoxLayout(self)
        text = QLabel(
            "An unexpected error happened. The program keeps running and nothing you typed "
            f"was lost.\n\n{summary}\n\nThe report below has secrets removed; copy it into "
            "a bug report if this keeps happening."
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        layout.addWidget(self.report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(report))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)
