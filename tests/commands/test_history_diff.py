"""``thumbtack-explorer history diff A B``: real exchanges with the Sandbox over sockets,
stored in a real SQLite history, compared from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import scripted_session as s

from explorer.cli import build_cli
from explorer.core.history import HistoryStore
from explorer.core.models import RequestSpec, ResponseRecord

pytest.importorskip("explorer.sandbox.server", reason="the Sandbox is not in this build")

VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}


def run(*args: str) -> Result:
    return CliRunner().invoke(build_cli(lambda _o: 0), list(args), env=VAULT)


def call_sandbox(query: str) -> int:
    result = run("call", "searchKeywordsV4", "-p", f"searchQuery={query}", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(run("history", "list", "--json", "--limit", "1").stdout)
    return int(rows[0]["id"])


def store_pair(
    a: object, b: object, *, environments: tuple[str, str] = ("Sandbox", "staging")
) -> list[int]:
    spec = RequestSpec(method="GET", url="https://api.example/api/v4/negotiations")
    ids = []
    with HistoryStore.open() as store:
        for body, environment in zip((a, b), environments, strict=True):
            record = ResponseRecord(
                request=spec,
                status=200,
                reason="OK",
                headers=(("Content-Type", "application/json"),),
                body=json.dumps(body).encode(),
            )
            ids.append(store.add(record, environment=environment, known_secrets=s.KNOWN_SECRETS))
    return ids


def test_the_same_sandbox_call_twice_is_the_same_and_another_query_differs() -> None:
    first = call_sandbox("car")
    again = call_sandbox("car")
    other = call_sandbox("plumbing")
    same = run("history", "diff", str(first), str(again))
    assert same.exit_code == 0, same.output
    assert same.output.splitlines()[0].startswith(f"A: #{first}  GET ")
    assert "No differences" in same.output
    differ = run("history", "diff", str(first), str(other))
    assert differ.exit_code == 1, differ.output
    assert "~ changed" in differ.output or "+ added" in differ.output
    assert "differences:" in differ.output.splitlines()[-1]


def test_reordered_objects_and_volatile_fields_on_a_stored_pair() -> None:
    a = {
        "traceID": "t-1",
        "data": [
            {"negotiationID": "N1", "status": "active", "createdTime": "2026-12-01"},
            {"negotiationID": "N2", "status": "active", "createdTime": "2026-12-02"},
        ],
    }
    b = {
        "traceID": "t-2",
        "data": [
            {"negotiationID": "N2", "status": "closed", "createdTime": "2026-12-09"},
            {"negotiationID": "N1", "status": "active", "createdTime": "2026-12-09"},
        ],
    }
    first, second = store_pair(a, b)
    result = run("history", "diff", str(first), str(second))
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert '~ changed  body.data[negotiationID=N2].status: "active" → "closed"' in lines
    assert "[staging]" in lines[1]
    assert "Arrays matched by id: body.data by negotiationID" in lines
    assert lines[-1] == "1 difference: 1 changed; 3 in volatile fields ignored."
    quiet = run("history", "diff", str(first), str(second), "--ignore", "status")
    assert quiet.exit_code == 0 and "No differences" in quiet.output
    loud = run("history", "diff", str(first), str(second), "--keep-volatile", "--json")
    assert loud.exit_code == 1
    document = json.loads(loud.stdout)
    assert document["same"] is False and document["a"]["environment"] == "Sandbox"
    assert {c["path"] for c in document["changes"]} == {
        "body.traceID",
        "body.data[negotiationID=N1].createdTime",
        "body.data[negotiationID=N2].createdTime",
        "body.data[negotiationID=N2].status",
    }
    assert document["keyed_arrays"] == {"body.data": "negotiationID"}


def test_id_keys_and_json_of_a_same_pair() -> None:
    first, second = store_pair(
        {"rows": [{"sku": "a", "n": 1}, {"sku": "b", "n": 2}]},
        {"rows": [{"sku": "b", "n": 2}, {"sku": "a", "n": 1}]},
    )
    assert run("history", "diff", str(first), str(second)).exit_code == 1
    keyed = run("history", "diff", str(first), str(second), "--id-key", "sku", "--json")
    assert keyed.exit_code == 0, keyed.output
    assert json.loads(keyed.stdout)["same"] is True


def test_usage_errors_exit_2_without_a_traceback() -> None:
    first, _second = store_pair({"a": 1}, {"a": 2})
    unknown = run("history", "diff", str(first), "999")
    assert unknown.exit_code == 2
    assert "There is no exchange 999 in the history" in unknown.output
    bad = run("history", "diff", str(first), str(first), "--ignore", "trace ID")
    assert bad.exit_code == 2 and "has a space in it" in bad.output
    missing = run("history", "diff", str(first))
    assert missing.exit_code == 2 and "Missing argument 'B'" in missing.output
    for result in (unknown, bad, missing):
        assert "Traceback" not in result.output


def test_a_damaged_saved_rules_file_warns_and_uses_the_defaults(explorer_home: Path) -> None:
    first, second = store_pair({"traceID": "x"}, {"traceID": "y"})
    config = explorer_home / "config"
    config.mkdir(exist_ok=True)
    (config / "diff.json").write_text("{not json")
    result = run("history", "diff", str(first), str(second))
    assert result.exit_code == 0, result.output
    assert "Warning:" in result.stderr and "default diff rules" in result.stderr


def test_secrets_stay_masked_in_the_diff(explorer_home: Path) -> None:
    ids = []
    with HistoryStore.open() as store:
        for record in (s.token_exchange(), s.negotiation_exchange()):
            ids.append(store.add(record, environment="Sandbox", known_secrets=s.KNOWN_SECRETS))
    for args in ((), ("--json",), ("--keep-volatile", "--json")):
        result = run("history", "diff", str(ids[0]), str(ids[1]), *args)
        assert result.exit_code == 1, result.output
        assert s.leaks(result.output.encode(), s.SECRETS) == []


def test_exit_status_of_a_real_process(explorer_home: Path) -> None:
    first, second = store_pair({"a": 1}, {"a": 2})
    env = {"THUMBTACK_EXPLORER_HOME": str(explorer_home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "history", "diff", str(first), str(second)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "~ changed  body.a: 1 → 2" in done.stdout
