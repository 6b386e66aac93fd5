"""Reading a suite folder and a data file; every problem is reported at once.

:func:`load_suite` reads ``.suite.json`` (optional) and every saved request under the
folder, in name order, and checks each step's assertions and captures; :func:`load_rows`
reads the rows of a CSV or JSON data file. Both raise :class:`SuiteError` listing every
problem with its file, and never change a file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from explorer.core.interchange import SUITE_FILE as INTERCHANGE_SUITE_FILE
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.saved import SavedFolder, SavedRequestError, SavedRequestStore
from explorer.core.suite.model import (
    JSON_TYPES,
    Assertion,
    CheckKind,
    Operator,
    Step,
    Suite,
    SuiteError,
)

SUITE_FILE = INTERCHANGE_SUITE_FILE  # the same file the import and export read
SUITE_VERSION = 1
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_STATUS_CLASS = re.compile(r"^[1-5]xx$", re.IGNORECASE)
#: the most rows a data file may have (each row runs the whole suite)
MAX_ROWS = 100_000


def load_suite(folder: Path) -> Suite:
    """The suite in ``folder``; raises :class:`SuiteError` naming every problem."""
    if not folder.is_dir():
        raise SuiteError(
            f"{folder}: there is no such folder. A suite is a folder of saved requests "
            "(*.request.json); give its path, or 'smoke' for the suite shipped with the "
            "program."
        )
    problems: list[str] = []
    settings = _settings(folder / SUITE_FILE, problems)
    store = SavedRequestStore(folder)
    steps: list[Step] = []
    for relative in _requests(store.tree()):
        try:
            request = store.load(relative)
        except SavedRequestError as exc:
            problems.append(str(exc))
            continue
        where = f"{folder / relative}"
        assertions = [
            _assertion(raw, f"{where}: assertion {index}", problems)
            for index, raw in enumerate(request.assertions, start=1)
        ]
        steps.append(
            Step(
                id=relative,
                request=request,
                assertions=tuple(a for a in assertions if a is not None),
                captures=request.captures,
                profile=request.profile,
                role=request.role,
            )
        )
    if not steps and not problems:
        problems.append(
            f"{folder}: the folder holds no saved requests (*.request.json), so there is "
            "nothing to run. Save requests into it from the window (Saved requests ▸ Save), "
            "or write them as the README's example shows."
        )
    if problems:
        raise SuiteError(problems)
    data = settings.get("data")
    return Suite(
        root=folder,
        name=str(settings.get("name") or folder.resolve().name),
        description=str(settings.get("description", "")),
        steps=tuple(steps),
        variables=dict(settings.get("variables", {})),
        data=(folder / data) if isinstance(data, str) and data else None,
    )


def _requests(folder: SavedFolder) -> list[str]:
    """Every request file under ``folder``, folders and files in one name order."""
    entries: list[tuple[str, SavedFolder | str]] = [
        *((f.name.lower(), f) for f in folder.folders),
        *((r.rsplit("/", 1)[-1].lower(), r) for r in folder.requests),
    ]
    found: list[str] = []
    for _key, entry in sorted(entries, key=lambda item: item[0]):
        if isinstance(entry, str):
            found.append(entry)
        else:
            found.extend(_requests(entry))
    return found


def _settings(path: Path, problems: list[str]) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: it cannot be read ({exc})")
        return {}
    except json.JSONDecodeError as exc:
        problems.append(
            f"{path}: it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        )
        return {}
    if not isinstance(document, dict):
        problems.append(f"{path}: the top level is not a JSON object")
        return {}
    version = document.get("version", SUITE_VERSION)
    if not isinstance(version, int) or version > SUITE_VERSION:
        problems.append(f"{path}: it is format version {version!r}; this program reads 1")
    variables = document.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int | float | bool) for k, v in variables.items()
    ):
        problems.append(f"{path}: 'variables' must be an object of names and text values")
        document["variables"] = {}
    else:
        document["variables"] = {k: _text(v) for k, v in variables.items()}
        leaks = [
            name
            for name, value in document["variables"].items()
            if Redactor(RedactionPolicy.for_storage()).redact_json({name: value}) != {name: value}
        ]
        if leaks:
            problems.append(
                f"{path}: the variable(s) {', '.join(leaks)} look like secrets. A suite is "
                "shared in plain files: keep secrets in the profile (its token signs each "
                "request) or in the secret store, never in .suite.json"
            )
    for key in ("name", "description", "data"):
        if key in document and not isinstance(document[key], str):
            problems.append(f"{path}: '{key}' must be text")
            document.pop(key)
    return document


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _assertion(raw: dict[str, Any], where: str, problems: list[str]) -> Assertion | None:
    kinds = [k for k in CheckKind if k.value in raw]
    if len(kinds) != 1:
        problems.append(
            f"{where}: say one check per object, with one of the keys status, contract, "
            f"jsonpath, header or max_ms (found {sorted(raw) or 'none'})"
        )
        return None
    kind = kinds[0]
    value = raw[kind.value]
    if kind is CheckKind.STATUS:
        wanted = value if isinstance(value, list) else [value]
        bad = [v for v in wanted if not _is_status(v)]
        if bad or not wanted:
            problems.append(
                f'{where}: status must be a code (200), a class ("2xx") or a list of them; '
                f"{json.dumps(bad or value)} is not"
            )
            return None
        return Assertion(kind=kind, expected=value, place=where)
    if kind is CheckKind.CONTRACT:
        if value != "conforms":
            problems.append(f'{where}: contract takes "conforms" (found {json.dumps(value)})')
            return None
        return Assertion(kind=kind, expected="conforms", place=where)
    if kind is CheckKind.TIME:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.append(f"{where}: max_ms must be a positive number of milliseconds")
            return None
        return Assertion(kind=kind, expected=value, place=where)
    if not isinstance(value, str) or not value.strip():
        what = "a JSONPath such as $.data[0].id" if kind is CheckKind.JSONPATH else "a header name"
        problems.append(f"{where}: {kind.value} must be {what}")
        return None
    allowed = (
        (Operator.EXISTS, Operator.EQUALS, Operator.MATCHES, Operator.LENGTH, Operator.TYPE)
        if kind is CheckKind.JSONPATH
        else (Operator.PRESENT, Operator.EQUALS, Operator.MATCHES)
    )
    operators = [op for op in allowed if op.value in raw]
    if len(operators) != 1:
        names = ", ".join(op.value for op in allowed)
        problems.append(f"{where}: {kind.value} needs exactly one of {names}")
        return None
    operator = operators[0]
    expected = raw[operator.value]
    if kind is CheckKind.JSONPATH and not _parses(value):
        problems.append(f"{where}: '{value}' is not a JSONPath (for example $.data[0].id)")
        return None
    problem = _operand_problem(operator, expected)
    if problem:
        problems.append(f"{where}: {problem}")
        return None
    return Assertion(kind=kind, operator=operator, target=value, expected=expected, place=where)


def _operand_problem(operator: Operator, expected: Any) -> str:
    if operator in (Operator.EXISTS, Operator.PRESENT) and not isinstance(expected, bool):
        return f"{operator.value} takes true or false"
    if operator is Operator.MATCHES:
        if not isinstance(expected, str):
            return "matches takes a regular expression (text)"
        try:
            re.compile(expected)
        except re.error as exc:
            return f"'{expected}' is not a regular expression ({exc})"
    if operator is Operator.TYPE and expected not in JSON_TYPES:
        return f"type takes one of {', '.join(JSON_TYPES)}"
    if operator is Operator.LENGTH:
        if isinstance(expected, dict):
            keys = set(expected)
            ok = keys and keys <= {"min", "max"} and all(_count(v) for v in expected.values())
            if not ok:
                return 'length takes a number or {"min": N, "max": N}'
        elif not _count(expected):
            return 'length takes a number or {"min": N, "max": N}'
    return ""


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_status(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 100 <= value <= 599
    return isinstance(value, str) and bool(_STATUS_CLASS.match(value))


def _parses(path: str) -> bool:
    from explorer.core.suite.checks import compile_path

    try:
        compile_path(path)
    except ValueError:
        return False
    return True


def load_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a data file: CSV with a header line, or JSON (a list of objects).

    Each row's values become variables of one run of the suite."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SuiteError(f"{path}: there is no such data file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SuiteError(f"{path}: it cannot be read ({exc})") from None
    if path.suffix.lower() == ".json":
        rows = _json_rows(path, text)
    elif path.suffix.lower() in (".csv", ".tsv", ".txt"):
        rows = _csv_rows(path, text)
    else:
        raise SuiteError(f"{path}: a data file is .csv (with a header line) or .json")
    if not rows:
        raise SuiteError(f"{path}: it has no rows; add at least one below the header")
    if len(rows) > MAX_ROWS:
        raise SuiteError(f"{path}: it has {len(rows)} rows; at most {MAX_ROWS} are run")
    bad = sorted({key for row in rows for key in row if not _NAME.match(key)})
    if bad:
        raise SuiteError(
            f"{path}: the column(s) {', '.join(repr(b) for b in bad)} are not variable names "
            "(letters, digits, _ . -, not starting with a digit)"
        )
    return rows


def _json_rows(path: Path, text: str) -> list[dict[str, str]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SuiteError(
            f"{path}: it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise SuiteError(f"{path}: a JSON data file is a list of objects, one per row")
    return [{str(k): _text(v) for k, v in row.items()} for row in document]


def _csv_rows(path: Path, text: str) -> list[dict[str, str]]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise SuiteError(f"{path}: line {reader.line_num}: {exc}") from None
    if reader.fieldnames is None:
        raise SuiteError(f"{path}: it is empty; the first line names the columns")
    out: list[dict[str, str]] = []
    for number, row in enumerate(rows, start=2):
        if None in row:
            raise SuiteError(f"{path}: line {number} has more values than the header names")
        out.append({k: (v if v is not None else "") for k, v in row.items()})
    return out
