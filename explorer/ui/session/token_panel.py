"""The token panel: what the current token says about itself, and the token actions.

Shows the decoded JWT header and claims (decoded, NOT verified), the granted scopes,
audience, issuer and a live expiry countdown, with Get token, Refresh, Forget and, for
authorization-code profiles, "Log in in browser…" (cancellable). The token itself is never
shown or offered for copying: the panel shows a mask in its place. Claims, issuer, subject
and error messages pass through the window's redactor (:meth:`TokenPanel.set_redactor`),
so presentation mode masks the personal data a token carries.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt, QTimer, SignalInstance, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from explorer.core.auth import TokenInfo
from explorer.core.models import Flow
from explorer.core.profiles import PARTNER_AUDIENCE, Profile
from explorer.core.redact import MASK, RedactionPolicy, Redactor
from explorer.ui.plain import plain_labels, plain_tooltip
from explorer.ui.session.controller import SessionController
from explorer.ui.session.style import style_session_widget


class TokenState(StrEnum):
    """What the status bar and the panel say about the token."""

    NONE = "none"
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    ERROR = "error"


CHIP_TEXT = {
    TokenState.VALID: "valid",
    TokenState.EXPIRING: "expiring soon",
    TokenState.EXPIRED: "expired",
    TokenState.ERROR: "error",
}


def countdown(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def token_state(
    info: TokenInfo | None, error: str = "", now: float | None = None
) -> tuple[TokenState, str]:
    """The state and its words, e.g. ``(VALID, "valid, expires in 59:12")``."""
    if error:
        return TokenState.ERROR, "error (see the Token panel)"
    if info is None:
        return TokenState.NONE, "none yet"
    left = info.seconds_left(time.time() if now is None else now)
    if left is None:
        return TokenState.VALID, "valid (no expiry given)"
    if left <= 0:
        return TokenState.EXPIRED, "expired" + (", will refresh" if info.has_refresh_token else "")
    state = TokenState.EXPIRING if left < 60 else TokenState.VALID
    return state, f"valid, expires in {countdown(left)}"


def _value_label() -> QLabel:
    label = QLabel("—")
    plain_labels(label)  # claims and errors come from the token server
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TokenPanel(QDockWidget):
    """A dock showing the current profile's token and its actions."""

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__("Token", parent)
        self.setObjectName("tokenDock")
        self.controller = controller
        storage = Redactor(RedactionPolicy.for_storage())
        self._redactor: Callable[[], Redactor] = lambda: storage
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 6, 8, 8)

        top = QHBoxLayout()
        self.profile_label = QLabel("No profile")
        self.profile_label.setProperty("role", "heading")
        self.state_label = QLabel("none yet")
        self.state_label.setObjectName("tokenState")
        self.state_label.setProperty("role", "chip")
        top.addWidget(self.profile_label, 1)
        top.addWidget(self.state_label)
        layout.addLayout(top)

        self.note = QLabel(
            "Decoded, not verified: the signature is not checked, so these are the values "
            "the token claims."
        )
        self.note.setObjectName("tokenNote")
        self.note.setProperty("role", "dim")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.token_value = _value_label()
        self.token_value.setObjectName("tokenValue")
        self.expires = _value_label()
        self.expires.setObjectName("tokenExpires")
        self.issuer = _value_label()
        self.audience = _value_label()
        self.subject = _value_label()
        self.scopes = _value_label()
        self.scopes.setObjectName("tokenScopes")
        self.refresh_info = _value_label()
        self.stored = _value_label()
        self.stored.setProperty("role", "dim")
        for label, widget in (
            ("Access token", self.token_value),
            ("Expires in", self.expires),
            ("Issuer", self.issuer),
            ("Audience", self.audience),
            ("Subject", self.subject),
            ("Granted scopes", self.scopes),
            ("Refresh token", self.refresh_info),
            ("Stored in", self.stored),
        ):
            form.addRow(label, widget)
        layout.addLayout(form)

        self.claims = QPlainTextEdit()
        self.claims.setObjectName("tokenClaims")
        self.claims.setAccessibleName("Token claims, decoded")
        self.claims.setReadOnly(True)
        self.claims.setPlaceholderText("Get a token to see its header and claims.")
        self.claims.setMinimumHeight(120)
        layout.addWidget(QLabel("Header and claims (decoded, not verified)"))
        layout.addWidget(self.claims, 1)

        self.error = QLabel("")
        self.error.setObjectName("tokenError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        plain_labels(self.profile_label, self.state_label, self.error)
        layout.addWidget(self.error)

        buttons = QHBoxLayout()
        self.get_button = QPushButton("Get token")
        self.refresh_button = QPushButton("Refresh")
        self.forget_button = QPushButton("Forget")
        self.login_button = QPushButton("Log in in browser…")
        self.cancel_button = QPushButton("Cancel sign-in")
        self.cancel_button.hide()
        for button in (
            self.get_button,
            self.refresh_button,
            self.forget_button,
            self.login_button,
            self.cancel_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.setWidget(scroll)

        self.get_button.clicked.connect(self.on_get_clicked)
        self.refresh_button.clicked.connect(self.on_refresh_clicked)
        self.forget_button.clicked.connect(self.on_forget_clicked)
        self.login_button.clicked.connect(self.on_login_clicked)
        self.cancel_button.clicked.connect(self.on_cancel_clicked)
        controller.token_changed.connect(self.on_token_changed)
        controller.token_failed.connect(self.on_token_failed)
        controller.profile_changed.connect(self.on_profile_changed)
        controller.login_running.connect(self.on_login_running)
        controller.secret_store_changed.connect(self.on_store_changed)

        style_session_widget(self)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.on_timer_tick)
        self.timer.start()
        self.on_profile_changed(controller.profile)

    # ----- actions --------------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        self.error.hide()
        self.state_label.setText(text)

    @Slot()
    def on_get_clicked(self) -> None:
        self._busy("getting a token…")
        self.controller.get_token()

    @Slot()
    def on_refresh_clicked(self) -> None:
        self._busy("refreshing…")
        self.controller.refresh_token()

    @Slot()
    def on_forget_clicked(self) -> None:
        self._busy("forgetting…")
        self.controller.forget_token()

    @Slot()
    def on_login_clicked(self) -> None:
        self._busy("waiting for the browser…")
        self.controller.login()

    @Slot()
    def set_redactor(
        self, redactor: Callable[[], Redactor], changed: SignalInstance | None = None
    ) -> None:
        """Show claims and messages through ``redactor()`` (the window's, read at each use);
        ``changed`` (presentation mode toggled) re-renders them."""
        self._redactor = redactor
        if changed is not None:
            changed.connect(self.on_redaction_changed)
        self.on_redaction_changed()

    @Slot()
    def on_redaction_changed(self) -> None:
        self.on_token_changed(self.controller.token_info)
        if self.controller.token_error:
            self.error.setText(self._redactor().redact_text(self.controller.token_error))

    def _claims_text(self, info: TokenInfo) -> str:
        redactor = self._redactor()
        # The claims describe one subject (a person for user tokens): "name" is personal.
        claims: Any = redactor.redact_json({"user": dict(info.claims)})["user"]
        header: Any = redactor.redact_json(dict(info.header))
        return (
            "// header\n"
            + json.dumps(header, indent=2, sort_keys=True, default=str)
            + "\n\n// claims\n"
            + json.dumps(claims, indent=2, sort_keys=True, default=str)
        )

    def on_cancel_clicked(self) -> None:
        self.controller.cancel_login()
        self.on_token_changed(self.controller.token_info)

    # ----- updates --------------------------------------------------------------------------
    @Slot(bool)
    def on_login_running(self, running: bool) -> None:
        self.cancel_button.setVisible(running)
        self.login_button.setEnabled(not running)

    @Slot(object)
    def on_profile_changed(self, profile: Profile | None) -> None:
        self.profile_label.setText(profile.name if profile else "No profile")
        code_flow = profile is not None and profile.flow is Flow.AUTHORIZATION_CODE
        self.login_button.setVisible(code_flow)
        for button in (self.get_button, self.refresh_button, self.forget_button):
            button.setEnabled(profile is not None)
        self.on_store_changed("")
        self.on_token_changed(self.controller.token_info)

    @Slot(str)
    def on_store_changed(self, _location: str) -> None:
        self.stored.setText(self.controller.store_location(self.controller.profile))

    @Slot(str)
    def on_token_failed(self, message: str) -> None:
        self.error.setText(self._redactor().redact_text(message))
        self.error.show()
        self.on_timer_tick()

    @Slot(object)
    def on_token_changed(self, info: TokenInfo | None) -> None:
        if not self.controller.token_error:
            self.error.hide()
        self.token_value.setText(f"{MASK} (hidden)" if info is not None else "—")
        if info is None:
            for label in (self.issuer, self.audience, self.subject, self.scopes):
                label.setText("—")
            self.refresh_info.setText("—")
            self.claims.setPlainText("")
        else:
            text_of = self._redactor().redact_text
            self.issuer.setText(text_of(info.issuer or "—"))
            audience = ", ".join(info.audience) or "—"
            if info.audience and PARTNER_AUDIENCE not in info.audience:
                audience += f"  (Thumbtack needs {PARTNER_AUDIENCE})"
            self.audience.setText(audience)
            self.subject.setText(text_of(info.subject or "—"))
            self.scopes.setText("\n".join(info.scopes) or "none listed")
            self.refresh_info.setText(
                "yes (kept in the secret store)" if info.has_refresh_token else "none"
            )
            if info.is_jwt:
                text = self._claims_text(info)
            else:
                text = "// The token is opaque (not a JWT): there are no claims to decode."
            self.claims.setPlainText(text)
        self.on_timer_tick()

    @Slot()
    def on_timer_tick(self) -> None:
        info = self.controller.token_info
        state, text = token_state(info, self.controller.token_error)
        if self.state_label.property("state") != state.value:
            self.state_label.setProperty("state", state.value)
            self.state_label.style().unpolish(self.state_label)
            self.state_label.style().polish(self.state_label)
        self.state_label.setText(
            CHIP_TEXT.get(state, text) if state is not TokenState.NONE else text
        )
        self.state_label.setToolTip(plain_tooltip(text))
        left = info.seconds_left() if info is not None else None
        if info is None:
            self.expires.setText("—")
        elif left is None:
            self.expires.setText("no expiry given")
        else:
            self.expires.setText(countdown(left) if left > 0 else "expired")
