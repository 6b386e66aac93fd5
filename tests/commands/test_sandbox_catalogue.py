"""``sandbox --catalogue``: the faults and behaviours with their evidence grades."""

from __future__ import annotations

import json

from click.testing import CliRunner

from explorer.commands.sandbox import command
from explorer.sandbox.behaviours import BEHAVIOURS
from explorer.sandbox.faults import FAULTS


def test_the_catalogue_as_json_grades_every_entry() -> None:
    result = CliRunner().invoke(command, ["--catalogue", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [f["name"] for f in data["faults"]] == [f.name for f in FAULTS]
    assert [b["id"] for b in data["behaviours"]] == [b.id for b in BEHAVIOURS]
    grades = {"documented", "observed", "inferred"}
    assert all(entry["evidence"] in grades for entry in data["faults"] + data["behaviours"])
    faults = {f["name"]: f for f in data["faults"]}
    assert faults["insufficient-scope"]["evidence"] == "observed"
    assert faults["insufficient-scope"]["status"] == 401
    assert faults["rate-limited-retry-after"]["evidence"] == "inferred"
    assert faults["invalid-client"]["where"] == "token"
    behaviours = {b["id"]: b for b in data["behaviours"]}
    for inferred in ("webhook-retries", "rate-limit", "retry-after", "problem-type-uris"):
        assert behaviours[inferred]["evidence"] == "inferred"
        assert behaviours[inferred]["evidence_label"] == "our inference"


def test_the_catalogue_as_text_says_each_grade() -> None:
    result = CliRunner().invoke(command, ["--catalogue"])
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if "insufficient-scope" in row)
    assert "401" in line and "[seen in real traffic]" in line
    retries = result.output.split("Webhook retries with backoff", 1)[1].splitlines()[0]
    assert "[our inference]" in retries
