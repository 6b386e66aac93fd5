"""Judging one response against a step's assertions, each verdict in words.

:func:`judge` takes the response record, the contract verdict (when the step asks for
one) and the run's variables, and returns one :class:`CheckResult` per assertion: passed
or not, and a sentence a QA reader understands without the file ("status was 404 Not
Found; expected 2xx"). A response that never came (a network failure, a token that could
not be had) fails every assertion with the reason.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from explorer.core.contract import ContractResult, Verdict
from explorer.core.models import ResponseRecord
from explorer.core.suite.model import Assertion, CheckKind, Operator
from explorer.core.variables import resolve_variables

#: the verdicts a ``conforms`` assertion fails on (as ``call --contract strict``)
BROKEN = frozenset({Verdict.VIOLATES, Verdict.UNDOCUMENTED_STATUS, Verdict.UNEXPECTED_CONTENT_TYPE})
#: a value longer than this is cut in the words (after the reports' redaction has seen it
#: whole in the response: a secret cut in half would no longer be recognised)
_QUOTE = 2000
MISSING = object()


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    """One assertion's verdict: ``words`` says what was found (and expected, on failure)."""

    assertion: Assertion
    passed: bool
    words: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "assertion": self.assertion.describe(),
            "kind": self.assertion.kind.value,
            "passed": self.passed,
            "words": self.words,
        }


@functools.lru_cache(maxsize=512)
def compile_path(path: str) -> Any:
    """A compiled JSONPath (jsonpath-ng, with filters); ValueError when it is not one."""
    from jsonpath_ng.exceptions import JsonPathLexerError, JsonPathParserError
    from jsonpath_ng.ext.parser import parse

    try:
        return parse(path)
    except (JsonPathLexerError, JsonPathParserError, Exception) as exc:
        raise ValueError(str(exc)) from None


def find(path: str, document: Any) -> Any:
    """The value at ``path`` in ``document``: the match, a list when several match, and
    :data:`MISSING` when none does."""
    matches = [m.value for m in compile_path(path).find(document)]
    if not matches:
        return MISSING
    return matches[0] if len(matches) == 1 else matches


def body_json(record: ResponseRecord) -> Any:
    """The body parsed as JSON, or :data:`MISSING` when it is not JSON."""
    if not record.body:
        return MISSING
    try:
        return json.loads(record.body)
    except (ValueError, UnicodeDecodeError):
        return MISSING


def judge(
    record: ResponseRecord,
    assertions: tuple[Assertion, ...],
    *,
    contract: ContractResult | None = None,
    variables: Mapping[str, str] | None = None,
) -> list[CheckResult]:
    """Every assertion of a step judged on ``record``, in the order written."""
    if record.failure is not None or record.status is None:
        reason = (
            f"no response: {record.failure.message}"
            if record.failure is not None
            else "no response"
        )
        return [CheckResult(assertion=a, passed=False, words=reason) for a in assertions]
    document = _Lazy(record)
    return [_judge_one(a, record, document, contract, variables or {}) for a in assertions]


class _Lazy:
    """The body parsed once, on first need."""

    def __init__(self, record: ResponseRecord) -> None:
        self._record = record
        self._value: Any = None
        self._parsed = False

    @property
    def value(self) -> Any:
        if not self._parsed:
            self._value = body_json(self._record)
            self._parsed = True
        return self._value


