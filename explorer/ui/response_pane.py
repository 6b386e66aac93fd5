"""The response pane: a status badge and tabs for body, headers, timing, raw and request.

Contract used by the main window: ``show_pending(spec)``, ``show_record(record, status)``,
``show_cancelled()``, ``clear()``. ``status`` is the core's classification of the record.
"""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget

from explorer.core.models import RequestSpec, ResponseRecord, StatusClass
from explorer.ui.theme import is_dark, status_colors


class ResponsePane(QWidget):
    """Shows one response."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.badge = QLabel("No response yet")
        self.badge.setObjectName("statusBadge")
        self.badge.setMargin(6)
        self.tabs = QTabWidget()
        self.body = QPlainTextEdit(readOnly=True)
        self.body.setObjectName("responseBody")
        self.headers = QPlainTextEdit(readOnly=True)
        self.timing = QPlainTextEdit(readOnly=True)
        self.raw = QPlainTextEdit(readOnly=True)
        self.request = QPlainTextEdit(readOnly=True)
        for widget, name in (
            (self.body, "Body"),
            (self.headers, "Headers"),
            (self.timing, "Timing"),
            (self.raw, "Raw"),
            (self.request, "Request"),
        ):
            self.tabs.addTab(widget, name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.badge)
        layout.addWidget(self.tabs, 1)

    def clear(self) -> None:
        self.badge.setText("No response yet")
        self.badge.setStyleSheet("")
        for widget in (self.body, self.headers, self.timing, self.raw, self.request):
            widget.clear()

    def show_pending(self, spec: RequestSpec) -> None:
        self.clear()
        self.badge.setText(f"⏳ Sending {spec.method} {spec.url} …  (Esc to cancel)")

    def show_cancelled(self) -> None:
        self.badge.setText("⊘ Cancelled: no response will be shown for that request")
        self.badge.setStyleSheet("")

    def set_badge(self, text: str, status_class: StatusClass, tooltip: str = "") -> None:
        background, foreground = status_colors(status_class, dark=is_dark())
        self.badge.setText(text)
        self.badge.setToolTip(tooltip)
        self.badge.setStyleSheet(
            f"background:{background}; color:{foreground}; border-radius:4px; font-weight:600;"
        )

    def show_record(
        self, record: ResponseRecord, *, label: str, status_class: StatusClass, meaning: str = ""
    ) -> None:
        self.set_badge(label, status_class, meaning)
        if record.failure is not None:
            self.body.setPlainText("\n".join(record.failure.chain))
        else:
            self.body.setPlainText(_pretty(record.body, record.content_type))
        self.headers.setPlainText("\n".join(f"{k}: {v}" for k, v in record.headers))
        t = record.timing
        rows = [
            ("DNS", t.dns_ms),
            ("Connect", t.connect_ms),
            ("TLS", t.tls_ms),
            ("Send", t.send_ms),
            ("Wait (first byte)", t.wait_ms),
            ("Download", t.download_ms),
            ("Total", t.total_ms),
        ]
        self.timing.setPlainText(
            "\n".join(f"{name:<18} {'-' if ms is None else f'{ms:8.1f} ms'}" for name, ms in rows)
        )
        self.raw.setPlainText(record.body.decode("utf-8", errors="replace"))
        spec = record.request
        self.request.setPlainText(
            f"{spec.method} {spec.url}\n" + "\n".join(f"{k}: {v}" for k, v in spec.headers)
        )


def _pretty(body: bytes, content_type: str) -> str:
    if not body:
        return "(empty body)"
    if "json" in content_type:
        try:
            return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
        except ValueError:
            pass
    return body.decode("utf-8", errors="replace")
