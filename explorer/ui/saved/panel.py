"""The Saved requests dock: a folder the user picked, shown as a tree of request files.

Save the current request (Ctrl+S; its Authorization becomes ``{{access_token}}``, and a
request that still holds a secret is refused with the core's message), open it into the
request panel, send it, rename or move it, delete it, make folders. The files are the
core's (:mod:`explorer.core.saved`); every file operation runs on a worker thread, and
every question goes through the ``ask`` object it is given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStatusBar,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.captures import Capture
from explorer.core.models import RequestSpec
from explorer.core.saved import (
    SUFFIX,
    SavedFolder,
    SavedRequest,
    SavedRequestError,
    SavedRequestStore,
    request_file_name,
)
from explorer.ui.exchange import ExchangeLike
from explorer.ui.redaction import RedactionContext
from explorer.ui.settings_keeper import SettingsKeeper
from explorer.ui.workers import TaskRunner

if TYPE_CHECKING:
    from explorer.ui.ask import Questions

_PATH_ROLE = Qt.ItemDataRole.UserRole
_FOLDER_ROLE = Qt.ItemDataRole.UserRole + 1


def _folder_of(relative: str) -> str:
    parent = str(PurePosixPath(relative).parent)
    return "" if parent == "." else parent


def _name_of(relative: str) -> str:
    name = PurePosixPath(relative).name
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name


class SavedRequestsPanel(QDockWidget):
    """The dock's widgets: folder line, tree and buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Saved requests", parent)
        self.setObjectName("savedDock")
        body = QWidget()
        self.folder_label = QLabel("No folder chosen")
        self.folder_label.setProperty("role", "dim")
        self.folder_label.setObjectName("savedFolder")
        self.choose_button = QPushButton("Choose folder…")
        self.tree = QTreeWidget()
        self.tree.setObjectName("savedTree")
        self.tree.setAccessibleName("Saved requests")
        self.tree.setHeaderLabels(["Name", "Method"])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel(
            "Choose a folder to keep requests in: one readable file per request, "
            "without secrets, ready to share in git."
        )
        self.empty.setProperty("role", "dim")
        self.empty.setWordWrap(True)
        self.save_button = QPushButton("Save current…")
        self.save_button.setToolTip("Save the request on screen here (Ctrl+S)")
        self.open_button = QPushButton("Open")
        self.send_button = QPushButton("Send")
        self.rename_button = QPushButton("Rename…")
        self.delete_button = QPushButton("Delete")
        self.folder_button = QPushButton("New folder…")
        top = QHBoxLayout()
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.choose_button)
        row1 = QHBoxLayout()
        for button in (self.save_button, self.folder_button):
            row1.addWidget(button)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        for button in (self.open_button, self.send_button, self.rename_button, self.delete_button):
            row2.addWidget(button)
        row2.addStretch(1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row1)
        layout.addLayout(row2)
        self.setWidget(body)
        self.tree.itemSelectionChanged.connect(self.update_buttons)
        self.update_buttons()

    def selected(self) -> tuple[str, bool] | None:
        """(relative path, is a folder) of the selected item."""
        item = self.tree.currentItem()
        if item is None or not item.isSelected():
            return None
        return str(item.data(0, _PATH_ROLE)), bool(item.data(0, _FOLDER_ROLE))

    def selected_folder(self) -> str:
        chosen = self.selected()
        if chosen is None:
            return ""
        path, is_folder = chosen
        return path if is_folder else _folder_of(path)

    @Slot()
    def update_buttons(self) -> None:
        chosen = self.selected()
        is_request = chosen is not None and not chosen[1]
        for button in (self.open_button, self.send_button, self.rename_button):
            button.setEnabled(is_request)
        self.delete_button.setEnabled(is_request)

    def show_tree(self, root: SavedFolder, methods: dict[str, str]) -> None:
        keep = self.selected()
        self.tree.clear()
        style = self.style()
        folder_icon = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        file_icon = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)

        def add(parent: QTreeWidget | QTreeWidgetItem, folder: SavedFolder) -> None:
            for sub in folder.folders:
                item = QTreeWidgetItem([sub.name, ""])
                item.setIcon(0, folder_icon)
                item.setData(0, _PATH_ROLE, sub.path)
                item.setData(0, _FOLDER_ROLE, True)
                _attach(parent, item)
                add(item, sub)
                item.setExpanded(True)
            for relative in folder.requests:
                item = QTreeWidgetItem([_name_of(relative), methods.get(relative, "")])
                item.setIcon(0, file_icon)
                item.setData(0, _PATH_ROLE, relative)
                item.setData(0, _FOLDER_ROLE, False)
                item.setToolTip(0, relative)
                _attach(parent, item)
                if keep == (relative, False):
                    self.tree.setCurrentItem(item)

        add(self.tree, root)
        self.empty.setText(
            "No saved requests yet: Save current… (Ctrl+S) puts the request on screen here."
        )
        self.empty.setVisible(not root.folders and not root.requests)
        self.update_buttons()


