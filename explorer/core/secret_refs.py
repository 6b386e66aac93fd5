"""Secrets in a request turned into ``{{name}}`` references, with the values set aside.

One rule for every way a request leaves or enters the program: an imported curl line, HAR
or Postman collection keeps ``Authorization: Bearer {{access_token}}`` and offers the token
to be stored as a secret; a masked "Copy as …" uses an environment variable in its place
(``$THUMBTACK_ACCESS_TOKEN``). What counts as a secret is what the program's redactor masks
for storage (credential headers, secret query, form and JSON fields, JWTs, known secrets),
so the two can never disagree.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from explorer.core.models import RequestSpec
from explorer.core.redact import MASK, RedactionPolicy, Redactor
from explorer.core.variables import VARIABLE_PATTERN

_KEY_BEFORE = re.compile(
    r"""(?:^|[?&;\s"'{,])([A-Za-z_][A-Za-z0-9_.\[\]-]*)["']?\s*[:=]\s*["']?$"""
)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, kw_only=True)
class SecretRef:
    """One secret taken out of a request: its variable name, value and where it was."""

    name: str
    value: str
    where: str  # in words: "the Authorization header", "the query parameter 'api_key'"

    @property
    def env_name(self) -> str:
        """The environment variable a masked copy reads instead: ``THUMBTACK_ACCESS_TOKEN``."""
        return "THUMBTACK_" + self.name.upper()


@dataclass(frozen=True, kw_only=True)
class Templated:
    """A request whose secrets are ``{{name}}`` references, and the secrets themselves."""

    spec: RequestSpec
    secrets: tuple[SecretRef, ...] = ()

    def values(self) -> dict[str, str]:
        return {ref.name: ref.value for ref in self.secrets}


def slug(text: str) -> str:
    """``X-Api-Key`` -> ``x_api_key``: a variable name made of a header, field or key name."""
    cleaned = _SLUG.sub("_", text.lower()).strip("_")
    return cleaned or "secret"


class _Names:
    """Hands out variable names: the same value keeps its name, a new value a new one."""

    def __init__(self) -> None:
        self.refs: list[SecretRef] = []

    def name_for(self, wanted: str, value: str, where: str) -> str:
        for ref in self.refs:
            if ref.value == value:
                return ref.name
        taken = {ref.name for ref in self.refs}
        name, counter = wanted, 2
        while name in taken:
            name, counter = f"{wanted}_{counter}", counter + 1
        self.refs.append(SecretRef(name=name, value=value, where=where))
        return name


def _unmask(original: str, redacted: str) -> list[tuple[int, int]] | None:
    """The spans of ``original`` that ``redacted`` shows as the mask, or None if unaligned."""
    pieces = redacted.split(MASK)
    if len(pieces) == 1:
        return []
    pattern = "(.+?)".join(re.escape(piece) for piece in pieces)
    match = re.fullmatch(pattern, original, re.DOTALL)
    if match is None:
        return None
    return [match.span(index) for index in range(1, len(pieces))]


def _template_text(
    original: str, redacted: str, names: _Names, default: str, where: str
) -> str | None:
    """``original`` with each masked span replaced by a reference; None when unaligned."""
    spans = _unmask(original, redacted)
    if spans is None:
        return None
    out: list[str] = []
    cursor = 0
    for start, end in spans:
        before = original[cursor:start]
        key = _KEY_BEFORE.search(original[:start])
        wanted = slug(key.group(1)) if key and default != "access_token" else default
        place = f"'{key.group(1)}' in {where}" if key and default != "access_token" else where
        out += [before, "{{" + names.name_for(wanted, original[start:end], place) + "}}"]
        cursor = end
    out.append(original[cursor:])
    return "".join(out)


def _header_default(name: str, value: str) -> str:
    lowered = name.strip().lower()
    if lowered in ("authorization", "proxy-authorization"):
        scheme = value.strip().partition(" ")[0].lower()
        if scheme == "bearer":
            return "access_token"
        if scheme == "basic":
            return "basic_credentials"
        return "authorization"
    return slug(name)


def _json_secrets(original: Any, redacted: Any, found: list[tuple[str, str]], key: str) -> None:
    """Collect ``(key, value)`` for every string leaf the redactor masked."""
    if isinstance(original, dict) and isinstance(redacted, dict):
        for name, value in original.items():
            _json_secrets(value, redacted.get(name), found, str(name))
    elif isinstance(original, list) and isinstance(redacted, list):
        for item, other in zip(original, redacted, strict=False):
            _json_secrets(item, other, found, key)
    elif isinstance(original, str) and isinstance(redacted, str) and original != redacted:
        found.append((key, original))
    elif not isinstance(original, str) and redacted == MASK:
        found.append((key, json.dumps(original)))


def _template_json(text: str, redactor: Redactor, names: _Names) -> str | None:
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    found: list[tuple[str, str]] = []
    _json_secrets(parsed, redactor.redact_json(parsed), found, "secret")
    for key, value in found:
        for encoded in (json.dumps(value), json.dumps(value, ensure_ascii=False)):
            if encoded in text:
                name = names.name_for(slug(key), value, f"the body field '{key}'")
                text = text.replace(encoded, '"{{' + name + '}}"')
                break
        else:
            return None
    return text


def template_secrets(spec: RequestSpec, known_secrets: Iterable[str] = ()) -> Templated:
    """Take every secret out of ``spec``; what cannot be aligned is masked, never kept.

    Values that already are ``{{references}}`` stay as they are.
    """
    redactor = Redactor(RedactionPolicy.for_storage(known_secrets))
    names = _Names()
    url = _template_text(spec.url, redactor.redact_url(spec.url), names, "secret", "the URL")
    headers: list[tuple[str, str]] = []
    for key, value in spec.headers:
        masked = redactor.redact_header_value(key, value)
        where = f"the {key} header"
        text = _template_text(value, masked, names, _header_default(key, value), where)
        headers.append((key, masked if text is None else text))
    body = spec.body
    if body is not None:
        ctype = spec.header("content-type") or ""
        masked_body = redactor.redact_body(body, ctype)
        if masked_body != body:
            try:
                text_body = body.decode("utf-8")
            except UnicodeDecodeError:
                text_body = None
            templated: str | None = None
            if text_body is not None:
                templated = _template_text(
                    text_body,
                    masked_body.decode("utf-8", errors="replace"),
                    names,
                    "secret",
                    "the body",
                )
                if templated is None:
                    templated = _template_json(text_body, redactor, names)
            body = masked_body if templated is None else templated.encode("utf-8")
    new_spec = dataclasses.replace(
        spec,
        url=redactor.redact_url(spec.url) if url is None else url,
        headers=tuple(headers),
        body=body,
    )
    return Templated(spec=new_spec, secrets=tuple(names.refs))


def split_references(text: str, names: Iterable[str]) -> list[tuple[str, bool]]:
    """``text`` cut at ``{{name}}`` for the given names: ``(literal, False)`` and
    ``(name, True)`` pieces, in order, for code that reads the value from a variable."""
    wanted = set(names)
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for match in VARIABLE_PATTERN.finditer(text):
        if match.group(1) not in wanted:
            continue
        if match.start() > cursor:
            pieces.append((text[cursor : match.start()], False))
        pieces.append((match.group(1), True))
        cursor = match.end()
    if cursor < len(text) or not pieces:
        pieces.append((text[cursor:], False))
    return pieces
