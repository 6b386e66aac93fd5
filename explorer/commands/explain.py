"""``thumbtack-explorer explain``: explain a status, body and headers without sending anything.

The same engine as the window's explanation panel. Reads the body from the option, a file
(``@path``) or standard input (``-``); prints the explanation as text, or as one JSON
object with ``--json``. Bad input ends with a clear message and exit code 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import BinaryIO

import click

from explorer.commands.options import parse_header_options
from explorer.commands.output import echo
from explorer.core.explain import ExplanationEngine, format_explanation_text
from explorer.core.explain_rules import RulesFileError
from explorer.core.models import NetworkFailureKind
from explorer.core.status import (
    agreeing,
    classify_failure,
    classify_status,
    parse_json_body,
    thumbtack_meanings,
)

_MAX_BODY = 64 * 1024 * 1024


def _read_body(value: str | None) -> bytes:
    if value is None:
        return b""
    if value == "-":
        stream: BinaryIO = sys.stdin.buffer
        return stream.read(_MAX_BODY)
    if value.startswith("@"):
        path = Path(value[1:]).expanduser()
        try:
            with path.open("rb") as handle:
                return handle.read(_MAX_BODY)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise click.BadParameter(
                f"cannot read the body file '{path}': {reason}. Give a readable file after @, "
                "or pass the body itself.",
                param_hint="--body",
            ) from None
    return value.encode("utf-8", errors="surrogateescape")


@click.command(
    name="explain",
    help="Explain a response the way the window does: what the status and body mean, "
    "the documented cause, and the fix.\n\n"
    "Example: thumbtack-explorer explain --status 401 "
    '--body \'{"error":"invalid_client"}\' --url https://auth.thumbtack.com/oauth2/token',
)
@click.option(
    "--status",
    type=click.IntRange(100, 599),
    help="HTTP status code (100-599). Required unless --failure is given.",
)
@click.option(
    "--body", metavar="JSON|@FILE|-", help="The body: text, @file to read, or - for stdin."
)
@click.option(
    "--url",
    default="",
    help="The URL that was called: it tells the token server apart, and a host that is "
    "not Thumbtack's gets the HTTP meaning instead of Thumbtack's.",
)
@click.option(
    "--thumbtack/--not-thumbtack",
    "thumbtack",
    default=None,
    help="Whether Thumbtack's meanings apply (default: from --url's host; without --url, "
    "yes). --thumbtack for a proxy in front of the Partner API.",
)
@click.option(
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="A response header; repeat for more.",
)
@click.option(
    "--host-kind",
    type=click.Choice(["token", "api"]),
    help="Which server answered, when --url does not say.",
)
@click.option(
    "--failure",
    type=click.Choice([kind.value for kind in NetworkFailureKind]),
    help="Explain a network failure of this kind instead of a status.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(
    *,
    status: int | None,
    body: str | None,
    url: str,
    headers: tuple[str, ...],
    host_kind: str | None,
    failure: str | None,
    as_json: bool,
    thumbtack: bool | None,
) -> None:
    if status is None and failure is None:
        raise click.UsageError("Give --status N (or --failure KIND for a network failure).")
    notes: list[str] = []
    if status is not None and failure is not None:
        notes.append(
            f"--status {status} is ignored: a network failure ({failure}) means no response, "
            "so there is no status to explain."
        )
    body_bytes = _read_body(body)
    header_list = parse_header_options(headers, param_hint="--header", example="'Retry-After: 30'")
    try:
        engine = ExplanationEngine.from_resources()
    except (RulesFileError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    failure_kind = NetworkFailureKind(failure) if failure else None
    explanation = engine.explain_parts(
        status,
        body_bytes,
        header_list,
        url,
        failure_kind,
        host_kind=host_kind,
        thumbtack=thumbtack,
    )
    meanings = thumbtack_meanings(url=url) if thumbtack is None else thumbtack
    body_json = parse_json_body(body_bytes)
    body_is_json = None if not body_bytes.strip() else body_json is not None
    if body_is_json is False and failure_kind is None:
        notes.append("The body is not valid JSON; it was explained as text.")
    if failure_kind is not None:
        info = classify_failure(failure_kind)
    else:
        info = classify_status(status, body_json=body_json, headers=header_list, thumbtack=meanings)
    info = agreeing(info, explanation)  # the label and the explanation never disagree
    if as_json:
        payload = explanation.to_dict()
        payload["label"] = info.label
        payload["meaning"] = info.meaning
        payload["body_is_json"] = body_is_json
        payload["notes"] = notes
        echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for note in notes:
        echo(f"Note: {note}", err=True)
    echo(f"{info.label} — {info.meaning}")
    echo("")
    echo(format_explanation_text(explanation))
