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


DATA = Path(__file__).resolve().parents[1] / "core" / "data"


def test_import_har_previews_then_writes_without_secrets(tmp_path: Path) -> None:
    har = str(DATA / "har" / "chromium-partner-page.har")
    preview = _run("import", "har", har, "--into", str(tmp_path), "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert "HAR 1.2" in preview.output and "Nothing was written" in preview.output
    assert not list(tmp_path.rglob("*.request.json"))
    result = _run("import", "har", har, "--into", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Created 3 saved requests" in result.output
    assert "c2lnbmF0dXJlLXZhbHVl" not in result.output
    files = list(tmp_path.rglob("*.request.json"))
    assert len(files) == 3
    assert all("c2lnbmF0dXJlLXZhbHVl" not in f.read_text() for f in files)


def test_import_postman_with_environment_then_export_it_back(tmp_path: Path) -> None:
    collection = str(DATA / "postman" / "thumbtack-partner.postman_collection.json")
    environment = str(DATA / "postman" / "staging.postman_environment.json")
    result = _run(
        "import",
        "postman",
        collection,
        "--environment",
        environment,
        "--into",
        str(tmp_path),
        "--under",
        "Partner",
    )
    assert result.exit_code == 0, result.output
    assert "pre-request script" in result.output and "staging-token" not in result.output
    out = tmp_path / "partner.postman_collection.json"
    exported = _run("export", "postman", str(tmp_path / "Partner"), "-o", str(out))
    assert exported.exit_code == 0, exported.output
    document = json.loads(out.read_text())
    assert document["info"]["schema"].endswith("v2.1.0/collection.json")
    assert {"key": "baseUrl", "value": "https://staging-api.thumbtack.com", "type": "string"} in (
        document["variable"]
    )
    har = _run("export", "har", str(tmp_path / "Partner"))
    assert har.exit_code == 0 and json.loads(har.output)["log"]["version"] == "1.2"
    script = _run("export", "curl", str(tmp_path / "Partner"))
    assert script.exit_code == 0
    assert "curl https://staging-api.thumbtack.com/upload" in script.output
    assert '"Authorization: Bearer $THUMBTACK_ACCESS_TOKEN"' in script.output


def test_import_suite_copies_another_folder(tmp_path: Path) -> None:
    source, target = tmp_path / "theirs", tmp_path / "mine"
    assert _run("import", "curl", PASTED, "--save", "Send hi", "--into", str(source)).exit_code == 0
    result = _run("import", "suite", str(source), "--into", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "Send hi.request.json").is_file()
    again = _run("import", "suite", str(source), "--into", str(target))
    assert again.exit_code == 0 and (target / "Send hi (2).request.json").is_file()


def test_import_errors_are_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.har"
    bad.write_text("{}")
    result = _run("import", "har", str(bad), "--into", str(tmp_path))
    assert result.exit_code == 1 and "no log.entries" in result.output
    assert "Traceback" not in result.output
    missing = _run("import", "postman", str(tmp_path / "none.json"), "--into", str(tmp_path))
    assert missing.exit_code == 1 and "cannot be read" in missing.output
    empty = _run("export", "postman", str(tmp_path / "nothing"))
    assert empty.exit_code == 1 and "not a folder" in empty.output


def test_import_curl_prints_code_in_another_language() -> None:
    result = _run("import", "curl", PASTED, "--to", "go")
    assert result.exit_code == 0, result.output
    assert "package main" in result.output
    assert 'os.Getenv("THUMBTACK_ACCESS_TOKEN")' in result.output and TOKEN not in result.output
    wrong = _run("import", "curl", PASTED, "--to", "cobol")
    assert wrong.exit_code == 2 and "python-requests" in wrong.output
