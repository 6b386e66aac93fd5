"""The response pane: the status badge and tabs for body, headers, timing, raw and request.

Contract used by the main window: ``show_pending(spec)``, ``show_record(record, status=...,
explanation=...)``, ``show_cancelled()``, ``clear()``. ``status`` is the core's one
classification (:func:`explorer.core.status.classify`). Secrets in the Request tab go
through :func:`masked_request_text`, the one masking helper of the views.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.body import human_size
from explorer.core.models import (
    Explanation,
    NetworkFailure,
    RequestSpec,
    ResponseRecord,
    Timing,
)
from explorer.core.redact import MASK
from explorer.core.timing import PHASES as _PHASES
from explorer.core.timing import phase_texts
from explorer.ui.overflow_bar import TabListButton
from explorer.ui.response.body_view import BodyView
from explorer.ui.response.contract_view import ContractView
from explorer.ui.response.status_badge import StatusBadge
from explorer.ui.style.palette import current
from explorer.ui.style.theme import is_dark

if TYPE_CHECKING:
    from explorer.core.status import StatusInfo

#: Narrower than this, the "Compare…" button leaves the tab row to the tabs.
COMPARE_MIN_WIDTH = 420
_SECRET_HEADERS = re.compile(
    r"^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|"
    r".*(token|secret|password|session).*)$",
    re.IGNORECASE,
)
_SECRET_FIELDS = re.compile(
    r'((?:"|\b)(?:client_secret|access_token|refresh_token|id_token|password|code_verifier|'
    r'assertion|code)"?\s*[=:]\s*"?)([^"&,\s}]+)',
    re.IGNORECASE,
)


def mask_header_value(name: str, value: str) -> str:
    """``Bearer ••••••`` for credentials; the scheme stays, the secret never shows."""
    if not _SECRET_HEADERS.match(name.strip()):
        return value
    scheme, _, rest = value.strip().partition(" ")
    if rest and scheme.lower() in ("bearer", "basic", "digest", "token"):
        return f"{scheme} {MASK}"
    return MASK


def masked_request_text(spec: RequestSpec) -> str:
    """Exactly what was sent, as text, with every secret masked (the one helper for views)."""
    from explorer.core.redact import Redactor

    spec = Redactor().redact_spec(spec)
    lines = [f"{spec.method} {spec.url}"]
    lines += [f"{name}: {mask_header_value(name, value)}" for name, value in spec.headers]
    if spec.body:
        text = spec.body.decode("utf-8", errors="replace")
        lines += ["", _SECRET_FIELDS.sub(lambda m: m.group(1) + MASK, text)]
    return "\n".join(lines)


class _Bar(QWidget):
    """One phase of the waterfall: a bar from ``start`` to ``start + length`` of ``total``."""

    def __init__(self, phase: int) -> None:
        super().__init__()
        self.phase = phase  # its colour: the palette's phases[phase]
        self.start = 0.0
        self.length = 0.0
        self.total = 1.0
        self.setMinimumHeight(14)
        self.setMinimumWidth(40)

    def set_span(self, start: float, length: float, total: float) -> None:
        self.start, self.length, self.total = start, length, max(total, 1e-6)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        width = self.width()
        colors = current()
        track = QColor(colors.track)
        painter.fillRect(0, 3, width, self.height() - 6, track)
        if self.length > 0:
            x = int(width * self.start / self.total)
            w = max(2, int(width * self.length / self.total))
            colour = QColor(colors.phases[self.phase % len(colors.phases)])
            painter.fillRect(x, 2, min(w, width - x), self.height() - 4, colour)
        painter.end()


class TimingView(QWidget):
    """DNS, connect, TLS, send, wait and download as a waterfall with numbers."""

    def __init__(self) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(12)
        self.bars: dict[str, _Bar] = {}
        self.values: dict[str, QLabel] = {}
        for row, (name, attr) in enumerate(_PHASES):
            grid.addWidget(QLabel(name), row, 0)
            bar = _Bar(row)
            grid.addWidget(bar, row, 1)
            value = QLabel("—")
            value.setObjectName(f"timing_{attr}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(70)
            grid.addWidget(value, row, 2)
            self.bars[attr], self.values[attr] = bar, value
        self.total = QLabel("Total —")
        self.total.setObjectName("timing_total")
        self.total.setProperty("role", "heading")
        grid.addWidget(self.total, len(_PHASES), 0, 1, 3)
        grid.setRowStretch(len(_PHASES) + 1, 1)

    def show_timing(self, timing: Timing | None, failure: NetworkFailure | None = None) -> None:
        if timing is None:
            for attr, label in self.values.items():
                label.setText("—")
                self.bars[attr].set_span(0, 0, 1)
            self.total.setText("Total —")
            return
        total = max(timing.total_ms, 0.0)
        measured = sum(getattr(timing, attr) or 0.0 for _n, attr in _PHASES)
        scale = max(total, measured, 1e-6)
        texts = phase_texts(timing, failure)
        start = 0.0
        for _name, attr in _PHASES:
            value = getattr(timing, attr)
            self.values[attr].setText(texts[attr])
            self.bars[attr].set_span(start, value or 0.0, scale)
            start += value or 0.0
        self.total.setText(f"Total {total:,.1f} ms")


class ResponsePane(QWidget):
    """Shows one response: badge on top, then the tabs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.badge = StatusBadge()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("responseTabs")
        self.body_view = BodyView()
        self.body = self.body_view.code
        self.headers = QTableWidget(0, 2)
        self.headers.setObjectName("responseHeaders")
        self.headers.setHorizontalHeaderLabels(["Name", "Value"])
        self.headers.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.headers.horizontalHeader().setStretchLastSection(True)
        self.headers.setColumnWidth(0, 200)
        self.headers.verticalHeader().hide()
        self.headers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.headers.setAlternatingRowColors(True)
        self.timing = TimingView()
        self.raw_view = BodyView(raw=True)
        self.request = QPlainTextEdit(readOnly=True)
        self.request.setObjectName("requestSent")
        self.request.setFont(self.body.font())
        self.contract_view = ContractView()
        self.contract_view.path_chosen.connect(self.select_body_path)
        for widget, name in (
            (self.body_view, "Body"),
            (self.headers, "Headers"),
            (self.timing, "Timing"),
            (self.raw_view, "Raw"),
            (self.request, "Request"),
            (self.contract_view, "Contract"),
        ):
            self.tabs.addTab(widget, name)
        self.tabs.currentChanged.connect(self.on_tabs_current_changed)
        self.tab_list = TabListButton(self.tabs)  # narrow: every tab stays a click away
        # "Compare with…": the answer on screen against an exchange of the history (the
        # window fills the menu as it opens).
        self.compare_menu = QMenu(self)
        self.compare_menu.setObjectName("compareWithMenu")
        self.compare_button = QToolButton()
        self.compare_button.setObjectName("compareWithButton")
        self.compare_button.setText("Compare…")
        self.compare_button.setToolTip("Compare this answer with an exchange of the history")
        self.compare_button.setAccessibleName("Compare this answer with an exchange of the history")
        self.compare_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.compare_button.setMenu(self.compare_menu)
        self.compare_button.setEnabled(False)
        corner = QWidget()
        corner_row = QHBoxLayout(corner)
        corner_row.setContentsMargins(0, 0, 0, 0)
        corner_row.setSpacing(2)
        corner_row.addWidget(self.compare_button)
        corner_row.addWidget(self.tab_list)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.badge)
        layout.addWidget(self.tabs, 1)
        self.record: ResponseRecord | None = None
        self._raw_loaded = False
        self.setMinimumWidth(200)  # narrower than its parts prefer: they shrink, not the window

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Narrow, the tabs need the room; History's Compare still compares.
        wide = event.size().width() >= COMPARE_MIN_WIDTH
        if self.compare_button.isVisibleTo(self) != wide:
            self.compare_button.setVisible(wide)
            self.tab_list.refit()

    def clear(self) -> None:
        self.record = None
        self.compare_button.setEnabled(False)
        self.badge.show_neutral("info", "No response yet", "Pick an endpoint and press Send.")
        self.body_view.clear()
        self.raw_view.clear()
        self.headers.setRowCount(0)
        self.timing.show_timing(None)
        self.request.clear()
        self.show_contract(None)

    def show_pending(self, spec: RequestSpec) -> None:
        self.clear()
        self.badge.show_neutral("pending", f"Sending {spec.method} {spec.url}", "Esc to cancel")
        self.body_view.show_message("Waiting for the response…")
        self.request.setPlainText(masked_request_text(spec))

    def show_cancelled(self) -> None:
        self.badge.show_neutral(
            "cancelled", "Cancelled", "No response will be shown for that request."
        )
        self.body_view.show_message("Cancelled.")

    def refresh_theme(self) -> None:
        self.badge.refresh_theme()
        self.body.set_dark(is_dark())
        self.raw_view.code.set_dark(is_dark())
        self.timing.update()

    def show_record(
        self,
        record: ResponseRecord,
        *,
        status: StatusInfo,
        explanation: Explanation | None = None,
        contract: Any = None,
    ) -> None:
        """Show a response (or a network failure), mark what the explanation matched, and
        give the contract verdict (a ContractResult) on the badge and its tab."""
        self.record = record
        self.compare_button.setEnabled(True)
        size = "" if record.failure else human_size(len(record.body))
        detail = "  ·  ".join(
            part
            for part in (record.http_version, f"{record.timing.total_ms:,.0f} ms", size)
            if part
        )
        self.badge.show_status(status, detail=detail)
        self.show_contract(contract)
        if record.failure is not None:
            failure = record.failure
            cause = f"{record.cause}\n\n" if record.cause else ""
            self.body_view.show_text(
                f"{cause}No HTTP response: {failure.message}\n\n" + "\n  ← ".join(failure.chain)
            )
        else:
            self.body_view.show_body(
                record.body, record.header("content-type") or "", status=record.status
            )
            if explanation is not None and explanation.matched:
                self.body_view.highlight_fragments(explanation.matched)
        self._show_headers(record)
        self.timing.show_timing(record.timing, record.failure)
        self.request.setPlainText(masked_request_text(record.request))
        self._raw_loaded = False
        self.raw_view.clear()
        if self.tabs.currentWidget() is self.raw_view:
            self._load_raw()

    def show_contract(self, contract: Any) -> None:
        self.badge.show_contract(contract)
        self.contract_view.show_result(contract)
        self.tabs.setTabText(self.tabs.indexOf(self.contract_view), self.contract_view.tab_title())

    @Slot(object)
    def select_body_path(self, parts: tuple[str | int, ...]) -> bool:
        """Show the Body tab with the value at the JSON path ``parts`` selected."""
        from explorer.core.json_locate import span_of

        if self.body_view.loading:
            self.contract_view.show_note("The body is still being shown; try again in a moment.")
            return False
        span = span_of(self.body_view.text(), parts)
        if span is None:
            self.contract_view.show_note(
                "That part is not in the text shown (the body is shown cut short, or not as "
                "JSON text); use Show all or the Raw tab to see it."
            )
            return False
        self.contract_view.show_note("")
        self.tabs.setCurrentWidget(self.body_view)
        cursor = self.body.textCursor()
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self.body.setTextCursor(cursor)
        self.body.centerCursor()
        self.body.setFocus()
        return True

    def _show_headers(self, record: ResponseRecord) -> None:
        rows = list(record.headers)
        self.headers.setRowCount(len(rows))
        for row, (name, value) in enumerate(rows):
            self.headers.setItem(row, 0, QTableWidgetItem(name))
            self.headers.setItem(row, 1, QTableWidgetItem(mask_header_value(name, value)))

    def on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.raw_view and not self._raw_loaded:
            self._load_raw()

    def _load_raw(self) -> None:
        record = self.record
        if record is None or record.failure is not None:
            return
        self._raw_loaded = True
        content_type = record.header("content-type") or ""
        self.raw_view.show_body(record.body, content_type, status=record.status)

    def shutdown(self) -> None:
        self.body_view.shutdown()
        self.raw_view.shutdown()
