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
