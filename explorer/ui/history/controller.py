"""The History dock's behaviour: record each finished exchange, search, re-open, resend,
limits, and report a damaged database.

Only exchanges the window's :class:`~explorer.ui.exchange.ExchangeController`
*completed* are recorded (its ``finished``), so re-showing a record (theme or
presentation change, re-open) never adds a duplicate. The window builds the controller
with what it needs and wires its signals; the controller never sees the window.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QStatusBar, QWidget

from explorer.core.history import (
    HISTORY_FILE,
    Exchange,
    ExchangeSummary,
    HistoryError,
    HistoryLimits,
)
from explorer.core.models import Explanation, RequestSpec
from explorer.core.resend import without_added_headers
from explorer.paths import AppPaths
from explorer.ui.exchange import ExchangeLike, ShownResponse
from explorer.ui.history.model import PAGE_SIZE
from explorer.ui.history.panel import HistoryPanel, HistoryQuery, HistorySettingsDialog
from explorer.ui.history.service import HistoryService, Purpose
from explorer.ui.redaction import RedactionContext

if TYPE_CHECKING:
    from explorer.core.contract import ContractResult


def default_history_path() -> Path:
    """The history database in the program's data folder."""
    return AppPaths.from_environment().ensure().data / HISTORY_FILE


class HistoryController(QObject):
    """The history of one window: its service (database), dock and action."""

    export_ready = Signal(object)  # Exchange, loaded for a support bundle
    compare_ready = Signal(object)  # list[Exchange], loaded to be compared (one or two)

    def __init__(
        self,
        exchange: ExchangeLike,
        redaction: RedactionContext,
        *,
        path: Path,
        names: Callable[[], tuple[str, str]],
        open_request: Callable[[RequestSpec], bool],
        status: QStatusBar,
        parent: QWidget,
    ) -> None:
        """``names`` gives the current environment's and profile's names (stored with
        each exchange); ``open_request`` puts a request into the request panel."""
        super().__init__(parent)
        self.exchange = exchange
        self.redaction = redaction
        self.names = names
        self.open_request = open_request
        self.status = status
        self.parent_widget = parent
        self.service = HistoryService(path, self)
        self.panel = HistoryPanel(parent)
        self.action = self.panel.toggleViewAction()
        self.action.setText("&History")
        self.action.setShortcut(QKeySequence("Ctrl+H"))
        self.action.setObjectName("historyAction")
        self.panel.visibilityChanged.connect(self.on_panel_visibility_changed)
        self.settings_dialog: HistorySettingsDialog | None = None
        self._want_dialog = False
        self._resending: int | None = None
        self.service.opened.connect(self.on_service_opened)
        self.service.results.connect(self.panel.show_rows)
        self.service.page.connect(self.panel.append_page)
        self.service.newer.connect(self.on_service_newer)
        self.service.recorded.connect(self.on_service_recorded)
        self.service.loaded.connect(self.on_service_loaded)
        self.service.damaged.connect(self.on_service_damaged)
        self.service.failed.connect(self.on_service_failed)
        self.service.limits_loaded.connect(self.on_service_limits_loaded)
        self.service.pruned.connect(self.on_service_pruned)
        self.panel.search_requested.connect(self.on_panel_search)
        self.panel.page_requested.connect(self.on_panel_page)
        self.panel.open_requested.connect(lambda i: self.service.load(i, Purpose.OPEN))
        self.panel.resend_requested.connect(lambda i: self.service.load(i, Purpose.RESEND))
        self.panel.settings_requested.connect(self.on_panel_settings)
        self.panel.compare_requested.connect(self.load_for_compare)
        self.service.open()

    @Slot()
    def on_service_opened(self) -> None:
        if self.panel.isVisible():  # a hidden dock reads the list when it is shown
            self.panel.refresh()

    @Slot(bool)
    def on_panel_visibility_changed(self, visible: bool) -> None:
        if visible:
            self.panel.refresh()

    # ----- recording ---------------------------------------------------------------------
    @Slot(object)
    def on_exchange_finished(self, shown: ShownResponse) -> None:
        environment, profile = self.names()
        self.service.record(
            shown.record,
            explanation=shown.explanation,
            environment=environment,
            profile=profile,
            known_secrets=self.redaction.known_secrets,
            contract=None if shown.contract is None else shown.contract.to_dict(),
        )

    @Slot()
    def on_exchange_cancelled(self) -> None:
        self._resend_done("was cancelled")

    @Slot()
    def on_exchange_failed(self) -> None:
        self._resend_done("")

    @Slot(object)
    def on_exchange_shown(self, shown: ShownResponse) -> None:
        record = shown.record
        if record.failure is not None:
            self._resend_done("got no answer")
        else:
            self._resend_done(f"answered {record.status}")

    def _resend_done(self, outcome: str) -> None:
        """Replace "Sending exchange #N again…" once that request is over."""
        exchange_id, self._resending = self._resending, None
        if exchange_id is None:
            return
        bar = self.status
        if not bar.currentMessage().startswith(f"Sending exchange #{exchange_id} "):
            return  # something newer is on the bar already
        if outcome:
            bar.showMessage(f"Exchange #{exchange_id} sent again: {outcome}.", 5000)
        else:
            bar.clearMessage()

    # ----- list, open, resend ------------------------------------------------------------
    @Slot(object)
    def on_panel_search(self, query: HistoryQuery) -> None:
        self.service.search(
            endpoint=query.endpoint, status=query.status, text=query.text, limit=PAGE_SIZE
        )

    @Slot(object, int)
    def on_panel_page(self, query: HistoryQuery, oldest: int) -> None:
        """The list was scrolled near its end: read the page older than its last row."""
        self.service.search(
            endpoint=query.endpoint,
            status=query.status,
            text=query.text,
            limit=PAGE_SIZE,
            before_id=oldest,
        )

    @Slot(int)
    def on_service_recorded(self, _exchange_id: int) -> None:
        """A new exchange: put it on top of the open list (a hidden dock reads the list
        when it is shown)."""
        if not self.panel.isVisible():
            return
        newest = self.panel.model.newest_id()
        if newest is None:
            self.panel.refresh()
            return
        query = self.panel.shown_query
        self.service.search(
            endpoint=query.endpoint,
            status=query.status,
            text=query.text,
            limit=PAGE_SIZE,
            after_id=newest,
        )

    @Slot(list)
    def on_service_newer(self, rows: list[ExchangeSummary]) -> None:
        if len(rows) >= PAGE_SIZE:
            self.panel.refresh()  # more arrived than a page: read the list afresh
        else:
            self.panel.prepend(rows)

    def selected_id(self) -> int | None:
        """The exchange selected in the dock, when the dock is open."""
        return self.panel.selected_id() if self.panel.isVisible() else None

    def load_for_export(self, exchange_id: int) -> None:
        self.service.load(exchange_id, Purpose.EXPORT)

    def load_for_compare(self, exchange_ids: list[int]) -> None:
        """Load these exchanges (one, to compare with what is on screen, or two) and emit
        ``compare_ready`` with them."""
        self.service.load_many(list(exchange_ids), Purpose.COMPARE)

    def show_dock(self) -> None:
        self.panel.show()
        self.panel.raise_()
        self.panel.list.setFocus()

    def recent(self) -> list[ExchangeSummary]:
        """The exchanges the dock lists now (its last search), newest first."""
        return self.panel.recent_rows

    @Slot(object, str)
    def on_service_loaded(self, exchange: Exchange, purpose: str) -> None:
        if purpose == Purpose.COMPARE:
            self.compare_ready.emit(exchange)
            return
        # Without the token and fault it was sent with: the current ones are added.
        ready = self.exchange.sendable(without_added_headers(exchange.resend_spec()))
        if purpose == Purpose.RESEND:
            self.exchange.send(ready)
            if self.exchange.busy:
                self._resending = exchange.id
                self.status.showMessage(
                    f"Sending exchange #{exchange.id} again with the current credentials…",
                    30000,
                )
        elif purpose == Purpose.EXPORT:
            self.export_ready.emit(exchange)
        else:
            self.open_request(ready)
            stored = Explanation.from_dict(exchange.explanation)
            verdict = stored_verdict(exchange.contract)
            self.exchange.show(
                self.exchange.stored(exchange.record, stored, verdict), request=ready
            )
            self.status.showMessage(
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
        self.status.showMessage(text, 30000)

    @Slot(str)
    def on_service_failed(self, text: str) -> None:
        self.panel.model.page_failed()
        self.panel.show_problem(text)
        self.status.showMessage(text, 15000)

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
        dialog = HistorySettingsDialog(limits, self.parent_widget)
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
        self.status.showMessage(text, 5000)
        self.panel.refresh()

    def shutdown(self) -> None:
        self.service.close()


def stored_verdict(data: Mapping[str, Any] | None) -> ContractResult | None:
    """The contract verdict stored with an exchange, as it was made when it was received
    (the description open now may say otherwise; re-sending judges it again)."""
    if not data:
        return None
    from explorer.core.contract import ContractResult

    return ContractResult.from_dict(data)
