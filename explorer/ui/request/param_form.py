"""The parameters half of the request builder: path, query and header inputs.

Owns :class:`ParamForm`: one typed row per described parameter (deep-object parameters
such as ``utmData[utm_source]`` are rows of their own, grouped under their object), and
two free-text boxes for query parameters and headers the description does not name, so
that anything typed or restored from a draft has a place and is never dropped.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from explorer.core.builder import RequestInputs
from explorer.core.models import Endpoint, ParamLocation
from explorer.ui.request.field_editors import FieldRow, ScalarEditor
from explorer.ui.request.row_grid import RowGrid

_TITLES = {
    ParamLocation.PATH: "Path parameters",
    ParamLocation.QUERY: "Query parameters",
    ParamLocation.HEADER: "Headers",
}

ParamParts = tuple[dict[str, str], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


class ParamForm(QWidget):
    """Typed inputs for an endpoint's parameters; ``parts()`` gives them as typed text."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[tuple[ParamLocation, str], FieldRow] = {}
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 8, 8, 8)
        self.layout_.setSpacing(6)
        self.extra_query = QPlainTextEdit()
        self.extra_query.setObjectName("extraQuery")
        self.extra_query.setPlaceholderText("name=value   (one per line)")
        self.extra_headers = QPlainTextEdit()
        self.extra_headers.setObjectName("extraHeaders")
        self.extra_headers.setPlaceholderText("Header-Name: value   (one per line)")
        for box in (self.extra_query, self.extra_headers):
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + 14)
            box.textChanged.connect(self.changed)
        self.content = QWidget()
        self.layout_.addWidget(self.content)
        self.more_button = QToolButton()
        self.more_button.setObjectName("moreParams")
        self.more_button.setText("More query parameters and headers")
        self.more_button.setCheckable(True)
        self.more_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more_button.setArrowType(Qt.ArrowType.RightArrow)
        self.more_button.setAutoRaise(True)
        self.more_button.toggled.connect(self.on_more_toggled)
        # Narrow, its words are cut in the middle (the tooltip has them) rather than the form.
        self.more_button.setToolTip(self.more_button.text())
        self.more_button.setMinimumWidth(self.more_button.fontMetrics().averageCharWidth() * 12)
        self.layout_.addWidget(self.more_button)
        extra_titles = [
            QLabel("Query parameters (name=value per line)"),
            QLabel("Headers (Name: value per line)"),
        ]
        for title in extra_titles:
            title.setWordWrap(True)
        self.extras = [extra_titles[0], self.extra_query, extra_titles[1], self.extra_headers]
        for widget in self.extras:
            self.layout_.addWidget(widget)
            widget.hide()
        self.layout_.addStretch(1)

    @Slot(bool)
    def on_more_toggled(self, shown: bool) -> None:
        self.more_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        for widget in self.extras:
            widget.setVisible(shown)

    def load(self, endpoint: Endpoint | None) -> None:
        old = self.content
        self.content = QWidget()
        self.layout_.replaceWidget(old, self.content)
        old.setParent(None)
        old.deleteLater()
        column = QVBoxLayout(self.content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.rows = {}
        params = endpoint.parameters if endpoint is not None else ()
        for location in ParamLocation:
            mine = [p for p in params if p.location is location]
            if not mine:
                continue
            grid = RowGrid()
            group = ""
            for param in mine:
                prefix = param.name.split("[", 1)[0] if "[" in param.name else ""
                if prefix and prefix != group:
                    heading = QLabel(f"{prefix}  · deep object")
                    heading.setProperty("role", "dim")
                    grid.add_heading(heading)
                group = prefix
                schema = {**param.schema}
                if param.description and "description" not in schema:
                    schema["description"] = param.description
                if param.inferred:
                    schema.setdefault("x-inferred", True)
                schema["x-evidence"] = param.evidence.value
                if param.evidence_note:
                    schema.setdefault("x-evidence-note", param.evidence_note)
                editor = ScalarEditor(schema, param.required, text_mode=True)
                row = FieldRow(
                    param.name, (location.value, param.name), editor, schema, param.required
                )
                editor.changed.connect(self.changed)
                grid.add_row(row)
                self.rows[(location, _key(location, param.name))] = row
            column.addWidget(_title(_TITLES[location]))
            column.addWidget(grid)
        if not self.rows and endpoint is not None:
            column.addWidget(QLabel("This endpoint has no parameters."))

    def set_inputs(self, inputs: RequestInputs) -> None:
        self.blockSignals(True)
        try:
            for row in self.rows.values():
                assert isinstance(row.editor, ScalarEditor)
                row.editor.set_text("")
            extra_query: list[str] = []
            extra_headers: list[str] = []
            for name, value in inputs.path_params.items():
                self._put(ParamLocation.PATH, name, value, extra_query)
            for name, value in inputs.query_params:
                if not self._put(ParamLocation.QUERY, name, value, None):
                    extra_query.append(f"{name}={value}")
            for name, value in inputs.headers:
                if not self._put(ParamLocation.HEADER, name, value, None):
                    extra_headers.append(f"{name}: {value}")
            self.extra_query.setPlainText("\n".join(extra_query))
            self.extra_headers.setPlainText("\n".join(extra_headers))
            if extra_query or extra_headers:
                self.more_button.setChecked(True)
        finally:
            self.blockSignals(False)

    def _put(
        self, location: ParamLocation, name: str, value: str, overflow: list[str] | None
    ) -> bool:
        row = self.rows.get((location, _key(location, name)))
        if row is None or not isinstance(row.editor, ScalarEditor) or row.editor.text():
            if overflow is not None:
                overflow.append(f"{name}={value}")
            return False
        row.editor.set_text(value)
        return True

    def parts(self) -> ParamParts:
        path: dict[str, str] = {}
        query: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = []
        for (location, _), row in self.rows.items():
            assert isinstance(row.editor, ScalarEditor)
            text = row.editor.text()
            if location is ParamLocation.PATH:
                path[row.name] = text
            elif text != "":
                (query if location is ParamLocation.QUERY else headers).append((row.name, text))
        for line in self.extra_query.toPlainText().splitlines():
            name, sep, value = line.partition("=")
            if sep and name.strip():
                query.append((name.strip(), value.strip()))
        for line in self.extra_headers.toPlainText().splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip():
                headers.append((name.strip(), value.strip()))
        return path, tuple(query), tuple(headers)

    def row(self, location: ParamLocation, name: str) -> FieldRow | None:
        return self.rows.get((location, _key(location, name)))

    def all_rows(self) -> Iterator[FieldRow]:
        return iter(self.rows.values())


def _key(location: ParamLocation, name: str) -> str:
    return name.lower() if location is ParamLocation.HEADER else name


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label
