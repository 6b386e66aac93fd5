"""``thumbtack-explorer import curl``: the request, its operation, notes; never a secret."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from explorer.cli import build_cli

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXJ0bmVyIn0.c2lnbmF0dXJl"
PASTED = (
    "curl -X POST https://api.thumbtack.com/api/v4/negotiations/5/messages "
    f"-H 'Authorization: Bearer {TOKEN}' --json '{{\"text\":\"hi\"}}'"
)


def _run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda _o: 0), list(args), input=stdin)


def test_import_curl_names_the_operation_and_hides_the_token() -> None:
    result = _run("import", "curl", PASTED)
    assert result.exit_code == 0, result.output
    assert "Operation: sendMessageV4" in result.output
    assert "path parameter negotiationID = 5" in result.output
    assert "Authorization: Bearer {{access_token}}" in result.output
    assert TOKEN not in result.output


def test_import_curl_reads_stdin_and_prints_json() -> None:
    result = _run("import", "curl", "-", "--json", stdin=PASTED)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["operation_id"] == "sendMessageV4"
    assert document["request"]["body"] == '{"text":"hi"}'
    assert document["secrets"] == [{"name": "access_token", "where": "the Authorization header"}]
    assert TOKEN not in result.output


def test_import_curl_saves_without_the_secret(tmp_path: Path) -> None:
    result = _run("import", "curl", PASTED, "--save", "Send hi", "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    saved = tmp_path / "Send hi.request.json"
    document = json.loads(saved.read_text())
    assert document["operation_id"] == "sendMessageV4"
    assert TOKEN not in saved.read_text()
    again = _run("import", "curl", PASTED, "--save", "Send hi", "--into", str(tmp_path))
    assert again.exit_code == 1 and "already exists" in again.output


def test_a_malformed_command_is_one_clear_line() -> None:
    result = _run("import", "curl", "curl 'https://x")
    assert result.exit_code == 1
    assert "unclosed ' quote" in result.output and "Traceback" not in result.output
