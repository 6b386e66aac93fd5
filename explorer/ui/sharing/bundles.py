"""Support bundles and "Copy as" from the window, always redacted unless asked otherwise.

File > Export support bundle… writes the selected exchange (the history selection when
the History dock is open, else the exchange on screen) as HAR 1.2, JSON with a Markdown
summary, or Markdown, through :func:`explorer.core.bundle.write_bundle` on a worker
thread. "Copy as curl/httpx" go through the window's redacting clipboard helper; only
"Copy as curl (with secrets)…" copies real values, after a confirmation, and never in
presentation mode.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QMenu

from explorer.core.bundle import BundleFormat, write_bundle
from explorer.core.codegen import generate, target, to_curl
from explorer.core.history import Exchange
from explorer.core.models import RequestSpec
from explorer.core.redact import redactor_for_output
from explorer.ui.saved.panel import current_spec
from explorer.ui.sharing.presentation import copy_text
from explorer.ui.workers import TaskRunner

if TYPE_CHECKING:
    from explorer.ui.history.controller import HistoryController
    from explorer.ui.window.main_window import MainWindow

FILTERS = {
    "HAR 1.2 (*.har)": BundleFormat.HAR,
    "JSON with a Markdown summary (*.json)": BundleFormat.JSON,
    "Markdown (*.md)": BundleFormat.MARKDOWN,
}


def menu_named(window: MainWindow, title: str) -> QMenu:
    """The window's menu with this title (``&File``), made when it is missing."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title.replace("&", ""):
            return menu
    return window.menuBar().addMenu(title)


def format_for(path: Path, chosen_filter: str) -> BundleFormat:
    """The format from the file's suffix, else from the filter the user picked."""
    for fmt in BundleFormat:
        if path.suffix.lower() == fmt.suffix:
            return fmt
    return FILTERS.get(chosen_filter, BundleFormat.HAR)


