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
@click.option(
    "--to",
    "to_target",
    metavar="TARGET",
    help="Print it as code instead: curl, curl-windows, httpie, python-requests, "
    "python-httpx, javascript-fetch, node-axios, go, java, csharp, php-guzzle, ruby, "
    "python-oauth (secrets come from THUMBTACK_* environment variables).",
)
def curl(
    text: str, save_as: str | None, into: Path | None, as_json: bool, to_target: str | None
) -> None:
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
    if to_target is not None:
        from explorer.core.codegen import generate, target

        try:
            target(to_target)
        except KeyError as exc:
            raise click.BadParameter(str(exc.args[0]), param_hint="--to") from None
        click.echo(generate(to_target, result.spec), nl=False)
        return
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


def _apply(plan: Any, into: Path | None, under: str, dry_run: bool) -> None:
    from explorer.core.interchange import apply_plan
    from explorer.core.saved import SavedRequestError, SavedRequestStore

    for line in plan.preview():
        click.echo(line)
    if dry_run:
        click.echo("Nothing was written (--dry-run).")
        return
    if not plan.requests:
        click.echo("Nothing to import.")
        return
    root = _saved_root(into)
    try:
        written = apply_plan(plan, SavedRequestStore(root), under=under)
    except SavedRequestError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {len(written)} saved request{'s' * (len(written) != 1)} in {root}.")
    if plan.secrets:
        click.echo(
            "The secrets above were not written. Store each one as a secret (the window "
            "offers it on import) or set it as a variable before sending."
        )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{path} cannot be read ({exc.strerror}).") from None


_INTO = click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="The saved-requests folder (default: the one chosen in the window).",
)
_UNDER = click.option("--under", default="", metavar="FOLDER", help="A folder inside it.")
_DRY = click.option("--dry-run", is_flag=True, help="Only show what would be created.")


@command.command(name="har", help="Import a HAR 1.2 file (a browser's network log).")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--page-resources", is_flag=True, help="Also import documents, images, scripts and styles."
)
@_INTO
@_UNDER
@_DRY
def har(path: Path, page_resources: bool, into: Path | None, under: str, dry_run: bool) -> None:
    from explorer.core.har_io import har_plan
    from explorer.core.interchange import InterchangeError

    try:
        plan = har_plan(_read(path), include_page_resources=page_resources)
    except InterchangeError as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    _apply(plan, into, under, dry_run)


@command.command(name="postman", help="Import a Postman collection (v2.0 or v2.1).")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--environment",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A Postman environment file whose variables to import too.",
)
@_INTO
@_UNDER
@_DRY
def postman(
    path: Path, environment: Path | None, into: Path | None, under: str, dry_run: bool
) -> None:
    from explorer.core.interchange import InterchangeError
    from explorer.core.postman import postman_plan

    try:
        plan = postman_plan(
            _read(path), environment=None if environment is None else _read(environment)
        )
    except InterchangeError as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    _apply(plan, into, under, dry_run)


@command.command(name="suite", help="Import another folder of saved requests (a suite).")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@_INTO
@_UNDER
@_DRY
def suite(path: Path, into: Path | None, under: str, dry_run: bool) -> None:
    from explorer.core.interchange import InterchangeError, suite_plan

    try:
        plan = suite_plan(path)
    except InterchangeError as exc:
        raise click.ClickException(str(exc)) from None
    _apply(plan, into, under, dry_run)
