"""The raw JSON editor of the request builder: light syntax colours and problem markers.

Owns :class:`JsonEditor` (a monospace ``QPlainTextEdit`` that marks problem lines),
:class:`JsonHighlighter` (a small regex highlighter; one pass per visible block, so it
stays cheap) and :func:`line_of_path`, which finds the line of a field such as
``("utmData", "utm_source")`` in JSON text by composing it as YAML (JSON is a subset
YAML's composer reads with line marks), so a schema problem can point at its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml
from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from explorer.ui.style.palette import current, for_dark
from explorer.ui.style.theme import is_dark

#: Above this size the editor stops colouring (the highlighter would slow typing).
HIGHLIGHT_LIMIT = 200_000


def monospace_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


class JsonHighlighter(QSyntaxHighlighter):
    """Colours keys, strings, numbers, literals and ``{{variables}}`` of JSON text."""

    _RULES = (
        ("number", r"-?\b\d+(\.\d+)?([eE][+-]?\d+)?\b"),
        ("literal", r"\b(true|false|null)\b"),
        ("string", r"\"(\\.|[^\"\\])*\""),
        ("key", r"\"(\\.|[^\"\\])*\"(?=\s*:)"),
        ("variable", r"\{\{\s*[A-Za-z_][A-Za-z0-9_.-]*\s*\}\}"),
    )

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._rules = [(name, QRegularExpression(pattern)) for name, pattern in self._RULES]
        self.set_dark(is_dark())

    def set_dark(self, dark: bool) -> None:
        syntax = for_dark(dark).syntax
        self._formats: dict[str, QTextCharFormat] = {}
        for name in ("key", "string", "number", "literal", "variable"):
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(syntax["keyword" if name == "literal" else name]))
            if name in ("key", "variable"):
                fmt.setFontWeight(QFont.Weight.DemiBold)
            self._formats[name] = fmt
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        document = self.document()
        if document is not None and document.characterCount() > HIGHLIGHT_LIMIT:
            return
        for name, expression in self._rules:
            matches = expression.globalMatch(text)
            fmt = self._formats[name]
            while matches.hasNext():
                match = matches.next()
                self.setFormat(match.capturedStart(), match.capturedLength(), fmt)


class JsonEditor(QPlainTextEdit):
    """Edits a JSON body; ``mark_problems`` underlines lines and a click can jump to one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rawJsonEditor")
        self.setFont(monospace_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 2)
        self.setPlaceholderText('{\n  "field": "value"\n}')
        self.highlighter = JsonHighlighter(self.document())
        self.marked_lines: list[int] = []

    def mark_problems(self, lines: Sequence[int]) -> None:
        """Give each 1-based line in ``lines`` a red background."""
        self.marked_lines = sorted(set(lines))
        selections = []
        colour = QColor(current().problem_line_bg)
        for line in self.marked_lines:
            block = self.document().findBlockByNumber(line - 1)
            if not block.isValid():
                continue
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(colour)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            cursor = QTextCursor(block)
            selection.cursor = cursor
            selections.append(selection)
        self.setExtraSelections(selections)

    def go_to(self, line: int, column: int = 1) -> None:
        block = self.document().findBlockByNumber(max(line - 1, 0))
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        cursor.movePosition(
            QTextCursor.MoveOperation.Right,
            QTextCursor.MoveMode.MoveAnchor,
            max(0, min(column - 1, block.length() - 1)),
        )
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus(Qt.FocusReason.OtherFocusReason)


_TAB = re.compile(r"\t")


def line_of_path(text: str, path: Sequence[str | int]) -> int | None:
    """The 1-based line where the value at ``path`` (or its nearest parent) starts.

    JSON is walked along the path only (:func:`~explorer.core.json_locate.span_of`); text
    that is not JSON (``{{variables}}`` unquoted) is read as YAML instead."""
    from explorer.core.json_locate import span_of

    parts = list(path)
    while True:
        span = span_of(text, parts)
        if span is not None:
            return text.count("\n", 0, span[0]) + 1
        if not parts:
            break
        parts.pop()
    try:
        node = yaml.compose(_TAB.sub("  ", text), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = next(
                ((key, value) for key, value in node.value if str(key.value) == str(part)), None
            )
            if found is None:
                break
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
