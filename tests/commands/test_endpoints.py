"""``thumbtack-explorer endpoints`` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from explorer.commands.endpoints import command


def test_table_lists_every_endpoint_with_unverified_marker() -> None:
    result = CliRunner().invoke(command, [], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["METHOD", "PATH", "OPERATION", "SECTION"]
    send = next(line for line in lines if "sendMessageV4" in line)
    assert "POST" in send and "authorization_code: supply::messages.write" in send
    assert "unverified" in next(line for line in lines if "createOrderV4" in line)
    assert "unverified" not in send
    assert "43 endpoints from Thumbtack Partner API 4.0.0" in result.output


def test_json_for_one_section_ignores_case() -> None:
    result = CliRunner().invoke(command, ["--section", "messages", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["operation_id"] for row in rows] == ["listMessagesV4", "sendMessageV4"]
    assert rows[1]["flows"] == ["authorization_code"] and rows[1]["inferred"] is False


def test_unknown_section_lists_the_valid_ones() -> None:
    result = CliRunner().invoke(command, ["--section", "Widgets"])
    assert result.exit_code == 2
    assert "There is no section 'Widgets'" in result.output
    assert "Businesses Search" in result.output and "On-Demand Orders" in result.output


def test_other_description_and_broken_file(tmp_path: Path) -> None:
    good = tmp_path / "api.json"
    good.write_text(
        json.dumps(
            {
                "openapi": "3.0.3",
                "info": {"title": "Tiny", "version": "1"},
                "paths": {"/ping": {"get": {"responses": {"200": {"description": "pong"}}}}},
            }
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(command, ["--spec", str(good), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["operation_id"] == "getPing"
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [\n", encoding="utf-8")
    result = CliRunner().invoke(command, ["--spec", str(broken)])
    assert result.exit_code == 1
    assert f"{broken} at line 3, column 1" in result.output
    assert "Traceback" not in result.output


def test_table_fits_the_terminal_and_json_is_never_cut() -> None:
    for columns in (80, 120):
        result = CliRunner().invoke(command, [], env={"COLUMNS": str(columns)})
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert max(len(line) for line in lines) <= columns
        assert "…" in result.output and "searchKeywordsV4" in result.output
    rows = json.loads(CliRunner().invoke(command, ["--json"], env={"COLUMNS": "80"}).output)
    send = next(row for row in rows if row["operation_id"] == "sendMessageV4")
    assert "supply::messages.write" in send["scopes"] and "…" not in json.dumps(rows)
