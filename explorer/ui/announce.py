"""Announcements for screen readers: what just happened, said without moving the focus.

Qt sends a :class:`QAccessibleAnnouncementEvent` (Qt 6.8+) to the platform's assistive
technology (AT-SPI on Linux, UI Automation on Windows, VoiceOver on macOS); without one
running the call costs nothing.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget

from explorer.core.models import Explanation
from explorer.core.status import StatusInfo


def announce(widget: QWidget, text: str, *, urgent: bool = False) -> None:
    """Have a screen reader say ``text`` about ``widget`` (``urgent``: interrupt it)."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    if urgent:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


def response_words(status: StatusInfo, explanation: Explanation | None) -> str:
    """What is said when a response arrives, e.g. "401 Unauthorized: access token expired"."""
    title = explanation.title.strip() if explanation is not None else ""
    if not title or title == status.label:
        return status.label
    return f"{status.label}: {title}"
