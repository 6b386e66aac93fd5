"""The request body's kind, for bodies the JSON form cannot hold: form fields (URL-encoded
or multipart, with files), raw text of any media type, or one binary file.

:class:`BodyKindPanel` offers the kinds the operation's ``requestBody`` declares (every
kind for a free request); "From the Body tab" keeps the JSON form and the Raw JSON
editor as the body. :meth:`BodyKindPanel.body_input` gives the core's
:class:`~explorer.core.bodies.BodyInput` for the chosen kind (None: the Body tab's), which
:func:`explorer.core.bodies.encode` turns into the exact bytes and Content-Type sent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.bodies import TEXT_TYPE, BodyInput, BodyKind, FormField, declared_kinds

ALL_KINDS = (BodyKind.JSON, BodyKind.FORM, BodyKind.MULTIPART, BodyKind.RAW, BodyKind.FILE)
_PAGES = {
    BodyKind.JSON: 0,
    BodyKind.FORM: 1,
    BodyKind.MULTIPART: 1,
    BodyKind.RAW: 2,
    BodyKind.FILE: 3,
}


def ask_file(parent: QWidget) -> Path | None:
    """The file a person picks, or None."""
    name, _filter = QFileDialog.getOpenFileName(parent, "Choose a file to send")
    return Path(name) if name else None


class FieldRow(QWidget):
    """One form field: name, value, and (for a file part) the file's path."""

    changed = Signal()
    removed = Signal(object)

    def __init__(self, ask: Callable[[QWidget], Path | None], parent: QWidget | None = None):
        super().__init__(parent)
        self._ask = ask
        self.name = QLineEdit()
        self.name.setPlaceholderText("name")
        self.name.setAccessibleName("Field name")
        self.value = QLineEdit()
        self.value.setPlaceholderText("value")
        self.value.setAccessibleName("Field value")
        self.is_file = QCheckBox("File")
        self.is_file.setToolTip("Send a file's bytes as this part (multipart)")
        self.browse = QPushButton("Choose…")
        self.browse.setAccessibleName("Choose the file for this field")
        self.browse.setEnabled(False)
        self.remove = QPushButton("Remove")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name, 2)
        layout.addWidget(self.value, 3)
        layout.addWidget(self.is_file)
        layout.addWidget(self.browse)
        layout.addWidget(self.remove)
        self.name.textChanged.connect(self.changed)
        self.value.textChanged.connect(self.changed)
        self.is_file.toggled.connect(self.on_file_toggled)
        self.browse.clicked.connect(self.on_browse)
        self.remove.clicked.connect(lambda: self.removed.emit(self))

    @Slot(bool)
    def on_file_toggled(self, checked: bool) -> None:
        self.browse.setEnabled(checked)
        self.value.setPlaceholderText("path of the file" if checked else "value")
        self.changed.emit()

    @Slot()
    def on_browse(self) -> None:
        chosen = self._ask(self)
        if chosen is not None:
            self.value.setText(str(chosen))

    def field(self) -> FormField | None:
        name = self.name.text().strip()
        if not name:
            return None
        if self.is_file.isChecked():
            text = self.value.text().strip()
            return FormField(name=name, path=Path(text).expanduser()) if text else None
        return FormField(name=name, value=self.value.text())


