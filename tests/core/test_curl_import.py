"""Pasting curl: bash and Windows quoting, the options people paste, secrets set aside."""

from __future__ import annotations

import base64
import dataclasses

import pytest

from explorer.core.catalog import load_default_catalog
from explorer.core.codegen import generate
from explorer.core.curl_import import CurlParseError, looks_like_curl, parse_curl
from explorer.core.models import RequestSpec
from explorer.core.request_match import match_operation
from explorer.core.variables import resolve_variables

#: as Thumbtack's API reference shows a call (its "Try it" panel copies curl in this form)
DOCS_CURL = """curl --request POST \\
     --url https://api.thumbtack.com/api/v4/requests \\
     --header 'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXJ0bmVyIn0.c2lnbmF0dXJl' \\
     --header 'accept: application/json' \\
     --header 'content-type: application/json' \\
     --data '
{
  "searchID": "548954743629463556",
  "businessIDs": ["468046965846925323"],
  "categoryID": "201565295100608806",
  "utmData": {"utm_source": "cma-admin"}
}
'"""

SPEC = RequestSpec(
    method="POST",
    url="https://api.thumbtack.com/api/v4/negotiations/1/messages?x=a%20b&utmData[utm_source]=c",
    headers=(
        ("Content-Type", "application/json"),
        ("Authorization", "Bearer s3cr3t.t0ken"),
        ("X-Note", 'it\'s "quoted" $HOME `x` %PATH% ^&|<> \\"back\\\\'),
        ("X-Empty", ""),
    ),
    body='{"text": "Hello \'world\' $(rm -rf /)\\nline\nreal newline é 😀"}'.encode(),
)


def _restored(imported: RequestSpec, values: dict[str, str]) -> RequestSpec:
    def sub(text: str) -> str:
        return resolve_variables(text, values).text

    return dataclasses.replace(
        imported,
        url=sub(imported.url),
        headers=tuple((k, sub(v)) for k, v in imported.headers),
        body=None if imported.body is None else sub(imported.body.decode()).encode(),
    )


def test_the_docs_curl_line_becomes_the_operation_with_its_token_set_aside() -> None:
    result = parse_curl(DOCS_CURL)
    assert result.spec.method == "POST"
    assert result.spec.url == "https://api.thumbtack.com/api/v4/requests"
    assert result.spec.header("authorization") == "Bearer {{access_token}}"
    assert [(s.name, s.value) for s in result.secrets] == [
        ("access_token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXJ0bmVyIn0.c2lnbmF0dXJl")
    ]
    assert b'"searchID": "548954743629463556"' in (result.spec.body or b"")
    assert any("{{access_token}}" in note for note in result.notes)
    match = match_operation(load_default_catalog(), result.spec)
    assert match is not None and match.endpoint.operation_id == "createRequestV4"
    assert match.base_url == "https://api.thumbtack.com"
    assert '"categoryID": "201565295100608806"' in match.inputs.body_text


def test_path_parameters_are_split_out_and_the_query_kept_in_order() -> None:
    result = parse_curl(
        "curl 'https://api.thumbtack.com/api/v4/negotiations/77%2F8/messages?limit=5&limit=6'"
    )
    match = match_operation(load_default_catalog(), result.spec)
    assert match is not None and match.endpoint.operation_id == "listMessagesV4"
    assert match.inputs.path_params == {"negotiationID": "77/8"}
    assert match.inputs.query_params == (("limit", "5"), ("limit", "6"))


def test_an_unknown_route_is_a_free_request() -> None:
    result = parse_curl("curl https://example.com/api/v4/nothing-here")
    assert match_operation(load_default_catalog(), result.spec) is None
    assert result.spec.method == "GET"


@pytest.mark.parametrize("target_id", ["curl", "curl-windows"])
def test_curl_to_request_to_curl_round_trips(target_id: str) -> None:
    plain = generate(target_id, SPEC, masked=False)
    first = parse_curl(plain)
    assert _restored(first.spec, {s.name: s.value for s in first.secrets}) == SPEC
    again = parse_curl(generate(target_id, first.spec, masked=False))
    assert again.spec == first.spec


@pytest.mark.parametrize("target_id", ["curl", "curl-windows"])
def test_a_masked_copy_imports_with_its_variable_as_a_reference(target_id: str) -> None:
    result = parse_curl(generate(target_id, SPEC))
    assert result.spec.header("Authorization") == "Bearer {{access_token}}"
    assert result.secrets == ()


