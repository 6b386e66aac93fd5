"""Option parsing shared by the subcommands."""

from __future__ import annotations

import click


def parse_header_options(
    values: tuple[str, ...], *, param_hint: str, example: str
) -> list[tuple[str, str]]:
    """``'Name: value'`` options into header pairs; a malformed one is a usage error."""
    headers: list[tuple[str, str]] = []
    for raw in values:
        name, sep, value = raw.partition(":")
        name = name.strip()
        if not sep or not name or any(ch.isspace() for ch in name):
            raise click.BadParameter(
                f"'{raw}' is not 'Name: value', for example {example}.", param_hint=param_hint
            )
        headers.append((name, value.strip()))
    return headers
