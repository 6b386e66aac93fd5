"""The grid every form of the request builder uses: label | editor, the note below.

:class:`RowGrid` lays out :class:`~explorer.ui.request.field_editors.FieldRow` s side by side
while the editors keep room for about :data:`EDITOR_CHARS` characters beside the widest
label. Narrower (a side dock open, presentation mode's larger font, a small window), each
label moves above its editor, so the form shrinks with the panel instead of being cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

if TYPE_CHECKING:
    from explorer.ui.request.field_editors import FieldRow

#: Editors keep room for about this many characters before the labels go above them.
EDITOR_CHARS = 16
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom


class RowGrid(QWidget):
    """Rows of label | editor (note under the editor), or label over editor when narrow."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(3)
        self._rows: list[tuple[FieldRow | QLabel, bool]] = []  # (row or heading, full width)
        self.stacked = False
        self._next = 0  # the grid row the next entry goes to
        self._arrange()

    # ----- building -----------------------------------------------------------------------
    def add_row(self, row: FieldRow, *, full_width: bool = False) -> None:
        if not full_width and row.unverified is not None:  # a compact marker; the tooltip says why
            words = row.unverified.text()
            row.unverified.setText("?")
            row.unverified.setAccessibleName(row.unverified.accessibleName() or words)
            row.unverified.setToolTip(f"{words.capitalize()}: {row.unverified.toolTip()}")
        self._rows.append((row, full_width))
        self._place(row, full_width)

    def add_heading(self, heading: QLabel) -> None:
        """A line over the rows that follow (a deep object's name); it wraps when narrow."""
        heading.setWordWrap(True)
        self._rows.append((heading, False))
        self._place(heading, False)

    # ----- layout -------------------------------------------------------------------------
    def _arrange(self) -> None:
        """Lay every row out again, side by side or stacked as :attr:`stacked` says."""
        grid = self.grid
        while grid.count():
            grid.takeAt(0)
        self._next = 0
        for entry, full_width in self._rows:
            self._place(entry, full_width)
        left, right = (1, 0) if self.stacked else (0, 1)
        grid.setColumnStretch(0, left)
        grid.setColumnStretch(1, right)

    def _place(self, entry: FieldRow | QLabel, full_width: bool) -> None:
        grid, r, stacked = self.grid, self._next, self.stacked
        editor_column = 0 if stacked else 1
        if isinstance(entry, QLabel):  # a heading, over the editors' column
            grid.addWidget(entry, r, editor_column, 1, 2)
            self._next += 1
            return
        if full_width:
            grid.addWidget(entry.editor, r, 0, 1, 3)
        else:
            entry.label.setAlignment(_LEFT if stacked else _RIGHT)
            if stacked:
                grid.addWidget(entry.label, r, 0, 1, 2)
                r += 1
            else:
                grid.addWidget(entry.label, r, 0)
            grid.addWidget(entry.editor, r, editor_column)
            if entry.unverified is not None:
                grid.addWidget(entry.unverified, r, editor_column + 1)
        grid.addWidget(entry.note, r + 1, editor_column, 1, 2)
        self._next = r + 2

    def side_by_side_width(self) -> int:
        """The least width at which labels stay beside their editors."""
        rows = [row for row, full in self._rows if not isinstance(row, QLabel) and not full]
        if not rows:
            return 0
        labels = max(row.label.sizeHint().width() for row in rows)
        editors = max(
            self.fontMetrics().averageCharWidth() * EDITOR_CHARS,
            *(row.editor.minimumSizeHint().width() for row in rows),
        )
        spacing = self.grid.horizontalSpacing()
        markers = [row.unverified.sizeHint().width() for row in rows if row.unverified]
        return labels + spacing + editors + (spacing + max(markers) if markers else 0)

    def _stacked_width(self) -> int:
        spacing = self.grid.horizontalSpacing()
        widths = [0]
        for entry, full_width in self._rows:
            if isinstance(entry, QLabel):
                widths.append(entry.minimumSizeHint().width())
                continue
            editor = entry.editor.minimumSizeHint().width()
            if not full_width:
                widths.append(entry.label.sizeHint().width())
                if entry.unverified is not None:
                    editor += spacing + entry.unverified.sizeHint().width()
            widths.append(editor)
        return max(widths)

    def minimumSizeHint(self) -> QSize:
        """As narrow as the rows are with each label above its editor."""
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), self._stacked_width()))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        stacked = event.size().width() < self.side_by_side_width()
        if stacked != self.stacked:
            self.stacked = stacked
            self._arrange()
