"""``thumbtack-explorer endpoints`` through click's runner, a pipe and a terminal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
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


def _env_without_columns() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}


def _assert_whole(output: str) -> None:
    lines = output.splitlines()
    assert "…" not in output
    assert max(len(line) for line in lines) > 120  # the longest rows are not cut at 120
    rows = json.loads(CliRunner().invoke(command, ["--json"]).output)
    for row in rows:  # every row carries its path and its scopes in full
        line = next(line for line in lines if f" {row['operation_id']} " in line)
        auth = ": ".join(p for p in ("+".join(row["flows"]), " ".join(row["scopes"])) if p)
        assert row["path"] in line and line.rstrip().endswith(auth or "-")
    assert lines[-1].startswith("43 endpoints from Thumbtack Partner API 4.0.0; ")
    assert lines[-1].endswith("(inferred, check the API reference)")  # the footer is one line


def test_piped_output_is_never_cut_unless_columns_is_set() -> None:
    # CliRunner's output is not a terminal, as with `| grep` or `> file`.
    result = CliRunner().invoke(command, [], env={"COLUMNS": None})
    assert result.exit_code == 0, result.output
    _assert_whole(result.output)
    narrow = CliRunner().invoke(command, [], env={"COLUMNS": "100"})
    assert max(len(line) for line in narrow.output.splitlines()) <= 100
    assert "…" in narrow.output


def test_a_real_pipe_gets_whole_lines() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "explorer", "endpoints"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env_without_columns(),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    _assert_whole(proc.stdout)


def test_a_terminal_gets_a_table_that_fits_its_width() -> None:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 90, 0, 0))
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "explorer", "endpoints"],
            stdin=subprocess.DEVNULL,
            stdout=terminal,
            stderr=subprocess.PIPE,
            env=_env_without_columns(),
        )
    finally:
        os.close(terminal)
    chunks: list[bytes] = []
    try:
        while chunk := os.read(controller, 65536):
            chunks.append(chunk)
    except OSError:  # EIO: the program closed the terminal
        pass
    finally:
        os.close(controller)
    assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    lines = b"".join(chunks).decode("utf-8").replace("\r\n", "\n").splitlines()
    assert any("sendMessageV4" in line for line in lines)
    assert max(len(line) for line in lines) <= 90
    assert any("…" in line for line in lines)
