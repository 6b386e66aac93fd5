"""Flows: the documented journeys as data, run end to end on a real Sandbox (sockets on
127.0.0.1), each step filled from the earlier steps' captures."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.flows import (
    FlowError,
    SandboxSender,
    StepStatus,
    load_flow,
    parse_flow,
    run_flow,
    sandbox_sender,
    shipped_flows,
)
from explorer.core.redact import MASK
from explorer.core.session import Session, load_catalog
from explorer.paths import AppPaths
from explorer.sandbox.server import SandboxConfig, SandboxServer


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(SandboxConfig())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def session(sandbox: SandboxServer) -> Iterator[Session]:
    session = Session(AppPaths.from_environment().ensure())
    secrets = {c.client_id: c.client_secret for c in sandbox.demo_clients}
    session.set_sandbox(sandbox.api_base, sandbox.authorize_url, sandbox.token_url, secrets)
    session.environment = session.environment_for("sandbox")
    yield session
    session.close()


@pytest.fixture
def send(session: Session) -> Iterator[SandboxSender]:
    sender = sandbox_sender(session)
    yield sender
    sender.close()


def test_the_shipped_flows_are_the_documented_journeys() -> None:
    flows = {flow.id: flow for flow in shipped_flows()}
    assert list(flows) == ["exact-search", "filtered-search", "lead-handling", "webhooks-setup"]
    assert [s.operation for s in flows["exact-search"].steps] == [
        "getCategoryRequestFormV4",
        "searchBusinessesV4",
        "createRequestV4",
    ]
    assert [s.id for s in flows["lead-handling"].steps][-4:] == [
        "negotiation",
        "messages",
        "send-message",
        "job-status",
    ]
    assert [s.id for s in flows["webhooks-setup"].steps][1:] == [
        "create-webhook",
        "test-negotiation",
        "list-webhooks",
    ]
    catalog = {e.operation_id: e for e in load_catalog()}
    for flow in flows.values():
        assert flow.doc_url.startswith("https://developers.thumbtack.com/docs/")
        for step in flow.steps:
            assert step.operation in catalog, (flow.id, step.id)
            assert step.does and step.doc_url.startswith("https://developers.thumbtack.com/")


@pytest.mark.parametrize(
    "flow_id", ["exact-search", "filtered-search", "lead-handling", "webhooks-setup"]
)
def test_each_flow_runs_on_the_sandbox_end_to_end(
    session: Session, send: SandboxSender, sandbox: SandboxServer, flow_id: str
) -> None:
    flow = next(f for f in shipped_flows() if f.id == flow_id)
    results = [
        r
        for r in run_flow(
            flow,
            catalog=load_catalog(),
            environment=session.environment,
            send=send,
        )
        if r.status is not StepStatus.RUNNING
    ]
    assert [(r.step.id, r.status, r.problem) for r in results] == [
        (s.id, StepStatus.PASSED, "") for s in flow.steps
    ]
    for result in results:
        assert result.http_status in result.step.expect
        assert result.spec is not None and result.spec.url.startswith(sandbox.api_base.rstrip("/"))
    assert session.profile is None  # the user's current profile was not changed


def test_the_search_id_is_carried_into_create_request(
    session: Session, send: SandboxSender
) -> None:
    flow = next(f for f in shipped_flows() if f.id == "exact-search")
    results = [
        r
        for r in run_flow(
            flow,
            catalog=load_catalog(),
            environment=session.environment,
            send=send,
            variables={"zipCode": "10001"},  # the user's variable wins over the flow's input
        )
        if r.status is StepStatus.PASSED
    ]
    search, create = results[1], results[2]
    search_body = json.loads(search.record.body)  # type: ignore[union-attr]
    sent = json.loads(create.spec.body)  # type: ignore[union-attr]
    assert sent["searchID"] == search_body["searchID"]
    assert sent["businessIDs"] == [search_body["data"][0]["businessID"]]
    assert json.loads(search.spec.body)["zipCode"] == "10001"  # type: ignore[union-attr]
    assert create.record.request.header("authorization") == f"Bearer {MASK}"  # type: ignore[union-attr]


def test_a_failing_step_stops_the_flow_and_says_why(session: Session, send: SandboxSender) -> None:
    flow = next(f for f in shipped_flows() if f.id == "exact-search")
    results = [
        r
        for r in run_flow(
            flow,
            catalog=load_catalog(),
            environment=session.environment,
            send=send,
            variables={"categoryID": "1"},  # no such category
        )
        if r.status is not StepStatus.RUNNING
    ]
    assert [r.status for r in results] == [
        StepStatus.FAILED,
        StepStatus.SKIPPED,
        StepStatus.SKIPPED,
    ]
    assert "HTTP 404, not 200" in results[0].problem


def test_a_step_whose_variable_has_no_value_is_not_sent(session: Session) -> None:
    flow = parse_flow(
        {
            "id": "x",
            "title": "X",
            "steps": [
                {
                    "id": "lead",
                    "title": "Lead",
                    "operation": "getNegotiationV4",
                    "params": {"negotiationID": "{{negotiationID}}"},
                }
            ],
        },
        "test",
    )
    sent: list[object] = []

    def refuse(*args: object) -> object:
        sent.append(args)
        raise AssertionError("must not send")

    results = list(
        run_flow(flow, catalog=load_catalog(), environment=session.environment, send=refuse)  # type: ignore[arg-type]
    )
    assert results[-1].status is StepStatus.FAILED
    assert "{{negotiationID}} has no value" in results[-1].problem
    assert sent == []


def test_a_cancelled_run_skips_what_is_left(session: Session, send: SandboxSender) -> None:
    cancel = threading.Event()
    cancel.set()
    flow = shipped_flows()[0]
    results = list(
        run_flow(
            flow,
            catalog=load_catalog(),
            environment=session.environment,
            send=send,
            cancel=cancel,
        )
    )
    assert {r.status for r in results} == {StepStatus.SKIPPED}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[1, 2]", "top level must be a mapping"),
        ("id: a\ntitle: A\nsteps: []", "'steps' must be a non-empty list"),
        ("id: a\ntitle: A\nsteps: [{id: s, title: S}]", "'operation' is required"),
        (
            "id: a\ntitle: A\nsteps: [{id: s, title: S, operation: x,"
            " captures: [{name: 1x, path: $.a}]}]",
            "captures[0]",
        ),
        ("id: a\ntitle: A\nsteps: [{id: s, title: S, operation: x, expect: 999}]", "'expect'"),
        (
            "id: a\ntitle: A\nsteps: [{id: s, title: S, operation: x},"
            " {id: s, title: T, operation: y}]",
            "two steps are called 's'",
        ),
        ("id: a\ntitle: A\nsteps: [{id: s\n", "not valid YAML"),
        ("version: 2\nid: a\ntitle: A\nsteps: [{id: s, title: S, operation: x}]", "format 2"),
    ],
)
def test_a_broken_flow_file_is_named_with_its_problem(
    tmp_path: Path, text: str, words: str
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    with pytest.raises(FlowError) as caught:
        load_flow(path)
    assert str(path) in str(caught.value)
    assert words in str(caught.value)
