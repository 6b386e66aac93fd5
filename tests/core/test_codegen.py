"""Copy as curl / httpx2: runnable text, secrets masked unless the caller says otherwise."""

from __future__ import annotations

import shlex
from typing import Any

import httpx2
import pytest

from explorer.core.codegen import mask_credentials, to_curl, to_httpx
from explorer.core.models import RequestSpec

SPEC = RequestSpec(
    method="POST",
    url="https://api.thumbtack.com/api/v4/negotiations/1/messages?x=a%20b&utmData[utm_source]=c",
    headers=(
        ("Content-Type", "application/json"),
        ("Authorization", "Bearer s3cr3t.t0ken"),
        ("X-Note", 'it\'s "quoted" $HOME `x`'),
    ),
    body=b'{"text": "Hello \'world\' $(rm -rf /)\\nline"}',
    operation_id="sendMessageV4",
)


def test_curl_round_trips_through_shell_parsing() -> None:
    text = to_curl(SPEC, redact=None)
    argv = shlex.split(text.replace("\\\n", " "))
    assert argv[:5] == ["curl", "--globoff", "--request", "POST", SPEC.url]
    headers = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--header"]
    assert headers == [f"{k}: {v}" for k, v in SPEC.headers]
    assert argv[argv.index("--data-raw") + 1].encode() == SPEC.body


def test_curl_masks_the_token_by_default() -> None:
    text = to_curl(SPEC)
    assert "s3cr3t" not in text
    assert "Authorization: Bearer ••••••" in shlex.split(text.replace("\\\n", " "))


def test_curl_for_a_plain_get_has_no_method_or_body() -> None:
    spec = RequestSpec(method="GET", url="https://h/x?a=1&b=2")
    assert shlex.split(to_curl(spec)) == ["curl", "https://h/x?a=1&b=2"]


def test_custom_redaction_is_applied_to_headers_and_body() -> None:
    text = to_curl(SPEC, redact=lambda value: value.replace("world", "[hidden]"))
    assert "[hidden]" in text and "world" not in text


def test_httpx_code_compiles_and_sends_the_same_request(monkeypatch: pytest.MonkeyPatch) -> None:
    code = to_httpx(SPEC, redact=None)
    assert "import httpx2 as httpx" in code and "import httpx\n" not in code
    seen: dict[str, Any] = {}

    def fake_request(method: str, url: str, **kwargs: Any) -> httpx2.Response:
        seen.update(method=method, url=url, **kwargs)
        return httpx2.Response(200, text="ok", request=httpx2.Request(method, url))

    monkeypatch.setattr(httpx2, "request", fake_request)
    exec(compile(code, "<copied>", "exec"), {})
    assert seen["method"] == "POST" and seen["url"] == SPEC.url
    assert seen["content"] == SPEC.body
    assert list(seen["headers"]) == list(SPEC.headers)


def test_httpx_code_masks_the_token_by_default() -> None:
    code = to_httpx(SPEC)
    assert "s3cr3t" not in code and "'Bearer ••••••'" in code


def test_mask_credentials_handles_basic_and_leaves_other_text() -> None:
    assert mask_credentials("Basic dXNlcjpwYXNz") == "Basic ••••••"
    assert mask_credentials("no secrets here") == "no secrets here"


def test_copied_curl_runs_with_deep_object_query(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The copied command works as pasted: curl must not read [] as a URL range."""
    import shutil
    import subprocess

    import pytest
    from helpers.servers import local_server, reply

    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    with local_server(reply(200, b"{}")) as server:
        spec = RequestSpec(
            method="GET",
            url=server.url + "/api/v4/categories/recommendations?zipCode=94103"
            "&utmData[utm_source]=cma-demo&utmData[utm_medium]=partnership",
        )
        command = to_curl(spec, redact=None)
        done = subprocess.run(
            ["bash", "-c", command.replace("curl", "curl --silent --show-error", 1)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr
        assert server.requests[0][1].endswith("utmData[utm_medium]=partnership")
