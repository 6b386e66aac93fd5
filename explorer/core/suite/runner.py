"""Running a suite: each step sent, judged and reported as it finishes.

The engine under ``thumbtack-explorer run`` and the window's Runner, without Qt::

    suite = load_suite(folder)                       # explorer.core.suite.load
    sender = SessionSender(session)                  # the core Session's send path
    runner = SuiteRunner(suite, sender, rows=load_rows(data_file), parallel=4)
    for result in runner.run():                      # StepResult, as each one finishes
        print(result.line())
    summary = runner.summary                         # RunSummary: counts, results in order
    again = SuiteRunner(suite, sender).rerun(summary)   # the failed steps only

:meth:`SuiteRunner.run` is a blocking generator (run it on a worker thread in a window);
:meth:`SuiteRunner.stop` may be called from any thread: no new step starts, the steps
under way finish (or are cancelled) and the generator ends with ``summary.stopped``.

Each step's request is its saved request with the ``{{variables}}`` filled in (the
suite's, the environment's, the data row's, then what earlier steps of the same row
captured; ``{{base_url}}`` is the environment's API base), its URL moved to the chosen
environment when it was saved against another Thumbtack environment or an earlier
Sandbox, and its credentials replaced by the profile's. With ``parallel`` > 1 the steps
run at once, except that a step waits for every earlier step of its row that captures a
variable it uses.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Protocol

from explorer.core.captures import Capture, CaptureSource, run_captures
from explorer.core.contract import ContractResult
from explorer.core.models import Endpoint, Explanation, RequestSpec, ResponseRecord
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.suite.checks import CheckResult, judge
from explorer.core.suite.model import Assertion, CheckKind, Step, Suite
from explorer.core.variables import VARIABLE_PATTERN, resolve_variables

#: the check a step without assertions gets: its status is a success
DEFAULT_CHECK = Assertion(kind=CheckKind.STATUS, expected="2xx", place="(default check)")
#: names the runner fills itself (``access_token``: the profile signs the request)
BUILT_IN = frozenset({"base_url", "auth_base_url", "access_token"})


class StepSender(Protocol):
    """What the runner needs from a session: how to reach the environment, which profile
    sends a step, sending, and judging against the description. Must be thread-safe."""

    @property
    def environment_name(self) -> str: ...

    def base_url(self) -> str:
        """The environment's request base (``{{base_url}}``), without a trailing /."""
        ...

    def builtins(self) -> Mapping[str, str]:
        """The program's own variables: ``base_url``, ``auth_base_url``."""
        ...

    def prepare(self, spec: RequestSpec) -> RequestSpec:
        """``spec`` for this environment: its URL moved here when it was saved against
        another Thumbtack environment (or an earlier Sandbox), the environment's meanings
        and timeout applied."""
        ...

    def endpoint_for(self, spec: RequestSpec) -> Endpoint | None:
        """The described operation ``spec`` calls, if any."""
        ...

    def profile_for(self, step: Step, endpoint: Endpoint | None) -> tuple[str, str]:
        """The name of the profile that sends ``step`` ("" = none) and, when none fits,
        why (the step then fails with that reason)."""
        ...

    def send(self, profile: str, spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        """Send ``spec`` signed by ``profile`` (masked record: no token in it)."""
        ...

    def contract(
        self, endpoint: Endpoint | None, record: ResponseRecord
    ) -> ContractResult | None: ...

    def explain(self, endpoint: Endpoint | None, record: ResponseRecord) -> Explanation | None: ...

    def known_secrets(self) -> tuple[str, ...]:
        """Every bare secret the run's profiles hold (masked in any report)."""
        ...


@dataclass(frozen=True, kw_only=True)
class StepResult:
    """One step of one row, run and judged."""

    #: position in the run (row-major: the steps of row 0, then of row 1 ...)
    index: int
    step: Step
    #: the data row (0-based), None when the run has no data file
    row: int | None
    profile: str = ""
    record: ResponseRecord | None = None
    checks: tuple[CheckResult, ...] = ()
    explanation: Explanation | None = None
    contract: ContractResult | None = None
    #: names and values this step captured for later steps
    captured: Mapping[str, str] = field(default_factory=dict)
    #: why the step could not be sent (a variable without value, no profile)
    error: str = ""

    @property
    def key(self) -> tuple[str, int | None]:
        """What identifies the step across runs: its file and its row."""
        return (self.step.id, self.row)

    @property
    def passed(self) -> bool:
        return not self.error and all(check.passed for check in self.checks)

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        return tuple(check for check in self.checks if not check.passed)

    @property
    def reason(self) -> str:
        """The first failure in words ("" when the step passed)."""
        if self.error:
            return self.error
        failed = self.failures
        if not failed:
            return ""
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        return failed[0].words + more

    @property
    def elapsed_ms(self) -> float:
        return self.record.timing.total_ms if self.record is not None else 0.0

    @property
    def title(self) -> str:
        """The step's name, with its row: ``Search keywords [row 2]``."""
        return self.step.name + (f" [row {self.row + 1}]" if self.row is not None else "")

    def line(self, reason: str | None = None) -> str:
        """One line for a terminal: ``PASS  Search keywords  200 OK  12 ms`` (and the
        reason under a failed step: ``reason`` when given, e.g. a masked one)."""
        record = self.record
        if record is not None and record.status is not None:
            said = f"{record.status} {record.reason}".strip()
        elif record is not None and record.failure is not None:
            said = "no response"
        else:
            said = "not sent"
        head = (
            f"{'PASS' if self.passed else 'FAIL'}  {self.title}  {said}  {self.elapsed_ms:.0f} ms"
        )
        return head if self.passed else f"{head}\n      {self.reason if reason is None else reason}"


@dataclass(frozen=True, kw_only=True)
class RunSummary:
    """A finished (or stopped) run: its results in run order and its counts."""

    suite: str
    environment: str
    results: tuple[StepResult, ...]
    started_at: str
    elapsed_s: float
    stopped: bool = False
    #: every step that should have run (a stopped run has fewer results)
    planned: int = 0
    #: per data row, the variables captured by the end of the run (for a re-run)
    captured: Mapping[int | None, Mapping[str, str]] = field(default_factory=dict)
    #: captured values that are secrets (a token from a token response): every report
    #: and printed line masks them
    secret_values: tuple[str, ...] = ()
    #: captured values that look like a customer's personal data: the reports that mask
    #: personal data mask them wherever they appear
    personal_values: tuple[str, ...] = ()

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    @property
    def not_run(self) -> int:
        return max(0, self.planned - len(self.results))

    @property
    def ok(self) -> bool:
        """Every planned step ran and every assertion passed."""
        return self.failed == 0 and not self.stopped and self.not_run == 0

    def counts(self) -> str:
        """``12 passed, 1 failed`` (and ``, 3 not run`` when stopped early)."""
        text = f"{self.passed} passed, {self.failed} failed"
        return text + (f", {self.not_run} not run" if self.not_run else "")

    def failed_keys(self) -> frozenset[tuple[str, int | None]]:
        return frozenset(r.key for r in self.results if not r.passed)


@dataclass(frozen=True)
class _Task:
    index: int
    step_number: int
    row: int | None


class SuiteRunner:
    """Runs one suite against one environment; see the module's documentation."""

    def __init__(
        self,
        suite: Suite,
        sender: StepSender,
        *,
        rows: Sequence[Mapping[str, str]] | None = None,
        variables: Mapping[str, str] | None = None,
        parallel: int = 1,
        bail: bool = False,
    ) -> None:
        self.suite = suite
        self.sender = sender
        self.rows: tuple[Mapping[str, str], ...] | None = tuple(rows) if rows else None
        self.variables = dict(variables or {})
        self.parallel = max(1, parallel)
        self.bail = bail
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._results: list[StepResult] = []
        self._captured: dict[int | None, dict[str, str]] = {}
        self._secret_values: dict[str, None] = {}
        self._personal_values: dict[str, None] = {}
        self._summary: RunSummary | None = None
        self._depends = _dependencies(suite.steps)
        #: the steps the run will (or would) run: all of them until run() says otherwise
        self._planned = len(self._tasks(None))

    # ----- control ------------------------------------------------------------------------
    def stop(self) -> None:
        """No new step starts; the steps under way are cancelled. Any thread."""
        self._cancel.set()

    @property
    def stopped(self) -> bool:
        return self._cancel.is_set()

    @property
    def summary(self) -> RunSummary:
        """The run so far (complete once :meth:`run`'s generator is exhausted)."""
        if self._summary is not None:
            return self._summary
        return self._make_summary(0.0, "", planned=self._planned)

    # ----- running -------------------------------------------------------------------------
    def planned(self, only: Iterable[tuple[str, int | None]] | None = None) -> int:
        """How many steps :meth:`run` with ``only`` will run (for a progress bar)."""
        return len(self._tasks(None if only is None else frozenset(only)))

    def run(
        self,
        only: Iterable[tuple[str, int | None]] | None = None,
        *,
        captured: Mapping[int | None, Mapping[str, str]] | None = None,
    ) -> Iterator[StepResult]:
        """Run the suite (or only the steps keyed in ``only``), yielding each result as
        it finishes; ``captured`` seeds each row's variables (an earlier run's)."""
        chosen = None if only is None else frozenset(only)
        tasks = self._tasks(chosen)
        self._planned = len(tasks)
        started = time.perf_counter()
        started_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        for row, values in (captured or {}).items():
            self._captured[row] = dict(values)
        try:
            if self.parallel == 1:
                yield from self._run_in_order(tasks)
            else:
                yield from self._run_at_once(tasks)
        except BaseException:  # Ctrl+C, or the caller closed the generator: stop at once
            self._cancel.set()
            raise
        finally:
            self._summary = self._make_summary(
                time.perf_counter() - started, started_at, planned=len(tasks)
            )

    def rerun(self, previous: RunSummary) -> Iterator[StepResult]:
        """The steps that failed in ``previous``, with the variables it captured."""
        return self.run(previous.failed_keys(), captured=previous.captured)

    def _tasks(self, only: frozenset[tuple[str, int | None]] | None) -> list[_Task]:
        rows: Sequence[int | None] = list(range(len(self.rows))) if self.rows else [None]
        tasks: list[_Task] = []
        count = len(self.suite.steps)
        for row_number, row in enumerate(rows):
            for step_number, step in enumerate(self.suite.steps):
                if only is None or (step.id, row) in only:
                    tasks.append(_Task(row_number * count + step_number, step_number, row))
        return tasks

    def _run_in_order(self, tasks: list[_Task]) -> Iterator[StepResult]:
        for task in tasks:
            if self._cancel.is_set():
                return
            result = self._run_one(task)
            self._finish(result)
            yield result

    def _run_at_once(self, tasks: list[_Task]) -> Iterator[StepResult]:
        waiting = list(tasks)
        done: set[tuple[int, int | None]] = set()
        wanted = {(t.step_number, t.row) for t in tasks}
        running: dict[Future[StepResult], _Task] = {}
        with ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="suite") as pool:
            while waiting or running:
                if not self._cancel.is_set():
                    for task in list(waiting):
                        if len(running) >= self.parallel:
                            break
                        needs = self._depends[task.step_number]
                        if all((n, task.row) in done or (n, task.row) not in wanted for n in needs):
                            waiting.remove(task)
                            running[pool.submit(self._run_one, task)] = task
                elif not running:
                    return
                if not running:  # nothing can start: should not happen (dependencies go back)
                    return
                try:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                except BaseException:  # Ctrl+C: the steps under way are cancelled
                    self._cancel.set()
                    raise
                for future in finished:
                    task = running.pop(future)
                    result = future.result()
                    done.add((task.step_number, task.row))
                    self._finish(result)
                    yield result

    def _finish(self, result: StepResult) -> None:
        with self._lock:
            self._results.append(result)
        if self.bail and not result.passed:
            self._cancel.set()

    def _make_summary(self, elapsed: float, started_at: str, *, planned: int) -> RunSummary:
        with self._lock:
            results = tuple(sorted(self._results, key=lambda r: r.index))
            captured = {row: dict(values) for row, values in self._captured.items()}
        return RunSummary(
            suite=self.suite.name,
            environment=self.sender.environment_name,
            results=results,
            started_at=started_at,
            elapsed_s=elapsed,
            stopped=self._cancel.is_set() and len(results) < planned,
            planned=planned,
            captured=captured,
            secret_values=self.secret_values(),
            personal_values=tuple(self._personal_values),
        )

    def secret_values(self) -> tuple[str, ...]:
        """The captured values that are secrets, so far (see :attr:`RunSummary.secret_values`)."""
        with self._lock:
            return tuple(self._secret_values)

    # ----- one step --------------------------------------------------------------------------
    def _values(self, row: int | None) -> dict[str, str]:
        """The suite's variables, then the run's (the environment's, ``--var``), the data
        row's and the captures'; the built-ins cannot be overridden."""
        values = {**self.suite.variables, **self.variables}
        if row is not None and self.rows is not None:
            values.update(self.rows[row])
        with self._lock:
            values.update(self._captured.get(row, {}))
        values.update(self.sender.builtins())
        return values

    def _run_one(self, task: _Task) -> StepResult:
        step = self.suite.steps[task.step_number]
        base = StepResult(index=task.index, step=step, row=task.row)
        values = self._values(task.row)
        try:
            spec = self._spec(step, values)
        except _NotSendable as exc:
            return replace(base, error=str(exc))
        endpoint = self.sender.endpoint_for(spec)
        profile, why = self.sender.profile_for(step, endpoint)
        if why:
            return replace(base, error=why)
        record = self.sender.send(profile, spec, self._cancel)
        assertions = step.assertions or (DEFAULT_CHECK,)
        wants_contract = any(a.kind is CheckKind.CONTRACT for a in assertions)
        contract = self.sender.contract(endpoint, record) if wants_contract else None
        checks = judge(record, assertions, contract=contract, variables=values)
        captured, capture_checks, personal = _capture(step.captures, record)
        if captured:
            secret = [v for c in step.captures if (v := captured.get(c.name)) and is_secret(c, v)]
            with self._lock:
                self._captured.setdefault(task.row, {}).update(captured)
                self._secret_values.update(dict.fromkeys(secret))
                self._personal_values.update(dict.fromkeys(personal))
        result = replace(
            base,
            profile=profile,
            record=record,
            checks=(*checks, *capture_checks),
            contract=contract,
            captured=captured,
        )
        if not result.passed:
            result = replace(result, explanation=self.sender.explain(endpoint, record))
        return result

    def _spec(self, step: Step, values: Mapping[str, str]) -> RequestSpec:
        raw = step.request.to_spec()
        unknown: dict[str, None] = {}

        def fill(text: str) -> str:
            resolved = resolve_variables(text, values)
            unknown.update(dict.fromkeys(resolved.unknown))
            return resolved.text

        headers = tuple(
            (name, fill(value))
            for name, value in raw.headers
            if not (name.lower() == "authorization" and "{{" in value)
        )
        url = fill(raw.url)
        body = raw.body
        if body is not None:
            body = fill(body.decode("utf-8", errors="replace")).encode("utf-8")
        if unknown:
            names = ", ".join("{{" + name + "}}" for name in unknown)
            raise _NotSendable(
                f"not sent: {names} has no value. Define it in .suite.json's variables, in "
                "the environment's variables or a data file column, or capture it in an "
                "earlier step"
            )
        if url.startswith("/"):
            url = self.sender.base_url() + url
        elif not url.lower().startswith(("http://", "https://")):
            raise _NotSendable(
                f"not sent: the URL '{url}' is neither a full URL nor a path from the API's "
                "root; write it as {{base_url}}/api/v4/... or /api/v4/..."
            )
        return self.sender.prepare(replace(raw, url=url, headers=headers, body=body))


