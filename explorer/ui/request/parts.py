"""Pieces of the request builder around the forms: header, bars, problems, preview text.

Owns :class:`EndpointHeader` (summary, operationId, flow, scopes, doc link and the amber
"unverified" chip), :class:`MessageBar` (an inline bar with buttons, used for "would fail
validation" and "Undo reset"), :class:`ProblemList`, :func:`preview_text` (the exact
request through the window's redactor) and :func:`panel_stylesheet` (colours for notes, chips,
method badges and bars, chosen for the current light or dark palette).
"""

from __future__ import annotations

import contextlib
import html
import json
from collections.abc import Callable

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.builder import InputProblem
from explorer.core.media import body_summary, media_kind
from explorer.core.models import Endpoint, RequestSpec, Severity
from explorer.core.redact import MASK, RedactionPolicy, Redactor
from explorer.ui.style.palette import Palette

AUTH_PLACEHOLDER = f"Bearer {MASK}"


class EndpointHeader(QWidget):
    """What the selected endpoint is: summary, id, flow, scopes, documentation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Pick an endpoint on the left")
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.unverified = QLabel("unverified")
        self.unverified.setObjectName("unverifiedChip")
        self.unverified.setProperty("chip", "unverified")
        self.unverified.hide()
        self.details = QLabel("Or type a URL below to send any request.")
        self.details.setObjectName("endpointDetails")
        self.details.setProperty("role", "dim")
        self.details.setWordWrap(True)
        self.details.setOpenExternalLinks(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title, 1)
        top.addWidget(self.unverified, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.details)

    def show_endpoint(self, endpoint: Endpoint | None) -> None:
        if endpoint is None:
            self.title.setText("Pick an endpoint on the left")
            self.details.setText("Or type a URL below to send any request.")
            self.unverified.hide()
            return
        self.title.setText(endpoint.summary or endpoint.operation_id)
        flows = ", ".join(_flow_words(f.value) for f in endpoint.flows) or "no token needed"
        scopes = ", ".join(f"<code>{html.escape(s)}</code>" for s in endpoint.scopes) or "none"
        parts = [
            f"<code>{html.escape(endpoint.operation_id)}</code>",
            f"flow: {html.escape(flows)}",
            f"scopes: {scopes}",
        ]
        if endpoint.doc_url:
            parts.append(f'<a href="{html.escape(endpoint.doc_url)}">documentation&nbsp;↗</a>')
        self.details.setText(" · ".join(parts))
        self.details.setToolTip(endpoint.description)
        notes = list(endpoint.inferred_notes)
        if endpoint.inferred or notes:
            self.unverified.setText("unverified" if endpoint.inferred else "partly unverified")
            tip = (
                "\n".join(f"• {n}" for n in notes)
                or "Inferred from the reference, not documented; verify before relying on it."
            )
            self.unverified.setToolTip(tip)
            self.unverified.show()
        else:
            self.unverified.hide()


def _flow_words(flow: str) -> str:
    return {
        "client_credentials": "client credentials",
        "authorization_code": "authorization code",
    }.get(flow, flow)


class MessageBar(QFrame):
    """An inline message with buttons; ``kind`` is "error" or "info" (for colour)."""

    closed = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("bar", kind)
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        self.hide()

    def add_button(self, text: str, slot: Callable[[], None], name: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name or text)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def dismiss(self) -> None:
        if self.isVisible() or not self.isHidden():
            self.hide()
            self.closed.emit()


class ProblemList(QListWidget):
    """The problems of the current inputs; activating one jumps to the field or line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemList")
        self.setProperty("role", "problems")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.hide()

    def show_problems(self, problems: list[InputProblem]) -> None:
        self.clear()
        for problem in problems:
            icon = "✖" if problem.severity is Severity.ERROR else "⚠"
            where = f" (line {problem.line})" if problem.line else ""
            item = QListWidgetItem(f"{icon}  {problem.message}{where}")
            item.setData(Qt.ItemDataRole.UserRole, problem)
            self.addItem(item)
        self.setVisible(bool(problems))
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()  # wrapped items take more lines when narrower

    def _fit_height(self) -> None:
        """Tall enough for up to four problems, each wrapped over as many lines as it needs."""
        line = self.fontMetrics().lineSpacing()
        width = max(80, self.viewport().width() - 30)
        height = 0
        for row in range(min(self.count(), 4)):
            item = self.item(row)
            text = item.text() if item is not None else ""
            wrapped = self.fontMetrics().boundingRect(
                QRect(0, 0, width, 100 * line), Qt.TextFlag.TextWordWrap, text
            )
            height += max(line, wrapped.height()) + 8
        height = max(height, line + 8) + 6
        if self.height() != height:
            self.setFixedHeight(height)