class BodyKindPanel(QWidget):
    """Choose the body's kind and fill it in."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ask_file: Callable[[QWidget], Path | None] = ask_file
        self.combo = QComboBox()
        self.combo.setObjectName("bodyKindCombo")
        self.combo.setAccessibleName("Body kind")
        self.stack = QStackedWidget()
        self.stack.addWidget(self._json_page())
        self.stack.addWidget(self._form_page())
        self.stack.addWidget(self._raw_page())
        self.stack.addWidget(self._file_page())
        top = QFormLayout()
        top.addRow("Send as", self.combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.combo.currentIndexChanged.connect(self.on_kind_changed)
        self.set_kinds(ALL_KINDS)

    # ----- pages ------------------------------------------------------------------------
    def _json_page(self) -> QWidget:
        note = QLabel("The body is what the Body and Raw JSON tabs hold.")
        note.setWordWrap(True)
        return note

    def _form_page(self) -> QWidget:
        page = QWidget()
        self.rows_box = QVBoxLayout()
        self.rows: list[FieldRow] = []
        self.add_field = QPushButton("Add field")
        self.add_field.setObjectName("addFormField")
        self.add_field.clicked.connect(lambda: self.add_row())  # noqa: PLW0108 (no checked arg)
        self.form_note = QLabel("")
        self.form_note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addLayout(self.rows_box)
        layout.addWidget(self.add_field)
        layout.addWidget(self.form_note)
        layout.addStretch(1)
        return page

    def _raw_page(self) -> QWidget:
        page = QWidget()
        self.raw_type = QLineEdit(TEXT_TYPE)
        self.raw_type.setObjectName("rawContentType")
        self.raw_type.setAccessibleName("Content-Type of the raw body")
        self.raw_text = QPlainTextEdit()
        self.raw_text.setObjectName("rawBodyText")
        self.raw_text.setAccessibleName("Raw body text")
        form = QFormLayout(page)
        form.addRow("Content-Type", self.raw_type)
        form.addRow(self.raw_text)
        self.raw_type.textChanged.connect(self.changed)
        self.raw_text.textChanged.connect(self.changed)
        return page

    def _file_page(self) -> QWidget:
        page = QWidget()
        self.file_path = QLineEdit()
        self.file_path.setObjectName("bodyFilePath")
        self.file_path.setAccessibleName("File to send as the body")
        self.file_browse = QPushButton("Choose…")
        self.file_browse.clicked.connect(self.on_choose_body_file)
        self.file_type = QLineEdit()
        self.file_type.setObjectName("bodyFileType")
        self.file_type.setPlaceholderText("guessed from the file name")
        row = QHBoxLayout()
        row.addWidget(self.file_path, 1)
        row.addWidget(self.file_browse)
        form = QFormLayout(page)
        form.addRow("File", row)
        form.addRow("Content-Type", self.file_type)
        self.file_path.textChanged.connect(self.changed)
        self.file_type.textChanged.connect(self.changed)
        return page

    # ----- behaviour --------------------------------------------------------------------
    def set_kinds(self, kinds: tuple[BodyKind, ...], *, media_types: tuple[str, ...] = ()) -> None:
        """Offer "From the Body tab" plus ``kinds``; the Body tab stays chosen. The raw and
        file pages start with the first of ``media_types`` of their kind."""
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("From the Body tab (JSON)", BodyKind.JSON)
        for kind in kinds:
            if kind is not BodyKind.JSON:
                self.combo.addItem(kind.label, kind)
        self.combo.setCurrentIndex(0)
        self.combo.blockSignals(False)
        by_kind: dict[BodyKind, str] = {}
        for media_type in media_types:
            by_kind.setdefault(declared_kinds((media_type,))[0], media_type)
        self.raw_type.setText(by_kind.get(BodyKind.RAW, TEXT_TYPE))
        self.file_type.setText(by_kind.get(BodyKind.FILE, ""))
        self.stack.setCurrentIndex(0)

    def offered(self) -> list[BodyKind]:
        return [BodyKind(self.combo.itemData(i)) for i in range(self.combo.count())]

    def choose(self, kind: BodyKind) -> bool:
        index = self.combo.findData(kind)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        return True

    def kind(self) -> BodyKind:
        data = self.combo.currentData()
        return BodyKind(data) if data else BodyKind.JSON

    @Slot(int)
    def on_kind_changed(self, _index: int) -> None:
        kind = self.kind()
        self.stack.setCurrentIndex(_PAGES[kind])
        if kind in (BodyKind.FORM, BodyKind.MULTIPART) and not self.rows:
            self.add_row()
        self.form_note.setText(
            "Sent as multipart/form-data; tick File for a file part."
            if kind is BodyKind.MULTIPART
            else "Sent URL-encoded (application/x-www-form-urlencoded); a File part makes "
            "it multipart."
        )
        self.changed.emit()

    def add_row(self) -> FieldRow:
        row = FieldRow(lambda parent: self.ask_file(parent), self)  # noqa: PLW0108 (read late)
        row.changed.connect(self.changed)
        row.removed.connect(self.remove_row)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        return row

    @Slot(object)
    def remove_row(self, row: FieldRow) -> None:
        if row in self.rows:
            self.rows.remove(row)
            self.rows_box.removeWidget(row)
            row.deleteLater()
            self.changed.emit()

    @Slot()
    def on_choose_body_file(self) -> None:
        chosen = self.ask_file(self)
        if chosen is not None:
            self.file_path.setText(str(chosen))

    def body_input(self) -> BodyInput | None:
        """The body for the chosen kind; None when the Body tab's JSON is the body."""
        kind = self.kind()
        if kind is BodyKind.JSON:
            return None
        if kind in (BodyKind.FORM, BodyKind.MULTIPART):
            fields = tuple(f for row in self.rows if (f := row.field()) is not None)
            return BodyInput(kind=kind, fields=fields)
        if kind is BodyKind.RAW:
            return BodyInput(
                kind=kind,
                text=self.raw_text.toPlainText(),
                content_type=self.raw_type.text().strip() or TEXT_TYPE,
            )
        text = self.file_path.text().strip()
        return BodyInput(
            kind=kind,
            path=Path(text).expanduser() if text else None,
            content_type=self.file_type.text().strip(),
        )
