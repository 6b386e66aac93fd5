"""``call --redact``: secrets and personal data masked in everything printed; without it,
credential headers are still masked but bodies are printed as received. Real servers on
127.0.0.1 (oauth2-mock-server for tokens, a local API answering with customer data)."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from helpers import scripted_session as s
from helpers.servers import local_server, reply
from oauth_server import MockOAuthServer, oauth_mock_server

from explorer.cli import build_cli
from explorer.core.redact import MASK

VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}
SECRET = "cli-secret-Zq81xW5vLr"
COOKIE = "sid=ck_4Fh8Jw2Lq9Zt"


def run(args: list[str], input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args, input=input, env=VAULT)


@pytest.fixture(scope="module")
def oauth() -> Iterator[MockOAuthServer]:
    with oauth_mock_server(clients={"cli-client": SECRET}) as server:
        yield server


def customer_api(h: http.server.BaseHTTPRequestHandler) -> None:
    """The NegotiationV4 example, echoing the caller's token and the client secret."""
    body = dict(s.NEGOTIATION)
    body["echo"] = {"authorization": h.headers.get("Authorization"), "note": f"was {SECRET}"}
    reply(200, json.dumps(body).encode(), headers={"Set-Cookie": COOKIE})(h)


def cookie_of(data: dict) -> str:  # type: ignore[type-arg]
    return str({k.lower(): v for k, v in data["headers"].items()}["set-cookie"])


def call(oauth: MockOAuthServer, *extra: str, handler=customer_api):  # type: ignore[no-untyped-def]
    with local_server(handler) as api:
        added = run(
            [
                "profile", "add", "local", "--environment", "local-api",
                "--client-id", "cli-client", "--scope", "demand::keywords.read",
                "--api-base", f"{api.url}/api/", "--token-url", oauth.token_url, "--thumbtack",
                "--secret-stdin", "--secret-store", "vault",
            ],
            input=SECRET + "\n",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
        result = run(["call", "GET", "/api/v4/keywords/search", "--profile", "local", *extra])
    token = api.requests[0][2]["Authorization"].split(" ", 1)[1]
    return result, token


def test_redact_masks_secrets_and_personal_data_everywhere(oauth: MockOAuthServer) -> None:
    result, token = call(oauth, "--redact")
    assert result.exit_code == 0, result.output
    out = result.output
    assert result.stdout.startswith("HTTP 200")
    for value in (token, SECRET, "ck_4Fh8Jw2Lq9Zt", *s.PERSONAL):
        assert value not in out, value
    assert MASK in out
    assert "Acme Junk Removal" in out and "Lake Worth" in out  # the rest stays readable


def test_redact_with_json_output(oauth: MockOAuthServer) -> None:
    result, token = call(oauth, "--redact", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    customer = data["body"]["data"]["customer"]
    assert customer["lastName"] == MASK and customer["phone"] == MASK
    assert data["body"]["echo"]["authorization"] in (MASK, f"Bearer {MASK}")
    cookie = cookie_of(data)
    assert cookie.startswith("sid=") and MASK in cookie
    assert token not in result.output and SECRET not in result.output


def test_without_redact_bodies_are_as_received_but_secrets_masked(
    oauth: MockOAuthServer,
) -> None:
    result, token = call(oauth, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["body"]["data"]["customer"]["lastName"] == s.LAST_NAME  # personal data shown
    assert data["body"]["echo"]["authorization"] in (MASK, f"Bearer {MASK}")  # the token is not
    assert data["body"]["echo"]["note"] == f"was {MASK}"  # nor the client secret
    assert token not in result.output and SECRET not in result.output
    assert cookie_of(data).startswith("sid=") and "ck_4Fh8Jw2Lq9Zt" not in cookie_of(data)
    text, token = call(oauth)
    assert s.EMAIL in text.output
    assert "ck_4Fh8Jw2Lq9Zt" not in text.output
    assert token not in text.output and SECRET not in text.output


def echo_token_in_problem(h: http.server.BaseHTTPRequestHandler) -> None:
    """A gateway that quotes the caller's token in a 401 problem body."""
    token = (h.headers.get("Authorization") or "").partition(" ")[2]
    body = {"title": "Unauthorized", "status": 401, "detail": f"token {token} is not valid here"}
    reply(401, json.dumps(body).encode(), content_type="application/problem+json")(h)


@pytest.mark.parametrize("extra", [(), ("--json",), ("--redact",), ("--redact", "--json")])
def test_a_token_quoted_in_an_error_body_is_masked_in_body_and_explanation(
    oauth: MockOAuthServer, extra: tuple[str, ...]
) -> None:
    result, token = call(oauth, *extra, handler=echo_token_in_problem)
    assert result.exit_code == 1, result.output
    assert "401" in result.output and "invalid auth key" in result.output  # still explained
    assert len(token) > 300  # long enough that the explanation's excerpt cuts it
    for piece in (token, token[:80], token.split(".")[1][:40]):
        assert piece not in result.output
