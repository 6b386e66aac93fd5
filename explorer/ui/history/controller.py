"""Wires the history into the window: record each finished exchange, search, re-open,
resend, limits, and report a damaged database.

Only exchanges the window *completed* are recorded (the request runner's ``finished``),
so re-showing a record (theme or presentation change, re-open) never adds a duplicate.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog

from explorer.core.history import HISTORY_FILE, Exchange, HistoryError, HistoryLimits
from explorer.core.models import ResponseRecord
from explorer.core.reopen import sendable
from explorer.core.resend import without_added_headers
from explorer.paths import AppPaths
from explorer.ui.history.panel import HistoryPanel, HistoryQuery, HistorySettingsDialog
from explorer.ui.history.service import HistoryService, Purpose, explanation_from
from explorer.ui.window.reopen import (
    current_sandbox_base,
    load_into_request_panel,
    window_variables,
)

if TYPE_CHECKING:
    from explorer.ui.window.main_window import MainWindow, ShownResponse


def history_path(window: MainWindow) -> Path:
    """The database path: the services' ``history_path`` when given, else the data dir."""
    given = getattr(window.services, "history_path", None)
    if isinstance(given, Path):
        return given
    return AppPaths.from_environment().ensure().data / HISTORY_FILE


def shown_response(window: MainWindow, exchange: Exchange) -> ShownResponse:
    """A stored exchange as the window shows a fresh one: classified, with its stored
    explanation (or a new one when none was stored)."""
    from explorer.core.status import agreeing
    from explorer.ui.window.main_window import ShownResponse, default_classify

    record = exchange.record
    classify = window.services.classify or default_classify
    explanation = explanation_from(exchange.explanation) or window.services.explain(record)
    status = agreeing(classify(record), explanation)
    return ShownResponse(record=record, status=status, explanation=explanation)


