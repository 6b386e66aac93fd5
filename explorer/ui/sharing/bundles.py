"""Support bundles and "Copy as" from the window, always redacted unless asked otherwise.

File > Export support bundle… writes the selected exchange (the history selection when
the History dock is open, else the exchange on screen) as HAR 1.2, JSON with a Markdown
summary, or Markdown, through :func:`explorer.core.bundle.write_bundle` on a worker
thread. "Copy as curl/httpx" go through the one redacting clipboard writer; only
"Copy as curl (with secrets)…" copies real values, after a confirmation, and never in
presentation mode.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStatusBar

from explorer.core.bundle import BundleFormat, write_bundle
from explorer.core.codegen import generate, target, to_curl
from explorer.core.history import Exchange
from explorer.core.models import Explanation, RequestSpec
from explorer.core.redact import redactor_for_output
from explorer.ui.exchange import ExchangeLike
from explorer.ui.redaction import RedactionContext, copy_text
from explorer.ui.workers import TaskRunner

if TYPE_CHECKING:
    from explorer.ui.ask import Questions

#: ``with_credentials(spec, then)``: ``then`` gets ``spec`` with the current real token.
WithCredentials = Callable[[RequestSpec, Callable[[RequestSpec], object]], None]

FILTERS = {
    "HAR 1.2 (*.har)": BundleFormat.HAR,
    "JSON with a Markdown summary (*.json)": BundleFormat.JSON,
    "Markdown (*.md)": BundleFormat.MARKDOWN,
}


def format_for(path: Path, chosen_filter: str) -> BundleFormat:
    """The format from the file's suffix, else from the filter the user picked."""
    for fmt in BundleFormat:
        if path.suffix.lower() == fmt.suffix:
            return fmt
    return FILTERS.get(chosen_filter, BundleFormat.HAR)


