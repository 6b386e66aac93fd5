"""How well a fact about Thumbtack is known: its evidence grade.

Every Thumbtack fact the program shows (an operation, a parameter, a body field, a
response, a status, an error body, a header, a scope, a Sandbox behaviour) carries one
grade, kept with the fact itself: ``x-evidence`` in the OpenAPI description, ``evidence``
in the explanation rules, ``evidence`` in the Sandbox's fault and behaviour catalogue.

* ``documented``: Thumbtack's own page says it;
* ``observed``: real traffic captured by partners shows it (stored answers, logged
  deliveries, a staging run);
* ``inferred``: the program's own inference, not confirmed.

A fact marked ``x-inferred: true`` is never read as documented or observed, whatever its
``x-evidence`` says: :func:`grade_of` takes the weaker of the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

EXTENSION = "x-evidence"
NOTE_EXTENSION = "x-evidence-note"
INFERRED_NOTE_EXTENSION = "x-inferred-note"


class Evidence(StrEnum):
    """The grade of one fact, strongest first."""

    DOCUMENTED = "documented"
    OBSERVED = "observed"
    INFERRED = "inferred"

    @property
    def label(self) -> str:
        """The words the window and the CLI's text output use."""
        return LABELS[self]

    @property
    def rank(self) -> int:
        """0 for documented, 2 for inferred (higher is weaker)."""
        return _ORDER.index(self)


_ORDER = (Evidence.DOCUMENTED, Evidence.OBSERVED, Evidence.INFERRED)

LABELS: dict[Evidence, str] = {
    Evidence.DOCUMENTED: "documented",
    Evidence.OBSERVED: "seen in real traffic",
    Evidence.INFERRED: "our inference",
}

#: Longer words for tooltips and legends.
MEANINGS: dict[Evidence, str] = {
    Evidence.DOCUMENTED: "Documented: Thumbtack's own documentation says so.",
    Evidence.OBSERVED: (
        "Seen in real traffic: partners captured it from Thumbtack (stored answers, logged "
        "webhook deliveries, a staging test run); no Thumbtack page says so."
    ),
    Evidence.INFERRED: (
        "Our inference: this program's best guess, not confirmed by Thumbtack's "
        "documentation or by real traffic."
    ),
}


def parse(value: Any, default: Evidence = Evidence.INFERRED) -> Evidence:
    """``value`` as a grade; anything unknown is ``default`` (inferred unless told)."""
    if isinstance(value, Evidence):
        return value
    try:
        return Evidence(str(value).strip().lower())
    except ValueError:
        return default


def weakest(grades: Iterable[Evidence], default: Evidence = Evidence.DOCUMENTED) -> Evidence:
    """The weakest of ``grades`` (``default`` when there are none)."""
    found = list(grades)
    return max(found, key=lambda grade: grade.rank) if found else default


def grade_of(node: Mapping[str, Any] | None, default: Evidence = Evidence.INFERRED) -> Evidence:
    """The grade an OpenAPI node declares.

    ``x-evidence`` names it; ``x-inferred: true`` caps it at inferred. A node that says
    nothing gets ``default`` (inferred unless the caller knows better), so nothing
    ungraded is ever shown as documented.
    """
    if not isinstance(node, Mapping):
        return default
    declared = parse(node[EXTENSION], default) if EXTENSION in node else default
    if node.get("x-inferred") is True:
        return Evidence.INFERRED
    return declared


def note_of(node: Mapping[str, Any] | None) -> str:
    """What the node says about its evidence (``x-evidence-note`` or ``x-inferred-note``)."""
    if not isinstance(node, Mapping):
        return ""
    for key in (NOTE_EXTENSION, INFERRED_NOTE_EXTENSION):
        text = node.get(key)
        if text:
            return str(text).strip()
    return ""


def field_grades(
    schema: Mapping[str, Any] | None, default: Evidence, *, prefix: str = "", depth: int = 0
) -> dict[str, Evidence]:
    """The grade of every property of a (resolved) schema, by dotted path (``a.b``,
    ``items[].c``); a property takes its parent's grade unless it has its own."""
    out: dict[str, Evidence] = {}
    if not isinstance(schema, Mapping) or depth > 12:
        return out
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        for name, sub in properties.items():
            if not isinstance(sub, Mapping):
                continue
            grade = weakest((default, grade_of(sub, default)))
            path = f"{prefix}{name}"
            out[path] = grade
            out.update(field_grades(sub, grade, prefix=f"{path}.", depth=depth + 1))
    items = schema.get("items")
    if isinstance(items, Mapping):
        out.update(
            field_grades(
                items, default, prefix=f"{prefix[:-1]}[]." if prefix else "[].", depth=depth + 1
            )
        )
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key) or ():
            out.update(field_grades(sub, default, prefix=prefix, depth=depth + 1))
    return out


def response_grades(responses: Mapping[str, Any], default: Evidence) -> dict[str, Evidence]:
    """The grade of each documented status (``"200"``, ``"5XX"``) of an operation."""
    return {
        str(code): grade_of(response, default)
        for code, response in responses.items()
        if isinstance(response, Mapping)
    }


def tag(grade: Evidence) -> str:
    """A short bracketed tag for plain-text output, e.g. ``[our inference]``."""
    return f"[{grade.label}]"


__all__ = [
    "EXTENSION",
    "LABELS",
    "MEANINGS",
    "Evidence",
    "field_grades",
    "grade_of",
    "note_of",
    "parse",
    "response_grades",
    "tag",
    "weakest",
]
