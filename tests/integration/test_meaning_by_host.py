"""Meaning by host: a host that is not Thumbtack's (httpbin on 127.0.0.1) gets the HTTP
meaning of every status class, never Thumbtack's, with an exit code that agrees with the
badge; the same statuses from the Sandbox keep Thumbtack's documented meanings."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner, Result

from explorer.cli import build_cli
from explorer.core.catalog import load_default_catalog
from explorer.core.explain import ExplanationEngine
from explorer.core.http import make_client, send
from explorer.core.models import RequestSpec, StatusClass
from explorer.core.status import classify

pytestmark = pytest.mark.integration


def cli(*args: str) -> Result:
    result = CliRunner().invoke(build_cli(lambda o: 0), [*args])
    # the explanation is wrapped for a terminal: compare words, not line breaks
    result.flat = " ".join(result.output.split())  # type: ignore[attr-defined]
    return result


def call(*args: str) -> Result:
    return cli("call", *args, "--no-history")


# status, extra arguments, exit code, words the explanation must contain
CASES = [
    (200, (), 0, "OK: the request succeeded"),
    (201, (), 0, "Created"),
    (202, (), 0, "Accepted: the request was accepted for processing"),
    (204, (), 0, "No Content"),
    (301, (), 1, "Moved Permanently"),
    (302, (), 1, "Found"),
    (400, (), 1, "Bad Request"),
    (403, (), 1, "Forbidden: the server understood the request and refuses it"),
    (404, (), 1, "Not Found"),
    (418, (), 1, "418"),
    (429, (), 1, "Too Many Requests"),
    (451, (), 1, "Unavailable For Legal Reasons"),
    (500, (), 1, "Internal Server Error"),
    (502, (), 1, "Bad Gateway"),
    (503, (), 1, "Service Unavailable"),
]


@pytest.mark.parametrize(("status", "extra", "code", "words"), CASES, ids=[c[0] for c in CASES])
def test_every_status_class_on_another_host_has_its_http_meaning(
    httpbin_url: str, status: int, extra: tuple[str, ...], code: int, words: str
) -> None:
    result = call("GET", f"{httpbin_url}/status/{status}", *extra)
    assert result.exit_code == code, result.output
    assert "thumbtack" not in result.output.lower()
    assert words in result.flat  # type: ignore[attr-defined]
    assert f"HTTP {status}" in result.output


def test_informational_status_from_another_host() -> None:
    engine = ExplanationEngine.from_resources()
    explanation = engine.explain_parts(103, b"", (), "http://127.0.0.1:9/x")
    assert explanation.rule_id == "http-informational"
    assert "thumbtack" not in json.dumps(explanation.to_dict()).lower()


def test_401_names_the_servers_scheme(httpbin_url: str) -> None:
    result = call("GET", f"{httpbin_url}/basic-auth/ann/pw")
    assert result.exit_code == 1
    assert 'WWW-Authenticate: Basic (realm "Fake Realm")' in result.flat  # type: ignore[attr-defined]
    assert "not a Thumbtack token" not in result.output
    assert "thumbtack" not in result.output.lower()
    bearer = call("GET", f"{httpbin_url}/bearer")
    assert "WWW-Authenticate: Bearer" in bearer.flat  # type: ignore[attr-defined]


def test_a_conditional_get_answered_304_is_a_success(httpbin_url: str) -> None:
    result = call("GET", f"{httpbin_url}/cache", "-H", "If-None-Match: anything")
    assert result.exit_code == 0, result.output
    assert "HTTP 304" in result.output
    assert "Not Modified: the copy the request named (If-None-Match) is still current" in (
        result.flat  # type: ignore[attr-defined]
    )
    assert "no Location" not in result.output


def test_a_redirect_names_its_location(httpbin_url: str) -> None:
    result = call("GET", f"{httpbin_url}/redirect-to?url=/get&status_code=307")
    assert result.exit_code == 1
    assert "the answer is at /get" in result.flat  # type: ignore[attr-defined]


def test_complete_ndjson_is_not_cut_off(httpbin_url: str) -> None:
    # httpbin streams /stream/N as one JSON document per line
    with make_client() as client:
        record = send(RequestSpec(method="GET", url=f"{httpbin_url}/stream/3"), client=client)
    explanation = ExplanationEngine.from_resources().explain(record)
    assert explanation.rule_id == "http-success", explanation
    assert "cut off" not in explanation.cause
    result = call("GET", f"{httpbin_url}/stream/3")
    assert result.exit_code == 0
    assert "cut off" not in result.output


def test_the_json_output_carries_the_http_meaning(httpbin_url: str) -> None:
    result = call("GET", f"{httpbin_url}/status/202", "--json")
    data = json.loads(result.output)
    assert result.exit_code == 0
    assert data["explanation"]["source"] == "http"
    assert data["explanation"]["doc_url"] == "https://httpwg.org/specs/rfc9110.html#status.202"


def test_explain_url_of_another_host() -> None:
    result = cli("explain", "--status", "403", "--url", "https://api.github.com/repos/x/y")
    assert result.exit_code == 0
    assert "thumbtack" not in result.output.lower()
    assert "Forbidden: the server understood the request and refuses it" in result.flat  # type: ignore[attr-defined]
    challenge = cli("explain", "--status", "202", "--url", "https://api.github.com/x")
    assert "Accepted" in challenge.output and "thumbtack" not in challenge.output.lower()


def test_explain_url_of_a_thumbtack_host_keeps_its_meaning() -> None:
    result = cli("explain", "--status", "202", "--url", "https://api.thumbtack.com/api/v4/x")
    assert "firewall" in result.output
    marked = cli("explain", "--status", "202", "--url", "https://proxy.example/x", "--thumbtack")
    assert "firewall" in marked.output


def _sandbox(fault: str) -> Result:
    return call("GET", "/api/v4/keywords/search", "-p", "searchQuery=car", "--fault", fault)


@pytest.mark.parametrize(
    ("fault", "code", "words"),
    [
        ("waf-challenge", 1, "firewall"),
        ("blocked-client", 1, "Thumbtack"),
        ("server-error", 1, "Thumbtack"),
        ("rate-limited", 1, "Rate limited"),
    ],
)
def test_the_sandbox_keeps_thumbtacks_meanings(fault: str, code: int, words: str) -> None:
    result = _sandbox(fault)
    assert result.exit_code == code, result.output
    assert words in result.flat  # type: ignore[attr-defined]


def test_the_sandbox_200_is_thumbtacks_ok() -> None:
    result = _sandbox("latency=1")
    assert result.exit_code == 0, result.output
    assert "Rule: ok (success)" in result.output


def test_a_description_documents_the_status_of_its_operation(httpbin_url: str) -> None:
    endpoint = next(iter(load_default_catalog().endpoints))
    documented = {**endpoint.responses, "418": {"description": "The pot is a teapot."}}
    endpoint = replace(endpoint, responses=documented)
    with make_client() as client:
        record = send(RequestSpec(method="GET", url=f"{httpbin_url}/status/418"), client=client)
    explanation = ExplanationEngine.from_resources().explain(record, endpoint=endpoint)
    assert classify(record).status_class is StatusClass.CLIENT_ERROR
    assert "The API description documents this answer" in explanation.cause
    assert "“The pot is a teapot”" in explanation.cause
