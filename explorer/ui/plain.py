"""Text from a server (or typed by the user) is shown as the characters it is.

A QLabel or a tooltip renders anything that looks like HTML: a problem title of
``<a href=…>Click here to sign in again</a>`` would become a link. Labels that show such
text are set to plain text with :func:`plain_labels`; tooltips, which have no such
setting, get the text escaped inside a paragraph by :func:`plain_tooltip`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain_labels(*labels: QLabel) -> None:
    """Show these labels' text as plain text, never as HTML."""
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally (line breaks kept)."""
    if not text:
        return text
    escaped = html.escape(text).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{escaped}</p>"
