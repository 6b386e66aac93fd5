"""Crash safety: an unexpected exception anywhere is logged and shown, and the program goes on.

``install(handler)`` hooks ``sys.excepthook`` and ``threading.excepthook``; exceptions
from worker threads are passed to the GUI thread, where the report is written, logged and
shown. The report (log line, dialog and copy) is redacted twice: by the window's current
redactor, read at report time (the profile's own client secret and tokens, and personal
data in presentation mode), and by the base redactor given at start-up.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from explorer import __version__

log = logging.getLogger("explorer.crash")


def format_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    redact: Callable[[str], str],
) -> str:
    import platform
    import traceback

    lines = traceback.format_exception(exc_type, exc, tb)
    header = (
        f"Thumbtack API Explorer {__version__}\n"
        f"Python {platform.python_version()} on {platform.platform()}\n\n"
    )
    return redact(header + "".join(lines))


Redact = Callable[[str], str]


def window_redactor() -> Redact | None:
    """The redactor of the program's window (known secrets, presentation mode), or None.

    Call on the GUI thread only.
    """
    from explorer.ui.redaction import RedactionContext

    for widget in QApplication.topLevelWidgets():
        context = getattr(widget, "redaction", None)
        if isinstance(context, RedactionContext):
            redact: Redact = context.redactor.redact_text
            return redact
    return None


class CrashReporter(QObject):
    """Receives exceptions from any thread and reports them on the GUI thread.

    ``redact`` is the base redactor; ``current`` returns the window's redactor at report
    time (by default :func:`window_redactor`), so the report masks what the window masks.
    """

    _exception = Signal(object, object, object)

    def __init__(
        self,
        redact: Redact,
        parent: QObject | None = None,
        *,
        current: Callable[[], Redact | None] = window_redactor,
    ) -> None:
        super().__init__(parent)
        self._redact = redact
        self._current = current
        self._exception.connect(self._on_exception, Qt.ConnectionType.QueuedConnection)
        self.shown: list[str] = []
        self.show_dialog = True
        self.dialog: QWidget | None = None  # the last report shown

    def redact(self, text: str) -> str:
        """``text`` through the window's current redactor, then the base one."""
        try:
            current = self._current()
        except Exception:  # a half-built window: the base redactor still applies
            current = None
        if current is not None:
            text = current(text)
        return self._redact(text)

    def handle(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is not app.thread():
            self._exception.emit(exc_type, exc, tb)  # reported on the GUI thread
            return
        self._on_exception(exc_type, exc, tb)

    @Slot(object, object, object)
    def _on_exception(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        report = format_report(exc_type, exc, tb, self.redact)
        log.error("Unexpected error\n%s", report)
        summary = self.redact(f"{exc_type.__name__}: {exc}")
        self.shown.append(report)
        if self.show_dialog:
            self._show(summary, report)

    def _show(self, summary: str, report: str) -> None:
        """Show the report; while a report dialog is open, errors join it (a burst of
        errors is one dialog, and no dialog is ever the parent of another)."""
        from shiboken6 import isValid

        from explorer.ui.app.crash_dialog import CrashDialog

        open_dialog = self.dialog
        if (
            isinstance(open_dialog, CrashDialog)
            and isValid(open_dialog)
            and open_dialog.isVisible()
        ):
            open_dialog.add_report(summary, report)
            return
        parent = QApplication.activeWindow()
        while isinstance(parent, CrashDialog):
            parent = parent.parentWidget()
        # Kept here until closed: with no window to own it, it would be freed at once.
        dialog = CrashDialog(summary, report, parent)
        dialog.finished.connect(lambda _result, shown=dialog: self._closed(shown))
        self.dialog = dialog
        dialog.open()

    def _closed(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def install(self) -> None:
        sys.excepthook = self.handle

        def thread_hook(args: threading.ExceptHookArgs) -> None:
            if args.exc_value is not None:
                self.handle(args.exc_type, args.exc_value, args.exc_traceback)

        threading.excepthook = thread_hook
