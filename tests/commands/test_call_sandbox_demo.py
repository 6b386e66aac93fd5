"""``call`` against the embedded Sandbox as its demo customer or pro: no set-up, no
prompts; the sign-in is a real authorization code + PKCE flow without a browser."""

from __future__ import annotations

import json

from click.testing import CliRunner

from explorer.cli import build_cli
from explorer.core.profiles import SANDBOX_PRO_PROFILE


def run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args, input="")


def test_the_pro_demo_profile_lists_the_businesses() -> None:
    result = run(["call", "GET", "/api/v4/businesses", "--profile", SANDBOX_PRO_PROFILE, "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["status"] == 200
    assert answer["body"]["data"][0]["name"] == "Robert's Remodeling"
    assert "Pre-flight" not in result.stderr


def test_as_customer_reads_the_signed_in_user() -> None:
    result = run(["call", "getCurrentUserV4", "--as", "customer", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["body"]["firstName"] == "Olivia"


def test_the_application_profile_points_to_the_right_option() -> None:
    result = run(["call", "getBusinessV4", "-p", "businessID=468046965846925323"])
    assert result.exit_code == 1
    assert "Wrong flow" in result.stdout or "403" in result.stdout
    assert "From the command line: --as pro" in result.stderr


def test_as_and_profile_together_is_a_usage_error() -> None:
    result = run(["call", "listBusinessesV4", "--as", "pro", "--profile", "x"])
    assert result.exit_code == 2
    assert "not both" in result.output


def test_an_injected_fault_says_so_and_names_a_wrong_audience() -> None:
    args = ["call", "searchKeywordsV4", "-p", "searchQuery=car"]
    result = run([*args, "--fault", "proxy-oauth-failed"])
    assert result.exit_code == 1
    assert "This response was injected by the Sandbox (X-Sandbox-Fault: proxy-oauth-failed)" in (
        result.stdout
    )
    assert "'https://api.partner.example'" in result.stdout
    as_json = json.loads(run([*args, "--fault", "proxy-oauth-failed", "--json"]).stdout)
    assert "injected by the Sandbox" in as_json["sandbox_note"]
    clean = json.loads(run([*args, "--json"]).stdout)
    assert clean["status"] == 200 and clean["sandbox_note"] is None


def test_an_unknown_sandbox_fault_is_a_usage_error() -> None:
    result = run(["call", "searchKeywordsV4", "--fault", "gremlins"])
    assert result.exit_code == 2
    assert "gremlins" in result.output and "proxy-oauth-failed" in result.output