class _NotSendable(Exception):
    pass


def _capture(
    captures: tuple[Capture, ...], record: ResponseRecord
) -> tuple[dict[str, str], list[CheckResult], list[str]]:
    """The values ``captures`` take from ``record``, a failed check for each that found
    nothing (a later step would otherwise be sent with a hole in it), and the values that
    look like a customer's personal data."""
    found: dict[str, str] = {}
    failed: list[CheckResult] = []
    personal: list[str] = []
    for result in run_captures(captures, record):
        if result.value is None:
            capture = result.capture
            failed.append(
                CheckResult(
                    assertion=Assertion(
                        kind=CheckKind.HEADER
                        if capture.source is CaptureSource.HEADER
                        else CheckKind.JSONPATH,
                        target=capture.expression,
                        place="capture",
                    ),
                    passed=False,
                    words=f"capture {capture}: {result.problem}",
                )
            )
            continue
        found[result.name] = result.value
        if result.personal:
            personal.append(result.value)
    return found, failed, personal


_LEAF = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)['\"\]]*$")


def is_secret(capture: Capture, value: str) -> bool:
    """Whether a captured value is a secret: taken from a secret field or header
    (``access_token``, ``Authorization``...) or shaped like one (a JWT)."""
    redactor = Redactor(RedactionPolicy.for_storage())
    if redactor.redact_text(value) != value:
        return True
    if capture.source is CaptureSource.HEADER:
        return redactor.redact_header_value(capture.expression, value) != value
    leaf = _LEAF.search(capture.expression)
    return leaf is not None and redactor.redact_json({leaf.group(1): value}) != {
        leaf.group(1): value
    }


def _references(step: Step) -> set[str]:
    request = step.request
    texts = [request.url, *(v for _k, v in request.headers)]
    if request.body is not None:
        texts.append(json.dumps(request.body) if request.body_is_json else str(request.body))
    texts.extend(json.dumps(a.expected) for a in step.assertions)
    return {m.group(1) for text in texts for m in VARIABLE_PATTERN.finditer(text)}


def _dependencies(steps: tuple[Step, ...]) -> list[frozenset[int]]:
    """For each step, the earlier steps capturing a variable it uses."""
    out: list[frozenset[int]] = []
    for number, step in enumerate(steps):
        used = _references(step) - BUILT_IN
        out.append(
            frozenset(
                earlier
                for earlier in range(number)
                if used & {c.name for c in steps[earlier].captures}
            )
        )
    return out


__all__ = [
    "DEFAULT_CHECK",
    "RunSummary",
    "StepResult",
    "StepSender",
    "SuiteRunner",
]
