"""An exception in a worker thread is shown, redacted, and the program goes on."""

from __future__ import annotations

import sys
import threading

from explorer.ui.app.crash import CrashReporter


def test_worker_thread_exception_is_reported_redacted(qtbot) -> None:  # type: ignore[no-untyped-def]
    reporter = CrashReporter(redact=lambda text: text.replace("s3cret-token", "••••••"))
    reporter.show_dialog = False
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    reporter.install()
    try:

        def boom() -> None:
            raise RuntimeError("failed with Bearer s3cret-token")

        thread = threading.Thread(target=boom)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: bool(reporter.shown), timeout=3000)
    finally:
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook
    assert "RuntimeError" in reporter.shown[0]
    assert "s3cret-token" not in reporter.shown[0]


def raise_in_a_worker(reporter: CrashReporter, qtbot, message: str) -> str:  # type: ignore[no-untyped-def]
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    reporter.install()
    try:

        def boom() -> None:
            raise RuntimeError(message)

        thread = threading.Thread(target=boom)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: bool(reporter.shown), timeout=3000)
    finally:
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook
    return reporter.shown.pop()


def test_reports_mask_what_the_window_masks(make_window, qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.redact import Redactor

    window = make_window()
    opaque = "opq_CRASH_token_5f3c9e1d7b"  # the profile's token: only the window knows it
    window.redaction.set_known_secrets([opaque])
    reporter = CrashReporter(redact=Redactor().redact_text)
    reporter.show_dialog = False
    message = (
        f"refresh failed for grant {{'grant_type': 'refresh_token', 'token': 'rt_CRASH_9Hc2'}} "
        f"secret=cs_CRASH_Q8zT with {opaque} for dana.reyes@example.com "
        "at /callback?code=AC_CRASH_1&state=s1 password=pw_CRASH_2"
    )
    with caplog.at_level("ERROR", logger="explorer.crash"):
        report = raise_in_a_worker(reporter, qtbot, message)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for text in (report, logged):
        assert "RuntimeError: refresh failed for grant" in text
        for secret in (opaque, "rt_CRASH_9Hc2", "cs_CRASH_Q8zT", "AC_CRASH_1", "pw_CRASH_2"):
            assert secret not in text, secret
        assert "dana.reyes@example.com" in text  # personal data only in presentation mode
    window.redaction.set_presentation(True)
    assert "dana.reyes@example.com" not in raise_in_a_worker(reporter, qtbot, message)


def test_the_report_dialog_shows_with_no_active_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    assert QApplication.activeWindow() is None
    reporter = CrashReporter(redact=lambda text: text)
    raise_in_a_worker(reporter, qtbot, "while opening")
    dialog = reporter.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert dialog.windowTitle() == "Something went wrong"


def test_a_burst_of_errors_collects_into_one_dialog_that_stays_alive(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QWidget
    from shiboken6 import isValid

    from explorer.ui.app.crash_dialog import CrashDialog

    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    reporter = CrashReporter(redact=lambda text: text)
    for index in range(3):
        try:
            raise ValueError(f"error number {index}")
        except ValueError as exc:
            reporter.handle(type(exc), exc, exc.__traceback__)
        dialog = reporter.dialog
        assert isinstance(dialog, CrashDialog)
        qtbot.waitUntil(dialog.isVisible, timeout=3000)
        dialog.activateWindow()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
    assert dialogs == [dialog] and isValid(dialog)
    assert dialog.parentWidget() is not dialog and not isinstance(
        dialog.parentWidget(), CrashDialog
    )
    assert "3 unexpected errors happened" in dialog.text.text()
    report = dialog.report.toPlainText()
    assert all(f"error number {i}" in report for i in range(3))
    assert "error 3 of 3" in report
    assert "already deleted" not in caplog.text
    dialog.reject()
    qtbot.waitUntil(lambda: reporter.dialog is None, timeout=3000)
    try:
        raise ValueError("after closing")
    except ValueError as exc:
        reporter.handle(type(exc), exc, exc.__traceback__)
    fresh = reporter.dialog
    assert isinstance(fresh, CrashDialog) and "An unexpected error happened." in fresh.text.text()
    qtbot.addWidget(fresh)
