"""The two import dialogs: paste a curl command (with a live preview of what it sends), and
the preview of a file import (HAR, Postman, a suite) before anything is written.

Both show secrets only as ``{{references}}``: the values never reach a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.curl_import import CurlImport, CurlParseError, parse_curl
from explorer.core.interchange import ImportPlan
from explorer.core.models import RequestSpec
from explorer.ui.request.json_editor import monospace_font


def describe_spec(spec: RequestSpec) -> str:
    lines = [f"{spec.method} {spec.url}"]
    lines += [f"{key}: {value}" for key, value in spec.headers]
    if spec.body is not None:
        try:
            text = spec.body.decode("utf-8")
        except UnicodeDecodeError:
            text = f"({len(spec.body)} bytes of binary data)"
        lines += ["", text if len(text) < 4000 else text[:4000] + "…"]
    return "\n".join(lines)


class CurlImportDialog(QDialog):
    """Paste a curl command; the preview says what it sends and which operation it is."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        match: Callable[[RequestSpec], str | None],
        can_store_token: bool,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import curl")
        self.setObjectName("curlImportDialog")
        self.match = match
        self.result_: CurlImport | None = None
        self.input = QPlainTextEdit()
        self.input.setObjectName("curlInput")
        self.input.setFont(monospace_font())
        self.input.setPlaceholderText(
            "Paste a curl command (bash or Windows cmd), for example\n"
            "curl https://api.thumbtack.com/api/v4/businesses -H 'Authorization: Bearer …'"
        )
        self.input.setAccessibleName("curl command")
        self.status = QLabel("")
        self.status.setObjectName("curlStatus")
        self.status.setWordWrap(True)
        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setObjectName("curlPreview")
        self.preview.setFont(monospace_font())
        self.preview.setAccessibleName("What the command sends")
        self.notes = QLabel("")
        self.notes.setObjectName("curlNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.store_token = QCheckBox("Store the pasted token as the profile's access token")
        self.store_token.setObjectName("storeTokenBox")
        self.store_token.setToolTip(
            "Kept in the secret store (keychain or vault), never in the request itself"
        )
        self.store_token.setChecked(can_store_token)
        self.store_token.setEnabled(can_store_token)
        self.store_token.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("curlImportButton")
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("curl command:"))
        layout.addWidget(self.input, 2)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("It sends:"))
        layout.addWidget(self.preview, 2)
        layout.addWidget(self.notes)
        layout.addWidget(self.store_token)
        layout.addWidget(self.buttons)
        self.resize(720, 560)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.reparse)
        self.input.textChanged.connect(self._timer.start)

    @Slot()
    def reparse(self) -> None:
        self._timer.stop()
        text = self.input.toPlainText()
        self.result_ = None
        self.store_token.hide()
        if not text.strip():
            self.status.setText("")
            self.preview.setPlainText("")
            self.notes.setText("")
            self.import_button.setEnabled(False)
            return
        try:
            result = parse_curl(text)
        except CurlParseError as exc:
            self.status.setText(str(exc))
            self.status.setProperty("note", "error")
            self.preview.setPlainText("")
            self.notes.setText("")
            self.import_button.setEnabled(False)
            return
        self.result_ = result
        operation = self.match(result.spec)
        self.status.setProperty("note", "")
        self.status.setText(
            f"Opens as {operation}."
            if operation
            else "Opens as a free request (no operation "
            "of the description has this method and path)."
        )
        self.preview.setPlainText(describe_spec(result.spec))
        self.notes.setText("\n".join(f"• {note}" for note in result.notes))
        self.store_token.setVisible(any(ref.name == "access_token" for ref in result.secrets))
        self.import_button.setEnabled(True)

    def set_text(self, text: str) -> None:
        self.input.setPlainText(text)
        self.reparse()


class ImportPreviewDialog(QDialog):
    """What a file import will create, set aside and leave out; nothing is written until
    the user presses Import."""

    def __init__(self, parent: QWidget | None, plan: ImportPlan, target: str) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Import {plan.source}")
        self.setObjectName("importPreviewDialog")
        count = len(plan.requests)
        heading = QLabel(
            f"“{plan.title}”: {count} request{'s' * (count != 1)} will be saved in {target}."
        )
        heading.setWordWrap(True)
        heading.setObjectName("importHeading")
        self.tree = QTreeWidget()
        self.tree.setObjectName("importTree")
        self.tree.setHeaderLabels(["Request", "Method", "URL", "Example"])
        self.tree.setRootIsDecorated(True)
        folders: dict[str, QTreeWidgetItem] = {}
        for item in plan.requests:
            parent_item: Any = self.tree
            path = ""
            for part in [p for p in item.folder.split("/") if p]:
                path = f"{path}/{part}"
                if path not in folders:
                    folder = QTreeWidgetItem(parent_item, [part])
                    folder.setExpanded(True)
                    folders[path] = folder
                parent_item = folders[path]
            example = item.request.example
            QTreeWidgetItem(
                parent_item,
                [
                    item.request.name,
                    item.request.method,
                    item.request.url,
                    str(example.get("status")) if example else "",
                ],
            )
        self.tree.expandAll()
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(column, mode)
        self.details = QPlainTextEdit(readOnly=True)
        self.details.setObjectName("importReport")
        lines: list[str] = []
        if plan.variables:
            lines.append("Variables kept:")
            lines += [f"  {key} = {value}" for key, value in plan.variables.items()]
        if plan.secrets:
            lines.append("Secrets set aside (never written; the requests use the references):")
            lines += [f"  {{{{{ref.name}}}}} from {ref.where}" for ref in plan.secrets]
        if plan.notes:
            lines.append("Not translated:")
            lines += [f"  • {note}" for note in plan.notes]
        self.details.setPlainText("\n".join(lines) or "Everything translates.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(count > 0)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tree, 3)
        layout.addWidget(self.details, 2)
        layout.addWidget(buttons)
        self.resize(820, 560)
