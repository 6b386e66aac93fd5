"""What the window may show right now: the one redaction every view, copy and export uses.

:class:`RedactionContext` is the window's one answer to "what may be shown": a
:class:`~explorer.core.redact.Redactor` (secrets always masked; personal data too while
presentation mode is on) and a ``changed`` signal so views re-render. :func:`copy_text` is
the window's one clipboard writer; every copy goes through it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from explorer.core.models import Explanation
from explorer.core.redact import RedactionPolicy, Redactor


class RedactionContext(QObject):
    """What the window's views may show right now. Emits ``changed`` when that changes."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None, *, presentation: bool = False) -> None:
        super().__init__(parent)
        self._presentation = presentation
        self._known: tuple[str, ...] = ()
        self._variables: tuple[str, ...] = ()  # the secret {{variables}}' values
        self._redactor = self._build()

    def _build(self) -> Redactor:
        known = tuple(sorted({*self._known, *self._variables}))
        if self._presentation:
            return Redactor(RedactionPolicy.for_presentation(known))
        return Redactor(RedactionPolicy.for_storage(known))

    @property
    def redactor(self) -> Redactor:
        """The redactor for anything shown, copied or exported now."""
        return self._redactor

    @property
    def presentation(self) -> bool:
        return self._presentation

    @property
    def known_secrets(self) -> tuple[str, ...]:
        return tuple(sorted({*self._known, *self._variables}))

    def set_secret_variables(self, values: Iterable[str | None]) -> None:
        """The secret variables' values, masked wherever they appear (like the profile's)."""
        known = tuple(sorted({v for v in values if v}))
        if known != self._variables:
            self._variables = known
            self._redactor = self._build()
            self.changed.emit()

    def set_presentation(self, on: bool) -> None:
        if on != self._presentation:
            self._presentation = on
            self._redactor = self._build()
            self.changed.emit()

    def set_known_secrets(self, values: Iterable[str | None]) -> None:
        """The current profile's client secret and tokens, masked wherever they appear."""
        known = tuple(sorted({v for v in values if v}))
        if known != self._known:
            self._known = known
            self._redactor = self._build()
            self.changed.emit()

    def redact_explanation(self, explanation: Explanation | None) -> Explanation | None:
        """An explanation whose texts (cause, fix, matched fragments) are redacted."""
        if explanation is None:
            return None
        text = self._redactor.redact_text
        return dataclasses.replace(
            explanation,
            title=text(explanation.title),
            cause=text(explanation.cause),
            fix=tuple(text(step) for step in explanation.fix),
            matched=tuple(text(part) for part in explanation.matched),
        )

    def redact_contract(self, contract: Any) -> Any:
        """A contract verdict (ContractResult, its secrets masked already on the worker)
        whose problem texts are redacted as the screen is now (presentation mode masks
        personal data too)."""
        if contract is None or not self._presentation:
            return contract
        text = self._redactor.redact_text
        problems = tuple(
            dataclasses.replace(p, message=text(p.message), schema_words=text(p.schema_words))
            for p in contract.problems
        )
        return dataclasses.replace(contract, problems=problems)

    def copy_text(self, text: str) -> str:
        """Put ``text`` on the clipboard, redacted as the screen is; returns what was copied."""
        return copy_text(text, self._redactor)


def copy_text(text: str, redactor: Redactor) -> str:
    """The one clipboard writer of the window: ``text`` through ``redactor``.

    Callers pass an identity redactor only for an explicit "with secrets" action.
    """
    safe = redactor.redact_text(text)
    QApplication.clipboard().setText(safe)
    return safe
