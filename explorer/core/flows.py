"""Flows: Thumbtack's documented journeys as chains of requests, defined as data.

A flow file (YAML, under ``resources/flows/``, or a user's own) names its steps; each step
is one endpoint of the API description (by operationId), the values it sends (which may
use ``{{variables}}``), the captures that carry values from its response to the next
steps, the statuses that count as success, what it does in words and its documentation
page. The window's Flows list and the QA runner read the same files.

:func:`run_flow` sends the steps in order through a :data:`Send` callable (the window's
session, or a Sandbox for tests and the command line), fills each step from the earlier
steps' captures, and stops at the first step that fails (the later steps would only send
``{{searchID}}`` unfilled).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from explorer.core.captures import Capture, CaptureError, CaptureResult, run_captures
from explorer.core.environments import Environment
from explorer.core.models import Endpoint, RequestSpec, ResponseRecord
from explorer.core.variables import resolve_variables

FLOW_SUFFIXES = (".yaml", ".yml")
FORMAT_VERSION = 1


class FlowError(ValueError):
    """A flow file that cannot be used; the message names the file, the step and the fix."""


@dataclass(frozen=True, kw_only=True)
class FlowStep:
    """One request of a flow."""

    id: str
    title: str
    operation: str  # the endpoint's operationId (or "METHOD /path")
    does: str = ""  # what the step does, in words
    doc_url: str = ""
    #: path and query parameters (values may hold {{variables}})
    params: Mapping[str, str] = field(default_factory=dict)
    body: Any = None  # parsed JSON (strings may hold {{variables}}), or None
    captures: tuple[Capture, ...] = ()
    expect: tuple[int, ...] = (200,)
    #: where the documented facts behind this step are graded below [doc]
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Flow:
    """A documented journey: its steps and the values it starts from."""

    id: str
    title: str
    summary: str = ""
    doc_url: str = ""
    #: the values the first steps use, when no variable of that name is defined
    inputs: Mapping[str, str] = field(default_factory=dict)
    steps: tuple[FlowStep, ...] = ()
    source: str = ""  # the file it was read from

    def step(self, step_id: str) -> FlowStep:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


# ----- reading flow files ----------------------------------------------------------------


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise FlowError(f"{where}: '{key}' must be text")
    if required and not str(value).strip():
        raise FlowError(f"{where}: '{key}' is required")
    return str(value).strip()


def _statuses(raw: Any, where: str) -> tuple[int, ...]:
    listed = raw if isinstance(raw, list) else [raw]
    if not listed or not all(isinstance(s, int) and 100 <= s <= 599 for s in listed):
        raise FlowError(f"{where}: 'expect' must be a status code or a list of them (200, 201)")
    return tuple(listed)


def _step(raw: Any, where: str) -> FlowStep:
    if not isinstance(raw, Mapping):
        raise FlowError(f"{where}: a step must be a mapping with id, title and operation")
    step_id = _text(raw, "id", where, required=True)
    where = f"{where} ('{step_id}')"
    params = raw.get("params") or {}
    if not isinstance(params, Mapping):
        raise FlowError(f"{where}: 'params' must map parameter names to values")
    captures: list[Capture] = []
    raw_captures = raw.get("captures") or []
    if not isinstance(raw_captures, list):
        raise FlowError(f"{where}: 'captures' must be a list")
    for index, item in enumerate(raw_captures):
        try:
            captures.append(Capture.from_dict(item))
        except CaptureError as exc:
            raise FlowError(f"{where}: captures[{index}]: {exc}") from None
    return FlowStep(
        id=step_id,
        title=_text(raw, "title", where, required=True),
        operation=_text(raw, "operation", where, required=True),
        does=_text(raw, "does", where),
        doc_url=_text(raw, "doc_url", where),
        params={str(k): str(v) for k, v in params.items()},
        body=raw.get("body"),
        captures=tuple(captures),
        expect=_statuses(raw.get("expect", 200), where),
        note=_text(raw, "note", where),
    )


def parse_flow(document: Any, source: str) -> Flow:
    """A flow from a parsed YAML document; FlowError says what is wrong and where."""
    if not isinstance(document, Mapping):
        raise FlowError(f"{source}: the top level must be a mapping (id, title, steps)")
    version = document.get("version", 1)
    if version != FORMAT_VERSION:
        raise FlowError(f"{source}: it is flow format {version!r}; this program reads 1")
    flow_id = _text(document, "id", source, required=True)
    steps_raw = document.get("steps")
    if not isinstance(steps_raw, list) or not steps_raw:
        raise FlowError(f"{source}: 'steps' must be a non-empty list")
    steps = tuple(_step(raw, f"{source}: steps[{i}]") for i, raw in enumerate(steps_raw))
    seen: set[str] = set()
    for step in steps:
        if step.id in seen:
            raise FlowError(f"{source}: two steps are called '{step.id}'; give each its own id")
        seen.add(step.id)
    inputs = document.get("inputs") or {}
    if not isinstance(inputs, Mapping):
        raise FlowError(f"{source}: 'inputs' must map variable names to values")
    return Flow(
        id=flow_id,
        title=_text(document, "title", source, required=True),
        summary=_text(document, "summary", source),
        doc_url=_text(document, "doc_url", source),
        inputs={str(k): str(v) for k, v in inputs.items()},
        steps=steps,
        source=source,
    )


def load_flow(path: Path) -> Flow:
    import yaml

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FlowError(f"{path}: it cannot be read ({exc})") from exc
    except yaml.YAMLError as exc:
        raise FlowError(f"{path}: it is not valid YAML ({exc})") from None
    return parse_flow(document, str(path))


def flow_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in FLOW_SUFFIXES and p.is_file())


def load_flows(folder: Path) -> list[Flow]:
    """Every flow in ``folder``, in the order of their ``order:`` (then file name)."""
    return [load_flow(p) for p in flow_files(folder)]


def shipped_flows() -> list[Flow]:
    """The documented journeys the program ships (``resources/flows``)."""
    from explorer.resources import resource_path

    return load_flows(resource_path("flows"))


# ----- running -------------------------------------------------------------------------


class StepStatus(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # an earlier step failed


@dataclass(frozen=True, kw_only=True)
class StepResult:
    """What one step sent and got back, and what its captures found."""

    step: FlowStep
    status: StepStatus
    spec: RequestSpec | None = None
    record: ResponseRecord | None = None
    captures: tuple[CaptureResult, ...] = ()
    problem: str = ""  # why it failed, in words

    @property
    def http_status(self) -> int | None:
        return self.record.status if self.record is not None else None


#: ``send(step, endpoint, spec, cancel) -> record``: authorizes and sends one step.
Send = Callable[[FlowStep, Endpoint, RequestSpec, threading.Event], ResponseRecord]


def find_endpoint(operation: str, catalog: Iterable[Endpoint]) -> Endpoint:
    listed = list(catalog)
    for endpoint in listed:
        if endpoint.operation_id == operation:
            return endpoint
    method, _, path = operation.partition(" ")
    for endpoint in listed:
        if endpoint.method.upper() == method.upper() and endpoint.path == path.strip():
            return endpoint
    raise FlowError(
        f"the step's operation {operation!r} is not in the API description; name an "
        "operationId such as searchBusinessesV4"
    )


def _fill(value: Any, values: Mapping[str, str], unknown: dict[str, None]) -> Any:
    if isinstance(value, str):
        resolved = resolve_variables(value, values)
        unknown.update(dict.fromkeys(resolved.unknown))
        return resolved.text
    if isinstance(value, list):
        return [_fill(v, values, unknown) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _fill(v, values, unknown) for k, v in value.items()}
    return value


@dataclass(frozen=True, kw_only=True)
class BuiltStep:
    spec: RequestSpec | None
    unknown: tuple[str, ...] = ()
    problem: str = ""


def build_step(
    step: FlowStep,
    endpoint: Endpoint,
    environment: Environment,
    values: Mapping[str, str],
) -> BuiltStep:
    """The request of ``step`` with ``values`` filled in; names without a value are
    reported (the step is not sent: it would send ``{{name}}`` literally)."""
    from explorer.core.session import BadInput, build_request

    unknown: dict[str, None] = {}
    params = {k: _fill(v, values, unknown) for k, v in step.params.items()}
    body = _fill(step.body, values, unknown) if step.body is not None else None
    if unknown:
        names = ", ".join("{{" + n + "}}" for n in unknown)
        return BuiltStep(
            spec=None,
            unknown=tuple(unknown),
            problem=f"{names} has no value: an earlier step's capture found nothing, or "
            "define it in the Variables editor",
        )
    raw = json.dumps(body).encode("utf-8") if body is not None else None
    try:
        spec = build_request(endpoint, environment, params, raw)
    except BadInput as exc:
        return BuiltStep(spec=None, problem=str(exc))
    return BuiltStep(spec=spec)


def run_flow(
    flow: Flow,
    *,
    catalog: Sequence[Endpoint],
    environment: Environment,
    send: Send,
    variables: Mapping[str, str] | None = None,
    cancel: threading.Event | None = None,
    only: Sequence[str] | None = None,
) -> Iterator[StepResult]:
    """Send the flow's steps in order (``only``: those step ids), yielding each result as
    it comes (first RUNNING, then PASSED or FAILED); steps after a failure are SKIPPED.

    Values: ``variables`` (the user's), then the flow's ``inputs``, then what each step's
    captures found (a capture's value replaces an older one of the same name)."""
    cancel = cancel or threading.Event()
    values: dict[str, str] = {**flow.inputs, **(variables or {})}
    failed = False
    for step in flow.steps:
        if only is not None and step.id not in only:
            continue
        if failed or cancel.is_set():
            yield StepResult(step=step, status=StepStatus.SKIPPED)
            continue
        yield StepResult(step=step, status=StepStatus.RUNNING)
        result = run_step(
            step, catalog=catalog, environment=environment, send=send, values=values, cancel=cancel
        )
        values.update({c.name: c.value for c in result.captures if c.value is not None})
        failed = result.status is StepStatus.FAILED
        yield result


def run_step(
    step: FlowStep,
    *,
    catalog: Sequence[Endpoint],
    environment: Environment,
    send: Send,
    values: Mapping[str, str],
    cancel: threading.Event,
) -> StepResult:
    """Build, send and judge one step; its captures run on any response."""
    try:
        endpoint = find_endpoint(step.operation, catalog)
    except FlowError as exc:
        return StepResult(step=step, status=StepStatus.FAILED, problem=str(exc))
    built = build_step(step, endpoint, environment, values)
    if built.spec is None:
        return StepResult(step=step, status=StepStatus.FAILED, problem=built.problem)
    spec = replace(built.spec, operation_id=endpoint.operation_id or None)
    record = send(step, endpoint, spec, cancel)
    captures = tuple(run_captures(step.captures, record))
    problem = ""
    if record.failure is not None:
        problem = f"no response: {record.failure.message}"
    elif record.status not in step.expect:
        wanted = " or ".join(str(s) for s in step.expect)
        problem = f"the answer was HTTP {record.status}, not {wanted}"
    else:
        missing = [c for c in captures if not c.found]
        if missing:
            problem = "; ".join(f"{c.name}: {c.problem}" for c in missing)
    return StepResult(
        step=step,
        status=StepStatus.FAILED if problem else StepStatus.PASSED,
        spec=spec,
        record=record,
        captures=captures,
        problem=problem,
    )


# ----- sending as the Sandbox's demo users ------------------------------------------------


class SandboxSender:
    """A :data:`Send` that sends each step as the Sandbox demo profile its endpoint
    documents (the app's client credentials for a search, the signed-in customer for a
    request, the pro for a lead), without changing the session's current profile; on
    other environments, as the current profile. Tokens are masked in the records it
    returns. ``close()`` when the run is over."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._client: Any = None

    def _http(self) -> Any:
        from explorer.core.http import make_client

        with self._lock:
            if self._client is None:
                self._client = make_client(timeout_s=30.0)
            return self._client

    def __call__(
        self, step: FlowStep, endpoint: Endpoint, spec: RequestSpec, cancel: threading.Event
    ) -> ResponseRecord:
        from explorer.core.auth import AUTH_ERRORS
        from explorer.core.environments import EnvironmentKind
        from explorer.core.sandbox_signin import demo_profile_for
        from explorer.core.session import auth_failure, masked_record, send_with_retry

        del step
        session = self.session
        manager = None
        if session.environment.kind is EnvironmentKind.SANDBOX:
            wanted = demo_profile_for(endpoint.scopes, endpoint.flows)
            demo = next(
                (p for p in session.demo_profiles if wanted is not None and p.name == wanted.name),
                None,
            )
            manager = session.manager_for(demo) if demo is not None else None
        if manager is None:
            result: ResponseRecord = session.perform(spec, cancel, sign_in=True, mask=True)
            return result
        try:
            record, _retried = send_with_retry(
                spec, manager, client=self._http(), cancel=cancel, sign_in=True
            )
        except AUTH_ERRORS as exc:
            return auth_failure(spec, exc)
        return masked_record(record)

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()


def sandbox_sender(session: Any) -> SandboxSender:
    return SandboxSender(session)


# ----- what a documented flow needs next -----------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CaptureSuggestion:
    """A value of this response a documented flow carries into a later step."""

    capture: Capture
    flow: Flow
    step: FlowStep  # the step this response answers
    used_by: FlowStep  # the later step that needs it

    @property
    def text(self) -> str:
        return f"save {self.capture.name} for {self.used_by.title}"


def _references(value: Any) -> set[str]:
    from explorer.core.variables import references

    if isinstance(value, str):
        return {ref.name for ref in references(value)}
    if isinstance(value, list):
        return set().union(*(_references(v) for v in value)) if value else set()
    if isinstance(value, Mapping):
        return set().union(*(_references(v) for v in value.values())) if value else set()
    return set()


def capture_suggestions(operation_id: str, flows: Iterable[Flow]) -> list[CaptureSuggestion]:
    """The captures the documented flows take from a response of ``operation_id`` for a
    later step (one per variable name, the first flow's)."""
    found: dict[str, CaptureSuggestion] = {}
    for flow in flows:
        for index, step in enumerate(flow.steps):
            if step.operation != operation_id:
                continue
            later = flow.steps[index + 1 :]
            for capture in step.captures:
                user = next(
                    (
                        s
                        for s in later
                        if capture.name in _references(dict(s.params)) | _references(s.body)
                    ),
                    None,
                )
                if user is not None and capture.name not in found:
                    found[capture.name] = CaptureSuggestion(
                        capture=capture, flow=flow, step=step, used_by=user
                    )
    return list(found.values())
