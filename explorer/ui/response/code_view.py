"""A read-only text view for bodies of any size: text arrives in chunks, colour only on screen.

:class:`CodeView` owns the editor side of the big-body pattern. Chunks prepared on a
worker (:mod:`explorer.core.body`) are appended with one small ``insertText``
each; their tokens are kept as compact arrays, and a line is coloured only when it
scrolls into view (``QTextLayout.setFormats`` on that block, as ``QSyntaxHighlighter``
does internally), so neither a 50 MB body nor its colours are ever applied in one call.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from explorer.core.body import Chunk, TokenKind
from explorer.ui.style.palette import for_dark

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def token_formats(*, dark: bool) -> dict[TokenKind, QTextCharFormat]:
    """The character format of each token kind in the dark or light theme (the syntax
    colours of :mod:`explorer.ui.style.palette`)."""
    syntax = for_dark(dark).syntax
    formats = {}
    for kind in TokenKind:
        colour = syntax.get(kind.name.lower())
        if colour is None:
            continue
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(colour))
        formats[kind] = fmt
    return formats


class CodeView(QPlainTextEdit):
    """Monospace, read-only, wrapping; ``append_chunk`` adds text and tokens."""

    first_chunk_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Wrapping: with NoWrap every inserted line is laid out to find the widest one,
        # which doubles the cost of each chunk.
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.document().setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._firsts: list[int] = []
        self._placed: list[Chunk] = []
        self._next_block = 0
        self._formats = token_formats(dark=False)
        self._colour_generation = 1
        self.verticalScrollBar().valueChanged.connect(self.colour_visible)

    # ----- content ------------------------------------------------------------------------
    def reset(self) -> None:
        """Empty the view (a new body is coming)."""
        self._firsts.clear()
        self._placed.clear()
        self._next_block = 0
        self.setExtraSelections([])
        self.clear()

    def set_dark(self, dark: bool) -> None:
        """Switch token colours; visible lines are recoloured at once, others on scroll."""
        self._formats = token_formats(dark=dark)
        self._colour_generation += 1
        self.colour_visible()

    @property
    def line_total(self) -> int:
        return self._next_block

    def append_chunk(self, chunk: Chunk) -> None:
        """Append a chunk's lines at the end (no scrolling) and keep its tokens."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        first = not self._placed
        cursor.insertText(chunk.text if first else "\n" + chunk.text)
        self._firsts.append(self._next_block)
        self._placed.append(dataclasses.replace(chunk, text=""))
        start_block = self._next_block
        self._next_block += chunk.line_count
        if start_block <= self._last_visible_block() + 1:
            self.colour_visible()
        if first:
            self.first_chunk_shown.emit()

    # ----- colouring ----------------------------------------------------------------------
    def _last_visible_block(self) -> int:
        block = self.firstVisibleBlock()
        lines = max(1, self.viewport().height() // max(1, self.fontMetrics().lineSpacing()))
        return block.blockNumber() + lines + 1

    def colour_visible(self) -> None:
        """Colour the blocks on screen (and a few below) that are not coloured yet."""
        if not self._placed:
            return
        block = self.firstVisibleBlock()
        last = self._last_visible_block() + 10
        while block.isValid() and block.blockNumber() <= last:
            if block.userState() != self._colour_generation:
                self._colour_block(block)
            block = block.next()

    def _colour_block(self, block: QTextBlock) -> None:
        number = block.blockNumber()
        index = bisect_right(self._firsts, number) - 1
        if index < 0:
            return
        chunk = self._placed[index]
        line = number - self._firsts[index]
        if line >= chunk.line_count:
            return
        block.setUserState(self._colour_generation)
        spans = chunk.line_spans(line)
        if not spans and not block.layout().formats():
            return
        text = block.text()
        astral = _ASTRAL.search(text) is not None
        ranges = []
        for begin, size, kind in spans:
            start, length = begin, size
            if astral:  # Qt counts UTF-16 units; Python counts code points
                length = _utf16_len(text[begin : begin + size])
                start = _utf16_len(text[:begin])
            item = QTextLayout.FormatRange()
            item.start = start
            item.length = length
            item.format = self._formats[kind]
            ranges.append(item)
        block.layout().setFormats(ranges)
        self.document().markContentsDirty(block.position(), block.length())


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
