"""``{{name}}`` variables: substitution, and the names that had no value.

Environments define variables (``utm_source``, ``businessID``...); any text the user
types in the request builder may use them. Unknown names are left as typed and reported,
so a request can still be sent as the user wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

VARIABLE_PATTERN = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")


@dataclass(frozen=True, kw_only=True)
class Resolved:
    """Text after ``{{name}}`` substitution, and the names that had no value."""

    text: str
    unknown: tuple[str, ...] = ()


def resolve_variables(text: str, variables: Mapping[str, str] | None) -> Resolved:
    """Replace ``{{name}}`` by its value; unknown names stay as typed and are reported."""
    values = variables or {}
    unknown: dict[str, None] = {}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        unknown[name] = None
        return match.group(0)

    return Resolved(text=VARIABLE_PATTERN.sub(substitute, text), unknown=tuple(unknown))
