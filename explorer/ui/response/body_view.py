"""The body view: formatted, searchable, filterable; never freezes on a big or odd body.

:class:`BodyView` decides how to show a body (see :func:`~explorer.core.body.sniff`)
and does the heavy part on a worker thread: decoding, ``json.loads``, pretty-printing as a
stream, lexing with pygments, decoding images. Results come back through a queue drained
on the GUI thread by a short timer, a few milliseconds of work per turn, into a
:class:`~explorer.ui.response.code_view.CodeView`. JSON above
:data:`~explorer.core.body.FORMAT_LIMIT` is shown as received first, with a visible
"Format anyway". Binary bodies get a hex view, images a preview, empty bodies a sentence.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
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
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.body import (
    FORMAT_LIMIT,
    BodyKind,
    Sniffed,
    decode_pieces,
    hex_dump,
    human_size,
    sniff,
)
from explorer.core.body_search import find_in_body, parse_json
from explorer.ui.overflow_bar import OverflowBar
from explorer.ui.response.body_jobs import body_job, filter_job, image_job, text_job
from explorer.ui.response.body_parts import CapBar, JsonTree, SearchBox
from explorer.ui.response.code_view import CodeView
from explorer.ui.style.palette import current
from explorer.ui.style.theme import is_dark
from explorer.ui.workers import Lane, SerialExecutor

HEX_PAGE = 16 * 1024
#: Bodies up to this size are prepared on the GUI thread at once (a few milliseconds).
SYNC_LIMIT = 64 * 1024
_PUMP_BUDGET_S = 0.008
_MAX_QUEUED = 6  # chunks waiting for the GUI; beyond this the worker sleeps (frees the GIL)

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
    """Shows one body. ``raw=True`` shows it exactly as received (text or hex), unformatted.

    Text beyond :data:`~explorer.ui.response.body_jobs.CAP_CHARS` characters is not put in the
    editor until the user asks (the cap bar's "Show all"); search, the JSONPath filter,
    the tree, copy and save still work on the whole body, reading it on the worker.
    """

    formatting_finished = Signal()  # all text (or the capped part) is in, visible lines coloured
    filter_applied = Signal(int)  # number of matches, -1 for a bad expression
    search_finished = Signal(bool)  # a search past the shown part has reported

    def __init__(self, parent: QWidget | None = None, *, raw: bool = False) -> None:
        super().__init__(parent)
        self.raw = raw
        self._pool = SerialExecutor(Lane.CPU)  # one body at a time, on the shared lane
        self._queue: deque[tuple[int, str, Any]] = deque()
        self._cancel = threading.Event()
        self._generation = 0
        self._body = b""
        self._content_type = ""
        self._status: int | None = None
        self._sniffed = Sniffed(kind=BodyKind.EMPTY)
        self._document: Any = None
        self._has_document = False
        self._broken = False
        self._filtering = False
        self._fragments: tuple[str, ...] = ()
        self._hex_shown = 0
        self._paused: Iterator[tuple[str, Any]] | None = None  # the job, stopped at the cap
        self._shown_bytes = 0
        self._resume_at: int | None = None
        self._pending_search: str | None = None
        self._searched = ""  # the find the user ran, run again when the body is re-shown
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

    @property
    def capped(self) -> bool:
        """True while only the start of the body is in the editor."""
        return self._paused is not None

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
        self.filter_edit.setAccessibleName("JSONPath filter")
        self.filter_edit.returnPressed.connect(lambda: self.apply_filter(self.filter_edit.text()))
        self.filter_edit.textChanged.connect(self.on_filter_edit_changed)
        self.search_edit = SearchBox("Find (Ctrl+F)")
        self.search_edit.setObjectName("bodySearch")
        self.search_edit.setAccessibleName("Find in the body")
        self.search_edit.returnPressed.connect(lambda: self.search(self.search_edit.text()))
        self.search_edit.textChanged.connect(self.on_search_edit_changed)
        self.search_count = self.search_edit.count
        self.prev_button = _tool_button("▲")
        self.prev_button.setToolTip("Previous match (Shift+F3)")
        self.prev_button.setAccessibleName("Previous match")
        self.prev_button.clicked.connect(lambda: self.search(self.search_edit.text(), True))
        self.next_button = _tool_button("▼")
        self.next_button.setToolTip("Next match (F3)")
        self.next_button.setAccessibleName("Next match")
        self.next_button.clicked.connect(lambda: self.search(self.search_edit.text()))
        self.copy_button = _tool_button("Copy")
        self.copy_button.setToolTip(
            "Copy the whole body as shown (as received when only its start is shown)"
        )
        self.copy_button.clicked.connect(self.copy_all)
        self.format_button = QPushButton("Format anyway")
        self.format_button.setObjectName("formatAnyway")
        self.format_button.clicked.connect(self.format_anyway)
        self.format_button.hide()

        self.filter_edit.setMinimumWidth(60)
        # Narrow, the tools leave the row for its "⋯" menu: Hex first, the text boxes last.
        bar = self.toolbar = OverflowBar()
        bar.setObjectName("bodyToolbar")
        bar.add_button(self.tree_button, "Tree view", priority=2)
        bar.add_button(self.hex_button, "Hex view", priority=1)
        bar.add_line_edit(
            self.filter_edit, "JSONPath filter", priority=5, comfort_chars=16, stretch=3
        )
        bar.add_line_edit(self.search_edit, "Find", priority=6, comfort_chars=12, stretch=2)
        bar.add_button(self.prev_button, "Previous match\tShift+F3", priority=3)
        bar.add_button(self.next_button, "Next match\tF3", priority=3)
        bar.add_button(self.copy_button, "Copy the body", priority=4)
        bar.set_wanted(self.tree_button, not self.raw)
        bar.set_wanted(self.filter_edit, not self.raw)

        self.note = _NoteLabel("")
        self.note.setProperty("role", "dim")
        self.note.setObjectName("bodyNote")
        self.note.setWordWrap(True)
        note_row = QHBoxLayout()
        note_row.setContentsMargins(0, 0, 0, 0)
        note_row.addWidget(self.note, 1)
        note_row.addWidget(self.format_button)
        self.cap_bar = CapBar()
        self.cap_bar.show_all_button.clicked.connect(self.show_all)
        self.cap_bar.save_button.clicked.connect(self.save_body)
        self.cap_bar.copy_button.clicked.connect(self.copy_body)

        self.code = CodeView()
        self.code.setObjectName("responseBody" if not self.raw else "responseRaw")
        self.code.setAccessibleName("Response body" if not self.raw else "Response as received")
        self.tree = JsonTree()
        self.tree.setAccessibleName("Response body as a tree")
        self.hex = QPlainTextEdit(readOnly=True)
        self.hex.setAccessibleName("Response bytes in hex")
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
        layout.addWidget(bar)
        layout.addLayout(note_row)
        layout.addWidget(self.cap_bar)
        layout.addWidget(self.stack, 1)

        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.setWhatsThis("Find in the response body")
        find.activated.connect(self.focus_search)
        for keys, backward in (("F3", False), ("Shift+F3", True), ("Shift+Return", True)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(
                "Previous match in the body" if backward else "Next match in the body"
            )
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
        self.cap_bar.setVisible(self.capped and mode is BodyMode.TEXT)

    # ----- showing ------------------------------------------------------------------------
    def clear(self) -> None:
        self.show_message("No body yet.")

    def show_message(self, text: str) -> None:
        """Show a sentence instead of a body (pending, cancelled, network failure)."""
        self._stop()
        self._body, self._content_type, self._status = b"", "", None
        self._sniffed = Sniffed(kind=BodyKind.EMPTY)
        self._document, self._has_document = None, False
        self._fragments = ()
        self.code.reset()
        self._set_search_count("")
        self.note.setText("")
        self.format_button.hide()
        self.message.setText(text)
        self._set_mode(BodyMode.MESSAGE)

    def show_text(self, text: str) -> None:
        """Show plain text (a network failure's chain) in the text page."""
        self.show_message("")
        self._start(lambda: text_job(text), size=len(text))

    def show_body(
        self,
        body: bytes,
        content_type: str,
        *,
        status: int | None = None,
        force_format: bool = False,
    ) -> None:
        """Show ``body`` (bytes as received) with its full Content-Type header value.

        A find the user ran stays in effect: it runs again on what is now shown (the
        same response re-shown after presentation mode or the theme changed, or a new
        one)."""
        searched = self._searched
        self._stop()
        self._body, self._content_type, self._status = body, content_type, status
        self._sniffed = sniff(body, content_type)
        self._document, self._has_document = None, False
        self._fragments = ()
        self._set_search_count("")
        self.format_button.hide()
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.tree_button.setChecked(False)
        self._show_current(force_format=force_format)
        if searched and self.loading:
            self._pending_search, self._resume_at = searched, 0  # when the text is in
        elif searched:
            self.search(searched)  # a small body is already shown

    def _show_current(self, *, force_format: bool = False) -> None:
        body, status = self._body, self._status
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
            self._start(lambda: image_job(body))
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
        sniffed, content_type = self._sniffed, self._content_type
        self._start(lambda: body_job(body, sniffed, content_type, formatting=formatting))

    def format_anyway(self) -> None:
        """Pretty-print and colour a body above the automatic limit."""
        self.show_body(self._body, self._content_type, status=self._status, force_format=True)

    @Slot()
    def show_all(self) -> None:
        """Put the rest of a capped body in the editor (in chunks, as the start was)."""
        job, self._paused = self._paused, None
        if job is None:
            return
        self.cap_bar.hide()
        self._resume_at = max(0, self.code.document().characterCount() - 1)
        self.loading = True
        self._set_mode(self.mode)
        self._submit(job)

    # ----- worker jobs (run on the pool; they only queue results) -------------------------
    def _start(self, job: Any, *, size: int | None = None) -> None:
        """Run ``job`` on the worker; a small one (``size`` bytes) runs here at once."""
        self._generation += 1
        self._cancel = threading.Event()
        self.loading = True
        self._submit(job(), sync=(len(self._body) if size is None else size) <= SYNC_LIMIT)

    def _submit(self, items: Iterator[tuple[str, Any]], *, sync: bool = False) -> None:
        """Feed ``items`` (a job's output) to the GUI; stop at a "capped" item."""
        generation, cancel = self._generation, self._cancel
        if sync:
            for kind, payload in items:
                self._handle(kind, (items, payload) if kind == "capped" else payload)
                if kind == "capped":
                    return
            return

        def run() -> None:
            try:
                for kind, payload in items:
                    if cancel.is_set():
                        return
                    while len(self._queue) > _MAX_QUEUED and not cancel.is_set():
                        time.sleep(0.002)
                    item = (items, payload) if kind == "capped" else payload
                    self._queue.append((generation, kind, item))
                    self._feed.ready.emit()
                    if kind == "capped":
                        return
            except Exception as exc:  # shown in the note; the window stays usable
                self._queue.append((generation, "error", f"{type(exc).__name__}: {exc}"))
                self._feed.ready.emit()

        self._pool.submit(run)

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
        elif kind == "capped":
            self._on_capped(*payload)
        elif kind == "document":
            self._document, self._has_document = payload, True
        elif kind == "note":
            self.note.setText(payload)
        elif kind == "broken":
            self._broken = True
            self.note.setText(f"{self.note.text()} {payload}".strip())
        elif kind == "no-tree":
            self.loading = False
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
        elif kind == "found-beyond":
            self._on_found_beyond(*payload)
        elif kind == "saved":
            self.cap_bar.say(payload) if self.cap_bar.isVisible() else self.note.setText(payload)
        elif kind == "image":
            self._show_image(payload)
        elif kind == "error":
            self.loading = False
            self.note.setText(f"The body could not be shown: {payload}")
            self.formatting_finished.emit()
        elif kind == "done":
            self._finish_loading()

    def _finish_loading(self) -> None:
        self.loading = False
        self.code.set_dark(is_dark())
        self._set_mode(self.mode)
        self._apply_fragments()
        pending, resume_at = self._pending_search, self._resume_at
        self._pending_search = self._resume_at = None
        if pending and resume_at is not None:
            cursor = self.code.textCursor()
            cursor.setPosition(resume_at)
            self.code.setTextCursor(cursor)
            self.search(pending)
        self.formatting_finished.emit()

    def _on_capped(self, job: Iterator[tuple[str, Any]], sizes: tuple[int, str]) -> None:
        self._paused = job
        self.loading = False
        consumed, total = sizes
        characters = self.code.document().characterCount()
        # Both figures are a little ahead of what is on screen; the smaller is closer.
        self._shown_bytes = 0 if self._filtering else min(consumed, characters)
        shown = human_size(characters if self._filtering else self._shown_bytes)
        self.cap_bar.show_capped(shown, total)
        self.cap_bar.set_file_actions(not self._filtering)
        self.code.set_dark(is_dark())
        self._set_mode(self.mode)
        self._apply_fragments()
        self.formatting_finished.emit()

    def _stop(self) -> None:
        self._cancel.set()
        self._generation += 1
        self._queue.clear()
        self.loading = False
        self._paused = None
        self._broken = False
        self._filtering = False
        self._pending_search = self._resume_at = None
        self.cap_bar.hide()

    def shutdown(self) -> None:
        self._stop()
        self._pool.shutdown()

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
        self.message.setText(f"Reading the JSON ({human_size(len(self._body))})…")
        self._set_mode(BodyMode.MESSAGE)
        body, encoding = self._body, self._sniffed.encoding or "utf-8"

        def job() -> Iterator[tuple[str, Any]]:
            try:
                document = parse_json(body, encoding)
            except (ValueError, RecursionError) as exc:
                yield "no-tree", f"No tree: the body is not valid JSON ({exc})."
                return
            yield "document", document
            yield "tree", None

        self._start(job)

    def _show_tree(self) -> None:
        self.loading = False
        self.tree.load(self._document)
        self._set_mode(BodyMode.TREE)

    # ----- search, filter, copy, matched fragments ----------------------------------------
    @Slot()
    def focus_search(self) -> None:
        if self.toolbar.focus_tool(self.search_edit) and self.search_edit.isVisible():
            self.search_edit.selectAll()

    @Slot(str)
    def on_search_edit_changed(self, _text: str) -> None:
        self._searched = ""  # the user is typing another find
        self._set_search_count("")

    def search(self, text: str, backward: bool = False) -> bool:
        """Select the next (or previous) match, wrapping around; False if none.

        On a capped body, a forward search that finds nothing more on screen looks
        through the rest of the body on the worker and says in the cap bar where the
        next match is (``search_finished`` then); "Show all" goes there.
        """
        if not text or self.mode is not BodyMode.TEXT:
            return False
        self._searched = text
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.code.find(text, flags)
        if not found and not backward and self.capped and not self._filtering:
            self._search_beyond(text)
            return False
        if not found:
            found = self._wrap_search(text, flags, backward)
        self._show_search_state(text, found)
        return found

    def _wrap_search(self, text: str, flags: QTextDocument.FindFlag, backward: bool) -> bool:
        cursor = self.code.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
        )
        self.code.setTextCursor(cursor)
        found = self.code.find(text, flags)
        if found:
            self.code.centerCursor()
        return found

    def _show_search_state(self, text: str, found: bool, *, beyond: int = 0) -> None:
        self.search_edit.setProperty("state", "ok" if found else "none")
        self.search_edit.setToolTip("" if found else f"No match for {text!r}")
        if not found:
            self._set_search_count("No match", warning=True)
        elif beyond:
            self._set_search_count(f"{beyond} in all")
        else:
            at, total = self._match_position(text)
            self._set_search_count(f"{at} of {total}" if total else "")
        self.search_edit.style().unpolish(self.search_edit)
        self.search_edit.style().polish(self.search_edit)
        if found:
            self.code.centerCursor()

    def _match_position(self, text: str) -> tuple[int, int]:
        """(which match is selected, how many) in the text on screen, case-insensitively."""
        plain, wanted = self.code.toPlainText().lower(), text.lower()
        starts: list[int] = []
        at = plain.find(wanted)
        while at >= 0 and wanted:
            starts.append(at)
            at = plain.find(wanted, at + len(wanted))
        selected = self.code.textCursor().selectionStart()
        return max(1, bisect.bisect_right(starts, selected)), len(starts)

    def _set_search_count(self, text: str, *, warning: bool = False) -> None:
        """ "3 of 12", "No match" or nothing inside the search box."""
        self.search_edit.set_count(text, warning=warning)

    def _search_beyond(self, text: str) -> None:
        body, encoding = self._body, self._sniffed.encoding or "utf-8"
        after = self._shown_bytes
        self.cap_bar.say(f"Looking for “{text}” in the rest of the body…")

        def job() -> Iterator[tuple[str, Any]]:
            yield "found-beyond", (text, find_in_body(body, encoding, text, after=after))

        self._submit(job())

    def _on_found_beyond(self, text: str, found: Any) -> None:
        if found.next_offset is None:
            self._pending_search = None
            hit = found.count > 0 and self._wrap_search(text, QTextDocument.FindFlag(0), False)
            self.cap_bar.say(
                f"No match for “{text}” anywhere in the body."
                if not found.count
                else f"“{text}”: no more matches past the shown part; back to the first."
            )
            self._show_search_state(text, hit)
            self.search_finished.emit(hit)
            return
        self._pending_search = text
        self.cap_bar.say(
            f"“{text}”: {found.count} match(es) in the whole body; the next is not shown yet "
            f"(at about {human_size(found.next_offset)} of {human_size(len(self._body))}). "
            f"Show all loads the rest and goes there."
        )
        self._show_search_state(text, True, beyond=found.count)
        self.search_finished.emit(True)

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
        self._filtering = True
        self.code.reset()
        self._set_mode(BodyMode.TEXT)
        body, encoding = self._body, self._sniffed.encoding or "utf-8"
        if not known:
            self.note.setText(f"Reading the JSON ({human_size(len(body))})…")

        def job() -> Iterator[tuple[str, Any]]:
            value = document
            if not known:
                try:
                    value = parse_json(body, encoding)
                except (ValueError, RecursionError) as exc:
                    yield "filter-error", f"The body is not valid JSON, so no filter: {exc}"
                    return
                yield "document", value
            yield from filter_job(parsed, value)

        self._start(job)

    def copy_all(self) -> None:
        """Copy what is shown; a capped or display-broken body is copied as received."""
        if self.mode is BodyMode.HEX:
            QApplication.clipboard().setText(self.hex.toPlainText())
        elif self._body and not self._filtering and (self.capped or self._broken):
            self.copy_body()
        else:
            QApplication.clipboard().setText(self.code.toPlainText())

    @Slot()
    def copy_body(self) -> None:
        """Copy the whole body exactly as received (decoded text)."""
        encoding = self._sniffed.encoding or "utf-8"
        QApplication.clipboard().setText("".join(decode_pieces(self._body, encoding)))

    @Slot()
    def save_body(self) -> None:
        """Write the body as received to a file the user picks (the write runs on the worker)."""
        suggested = "response-body.json" if self._sniffed.kind is BodyKind.JSON else "response-body"
        name, _filter = QFileDialog.getSaveFileName(self, "Save body to file", suggested)
        if not name:
            return
        body = self._body

        def job() -> Iterator[tuple[str, Any]]:
            from pathlib import Path

            from explorer.core.files import atomic_write

            try:
                atomic_write(Path(name), body, mode=0o600)
            except OSError as exc:
                yield "saved", f"Could not save the body to {name}: {exc.strerror or exc}."
                return
            yield "saved", f"Saved the body ({human_size(len(body))}) to {name}."

        self._submit(job())

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
        color = QColor(current().match_bg)
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
