"""An exception in a worker thread is shown, redacted, and the program goes on."""

from __future__ import annotations

import sys
import threading

from explorer.ui.crash import CrashReporter


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
