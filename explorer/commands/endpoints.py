"""``thumbtack-explorer endpoints``: list the catalog as a table or as JSON.

Reads the shipped Thumbtack description, or any OpenAPI 3.0/3.1 file given with
``--spec``. A broken file or an unknown section ends with a message that says what to
do, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from explorer.core.catalog import Catalog, CatalogError, load_catalog, load_default_catalog
from explorer.core.models import Endpoint

UNVERIFIED = "unverified"


def _row(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "operation_id": endpoint.operation_id,
        "method": endpoint.method,
        "path": endpoint.path,
        "section": endpoint.section,
        "summary": endpoint.summary,
        "server": endpoint.server,
        "flows": [flow.value for flow in endpoint.flows],
        "scopes": list(endpoint.scopes),
        "inferred": endpoint.inferred,
        "inferred_notes": list(endpoint.inferred_notes),
        "doc_url": endpoint.doc_url,
    }


def _auth_text(endpoint: Endpoint) -> str:
    flows = "+".join(flow.value for flow in endpoint.flows)
    scopes = " ".join(endpoint.scopes)
    return ": ".join(part for part in (flows, scopes) if part) or "-"


def _table(endpoints: tuple[Endpoint, ...]) -> str:
    header = ("METHOD", "PATH", "OPERATION", "SECTION", "CHECK", "AUTH (flow: scopes)")
    rows = [header] + [
        (
            e.method,
            e.path,
            e.operation_id,
            e.section,
            UNVERIFIED if e.inferred else "",
            _auth_text(e),
        )
        for e in endpoints
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])), row[-1]])
        for row in rows
    )


def _load(spec: Path | None) -> Catalog:
    try:
        return load_catalog(spec) if spec is not None else load_default_catalog()
    except CatalogError as exc:
        raise click.ClickException(str(exc)) from None


@click.command(name="endpoints", help="List the endpoints of the API description.")
@click.option("--section", "section", metavar="S", help="Only this section (e.g. Messages).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option(
    "--spec",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Another OpenAPI 3.0/3.1 file (JSON or YAML) instead of the Thumbtack one.",
)
def command(section: str | None, as_json: bool, spec: Path | None) -> None:
    catalog = _load(spec)
    endpoints = catalog.endpoints
    if section is not None:
        found = catalog.find_section(section)
        if found is None:
            valid = ", ".join(catalog.sections)
            raise click.BadParameter(
                f"There is no section '{section}'. Choose one of: {valid}.",
                param_hint="--section",
            )
        endpoints = catalog.in_section(found)
    if as_json:
        click.echo(json.dumps([_row(e) for e in endpoints], indent=2, ensure_ascii=False))
        return
    click.echo(_table(endpoints))
    unverified = sum(1 for e in endpoints if e.inferred)
    click.echo(
        f"\n{len(endpoints)} endpoints from {catalog.title} {catalog.version}"
        + (f"; {unverified} {UNVERIFIED} (inferred, check the API reference)" if unverified else "")
    )
