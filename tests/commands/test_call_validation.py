"""``call`` says what the API would refuse before sending (one warning each on stderr)
and sends anyway, so the API's own validation can be tested; ``--strict`` stops instead."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from explorer.cli import build_cli

pytest.importorskip("explorer.sandbox.server", reason="the Sandbox is not in this build")

RECOMMEND = ["call", "getCategoryRecommendationsV4"]
COMPLETE = ["-p", "zipCode=94103", "-p", "recommendationType=popular"]
UTM = ["-p", "utmData[utm_source]=cma-demo"]


def run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args)


def history() -> list[dict]:  # type: ignore[type-arg]
    return json.loads(run(["history", "list", "--json"]).stdout)  # type: ignore[no-any-return]


def test_missing_required_parameters_are_warned_about_and_sent_anyway() -> None:
    result = run([*RECOMMEND, "-p", "recommendationType=popular", "--json"])
    assert result.exit_code == 1, result.output
    warnings = result.stderr.splitlines()
    zip_code = (
        "Warning: Missing required query parameter zipCode: 5-digit US zip; pass it with "
        "-p 'zipCode=90210'."
    )
    assert zip_code in warnings
    assert any(w.startswith("Warning: Missing required query parameter utmData[utm_source]:")
               for w in warnings)  # fmt: skip
    assert not any("recommendationType" in w for w in warnings)
    assert json.loads(result.stdout)["status"] == 400  # the API's own answer
    assert len(history()) == 1


def test_a_value_of_the_wrong_form_is_a_warning_too() -> None:
    result = run([*RECOMMEND, "-p", "zipCode=abc", "-p", "recommendationType=popular", *UTM])
    assert "Warning: 'zipCode' does not have the expected form" in result.stderr
    assert result.stdout.startswith("HTTP 400")


def test_strict_does_not_send_when_an_input_is_wrong() -> None:
    result = run([*RECOMMEND, *COMPLETE, "--strict"])
    assert result.exit_code == 2
    assert "Missing required query parameter utmData[utm_source]" in result.stderr
    assert "Not sent: 1 input problem(s) above (--strict)" in result.stderr
    assert "HTTP" not in result.stdout
    assert history() == []


def test_strict_sends_complete_inputs_without_warnings() -> None:
    result = run([*RECOMMEND, *COMPLETE, *UTM, "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("HTTP 200")
    assert "Warning" not in result.stderr


def test_a_missing_body_names_the_option_to_pass_it() -> None:
    result = run(["call", "createRequestV4", "--strict"])
    assert result.exit_code == 2
    assert "Warning: Missing request body: this endpoint needs one; pass it with --body" in (
        result.stderr
    )
