"""Comparing two exchanges in the window: the diff runs off the GUI thread, then shows.

:class:`DiffController` takes two :class:`DiffSide` (a label and a record: a history
entry, the answer on screen, a run's step) and computes
:func:`explorer.core.diff.compare` on its own latest-only
:class:`~explorer.ui.workers.TaskRunner`, masking what it reports with the window's
redactor (secrets always; personal data too in presentation mode). The result goes to
one :class:`~explorer.ui.diff.view.DiffWindow`, which fills its rows in slices. The
rules (volatile fields, id fields) are the user's, kept in ``diff.json``; changing them
compares the same pair again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from explorer.core.diff import DiffCancelled, ExchangeDiff, compare
from explorer.core.diff_rules import DiffRules, DiffRulesStore
from explorer.core.history import Exchange, ExchangeSummary
from explorer.core.models import ResponseRecord
from explorer.core.redact import Redactor
from explorer.ui.diff.rules_dialog import DiffRulesDialog
from explorer.ui.diff.view import DiffWindow
from explorer.ui.workers import Lane, TaskRunner


@dataclass(frozen=True)
class DiffSide:
    """One side of a comparison: what it is in words, and its record."""

    label: str
    record: ResponseRecord


def _status(record: ResponseRecord) -> str:
    return str(record.status) if record.status is not None else "no response"


def history_side(exchange: Exchange) -> DiffSide:
    """``#12  GET /api/v4/negotiations  200  · Sandbox · 2026-12-04 10:01``."""
    record = exchange.record
    when = exchange.created_at[:16].replace("T", " ")
    where = f" · {exchange.environment}" if exchange.environment else ""
    label = (
        f"#{exchange.id}  {record.request.method} {_path(record.request.url)}  "
        f"{_status(record)}{where} · {when}"
    )
    return DiffSide(label, record)


def current_side(record: ResponseRecord, environment: str = "") -> DiffSide:
    where = f" · {environment}" if environment else ""
    label = (
        f"On screen  {record.request.method} {_path(record.request.url)}  {_status(record)}{where}"
    )
    return DiffSide(label, record)


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


#: How many history entries "Compare with…" offers.
MENU_ENTRIES = 12


def fill_compare_menu(
    menu: QMenu,
    recent: list[ExchangeSummary],
    on_screen: ResponseRecord | None,
    *,
    pick: Callable[[int], None],
    open_history: Callable[[], None],
) -> None:
    """The newest history entries, those of the same method and path as the answer on
    screen first (a re-run of the same request is the usual thing to compare with)."""
    menu.clear()
    same: list[ExchangeSummary] = []
    other: list[ExchangeSummary] = []
    target = None
    if on_screen is not None:
        target = (on_screen.request.method, _path(on_screen.request.url).split("?")[0])
    for row in recent:
        key = (row.method, _path(row.url).split("?")[0])
        (same if key == target else other).append(row)
    rows = (same + other)[:MENU_ENTRIES]
    if not rows:
        action = menu.addAction("No exchanges in the history yet")
        action.setEnabled(False)
    for row in rows:
        status = str(row.status) if row.status is not None else "no response"
        when = row.created_at[11:19] if len(row.created_at) >= 19 else row.created_at
        where = f" · {row.environment}" if row.environment else ""
        text = f"#{row.id}  {row.method} {_path(row.url)}  {status}{where} · {when}"
        action = menu.addAction(text.replace("&", "&&"))
        action.triggered.connect(lambda _checked=False, i=row.id: pick(i))
    menu.addSeparator()
    menu.addAction("Choose two in History…").triggered.connect(lambda _c=False: open_history())


class DiffController(QObject):
    """Runs comparisons and shows them in one Compare window."""

    compared = Signal(object)  # ExchangeDiff, once shown

    def __init__(
        self,
        *,
        redactor: Callable[[], Redactor],
        store: DiffRulesStore,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.redactor = redactor
        self.store = store
        self.rules: DiffRules = store.load()
        self.parent_widget = parent
        self.runner = TaskRunner(self, latest_only=True, lane=Lane.CPU)
        self.window: DiffWindow | None = None
        self.pair: tuple[DiffSide, DiffSide] | None = None
        self.last: ExchangeDiff | None = None
        self.dialog: DiffRulesDialog | None = None
        self._task: int | None = None

    def _window(self) -> DiffWindow:
        if self.window is None:
            window = DiffWindow(self.parent_widget)
            window.settings_requested.connect(self.on_window_settings)
            window.cancel_requested.connect(self.on_window_cancel)
            window.swap_requested.connect(self.on_window_swap)
            self.window = window
        return self.window

    def compare(self, a: DiffSide, b: DiffSide) -> None:
        """Compare ``a`` with ``b`` off the GUI thread and show the result."""
        self.pair = (a, b)
        window = self._window()
        window.show_sides(a.label, b.label)
        problem = getattr(self.store, "problem", None)
        window.show_pending(
            "Comparing…" if problem is None else f"Comparing with the default rules ({problem})…"
        )
        window.show()
        if QGuiApplication.platformName() != "offscreen":  # (it has no stacking to change)
            window.raise_()
            window.activateWindow()
        rules, redactor = self.rules, self.redactor()

        def work(cancel: threading.Event) -> ExchangeDiff:
            return compare(a.record, b.record, rules, redactor=redactor, cancelled=cancel.is_set)

        self._task = self.runner.run(work, self.on_diff_done, self.on_diff_failed)

    @Slot(object)
    def on_diff_done(self, diff: ExchangeDiff) -> None:
        self._task = None
        self.last = diff
        self._window().show_diff(diff)
        self.compared.emit(diff)

    @Slot(object)
    def on_diff_failed(self, exc: object) -> None:
        self._task = None
        if isinstance(exc, DiffCancelled):
            self._window().show_problem("Cancelled.")
            return
        self._window().show_problem(
            f"These two exchanges could not be compared ({type(exc).__name__}: {exc})."
        )

    @property
    def busy(self) -> bool:
        return self.runner.busy

    @Slot()
    def on_window_cancel(self) -> None:
        if self.runner.busy:
            self.runner.cancel()
            if self.window is not None:
                self.window.show_problem("Cancelled.")

    @Slot()
    def on_window_swap(self) -> None:
        if self.pair is not None:
            a, b = self.pair
            self.compare(b, a)

    @Slot()
    def on_window_settings(self) -> None:
        dialog = DiffRulesDialog(self.rules, self._window())
        dialog.finished.connect(self.on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    @Slot(int)
    def on_dialog_finished(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        if result == QDialog.DialogCode.Accepted:
            self.set_rules(dialog.rules())
        dialog.deleteLater()

    def set_rules(self, rules: DiffRules) -> None:
        """Use (and keep) ``rules``; the pair on screen is compared again."""
        self.rules = rules
        try:
            self.store.save(rules)
        except OSError as exc:
            if self.window is not None:
                self.window.notes.setText(
                    f"The diff settings could not be saved ({exc.strerror or exc}); "
                    "they are used until the program closes."
                )
        if self.pair is not None:
            self.compare(*self.pair)

    def shutdown(self) -> None:
        self.runner.shutdown()
