"""Request tabs: each tab holds one request, its exchange and its last answer.

The window has one request builder, one response pane and one explanation panel; a tab
is what they show. :class:`RequestTab` is one tab's state: its own
:class:`~explorer.ui.exchange.ExchangeController` (so its answer, explanation, contract
verdict and timing are its own, and a request keeps going while another tab is shown),
its endpoint or free request, its inputs, and what "unsent changes" and "stale" compare
them with. :class:`RequestTabs` keeps the tabs in order beside a movable
:class:`TabStrip`, switches between them (the panels save the tab that goes and load the
one that comes), opens, closes, reopens, pins and duplicates them, and writes them to the
tabs file (:mod:`explorer.core.tabs`) so they come back after a restart.

Tabs are predictable: they open and close only when the user asks. Picking an endpoint
in the tree shows it in the current tab (a pinned tab keeps its endpoint: the pick opens
a new tab, and the status bar says so); middle-click or Ctrl+click opens it in a new tab.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QSplitter,
    QStatusBar,
    QTabBar,
    QWidget,
)

from explorer.core.builder import RequestInputs
from explorer.core.files import DocumentError
from explorer.core.models import Endpoint, Explanation, RequestSpec
from explorer.core.tabs import TabAnswer, TabSet, TabSnapshot, TabStore
from explorer.ui.exchange import CurrentExchange, ExchangeController

if TYPE_CHECKING:
    from explorer.core.redact import Redactor
    from explorer.ui.request.panel import RequestPanel
    from explorer.ui.workers import TaskRunner

log = logging.getLogger(__name__)

#: How many closed tabs Ctrl+Shift+T can bring back.
CLOSED_KEPT = 20
#: A change is written to the tabs file this long after the last one (ms).
SAVE_DELAY_MS = 800
#: The marks are checked this long after the last keystroke (ms).
MARK_DELAY_MS = 60
TITLE_WIDTH_PX = 210
UNSENT = "•"
PINNED = "⚑"
_VERSION_SEGMENT = re.compile(r"^v\d+$")


def short_path(path: str) -> str:
    """``/api/v4/businesses/search`` -> ``businesses/search``: the part that tells
    endpoints apart."""
    parts = [part for part in path.split("/") if part]
    while parts and (parts[0] == "api" or _VERSION_SEGMENT.match(parts[0])):
        parts.pop(0)
    return "/".join(parts) or path or "/"


def local_time(stamp: str) -> str:
    """An RFC 3339 UTC time as local wall-clock time (with the date when not today)."""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone()
    today = datetime.now().astimezone().date()
    return local.strftime("%H:%M:%S" if local.date() == today else "%Y-%m-%d %H:%M:%S")


@dataclasses.dataclass(frozen=True)
class Fingerprint:
    """What a tab's request is made of, to tell whether it changed."""

    endpoint_key: str
    method: str
    url: str
    inputs: RequestInputs


class RequestTab:
    """One tab: its exchange, its request, and what its marks compare with."""

    _serials = 0

    def __init__(
        self,
        exchange: ExchangeController,
        *,
        endpoint_key: str = "",
        endpoint: Endpoint | None = None,
        method: str = "GET",
        url: str = "",
        inputs: RequestInputs | None = None,
        pinned: bool = False,
    ) -> None:
        RequestTab._serials += 1
        self.serial = RequestTab._serials  # tells the strip's tabs apart
        self.exchange = exchange
        self.endpoint_key = endpoint.key if endpoint is not None else endpoint_key
        self.endpoint = endpoint
        self.method = endpoint.method if endpoint is not None else method
        self.url = url  # a free request's URL
        #: the tab's inputs; for the current tab, the request panel holds the live ones
        self.inputs = inputs
        self.pinned = pinned
        #: what "unsent changes" compares with: the request as last sent, or as opened
        self.baseline: Fingerprint | None = None
        #: what the last answer answers; None while the tab has none
        self.answered: Fingerprint | None = None
        self.sending: Fingerprint | None = None
        self.dirty = False
        self.stale = False
        self.request_page = 0  # the request panel's sub-tab (Parameters, Body, …)

    @property
    def is_blank(self) -> bool:
        return not self.endpoint_key and not self.url

    def title(self) -> str:
        if self.endpoint is not None:
            return f"{self.endpoint.method} {short_path(self.endpoint.path)}"
        if self.endpoint_key:
            return self.endpoint_key
        if self.url:
            return f"{self.method} {short_path(_path_of(self.url))}"
        return "New tab"

    def describe(self) -> str:
        """The tab in words, for its tooltip and its accessible name."""
        if self.endpoint is not None:
            what = f"{self.endpoint.method} {self.endpoint.path}"
            if self.endpoint.summary:
                what += f" ({self.endpoint.summary})"
        elif self.is_blank:
            what = "New tab, no request yet"
        else:
            what = self.title()
        notes = []
        if self.pinned:
            notes.append("pinned")
        if self.dirty:
            notes.append("unsent changes")
        if self.exchange.busy:
            notes.append("sending")
        shown = self.exchange.last_shown
        if shown is not None:
            record = shown.record
            answer = f"answered {record.status}" if record.status is not None else "got no answer"
            notes.append(f"{answer} at {local_time(record.started_at)}")
            if self.stale:
                notes.append("answer is stale: the inputs changed since it was sent")
        return ", ".join([what, *notes])


