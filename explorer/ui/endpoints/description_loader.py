"""File > Open API description and Reload: loading a catalog off the GUI thread.

Owns :class:`DescriptionLoader`: it asks for a file (through ``ask_path``, which tests
replace), reads and validates it on the window's background task runner, and hands a
good catalog to the window. A broken file leaves the catalog in use as it is and shows
the core's message, which names the file and the line, column and JSON path of the
problem.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from explorer.ui.workers import TaskRunner

if TYPE_CHECKING:
    from explorer.core.catalog import Catalog

_FILTER = "OpenAPI descriptions (*.json *.yaml *.yml);;All files (*)"


def ask_open_path(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Open API description", "", _FILTER)
    return Path(name) if name else None


class DescriptionLoader(QObject):
    """Loads descriptions in the background; emits ``loaded`` or ``failed``."""

    loaded = Signal(object)  # Catalog
    failed = Signal(str)  # the message shown to the user

    def __init__(self, window: QWidget, runner: TaskRunner) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        self.ask_path: Callable[[QWidget], Path | None] = ask_open_path
        self.error_box: QMessageBox | None = None
        self._tasks: set[int] = set()
        runner.finished.connect(self.on_runner_finished)
        runner.failed.connect(self.on_runner_failed)

    def install(self, menu: QMenu) -> None:
        self.open_action = QAction("&Open API description…", self.window)
        self.open_action.setObjectName("openDescription")
        self.open_action.setShortcut("Ctrl+O")
        self.open_action.setToolTip("Load any OpenAPI 3.0/3.1 file (JSON or YAML)")
        self.open_action.triggered.connect(self.on_open_triggered)
        self.reload_action = QAction("&Reload Thumbtack description", self.window)
        self.reload_action.setObjectName("reloadDescription")
        self.reload_action.triggered.connect(self.on_reload_triggered)
        existing = menu.actions()
        if existing:
            menu.insertActions(existing[0], [self.open_action, self.reload_action])
            menu.insertSeparator(existing[0])
        else:
            menu.addActions([self.open_action, self.reload_action])

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

        self._submit(load, "the shipped Thumbtack description")

    def load_file(self, path: Path) -> int:
        def load() -> Catalog:
            from explorer.core.catalog import load_catalog

            return load_catalog(path)

        return self._submit(load, str(path))

    def _submit(self, load: Callable[[], Catalog], what: str) -> int:
        def task(_cancel: threading.Event) -> tuple[str, Any]:
            # The catalog modules (yaml, referencing) are imported here, on the worker.
            from explorer.core.openapi_doc import CatalogError

            try:
                return ("catalog", load())
            except CatalogError as exc:
                return ("catalog-error", str(exc))
            except Exception as exc:  # any other failure is said in words, never raised
                return ("catalog-error", f"{what} could not be loaded ({exc}).")

        task_id = self.runner.submit(task)
        self._tasks.add(task_id)
        return task_id

    @Slot(int, object)
    def on_runner_finished(self, task_id: int, result: object) -> None:
        if task_id not in self._tasks:
            return
        self._tasks.discard(task_id)
        assert isinstance(result, tuple)
        kind, value = result
        if kind == "catalog":
            self.loaded.emit(value)
        else:
            self._show_error(str(value))

    @Slot(int, object)
    def on_runner_failed(self, task_id: int, exc: object) -> None:
        if task_id in self._tasks:
            self._tasks.discard(task_id)
            self._show_error(f"The description could not be loaded ({exc}).")

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
        box.open()
        self.error_box = box
        self.failed.emit(message)
