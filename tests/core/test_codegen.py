"""Copy as …: one template per target, secrets read from environment variables when masked.

Running every target against a real server is tests/integration/test_codegen_runs.py;
these check what the text says.
"""

from __future__ import annotations

import ast
import shlex

import pytest

from explorer.core.codegen import TARGETS, OAuthScript, curl_script, generate, target, to_curl
from explorer.core.models import RequestSpec
from explorer.resources import resource_path

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


def _argv(command: str) -> list[str]:
    lines = [line for line in command.splitlines() if not line.startswith("#")]
    return shlex.split("\n".join(lines).replace("\\\n", " "))


def test_every_target_has_its_own_template_file() -> None:
    names = [t.template for t in TARGETS]
    assert len(set(names)) == len(names) == 13
    for name in names:
        assert resource_path("codegen", name).is_file()


def test_plain_curl_round_trips_through_shell_parsing() -> None:
    argv = _argv(to_curl(SPEC, masked=False))
    assert argv[:2] == ["curl", SPEC.url]
    assert "--globoff" in argv and argv[argv.index("--request") + 1] == "POST"
    headers = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--header"]
    assert headers == [f"{k}: {v}" for k, v in SPEC.headers]
    assert argv[argv.index("--data-raw") + 1].encode() == SPEC.body


def test_masked_curl_reads_the_token_from_a_variable_and_says_so() -> None:
    text = to_curl(SPEC)
    assert "s3cr3t" not in text and "••••••" not in text
    assert text.startswith("# Set THUMBTACK_ACCESS_TOKEN first")
    assert '--header "Authorization: Bearer $THUMBTACK_ACCESS_TOKEN"' in text


@pytest.mark.parametrize("target_id", [t.id for t in TARGETS])
def test_no_masked_copy_holds_a_secret_or_the_mask(target_id: str) -> None:
    spec = RequestSpec(
        method="POST",
        url="https://h.example/t?api_key=k3y-value-1&x=1",
        headers=(
            ("Authorization", "Bearer s3cr3t.t0ken"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ),
        body=b"grant_type=refresh_token&refresh_token=r3fresh-value",
    )
    code = generate(target_id, spec)
    for secret in ("s3cr3t.t0ken", "k3y-value-1", "r3fresh-value", "••••••"):
        assert secret not in code, target_id
    assert code.isascii() or target_id in ("go", "javascript-fetch", "node-axios")
    assert "THUMBTACK_REFRESH_TOKEN" in code


def test_the_masked_httpx_copy_is_ascii_python_that_reads_os_environ() -> None:
    code = generate("python-httpx", SPEC)
    tree = ast.parse(code)
    assert code.isascii()
    assert "os.environ['THUMBTACK_ACCESS_TOKEN']" in code
    assert any(isinstance(node, ast.Import) and node.names[0].name == "httpx" for node in tree.body)


def test_head_uses_curl_dash_i() -> None:
    argv = _argv(to_curl(RequestSpec(method="HEAD", url="https://h.example/x")))
    assert argv == ["curl", "https://h.example/x", "-I"]


def test_a_body_without_content_type_keeps_curl_from_adding_one() -> None:
    argv = _argv(to_curl(RequestSpec(method="POST", url="https://h/x", body=b"a=1")))
    assert "Content-Type:" in argv


def test_a_binary_body_is_piped_from_base64() -> None:
    text = to_curl(RequestSpec(method="PUT", url="https://h/x", body=bytes(range(256))))
    assert "base64 -d |" in text and "--data-binary @-" in text


def test_python_targets_are_valid_python() -> None:
    for target_id in ("python-requests", "python-httpx", "python-oauth"):
        ast.parse(generate(target_id, SPEC))


def test_oauth_script_uses_the_audience_and_its_own_credentials() -> None:
    code = generate("python-oauth", SPEC, oauth=OAuthScript(scopes=("demand::users.read",)))
    assert "AUDIENCE = 'urn:partner-api'" in code
    assert "audience=AUDIENCE" in code and "is_expired(leeway=EXPIRY_LEEWAY_S)" in code
    assert "token is not active" in code
    assert "'Authorization'" not in code  # the script's own token replaces the pasted one
    assert "demand::users.read" in code


def test_unknown_target_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="python-requests"):
        target("cobol")
    assert target("httpx").id == "python-httpx"


def test_curl_script_has_one_command_per_request_and_one_variable_list() -> None:
    script = curl_script(
        [("first", SPEC), ("second", RequestSpec(method="GET", url="https://h/y"))]
    )
    assert script.startswith("#!/usr/bin/env bash")
    assert script.count("\ncurl ") == 2 and "# first" in script and "# second" in script
    assert "#   THUMBTACK_ACCESS_TOKEN" in script and "s3cr3t" not in script


def test_windows_copy_uses_percent_variables_and_caret_quoting() -> None:
    text = generate("curl-windows", SPEC)
    assert "%THUMBTACK_ACCESS_TOKEN%" in text and "s3cr3t" not in text
    assert text.splitlines()[1].startswith('curl.exe ^"https://')
    assert all(line.endswith(" ^") for line in text.splitlines()[1:-1])
