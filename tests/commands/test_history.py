"""``thumbtack-explorer history``: list, show, export and prune from the command line."""

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
from explorer.core.redact import MASK
from explorer.paths import AppPaths


def run(*args: str) -> Result:
    return CliRunner().invoke(build_cli(lambda _options: 0), ["history", *args])


@pytest.fixture
def ids() -> list[int]:
    with HistoryStore.open() as store:
        return [
            store.add(
                record,
                environment="Sandbox",
                explanation={"title": "Token expired", "fix": ["Refresh it"]},
                known_secrets=s.KNOWN_SECRETS,
            )
            for record in s.all_exchanges()
        ]


def test_list_table_and_filters(ids: list[int]) -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3
    assert "401" in lines[0]
    assert "listBusinessesV4" in lines[0]
    assert "[Sandbox]" in lines[0]
    assert run("list", "--status", "4xx").output.count("\n") == 1
    assert "getNegotiationV4" in run("list", "--search", "Lake Worth").output
    assert "No exchanges match." in run("list", "--endpoint", "nothing").output


def test_list_json(ids: list[int]) -> None:
    result = run("list", "--json", "--limit", "2")
    rows = json.loads(result.output)
    assert [row["id"] for row in rows] == [ids[2], ids[1]]
    assert rows[0]["status"] == 401


@pytest.mark.parametrize("status", ["teapot", "7xx", "0xx", "600", "42"])
def test_bad_status_says_what_to_use(ids: list[int], status: str) -> None:
    result = run("list", "--status", status)
    assert result.exit_code == 2
    assert f"Invalid value for '--status': '{status}' is not a status" in result.output
    assert "a code from 100 to 599 (e.g. 404), a class from 1xx to 5xx (e.g. 4xx), or 'none'" in (
        result.output
    )
    assert "No exchanges match" not in result.output and "Traceback" not in result.output


def test_every_accepted_status_form_filters(ids: list[int]) -> None:
    for status in ("401", "4XX", "5xx", "none", "NONE"):
        assert run("list", "--status", status).exit_code == 0, status


def test_show_is_redacted(ids: list[int]) -> None:
    result = run("show", str(ids[0]))
    assert result.exit_code == 0, result.output
    assert f"> Authorization: Basic {MASK}" in result.output
    assert "< 200 OK" in result.output
    assert "Explanation: Token expired" in result.output
    assert s.leaks(result.output.encode(), s.SECRETS) == []
    shown = json.loads(run("show", str(ids[1]), "--json").output)
    assert shown["request"]["operation_id"] == "getNegotiationV4"
    assert shown["environment"] == "Sandbox"


def test_show_unknown_id(ids: list[int]) -> None:
    result = run("show", "999")
    assert result.exit_code == 1
    assert "no exchange 999" in result.output
    assert "history list" in result.output


@pytest.mark.parametrize("fmt", ["har", "json", "md"])
def test_export(ids: list[int], tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"bundle.{fmt}"
    result = run("export", str(ids[1]), "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    raw = target.read_bytes()
    assert s.leaks(raw, s.SECRETS + s.PERSONAL) == []
    assert b"getNegotiationV4" in raw


def test_export_to_an_unwritable_place(ids: list[int], tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    (folder / "x.har").mkdir()
    result = run("export", str(ids[0]), "-o", str(folder / "x.har"))
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_prune(ids: list[int]) -> None:
    result = run("prune", "--keep", "1")
    assert result.exit_code == 0, result.output
    assert "Removed 2 exchange(s); 1 left." in result.output
    result = run("prune", "--max-entries", "10", "--max-mb", "5")
    assert "Limits: 10 exchanges, 5 MB." in result.output


def test_damaged_history_is_reported(explorer_home: Path) -> None:
    path = AppPaths.from_environment().data / "history.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage" * 300)
    result = CliRunner().invoke(build_cli(lambda _options: 0), ["history", "list"])
    assert result.exit_code == 0
    assert "set aside" in result.output
    assert "No exchanges match." in result.output


def test_nothing_secret_anywhere_under_home(ids: list[int], explorer_home: Path) -> None:
    for fmt in ("har", "md"):
        run("export", str(ids[0]), "--format", fmt, "-o", str(explorer_home / f"b.{fmt}"))
    raw = b"".join(p.read_bytes() for p in explorer_home.rglob("*") if p.is_file())
    assert s.leaks(raw, s.SECRETS) == []


def test_the_installed_command_runs(ids: list[int]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "history", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3
