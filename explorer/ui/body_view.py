"""The body view: formatted, searchable, filterable; never freezes on a big or odd body.

:class:`BodyView` decides how to show a body (see :func:`~explorer.ui.json_highlight.sniff`)
and does the heavy part on a worker thread: decoding, ``json.loads``, pretty-printing as a
stream, lexing with pygments, decoding images. Results come back through a queue drained
on the GUI thread by a short timer, a few milliseconds of work per turn, into a
:class:`~explorer.ui.code_view.CodeView`. JSON above
:data:`~explorer.ui.json_highlight.FORMAT_LIMIT` is shown as received first, with a visible
"Format anyway". Binary bodies get a hex view, images a preview, empty bodies a sentence.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.code_view import CodeView
from explorer.ui.json_highlight import (
    FORMAT_LIMIT,
    BodyKind,
    Sniffed,
    decode_pieces,
    display_pieces,
    dump_pretty,
    has_long_lines,
    hex_dump,
    human_size,
    iter_chunks,
    lexer_for,
    pretty_json_chunks,
    pretty_pieces,
    sniff,
)
from explorer.ui.theme import is_dark

HEX_PAGE = 16 * 1024
#: Bodies up to this size are prepared on the GUI thread at once (a few milliseconds).
SYNC_LIMIT = 64 * 1024
TREE_PAGE = 500
_PUMP_BUDGET_S = 0.008
_MAX_QUEUED = 6  # chunks waiting for the GUI; beyond this the worker sleeps (frees the GIL)
#: The GUI thread shares the GIL with the body worker: every Qt call that returns to Python
#: waits for the worker to let go. A short switch interval bounds that wait.
_SWITCH_INTERVAL_S = 0.0005

EMPTY_MEANINGS = {
    202: "A 202 with nothing in it is the firewall's challenge: the request did not reach "
    "the API. Retry from a normal network and User-Agent.",
    204: "204 No Content: the call succeeded and there is nothing to return.",
}


class BodyMode(StrEnum):
    """Which page of the body view is showing."""

    TEXT = "text"
    TREE = "tree"
    HEX = "hex"
    IMAGE = "image"
    MESSAGE = "message"


class _NoteLabel(QLabel):
    """A label that hides itself while it has nothing to say."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class _Feed(QObject):
    """Lives on the GUI thread; the worker emits ``ready`` after queueing something."""

    ready = Signal()


