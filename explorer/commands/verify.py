"""``thumbtack-explorer verify``: judge a response captured elsewhere against a description.

    thumbtack-explorer verify --spec openapi.yaml GET /pets/7 --status 200 --body @pet.json

The operation is an operationId or ``METHOD PATH`` (the path as sent, ``/pets/7``, or as
the description writes it, ``/pets/{petId}``). Without ``--spec`` the shipped Thumbtack
description is used. The verdict is the one ``call`` and the window give: conforms,
violates (n), undocumented status, unexpected content type, or no schema to check; each
problem names its JSON path. Exit codes: 0 when the response keeps the contract (or there
is nothing to check), 1 when it breaks it, 2 for a usage error or a description that
cannot be used. Secrets in quoted values are masked.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from explorer.commands.call_support import parse_headers
from explorer.commands.contract_support import contract_json, fails, print_contract
from explorer.commands.output import echo
from explorer.core.catalog import Catalog, CatalogError, load_catalog, load_default_catalog
from explorer.core.contract import check_response, masked
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.session import UnknownEndpoint, resolve

#: the most of a body ``verify`` reads (a description's bodies are far smaller)
MAX_BODY_BYTES = 512 * 1024 * 1024


def _read_body(value: str | None) -> bytes:
    if value is None:
        return b""
    if value == "-":
        return sys.stdin.buffer.read(MAX_BODY_BYTES + 1)
    if value.startswith("@"):
        path = Path(value[1:]).expanduser()
        try:
            size = path.stat().st_size
            if size > MAX_BODY_BYTES:
                raise click.UsageError(
                    f"{path} is {size // (1024 * 1024)} MB; verify reads bodies up to "
                    f"{MAX_BODY_BYTES // (1024 * 1024)} MB."
                )
            return path.read_bytes()
        except FileNotFoundError:
            raise click.UsageError(f"--body {value}: the file {path} does not exist.") from None
        except OSError as exc:
            raise click.UsageError(f"--body {value}: {path} cannot be read ({exc}).") from None
    return value.encode("utf-8")


def _catalog(spec: Path | None) -> Catalog:
    try:
        return load_default_catalog() if spec is None else load_catalog(spec)
    except CatalogError as exc:
        raise click.UsageError(str(exc)) from None


@click.command(
    name="verify",
    help="Check a response captured elsewhere against an API description: "
    "OPERATION_ID or METHOD PATH, with --status, --body and --header as received.",
)
@click.argument("target", nargs=-1, required=True, metavar="OPERATION_ID|METHOD PATH")
@click.option(
    "--spec",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The OpenAPI 3.0/3.1 description (JSON or YAML); the shipped Thumbtack one if left out.",
)
@click.option("--status", type=click.IntRange(100, 599), required=True, help="The HTTP status.")
@click.option("--body", metavar="JSON|@FILE|-", help="The body: text, @FILE, or - for stdin.")
@click.option(
    "-H",
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="A response header (repeatable), e.g. 'Content-Type: application/json'.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as one JSON object.")
def command(
    *,
    target: tuple[str, ...],
    spec: Path | None,
    status: int,
    body: str | None,
    headers: tuple[str, ...],
    as_json: bool,
) -> None:
    ctx = click.get_current_context()
    catalog = _catalog(spec)
    try:
        endpoint, _ = resolve(" ".join(target), catalog.endpoints)
    except UnknownEndpoint as exc:
        raise click.UsageError(str(exc)) from None
    if catalog.by_route(endpoint.method, endpoint.path) is None:
        listing = "thumbtack-explorer endpoints" + (f" --spec {spec}" if spec else "")
        raise click.UsageError(
            f"The description has no operation {endpoint.method} {endpoint.path}; "
            f"list its operations with: {listing}"
        )
    received = parse_headers(headers)
    raw = _read_body(body)
    if raw.strip() and not any(name.lower() == "content-type" for name, _ in received):
        try:
            json.loads(raw)
        except ValueError:
            pass
        else:  # a JSON body given without its type: it is what the API would have sent
            received.append(("Content-Type", "application/json"))
    result = check_response(catalog, endpoint, status=status, headers=received, body=raw)
    safe = masked(result, Redactor(RedactionPolicy.for_storage(())), raw)
    if as_json:
        echo(json.dumps({"contract": contract_json(safe)}, indent=2, ensure_ascii=False))
    else:
        print_contract(safe)
    ctx.exit(1 if fails(safe) else 0)
