"""``thumbtack-explorer import``: bring requests in from curl, HAR and Postman.

Every import shows what it will create first (``--dry-run`` stops there), sets secrets
aside as ``{{references}}`` (their values are never printed or written), and lists what
could not be translated.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from explorer.core.models import RequestSpec


@click.group(name="import", help="Import requests from a curl command, a HAR file or Postman.")
def command() -> None:
    pass


def _spec_lines(spec: RequestSpec) -> list[str]:
    lines = [f"{spec.method} {spec.url}"]
    lines += [f"  {key}: {value}" for key, value in spec.headers]
    if spec.body is not None:
        try:
            text = spec.body.decode("utf-8")
        except UnicodeDecodeError:
            text = f"({len(spec.body)} bytes of binary data)"
        if len(text) > 2000:
            text = text[:2000] + f"… ({len(spec.body)} bytes in all)"
        lines += ["", text]
    return lines


def _spec_dict(spec: RequestSpec) -> dict[str, Any]:
    body: str | None = None
    if spec.body is not None:
        body = spec.body.decode("utf-8", errors="replace")
    return {
        "method": spec.method,
        "url": spec.url,
        "headers": [[k, v] for k, v in spec.headers],
        "body": body,
        "timeout_s": spec.timeout_s,
        "follow_redirects": spec.follow_redirects,
    }


def _saved_root(into: Path | None) -> Path:
    if into is not None:
        return into
    from explorer.core.settings import SettingsStore
    from explorer.paths import AppPaths

    folder = SettingsStore(AppPaths.from_environment().settings_file).load().saved_requests_dir
    if not folder:
        raise click.UsageError(
            "Say where to save with --into FOLDER (no saved-requests folder is chosen yet)."
        )
    return Path(folder)


@command.command(
    name="curl",
    help="Read a curl command (bash or Windows quoting) and show the request it sends. "
    "Pass the command as one argument in quotes, or - to read it from standard input.",
)
@click.argument("text")
@click.option("--save", "save_as", metavar="NAME", help="Save it as a request called NAME.")
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="The saved-requests folder (default: the one chosen in the window).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def curl(text: str, save_as: str | None, into: Path | None, as_json: bool) -> None:
    from explorer.core.catalog import load_default_catalog
    from explorer.core.curl_import import CurlParseError, parse_curl
    from explorer.core.request_match import match_operation

    if text == "-":
        text = sys.stdin.read()
    try:
        result = parse_curl(text, files_from=Path.cwd())
    except CurlParseError as exc:
        raise click.ClickException(str(exc)) from None
    match = match_operation(load_default_catalog(), result.spec)
    saved: str | None = None
    if save_as is not None:
        saved = _save(result.spec, save_as, _saved_root(into), match)
    if as_json:
        document = {
            "request": _spec_dict(result.spec),
            "operation_id": None if match is None else match.endpoint.operation_id,
            "path_params": {} if match is None else dict(match.inputs.path_params),
            "secrets": [{"name": s.name, "where": s.where} for s in result.secrets],
            "notes": list(result.notes),
            "saved": saved,
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    for line in _spec_lines(result.spec):
        click.echo(line)
    click.echo("")
    if match is None:
        click.echo("Operation: none in the catalog (opened as a free request).")
    else:
        endpoint = match.endpoint
        click.echo(f"Operation: {endpoint.operation_id} ({endpoint.method} {endpoint.path})")
        for name, value in match.inputs.path_params.items():
            click.echo(f"  path parameter {name} = {value}")
    for note in result.notes:
        click.echo(f"Note: {note}")
    if saved is not None:
        click.echo(f"Saved as {saved}")


def _save(spec: RequestSpec, name: str, root: Path, match: Any) -> str:
    import dataclasses

    from explorer.core.saved import (
        SavedRequest,
        SavedRequestError,
        SavedRequestStore,
        request_file_name,
    )

    if match is not None:
        spec = dataclasses.replace(spec, operation_id=match.endpoint.operation_id)
    store = SavedRequestStore(root)
    try:
        return store.save(
            request_file_name(name), SavedRequest.from_spec(spec, name=name), overwrite=False
        )
    except SavedRequestError as exc:
        raise click.ClickException(str(exc)) from None
