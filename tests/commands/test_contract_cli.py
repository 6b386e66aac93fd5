"""The contract verdict in the CLI: ``verify``, ``call --contract`` and the history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import build_cli

DATA = Path(__file__).resolve().parents[1] / "data" / "openapi"
PETSTORE = str(DATA / "swagger-petstore-3.1.yaml")
VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}


def run(args: list[str], input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args, input=input, env=VAULT)


def verify(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return run(["verify", "--spec", PETSTORE, *args], input=input)


def test_verify_a_conforming_response_exits_0_with_the_verdict_as_json() -> None:
    body = json.dumps({"id": 7, "name": "Rex", "photoUrls": []})
    result = verify("GET", "/pet/7", "--status", "200", "--body", body, "--json")
    assert result.exit_code == 0, result.output
    contract = json.loads(result.stdout)["contract"]
    assert contract["verdict"] == "conforms" and contract["problems"] == []
    assert contract["operation"] == "GET /pet/{petId}"


def test_verify_a_violating_body_exits_1_and_names_each_json_path(tmp_path: Path) -> None:
    path = tmp_path / "pet.json"
    path.write_text(json.dumps({"id": "seven", "photoUrls": ["a", 1]}))
    result = verify("getPetById", "--status", "200", "--body", f"@{path}")
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("Contract: violates (3).")
    assert "  $.id: 'seven' is not of type 'integer'" in result.stdout
    assert "  $.photoUrls[1]: 1 is not of type 'string'" in result.stdout
    as_json = verify("getPetById", "--status", "200", "--body", f"@{path}", "--json")
    problems = json.loads(as_json.stdout)["contract"]["problems"]
    assert {p["path"] for p in problems} == {"$", "$.id", "$.photoUrls[1]"}
    assert all(set(p) == {"path", "message"} for p in problems)


def test_verify_reads_the_body_from_stdin_and_checks_the_content_type() -> None:
    result = verify(
        "GET", "/pet/{petId}", "--status", "200", "--body", "-", "-H", "Content-Type: text/html",
        input="<html>oops</html>",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "Contract: unexpected content type." in result.stdout
    assert "documents no text/html body for 200" in result.stdout


def test_verify_names_an_undocumented_status(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(
        json.dumps(
            {
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}},
            }
        )
    )
    result = run(["verify", "--spec", str(spec), "GET", "/x", "--status", "503", "--json"])
    assert result.exit_code == 1, result.output
    contract = json.loads(result.stdout)["contract"]
    assert contract["verdict"] == "undocumented_status"
    assert contract["problems"][0]["path"] == "status"
    assert "503" in contract["problems"][0]["message"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--spec", "/no/such/file.yaml", "GET", "/x"], "does not exist"),
        (["--spec", str(DATA / "oai-v2.0-yaml-petstore.yaml"), "GET", "/pets"], "Swagger 2.0"),
        (["--spec", PETSTORE, "GET", "/nothing/here"], "has no operation GET /nothing/here"),
        (["--spec", PETSTORE, "getPetById", "--body", "@/no/body.json"], "does not exist"),
    ],
)
def test_verify_usage_problems_exit_2_with_what_to_do(args: list[str], words: str) -> None:
    result = run(["verify", *args, "--status", "200"])
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert "Traceback" not in result.output


def test_verify_masks_secrets_quoted_in_a_problem() -> None:
    """A token in the wrong place is quoted by the validator; never in plain text."""
    canary = "sk_canary_9f8e7d6c5b4a39281706"
    body = json.dumps({"id": 1, "name": "Rex", "photoUrls": [], "tags": [{"access_token": 5}],
                       "status": {"access_token": canary}})  # fmt: skip
    result = verify("getPetById", "--status", "200", "--body", body, "--json")
    assert result.exit_code == 1, result.output
    assert canary not in result.output
    assert "$.status" in result.output


def test_call_json_carries_the_contract_and_strict_exits_1_on_a_broken_one(
    explorer_home: Path,
) -> None:
    pytest.importorskip("explorer.sandbox.server", reason="the Sandbox is not in this build")
    search = ["call", "searchKeywordsV4", "-p", "searchQuery=car"]
    good = run([*search, "--json"])
    assert good.exit_code == 0, good.output
    contract = json.loads(good.stdout)["contract"]
    assert contract["verdict"] == "conforms" and contract["problems"] == []
    assert contract["operation"] == "GET /api/v4/keywords/search"
    assert set(contract) == {"verdict", "label", "problems", "inferred", "operation", "summary"}

    broken = [*search, "--fault", "malformed-body"]
    warned = run(broken)
    assert warned.exit_code == 0, warned.output  # a 200: 'warn' only shows the verdict
    assert "Contract: violates (1)" in warned.stdout
    assert "$: the body is not valid application/json" in warned.stdout
    strict = run([*broken, "--contract", "strict", "--json"])
    assert strict.exit_code == 1, strict.output
    assert json.loads(strict.stdout)["contract"]["verdict"] == "violates"
    undocumented = run([*search, "--fault", "waf-challenge", "--json"])
    assert json.loads(undocumented.stdout)["contract"]["verdict"] == "undocumented_status"
    off = run([*search, "--contract", "off", "--json"])
    assert json.loads(off.stdout)["contract"] is None

    rows = json.loads(run(["history", "list", "--json", "--verdict", "violates"]).stdout)
    assert len(rows) == 2 and {r["verdict"] for r in rows} == {"violates"}
    fine = json.loads(run(["history", "list", "--json", "--verdict", "conforms"]).stdout)
    assert [r["verdict"] for r in fine] == ["conforms"]
    unchecked = json.loads(run(["history", "list", "--json", "--verdict", "none"]).stdout)
    assert len(unchecked) == 1  # the --contract off call
    shown = run(["history", "show", str(rows[0]["id"])])
    assert "Contract: violates (1)" in shown.stdout
    listing = run(["history", "list"])
    assert "contract: undocumented status" in listing.stdout
