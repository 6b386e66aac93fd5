"""``thumbtack-explorer endpoints``: list the catalog as a table or as JSON.

On a terminal the table fits its width (cells cut with an ellipsis); piped or redirected,
every line is whole unless ``$COLUMNS`` asks for a width. ``--json`` is never cut.
Reads the shipped Thumbtack description, or any OpenAPI 3.0/3.1 file given with
``--spec``. A broken file or an unknown section ends with a message that says what to
do, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

import click

from explorer.commands.output import echo
from explorer.core.catalog import Catalog, CatalogError, load_catalog, load_default_catalog
from explorer.core.evidence import Evidence, field_grades, response_grades
from explorer.core.models import Endpoint

UNVERIFIED = "unverified"
#: The CHECK column: how well the operation is known (blank when documented).
CHECK_CELLS = {
    Evidence.DOCUMENTED: "",
    Evidence.OBSERVED: "seen in traffic",
    Evidence.INFERRED: UNVERIFIED,
}


def _graded(grade: Evidence, note: str = "") -> dict[str, str]:
    entry = {"evidence": grade.value, "evidence_label": grade.label}
    if note:
        entry["evidence_note"] = note
    return entry


def _row(endpoint: Endpoint) -> dict[str, Any]:
    body = field_grades(endpoint.body_schema, endpoint.evidence)
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
        **_graded(endpoint.evidence, endpoint.evidence_note),
        "scope_evidence": endpoint.scope_evidence.value,
        "parameters": [
            {
                "name": p.name,
                "in": p.location.value,
                "required": p.required,
                **_graded(
                    p.evidence, p.evidence_note if p.evidence is not Evidence.DOCUMENTED else ""
                ),
            }
            for p in endpoint.parameters
        ],
        "body_fields": [{"name": name, **_graded(grade)} for name, grade in body.items()],
        "responses": [
            {"status": status, **_graded(grade)}
            for status, grade in response_grades(endpoint.responses, endpoint.evidence).items()
        ],
    }


def _auth_text(endpoint: Endpoint) -> str:
    flows = "+".join(flow.value for flow in endpoint.flows)
    scopes = " ".join(endpoint.scopes)
    return ": ".join(part for part in (flows, scopes) if part) or "-"


#: the narrowest each column gets before the table may run past the terminal's width
_MIN_WIDTHS = (6, 20, 18, 8, 10, 12)
#: which columns give up width first: the free text, section, path, and the operationId
#: (what is typed after ``call``) last
_SHRINK_ORDER = (5, 3, 1, 2)
ELLIPSIS = "…"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def output_width() -> int | None:
    """The width the table fits: ``$COLUMNS`` when set, else the terminal's when standard
    output is one, else ``None`` (piped or redirected: whole lines, nothing cut)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stdout = sys.stdout
    isatty = getattr(stdout, "isatty", None)
    if not (callable(isatty) and isatty()):
        return None
    try:
        return os.get_terminal_size(stdout.fileno()).columns or None
    except (AttributeError, ValueError, OSError):  # a terminal-like stream with no descriptor
        return shutil.get_terminal_size().columns


def _table(endpoints: tuple[Endpoint, ...], max_width: int | None) -> str:
    """The table, no wider than ``max_width`` where the minimum widths allow (``None``: as
    wide as its longest cells); cut cells end with an ellipsis (``--json`` is never cut)."""
    header: tuple[str, ...] = (
        "METHOD",
        "PATH",
        "OPERATION",
        "SECTION",
        "CHECK",
        "AUTH (flow: scopes)",
    )
    rows: list[tuple[str, ...]] = [header] + [
        (
            e.method,
            e.path,
            e.operation_id,
            e.section,
            CHECK_CELLS[e.evidence],
            _auth_text(e),
        )
        for e in endpoints
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    if max_width is None:
        max_width = sum(widths) + 2 * (len(widths) - 1)
    excess = sum(widths) + 2 * (len(widths) - 1) - max_width
    for index in _SHRINK_ORDER:
        if excess <= 0:
            break
        cut = min(excess, max(widths[index] - _MIN_WIDTHS[index], 0))
        widths[index] -= cut
        excess -= cut
    if excess > 0:  # a narrow terminal: the section column goes, its room to the free text
        section = _SHRINK_ORDER[1]
        rows = [row[:section] + row[section + 1 :] for row in rows]
        excess -= widths[section] + 2
        del widths[section]
        widths[-1] += max(-excess, 0)
    return "\n".join(
        "  ".join(
            [
                *(_fit(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(row[:-1])),
                _fit(row[-1], widths[-1]),
            ]
        ).rstrip()
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
        echo(json.dumps([_row(e) for e in endpoints], indent=2, ensure_ascii=False))
        return
    width = output_width()
    echo(_table(endpoints, width))
    unverified = sum(1 for e in endpoints if e.evidence is Evidence.INFERRED)
    observed = sum(1 for e in endpoints if e.evidence is Evidence.OBSERVED)
    footer = (
        f"{len(endpoints)} endpoints from {catalog.title} {catalog.version}"
        + (f"; {observed} seen in real traffic, not on Thumbtack's pages" if observed else "")
        + (f"; {unverified} {UNVERIFIED} (inferred, check the API reference)" if unverified else "")
    )
    echo("\n" + (footer if width is None else textwrap.fill(footer, width=max(width, 40))))
