"""The suite engine against a real Sandbox over sockets: every assertion kind passing and
failing as written, captures across steps, data rows, stop, bail, failed-only re-run and
the parallel schedule."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core.session import Session
from explorer.core.suite.load import load_rows, load_suite
from explorer.core.suite.model import SuiteError
from explorer.core.suite.runner import SuiteRunner
from explorer.core.suite.sending import SessionSender

KEYWORDS = "{{base_url}}/api/v4/keywords/search?searchQuery={{query}}"

PASSING = [
    {"status": 200},
    {"status": "2xx"},
    {"status": [201, 200]},
    {"contract": "conforms"},
    {"jsonpath": "$.data", "exists": True},
    {"jsonpath": "$.nothing", "exists": False},
    {"jsonpath": "$.data[0].name", "equals": "Plumbing"},
    {"jsonpath": "$.data[0].name", "matches": "^Plumb"},
    {"jsonpath": "$.data", "length": 1},
    {"jsonpath": "$.data", "length": {"min": 1, "max": 5}},
    {"jsonpath": "$.data", "type": "array"},
    {"jsonpath": "$.data[0].keywordID", "type": "string"},
    {"header": "Content-Type", "present": True},
    {"header": "X-Not-There", "present": False},
    {"header": "Content-Type", "equals": "application/json"},
    {"header": "Content-Type", "matches": "json$"},
    {"max_ms": 10000},
]

FAILING = [
    ({"status": 404}, "status was 200 OK; expected 404"),
    ({"status": "4xx"}, "expected 4xx"),
    ({"status": [401, "5xx"]}, "expected 401 or 5xx"),
    ({"jsonpath": "$.nothing", "exists": True}, "$.nothing is missing"),
    ({"jsonpath": "$.data", "exists": False}, "expected it to be absent"),
    ({"jsonpath": "$.data[0].name", "equals": "Roofing"}, 'is "Plumbing"; expected "Roofing"'),
    ({"jsonpath": "$.data[0].name", "matches": "^Roof"}, "does not match /^Roof/"),
    ({"jsonpath": "$.data", "length": 3}, "has length 1; expected 3"),
    ({"jsonpath": "$.data", "length": {"min": 2}}, "expected at least 2"),
    ({"jsonpath": "$.data", "type": "object"}, "is of type array"),
    ({"header": "X-Not-There", "present": True}, "header X-Not-There is missing"),
    ({"header": "Content-Type", "equals": "text/html"}, 'expected "text/html"'),
    ({"header": "Content-Type", "matches": "^text/"}, "does not match /^text//"),
    ({"max_ms": 0.001}, "the budget is 0.001 ms"),
]


def _run(suite_root: Path, session: Session, **options: object) -> SuiteRunner:
    runner = SuiteRunner(load_suite(suite_root), SessionSender(session), **options)  # type: ignore[arg-type]
    list(runner.run())
    return runner


def test_every_assertion_kind_passes_when_the_response_keeps_it(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    root = write_suite(
        {"keywords": {"url": KEYWORDS, "assertions": PASSING}},
        settings={"variables": {"query": "plumb"}},
    )
    summary = _run(root, session).summary
    [result] = summary.results
    assert [c.words for c in result.checks if not c.passed] == []
    assert len(result.checks) == len(PASSING)
    assert result.passed and summary.ok
    assert summary.counts() == "1 passed, 0 failed"
    assert result.profile == "Sandbox demo"  # the client-credentials profile, chosen by flow
    assert result.contract is not None and result.contract.verdict.value == "conforms"


@pytest.mark.parametrize(("assertion", "words"), FAILING, ids=[str(a) for a, _ in FAILING])
def test_each_assertion_kind_fails_with_what_was_found_in_words(
    session: Session, write_suite: Callable[..., Path], assertion: dict, words: str
) -> None:
    root = write_suite(
        {"keywords": {"url": KEYWORDS, "assertions": [{"status": 200}, assertion]}},
        settings={"variables": {"query": "plumb"}},
    )
    summary = _run(root, session).summary
    [result] = summary.results
    assert not result.passed and not summary.ok
    assert [c.passed for c in result.checks] == [True, False]
    assert words in result.checks[1].words
    assert words in result.reason
    assert result.explanation is not None  # the explanation engine's word on the failure
    assert summary.counts() == "0 passed, 1 failed"


def test_contract_assertion_fails_on_an_undocumented_status(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    root = write_suite(
        {
            "keywords": {
                "url": "{{base_url}}/api/v4/keywords/search?searchQuery=x",
                "headers": [{"name": "X-Sandbox-Fault", "value": "waf-challenge"}],
                "assertions": [{"contract": "conforms"}],
            }
        }
    )
    [result] = _run(root, session).summary.results
    assert not result.passed
    assert result.record is not None and result.record.status == 202
    assert "contract: undocumented status" in result.reason
    assert (
        result.explanation is not None
        and "challenge" in (result.explanation.title + result.explanation.cause).lower()
    )


def test_captures_feed_later_steps_and_name_the_profile_by_flow(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    root = write_suite(
        {
            "1-businesses": {
                "url": "{{base_url}}/api/v4/businesses",
                "operation_id": "listBusinessesV4",
                "captures": [
                    {"name": "businessID", "path": "$.data[0].businessID"},
                    {"name": "served_by", "header": "Server"},
                ],
            },
            "2-business": {
                "url": "{{base_url}}/api/v4/businesses/{{businessID}}",
                "assertions": [
                    {"status": 200},
                    {"jsonpath": "$.businessID", "equals": "{{businessID}}"},
                    {"header": "Server", "equals": "{{served_by}}"},
                ],
            },
        }
    )
    summary = _run(root, session).summary
    first, second = summary.results
    assert first.passed, first.reason
    assert first.profile.startswith("Sandbox demo — pro")  # supply endpoint: the pro signs in
    assert set(first.captured) == {"businessID", "served_by"}
    assert second.passed, second.reason
    assert first.captured["businessID"] in second.record.request.url  # type: ignore[union-attr]
    assert summary.captured[None]["businessID"] == first.captured["businessID"]


def test_a_capture_that_finds_nothing_fails_its_step_and_the_next_is_not_sent(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    root = write_suite(
        {
            "1": {
                "url": "{{base_url}}/api/v4/keywords/search?searchQuery=plumb",
                "captures": [{"name": "missing", "path": "$.data[5].keywordID"}],
            },
            "2": {"url": "{{base_url}}/api/v4/categories/{{missing}}/request-form"},
        }
    )
    first, second = _run(root, session).summary.results
    assert "capture missing <- $.data[5].keywordID: $.data[5].keywordID matches nothing" in (
        first.reason
    )
    assert second.record is None
    assert "{{missing}} has no value" in second.reason


def test_data_rows_run_the_suite_once_per_row(
    session: Session, write_suite: Callable[..., Path], tmp_path: Path
) -> None:
    data = tmp_path / "rows.csv"
    data.write_text("query,name\nplumb,Plumbing\nlawn,Lawn Care\nplumb,Wrong\n")
    root = write_suite(
        {
            "keywords": {
                "url": KEYWORDS,
                "assertions": [{"jsonpath": "$.data[0].name", "equals": "{{name}}"}],
            }
        }
    )
    runner = SuiteRunner(load_suite(root), SessionSender(session), rows=load_rows(data))
    results = list(runner.run())
    assert [r.row for r in results] == [0, 1, 2]
    assert [r.passed for r in results] == [True, True, False]
    assert results[2].title == "keywords [row 3]"
    assert runner.summary.counts() == "2 passed, 1 failed"


def test_json_data_rows_and_row_problems(tmp_path: Path) -> None:
    good = tmp_path / "rows.json"
    good.write_text('[{"zip": 94103, "ok": true}, {"zip": "10001", "ok": false}]')
    assert load_rows(good) == [{"zip": "94103", "ok": "true"}, {"zip": "10001", "ok": "false"}]
    bad = tmp_path / "bad.csv"
    bad.write_text("zip code,x\n1,2\n")
    with pytest.raises(SuiteError, match="'zip code'"):
        load_rows(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("zip\n")
    with pytest.raises(SuiteError, match="no rows"):
        load_rows(empty)


def test_stop_ends_the_run_and_the_rest_is_not_run(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    root = write_suite(
        {f"step-{n:02d}": {"url": KEYWORDS.replace("{{query}}", "plumb")} for n in range(10)}
    )
    runner = SuiteRunner(load_suite(root), SessionSender(session))
    seen = []
    for result in runner.run():
        seen.append(result)
        if len(seen) == 3:
            runner.stop()
    summary = runner.summary
    assert len(seen) == 3 and summary.stopped
    assert summary.counts() == "3 passed, 0 failed, 7 not run"
    assert not summary.ok


def test_bail_stops_after_the_first_failure(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    root = write_suite(
        {
            "1": {"url": KEYWORDS.replace("{{query}}", "plumb")},
            "2": {"url": KEYWORDS.replace("{{query}}", "plumb"), "assertions": [{"status": 500}]},
            "3": {"url": KEYWORDS.replace("{{query}}", "plumb")},
        }
    )
    summary = _run(root, session, bail=True).summary
    assert [r.step.id for r in summary.results] == ["1.request.json", "2.request.json"]
    assert summary.not_run == 1


def test_rerun_runs_only_the_failed_steps_with_the_earlier_captures(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    root = write_suite(
        {
            "1": {
                "url": "{{base_url}}/api/v4/businesses",
                "operation_id": "listBusinessesV4",
                "captures": [{"name": "businessID", "path": "$.data[0].businessID"}],
            },
            "2": {
                "url": "{{base_url}}/api/v4/businesses/{{businessID}}",
                "assertions": [{"status": 404}],
            },
        }
    )
    suite = load_suite(root)
    first = _run(root, session).summary
    assert first.failed_keys() == {("2.request.json", None)}
    again = SuiteRunner(suite, SessionSender(session))
    rerun = list(again.rerun(first))
    assert [r.step.id for r in rerun] == ["2.request.json"]
    assert rerun[0].record is not None and rerun[0].record.status == 200  # sent, with the ID


def test_parallel_runs_at_once_but_waits_for_captures(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    steps: dict[str, dict] = {
        "00-list": {
            "url": "{{base_url}}/api/v4/businesses",
            "operation_id": "listBusinessesV4",
            "headers": [{"name": "X-Sandbox-Fault", "value": "latency=300"}],
            "captures": [{"name": "businessID", "path": "$.data[0].businessID"}],
        },
        "01-use": {"url": "{{base_url}}/api/v4/businesses/{{businessID}}"},
    }
    steps.update(
        {f"{n:02d}-free": {"url": KEYWORDS.replace("{{query}}", "plumb")} for n in range(2, 8)}
    )
    root = write_suite(steps)
    runner = SuiteRunner(load_suite(root), SessionSender(session), parallel=4)
    order = [r.step.id for r in runner.run()]
    summary = runner.summary
    assert summary.ok, [r.reason for r in summary.results if not r.passed]
    # the free steps finished while the slow first step was under way; its user waited
    assert order.index("01-use.request.json") > order.index("00-list.request.json")
    assert order[0] != "00-list.request.json"
    in_order = [r.step.id for r in summary.results]
    assert in_order[:2] == ["00-list.request.json", "01-use.request.json"]


def test_a_broken_suite_lists_every_problem_at_once(write_suite: Callable[..., Path]) -> None:
    root = write_suite(
        {
            "a": {
                "url": "/api/v4/x",
                "assertions": [
                    {"status": "2xy"},
                    {"jsonpath": "$[", "exists": True},
                    {"jsonpath": "$.a"},
                    {"header": "X", "length": 3},
                    {"status": 200, "max_ms": 5},
                    {"max_ms": -1},
                ],
            },
            "c": {"url": "/x", "captures": [{"name": "9bad", "path": "$.a"}]},
        }
    )
    (root / "b.request.json").write_text("{ not json")
    with pytest.raises(SuiteError) as raised:
        load_suite(root)
    problems = raised.value.problems
    assert len(problems) == 8
    assert any("b.request.json" in p and "not valid JSON" in p for p in problems)
    assert any("assertion 1" in p and '"2xy"' in p for p in problems)
    assert any("assertion 2" in p and "not a JSONPath" in p for p in problems)
    assert any("c.request.json" in p and "captures[0]" in p for p in problems)


def test_steps_run_in_name_order_through_folders(write_suite: Callable[..., Path]) -> None:
    root = write_suite(
        {"b": {"url": "/x"}, "a/2": {"url": "/x"}, "a/1": {"url": "/x"}, "C": {"url": "/x"}}
    )
    assert [s.id for s in load_suite(root).steps] == [
        "a/1.request.json",
        "a/2.request.json",
        "b.request.json",
        "C.request.json",
    ]


def test_stop_from_another_thread_cancels_a_step_under_way(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    root = write_suite(
        {
            "slow": {
                "url": KEYWORDS.replace("{{query}}", "plumb"),
                "headers": [{"name": "X-Sandbox-Fault", "value": "slow-drip=5000"}],
            }
        }
    )
    runner = SuiteRunner(load_suite(root), SessionSender(session))
    timer = threading.Timer(0.3, runner.stop)
    timer.start()
    [result] = list(runner.run())
    timer.join()
    assert not result.passed
    assert result.record is not None and result.record.failure is not None


def test_a_run_closed_before_its_first_step_is_not_ok(
    session: Session, write_suite: Callable[..., Path]
) -> None:
    root = write_suite({"1": {"url": KEYWORDS.replace("{{query}}", "plumb")}})
    runner = SuiteRunner(load_suite(root), SessionSender(session))
    results = runner.run()
    runner.stop()
    assert list(results) == []
    summary = runner.summary
    assert summary.stopped and not summary.ok
    assert summary.counts() == "0 passed, 0 failed, 1 not run"
    unstarted = SuiteRunner(load_suite(root), SessionSender(session))
    unstarted.stop()
    assert not unstarted.summary.ok  # never run: not a pass