def _shows_as_text(spec: RequestSpec) -> bool:
    """Whether the preview may show the body as text (a multipart body of text parts may)."""
    assert spec.body is not None
    media = spec.header("content-type") or ""
    if media.lower().startswith("multipart/"):
        try:
            spec.body.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return media_kind(media, spec.body).printable


def preview_text(spec: RequestSpec, redactor: Redactor | None = None) -> str:
    """The request as it goes on the wire (HTTP/1.1 style), through ``redactor``.

    ``redactor`` is the window's (secrets always masked, personal data too in presentation
    mode); without one, the storage policy masks the secrets. The URL's query, every
    secret-looking header and secret fields in the body are masked.
    """
    redactor = redactor or Redactor(RedactionPolicy.for_storage())
    safe = redactor.redact_spec(spec)
    placeholders = {
        i
        for i, (k, v) in enumerate(spec.headers)
        if k.lower() == "authorization" and v in (AUTH_PLACEHOLDER, f"Basic {MASK}")
    }
    lines = [f"{safe.method} {safe.url}"]
    for index, (key, value) in enumerate(safe.headers):
        note = "   ← from the selected profile when sent" if index in placeholders else ""
        lines.append(f"{key}: {value}{note}")
    if safe.body is not None and not _shows_as_text(safe):
        lines += ["", body_summary(safe.header("content-type"), safe.body)]
    elif safe.body is not None:
        body = safe.body.decode("utf-8", errors="replace")
        with contextlib.suppress(ValueError):
            body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
        lines += ["", redactor.redact_text(body)]
    return "\n".join(lines)


def panel_stylesheet(colors: Palette) -> str:
    """The request panel's looks, in ``colors`` (from :mod:`explorer.ui.style.palette`)."""
    error, warning, dim, ok = colors.error, colors.warning, colors.dim_text, colors.ok
    chip_bg, chip_fg = colors.chip_bg, colors.chip_fg
    bar_err_bg, bar_err_border = colors.bar_error_bg, colors.bar_error_border
    bar_info_bg, bar_info_border = colors.bar_info_bg, colors.bar_info_border
    # An invalid line edit's red border is drawn by explorer.ui.style.app_style, not here.
    badge_rules = "\n".join(
        f'QLabel[badge="{m}"] {{ background: {c}; }}'
        for m, c in colors.methods.items()
        if m != "OTHER"
    )
    return f"""
QLabel[note="error"] {{ color: {error}; }}
QLabel[note="warning"] {{ color: {warning}; }}
QLabel[note="hint"] {{ color: {dim}; font-family: monospace; }}
QLabel[note="ok"] {{ color: {ok}; }}
QLabel[role="section"] {{ font-weight: 600; padding-top: 6px; }}
QLabel[role="fieldgroup"] {{ font-weight: 600; }}
QLabel[chip="unverified"] {{ background: {chip_bg}; color: {chip_fg}; border-radius: 8px;
    padding: 1px 7px; font-size: 90%; font-weight: 600; }}
QLabel[badge] {{ color: {colors.method_text}; font-weight: 700; border-radius: 4px;
    padding: 3px 8px; font-family: monospace; background: {colors.method("OTHER")}; }}
{badge_rules}
QFrame[bar="error"] {{ background: {bar_err_bg}; border: 1px solid {bar_err_border};
    border-radius: 4px; }}
QFrame[bar="info"] {{ background: {bar_info_bg}; border: 1px solid {bar_info_border};
    border-radius: 4px; }}
QComboBox[invalid="true"] {{ border: 1px solid {error}; }}
QListWidget[role="problems"] {{ color: {error}; }}
QPushButton#sendButton {{ font-weight: 600; padding: 4px 14px; }}
"""
