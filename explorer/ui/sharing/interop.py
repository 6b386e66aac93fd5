"""Requests in and out of the window: curl pasted into the URL field or Request ▸ Import
curl…, File ▸ Import (HAR, Postman collection, a suite folder) with a preview, and File ▸
Export saved requests (Postman v2.1, HAR, a curl script).

A pasted command opens as the catalog's operation when it is one (its form filled, path
parameters split out), else as a free request. A pasted Bearer token is never kept in the
request: it becomes ``{{access_token}}`` and the user is offered to store it as the
profile's access token in the secret store. Files are read, translated and written on a
worker thread.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QStatusBar, QWidget

from explorer.core.curl_import import CurlImport, CurlParseError, looks_like_curl, parse_curl
from explorer.core.interchange import ImportPlan, InterchangeError
from explorer.core.models import Endpoint, RequestSpec
from explorer.core.saved import SavedRequestStore
from explorer.ui.workers import TaskRunner

if TYPE_CHECKING:
    from explorer.ui.ask import Questions
    from explorer.ui.request.panel import RequestPanel

PASTE_MIN_CHARS = 12  # an edit adding this many characters at once is a paste, not typing
IMPORTS = {
    "har": ("HAR file…", "Import a HAR file", ["HAR files (*.har *.json)", "All files (*)"]),
    "postman": (
        "Postman collection…",
        "Import a Postman collection",
        ["Postman collections (*.json)", "All files (*)"],
    ),
}
EXPORTS = {
    "postman": ("as a Postman collection…", "Postman collection (*.postman_collection.json)"),
    "har": ("as HAR…", "HAR 1.2 (*.har)"),
    "curl": ("as a curl script…", "bash script (*.sh)"),
}


class InteropFeatures(QObject):
    """The import and export actions of one window."""

    imported = Signal(list)  # relative paths of the saved requests written
    exported = Signal(str)  # the file written

    def __init__(
        self,
        panel: RequestPanel,
        *,
        ask: Questions,
        status: QStatusBar,
        select_endpoint: Callable[[str], bool],
        endpoints: Callable[[], Sequence[Endpoint]],
        catalog: Callable[[], Any],
        saved_store: Callable[[], SavedRequestStore | None],
        choose_saved_folder: Callable[[], bool],
        saved_changed: Callable[[], None],
        session: Any = None,
        dialog_parent: QWidget | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``panel`` is the request panel (its URL field takes pasted commands),
        ``select_endpoint(operation_id)`` shows an endpoint, ``catalog()`` the description
        loaded (else ``endpoints()`` are matched), ``saved_store()`` the saved-requests
        folder (``choose_saved_folder()`` asks for one, ``saved_changed()`` re-reads it),
        ``session`` the session controller (its current profile keeps a pasted token)."""
        super().__init__(parent)
        self.panel = panel
        self.ask = ask
        self.status = status
        self.select_endpoint = select_endpoint
        self.endpoints = endpoints
        self.catalog = catalog
        self.saved_store = saved_store
        self.choose_saved_folder = choose_saved_folder
        self.saved_changed = saved_changed
        self.session = session
        self.dialog_parent = dialog_parent
        self.dialog: Any = None
        self.runner = TaskRunner(self, latest_only=False, serial=True)
        self.runner.finished.connect(self.on_finished)
        self.runner.failed.connect(self.on_failed)
        owner = parent if parent is not None else self

        self.import_curl_action = QAction("&Import curl…", owner)
        self.import_curl_action.setObjectName("importCurlAction")
        self.import_curl_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_curl_action.setToolTip("Paste a curl command and open the request it sends")
        self.import_curl_action.triggered.connect(lambda _checked=False: self.open_curl_dialog())

        self.import_menu = QMenu("&Import")
        self.import_menu.setObjectName("importMenu")
        self.import_actions: dict[str, QAction] = {}
        for kind, (label, _title, _filters) in IMPORTS.items():
            action = self.import_menu.addAction(label)
            action.triggered.connect(lambda _=False, k=kind: self.import_file(k))
            self.import_actions[kind] = action
        suite = self.import_menu.addAction("Saved-requests folder (a suite)…")
        suite.triggered.connect(lambda: self.import_file("suite"))
        self.import_actions["suite"] = suite
        self.import_menu.addSeparator()
        self.import_menu.addAction(self.import_curl_action)
        self.export_menu = QMenu("Export saved &requests")
        self.export_menu.setObjectName("exportSavedMenu")
        self.export_actions: dict[str, QAction] = {}
        for kind, (label, _filter) in EXPORTS.items():
            action = self.export_menu.addAction(label)
            action.triggered.connect(lambda _=False, k=kind: self.export_saved(k))
            self.export_actions[kind] = action

        self._url_text = self._url_before = panel.url.text()
        panel.url.installEventFilter(self)
        panel.url.textChanged.connect(self._remember_url)
        panel.url.textEdited.connect(self.on_url_edited)

    # ----- curl ----------------------------------------------------------------------
    @Slot(str)
    def _remember_url(self, text: str) -> None:
        self._url_before, self._url_text = self._url_text, text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Paste)
        ):
            text = QApplication.clipboard().text()
            if looks_like_curl(text):
                self.import_curl_text(text)
                return True
        return super().eventFilter(watched, event)

    @Slot(str)
    def on_url_edited(self, text: str) -> None:
        """A command pasted through the field's context menu (typing ``curl …`` by hand
        is left alone: only an edit that adds many characters at once is a paste)."""
        # textEdited comes before textChanged: _url_text still holds the text before the edit
        before = self._url_before if self._url_text == text else self._url_text
        grew = len(text) - len(before) >= PASTE_MIN_CHARS
        replaced = not text.startswith(before[: max(len(before) - 1, 0)])
        if (grew or replaced) and looks_like_curl(text):
            self.import_curl_text(text)

    def _operation_name(self, spec: RequestSpec) -> str | None:
        match = self._match(spec)
        return None if match is None else match.endpoint.operation_id

    def _match(self, spec: RequestSpec) -> Any:
        from explorer.core.request_match import match_operation

        catalog = self.catalog()
        if catalog is None:
            from explorer.core.catalog import Catalog

            endpoints = tuple(self.endpoints())
            if not endpoints:
                return None
            catalog = Catalog(title="", version="", endpoints=endpoints)
        return match_operation(catalog, spec)

    def _session(self) -> Any:
        return self.session

    def open_curl_dialog(self, text: str = "") -> Any:
        from explorer.ui.sharing.import_dialogs import CurlImportDialog

        session = self._session()
        can_store = session is not None and getattr(session, "profile", None) is not None
        dialog = CurlImportDialog(
            self.dialog_parent, match=self._operation_name, can_store_token=can_store
        )
        if text:
            dialog.set_text(text)
        dialog.accepted.connect(lambda: self._dialog_accepted(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_accepted(self, dialog: Any) -> None:
        result = dialog.result_
        if result is None:
            return
        self.open_imported(result)
        if dialog.store_token.isVisible() and dialog.store_token.isChecked():
            self._store_token(result)

    def import_curl_text(self, text: str) -> bool:
        """Open the request a pasted command sends; a broken command is explained."""
        try:
            result = parse_curl(text)
        except CurlParseError as exc:
            self.ask.error("Import curl", str(exc))
            return False
        self.open_imported(result)
        token = next((ref for ref in result.secrets if ref.name == "access_token"), None)
        session = self._session()
        if token is not None and session is not None and getattr(session, "profile", None):
            profile = session.profile.name
            if self.ask.confirm(
                "Store the pasted token?",
                "The pasted command holds a Bearer token. The request now uses "
                "{{access_token}}, which the profile fills. Store the pasted token as the "
                f"access token of “{profile}” (in the secret store)? Otherwise it is dropped.",
                action="Store the token",
            ):
                self._store_token(result)
        return True

    def _store_token(self, result: CurlImport) -> None:
        token = next((ref.value for ref in result.secrets if ref.name == "access_token"), "")
        session = self._session()
        if token and session is not None:
            session.adopt_token(token)
            self.status.showMessage(
                "The pasted token is stored as the profile's access token.", 6000
            )

    def open_imported(self, result: CurlImport) -> None:
        panel = self.panel
        match = self._match(result.spec)
        notes = f" Note: {result.notes[0]}" if result.notes else ""
        if match is not None and self.select_endpoint(match.endpoint.operation_id):
            panel.set_inputs(match.inputs)
            panel.remember_draft()
            where = ""
            if not match.base_url.startswith(panel.base_url.rstrip("/")):
                where = f" on the current environment (the command called {match.base_url})"
            self.status.showMessage(
                f"Opened the pasted command as {match.endpoint.operation_id}{where}.{notes}",
                10000,
            )
            return
        panel.load_free(result.spec)
        self.status.showMessage(f"Opened the pasted command as a free request.{notes}", 10000)

    # ----- file imports --------------------------------------------------------------
    def import_file(self, kind: str) -> None:
        ask = self.ask
        if kind == "suite":
            folder = ask.folder("Import a saved-requests folder", str(Path.home()))
            if folder is None:
                return
            source: Path = folder
        else:
            _label, title, filters = IMPORTS[kind]
            chosen = ask.open_file(title, str(Path.home()), filters)
            if chosen is None:
                return
            source = chosen
        self.runner.submit(lambda _cancel: ("plan", _plan(kind, source), source))

    def _show_preview(self, plan: ImportPlan) -> None:
        from explorer.ui.sharing.import_dialogs import ImportPreviewDialog

        store = self.saved_store()
        if store is None and not self.choose_saved_folder():
            return
        store = self.saved_store()
        if store is None:
            return
        dialog = ImportPreviewDialog(self.dialog_parent, plan, str(store.root))
        dialog.accepted.connect(lambda: self._write_plan(plan))
        self.dialog = dialog
        dialog.open()

    def _write_plan(self, plan: ImportPlan) -> None:
        from explorer.core.interchange import apply_plan

        store = self.saved_store()
        if store is None:
            return
        self.runner.submit(lambda _cancel: ("written", apply_plan(plan, store), plan))

    # ----- exports -------------------------------------------------------------------
    def export_saved(self, kind: str) -> None:
        store = self.saved_store()
        if store is None:
            self.status.showMessage(
                "Choose the saved-requests folder first (Saved requests dock).", 6000
            )
            return
        label, file_filter = EXPORTS[kind]
        suffix = {"postman": ".postman_collection.json", "har": ".har", "curl": ".sh"}[kind]
        start = str(Path.home() / f"{store.root.name}{suffix}")
        chosen = self.ask.save_file(
            f"Export saved requests {label.rstrip('…')}", start, [file_filter]
        )
        if chosen is None:
            return
        path = chosen[0]
        root = store.root
        self.runner.submit(lambda _cancel: ("exported", _export(kind, root, path), path))

    # ----- worker results ------------------------------------------------------------
    @Slot(int, object)
    def on_finished(self, _task_id: int, result: object) -> None:
        kind, value, context = cast(tuple[str, Any, Any], result)
        if kind == "plan":
            self._show_preview(value)
        elif kind == "written":
            self.saved_changed()
            self.status.showMessage(
                f"Imported {len(value)} saved request{'s' * (len(value) != 1)}.", 8000
            )
            self.imported.emit(list(value))
            plan: ImportPlan = context
            if plan.secrets:
                self.status.showMessage(
                    f"Imported {len(value)} saved requests; {len(plan.secrets)} secret(s) were "
                    "set aside as {{references}} and not written.",
                    10000,
                )
        elif kind == "exported":
            self.status.showMessage(f"Exported {value} to {context}.", 8000)
            self.exported.emit(str(context))

    @Slot(int, object)
    def on_failed(self, _task_id: int, exc: object) -> None:
        if isinstance(exc, InterchangeError | OSError):
            self.ask.error("Import or export", str(exc))
        else:
            self.ask.error("Import or export", f"It did not work: {exc}")


def _plan(kind: str, source: Path) -> ImportPlan:
    from explorer.core.interchange import suite_plan

    if kind == "suite":
        return suite_plan(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InterchangeError(f"{source} cannot be read ({exc.strerror}).") from exc
    if kind == "har":
        from explorer.core.har_io import har_plan

        return har_plan(data)
    from explorer.core.postman import postman_plan

    return postman_plan(data)


def _export(kind: str, root: Path, path: Path) -> str:
    from explorer.core.files import atomic_write
    from explorer.core.interchange import read_suite

    suite = read_suite(root)
    if not suite.requests:
        raise InterchangeError(f"{root} holds no saved requests to export.")
    if kind == "postman":
        from explorer.core.postman import suite_to_postman

        text = json.dumps(suite_to_postman(suite), indent=2, ensure_ascii=False) + "\n"
    elif kind == "har":
        from explorer.core.har_io import requests_to_har

        har = requests_to_har([item.request for item in suite.requests])
        text = json.dumps(har, indent=2, ensure_ascii=False) + "\n"
    else:
        from explorer.core.codegen import curl_script

        text = curl_script(
            [
                (f"{i.folder}/{i.request.name}".strip("/"), i.request.to_spec())
                for i in suite.requests
            ]
        )
    atomic_write(path, text, mode=0o644)
    return f"{len(suite.requests)} saved requests"
