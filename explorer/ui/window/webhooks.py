"""Wires the Webhooks dock into the window: its collaborators, its place and its action.

The dock gets the inbox service (the history database's file), the window's redaction,
a way to open a request with inputs filled (select the endpoint, then fill the request
panel), the window's confirmation question and, on the Sandbox, the demo pro's business.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

from explorer.core.builder import RequestInputs
from explorer.ui.history.controller import history_path
from explorer.ui.webhooks.dock import SandboxLink, WebhooksDock
from explorer.ui.webhooks.service import InboxService

if TYPE_CHECKING:
    from explorer.ui.window.main_window import MainWindow

#: The Sandbox's demo pro business (Robert's Remodeling), which the demo pro profile owns.
SANDBOX_PRO_BUSINESS = "468046965846925323"


def install(window: MainWindow) -> WebhooksDock:
    def open_request(operation_id: str, inputs: RequestInputs) -> bool:
        if not window.endpoint_tree.select(operation_id):
            return False
        window.request_panel.set_inputs(inputs)
        window.request_panel.raise_()
        return True

    def on_sandbox() -> bool:
        return window.environment_combo.currentData() in (None, "sandbox")

    service = InboxService(history_path(window), window)
    dock = WebhooksDock(
        service,
        redaction=window.redaction,
        open_request=open_request,
        confirm=lambda title, text: window.ask.confirm(title, text, action="Copy with secrets"),
        sandbox=SandboxLink(business_id=SANDBOX_PRO_BUSINESS, available=on_sandbox),
        parent=window,
    )
    dock.message.connect(lambda text: window.statusBar().showMessage(text, 10000))
    window.docks.add(dock, min_width=420)
    action = dock.toggleViewAction()
    action.setText("&Webhooks")
    action.setShortcut(QKeySequence("Ctrl+Shift+W"))
    action.setObjectName("webhooksAction")
    window.addAction(action)
    window.view_menu.addAction(action)
    return dock
