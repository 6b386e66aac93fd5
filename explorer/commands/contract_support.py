"""The contract verdict in the CLI: ``call --contract`` and the words both commands print.

``call`` judges every response against the description its endpoint came from (the
shipped Thumbtack description); ``verify`` judges a response captured elsewhere against
any description. Both print the same lines and the same ``"contract"`` JSON object, with
secrets (and, with ``--redact``, personal data) masked in every quoted value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from explorer.commands.output import echo
from explorer.core.catalog import catalog_of
from explorer.core.contract import ContractResult, Verdict, check_response, masked
from explorer.core.models import Endpoint, ResponseRecord
from explorer.core.redact import Redactor

F = TypeVar("F", bound=Callable[..., Any])

#: the verdicts ``--contract strict`` fails on
BROKEN = frozenset({Verdict.VIOLATES, Verdict.UNDOCUMENTED_STATUS, Verdict.UNEXPECTED_CONTENT_TYPE})
#: problems printed as text (``--json`` carries all)
_SHOWN = 20


def contract_option(function: F) -> F:
    """``--contract off|warn|strict`` for ``call``."""
    return click.option(
        "--contract",
        "contract_mode",
        type=click.Choice(["off", "warn", "strict"]),
        default="warn",
        show_default=True,
        help="Check the response against the API description: 'warn' shows the verdict "
        "(conforms, violates (n), undocumented status, unexpected content type, no schema "
        "to check); 'strict' also exits 1 when the response breaks the description; 'off' "
        "does not check.",
    )(function)


def judge(
    endpoint: Endpoint, record: ResponseRecord, redactor: Redactor | None, *, mode: str = "warn"
) -> ContractResult | None:
    """The verdict on ``record`` (masked by ``redactor`` when one is given); ``None`` when
    off or there was no response."""
    if mode == "off" or record.status is None or record.failure is not None:
        return None
    catalog = catalog_of(endpoint)
    if catalog is None:
        return ContractResult(
            verdict=Verdict.NO_SCHEMA,
            status=record.status,
            operation=f"{endpoint.method} {endpoint.path}",
            note=f"The description has no operation {endpoint.method} {endpoint.path}, so "
            "there is nothing to check the response against.",
        )
    result = check_response(
        catalog, endpoint, status=record.status, headers=record.headers, body=record.body
    )
    return result if redactor is None else masked(result, redactor, record.body)


def fails(result: ContractResult | None) -> bool:
    return result is not None and result.verdict in BROKEN


def contract_lines(result: ContractResult) -> Iterable[str]:
    yield f"Contract: {result.label}. {result.summary}"
    for problem in result.problems[:_SHOWN]:
        words = f" (the schema says: {problem.schema_words})" if problem.schema_words else ""
        yield f"  {problem.path}: {problem.message}{words}"
    if len(result.problems) > _SHOWN:
        yield f"  … and {len(result.problems) - _SHOWN} more (--json lists them all)"


def print_contract(result: ContractResult | None, *, err: bool = False) -> None:
    if result is None:
        return
    for line in contract_lines(result):
        echo(line, err=err)  # server text: secrets masked, control characters escaped


def contract_json(result: ContractResult | None) -> dict[str, Any] | None:
    return None if result is None else result.to_dict()
