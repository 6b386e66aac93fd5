"""``thumbtack-explorer export``: a folder of saved requests as Postman v2.1, HAR or curl.

Nothing secret leaves: saved requests hold ``{{references}}``, never values; the curl
script reads them from ``THUMBTACK_*`` environment variables.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from explorer.core.interchange import InterchangeError, Suite, read_suite


@click.group(name="export", help="Export saved requests as Postman v2.1, HAR or a curl script.")
def command() -> None:
    pass


def _suite(folder: Path) -> Suite:
    try:
        suite = read_suite(folder)
    except InterchangeError as exc:
        raise click.ClickException(str(exc)) from None
    for problem in suite.problems:
        click.echo(f"Warning: left out {problem}", err=True)
    if not suite.requests:
        raise click.ClickException(f"{folder} holds no saved requests to export.")
    return suite


def _write(text: str, output: Path | None, what: str) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from explorer.core.files import atomic_write

    try:
        atomic_write(output, text, mode=0o644)
    except OSError as exc:
        raise click.ClickException(f"{output} cannot be written ({exc.strerror}).") from None
    click.echo(f"Wrote {what} to {output}.", err=True)


_FOLDER = click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
_OUTPUT = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file."
)


@command.command(name="postman", help="A Postman v2.1 collection (Postman imports it).")
@_FOLDER
@_OUTPUT
def postman(folder: Path, output: Path | None) -> None:
    from explorer.core.postman import suite_to_postman

    suite = _suite(folder)
    text = json.dumps(suite_to_postman(suite), indent=2, ensure_ascii=False) + "\n"
    _write(text, output, f"{len(suite.requests)} requests as a Postman collection")


@command.command(name="har", help="A HAR 1.2 file (examples as the responses).")
@_FOLDER
@_OUTPUT
def har(folder: Path, output: Path | None) -> None:
    from explorer.core.har_io import requests_to_har

    suite = _suite(folder)
    document = requests_to_har([item.request for item in suite.requests])
    _write(json.dumps(document, indent=2, ensure_ascii=False) + "\n", output, "HAR")


@command.command(name="curl", help="A bash script with one curl command per request.")
@_FOLDER
@_OUTPUT
def curl(folder: Path, output: Path | None) -> None:
    import dataclasses

    from explorer.core.codegen import curl_script
    from explorer.core.variables import resolve_variables

    suite = _suite(folder)

    def filled(text: str) -> str:  # the suite's own (non-secret) variables
        return resolve_variables(text, suite.variables).text

    pairs = []
    for item in suite.requests:
        spec = item.request.to_spec()
        spec = dataclasses.replace(
            spec,
            url=filled(spec.url),
            headers=tuple((k, filled(v)) for k, v in spec.headers),
            body=None if spec.body is None else filled(spec.body.decode()).encode(),
        )
        pairs.append((f"{item.folder}/{item.request.name}".strip("/"), spec))
    _write(curl_script(pairs), output, "a curl script")
