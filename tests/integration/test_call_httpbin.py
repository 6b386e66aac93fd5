"""``call`` sends what it is told, checked by a real third-party server (httpbin under
gunicorn on 127.0.0.1): full URLs, repeated and in-path query parameters, every body kind,
a typed Authorization header, --timeout, --follow, --output and --include."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from click.testing import CliRunner, Result

from explorer.cli import build_cli

pytestmark = pytest.mark.integration


def call(*args: str) -> Result:
    return CliRunner().invoke(build_cli(lambda o: 0), ["call", *args, "--no-history"])


def echoed(result: Result) -> Any:
    """httpbin's JSON answer from ``call --json``."""
    assert result.exit_code == 0, result.output
    start = result.output.index("{")
    return json.loads(result.output[start:])["body"]


def test_repeated_and_in_path_query_parameters_arrive_in_order(httpbin_url: str) -> None:
    result = call(
        "GET", f"{httpbin_url}/get?x=1&y=two%20words", "-p", "ids=1", "-p", "ids=2", "--json"
    )
    body = echoed(result)
    assert body["args"] == {"x": "1", "y": "two words", "ids": ["1", "2"]}
    assert body["url"].endswith("/get?x=1&y=two+words&ids=1&ids=2")


def test_a_full_url_gets_no_sandbox_token(httpbin_url: str) -> None:
    body = echoed(call("GET", f"{httpbin_url}/headers", "--json"))
    assert "Authorization" not in body["headers"]


def test_a_typed_authorization_header_is_sent_as_typed(httpbin_url: str) -> None:
    basic = "Basic " + base64.b64encode(b"ann:s3cret").decode()
    result = call("GET", f"{httpbin_url}/basic-auth/ann/s3cret", "-H", f"Authorization: {basic}")
    assert result.exit_code == 0, result.output
    assert '"authenticated": true' in result.output


def test_authorization_header_with_a_signing_profile_is_refused() -> None:
    result = call("GET", "/api/v4/categories", "-H", "Authorization: Bearer mine")
    assert result.exit_code == 2
    assert "-H Authorization conflicts with profile" in result.output


def test_json_body(httpbin_url: str) -> None:
    body = echoed(call("POST", f"{httpbin_url}/post", "--body", '{"a": [1, 2]}', "--json"))
    assert body["json"] == {"a": [1, 2]}
    assert body["headers"]["Content-Type"] == "application/json"


def test_url_encoded_form_keeps_repeated_fields(httpbin_url: str) -> None:
    body = echoed(
        call(
            "POST",
            f"{httpbin_url}/post",
            "--form",
            "a=1",
            "--form",
            "a=2",
            "--form",
            "b=x y",
            "--json",
        )
    )
    assert body["form"] == {"a": ["1", "2"], "b": "x y"}
    assert body["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


def test_multipart_form_with_a_file(httpbin_url: str, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("line one\nline two\n")
    body = echoed(
        call(
            "POST",
            f"{httpbin_url}/post",
            "--form",
            "title=Hi",
            "--form",
            f"notes=@{notes}",
            "--json",
        )
    )
    assert body["form"] == {"title": "Hi"}
    assert body["files"] == {"notes": "line one\nline two\n"}
    assert body["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")


def test_raw_text_with_its_content_type(httpbin_url: str) -> None:
    csv = "id,name\n1,Ann\n"
    body = echoed(
        call("POST", f"{httpbin_url}/post", "--data", csv, "-H", "Content-Type: text/csv", "--json")
    )
    assert body["data"] == csv
    assert body["headers"]["Content-Type"] == "text/csv"


def test_raw_text_defaults_to_plain_text(httpbin_url: str) -> None:
    body = echoed(call("PUT", f"{httpbin_url}/put", "--data", "not json {", "--json"))
    assert body["data"] == "not json {"
    assert body["headers"]["Content-Type"].startswith("text/plain")


def test_binary_file_body_arrives_byte_for_byte(httpbin_url: str, tmp_path: Path) -> None:
    blob = bytes(range(256)) * 4
    source = tmp_path / "blob.bin"
    source.write_bytes(blob)
    body = echoed(call("POST", f"{httpbin_url}/post", "--data", f"@{source}", "--json"))
    assert body["data"] == "data:application/octet-stream;base64," + base64.b64encode(blob).decode()
    assert body["headers"]["Content-Type"] == "application/octet-stream"


def test_body_options_cannot_be_combined(httpbin_url: str) -> None:
    result = call("POST", f"{httpbin_url}/post", "--body", "{}", "--data", "x")
    assert result.exit_code == 2
    assert "Give one body" in result.output


def test_output_saves_a_png_byte_for_byte_and_prints_a_summary(
    httpbin_url: str, tmp_path: Path
) -> None:
    expected = httpx.get(f"{httpbin_url}/image/png").content
    target = tmp_path / "pig.png"
    result = call("GET", f"{httpbin_url}/image/png", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == expected
    assert f"({len(expected)} bytes, image/png) written to {target}" in result.output
    assert "\ufffd" not in result.output and "PNG" not in result.output


def test_binary_body_is_summarised_not_printed(httpbin_url: str) -> None:
    result = call("GET", f"{httpbin_url}/bytes/4096?seed=7")
    assert result.exit_code == 0, result.output
    assert (
        "[binary body: 4.1 KB (4096 bytes), application/octet-stream; first bytes " in result.output
    )
    assert "save it with --output FILE" in result.output
    assert "\ufffd" not in result.output
    assert len(result.output) < 2000


def test_include_prints_the_response_headers(httpbin_url: str) -> None:
    url = f"{httpbin_url}/response-headers?X-Probe=here"
    without = call("GET", url)
    with_headers = call("GET", url, "--include")
    assert "x-probe: here" in with_headers.output.lower()
    assert "content-type: application/json" in with_headers.output.lower()
    assert "x-probe: here" not in without.output.lower()
    assert '"X-Probe": "here"' in without.output  # the body


def test_timeout_gives_up_in_time(httpbin_url: str) -> None:
    result = call("GET", f"{httpbin_url}/delay/5", "--timeout", "0.5")
    assert result.exit_code == 1
    assert "No response: read_timeout" in result.output


def test_timeout_must_be_positive(httpbin_url: str) -> None:
    result = call("GET", f"{httpbin_url}/get", "--timeout", "0")
    assert result.exit_code == 2
    assert "--timeout" in result.output


def test_follow_redirects(httpbin_url: str) -> None:
    url = f"{httpbin_url}/redirect-to?url=/get%3Farrived%3D1&status_code=302"
    stopped = call("GET", url)
    assert stopped.exit_code == 1
    assert "HTTP 302" in stopped.output
    followed = echoed(call("GET", url, "--follow", "--json"))
    assert followed["args"] == {"arrived": "1"}
