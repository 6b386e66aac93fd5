"""Installs the "safe to show" features in a window: presentation mode, history, saved
requests, support bundles and redacted copies. The window calls :func:`install` once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.ui.history.controller import HistoryController
from explorer.ui.saved.panel import SavedRequestsController
from explorer.ui.sharing.bundles import BundleExporter, menu_named
from explorer.ui.sharing.interop import InteropFeatures
from explorer.ui.sharing.presentation import PresentationMode

if TYPE_CHECKING:
    from explorer.ui.window.main_window import MainWindow


@dataclass
class SafeFeatures:
    """The parts installed in one window, for tests and for shutting down."""

    presentation: PresentationMode
    history: HistoryController
    saved: SavedRequestsController
    bundles: BundleExporter
    interop: InteropFeatures

    def shutdown(self) -> None:
        """Finish queued history writes and close the database."""
        self.history.shutdown()


def install(window: MainWindow) -> SafeFeatures:
    presentation = PresentationMode(window)
    window.view_menu.addSeparator()
    history = HistoryController(window)
    saved = SavedRequestsController(window)
    bundles = BundleExporter(window, history)
    file_menu = menu_named(window, "&File")
    file_menu.insertAction(bundles.export_action, saved.save_action)
    interop = InteropFeatures(window, saved)
    return SafeFeatures(
        presentation=presentation, history=history, saved=saved, bundles=bundles, interop=interop
    )