def _brief(url: str) -> str:
    """A URL as its path, "?…" standing for its query (the tooltip has it whole)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or url) + ("?…" if parts.query else "")


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path or url


class TabStrip(QTabBar):
    """The tab bar: movable, closable, a context menu, middle-click closes a tab."""

    close_requested = Signal(int)
    menu_requested = Signal(int, QPoint)  # tab index, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestTabBar")
        self.setAccessibleName("Request tabs")
        self.setMovable(True)
        self.setTabsClosable(True)
        self.setDocumentMode(True)
        self.setExpanding(False)
        self.setUsesScrollButtons(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionBehaviorOnRemove(QTabBar.SelectionBehavior.SelectPreviousTab)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(
            lambda pos: self.menu_requested.emit(self.tabAt(pos), self.mapToGlobal(pos))
        )
        self.tabCloseRequested.connect(self.close_requested)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            index = self.tabAt(event.position().toPoint())
            if index >= 0:
                self.close_requested.emit(index)
                return
        super().mouseReleaseEvent(event)


class _TreeClicks(QObject):
    """Middle-click and Ctrl+click on an endpoint of the tree: open it in a new tab."""

    def __init__(self, tree: Any, open_new: Callable[[Endpoint], object]) -> None:
        super().__init__(tree)
        self.tree = tree
        self.open_new = open_new
        tree.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            return False
        assert isinstance(event, QMouseEvent)
        wanted = event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton
            and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        )
        if not wanted:
            return False
        from explorer.ui.endpoints.tree import ENDPOINT_ROLE

        item = self.tree.itemAt(event.position().toPoint())
        endpoint = item.data(0, ENDPOINT_ROLE) if item is not None else None
        if endpoint is None:
            return False
        if event.type() == QEvent.Type.MouseButtonRelease:
            self.open_new(endpoint)
        return True  # the current tab's endpoint stays as it is


class _TabRow(QWidget):
    """The strip's row: the strip starts where the endpoint tree ends (the row adds
    nothing to the window's least width: the strip is placed, not laid out)."""

    def __init__(self, strip: QTabBar, tree: QWidget, splitter: QSplitter) -> None:
        super().__init__()
        self.setObjectName("requestTabRow")
        self.strip, self.tree, self.splitter = strip, tree, splitter
        strip.setParent(self)
        tree.installEventFilter(self)
        self.setFixedHeight(strip.sizeHint().height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide):
            self.place()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place()

    def place(self) -> None:
        left = self.tree.width() + self.splitter.handleWidth() if self.tree.isVisible() else 0
        left = min(left, max(0, self.width() - 120))
        self.strip.setGeometry(left, 0, max(0, self.width() - left), self.height())