def _attach(parent: QTreeWidget | QTreeWidgetItem, item: QTreeWidgetItem) -> None:
    if isinstance(parent, QTreeWidget):
        parent.addTopLevelItem(item)
    else:
        parent.addChild(item)


class SavedRequestsController(QObject):
    """Saved requests for one window: folder choice, file work on a worker, the dock."""

    def __init__(
        self,
        exchange: ExchangeLike,
        redaction: RedactionContext,
        *,
        settings: SettingsKeeper,
        ask: Questions,
        current_spec: Callable[[], RequestSpec | None],
        open_request: Callable[[RequestSpec], bool],
        status: QStatusBar,
        parent: QWidget,
        bases: Callable[[], tuple[str, str]] = lambda: ("", ""),
        captures_for: Callable[[RequestSpec], tuple[Capture, ...]] = lambda _spec: (),
        captures_loaded: Callable[[RequestSpec, tuple[Capture, ...]], None] = lambda *_: None,
    ) -> None:
        """``current_spec`` is the request on screen; ``open_request`` puts one into the
        request panel. ``bases`` are the current ``(base_url, auth_base_url)``: a saved
        request holds ``{{base_url}}`` in their place. ``captures_for`` are the captures a
        request declares (saved with it); ``captures_loaded`` gets them back on opening."""
        super().__init__(parent)
        self.exchange = exchange
        self.redaction = redaction
        self.settings = settings
        self.ask = ask
        self.current_spec = current_spec
        self.open_request = open_request
        self.status = status
        self.bases = bases
        self.captures_for = captures_for
        self.captures_loaded = captures_loaded
        self.panel = SavedRequestsPanel(parent)
        self.view_action = self.panel.toggleViewAction()
        self.view_action.setText("&Saved requests")
        self.view_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_action = QAction("&Save current request…", parent)
        self.save_action.setObjectName("saveRequestAction")
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.triggered.connect(self.save_current)
        self.store: SavedRequestStore | None = None
        self.runner = TaskRunner(self, latest_only=False, serial=True)
        p = self.panel
        p.choose_button.clicked.connect(self.choose_folder)
        p.save_button.clicked.connect(self.save_current)
        p.open_button.clicked.connect(lambda: self._with_selected("open"))
        p.send_button.clicked.connect(lambda: self._with_selected("send"))
        p.rename_button.clicked.connect(self.rename_selected)
        p.delete_button.clicked.connect(self.delete_selected)
        p.folder_button.clicked.connect(self.new_folder)
        p.tree.itemDoubleClicked.connect(lambda *_: self._with_selected("open"))
        if settings.current.saved_requests_dir:
            self.set_folder(Path(settings.current.saved_requests_dir), remember=False)

    # ----- folder ------------------------------------------------------------------------
    @Slot()
    def choose_folder(self) -> bool:
        start = str(self.store.root) if self.store else str(Path.home())
        chosen = self.ask.folder("Folder for saved requests", start)
        if chosen is None:
            return False
        self.set_folder(chosen)
        return True

    def set_folder(self, folder: Path, *, remember: bool = True) -> None:
        self.store = SavedRequestStore(folder)
        self.store.bases = self.bases()
        self.panel.folder_label.setText(str(folder))
        self.panel.folder_label.setToolTip(str(folder))
        if remember:
            self.settings.change(saved_requests_dir=str(folder))
            self.settings.save("The saved-requests folder")
        self.refresh()

    def refresh(self) -> None:
        store = self.store
        if store is None:
            return

        def work() -> tuple[SavedFolder, dict[str, str]]:
            store.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            root = store.tree()
            methods: dict[str, str] = {}
            for relative in _all_requests(root):
                try:
                    methods[relative] = store.load(relative).method
                except SavedRequestError:
                    methods[relative] = "?"
            return root, methods

        self._submit(work, lambda found: self.panel.show_tree(*found))

    # ----- actions -----------------------------------------------------------------------
    def _submit(self, work: Callable[[], Any], then: Callable[[Any], None]) -> int:
        """File work on the worker; ``then(result)`` here, or :meth:`on_failed`."""
        return self.runner.run(lambda _cancel: work(), then, self.on_failed)

    @Slot()
    def save_current(self) -> None:
        spec = self.current_spec()
        if spec is None:
            self.status.showMessage("Pick an endpoint or enter a URL to save first.", 5000)
            return
        if self.store is None and not self.choose_folder():
            return
        default = spec.operation_id or PurePosixPath(spec.url.split("?")[0]).name or "request"
        name = self.ask.text("Save request", "Name of the saved request:", default)
        if not name or not name.strip():
            return
        folder = self.panel.selected_folder()
        relative = "/".join(p for p in (folder, request_file_name(name.strip())) if p)
        base_url, auth_base_url = self.bases()
        saved = SavedRequest.from_spec(
            spec,
            name=name.strip(),
            base_url=base_url,
            auth_base_url=auth_base_url,
            captures=tuple(self.captures_for(spec)),
        )
        self.panel.show()
        self._save(relative, saved, overwrite=False)

    def _save(self, relative: str, saved: SavedRequest, *, overwrite: bool) -> None:
        store = self.store
        assert store is not None
        store.bases = self.bases()
        secrets = self.redaction.known_secrets

        def work() -> str | None:
            if not overwrite and (store.root / relative).exists():
                return None
            return store.save(relative, saved, known_secrets=secrets, overwrite=overwrite)

        self._submit(work, lambda written: self._on_saved(written, relative, saved))

    def _with_selected(self, purpose: str) -> None:
        chosen = self.panel.selected()
        if chosen is None or chosen[1] or self.store is None:
            return
        store, relative = self.store, chosen[0]
        self._submit(lambda: store.load(relative), lambda loaded: self._on_loaded(purpose, loaded))

    @Slot()
    def rename_selected(self) -> None:
        chosen = self.panel.selected()
        if chosen is None or chosen[1] or self.store is None:
            return
        relative = chosen[0]
        new_name = self.ask.text(
            "Rename saved request", "New name (use folder/name to move it):", _name_of(relative)
        )
        if not new_name or not new_name.strip():
            return
        new_name = new_name.strip()
        folder = _folder_of(relative)
        parent, _, leaf = new_name.rpartition("/")
        target = "/".join(p for p in ((parent or folder), request_file_name(leaf)) if p)
        store, secrets = self.store, self.redaction.known_secrets
        store.bases = self.bases()

        def work() -> str:
            moved = store.rename(relative, target)
            old = store.load(moved)
            renamed = dataclasses.replace(old, name=leaf)
            return store.save(moved, renamed, known_secrets=secrets)

        self._submit(work, lambda moved: self._changed("Renamed to", moved))

    @Slot()
    def delete_selected(self) -> None:
        chosen = self.panel.selected()
        if chosen is None or chosen[1] or self.store is None:
            return
        relative = chosen[0]
        if not self.ask.confirm(
            "Delete saved request", f"Delete the file {relative}?", action="Delete"
        ):
            return
        store = self.store
        self._submit(
            lambda: store.delete(relative), lambda gone: self._changed("Deleted", gone or relative)
        )

    @Slot()
    def new_folder(self) -> None:
        if self.store is None and not self.choose_folder():
            return
        name = self.ask.text("New folder", "Folder name:", "")
        if not name or not name.strip():
            return
        parent = self.panel.selected_folder()
        store = self.store
        assert store is not None
        relative = "/".join(p for p in (parent, name.strip()) if p)
        self._submit(
            lambda: store.make_folder(relative), lambda made: self._changed("Made folder", made)
        )

    # ----- results -----------------------------------------------------------------------
    def _on_saved(self, written: str | None, relative: str, saved: SavedRequest) -> None:
        if written is None:  # a file of that name is there: replace it only when asked
            if self.ask.confirm(
                "Replace saved request",
                f"{relative} already exists. Replace it with the current request?",
                action="Replace",
            ):
                self._save(relative, saved, overwrite=True)
            return
        self.status.showMessage(f"Saved {written} (no secrets inside).", 5000)
        self.refresh()

    def _on_loaded(self, purpose: str, loaded: SavedRequest) -> None:
        spec = self.exchange.sendable(loaded.to_spec())
        if loaded.captures:
            self.captures_loaded(spec, loaded.captures)
        if purpose == "send":
            self.exchange.send(spec)
        else:
            self.open_request(spec)
            self.status.showMessage(f"Opened {loaded.name}.", 5000)

    def _changed(self, what: str, name: object) -> None:
        self.status.showMessage(f"{what} {name}.", 5000)
        self.refresh()

    def on_failed(self, exc: object) -> None:
        if isinstance(exc, SavedRequestError):
            text = f"{exc.path.name}: {exc.problem}."
        elif isinstance(exc, OSError):
            text = f"{exc.filename or 'The folder'}: {exc.strerror or exc}. Pick another folder."
        else:
            raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        self.status.showMessage(text, 15000)
        self.ask.error("Saved requests", text)
        self.refresh()


def _all_requests(folder: SavedFolder) -> list[str]:
    found = list(folder.requests)
    for sub in folder.folders:
        found.extend(_all_requests(sub))
    return found
