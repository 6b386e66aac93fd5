"""``call``: token handling, output, --json and exit codes, against real local servers."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from helpers.servers import LocalServer, local_server, reply
from oauth_server import MockOAuthServer, oauth_mock_server

from explorer.cli import build_cli

VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}


def run(args: list[str], input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args, input=input, env=VAULT)


@pytest.fixture(scope="module")
def oauth() -> Iterator[MockOAuthServer]:
    with oauth_mock_server(clients={"cli-client": "cli-secret"}) as server:
        yield server


def add_profile(oauth: MockOAuthServer, api: LocalServer, secret: str = "cli-secret") -> None:
    result = run(
        [
            "profile",
            "add",
            "local",
            "--environment",
            "local-api",
            "--client-id",
            "cli-client",
            "--scope",
            "demand::keywords.read",
            "--api-base",
            f"{api.url}/api/",
            "--token-url",
            oauth.token_url,
            "--secret-stdin",
            "--secret-store",
            "vault",
        ],
        input=secret + "\n",
    )
    assert result.exit_code == 0, result.output


def test_call_json_gets_a_token_and_prints_one_object(oauth: MockOAuthServer) -> None:
    with local_server(reply(200, b'{"data":[{"keywordID":"1","name":"Carpet Cleaning"}]}')) as api:
        add_profile(oauth, api)
        result = run(
            [
                "call",
                "GET",
                "/api/v4/keywords/search",
                "--profile",
                "local",
                "-p",
                "searchQuery=car",
                "--json",
            ]
        )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["status"] == 200
    assert data["body"]["data"][0]["name"] == "Carpet Cleaning"
    assert {"headers", "elapsed_ms", "explanation"} <= set(data)
    method, path, headers, _ = api.requests[0]
    assert (method, path) == ("GET", "/api/v4/keywords/search?searchQuery=car")
    assert headers["Authorization"].startswith("Bearer ey")


def test_http_error_exits_1_and_prints_status(oauth: MockOAuthServer) -> None:
    problem = b'{"type":"about:blank","title":"Not Found","status":404,"detail":"no such"}'
    with local_server(reply(404, problem, "application/problem+json")) as api:
        add_profile(oauth, api)
        result = run(["call", "GET /api/v4/businesses/1", "--profile", "local"])
    assert result.exit_code == 1
    assert "HTTP 404" in result.output and '"detail": "no such"' in result.output


def test_wrong_secret_shows_the_token_servers_answer(oauth: MockOAuthServer) -> None:
    with local_server(reply(200, b"{}")) as api:
        add_profile(oauth, api, secret="wrong")
        result = run(["call", "GET", "/api/v4/keywords/search", "--profile", "local", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["status"] == 401 and data["body"]["error"] == "invalid_client"
    assert api.requests == []  # nothing was sent without a token


def test_usage_errors_exit_2(oauth: MockOAuthServer) -> None:
    with local_server(reply(200, b"{}")) as api:
        add_profile(oauth, api)
        bad_param = run(["call", "GET", "/api/v4/x", "--profile", "local", "-p", "novalue"])
        bad_body = run(["call", "POST", "/api/v4/x", "--profile", "local", "--body", "{nope"])
        missing = run(["call", "GET", "/api/v4/x", "--profile", "local", "--body", "@/no/such"])
    assert bad_param.exit_code == 2 and "NAME=VALUE" in bad_param.output
    assert bad_body.exit_code == 2 and "not valid JSON" in bad_body.output
    assert missing.exit_code == 2 and "Cannot read the body file" in missing.output
    unknown = run(["call", "GET", "/x", "--profile", "nobody"])
    assert unknown.exit_code == 1 and "no profile named 'nobody'" in unknown.output


def test_default_profile_is_the_sandbox_demo() -> None:
    pytest.importorskip("explorer.sandbox.server", reason="the Sandbox is not in this build")
    result = run(["call", "GET", "/api/v4/keywords/search", "-p", "searchQuery=car", "--json"])
    data = json.loads(result.output)
    assert data["status"] == 200, result.output