class RequestTabs(QObject):
    """The window's tabs; see the module docstring.

    The window gives it the request panel, a way to find an endpoint by key, the base
    URL an endpoint goes to, a way to make a new exchange, and ``present`` (put a tab's
    exchange on screen: its request on its way, its answer, or nothing).
    """

    current_changed = Signal(object)  # RequestTab
    changed = Signal()  # tabs opened, closed, moved, marked

    def __init__(
        self,
        *,
        panel: RequestPanel,
        tree: Any,
        make_exchange: Callable[[], ExchangeController],
        find_endpoint: Callable[[str], Endpoint | None],
        base_for: Callable[[Endpoint], str],
        present: Callable[[ExchangeController], None],
        redactor: Callable[[], Redactor],
        known_secrets: Callable[[], Sequence[str]],
        store: TabStore | None,
        background: TaskRunner,
        status: QStatusBar,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.panel = panel
        self.tree = tree
        self._make_exchange = make_exchange
        self.find_endpoint = find_endpoint
        self.base_for = base_for
        self.present = present
        self.redactor = redactor
        self.known_secrets = known_secrets
        self.store = store
        self.background = background
        self.status = status
        self.strip = TabStrip(parent)
        self.caption = QLabel("")
        self.caption.setObjectName("responseCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption.setContentsMargins(6, 2, 6, 2)
        self.tabs: list[RequestTab] = []
        self.closed: list[tuple[int, RequestTab]] = []
        self._current: RequestTab | None = None
        self._loading = False  # a tab is being put into the panels
        self.load_problem = ""
        self._shut = False
        first = self._new_tab()
        self.tabs.append(first)
        self.strip.addTab(first.title())
        self.strip.setTabData(0, first.serial)
        #: what the features hold: the current tab's exchange
        self.exchange = CurrentExchange(first.exchange, self)
        self._current = first
        self._mark_timer = _single_shot(self, MARK_DELAY_MS, self.refresh_marks)
        self._save_timer = _single_shot(self, SAVE_DELAY_MS, self.save_soon)
        self.strip.currentChanged.connect(self.on_strip_current_changed)
        self.strip.tabMoved.connect(self.on_strip_tab_moved)
        self.strip.close_requested.connect(self.close_tab)
        self.strip.menu_requested.connect(self.on_strip_menu_requested)
        for signal in (
            panel.param_form.changed,
            panel.raw.textChanged,
            panel.url.textEdited,
            panel.method.currentTextChanged,
            panel.body_kinds.changed,
        ):
            signal.connect(self._inputs_touched)
        self.tree_clicks = _TreeClicks(tree.tree, self.open_in_new_tab)
        self._follow(first)
        self._show_labels(first)
        self._make_actions(parent)

    def _make_actions(self, parent: QWidget) -> None:
        def action(
            text: str, name: str, keys: Sequence[str], slot: Callable[[], object]
        ) -> QAction:
            made = QAction(text, parent)
            made.setObjectName(name)
            made.setShortcuts([QKeySequence(key) for key in keys])
            made.triggered.connect(lambda _checked=False: slot())
            return made

        self.new_action = action("&New tab", "newTabAction", ["Ctrl+T"], self.new_tab)
        self.new_action.setToolTip(
            "Open the endpoint chosen in the tree in a new tab (or a blank tab)"
        )
        self.duplicate_action = action("&Duplicate tab", "duplicateTabAction", [], self.duplicate)
        self.pin_action = action("&Pin or unpin tab", "pinTabAction", [], self.toggle_pin)
        self.close_action = action("&Close tab", "closeTabAction", ["Ctrl+W"], self.close_tab)
        self.reopen_action = action(
            "&Reopen closed tab", "reopenTabAction", ["Ctrl+Shift+T"], self.reopen_closed
        )
        self.next_action = action(
            "Ne&xt tab", "nextTabAction", ["Ctrl+Tab", "Ctrl+PgDown"], lambda: self.step(1)
        )
        self.previous_action = action(
            "P&revious tab",
            "previousTabAction",
            ["Ctrl+Shift+Tab", "Ctrl+PgUp"],
            lambda: self.step(-1),
        )

    def row(self, splitter: QSplitter, tree: QWidget) -> QWidget:
        """The tab strip's row, above the request and the answer: it starts where the
        endpoint tree ends, however the splitter is dragged."""
        self.tab_row = _TabRow(self.strip, tree, splitter)
        return self.tab_row

    def actions(self) -> list[QAction]:
        """The tab actions, for the menus and the window's shortcuts."""
        return [
            self.new_action,
            self.duplicate_action,
            self.pin_action,
            self.close_action,
            self.reopen_action,
            self.next_action,
            self.previous_action,
        ]

    # ----- the tabs -----------------------------------------------------------------------
    @property
    def current(self) -> RequestTab:
        assert self._current is not None
        return self._current

    def index_of(self, tab: RequestTab) -> int:
        return self.tabs.index(tab)

    def _new_tab(self, **fields: Any) -> RequestTab:
        return RequestTab(self._make_exchange(), **fields)

    def _attach(self, tab: RequestTab) -> None:
        """A new tab's exchange: the features' :class:`CurrentExchange` passes its
        signals on, and the tabs follow it."""
        self.exchange.attach(tab.exchange)
        self._follow(tab)

    def _follow(self, tab: RequestTab) -> None:
        """Follow ``tab``'s exchange: what it sends and what comes back."""
        exchange = tab.exchange
        exchange.pending.connect(lambda _spec, t=tab: self.on_tab_pending(t))
        exchange.settled.connect(lambda t=tab: self._show_labels(t))
        exchange.shown.connect(lambda _shown, t=tab: self.on_tab_shown(t))

    def _insert(self, index: int, tab: RequestTab) -> None:
        self.tabs.insert(index, tab)
        self.strip.blockSignals(True)
        try:
            self.strip.insertTab(index, tab.title())
            self.strip.setTabData(index, tab.serial)
        finally:
            self.strip.blockSignals(False)
        self._show_labels(tab)

    def open_in_new_tab(self, endpoint: Endpoint) -> RequestTab:
        """Open ``endpoint`` in a new tab after the current one, and show it."""
        tab = self._new_tab(endpoint=endpoint)
        self._attach(tab)
        self._insert(self.index_of(self.current) + 1, tab)
        self.switch_to(tab)
        self._changed()
        return tab

    def new_tab(self) -> RequestTab:
        """Ctrl+T: the endpoint chosen in the tree when the tree has the focus, else a
        blank tab (pick an endpoint for it, or type a URL)."""
        tree = self.tree
        if tree.tree.hasFocus() and tree.current_endpoint() is not None:
            return self.open_in_new_tab(tree.current_endpoint())
        tab = self._new_tab()
        self._attach(tab)
        self._insert(self.index_of(self.current) + 1, tab)
        self.switch_to(tab)
        self._changed()
        tree.filter_edit.setFocus()
        self.status.showMessage(
            "New tab: pick an endpoint in the tree (or type a URL) for it.", 6000
        )
        return tab

    def show_endpoint(self, endpoint: Endpoint) -> None:
        """An endpoint picked in the tree: into the current tab; a pinned tab keeps its
        own, so the pick opens a new tab (said on the status bar)."""
        if self._loading:
            return
        tab = self.current
        if tab.endpoint_key == endpoint.key and tab.endpoint is not None:
            self.panel.load_endpoint(endpoint, self.base_for(endpoint))
            return
        if tab.pinned and not tab.is_blank:
            self.open_in_new_tab(endpoint)
            self.status.showMessage(
                f"Opened {endpoint.method} {endpoint.path} in a new tab: the pinned tab "
                f"keeps {tab.title()}.",
                8000,
            )
            return
        if tab.exchange.busy:
            self.status.showMessage(
                f"Cancelled the request of {tab.title()}: this tab shows "
                f"{endpoint.method} {endpoint.path} now (middle-click opens a new tab).",
                8000,
            )
        tab.exchange.forget()  # the previous endpoint's answer is not this one's
        tab.endpoint, tab.endpoint_key, tab.method, tab.url = endpoint, endpoint.key, "", ""
        tab.answered = None
        self.panel.load_endpoint(endpoint, self.base_for(endpoint))
        tab.baseline = self.fingerprint()
        self.present(tab.exchange)
        self.refresh_marks()
        self._changed()

    def switch_to(self, tab: RequestTab) -> None:
        index = self.index_of(tab)
        if self.strip.currentIndex() != index:
            self.strip.setCurrentIndex(index)  # on_strip_current_changed does the rest
        elif tab is not self._current:
            self._activate(tab)

    @Slot(int)
    def on_strip_current_changed(self, index: int) -> None:
        tab = self._tab_at(index)
        if tab is not None and tab is not self._current:
            self._activate(tab)

    def _tab_at(self, index: int) -> RequestTab | None:
        """The tab at ``index`` of the strip (which may be ahead of :attr:`tabs` while a
        tab is being dragged)."""
        serial = self.strip.tabData(index)
        return next((t for t in self.tabs if t.serial == serial), None)

    def _activate(self, tab: RequestTab) -> None:
        """Save the tab that goes into its state, put the one that comes on screen."""
        previous = self._current
        if previous is not None and previous in self.tabs:
            self._keep(previous)
        self._current = tab
        self.exchange.switch_to(tab.exchange)
        self._load(tab)
        self.current_changed.emit(tab)
        self._changed()

    def _keep(self, tab: RequestTab) -> None:
        """The panel's request into ``tab`` (it goes off screen)."""
        panel = self.panel
        tab.inputs = panel.current_inputs()
        tab.request_page = panel.tabs.currentIndex()
        if tab.endpoint is None and not tab.endpoint_key:
            tab.method, tab.url = panel.method.currentText(), panel.url.text().strip()

    def _load(self, tab: RequestTab) -> None:
        panel = self.panel
        self._loading = True
        try:
            if tab.endpoint is None and tab.endpoint_key:
                tab.endpoint = self.find_endpoint(tab.endpoint_key)
            if tab.endpoint is not None:
                same = panel.endpoint is not None and panel.endpoint.key == tab.endpoint.key
                panel.load_endpoint(tab.endpoint, self.base_for(tab.endpoint), inputs=tab.inputs)
                if same and tab.inputs is not None and panel.current_inputs() != tab.inputs:
                    panel.set_inputs(tab.inputs)  # another tab of the same endpoint
                shown = self.tree.current_endpoint()
                if shown is None or shown.key != tab.endpoint.key:
                    self.tree.tree.blockSignals(True)
                    try:
                        self.tree.select(tab.endpoint.key)
                    finally:
                        self.tree.tree.blockSignals(False)
            else:
                inputs = tab.inputs or RequestInputs()
                body = inputs.body_text.encode("utf-8") if inputs.body_text else None
                panel.load_free(
                    RequestSpec(method=tab.method, url=tab.url, headers=inputs.headers, body=body)
                )
                self.tree.tree.blockSignals(True)
                try:
                    self.tree.tree.setCurrentItem(None)
                finally:
                    self.tree.tree.blockSignals(False)
                if tab.endpoint_key:
                    self.status.showMessage(
                        f"This tab's endpoint {tab.endpoint_key} is not in the description "
                        "that is open.",
                        8000,
                    )
            if 0 <= tab.request_page < panel.tabs.count() and panel.tabs.isTabEnabled(
                tab.request_page
            ):
                panel.tabs.setCurrentIndex(tab.request_page)
            if tab.baseline is None:
                tab.baseline = self.fingerprint()
            panel.set_busy(tab.exchange.busy)
            self.present(tab.exchange)
        finally:
            self._loading = False
        self.refresh_marks()

    def fingerprint(self) -> Fingerprint:
        """The request on screen now."""
        panel = self.panel
        free = panel.endpoint is None
        return Fingerprint(
            endpoint_key="" if free else panel.endpoint.key,  # type: ignore[union-attr]
            method=panel.method.currentText() if free else "",
            url=panel.url.text().strip() if free else "",
            inputs=panel.current_inputs(),
        )

    # ----- marks --------------------------------------------------------------------------
    @Slot()
    def _inputs_touched(self, *_args: object) -> None:
        if not self._loading:
            self._mark_timer.start()

    @Slot()
    def refresh_marks(self) -> None:
        """Unsent changes and a stale answer, for the current tab."""
        self._mark_timer.stop()
        tab = self.current
        now = self.fingerprint()
        dirty = tab.baseline is not None and now != tab.baseline
        stale = tab.answered is not None and now != tab.answered
        if (dirty, stale) != (tab.dirty, tab.stale):
            tab.dirty, tab.stale = dirty, stale
            self._changed()
        self._show_labels(tab)
        self.show_caption()

    def _show_labels(self, tab: RequestTab) -> None:
        if tab not in self.tabs:
            return
        index = self.index_of(tab)
        strip = self.strip
        text = tab.title()
        if tab.exchange.busy:
            text += " …"
        marks = (f"{PINNED} " if tab.pinned else "") + (f"{UNSENT} " if tab.dirty else "")
        elided = strip.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, TITLE_WIDTH_PX)
        strip.setTabText(index, marks + elided)
        words = tab.describe()
        strip.setTabToolTip(index, words)
        strip.setAccessibleTabName(index, words)
        button = strip.tabButton(index, QTabBar.ButtonPosition.RightSide)
        if button is not None:
            button.setVisible(not tab.pinned)
            button.setToolTip(f"Close {tab.title()} (Ctrl+W)")
            button.setAccessibleName(f"Close {tab.title()}")

    def show_caption(self) -> None:
        """Above the answer: which request it answers and when; stale when the inputs
        changed since."""
        tab = self.current
        exchange = tab.exchange
        redactor = self.redactor()
        caption = self.caption
        url = ""
        if exchange.in_flight is not None:
            spec = exchange.in_flight
            url = redactor.redact_url(spec.url)
            text = f"Sending {spec.method} {_brief(url)} …"
            state = "sending"
        elif exchange.last_shown is not None:
            record = exchange.last_shown.record
            url = redactor.redact_url(record.request.url)
            text = (
                f"Answer to {record.request.method} {_brief(url)}, "
                f"sent at {local_time(record.started_at)}"
            )
            if tab.stale:
                text = f"⚠ Stale: the inputs changed since it was sent. {text}"
                state = "stale"
            else:
                state = "fresh"
        else:
            text = "No answer in this tab yet: Send (Ctrl+Enter) to get one."
            state = "none"
        caption.setToolTip(
            f"{text}\n{url}\nSend (Ctrl+Enter) to update it."
            if state == "stale"
            else f"{text}\n{url}"
            if url
            else text
        )
        caption.setText(text)
        caption.setAccessibleName(f"Response: {text}")
        if caption.property("state") != state:
            caption.setProperty("state", state)
            caption.setProperty("note", "warning" if state == "stale" else "")
            caption.style().unpolish(caption)
            caption.style().polish(caption)

    # ----- the exchanges of the tabs ------------------------------------------------------
    def on_tab_pending(self, tab: RequestTab) -> None:
        if tab is self._current:
            tab.sending = self.fingerprint()
            tab.baseline = tab.sending
            self.refresh_marks()
        self._show_labels(tab)
        if tab is self._current:
            self.show_caption()

    def on_tab_shown(self, tab: RequestTab) -> None:
        if tab.sending is not None:
            tab.answered, tab.sending = tab.sending, None
        elif tab is self._current:
            tab.answered = self.fingerprint()  # put on screen from the History or a file
        else:
            tab.answered = tab.baseline
        if tab is self._current:
            self.refresh_marks()
        else:
            self._show_labels(tab)
        self._changed()

    # ----- close, reopen, pin, duplicate, move --------------------------------------------
    @Slot(int)
    def close_tab(self, index: int | None = None) -> None:
        """Close a tab (the current one by default); Ctrl+Shift+T brings it back. The
        last tab gives way to a blank one."""
        at = self.index_of(self.current) if index is None else index
        if not 0 <= at < len(self.tabs):
            return
        tab = self.tabs[at]
        if tab is self._current:
            self._keep(tab)
        if tab.exchange.busy:
            tab.exchange.cancel()
        self.closed.append((at, tab))
        while len(self.closed) > CLOSED_KEPT:
            _index, gone = self.closed.pop(0)
            gone.exchange.shutdown()
            gone.exchange.deleteLater()
        if len(self.tabs) == 1:
            blank = self._new_tab()
            self._attach(blank)
            self._insert(1, blank)
            self.status.showMessage(
                f"Closed {tab.title()}; a blank tab takes its place (Ctrl+Shift+T reopens it).",
                8000,
            )
        self.tabs.pop(at)
        if tab is self._current:
            self._current = None
        self.strip.removeTab(at)  # the strip picks the next current tab
        if self._current is None:
            self._activate(self.tabs[self.strip.currentIndex()])
        self._changed()

    def reopen_closed(self) -> RequestTab | None:
        """Bring back the tab closed last, where it was, with its inputs and answer."""
        if not self.closed:
            self.status.showMessage("No closed tab to reopen.", 4000)
            return None
        at, tab = self.closed.pop()
        self._insert(min(at, len(self.tabs)), tab)
        self.switch_to(tab)
        self._changed()
        return tab

    def duplicate(self, index: int | None = None) -> RequestTab:
        """A copy of a tab (the current one by default) beside it: its request and inputs;
        the answer stays with the original."""
        source = self.current if index is None else self.tabs[index]
        if source is self._current:
            self._keep(source)
        tab = self._new_tab(
            endpoint_key=source.endpoint_key,
            endpoint=source.endpoint,
            method=source.method,
            url=source.url,
            inputs=source.inputs,
        )
        self._attach(tab)
        self._insert(self.index_of(source) + 1, tab)
        self.switch_to(tab)
        self._changed()
        return tab

    def toggle_pin(self, index: int | None = None) -> None:
        """Pin a tab (it moves after the other pinned ones, has no close button and keeps
        its endpoint) or unpin it."""
        tab = self.current if index is None else self.tabs[index]
        tab.pinned = not tab.pinned
        if tab.pinned:
            target = sum(1 for t in self.tabs if t.pinned and t is not tab)
            at = self.index_of(tab)
            if at > target:
                self.strip.moveTab(at, target)  # on_strip_tab_moved reorders the list
        self._show_labels(tab)
        self.status.showMessage(
            f"Pinned {tab.title()}: picks in the tree open new tabs while it is shown."
            if tab.pinned
            else f"Unpinned {tab.title()}.",
            6000,
        )
        self._changed()

    @Slot(int, int)
    def on_strip_tab_moved(self, _source: int, _target: int) -> None:
        order = [self._tab_at(i) for i in range(self.strip.count())]
        self.tabs = [t for t in order if t is not None]
        current = self._tab_at(self.strip.currentIndex())
        if current is not None and current is not self._current:
            self._activate(current)
        self._changed()

    def step(self, offset: int) -> None:
        """Ctrl+Tab / Ctrl+PgDown (1) and Ctrl+Shift+Tab / Ctrl+PgUp (-1), wrapping."""
        if len(self.tabs) > 1:
            self.switch_to(self.tabs[(self.index_of(self.current) + offset) % len(self.tabs)])

    @Slot(int, QPoint)
    def on_strip_menu_requested(self, index: int, where: QPoint) -> None:
        if not 0 <= index < len(self.tabs):
            return
        menu = self.tab_menu(index)
        menu.popup(where)

    def tab_menu(self, index: int) -> QMenu:
        """The context menu of tab ``index``."""
        tab = self.tabs[index]
        menu = QMenu(self.strip)
        menu.setObjectName("tabMenu")
        menu.addAction("Duplicate tab", lambda: self.duplicate(self.index_of(tab)))
        menu.addAction(
            "Unpin tab" if tab.pinned else "Pin tab", lambda: self.toggle_pin(self.index_of(tab))
        )
        menu.addSeparator()
        menu.addAction("Close tab", lambda: self.close_tab(self.index_of(tab)))
        others = menu.addAction("Close other tabs", lambda: self.close_others(tab))
        others.setEnabled(any(t is not tab and not t.pinned for t in self.tabs))
        reopen = menu.addAction("Reopen closed tab", self.reopen_closed)
        reopen.setEnabled(bool(self.closed))
        self.menu = menu
        return menu

    def close_others(self, keep: RequestTab) -> None:
        """Close every tab but ``keep`` and the pinned ones."""
        self.switch_to(keep)
        for tab in [t for t in self.tabs if t is not keep and not t.pinned]:
            self.close_tab(self.index_of(tab))

    # ----- the description changed --------------------------------------------------------
    def endpoints_changed(self) -> None:
        """Another description is open: find each tab's endpoint in it again."""
        for tab in self.tabs:
            if tab.endpoint_key:
                tab.endpoint = self.find_endpoint(tab.endpoint_key)
            self._show_labels(tab)
        current = self.current
        if current.endpoint is not None or current.endpoint_key:
            self._load(current)

    # ----- restore and save ---------------------------------------------------------------
    def restore(self) -> bool:
        """Open the tabs of the tabs file (False when it has none). A file that cannot
        be read is set aside; :attr:`load_problem` says so."""
        if self.store is None:
            return False
        try:
            saved = self.store.load()
        except DocumentError as exc:
            self.load_problem = (
                f"The open tabs could not be restored: {exc} The window starts with a new tab."
            )
            log.warning("%s", self.load_problem)
            return False
        except OSError as exc:
            self.load_problem = f"The open tabs could not be read ({exc}); a new tab is open."
            return False
        if not saved.tabs:
            return False
        blank = self.tabs[0]
        for snapshot in saved.tabs:
            tab = self._from_snapshot(snapshot)
            self._attach(tab)
            self._insert(len(self.tabs), tab)
        self.switch_to(self.tabs[1 + saved.current])
        self.tabs.remove(blank)
        self.strip.removeTab(0)
        blank.exchange.shutdown()
        blank.exchange.deleteLater()
        return True

    def _from_snapshot(self, snapshot: TabSnapshot) -> RequestTab:
        endpoint = self.find_endpoint(snapshot.endpoint_key) if snapshot.endpoint_key else None
        tab = self._new_tab(
            endpoint_key=snapshot.endpoint_key,
            endpoint=endpoint,
            method=snapshot.method,
            url=snapshot.url,
            inputs=snapshot.inputs,
            pinned=snapshot.pinned,
        )
        key = snapshot.endpoint_key
        free = not key

        def print_of(inputs: RequestInputs) -> Fingerprint:
            return Fingerprint(
                endpoint_key=key,
                method=snapshot.method if free else "",
                url=snapshot.url if free else "",
                inputs=inputs,
            )

        tab.baseline = print_of(snapshot.baseline or snapshot.inputs)
        answer = snapshot.answer
        if answer is not None:
            from explorer.core.contract import ContractResult
            from explorer.core.resend import without_added_headers

            exchange = tab.exchange
            shown = exchange.stored(answer.record, Explanation.from_dict(answer.explanation))
            if answer.contract is not None:
                shown = dataclasses.replace(
                    shown, contract=ContractResult.from_dict(answer.contract)
                )
            exchange.restore(
                shown, request=exchange.sendable(without_added_headers(answer.record.request))
            )
            tab.answered = print_of(answer.inputs) if answer.inputs is not None else None
            tab.stale = tab.answered is not None and tab.answered.inputs != snapshot.inputs
        tab.dirty = tab.baseline.inputs != snapshot.inputs
        return tab

    def snapshot(self) -> TabSet:
        """The tabs as the file keeps them (secrets are taken out when it is written)."""
        if self._current is not None:
            self._keep(self._current)
        snapshots = []
        for tab in self.tabs:
            shown = tab.exchange.last_shown
            answer = None
            if shown is not None:
                answer = TabAnswer(
                    record=shown.record,
                    explanation=None if shown.explanation is None else shown.explanation.to_dict(),
                    contract=None if shown.contract is None else shown.contract.to_dict(),
                    inputs=None if tab.answered is None else tab.answered.inputs,
                )
            snapshots.append(
                TabSnapshot(
                    endpoint_key=tab.endpoint_key,
                    method=tab.method if not tab.endpoint_key else "",
                    url=tab.url if not tab.endpoint_key else "",
                    inputs=tab.inputs or RequestInputs(),
                    baseline=None if tab.baseline is None else tab.baseline.inputs,
                    pinned=tab.pinned,
                    answer=answer,
                )
            )
        kept = [s for s in snapshots if s.endpoint_key or s.url]
        current = snapshots[self.index_of(self.current)]
        index = kept.index(current) if current in kept else 0
        return TabSet(tabs=tuple(kept), current=index)

    def _changed(self) -> None:
        self.changed.emit()
        if self.store is not None and not self._shut:
            self._save_timer.start()

    @Slot()
    def save_soon(self) -> None:
        """Write the tabs file off the GUI thread."""
        store = self.store
        if store is None or self._shut:
            return
        tab_set, secrets = self.snapshot(), tuple(self.known_secrets())
        self.background.run(
            lambda _cancel: store.save(tab_set, known_secrets=secrets),
            lambda _result: None,
            self.on_save_failed,
        )

    def save_now(self) -> None:
        """Write the tabs file now (the window is closing)."""
        self._save_timer.stop()
        if self.store is None:
            return
        try:
            self.store.save(self.snapshot(), known_secrets=tuple(self.known_secrets()))
        except (OSError, DocumentError) as exc:
            log.warning("the tabs could not be saved: %s", exc)

    def on_save_failed(self, exc: object) -> None:
        if not isinstance(exc, OSError | DocumentError):
            raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        self.status.showMessage(f"The open tabs could not be saved: {exc}", 10000)

    def shutdown(self) -> None:
        """The window is closing: no more saves (:meth:`save_now` wrote the tabs)."""
        self._shut = True
        self._save_timer.stop()
        for tab in self.tabs + [t for _i, t in self.closed]:
            tab.exchange.shutdown()


def _single_shot(parent: QObject, delay_ms: int, slot: Callable[[], object]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(slot)
    return timer