class BundleExporter(QObject):
    """The export and copy actions of one window."""

    secrets_copied = Signal()  # "copy with secrets" put the command on the clipboard

    def __init__(self, window: MainWindow, history: HistoryController | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.history = history
        self.last_written: Path | None = None
        self.runner = TaskRunner(self, latest_only=False, max_workers=1)
        self.runner.finished.connect(self.on_runner_finished)
        self.runner.failed.connect(self.on_runner_failed)
        if history is not None:
            history.export_handler = self.export_exchange

        self.export_action = QAction("&Export support bundle…", window)
        self.export_action.setObjectName("exportBundleAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_action.setToolTip(
            "Save the selected exchange, redacted, as one file to attach to a ticket"
        )
        self.export_action.triggered.connect(self.export_selected)
        self.copy_curl_action = QAction("Copy as &curl", window)
        self.copy_curl_action.triggered.connect(lambda: self.copy_as("curl"))
        self.copy_httpx_action = QAction("Copy as &httpx", window)
        self.copy_httpx_action.triggered.connect(lambda: self.copy_as("httpx"))
        self.copy_secret_action = QAction("Copy as curl (with secrets)…", window)
        self.copy_secret_action.setObjectName("copyWithSecretsAction")
        self.copy_secret_action.triggered.connect(self.copy_with_secrets)

        file_menu = menu_named(window, "&File")
        if file_menu.actions():
            first = file_menu.actions()[0]
            file_menu.insertAction(first, self.export_action)
            file_menu.insertSeparator(first)
        else:
            file_menu.addAction(self.export_action)
        request_menu = menu_named(window, "&Request")
        request_menu.addSeparator()
        for action in (self.copy_curl_action, self.copy_httpx_action, self.copy_secret_action):
            request_menu.addAction(action)
        window.addAction(self.export_action)
        window.redaction.changed.connect(self.on_redaction_changed)
        self.on_redaction_changed()
        self._take_over_panel_copies()

    def _take_over_panel_copies(self) -> None:
        """The request panel's own "Copy as" buttons copy through the redacting helper too."""
        panel = self.window.request_panel
        for name, kind in (("copy_curl_button", "curl"), ("copy_httpx_button", "httpx")):
            button = getattr(panel, name, None)
            if isinstance(button, QAbstractButton):
                button.clicked.disconnect()
                button.clicked.connect(lambda _=False, k=kind: self.copy_as(k))
        requested = getattr(panel, "copy_requested", None)
        if requested is not None:  # the panel's Copy as ▾ menu, every target
            requested.disconnect()
            requested.connect(self.copy_as)

    @Slot()
    def on_redaction_changed(self) -> None:
        on = self.window.redaction.presentation
        self.copy_secret_action.setEnabled(not on)
        self.copy_secret_action.setToolTip(
            "Not available in presentation mode" if on else "Copies real credentials"
        )

    # ----- copy --------------------------------------------------------------------------
    def copy_as(self, kind: str) -> str | None:
        """Copy the current request as code, redacted as the screen is."""
        spec = current_spec(self.window, as_previewed=True)
        if spec is None:
            self.window.statusBar().showMessage("There is no request to copy yet.", 5000)
            return None
        redactor = self.window.redaction.redactor
        text = generate(kind, spec, known_secrets=redactor.policy.known_secrets)
        copied = self.window.redaction.copy_text(text)
        self.window.statusBar().showMessage(
            f"Copied as {target(kind).label}; secrets are read from THUMBTACK_* variables.",
            5000,
        )
        return copied

    @Slot()
    def copy_with_secrets(self) -> str | None:
        """Copy as curl with real credentials, after the user confirms (never in
        presentation mode)."""
        window = self.window
        if window.redaction.presentation:
            window.statusBar().showMessage(
                "Turn presentation mode off to copy a request with its secrets.", 8000
            )
            return None
        spec = current_spec(window, as_previewed=True)
        if spec is None:
            window.statusBar().showMessage("There is no request to copy yet.", 5000)
            return None
        if not window.ask.confirm(
            "Copy with secrets",
            "The copied command will hold real credentials (tokens, secrets). Paste it only "
            "where nobody else can read it. Copy it?",
            action="Copy with secrets",
        ):
            return None
        session = window.services.session
        with_credentials = getattr(session, "with_credentials", None)
        if callable(with_credentials):  # the current token in place of the masked one
            with_credentials(spec, self._copy_with_secrets)
            return None
        return self._copy_with_secrets(spec)

    def _copy_with_secrets(self, spec: RequestSpec) -> str:
        copied = copy_text(to_curl(spec, masked=False), redactor_for_output(False))
        self.window.statusBar().showMessage("Copied as curl WITH secrets: handle with care.", 8000)
        self.secrets_copied.emit()
        return copied

    # ----- export ------------------------------------------------------------------------
    @Slot()
    def export_selected(self) -> None:
        window = self.window
        chosen = self.history.selected_id() if self.history is not None else None
        if chosen is not None and self.history is not None:
            self.history.load_for_export(chosen)
            return
        record = window.last_record
        if record is None:
            window.statusBar().showMessage(
                "Send a request or pick one in the History first, then export it.", 8000
            )
            return
        explanation = window.explanation_panel.explanation
        self.export_exchange(
            Exchange(
                record=record,
                explanation=explanation.to_dict() if explanation is not None else None,
                environment=window.environment_combo.currentText(),
                profile=window.profile_combo.currentText(),
                created_at=record.started_at,
            )
        )

    def export_exchange(self, exchange: Exchange) -> None:
        window = self.window
        operation = exchange.record.request.operation_id or "exchange"
        start = str(Path.home() / f"{operation}-support{BundleFormat.HAR.suffix}")
        answer = window.ask.save_file("Export support bundle", start, list(FILTERS))
        if answer is None:
            return
        path, chosen_filter = answer
        fmt = format_for(path, chosen_filter)
        if not path.suffix:
            path = path.with_suffix(fmt.suffix)
        secrets = window.redaction.known_secrets
        self.runner.submit(lambda _cancel: write_bundle(path, exchange, fmt, known_secrets=secrets))

    @Slot(int, object)
    def on_runner_finished(self, _task_id: int, result: object) -> None:
        assert isinstance(result, Path)
        self.last_written = result
        self.window.statusBar().showMessage(
            f"Wrote {result} (secrets and personal data masked).", 10000
        )

    @Slot(int, object)
    def on_runner_failed(self, _task_id: int, exc: object) -> None:
        if not isinstance(exc, OSError):
            raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        text = f"Could not write {exc.filename or 'the bundle'}: {exc.strerror or exc}. "
        self.window.ask.error("Export support bundle", text + "Pick another file.")
