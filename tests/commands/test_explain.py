"""``thumbtack-explorer explain`` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from explorer.cli import build_cli

INVALID_CLIENT = (
    '{"error":"invalid_client","error_description":"Client authentication failed (e.g., '
    'unknown client, no client authentication included, or unsupported authentication method)."}'
)
TOKEN_URL = "https://auth.thumbtack.com/oauth2/token"


@pytest.fixture
def run():
    cli = build_cli(lambda _options: 0)
    runner = CliRunner()

    def invoke(*args: str, stdin: bytes | None = None):
        return runner.invoke(cli, ["explain", *args], input=stdin)

    return invoke


def test_text_output_has_title_cause_numbered_fix_and_link(run):
    result = run("--status", "401", "--body", INVALID_CLIENT, "--url", TOKEN_URL)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.splitlines()[0].startswith("401 Unauthorized")
    assert "invalid_client: the token server does not know this client" in out
    assert "Cause: Client authentication failed" in out
    assert "\n  1. Use the token URL of the same environment" in out
    assert "\n  2. " in out
    assert "Docs: https://developers.thumbtack.com/docs/getting-started/troubleshooting" in out
    assert "unverified" not in out


def test_json_output(run):
    result = run("--status", "401", "--body", INVALID_CLIENT, "--url", TOKEN_URL, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rule_id"] == "invalid-client"
    assert data["status_class"] == "auth_error"
    assert data["severity"] == "error"
    assert data["doc_url"].startswith("https://developers.thumbtack.com/")
    assert isinstance(data["fix"], list) and data["fix"]
    assert data["title"] and data["cause"]
    assert data["label"] == "401 Unauthorized"


def test_inferred_rule_says_unverified(run):
    body = '{"error":"unauthorized_client","error_description":"not allowed to use grant"}'
    result = run("--status", "400", "--body", body, "--url", TOKEN_URL)
    assert result.exit_code == 0
    assert "[unverified" in result.output


def test_body_from_file_and_headers(run, tmp_path):
    body = tmp_path / "body.json"
    body.write_bytes(b'\xef\xbb\xbf{"title":"Too Many Requests"}')
    result = run("--status", "429", "--body", f"@{body}", "--header", "Retry-After: 30", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rule_id"] == "rate-limited"
    assert data["retry_after_s"] == 30.0
    assert "retry_after" in data["actions"]


def test_body_from_stdin(run):
    body = b'{"error":"proxy_oauth_failed","detail":"audience not whitelisted"}'
    result = run("--status", "502", "--body", "-", "--json", stdin=body)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rule_id"] == "proxy-oauth-failed"
    assert data["status_class"] == "setup_error"


def test_html_body_and_unknown_status(run):
    result = run("--status", "418", "--body", '{"foo": 1}')
    assert result.exit_code == 0
    assert "not documented" in result.output
    assert "[unverified" in result.output


def test_network_failure(run):
    result = run("--failure", "dns", "--url", "https://api.thumbtack.co/api/v4/x")
    assert result.exit_code == 0
    assert result.output.startswith("Network: DNS")
    assert "api.thumbtack.co" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "400", "--body", "@/no/such/file.json"], "cannot read the body file"),
        (["--status", "400", "--header", "no colon here"], "is not 'Name: value'"),
        (["--status", "400", "--header", ": empty name"], "is not 'Name: value'"),
        (["--status", "99"], "99 is not in the range 100<=x<=599"),
        ([], "Give --status N"),
        (["--status", "400", "--failure", "gremlins"], "'gremlins' is not one of"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("status", ["400", "401"])
def test_unauthorized_client_from_the_token_server_is_not_an_api_rule(run, status):
    body = (
        '{"error":"unauthorized_client",'
        '"error_description":"not allowed to use grant client_credentials"}'
    )
    result = run("--status", status, "--body", body, "--url", TOKEN_URL, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rule_id"] == "unauthorized-client"


def test_a_status_given_with_a_network_failure_is_said_to_be_ignored(run):
    result = run("--status", "404", "--failure", "dns")
    assert result.exit_code == 0, result.output
    assert "--status 404 is ignored" in result.stderr
    assert result.stdout.startswith("Network: DNS")
    data = json.loads(run("--status", "404", "--failure", "dns", "--json").stdout)
    assert data["rule_id"] == "network-dns" and "ignored" in data["notes"][0]


def test_a_body_that_is_not_json_is_noted(run):
    text = run("--status", "200", "--body", "not json {")
    assert "The body is not valid JSON" in text.stderr
    data = json.loads(run("--status", "200", "--body", "not json {", "--json").stdout)
    assert data["body_is_json"] is False and data["notes"]
    good = json.loads(run("--status", "200", "--body", '{"data": []}', "--json").stdout)
    assert good["body_is_json"] is True and good["notes"] == []
