"""A description's servers, with their variables, decide where a request goes: checked
against httpbin on 127.0.0.1, whose /anything echoes the URL it was sent to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from explorer.cli import build_cli

pytestmark = pytest.mark.integration

DESCRIPTION = """\
openapi: 3.0.3
info: {{title: Echo, version: "1"}}
servers:
  - url: "{{scheme}}://127.0.0.1:{{port}}/anything/{{stage}}"
    description: Local echo
    variables:
      scheme: {{default: http, enum: [http]}}
      port: {{default: "{port}"}}
      stage: {{default: v1, enum: [v1, v2], description: API stage}}
  - url: http://127.0.0.1:{port}/anything/other
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {{name: limit, in: query, schema: {{type: integer}}}}
      responses:
        "200": {{description: The pets}}
"""


@pytest.fixture
def description(httpbin_url: str, tmp_path: Path) -> Path:
    port = httpbin_url.rsplit(":", 1)[1]
    path = tmp_path / "echo.yaml"
    path.write_text(DESCRIPTION.format(port=port))
    return path


def call(*args: str) -> Result:
    return CliRunner().invoke(build_cli(lambda o: 0), ["call", *args, "--no-history"])


def sent_to(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return str(json.loads(result.output[result.output.index("{") :])["body"]["url"])


def test_the_first_server_with_its_defaults(description: Path, httpbin_url: str) -> None:
    url = sent_to(call("listPets", "--spec", str(description), "-p", "limit=2", "--json"))
    assert url == f"{httpbin_url}/anything/v1/pets?limit=2"


def test_a_server_variable_from_its_enum(description: Path, httpbin_url: str) -> None:
    result = call("GET /pets", "--spec", str(description), "--server-var", "stage=v2", "--json")
    assert sent_to(result) == f"{httpbin_url}/anything/v2/pets"


def test_the_second_server(description: Path, httpbin_url: str) -> None:
    result = call("listPets", "--spec", str(description), "--server", "2", "--json")
    assert sent_to(result) == f"{httpbin_url}/anything/other/pets"


def test_a_value_outside_the_enum_is_refused(description: Path) -> None:
    result = call("listPets", "--spec", str(description), "--server-var", "stage=v3")
    assert result.exit_code == 2
    assert "stage='v3' is not allowed" in result.output and "v1, v2" in result.output


def test_an_unknown_server_lists_the_choices(description: Path) -> None:
    result = call("listPets", "--spec", str(description), "--server", "7")
    assert result.exit_code == 2
    assert "1: {scheme}://127.0.0.1:{port}/anything/{stage}" in result.output


def test_server_without_spec_is_a_usage_error() -> None:
    result = call("GET", "/x", "--server", "2")
    assert result.exit_code == 2
    assert "--spec FILE" in result.output


def test_the_answer_is_explained_with_the_description(description: Path) -> None:
    result = call("listPets", "--spec", str(description))
    assert result.exit_code == 0
    assert "The API description documents this answer of listPets as 200" in " ".join(
        result.output.split()
    )
    explanation = result.output.rsplit("\nINFO: ", 1)[1]  # after the echoed body
    assert "thumbtack" not in explanation.lower()
