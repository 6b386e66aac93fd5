"""``thumbtack-explorer history``: list, show, diff, export and prune the stored exchanges.

The history is already redacted (secrets are masked before anything is written), and
exports go through the support-bundle redactor, which also masks personal data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from explorer.commands.contract_support import print_contract
from explorer.commands.output import echo
from explorer.core.bundle import BundleFormat, write_bundle
from explorer.core.contract import ContractResult
from explorer.core.diff import Change, compare, show_value
from explorer.core.diff_rules import DiffRules, DiffRulesError, DiffRulesStore
from explorer.core.history import (
    Exchange,
    HistoryError,
    HistoryLimits,
    HistoryStore,
    parse_status_filter,
)
from explorer.paths import AppPaths

_SHOWN_BODY = 64 * 1024


@contextmanager
def _store() -> Iterator[HistoryStore]:
    try:
        store = HistoryStore.open(AppPaths.from_environment())
    except HistoryError as exc:
        raise click.ClickException(str(exc)) from exc
    if store.damage is not None:
        echo(f"Warning: {store.damage}", err=True)
    try:
        yield store
    except HistoryError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


def _status_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            parse_status_filter(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


@click.group(name="history", help="Browse the stored exchanges (secrets are already masked).")
def command() -> None:
    pass


@command.command(name="list")
@click.option("--endpoint", help="An operationId, or part of the path (e.g. /businesses).")
@click.option(
    "--status",
    callback=_status_option,
    help="A code 100-599 (404), a class 1xx-5xx (4xx), or 'none' (no response).",
)
@click.option("--search", "text", help="Text anywhere in the URL, bodies or explanation.")
@click.option(
    "--verdict",
    type=click.Choice(
        ["conforms", "violates", "undocumented_status", "unexpected_content_type", "no_schema",
         "none"]
    ),
    help="The contract verdict ('none': exchanges that were not checked).",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_command(
    *,
    endpoint: str | None,
    status: str | None,
    text: str | None,
    verdict: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List exchanges, newest first."""
    with _store() as store:
        rows = store.search(
            endpoint=endpoint, status=status, text=text, limit=limit, verdict=verdict
        )
    if as_json:
        echo(json.dumps([row.to_dict() for row in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        echo("No exchanges match.")
        return
    for row in rows:
        status_text = str(row.status) if row.status is not None else "---"
        name = row.operation_id or row.endpoint
        verdict_text = f"  contract: {row.verdict.replace('_', ' ')}" if row.verdict else ""
        echo(
            f"{row.id:>6}  {row.created_at[:19].replace('T', ' ')}  {status_text:>3}  "
            f"{row.method:<6} {name}  [{row.environment or '-'}]  {row.total_ms:.0f} ms"
            f"{verdict_text}"
        )


def _get(store: HistoryStore, exchange_id: int) -> Exchange:
    exchange = store.get(exchange_id)
    if exchange is None:
        raise click.ClickException(
            f"There is no exchange {exchange_id} in the history; "
            "'thumbtack-explorer history list' shows the ids."
        )
    return exchange


def _body_text(body: bytes, truncated: bool) -> str:
    try:
        text = body[:_SHOWN_BODY].decode("utf-8")
    except UnicodeDecodeError:
        return f"({len(body)} bytes of binary data)"
    if len(body) > _SHOWN_BODY or truncated:
        text += "\n… (cut short; export the exchange to see all that was stored)"
    return text


def _as_dict(exchange: Exchange) -> dict[str, Any]:
    record = exchange.record
    spec = record.request
    return {
        "id": exchange.id,
        "created_at": exchange.created_at,
        "environment": exchange.environment,
        "profile": exchange.profile,
        "request": {
            "method": spec.method,
            "url": spec.url,
            "operation_id": spec.operation_id,
            "headers": [list(h) for h in spec.headers],
            "body": None if spec.body is None else spec.body.decode("utf-8", errors="replace"),
        },
        "response": {
            "status": record.status,
            "reason": record.reason,
            "headers": [list(h) for h in record.headers],
            "body": record.body.decode("utf-8", errors="replace"),
            "body_truncated": record.body_truncated,
            "total_ms": record.timing.total_ms,
            "failure": None if record.failure is None else record.failure.message,
        },
        "explanation": dict(exchange.explanation) if exchange.explanation else None,
        "contract": dict(exchange.contract) if exchange.contract else None,
    }


@command.command(name="show")
@click.argument("exchange_id", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_command(exchange_id: int, as_json: bool) -> None:
    """Show one exchange: request, response and explanation."""
    with _store() as store:
        exchange = _get(store, exchange_id)
    if as_json:
        echo(json.dumps(_as_dict(exchange), indent=2, ensure_ascii=False))
        return
    record = exchange.record
    spec = record.request
    echo(f"# {exchange.id}  {exchange.created_at}  [{exchange.environment or '-'}]")
    echo(f"> {spec.method} {spec.url}")
    for key, value in spec.headers:
        echo(f"> {key}: {value}")
    if spec.body:
        echo(">")
        echo(_body_text(spec.body, False))
    echo("")
    if record.status is None:
        reason = record.failure.message if record.failure else "no response"
        echo(f"< no response: {reason}")
    else:
        echo(f"< {record.status} {record.reason}  ({record.timing.total_ms:.0f} ms)")
        for key, value in record.headers:
            echo(f"< {key}: {value}")
        if record.body:
            echo("<")
            echo(_body_text(record.body, record.body_truncated))
    if exchange.explanation:
        echo("")
        echo(f"Explanation: {exchange.explanation.get('title', '')}")
        cause = exchange.explanation.get("cause")
        if cause:
            echo(f"  {cause}")
        for step in exchange.explanation.get("fix") or []:
            echo(f"  - {step}")
    stored = ContractResult.from_dict(exchange.contract) if exchange.contract else None
    if stored is not None:
        echo("")
        print_contract(stored)


class _DiffUnusable(click.ClickException):
    """``history diff`` could not compare: exit 2, as for a usage error (1 means "differ")."""

    exit_code = 2


def _diff_rules(ignore: tuple[str, ...], id_keys: tuple[str, ...], keep: bool) -> DiffRules:
    store = DiffRulesStore.in_config(AppPaths.from_environment().config)
    saved = store.load()
    if store.problem is not None:
        echo(f"Warning: {store.problem} The default diff rules are used.", err=True)
    try:
        return DiffRules.of(
            (*(() if keep else saved.volatile), *ignore), (*id_keys, *saved.id_keys)
        )
    except DiffRulesError as exc:
        raise click.UsageError(str(exc)) from None


def _side(label: str, exchange: Exchange) -> str:
    record = exchange.record
    status = str(record.status) if record.status is not None else "no response"
    when = exchange.created_at[:19].replace("T", " ")
    return (
        f"{label}: #{exchange.id}  {record.request.method} {record.request.url}  {status}  "
        f"[{exchange.environment or '-'}]  {when}"
    )


def _side_dict(exchange: Exchange) -> dict[str, Any]:
    record = exchange.record
    return {
        "id": exchange.id,
        "created_at": exchange.created_at,
        "environment": exchange.environment,
        "profile": exchange.profile,
        "method": record.request.method,
        "url": record.request.url,
        "status": record.status,
    }


def _change_line(change: Change) -> str:
    kind = f"{change.kind.mark} {change.kind.value:<8}"
    if change.kind.value == "changed":
        return f"{kind} {change.path}: {show_value(change.old)} → {show_value(change.new)}"
    value = change.new if change.kind.value == "added" else change.old
    return f"{kind} {change.path}: {show_value(value)}"


@command.command(name="diff")
@click.argument("first", type=int, metavar="A")
@click.argument("second", type=int, metavar="B")
@click.option(
    "--ignore",
    "ignore",
    multiple=True,
    metavar="PATH",
    help="A field to leave out, besides the saved volatile fields: a name anywhere "
    "(traceID, *Time) or a path (headers.date, body.data[*].status). Repeatable.",
)
@click.option(
    "--id-key",
    "id_keys",
    multiple=True,
    metavar="NAME",
    help="A field that identifies the objects of an array (tried before the saved ones, "
    "e.g. *ID, id). Repeatable.",
)
@click.option(
    "--keep-volatile",
    is_flag=True,
    help="Compare the saved volatile fields too (trace ids, timestamps, Date); "
    "only --ignore fields are left out.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@click.pass_context
def diff_command(
    ctx: click.Context,
    *,
    first: int,
    second: int,
    ignore: tuple[str, ...],
    id_keys: tuple[str, ...],
    keep_volatile: bool,
    as_json: bool,
) -> None:
    """Compare two exchanges: status, headers and body, value by value.

    Arrays of objects are matched by their ID fields, whatever their order; volatile
    fields (saved in the window's diff settings, or the defaults) are left out. Exit
    status: 0 the same, 1 different, 2 a usage error (an unknown id, a bad pattern, an
    unreadable history).
    """
    rules = _diff_rules(ignore, id_keys, keep_volatile)
    try:
        store = HistoryStore.open(AppPaths.from_environment())
    except HistoryError as exc:
        raise _DiffUnusable(str(exc)) from exc
    try:
        exchanges = []
        for exchange_id in (first, second):
            found = store.get(exchange_id)
            if found is None:
                raise click.UsageError(
                    f"There is no exchange {exchange_id} in the history; "
                    "'thumbtack-explorer history list' shows the ids."
                )
            exchanges.append(found)
    except HistoryError as exc:
        raise _DiffUnusable(str(exc)) from exc
    finally:
        store.close()
    a, b = exchanges
    result = compare(a.record, b.record, rules)
    if as_json:
        document = {
            "a": _side_dict(a),
            "b": _side_dict(b),
            **result.to_dict(),
            "rules": rules.to_dict(),
        }
        echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        echo(_side("A", a))
        echo(_side("B", b))
        for change in result.changes:
            echo(_change_line(change))
        for note in result.notes:
            echo(f"Note: {note}")
        if result.keyed_arrays:
            matched = ", ".join(f"{path} by {key}" for path, key in result.keyed_arrays)
            echo(f"Arrays matched by id: {matched}")
        if result.truncated:
            echo("The body diff stopped early: there are more differences.")
        echo(result.summary() + ".")
    ctx.exit(0 if result.same else 1)


@command.command(name="export")
@click.argument("exchange_id", type=int, metavar="ID")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in BundleFormat]),
    default=BundleFormat.HAR.value,
    show_default=True,
    help="har: HAR 1.2; json: JSON with a Markdown summary inside; md: Markdown with the JSON.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="The file to write.",
)
def export_command(exchange_id: int, fmt: str, output: Path) -> None:
    """Export one exchange as a redacted support bundle."""
    with _store() as store:
        exchange = _get(store, exchange_id)
    try:
        written = write_bundle(output, exchange, BundleFormat(fmt))
    except OSError as exc:
        raise click.ClickException(
            f"Could not write {output}: {exc.strerror or exc}. Pick another file."
        ) from exc
    echo(f"Wrote {written} (secrets and personal data masked).")


@command.command(name="prune")
@click.option("--keep", type=click.IntRange(min=0), help="Keep only the newest N exchanges.")
@click.option("--max-entries", type=click.IntRange(min=1), help="Set the lasting entry limit.")
@click.option("--max-mb", type=click.FloatRange(min=0.1), help="Set the lasting size limit (MB).")
def prune_command(keep: int | None, max_entries: int | None, max_mb: float | None) -> None:
    """Remove the oldest exchanges beyond the limits (or beyond --keep)."""
    removed = 0
    with _store() as store:
        if max_entries is not None or max_mb is not None:
            current = store.limits()
            removed += store.set_limits(
                HistoryLimits(
                    max_entries=max_entries or current.max_entries,
                    max_mb=max_mb or current.max_mb,
                )
            )
        removed += store.prune(keep=keep)
        left = store.count()
        limits = store.limits()
    echo(
        f"Removed {removed} exchange(s); {left} left. "
        f"Limits: {limits.max_entries} exchanges, {limits.max_mb:g} MB."
    )