def _judge_one(
    assertion: Assertion,
    record: ResponseRecord,
    document: _Lazy,
    contract: ContractResult | None,
    variables: Mapping[str, str],
) -> CheckResult:
    def result(passed: bool, words: str) -> CheckResult:
        return CheckResult(assertion=assertion, passed=passed, words=words)

    status = record.status
    assert status is not None
    if assertion.kind is CheckKind.STATUS:
        wanted = (
            assertion.expected if isinstance(assertion.expected, list) else [assertion.expected]
        )
        ok = any(_status_matches(status, w) for w in wanted)
        said = f"{status} {record.reason}".strip()
        expected = " or ".join(str(w) for w in wanted)
        return result(ok, f"status {said}" if ok else f"status was {said}; expected {expected}")
    if assertion.kind is CheckKind.CONTRACT:
        if contract is None:
            return result(False, "the contract could not be checked (no description)")
        ok = contract.verdict not in BROKEN
        words = f"contract: {contract.label}. {contract.summary}"
        if not ok and contract.problems:
            shown = "; ".join(f"{p.path}: {p.message}" for p in contract.problems[:3])
            more = len(contract.problems) - 3
            words += f" {shown}" + (f" (and {more} more)" if more > 0 else "")
        return result(ok, words)
    if assertion.kind is CheckKind.TIME:
        took = record.timing.total_ms
        ok = took <= float(assertion.expected)
        return result(
            ok,
            f"answered in {took:.0f} ms (budget {assertion.expected} ms)"
            if ok
            else f"took {took:.0f} ms; the budget is {assertion.expected} ms",
        )
    if assertion.kind is CheckKind.HEADER:
        value = record.header(assertion.target)
        return _judge_value(assertion, f"header {assertion.target}", value, variables, result)
    body = document.value
    if body is MISSING:
        kind = record.content_type or "no Content-Type"
        missing_ok = assertion.operator is Operator.EXISTS and assertion.expected is False
        return result(missing_ok, f"the body is not JSON ({kind}, {len(record.body)} bytes)")
    return _judge_value(
        assertion, assertion.target, find(assertion.target, body), variables, result
    )


def _judge_value(
    assertion: Assertion,
    subject: str,
    value: Any,
    variables: Mapping[str, str],
    result: Callable[[bool, str], CheckResult],
) -> CheckResult:
    present = (value is not MISSING and value is not None) or (
        value is None and assertion.kind is CheckKind.JSONPATH
    )
    operator = assertion.operator
    if operator in (Operator.EXISTS, Operator.PRESENT):
        wanted = bool(assertion.expected)
        if present == wanted:
            return result(True, f"{subject} {'is there' if present else 'is absent'}")
        return result(
            False,
            f"{subject} is missing; expected it to be there"
            if wanted
            else f"{subject} is there ({_show(value)}); expected it to be absent",
        )
    if not present:
        filled = replace(assertion, expected=_with_variables(assertion.expected, variables))
        return result(False, f"{subject} is missing; expected: {filled.describe()}")
    if operator is Operator.EQUALS:
        expected = _with_variables(assertion.expected, variables)
        ok = value == expected or (
            isinstance(value, int | float)
            and isinstance(expected, str)
            and not isinstance(value, bool)
            and expected == json.dumps(value)
        )
        return result(
            ok,
            f"{subject} is {_show(value)}"
            if ok
            else f"{subject} is {_show(value)}; expected {_show(expected)}",
        )
    if operator is Operator.MATCHES:
        pattern = _with_variables(assertion.expected, variables)
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        ok = re.search(str(pattern), text) is not None
        return result(
            ok,
            f"{subject} is {_show(value)}, which matches /{pattern}/"
            if ok
            else f"{subject} is {_show(value)}, which does not match /{pattern}/",
        )
    if operator is Operator.LENGTH:
        if not isinstance(value, str | list | dict):
            return result(False, f"{subject} is {_show(value)}, which has no length")
        length = len(value)
        ok = _length_ok(length, assertion.expected)
        return result(
            ok,
            f"{subject} has length {length}"
            if ok
            else f"{subject} has length {length}; expected {_length(assertion.expected)}",
        )
    found = json_type(value)
    wanted_type = str(assertion.expected)
    ok = found == wanted_type or (wanted_type == "number" and found == "integer")
    return result(
        ok,
        f"{subject} is of type {found}"
        if ok
        else f"{subject} is of type {found} ({_show(value)}); expected {wanted_type}",
    )


def json_type(value: Any) -> str:
    """The JSON type of a parsed value: string, integer, number, boolean, array, object,
    null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _status_matches(status: int, wanted: Any) -> bool:
    if isinstance(wanted, int):
        return status == wanted
    return str(status)[0] == str(wanted)[0]


def _length_ok(length: int, expected: Any) -> bool:
    if isinstance(expected, dict):
        low, high = expected.get("min"), expected.get("max")
        return (low is None or length >= low) and (high is None or length <= high)
    return bool(length == expected)


def _length(expected: Any) -> str:
    from explorer.core.suite.model import _length_words

    return _length_words(expected)


def _with_variables(value: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return resolve_variables(value, variables).text
    return value


def _show(value: Any) -> str:
    if value is MISSING:
        return "missing"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _QUOTE else text[: _QUOTE - 1] + "…"
