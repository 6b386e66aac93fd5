"""``call`` against the in-process Sandbox (a real server on 127.0.0.1): history records,
profiles whose environment is the Sandbox, -H headers, --fault, and usage messages."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import build_cli

pytest.importorskip("explorer.sandbox.server", reason="the Sandbox is not in this build")

VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}
SEARCH = ["call", "searchKeywordsV4", "-p", "searchQuery=car"]


def run(args: list[str], input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args, input=input, env=VAULT)


def history(*args: str) -> list[dict]:  # type: ignore[type-arg]
    result = run(["history", "list", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def add_sandbox_profile(name: str, secret: str, *extra: str) -> None:
    result = run(
        [
            "profile", "add", name, "--environment", "sandbox",
            "--client-id", "sandbox-demand-client", "--scope", "demand::keywords.read",
            "--secret-stdin", "--secret-store", "vault", *extra,
        ],
        input=secret + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_every_call_is_recorded_in_the_history_with_its_context(explorer_home: Path) -> None:
    ok = run([*SEARCH, "--json"])
    assert ok.exit_code == 0, ok.output
    failed = run([*SEARCH, "--fault", "not-found"])
    assert failed.exit_code == 1 and "HTTP 404" in failed.stdout
    rows = history("--status", "4xx")
    assert len(rows) == 1
    assert rows[0]["status"] == 404 and rows[0]["operation_id"] == "searchKeywordsV4"
    assert rows[0]["environment"] == "Sandbox (local)" and rows[0]["profile"] == "Sandbox demo"
    assert [r["status"] for r in history()] == [404, 200]
    shown = run(["history", "show", str(rows[0]["id"]), "--json"])
    assert shown.exit_code == 0, shown.output
    assert "Bearer ey" not in shown.output  # the store masked the token
    database = next(explorer_home.rglob("history.sqlite3")).read_bytes()
    assert b"Bearer ey" not in database


def test_no_history_opts_out() -> None:
    assert run([*SEARCH, "--no-history"]).exit_code == 0
    assert history() == []


def test_a_profile_on_the_sandbox_environment_calls_the_in_process_sandbox() -> None:
    add_sandbox_profile("cc1", "sandbox-demand-secret")
    result = run([*SEARCH, "--profile", "cc1", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == 200
    assert history()[0]["profile"] == "cc1"


def test_a_sandbox_profile_uses_its_own_secret() -> None:
    add_sandbox_profile("wrong", "not-the-secret")
    result = run([*SEARCH, "--profile", "wrong"])
    assert result.exit_code == 1
    assert "invalid_client" in result.output and "There is no environment" not in result.output
    rows = history()
    assert rows[0]["status"] == 401 and rows[0]["endpoint"] == "/oauth2/token"
    stored = run(["history", "show", str(rows[0]["id"]), "--json"]).output
    assert "not-the-secret" not in stored


def test_a_sandbox_authorization_code_profile_signs_in_unattended() -> None:
    with socket.socket() as probe:  # a free loopback port for the sign-in redirect
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(
        [
            "profile", "add", "pro", "--environment", "sandbox",
            "--client-id", "sandbox-supply-client", "--flow", "authorization_code",
            "--scope", "supply::users.read", "--scope", "offline_access",
            "--redirect-uri", f"http://127.0.0.1:{port}/callback",
            "--secret-stdin", "--secret-store", "vault",
        ],
        input="sandbox-supply-secret\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    called = run(["call", "GET", "/api/v4/users/self", "--profile", "pro", "--json"])
    assert called.exit_code == 0, called.output
    assert json.loads(called.stdout)["body"]["userID"]


def test_headers_and_faults_reach_the_sandbox() -> None:
    by_header = run([*SEARCH, "-H", "X-Sandbox-Fault: rate-limited", "--json"])
    assert json.loads(by_header.stdout)["status"] == 429
    by_option = run([*SEARCH, "--fault", "token-expired", "--json"])
    data = json.loads(by_option.stdout)
    assert data["status"] == 401 and data["retried"] is True
    bad_header = run([*SEARCH, "-H", "no colon"])
    assert bad_header.exit_code == 2 and "'Name: value'" in bad_header.output


def test_unknown_fault_lists_the_valid_ones() -> None:
    result = run([*SEARCH, "--fault", "explode"])
    assert result.exit_code == 2
    assert "Unknown fault 'explode'" in result.output
    assert "rate-limited" in result.output and "token-expired" in result.output


def test_fault_is_refused_for_a_profile_that_is_not_the_sandbox() -> None:
    added = run(
        [
            "profile", "add", "stage", "--environment", "staging", "--client-id", "c",
            "--scope", "demand::keywords.read", "--no-secret",
        ]
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    result = run([*SEARCH, "--profile", "stage", "--fault", "rate-limited"])
    assert result.exit_code == 2
    assert "--fault works only against the Sandbox" in result.output


def test_an_undeclared_parameter_is_sent_with_a_warning() -> None:
    result = run([*SEARCH, "-p", "foo=1", "--json"])
    assert result.exit_code == 0, result.output
    assert (
        "'foo' is not a parameter of searchKeywordsV4; sent as a query parameter. "
        "Use -H for headers."
    ) in result.stderr
    assert json.loads(result.stdout)["status"] == 200
    declared = run([*SEARCH, "--json"])
    assert "not a parameter" not in declared.stderr


def test_usage_messages_say_what_to_do() -> None:
    method = run(["call", "FOO", "/x"])
    assert method.exit_code == 2
    assert "'FOO' is not an HTTP method; use GET, POST, PUT, PATCH or DELETE" in method.output
    empty = run(["call", "GET", "/x", "--profile", ""])
    assert empty.exit_code == 2 and "--profile needs a profile name" in empty.output
    ghost = run(["call", "GET", "/x", "--profile", "ghost"])
    assert ghost.exit_code == 1
    assert "thumbtack-explorer profile add NAME" in ghost.output
    assert history() == []  # nothing was sent