def test_data_options_json_form_user_get_and_compressed() -> None:
    form = parse_curl(
        "curl -sSL -XPOST https://auth.example/oauth2/token -u id:pw "
        "-d grant_type=client_credentials --data-urlencode 'scope=a b' --compressed"
    )
    assert form.spec.method == "POST" and form.spec.follow_redirects
    assert form.spec.body == b"grant_type=client_credentials&scope=a+b"
    assert form.spec.header("content-type") == "application/x-www-form-urlencoded"
    assert form.spec.header("authorization") == "Basic {{basic_credentials}}"
    assert base64.b64decode(form.secrets[0].value) == b"id:pw"

    json_ = parse_curl("curl --json '{\"a\": 1}' https://h.example/x")
    assert json_.spec.method == "POST" and json_.spec.body == b'{"a": 1}'
    assert json_.spec.header("content-type") == "application/json"
    assert json_.spec.header("accept") == "application/json"

    get = parse_curl("curl -G https://h.example/x?z=0 -d a=1 -d b=2")
    assert get.spec.method == "GET" and get.spec.body is None
    assert get.spec.url == "https://h.example/x?z=0&a=1&b=2"

    head = parse_curl("curl -I https://h.example/x")
    assert head.spec.method == "HEAD"


def test_form_parts_become_a_multipart_body() -> None:
    result = parse_curl("curl -F name=value -F 'note=two words' https://h.example/up")
    ctype = result.spec.header("content-type") or ""
    assert ctype.startswith("multipart/form-data; boundary=")
    body = result.spec.body or b""
    assert b'name="name"\r\n\r\nvalue\r\n' in body and b"two words" in body


def test_a_form_file_is_read_from_the_given_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    result = parse_curl("curl -F file=@photo.png https://h.example/up", files_from=tmp_path)
    assert b'filename="photo.png"' in (result.spec.body or b"")
    assert b"\x89PNG\r\n" in (result.spec.body or b"")
    pasted = parse_curl("curl -F file=@photo.png https://h.example/up")
    assert any("photo.png" in note and "left empty" in note for note in pasted.notes)


def test_bash_ansi_c_quoting_and_line_continuations() -> None:
    result = parse_curl("curl $'https://h.example/x?a=\\'b\\'' \\\n  -H $'X-Name: caf\\u00e9\\t!'")
    assert result.spec.url == "https://h.example/x?a='b'"
    assert result.spec.header("X-Name") == "café\t!"


def test_windows_cmd_quoting_as_browsers_copy_it() -> None:
    text = (
        'curl "https://h.example/x?a=1&b=2" ^\n'
        '  -H "X-Note: say \\"hi\\"" ^\n'
        '  --data-raw ^"^{^\\^"a^\\^":1^}^" ^\n  --compressed'
    )
    result = parse_curl(text)
    assert result.spec.url == "https://h.example/x?a=1&b=2"
    assert result.spec.header("X-Note") == 'say "hi"'
    assert result.spec.body == b'{"a":1}'


def test_unknown_options_are_listed_and_the_rest_imported() -> None:
    result = parse_curl("curl --frobnicate https://h.example/x -k -H 'A: 1'")
    assert result.spec.url == "https://h.example/x" and result.spec.header("A") == "1"
    assert any("--frobnicate" in note for note in result.notes)
    assert any("--insecure" in note for note in result.notes)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("curl 'https://h.example/x", "unclosed ' quote"),
        ('curl "https://h.example/x', 'unclosed " quote'),
        ("wget https://h.example/x", "not a curl command"),
        ("curl -H 'A: 1'", "no URL"),
        ("   ", "paste a curl command"),
        ("curl -X", "needs a value"),
    ],
)
def test_malformed_commands_say_what_to_fix(text: str, words: str) -> None:
    with pytest.raises(CurlParseError, match=words):
        parse_curl(text)


def test_secrets_in_query_and_body_are_set_aside_too() -> None:
    result = parse_curl(
        "curl 'https://h.example/x?api_key=k3y-value-1' -d client_secret=shh-1234 -d a=1"
    )
    assert "k3y-value-1" not in result.spec.url
    assert b"shh-1234" not in (result.spec.body or b"")
    assert {s.value for s in result.secrets} == {"k3y-value-1", "shh-1234"}


def test_looks_like_curl() -> None:
    assert looks_like_curl("  curl https://x") and looks_like_curl('curl.exe ^"x^"')
    assert not looks_like_curl("https://api.thumbtack.com/api/v4/businesses")
