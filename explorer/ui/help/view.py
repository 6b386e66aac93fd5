"""The help window: the program's offline help (:mod:`explorer.core.help_topics`), in the window.

A list of topics and a text browser; nothing needs a network. Links between topics stay in
the window; a link to a web page opens the browser when there is one, and when there is
none the link is copied to the clipboard and the window says so. :meth:`HelpView.show_topic`
opens a topic at an anchor (F1 on the status badge opens that status's row).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from explorer.core.help_topics import Topic, topics

HELP_SCHEME = "help"


def topic_html(item: Topic) -> str:
    """A topic as HTML (a Markdown page is rendered by Qt's own Markdown reader)."""
    if item.kind == "html":
        return item.text
    document = QTextDocument()
    document.setMarkdown(item.text)
    return document.toHtml()


class HelpView(QDialog):
    """Help topics and their text; ``open_url`` opens a web link (False: no browser)."""

    link_copied = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("helpView")
        self.setWindowTitle("Thumbtack API Explorer help")
        self._open_url = open_url
        self.topics = {t.id: t for t in topics()}
        self.list = QListWidget()
        self.list.setObjectName("helpTopics")
        self.list.setAccessibleName("Help topics")
        for item in self.topics.values():
            row = QListWidgetItem(item.title)
            row.setData(256, item.id)
            self.list.addItem(row)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpText")
        self.browser.setAccessibleName("Help text")
        self.browser.setOpenLinks(False)
        self.note = QLabel("")
        self.note.setObjectName("helpNote")
        self.note.setWordWrap(True)
        self.note.hide()
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 560])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(820, 600)
        self.current_topic = ""
        self.list.currentItemChanged.connect(self.on_list_current_changed)
        self.browser.anchorClicked.connect(self.on_browser_anchor_clicked)
        back = QShortcut(QKeySequence.StandardKey.Back, self)
        back.setWhatsThis("Help: back to the page before")
        back.activated.connect(self.browser.backward)
        self.show_topic(next(iter(self.topics)))

    def show_topic(self, topic_id: str, anchor: str = "") -> bool:
        """Show ``topic_id`` (at ``anchor``); False when there is no such topic."""
        item = self.topics.get(topic_id)
        if item is None:
            return False
        if topic_id != self.current_topic:
            self.current_topic = topic_id
            self.browser.setHtml(topic_html(item))
            for row in range(self.list.count()):
                entry = self.list.item(row)
                if entry is not None and entry.data(256) == topic_id:
                    self.list.blockSignals(True)
                    self.list.setCurrentRow(row)
                    self.list.blockSignals(False)
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)
        return True

    def shown_text(self) -> str:
        return self.browser.toPlainText()

    @Slot(QListWidgetItem, QListWidgetItem)
    def on_list_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.show_topic(str(current.data(256)))

    @Slot(QUrl)
    def on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == HELP_SCHEME:
            self.show_topic(url.path().strip("/"), url.fragment())
        elif not url.scheme() and url.fragment():
            self.show_topic(self.current_topic, url.fragment())
        elif url.scheme() in ("http", "https"):
            self.open_external(url)

    def open_external(self, url: QUrl) -> None:
        """Open a web page in the browser; with no browser, copy its address and say so."""
        text = url.toString()
        if self._open_url(url):
            self.note.setText(f"Opened in your browser: {text}")
        else:
            clipboard = QGuiApplication.clipboard()
            if clipboard is not None:
                clipboard.setText(text)
            self.note.setText(
                f"No browser could be opened here. The link is copied; paste it where you "
                f"can browse: {text}"
            )
            self.link_copied.emit(text)
        self.note.show()