class HistoryController(QObject):
    """The history of one window: its service (database), dock and actions."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.service = HistoryService(history_path(window), self)
        self.panel = HistoryPanel(window)
        window.docks.add(self.panel, min_width=260)
        self.action = self.panel.toggleViewAction()
        self.action.setText("&History")
        self.action.setShortcut(QKeySequence("Ctrl+H"))
        self.action.setObjectName("historyAction")
        window.addAction(self.action)
        window.view_menu.addAction(self.action)
        self.panel.visibilityChanged.connect(self.on_panel_visibility_changed)
        self.settings_dialog: HistorySettingsDialog | None = None
        self._want_dialog = False
        #: Called with an exchange loaded for export (set by the bundle exporter).
        self.export_handler: Callable[[Exchange], None] | None = None

        window.runner.finished.connect(self.on_window_exchange_finished)
        window.response_shown.connect(self.on_window_response_shown)
        window.runner.cancelled.connect(lambda _id: self._resend_done("was cancelled"))
        window.runner.failed.connect(lambda _id, _exc: self._resend_done(""))
        self._resending: int | None = None
        self.service.opened.connect(self.panel.refresh)
        self.service.results.connect(self.panel.show_rows)
        self.service.recorded.connect(lambda _id: self.panel.refresh())
        self.service.loaded.connect(self.on_service_loaded)
        self.service.damaged.connect(self.on_service_damaged)
        self.service.failed.connect(self.on_service_failed)
        self.service.limits_loaded.connect(self.on_service_limits_loaded)
        self.service.pruned.connect(self.on_service_pruned)
        self.panel.search_requested.connect(self.on_panel_search)
        self.panel.open_requested.connect(lambda i: self.service.load(i, Purpose.OPEN))
        self.panel.resend_requested.connect(lambda i: self.service.load(i, Purpose.RESEND))
        self.panel.settings_requested.connect(self.on_panel_settings)
        self.service.open()

    @Slot(bool)
    def on_panel_visibility_changed(self, visible: bool) -> None:
        if visible:
            self.panel.refresh()

    # ----- recording ---------------------------------------------------------------------
    @Slot(int, object)
    def on_window_exchange_finished(self, _task_id: int, result: object) -> None:
        record = getattr(result, "record", result)
        if not isinstance(record, ResponseRecord):
            return
        window = self.window
        self.service.record(
            record,
            explanation=getattr(result, "explanation", None),
            environment=window.environment_combo.currentText(),
            profile=window.profile_combo.currentText(),
            known_secrets=window.redaction.known_secrets,
        )

    @Slot(object)
    def on_window_response_shown(self, record: ResponseRecord) -> None:
        if record.failure is not None:
            self._resend_done("got no answer")
        else:
            self._resend_done(f"answered {record.status}")

    def _resend_done(self, outcome: str) -> None:
        """Replace "Sending exchange #N again…" once that request is over."""
        exchange_id, self._resending = self._resending, None
        if exchange_id is None:
            return
        bar = self.window.statusBar()
        if not bar.currentMessage().startswith(f"Sending exchange #{exchange_id} "):
            return  # something newer is on the bar already
        if outcome:
            bar.showMessage(f"Exchange #{exchange_id} sent again: {outcome}.", 5000)
        else:
            bar.clearMessage()

    # ----- list, open, resend ------------------------------------------------------------
    @Slot(object)
    def on_panel_search(self, query: HistoryQuery) -> None:
        self.service.search(endpoint=query.endpoint, status=query.status, text=query.text)

    def selected_id(self) -> int | None:
        """The exchange selected in the dock, when the dock is open."""
        return self.panel.selected_id() if self.panel.isVisible() else None

    def load_for_export(self, exchange_id: int) -> None:
        self.service.load(exchange_id, Purpose.EXPORT)

    @Slot(object, str)
    def on_service_loaded(self, exchange: Exchange, purpose: str) -> None:
        window = self.window
        ready = sendable(
            without_added_headers(exchange.resend_spec()),  # the current fault is added
            window_variables(window),
            sandbox_base=current_sandbox_base(window),
        )
        if purpose == Purpose.RESEND:
            window.send_spec(ready)
            if window.runner.busy:  # not held back by the pre-flight check
                self._resending = exchange.id
                window.statusBar().showMessage(
                    f"Sending exchange #{exchange.id} again with the current credentials…",
                    30000,
                )
        elif purpose == Purpose.EXPORT:
            if self.export_handler is not None:
                self.export_handler(exchange)
        else:
            load_into_request_panel(window, ready)
            window._show_record(shown_response(window, exchange))
            window.last_record = dataclasses.replace(exchange.record, request=ready)
            window.last_asked = (ready, window.base_url)  # what Retry sends
            window.statusBar().showMessage(
                f"Opened exchange #{exchange.id} from the history "
                f"({exchange.created_at[:19].replace('T', ' ')} UTC). "
                "Secrets were masked when it was stored.",
                8000,
            )

    # ----- problems ----------------------------------------------------------------------
    @Slot(object)
    def on_service_damaged(self, error: HistoryError) -> None:
        where = f" The old file was kept as {error.backup}." if error.backup else ""
        text = f"The history database was damaged and a new one was started.{where}"
        self.panel.show_problem(text)
        self.window.statusBar().showMessage(text, 30000)

    @Slot(str)
    def on_service_failed(self, text: str) -> None:
        self.panel.show_problem(text)
        self.window.statusBar().showMessage(text, 15000)

    # ----- limits ------------------------------------------------------------------------
    @Slot()
    def on_panel_settings(self) -> None:
        self._want_dialog = True
        self.service.load_limits()

    @Slot(object)
    def on_service_limits_loaded(self, limits: HistoryLimits) -> None:
        if not self._want_dialog:
            return
        self._want_dialog = False
        dialog = HistorySettingsDialog(limits, self.window)
        dialog.prune_requested.connect(lambda: self.service.set_limits(dialog.limits()))
        dialog.finished.connect(self.on_dialog_finished)
        self.settings_dialog = dialog
        dialog.open()

    @Slot(int)
    def on_dialog_finished(self, result: int) -> None:
        dialog = self.settings_dialog
        if dialog is not None and result == QDialog.DialogCode.Accepted:
            self.service.set_limits(dialog.limits())
        self.settings_dialog = None
        if dialog is not None:
            dialog.deleteLater()

    @Slot(int)
    def on_service_pruned(self, removed: int) -> None:
        text = f"Removed {removed} exchange(s) from the history."
        if self.settings_dialog is not None:
            self.settings_dialog.prune_result.setText(text)
        self.window.statusBar().showMessage(text, 5000)
        self.panel.refresh()

    def shutdown(self) -> None:
        self.service.close()
