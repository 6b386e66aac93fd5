"""Under the explanation: the capture the documented flow needs next.

After a response to an endpoint that a documented flow (``resources/flows``) continues,
such as a business search before Create request, the panel says "Next in Exact search:
save searchID for Create request" with a button that declares the capture on this request
and takes the value from the response on screen. Only what the flow files say is
suggested; they cite Thumbtack's documentation for every step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from explorer.core.flows import CaptureSuggestion, Flow, FlowError, capture_suggestions

_MAX = 3


class CaptureHints(QWidget):
    """One line per suggested capture, each with its button."""

    chosen = Signal(object)  # CaptureSuggestion

    def __init__(self, flows: Callable[[], list[Flow]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("captureHints")
        self._flows = flows
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 0)
        self._layout.setSpacing(2)
        self.suggestions: list[CaptureSuggestion] = []
        self.buttons: dict[str, QPushButton] = {}
        self.hide()

    def show_for(self, operation_id: str, *, ok: bool, captured: set[str]) -> None:
        """The suggestions for a response of ``operation_id`` (none after an error);
        ``captured``: names this request already captures."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        try:
            found = capture_suggestions(operation_id, self._flows()) if operation_id and ok else []
        except FlowError:
            found = []
        self.suggestions = found[:_MAX]
        for suggestion in self.suggestions:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            name = suggestion.capture.name
            done = name in captured
            label = QLabel(
                f"{'✔' if done else '→'} Next in the {suggestion.flow.title} flow: "
                f"{suggestion.text}" + (" (captured after each response)" if done else "")
            )
            label.setObjectName("captureHint")
            label.setWordWrap(True)
            label.setToolTip(f"{suggestion.capture} · {suggestion.used_by.doc_url}")
            line.addWidget(label, 1)
            if not done:
                button = QPushButton(f"Save {name}")
                button.setObjectName(f"saveCapture_{name}")
                button.setAccessibleName(f"Save {name} from this response for the next request")
                button.setToolTip(f"Capture {suggestion.capture} after each response")
                button.clicked.connect(lambda _=False, s=suggestion: self.chosen.emit(s))
                line.addWidget(button)
                self.buttons[name] = button
            self._layout.addWidget(row)
        self.setVisible(bool(self.suggestions))
