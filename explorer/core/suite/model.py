"""What a suite is made of: steps (saved requests) with assertions and captures.

A suite is a folder of saved requests (``*.request.json``, see :mod:`explorer.core.saved`)
run in name order, folders included, depth first. Each request file may carry three more
keys, all optional and written only when used:

``assertions``
    a list of objects, one check each::

        {"status": 200}                       exact
        {"status": "2xx"}                     class (1xx to 5xx)
        {"status": [200, 201, "3xx"]}         any of a set
        {"contract": "conforms"}              the response keeps the API description
        {"jsonpath": "$.data", "exists": true}          (false: must be absent)
        {"jsonpath": "$.data[0].name", "equals": "Plumbing"}
        {"jsonpath": "$.data[0].name", "matches": "^Plumb"}   (a regular expression)
        {"jsonpath": "$.data", "length": 3}   (or {"min": 1, "max": 10})
        {"jsonpath": "$.data", "type": "array"}   string number integer boolean array
                                                  object null
        {"header": "X-Request-ID", "present": true}
        {"header": "Content-Type", "equals": "application/json"}
        {"header": "Content-Type", "matches": "json"}
        {"max_ms": 800}                       the response time budget

    Text in ``equals`` and ``matches`` may use ``{{variables}}``.

``captures``
    values taken from the response for later steps (:mod:`explorer.core.captures`, the
    same captures the window's saved requests keep): ``{"name": "businessID", "path":
    "$.data[0].businessID"}`` or ``{"name": "requestID", "header": "X-Request-ID"}``;
    later steps use them as ``{{businessID}}``.

``profile``
    the name of the profile to send this step with (default: the run's choice).

``as``
    who sends it when no profile is named: ``app`` (a client-credentials profile),
    ``customer`` or ``pro`` (an authorization-code profile with demand or supply scopes),
    as ``call --as`` says; the suite then runs on any environment with such profiles.

The optional ``.suite.json`` beside the requests names the suite and gives its variables
and default data file: ``{"version": 1, "name": "...", "description": "...",
"variables": {"zipCode": "94103"}, "data": "rows.csv"}``.

Every problem of a suite (a file, an assertion) is collected by the loader and reported at
once with its file and place, so a user fixes them in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from explorer.core.captures import Capture
from explorer.core.saved import SavedRequest


class SuiteError(Exception):
    """A suite, a step or a data file that cannot be used; ``problems`` lists each one in
    words with its file (and place in it)."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class CheckKind(StrEnum):
    """The kinds of assertion."""

    STATUS = "status"
    CONTRACT = "contract"
    JSONPATH = "jsonpath"
    HEADER = "header"
    TIME = "max_ms"


class Operator(StrEnum):
    """What an assertion on a value (a JSONPath match or a header) asks."""

    EXISTS = "exists"  # jsonpath: there is (or, with expected False, is not) a match
    PRESENT = "present"  # header: the same for a header
    EQUALS = "equals"
    MATCHES = "matches"
    LENGTH = "length"
    TYPE = "type"
    NONE = ""  # status, contract and time need none


JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")
_STATUS_CLASS = re.compile(r"^[1-5]xx$", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Assertion:
    """One check, as read from a step's ``assertions``.

    ``target`` is the JSONPath or header name; ``expected`` the value asked for (a status,
    a set of them, text, a length or ``{"min", "max"}``, a type, a budget in ms)."""

    kind: CheckKind
    operator: Operator = Operator.NONE
    target: str = ""
    expected: Any = None
    #: where it was written, for messages: "assertion 3"
    place: str = ""

    def describe(self) -> str:
        """The assertion in words: ``status is 2xx``, ``$.data has length 3``."""
        if self.kind is CheckKind.STATUS:
            wanted = self.expected if isinstance(self.expected, list) else [self.expected]
            return "status is " + " or ".join(str(v) for v in wanted)
        if self.kind is CheckKind.CONTRACT:
            return "the response conforms to the API description"
        if self.kind is CheckKind.TIME:
            return f"answered within {self.expected} ms"
        subject = self.target if self.kind is CheckKind.JSONPATH else f"header {self.target}"
        if self.operator in (Operator.EXISTS, Operator.PRESENT):
            return f"{subject} {'exists' if self.expected else 'is absent'}"
        if self.operator is Operator.EQUALS:
            return f"{subject} equals {_quote(self.expected)}"
        if self.operator is Operator.MATCHES:
            return f"{subject} matches /{self.expected}/"
        if self.operator is Operator.LENGTH:
            return f"{subject} has length {_length_words(self.expected)}"
        return f"{subject} is of type {self.expected}"


def _quote(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _length_words(expected: Any) -> str:
    if isinstance(expected, dict):
        low, high = expected.get("min"), expected.get("max")
        if low is not None and high is not None:
            return f"{low} to {high}"
        return f"at least {low}" if low is not None else f"at most {high}"
    return str(expected)


@dataclass(frozen=True, kw_only=True)
class Step:
    """One saved request of a suite, with what a run checks and captures."""

    #: the request file relative to the suite folder, "/"-separated (the step's identity)
    id: str
    request: SavedRequest
    assertions: tuple[Assertion, ...] = ()
    captures: tuple[Capture, ...] = ()
    profile: str = ""
    #: "app", "customer", "pro" or ""
    role: str = ""

    @property
    def name(self) -> str:
        return self.request.name


@dataclass(frozen=True, kw_only=True)
class Suite:
    """A folder of steps, its variables and its default data file."""

    root: Path
    name: str
    steps: tuple[Step, ...]
    description: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    #: the data file .suite.json names (relative paths are relative to the folder)
    data: Path | None = None
