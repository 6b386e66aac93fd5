"""``thumbtack-explorer run`` on the in-process Sandbox (a real server on 127.0.0.1): the
shipped smoke suite passes on a fresh install and covers every documented v4 endpoint;
one line per step and a final count; exit codes 0, 1 and 2; the reports are written."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from click.testing import CliRunner

from explorer.cli import build_cli
from explorer.core.catalog import load_default_catalog
from explorer.core.evidence import Evidence
from explorer.core.suite.load import load_suite
from explorer.resources import resource_path

pytest.importorskip("explorer.sandbox.server", reason="the Sandbox is not in this build")

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "junit" / "junit.xsd"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), ["run", *args])


def _suite(tmp_path: Path, steps: dict[str, dict]) -> Path:  # type: ignore[type-arg]
    root = tmp_path / "checks"
    root.mkdir()
    for name, fields in steps.items():
        document = {"version": 1, "name": name, "method": "GET", "headers": [], **fields}
        (root / f"{name}.request.json").write_text(json.dumps(document, indent=2))
    return root


KEYWORDS = "{{base_url}}/api/v4/keywords/search?searchQuery={{query}}"


def test_smoke_passes_on_the_sandbox_of_a_fresh_install() -> None:
    result = run("smoke", "--env", "sandbox")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    steps = [line for line in lines if line.startswith(("PASS", "FAIL"))]
    assert len(steps) == 23 and all(line.startswith("PASS") for line in steps)
    assert lines[-1] == "23 passed, 0 failed"


def test_smoke_calls_every_documented_v4_endpoint_and_checks_status_and_contract() -> None:
    suite = load_suite(resource_path("suites", "smoke"))
    called = {step.request.operation_id for step in suite.steps}
    documented = {
        e.operation_id
        for e in load_default_catalog().endpoints
        if e.path.startswith("/api/v4/") and e.evidence is Evidence.DOCUMENTED
    }
    assert called == documented
    for step in suite.steps:
        kinds = {a.kind.value for a in step.assertions}
        assert {"status", "contract"} <= kinds, step.id
        assert step.role in ("app", "customer", "pro"), step.id  # portable: no profile names


def test_failures_exit_1_with_the_failing_assertion_in_words(tmp_path: Path) -> None:
    root = _suite(
        tmp_path,
        {
            "1-ok": {"url": KEYWORDS, "assertions": [{"status": 200}]},
            "2-bad": {
                "url": KEYWORDS,
                "assertions": [{"jsonpath": "$.data[0].name", "equals": "Roofing"}],
            },
        },
    )
    result = run(str(root), "--var", "query=plumb")
    assert result.exit_code == 1, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[1].startswith("PASS  1-ok  200 OK")
    assert lines[2].startswith("FAIL  2-bad  200 OK")
    assert lines[3].strip() == '$.data[0].name is "Plumbing"; expected "Roofing"'
    assert lines[-1] == "1 passed, 1 failed"


def test_bail_stops_at_the_first_failure(tmp_path: Path) -> None:
    root = _suite(
        tmp_path,
        {
            "1": {"url": KEYWORDS, "assertions": [{"status": 500}]},
            "2": {"url": KEYWORDS},
        },
    )
    result = run(str(root), "--var", "query=plumb", "--bail")
    assert result.exit_code == 1
    assert "Stopped after 1 of 2 steps." in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "0 passed, 1 failed, 1 not run"


def test_data_rows_and_parallel(tmp_path: Path) -> None:
    root = _suite(
        tmp_path,
        {"k": {"url": KEYWORDS, "assertions": [{"jsonpath": "$.data", "length": {"min": 1}}]}},
    )
    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps([{"query": q} for q in ("plumb", "lawn", "handyman", "zzzz")]))
    result = run(str(root), "--data", str(rows), "--parallel", "4")
    assert result.exit_code == 1, result.output
    assert "1 steps x 4 rows" in result.stdout
    assert "FAIL  k [row 4]" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "3 passed, 1 failed"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["no-such-folder"], "There is no folder 'no-such-folder'"),
        (["smoke", "--env", "mars"], "There is no environment 'mars'"),
        (["smoke", "--profile", "nobody"], "There is no profile 'nobody'"),
        (["smoke", "--parallel", "0"], "--parallel"),
        (["smoke", "--data", "missing.csv"], "no such data file"),
        (["smoke", "--junit", "/no/such/folder/out.xml"], "does not exist"),
    ],
)
def test_usage_errors_exit_2_with_what_to_do(args: list[str], words: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert "Traceback" not in result.output


def test_a_broken_suite_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    root = _suite(tmp_path, {"a": {"url": "/x", "assertions": [{"status": "abc"}, {"x": 1}]}})
    (root / "b.request.json").write_text("[]")
    result = run(str(root))
    assert result.exit_code == 2
    assert "3 problems" in result.output
    assert "assertion 1" in result.output and "assertion 2" in result.output
    assert "b.request.json: the top level is not a JSON object" in result.output


def test_reports_are_written_valid_and_secret_free(tmp_path: Path) -> None:
    root = _suite(
        tmp_path,
        {
            "1-self": {
                "url": "{{base_url}}/api/v4/users/self",
                "as": "customer",
                "assertions": [{"jsonpath": "$.lastName", "equals": "Nobody"}],
            },
            "2-ok": {"url": KEYWORDS.replace("{{query}}", "plumb")},
        },
    )
    junit, html, report = tmp_path / "r.xml", tmp_path / "r.html", tmp_path / "r.json"
    result = run(str(root), "--junit", str(junit), "--html", str(html), "--json", str(report))
    assert result.exit_code == 1, result.output
    assert f"JUnit report: {junit}" in result.stdout and f"HTML report: {html}" in result.stdout
    xmlschema.XMLSchema(SCHEMA).validate(str(junit))
    failure = ET.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None and "Cause:" in (failure.text or "")
    page = html.read_text()
    document = json.loads(report.read_text())
    assert document["failed"] == 1 and document["steps"][0]["profile"].startswith("Sandbox")
    for text in (page, junit.read_text()):
        assert "olivia.young@example.com" not in text and "Young" not in text
        assert "eyJ" not in text and "sandbox-customer-secret" not in text
    assert (junit.stat().st_mode & 0o077) == 0  # the owner's only


def test_redact_masks_customer_data_quoted_in_the_printed_lines(tmp_path: Path) -> None:
    root = _suite(
        tmp_path,
        {
            "self": {
                "url": "{{base_url}}/api/v4/users/self",
                "as": "customer",
                "assertions": [{"jsonpath": "$.email", "equals": "someone@example.com"}],
            }
        },
    )
    plain = run(str(root))
    assert plain.exit_code == 1 and "olivia.young@example.com" in plain.stdout
    masked = run(str(root), "--redact")
    assert masked.exit_code == 1
    assert "olivia.young@example.com" not in masked.stdout
    assert "$.email is" in masked.stdout


def test_a_report_that_cannot_be_written_is_said_and_the_run_still_ends_with_its_count(
    tmp_path: Path,
) -> None:
    root = _suite(tmp_path, {"ok": {"url": KEYWORDS.replace("{{query}}", "plumb")}})
    html = tmp_path / "r.html"
    result = run(str(root), "--json", "/proc/no-reports-here.json", "--html", str(html))
    assert result.exit_code == 1
    assert "The JSON report could not be written to /proc/no-reports-here.json" in result.stderr
    assert html.exists()  # the other report is written
    assert result.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"