class BundleExporter(QObject):
    """The export and copy actions of one window."""

    #: The history's selected exchange is wanted for export (the window loads it and
    #: hands it to :meth:`export_exchange`).
    export_requested = Signal(int)
    secrets_copied = Signal()  # "copy with secrets" put the command on the clipboard

    def __init__(
        self,
        exchange: ExchangeLike,
        redaction: RedactionContext,
        *,
        ask: Questions,
        current_spec: Callable[[], RequestSpec | None],
        explanation: Callable[[], Explanation | None],
        names: Callable[[], tuple[str, str]],
        selection: Callable[[], int | None] = lambda: None,
        with_credentials: WithCredentials | None = None,
        status: QStatusBar,
        parent: QObject,
    ) -> None:
        """``current_spec`` is the request on screen (as its Preview shows it),
        ``explanation`` the one shown, ``names`` the environment's and profile's names,
        ``selection`` the exchange selected in the History dock (None when it is closed),
        ``with_credentials(spec, then)`` puts the current token into a request for
        "copy with secrets" (None: the request is copied as it is)."""
        super().__init__(parent)
        self.exchange = exchange
        self.redaction = redaction
        self.ask = ask
        self.current_spec = current_spec
        self.explanation = explanation
        self.names = names
        self.selection = selection
        self.with_credentials = with_credentials
        self.status = status
        self.last_written: Path | None = None
        self.runner = TaskRunner(self, latest_only=False, serial=True)
        self.runner.finished.connect(self.on_runner_finished)
        self.runner.failed.connect(self.on_runner_failed)

        self.export_action = QAction("&Export support bundle…", parent)
        self.export_action.setObjectName("exportBundleAction")
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_action.setToolTip(
            "Save the selected exchange, redacted, as one file to attach to a ticket"
        )
        self.export_action.triggered.connect(self.export_selected)
        self.copy_curl_action = QAction("Copy as &curl", parent)
        self.copy_curl_action.triggered.connect(lambda: self.copy_as("curl"))
        self.copy_httpx_action = QAction("Copy as &httpx", parent)
        self.copy_httpx_action.triggered.connect(lambda: self.copy_as("httpx"))
        self.copy_secret_action = QAction("Copy as curl (with secrets)…", parent)
        self.copy_secret_action.setObjectName("copyWithSecretsAction")
        self.copy_secret_action.triggered.connect(self.copy_with_secrets)

        redaction.changed.connect(self.on_redaction_changed)
        self.on_redaction_changed()

    @Slot()
    def on_redaction_changed(self) -> None:
        on = self.redaction.presentation
        self.copy_secret_action.setEnabled(not on)
        self.copy_secret_action.setToolTip(
            "Not available in presentation mode" if on else "Copies real credentials"
        )

    # ----- copy --------------------------------------------------------------------------
    def copy_as(self, kind: str) -> str | None:
        """Copy the current request as code, redacted as the screen is."""
        spec = self.current_spec()
        if spec is None:
            self.status.showMessage("There is no request to copy yet.", 5000)
            return None
        redactor = self.redaction.redactor
        text = generate(kind, spec, known_secrets=redactor.policy.known_secrets)
        copied = self.redaction.copy_text(text)
        self.status.showMessage(
            f"Copied as {target(kind).label}; secrets are read from THUMBTACK_* variables.",
            5000,
        )
        return copied

    @Slot()
    def copy_with_secrets(self) -> str | None:
        """Copy as curl with real credentials, after the user confirms (never in
        presentation mode)."""
        if self.redaction.presentation:
            self.status.showMessage(
                "Turn presentation mode off to copy a request with its secrets.", 8000
            )
            return None
        spec = self.current_spec()
        if spec is None:
            self.status.showMessage("There is no request to copy yet.", 5000)
            return None
        if not self.ask.confirm(
            "Copy with secrets",
            "The copied command will hold real credentials (tokens, secrets). Paste it only "
            "where nobody else can read it. Copy it?",
            action="Copy with secrets",
        ):
            return None
        if self.with_credentials is not None:  # the current token in place of the masked one
            self.with_credentials(spec, self._copy_with_secrets)
            return None
        return self._copy_with_secrets(spec)

    def _copy_with_secrets(self, spec: RequestSpec) -> str:
        copied = copy_text(to_curl(spec, masked=False), redactor_for_output(False))
        self.status.showMessage("Copied as curl WITH secrets: handle with care.", 8000)
        self.secrets_copied.emit()
        return copied

    # ----- export ------------------------------------------------------------------------
    @Slot()
    def export_selected(self) -> None:
        chosen = self.selection()
        if chosen is not None:
            self.export_requested.emit(chosen)
            return
        record = self.exchange.last_record
        if record is None:
            self.status.showMessage(
                "Send a request or pick one in the History first, then export it.", 8000
            )
            return
        explanation = self.explanation()
        environment, profile = self.names()
        self.export_exchange(
            Exchange(
                record=record,
                explanation=explanation.to_dict() if explanation is not None else None,
                environment=environment,
                profile=profile,
                created_at=record.started_at,
            )
        )

    @Slot(object)
    def export_exchange(self, exchange: Exchange) -> None:
        operation = exchange.record.request.operation_id or "exchange"
        start = str(Path.home() / f"{operation}-support{BundleFormat.HAR.suffix}")
        answer = self.ask.save_file("Export support bundle", start, list(FILTERS))
        if answer is None:
            return
        path, chosen_filter = answer
        fmt = format_for(path, chosen_filter)
        if not path.suffix:
            path = path.with_suffix(fmt.suffix)
        secrets = self.redaction.known_secrets
        self.runner.submit(lambda _cancel: write_bundle(path, exchange, fmt, known_secrets=secrets))

    @Slot(int, object)
    def on_runner_finished(self, _task_id: int, result: object) -> None:
        assert isinstance(result, Path)
        self.last_written = result
        self.status.showMessage(f"Wrote {result} (secrets and personal data masked).", 10000)

    @Slot(int, object)
    def on_runner_failed(self, _task_id: int, exc: object) -> None:
        if not isinstance(exc, OSError):
            raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        text = f"Could not write {exc.filename or 'the bundle'}: {exc.strerror or exc}. "
        self.ask.error("Export support bundle", text + "Pick another file.")
