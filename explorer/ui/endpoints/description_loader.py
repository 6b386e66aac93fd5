"""File > Open API description and Reload: loading a catalog off the GUI thread.

Owns :class:`DescriptionLoader`: it asks for a file (through ``ask_path``, which tests
replace), opens it on the window's background task runner and hands the catalog to the
window as soon as its endpoints are known (nothing is resolved yet, so even very large
descriptions show at once). A progress note with a Cancel button appears when opening
takes longer than a moment; Cancel keeps the endpoints you had. Then the whole
description is checked in the background (every ``$ref``, then openapi-spec-validator):
its findings are listed as warnings, naming the file, line, column and JSON path, and
never stop the description from being used. A file that cannot be used at all leaves the
catalog in use as it is and shows the core's message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from explorer.ui.workers import TaskRunner

if TYPE_CHECKING:
    from explorer.core.catalog import Catalog

_FILTER = "OpenAPI descriptions (*.json *.yaml *.yml);;All files (*)"
#: how long opening may take before the progress note with its Cancel button shows
PROGRESS_AFTER_MS = 400
#: findings listed in the warning box (the rest are counted)
_LISTED = 12


def ask_open_path(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Open API description", "", _FILTER)
    return Path(name) if name else None


class DescriptionLoader(QObject):
    """Loads descriptions in the background; emits ``loaded`` or ``failed``, then
    ``checked`` with the background check's findings (``cancelled`` on Cancel)."""

    loaded = Signal(object)  # Catalog
    failed = Signal(str)  # the message shown to the user
    checked = Signal(object)  # list[Finding] of the description just loaded
    cancelled = Signal()

    def __init__(self, window: QWidget, runner: TaskRunner) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        self.ask_path: Callable[[QWidget], Path | None] = ask_open_path
        self.error_box: QMessageBox | None = None
        self.warning_box: QMessageBox | None = None
        self.progress: QProgressDialog | None = None
        self.findings: list[Any] = []
        self._tasks: dict[int, str] = {}  # task id -> "open" or "check"
        self._opening: int | None = None
        runner.finished.connect(self.on_runner_finished)
        runner.failed.connect(self.on_runner_failed)
        self.open_action = QAction("&Open API description…", self.window)
        self.open_action.setObjectName("openDescription")
        self.open_action.setShortcut("Ctrl+O")
        self.open_action.setToolTip("Load any OpenAPI 3.0/3.1 file (JSON or YAML)")
        self.open_action.triggered.connect(self.on_open_triggered)
        self.reload_action = QAction("&Reload Thumbtack description", self.window)
        self.reload_action.setObjectName("reloadDescription")
        self.reload_action.triggered.connect(self.on_reload_triggered)

    @Slot()
    def on_open_triggered(self) -> None:
        path = self.ask_path(self.window)
        if path is not None:
            self.load_file(path)

    @Slot()
    def on_reload_triggered(self) -> None:
        def load() -> Catalog:
            from explorer.core.catalog import load_default_catalog

            return load_default_catalog()

        self._submit(load, "the shipped Thumbtack description", check=False)

    def load_file(self, path: Path) -> int:
        def load() -> Catalog:
            from explorer.core.catalog import load_catalog

            return load_catalog(path)

        return self._submit(load, str(path), check=True)

    def _submit(self, load: Callable[[], Catalog], what: str, *, check: bool) -> int:
        def task(_cancel: threading.Event) -> tuple[str, Any]:
            # The catalog modules (yaml, referencing) are imported here, on the worker.
            from explorer.core.openapi_doc import CatalogError

            try:
                return ("catalog", (load(), check))
            except CatalogError as exc:
                return ("catalog-error", str(exc))
            except MemoryError:
                return ("catalog-error", f"{what} is too large to open in the memory left.")
            except Exception as exc:  # any other failure is said in words, never raised
                return ("catalog-error", f"{what} could not be loaded ({exc}).")

        if self._opening is not None:  # a newer open replaces one still running
            self.runner.cancel(self._opening)
            self._tasks.pop(self._opening, None)
        task_id = self.runner.submit(task)
        self._tasks[task_id] = "open"
        self._opening = task_id
        self._show_progress(what)
        return task_id

    def _show_progress(self, what: str) -> None:
        if self.progress is None:
            progress = QProgressDialog(self.window)
            progress.setObjectName("descriptionProgress")
            progress.setWindowTitle("Opening API description")
            progress.setRange(0, 0)  # busy: the time a description takes is not known
            progress.setMinimumDuration(PROGRESS_AFTER_MS)
            progress.setAutoClose(False)
            progress.setAutoReset(False)
            progress.setWindowModality(Qt.WindowModality.NonModal)
            progress.canceled.connect(self.cancel)
            self.progress = progress
        name = Path(what).name if "/" in what else what
        self.progress.setLabelText(f"Opening {name}…")
        self.progress.setValue(0)  # starts the minimum-duration clock

    def _hide_progress(self) -> None:
        if self.progress is not None:
            self.progress.blockSignals(True)
            self.progress.reset()
            self.progress.hide()
            self.progress.blockSignals(False)

    @Slot()
    def cancel(self) -> None:
        """Stop opening: the endpoints shown stay; a late result is dropped."""
        if self._opening is None:
            return
        self.runner.cancel(self._opening)
        self._tasks.pop(self._opening, None)
        self._opening = None
        self._hide_progress()
        self.cancelled.emit()

    @property
    def opening(self) -> bool:
        return self._opening is not None

    def _check_in_background(self, catalog: Catalog) -> None:
        def task(cancel: threading.Event) -> tuple[str, Any]:
            from explorer.core.description_check import CheckCancelled, check_catalog

            try:
                return ("findings", check_catalog(catalog, cancel))
            except CheckCancelled:
                return ("findings", None)
            except Exception as exc:  # the check is advice: its own failure is one line
                return ("check-error", f"The description could not be checked ({exc}).")

        for task_id, kind in list(self._tasks.items()):
            if kind == "check":  # an older description's check is of no use now
                self.runner.cancel(task_id)
                self._tasks.pop(task_id, None)
        self._tasks[self.runner.submit(task)] = "check"

    @Slot(int, object)
    def on_runner_finished(self, task_id: int, result: object) -> None:
        kind = self._tasks.pop(task_id, None)
        if kind is None:
            return
        assert isinstance(result, tuple)
        what, value = result
        if kind == "open":
            self._opening = None
            self._hide_progress()
            if what == "catalog":
                catalog, check = value
                self.loaded.emit(catalog)
                if check:
                    self._check_in_background(catalog)
            else:
                self._show_error(str(value))
            return
        if what == "findings" and value is not None:
            self.findings = list(value)
            self.checked.emit(self.findings)
            if self.findings:
                self._show_warnings(self.findings)
        elif what == "check-error":
            self.findings = []
            self.checked.emit(self.findings)

    @Slot(int, object)
    def on_runner_failed(self, task_id: int, exc: object) -> None:
        kind = self._tasks.pop(task_id, None)
        if kind == "open":
            self._opening = None
            self._hide_progress()
            self._show_error(f"The description could not be loaded ({exc}).")

    def _show_warnings(self, findings: list[Any]) -> None:
        count = len(findings)
        listed = "\n\n".join(f"• {finding.text()}" for finding in findings[:_LISTED])
        more = f"\n\n…and {count - _LISTED} more." if count > _LISTED else ""
        plural = "s" if count != 1 else ""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "API description: warnings",
            f"The description opened, with {count} problem{plural} the OpenAPI rules "
            "point out. Its endpoints can be used; parts near a problem may be shown "
            "incompletely.",
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("descriptionWarnings")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(listed + more)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.warning_box = box

    def _show_error(self, message: str) -> None:
        text = f"{message}\n\nThe endpoints you had stay loaded."
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Could not open the API description",
            text,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setObjectName("descriptionError")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self.error_box = box
        self.failed.emit(message)