class BodyView(QWidget):
    """Shows one body. ``raw=True`` shows it exactly as received (text or hex), unformatted."""

    formatting_finished = Signal()  # all text is in and the visible lines are coloured
    filter_applied = Signal(int)  # number of matches, -1 for a bad expression

    def __init__(self, parent: QWidget | None = None, *, raw: bool = False) -> None:
        super().__init__(parent)
        self.raw = raw
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="explorer-body")
        self._queue: deque[tuple[int, str, Any]] = deque()
        self._cancel = threading.Event()
        self._generation = 0
        self._body = b""
        self._content_type = ""
        self._status: int | None = None
        self._sniffed = Sniffed(kind=BodyKind.EMPTY)
        self._document: Any = None
        self._has_document = False
        self._copy_text: str | None = None
        self._broken = False
        self._fragments: tuple[str, ...] = ()
        self._hex_shown = 0
        self.loading = False
        self.mode = BodyMode.MESSAGE
        self.matched_selections: list[QTextEdit.ExtraSelection] = []

        self._feed = _Feed(self)
        self._feed.ready.connect(self._on_feed_ready)
        self._pump_timer = QTimer(self)
        self._pump_timer.setSingleShot(True)
        self._pump_timer.setInterval(1)
        self._pump_timer.timeout.connect(self._pump)

        self._build()

    # ----- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.tree_button = _tool_button("Tree", checkable=True)
        self.tree_button.setToolTip("Show the JSON as a collapsible tree")
        self.tree_button.toggled.connect(self.on_tree_button_toggled)
        self.hex_button = _tool_button("Hex", checkable=True)
        self.hex_button.setToolTip("Show the bytes as received, in hex")
        self.hex_button.toggled.connect(self.on_hex_button_toggled)
        self.filter_edit = QLineEdit(placeholderText="JSONPath filter, e.g. $.data[*].name")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setObjectName("bodyFilter")
        self.filter_edit.returnPressed.connect(lambda: self.apply_filter(self.filter_edit.text()))
        self.filter_edit.textChanged.connect(self.on_filter_edit_changed)
        self.search_edit = QLineEdit(placeholderText="Find (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setObjectName("bodySearch")
        self.search_edit.returnPressed.connect(lambda: self.search(self.search_edit.text()))
        self.prev_button = _tool_button("▲")
        self.prev_button.setToolTip("Previous match (Shift+F3)")
        self.prev_button.clicked.connect(lambda: self.search(self.search_edit.text(), True))
        self.next_button = _tool_button("▼")
        self.next_button.setToolTip("Next match (F3)")
        self.next_button.clicked.connect(lambda: self.search(self.search_edit.text()))
        self.copy_button = _tool_button("Copy")
        self.copy_button.setToolTip("Copy the whole body as shown")
        self.copy_button.clicked.connect(self.copy_all)
        self.format_button = QPushButton("Format anyway")
        self.format_button.setObjectName("formatAnyway")
        self.format_button.clicked.connect(self.format_anyway)
        self.format_button.hide()

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        for widget in (self.tree_button, self.hex_button):
            bar.addWidget(widget)
        self.filter_edit.setMinimumWidth(60)
        self.search_edit.setMinimumWidth(50)
        bar.addWidget(self.filter_edit, 3)
        bar.addWidget(self.search_edit, 2)
        for widget in (self.prev_button, self.next_button, self.copy_button):
            bar.addWidget(widget)
        self.tree_button.setVisible(not self.raw)
        self.filter_edit.setVisible(not self.raw)

        self.note = _NoteLabel("")
        self.note.setProperty("role", "dim")
        self.note.setObjectName("bodyNote")
        self.note.setWordWrap(True)
        note_row = QHBoxLayout()
        note_row.setContentsMargins(0, 0, 0, 0)
        note_row.addWidget(self.note, 1)
        note_row.addWidget(self.format_button)

        self.code = CodeView()
        self.code.setObjectName("responseBody" if not self.raw else "responseRaw")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Key", "Value"])
        self.tree.setColumnWidth(0, 220)
        self.tree.itemExpanded.connect(self.on_tree_item_expanded)
        self.tree.itemDoubleClicked.connect(self.on_tree_item_double_clicked)
        self.hex = QPlainTextEdit(readOnly=True)
        self.hex.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.hex.setFont(self.code.font())
        self.hex_more = QPushButton("Load more")
        self.hex_more.clicked.connect(self.load_more_hex)
        hex_page = QWidget()
        hex_layout = QVBoxLayout(hex_page)
        hex_layout.setContentsMargins(0, 0, 0, 0)
        hex_layout.addWidget(self.hex, 1)
        hex_layout.addWidget(self.hex_more, 0, Qt.AlignmentFlag.AlignLeft)
        self.image_label = QLabel()
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image_scroll = QScrollArea()
        image_scroll.setWidget(self.image_label)
        image_scroll.setWidgetResizable(True)
        self.message = QLabel("No body yet.")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setProperty("role", "dim")
        self.message.setObjectName("bodyMessage")

        self.stack = QStackedWidget()
        self._pages = {
            BodyMode.TEXT: self.code,
            BodyMode.TREE: self.tree,
            BodyMode.HEX: hex_page,
            BodyMode.IMAGE: image_scroll,
            BodyMode.MESSAGE: self.message,
        }
        for page in self._pages.values():
            self.stack.addWidget(page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addLayout(note_row)
        layout.addWidget(self.stack, 1)

        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)
        for keys, backward in (("F3", False), ("Shift+F3", True), ("Shift+Return", True)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(
                lambda b=backward: self.search(self.search_edit.text(), backward=b)
            )
        self._set_mode(BodyMode.MESSAGE)

    def _set_mode(self, mode: BodyMode) -> None:
        self.mode = mode
        self.stack.setCurrentWidget(self._pages[mode])
        text_like = mode in (BodyMode.TEXT, BodyMode.TREE)
        for widget in (self.search_edit, self.prev_button, self.next_button):
            widget.setEnabled(mode is BodyMode.TEXT)
        self.copy_button.setEnabled(text_like or mode is BodyMode.HEX)
        self.filter_edit.setEnabled(self._sniffed.kind is BodyKind.JSON and not self.loading)
        self.tree_button.setEnabled(self._sniffed.kind is BodyKind.JSON)
        self.hex_button.setEnabled(bool(self._body))

    # ----- showing ------------------------------------------------------------------------
    def clear(self) -> None:
        self.show_message("No body yet.")

    def show_message(self, text: str) -> None:
        """Show a sentence instead of a body (pending, cancelled, network failure)."""
        self._stop()
        self._body, self._content_type, self._status = b"", "", None
        self._sniffed = Sniffed(kind=BodyKind.EMPTY)
        self._document, self._has_document, self._copy_text = None, False, text
        self._fragments = ()
        self.code.reset()
        self.note.setText("")
        self.format_button.hide()
        self.message.setText(text)
        self._set_mode(BodyMode.MESSAGE)

    def show_text(self, text: str) -> None:
        """Show plain text (a network failure's chain) in the text page."""
        self.show_message("")
        self._copy_text = text
        self._start(lambda: self._text_job(text, None), size=len(text))

    def show_body(
        self,
        body: bytes,
        content_type: str,
        *,
        status: int | None = None,
        force_format: bool = False,
    ) -> None:
        """Show ``body`` (bytes as received) with its full Content-Type header value."""
        self._stop()
        self._body, self._content_type, self._status = body, content_type, status
        self._sniffed = sniff(body, content_type)
        self._document, self._has_document, self._copy_text = None, False, None
        self._broken = False
        self._fragments = ()
        self.format_button.hide()
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.tree_button.setChecked(False)
        kind = self._sniffed.kind
        size = human_size(len(body))
        if kind is BodyKind.EMPTY:
            meaning = EMPTY_MEANINGS.get(status or 0, "")
            self.message.setText("(empty body — 0 bytes)" + (f"\n\n{meaning}" if meaning else ""))
            self.note.setText("")
            self._set_mode(BodyMode.MESSAGE)
            return
        if kind is BodyKind.IMAGE:
            self.note.setText(f"{(self._sniffed.image_format or '').upper()} image, {size}")
            self.message.setText("Decoding the image…")
            self._set_mode(BodyMode.MESSAGE)
            self._start(lambda: self._image_job(body))
            return
        if kind is BodyKind.BINARY or self.hex_button.isChecked():
            self.note.setText(f"{self._sniffed.note} {size}.".strip())
            self._show_hex()
            return
        formatting = not self.raw and (force_format or len(body) <= FORMAT_LIMIT)
        if kind is BodyKind.JSON and not self.raw and not formatting:
            self.format_button.show()
            self.note.setText(
                f"Large body ({size}): shown as received. Formatting is automatic up to "
                f"{human_size(FORMAT_LIMIT)}."
            )
        else:
            self.note.setText(self._sniffed.note)
        self.code.reset()
        self._set_mode(BodyMode.TEXT)
        encoding = self._sniffed.encoding or "utf-8"
        self._start(lambda: self._body_job(body, encoding, formatting))

    def format_anyway(self) -> None:
        """Pretty-print and colour a body above the automatic limit."""
        self.show_body(self._body, self._content_type, status=self._status, force_format=True)

    # ----- worker jobs (run on the pool; they only queue results) -------------------------
    def _start(self, job: Any, *, size: int | None = None) -> None:
        """Run ``job`` on the worker; a small one (``size`` bytes) runs here at once."""
        self._generation += 1
        self._cancel = threading.Event()
        self.loading = True
        generation, cancel = self._generation, self._cancel
        if (len(self._body) if size is None else size) <= SYNC_LIMIT:
            for kind, payload in job():
                self._handle(kind, payload)
            return
        if sys.getswitchinterval() > _SWITCH_INTERVAL_S:
            sys.setswitchinterval(_SWITCH_INTERVAL_S)

        def run() -> None:
            try:
                for kind, payload in job():
                    if cancel.is_set():
                        return
                    while len(self._queue) > _MAX_QUEUED and not cancel.is_set():
                        time.sleep(0.002)
                    self._queue.append((generation, kind, payload))
                    self._feed.ready.emit()
            except Exception as exc:  # shown in the note; the window stays usable
                self._queue.append((generation, "error", f"{type(exc).__name__}: {exc}"))
                self._feed.ready.emit()

        self._pool.submit(run)

    def _body_job(self, body: bytes, encoding: str, formatting: bool) -> Iterator[tuple[str, Any]]:
        text = "".join(decode_pieces(body, encoding))
        kind = self._sniffed.kind
        if kind is BodyKind.JSON and formatting:
            errors = 0
            for item in pretty_json_chunks(text):
                if isinstance(item, int):
                    errors = item
                else:
                    yield "chunk", item
            if errors:
                yield "note", "Not valid JSON: formatted as far as it could be read."
            yield "done", text
            return
        lexer = lexer_for(self._content_type, kind) if formatting else None
        if has_long_lines(text):
            yield "broken", "Long lines are broken for display; Copy copies the body as received."
        yield from self._chunks(display_pieces(text), lexer)
        yield "done", text

    def _text_job(self, text: str, lexer: Any) -> Iterator[tuple[str, Any]]:
        yield from self._chunks(display_pieces(text), lexer)
        yield "done", text

    @staticmethod
    def _chunks(pieces: Any, lexer: Any) -> Iterator[tuple[str, Any]]:
        for chunk in iter_chunks(pieces, lexer):
            yield "chunk", chunk

    @staticmethod
    def _image_job(body: bytes) -> Iterator[tuple[str, Any]]:
        image = QImage.fromData(body)  # QImage (not QPixmap) is safe off the GUI thread
        yield "image", image

    def _filter_job(self, expression: Any, document: Any) -> Iterator[tuple[str, Any]]:
        values = [match.value for match in expression.find(document)]
        yield "filtered", len(values)
        yield from self._chunks(pretty_pieces(values), lexer_for("", BodyKind.JSON))
        yield "done", None

    # ----- GUI side: drain the queue a few milliseconds at a time --------------------------
    @Slot()
    def _on_feed_ready(self) -> None:
        if not self._pump_timer.isActive():
            self._pump_timer.start()

    @Slot()
    def _pump(self) -> None:
        deadline = time.perf_counter() + _PUMP_BUDGET_S
        while self._queue and time.perf_counter() < deadline:
            generation, kind, payload = self._queue.popleft()
            if generation == self._generation:
                self._handle(kind, payload)
        if self._queue:
            self._pump_timer.start()

    def _handle(self, kind: str, payload: Any) -> None:
        if kind == "chunk":
            self.code.append_chunk(payload)
        elif kind == "document":
            self._document, self._has_document = payload, True
        elif kind == "note":
            self.note.setText(payload)
        elif kind == "broken":
            self._broken = True
            self.note.setText(payload)
        elif kind == "no-tree":
            self.note.setText(payload)
            self.tree_button.setChecked(False)
        elif kind == "tree":
            self._show_tree()
        elif kind == "filter-error":
            self.loading = False
            self.note.setText(payload)
            self.filter_applied.emit(-1)
        elif kind == "filtered":
            self.note.setText(f"Filter {self.filter_edit.text().strip()}: {payload} match(es).")
            self.filter_applied.emit(int(payload))
        elif kind == "image":
            self._show_image(payload)
        elif kind == "error":
            self.loading = False
            self.note.setText(f"The body could not be shown: {payload}")
            self.formatting_finished.emit()
        elif kind == "done":
            self._copy_text = payload
            self.loading = False
            self.code.set_dark(is_dark())
            self._set_mode(self.mode)
            self._apply_fragments()
            self.formatting_finished.emit()

    def _stop(self) -> None:
        self._cancel.set()
        self._generation += 1
        self._queue.clear()
        self.loading = False

    def shutdown(self) -> None:
        self._stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ----- other pages --------------------------------------------------------------------
    def _show_image(self, image: QImage) -> None:
        self.loading = False
        if image.isNull():
            self.note.setText(f"{self.note.text()} — it could not be decoded; shown as bytes.")
            self._show_hex()
        else:
            pixmap = QPixmap.fromImage(image)
            self.image_label.setPixmap(pixmap)
            self.note.setText(f"{self.note.text()}, {image.width()}×{image.height()} px")
            self._set_mode(BodyMode.IMAGE)
        self.formatting_finished.emit()

    def _show_hex(self) -> None:
        self._hex_shown = 0
        self.hex.clear()
        self.load_more_hex()
        self._set_mode(BodyMode.HEX)

    @Slot()
    def load_more_hex(self) -> None:
        """Append the next page of the hex dump."""
        text = hex_dump(self._body, self._hex_shown, HEX_PAGE)
        if text:
            self.hex.appendPlainText(text)
        self._hex_shown = min(len(self._body), self._hex_shown + HEX_PAGE)
        left = len(self._body) - self._hex_shown
        self.hex_more.setVisible(left > 0)
        self.hex_more.setText(f"Load more ({human_size(left)} left)")
        if self._hex_shown == HEX_PAGE or self._hex_shown == len(self._body):
            self.hex.moveCursor(QTextCursor.MoveOperation.Start)

    @Slot(bool)
    def on_hex_button_toggled(self, checked: bool) -> None:
        if checked and self._body:
            self._show_hex()
        elif not checked and self._body:
            self.show_body(self._body, self._content_type, status=self._status)

    @Slot(bool)
    def on_tree_button_toggled(self, checked: bool) -> None:
        if not checked:
            if self.mode is BodyMode.TREE:
                self.show_body(self._body, self._content_type, status=self._status)
            return
        if self._has_document:
            self._show_tree()
            return
        self.message.setText("Reading the JSON…")
        self._set_mode(BodyMode.MESSAGE)
        body, encoding = self._body, self._sniffed.encoding or "utf-8"

        def job() -> Iterator[tuple[str, Any]]:
            try:
                document = json.loads(body.decode(encoding, errors="replace"))
            except (ValueError, RecursionError) as exc:
                yield "no-tree", f"No tree: the body is not valid JSON ({exc})."
                return
            yield "document", document
            yield "tree", None
            yield "done", None

        self._start(job)

    def _show_tree(self) -> None:
        self.tree.clear()
        root = QTreeWidgetItem(["$", _summary(self._document)])
        root.setData(0, Qt.ItemDataRole.UserRole, (self._document, 0))
        self.tree.addTopLevelItem(root)
        _add_placeholder(root, self._document)
        root.setExpanded(True)
        self._set_mode(BodyMode.TREE)

    @Slot(QTreeWidgetItem)
    def on_tree_item_expanded(self, item: QTreeWidgetItem) -> None:
        first = item.child(0) if item.childCount() == 1 else None
        if first is not None and first.data(0, Qt.ItemDataRole.UserRole) == "…":
            item.takeChild(0)
            value, _start = item.data(0, Qt.ItemDataRole.UserRole)
            _populate(item, value, 0)

    @Slot(QTreeWidgetItem, int)
    def on_tree_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        parent = item.parent()
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if parent is not None and item.text(0).startswith("… ") and isinstance(data, tuple):
            parent.removeChild(item)
            _populate(parent, data[0], data[1])

    # ----- search, filter, copy, matched fragments ----------------------------------------
    @Slot()
    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def search(self, text: str, backward: bool = False) -> bool:
        """Select the next (or previous) match, wrapping around; False if none."""
        if not text or self.mode is not BodyMode.TEXT:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.code.find(text, flags)
        if not found:
            cursor = self.code.textCursor()
            cursor.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            self.code.setTextCursor(cursor)
            found = self.code.find(text, flags)
        self.search_edit.setProperty("state", "ok" if found else "none")
        self.search_edit.setToolTip("" if found else f"No match for {text!r}")
        self.search_edit.style().unpolish(self.search_edit)
        self.search_edit.style().polish(self.search_edit)
        if found:
            self.code.centerCursor()
        return found

    @Slot(str)
    def on_filter_edit_changed(self, text: str) -> None:
        if not text.strip() and self.mode is BodyMode.TEXT and self._has_document:
            self.apply_filter("")

    def apply_filter(self, text: str) -> None:
        """Show what a JSONPath expression selects; an empty expression shows the body again."""
        expression = text.strip()
        if not expression:
            self.show_body(self._body, self._content_type, status=self._status)
            return
        from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
        from jsonpath_ng.ext.parser import parse

        try:
            parsed = parse(expression)
        except (JsonPathLexerError, JsonPathParserError, Exception) as exc:
            self.note.setText(f"Not a JSONPath expression ({exc}). Example: $.data[*].name")
            self.filter_applied.emit(-1)
            return
        fragments = self._fragments
        document, known = self._document, self._has_document
        self._stop()
        self._fragments = fragments
        self.code.reset()
        self._set_mode(BodyMode.TEXT)
        body, encoding = self._body, self._sniffed.encoding or "utf-8"

        def job() -> Iterator[tuple[str, Any]]:
            value = document
            if not known:
                try:
                    value = json.loads(body.decode(encoding, errors="replace"))
                except (ValueError, RecursionError) as exc:
                    yield "filter-error", f"The body is not valid JSON, so no filter: {exc}"
                    return
                yield "document", value
            yield from self._filter_job(parsed, value)

        self._start(job)

    def copy_all(self) -> None:
        """Copy the body: as formatted when formatted, else as received."""
        if self.mode is BodyMode.HEX:
            text = self.hex.toPlainText()
        elif self._broken and self._copy_text is not None:
            text = self._copy_text
        else:
            text = self.code.toPlainText()
        QApplication.clipboard().setText(text)

    def text(self) -> str:
        """What the text page shows."""
        return self.code.toPlainText()

    def highlight_fragments(self, fragments: Sequence[str]) -> None:
        """Mark the parts of the body an explanation rule matched, and scroll to the first."""
        self._fragments = tuple(f for f in fragments if f)
        if not self.loading:
            self._apply_fragments()

    def _apply_fragments(self) -> None:
        self.matched_selections = []
        document = self.code.document()
        color = QColor("#7a5a00" if is_dark() else "#ffe08a")
        first: QTextCursor | None = None
        for fragment in self._fragments:
            cursor = document.find(_fragment_pattern(fragment), 0)
            if cursor.isNull():
                continue
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format.setBackground(color)
            selection.format.setToolTip("The explanation rule matched this")
            self.matched_selections.append(selection)
            if first is None or cursor.position() < first.position():
                first = cursor
        self.code.setExtraSelections(self.matched_selections)
        if first is not None:
            view_cursor = QTextCursor(first)
            view_cursor.setPosition(first.selectionStart())
            self.code.setTextCursor(view_cursor)
            self.code.centerCursor()


def _tool_button(text: str, *, checkable: bool = False) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setCheckable(checkable)
    return button


def _fragment_pattern(fragment: str) -> Any:
    """A regular expression finding ``fragment`` in raw or pretty-printed JSON."""
    from PySide6.QtCore import QRegularExpression

    match = re.match(r'\s*"((?:[^"\\]|\\.)*)"\s*:\s*(.*?)\s*,?\s*$', fragment, re.DOTALL)
    if match is None:
        return QRegularExpression(QRegularExpression.escape(fragment))
    key, value = match.group(1), match.group(2)
    variants = {value}
    with contextlib.suppress(ValueError):
        variants.add(json.dumps(json.loads(value), ensure_ascii=False))
    values = "|".join(QRegularExpression.escape(v) for v in variants if v)
    pattern = f'"{QRegularExpression.escape(key)}"\\s*:\\s*(?:{values})'
    return QRegularExpression(pattern, QRegularExpression.PatternOption.CaseInsensitiveOption)


def _summary(value: Any) -> str:
    if isinstance(value, dict):
        return f"{{{len(value)} keys}}"
    if isinstance(value, list):
        return f"[{len(value)} items]"
    return dump_pretty(value)


def _add_placeholder(item: QTreeWidgetItem, value: Any) -> None:
    if isinstance(value, dict | list) and value:
        placeholder = QTreeWidgetItem(["…", ""])
        placeholder.setData(0, Qt.ItemDataRole.UserRole, "…")
        item.addChild(placeholder)


def _populate(item: QTreeWidgetItem, value: Any, start: int) -> None:
    pairs = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
    for key, child in pairs[start : start + TREE_PAGE]:
        label = str(key) if isinstance(value, dict) else f"[{key}]"
        node = QTreeWidgetItem([label, _summary(child)])
        node.setData(0, Qt.ItemDataRole.UserRole, (child, 0))
        item.addChild(node)
        _add_placeholder(node, child)
    left = len(pairs) - start - TREE_PAGE
    if left > 0:
        more = QTreeWidgetItem([f"… {left} more", ""])
        more.setData(0, Qt.ItemDataRole.UserRole, (value, start + TREE_PAGE))
        more.setToolTip(0, "Double-click to show more")
        item.addChild(more)
