"""What the command line prints: every line passes through :func:`safe_text`.

Two guards, for the terminal and for pipes alike:

* the secrets this run knows (the profile's client secret and tokens) are masked in
  every encoding a server may echo them in (raw, URL/form-encoded, JSON-escaped, inside
  ``Basic`` base64), whatever the text is: a body, an error message, a warning;
* control characters are shown escaped (``\\x1b``, ``\\u202e``), so a server's text cannot
  set the window title (``ESC ]0;``), write the clipboard (``ESC ]52;``), clear the screen
  or reorder what is shown (bidirectional overrides). Line breaks and tabs stay.

A command tells this module its secrets with :func:`remember_secrets` as soon as it has
them; they are kept on the click context of the run, never in a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import click

from explorer.core.redact import RedactionPolicy, Redactor

__all__ = [
    "echo",
    "escape_controls",
    "remember_secrets",
    "safe_text",
]

_META_KEY = "explorer.known_secrets"
_REDACTOR_KEY = "explorer.output_redactor"
#: C0 controls but tab and line feed, a carriage return not ending a line, DEL, C1
#: controls, and the invisible marks that reorder or hide text.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069\ufeff]|\r(?!\n)"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``)."""
    return _CONTROLS.sub(_escape, text)


def _root_meta() -> dict[str, Any] | None:
    ctx = click.get_current_context(silent=True)
    return None if ctx is None else ctx.find_root().meta


def remember_secrets(values: Iterable[str | None]) -> None:
    """Mask these values (in every encoding) in everything this run prints from now on."""
    meta = _root_meta()
    if meta is None:
        return
    known: set[str] = meta.setdefault(_META_KEY, set())
    before = len(known)
    known.update(v for v in values if v)
    if len(known) != before:
        meta.pop(_REDACTOR_KEY, None)


def _redactor() -> Redactor | None:
    meta = _root_meta()
    if not meta or not meta.get(_META_KEY):
        return None
    redactor = meta.get(_REDACTOR_KEY)
    if not isinstance(redactor, Redactor):
        redactor = Redactor(RedactionPolicy.for_storage(sorted(meta[_META_KEY])))
        meta[_REDACTOR_KEY] = redactor
    return redactor


def safe_text(text: str) -> str:
    """``text`` as it may be printed: known secrets masked, control characters escaped."""
    redactor = _redactor()
    if redactor is not None:
        text = redactor.redact_known(text)
    return escape_controls(text)


def echo(message: Any = "", *, err: bool = False, nl: bool = True) -> None:
    """Print one message through :func:`safe_text` (the only way commands print)."""
    click.echo(safe_text("" if message is None else str(message)), err=err, nl=nl)
