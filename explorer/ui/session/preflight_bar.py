"""Inline bars above the window's panels: pre-flight warnings and profile-file problems.

:class:`PreflightBar` holds a request back while it shows what is likely wrong with it
(each warning names its fix) and lets the user choose: "Send anyway", the one-click fix
when there is a mechanical one, or "Don't send". It is a bar, not a modal dialog, so the
user can still read and change the request. :class:`NoticeBar` reports a problem, such as
a damaged profiles file, with its path and where the copy was kept.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from explorer.core.models import FIX_LABELS, FixAction, RequestSpec
from explorer.core.preflight import PreflightWarning

#: Fix actions that change the profile and resend on their own.
MECHANICAL_FIXES = (
    FixAction.SET_AUDIENCE_AND_RETRY,
    FixAction.USE_ENVIRONMENT_TOKEN_SERVER,
    FixAction.REFRESH_TOKEN_AND_RETRY,
    FixAction.OPEN_SCOPE_EDITOR,
    FixAction.OPEN_PROFILE_EDITOR,
    FixAction.USE_SANDBOX_CUSTOMER,
    FixAction.USE_SANDBOX_PRO,
    FixAction.USE_SANDBOX_APP,
)


class NoticeBar(QFrame):
    """A coloured bar with a message and a close button."""

    def __init__(self, level: str = "warning", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "notice")
        self.setProperty("level", level)
        self.icon = QLabel("⚠" if level == "warning" else "✖")
        self.icon.setProperty("role", "noticeIcon")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.close_button = QPushButton("Dismiss")
        self.close_button.clicked.connect(self.hide)
        self.buttons.addWidget(self.close_button)
        text = QVBoxLayout()
        text.addWidget(self.message)
        text.addLayout(self.buttons)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 10, 8)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.hide()

    def show_message(self, rich_text: str) -> None:
        self.message.setText(rich_text)
        self.show()


class PreflightBar(NoticeBar):
    """Pre-flight warnings for a held-back request: Send anyway, fix, or don't send."""

    send_anyway = Signal(object)  # RequestSpec
    fix_requested = Signal(object, object)  # FixAction, RequestSpec

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("warning", parent)
        self.setObjectName("preflightBar")
        self.close_button.setText("Don't send")
        self.close_button.clicked.connect(self.on_dismissed)
        self.fix_button = QPushButton("")
        self.fix_button.setObjectName("preflightFix")
        self.send_button = QPushButton("Send anyway")
        self.send_button.setObjectName("preflightSendAnyway")
        self.buttons.insertWidget(1, self.fix_button)
        self.buttons.insertWidget(2, self.send_button)
        self.fix_button.clicked.connect(self.on_fix_clicked)
        self.send_button.clicked.connect(self.on_send_clicked)
        self.spec: RequestSpec | None = None
        self.warnings: tuple[PreflightWarning, ...] = ()
        self.fix: FixAction | None = None

    def hold(self, spec: RequestSpec, warnings: list[PreflightWarning]) -> None:
        """Show ``warnings`` for ``spec`` (not sent until the user chooses)."""
        self.spec = spec
        self.warnings = tuple(warnings)
        count = len(warnings)
        heading = (
            "This request will probably fail:"
            if count == 1
            else f"This request will probably fail ({count} problems):"
        )
        items = "".join(f"<li>{html.escape(w.message)}</li>" for w in warnings)
        self.show_message(f"<b>{heading}</b><ul style='margin:2px 0'>{items}</ul>")
        self.fix = next((w.fix for w in warnings if w.fix in MECHANICAL_FIXES), None)
        self.fix_button.setVisible(self.fix is not None)
        if self.fix is not None:
            self.fix_button.setText(FIX_LABELS.get(self.fix, self.fix.value))
        self.send_button.setFocus()

    def _release(self) -> RequestSpec | None:
        spec, self.spec = self.spec, None
        self.hide()
        return spec

    @Slot()
    def on_send_clicked(self) -> None:
        spec = self._release()
        if spec is not None:
            self.send_anyway.emit(spec)

    @Slot()
    def on_fix_clicked(self) -> None:
        fix = self.fix
        spec = self._release()
        if spec is not None and fix is not None:
            self.fix_requested.emit(fix, spec)

    @Slot()
    def on_dismissed(self) -> None:
        self.spec = None
