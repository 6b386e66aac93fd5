"""The one redaction function: secrets always, personal data in presentation mode."""

from __future__ import annotations

import json

import pytest
from helpers import scripted_session as s
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.models import NetworkFailure, NetworkFailureKind, RequestSpec, ResponseRecord
from explorer.core.redact import (
    MASK,
    RedactionPolicy,
    Redactor,
    redactor_for_output,
)

STORAGE = Redactor(RedactionPolicy.for_storage(s.KNOWN_SECRETS))
PRESENTATION = Redactor(RedactionPolicy.for_presentation(s.KNOWN_SECRETS))


def test_authorization_header_keeps_its_scheme_only() -> None:
    headers = STORAGE.redact_headers(
        [
            ("Authorization", f"Bearer {s.ACCESS_TOKEN}"),
            ("Proxy-Authorization", s.basic_header()),
            ("Accept", "application/json"),
        ]
    )
    assert headers == (
        ("Authorization", f"Bearer {MASK}"),
        ("Proxy-Authorization", f"Basic {MASK}"),
        ("Accept", "application/json"),
    )


@pytest.mark.parametrize(
    "name", ["X-Api-Key", "X-Auth-Token", "X-Client-Secret", "X-Session-Id", "X-Password"]
)
def test_credential_headers_are_masked_whole(name: str) -> None:
    assert STORAGE.redact_headers({name: "opaque-value-1234"}) == ((name, MASK),)


def test_cookies_keep_names_and_attributes() -> None:
    headers = STORAGE.redact_headers(
        [("Cookie", "sid=abc; theme=dark"), ("Set-Cookie", "sid=abc; Path=/; HttpOnly")]
    )
    assert headers == (
        ("Cookie", f"sid={MASK}; theme={MASK}"),
        ("Set-Cookie", f"sid={MASK}; Path=/; HttpOnly"),
    )


def test_www_authenticate_stays_readable() -> None:
    value = 'Bearer error="invalid_token", error_description="expired"'
    assert STORAGE.redact_headers({"WWW-Authenticate": value}) == (("WWW-Authenticate", value),)


def test_jwt_and_credentials_in_free_text() -> None:
    text = (
        f"got {s.ACCESS_TOKEN} then Authorization: Bearer opaqueTokenValue123 "
        "and Basic dXNlcjpwYXNzd29yZA== refresh_token=abc123XYZ"
    )
    redacted = Redactor().redact_text(text)
    assert "eyJ" not in redacted
    assert "opaqueTokenValue123" not in redacted
    assert "dXNlcjpwYXNzd29yZA" not in redacted
    assert "abc123XYZ" not in redacted
    assert redacted.count(MASK) == 4


def test_plain_words_after_basic_are_not_masked() -> None:
    assert Redactor().redact_text("Basic authentication failed") == "Basic authentication failed"


def test_known_secrets_are_masked_in_every_form() -> None:
    secret = "p@ss/wo rd+1"
    redactor = Redactor(RedactionPolicy(known_secrets=(secret,)))
    text = f"a {secret} b {json.dumps(secret)} c p%40ss%2Fwo%20rd%2B1 d p%40ss%2Fwo+rd%2B1"
    assert secret not in redactor.redact_text(text)
    assert "p%40ss" not in redactor.redact_text(text)


def test_token_response_json() -> None:
    record = s.token_exchange()
    body = json.loads(STORAGE.redact_body(record.body, "application/json"))
    assert body == {
        "access_token": MASK,
        "refresh_token": MASK,
        "token_type": "bearer",
        "expires_in": 3600,
    }


def test_token_request_form() -> None:
    record = s.token_exchange()
    form = STORAGE.redact_body(record.request.body, "application/x-www-form-urlencoded").decode()
    for name in ("code", "code_verifier", "client_secret"):
        assert f"{name}={MASK}" in form
    assert "grant_type=authorization_code" in form
    assert f"client_id={s.CLIENT_ID}" in form
    assert "redirect_uri=http%3A%2F%2F127.0.0.1" in form


def test_url_query_fragment_and_userinfo() -> None:
    url = (
        "https://user:hunter22@example.test/cb?code=abc&state=keep-me-123"
        "&access_token=tok&page=2#id_token=xyz"
    )
    assert STORAGE.redact_url(url) == (
        f"https://user:{MASK}@example.test/cb?code={MASK}&state=keep-me-123"
        f"&access_token={MASK}&page=2#id_token={MASK}"
    )


def test_error_code_is_kept_but_authorization_code_is_not() -> None:
    error = {"error": "invalid_grant", "code": "invalid_grant"}
    assert STORAGE.redact_json(error) == error
    assert STORAGE.redact_json({"code": "4/0AbCdEf", "state": "s1"}) == {
        "code": MASK,
        "state": "s1",
    }


def test_variable_references_are_not_secrets() -> None:
    document = {"client_secret": "{{client_secret}}", "token": "{{ access_token }}"}
    assert STORAGE.redact_json(document) == document
    assert STORAGE.redact_headers({"Authorization": "Bearer {{access_token}}"}) == (
        ("Authorization", "Bearer {{access_token}}"),
    )


def test_storage_policy_keeps_personal_data() -> None:
    body = STORAGE.redact_body(s.negotiation_exchange().body, "application/json")
    assert json.loads(body) == s.NEGOTIATION


def test_presentation_masks_the_negotiation_customer() -> None:
    body = PRESENTATION.redact_body(s.negotiation_exchange().body, "application/json")
    data = json.loads(body)["data"]
    assert data["customer"] == {
        "customerID": "590299344770162703",
        "firstName": MASK,
        "lastName": MASK,
        "phone": MASK,
    }
    assert data["request"]["location"]["address1"] == MASK
    assert data["request"]["location"]["address2"] == MASK
    assert data["request"]["location"]["city"] == "Lake Worth"
    assert data["request"]["description"] == f"Call me on {MASK} or write to {MASK}."
    assert data["business"]["name"] == "Acme Junk Removal"  # a business is not a person
    assert data["request"]["category"]["name"] == "Junk Removal"
    assert body.startswith(b"{\n  ")  # pretty JSON stays pretty


@pytest.mark.parametrize(
    "text",
    [
        "call 561-555-0142 now",
        "call (561) 555-0142 now",
        "call +1 561 555 0142 now",
        "call +15615550142 now",
        "write to dana.reyes@example.com now",
        "visit 123 Main St Apt 4B now",
        "visit 4400 N Ocean Boulevard now",
    ],
)
def test_presentation_masks_contacts_in_text(text: str) -> None:
    redacted = PRESENTATION.redact_text(text)
    assert redacted.startswith(("call ", "write to ", "visit "))
    assert redacted.endswith(f"{MASK} now")


@pytest.mark.parametrize(
    "text",
    ["id 590299344770162703", "at 2026-09-15T04:02:24Z", "epoch 1726372944", "$150.00 total"],
)
def test_ids_dates_and_prices_are_not_phone_numbers(text: str) -> None:
    assert PRESENTATION.redact_text(text) == text


def test_record_and_spec_are_redacted_everywhere() -> None:
    base = s.negotiation_exchange()
    record = ResponseRecord(
        request=base.request,
        status=None,
        failure=NetworkFailure(
            kind=NetworkFailureKind.CONNECT_TIMEOUT,
            exception_type="ConnectTimeout",
            message=f"timed out calling {base.url}",
            chain=(f"ConnectTimeout: {base.url}",),
        ),
        url=base.url,
    )
    safe = PRESENTATION.redact_record(record)
    dump = repr(safe).encode()
    assert s.leaks(dump, s.SECRETS) == []
    assert safe.request.operation_id == "getNegotiationV4"
    assert safe.request.header("Accept") == "application/json"


def test_binary_bodies_pass_through() -> None:
    data = bytes(range(256)) * 4
    assert STORAGE.redact_body(data, "application/octet-stream") == data


def test_output_helper() -> None:
    record = s.token_exchange()
    assert redactor_for_output(False, s.KNOWN_SECRETS).redact_record(record) == record
    redacted = redactor_for_output(True, s.KNOWN_SECRETS).redact_record(record)
    assert s.leaks(repr(redacted).encode(), s.SECRETS) == []


def test_deeply_nested_json_does_not_raise() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert STORAGE.redact_body(deep, "application/json") == deep


def test_spec_without_body() -> None:
    spec = RequestSpec(method="GET", url="https://x.test/?token=abc")
    assert STORAGE.redact_spec(spec).url == f"https://x.test/?token={MASK}"
    assert STORAGE.redact_spec(spec).body is None


@settings(max_examples=200, deadline=None)
@given(text=st.text(), personal=st.booleans(), secret=st.text(min_size=0, max_size=12))
def test_redact_text_never_raises(text: str, personal: bool, secret: str) -> None:
    redactor = Redactor(RedactionPolicy(personal_data=personal, known_secrets=(secret,)))
    out = redactor.redact_text(text)
    assert isinstance(out, str)
    if len(secret) >= 4:
        assert secret not in out or secret in MASK


@settings(max_examples=200, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=400),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["code", "token", "name", "phone", "customer", "x", "email"])
                    | st.text(max_size=8),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=20,
        ).map(lambda doc: json.dumps(doc).encode()),
    ),
    content_type=st.sampled_from(
        ["", "application/json", "application/x-www-form-urlencoded", "text/plain", "image/png"]
    ),
    personal=st.booleans(),
)
def test_redact_body_never_raises(body: bytes, content_type: str, personal: bool) -> None:
    redactor = Redactor(RedactionPolicy(personal_data=personal))
    assert isinstance(redactor.redact_body(body, content_type), bytes)


HOOK = "whk_hdr_value_7Q2mZ9"


@pytest.mark.parametrize(
    "document",
    [
        {"webhookURL": "https://hooks.example.com/tt", "auth": {"header": "X-Hook", "value": HOOK}},
        {"auth": {"value": HOOK}},
        {"credentials": [{"value": HOOK}]},
        {"headers": [{"header": "X-Hook-Key", "value": HOOK}]},
        {"headers": [{"name": "X-Api-Key", "value": HOOK}]},
        {"auth": {"username": "partner", "password": HOOK}},
    ],
)
def test_webhook_auth_values_are_secrets(document: dict) -> None:  # type: ignore[type-arg]
    for redactor in (STORAGE, PRESENTATION):
        text = json.dumps(redactor.redact_json(document), ensure_ascii=False)
        assert HOOK not in text and MASK in text
        body = redactor.redact_body(json.dumps(document).encode(), "application/json")
        assert HOOK.encode() not in body


def test_plain_name_value_pairs_are_kept() -> None:
    document = {"fields": [{"name": "zip", "value": "94117"}], "value": "kept", "header": "h"}
    assert STORAGE.redact_json(document)["fields"] == [{"name": "zip", "value": "94117"}]
    assert STORAGE.redact_json({"filter": {"value": "94117"}}) == {"filter": {"value": "94117"}}
    ref = {"auth": {"header": "X-Hook", "value": "{{hook_key}}"}}
    assert STORAGE.redact_json(ref) == ref


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("refresh failed for {'grant_type': 'refresh_token', 'token': 'rt_T1x9'}", "rt_T1x9"),
        ("POST body grant_type=client_credentials&secret=cs_T2x9&x=1", "cs_T2x9"),
        ("GET /cb?token=tk_T3x9&state=s", "tk_T3x9"),
        ('{"secret": "cs_T4x9"}', "cs_T4x9"),
        ("redirected to http://127.0.0.1:8765/callback?code=AC_T5x9&state=s1", "AC_T5x9"),
        ("fragment #state=s&code=AC_T6x9", "AC_T6x9"),
        ("password = pw_T7x9 was wrong", "pw_T7x9"),
        ("refresh_token=rt_T8x9&client_secret=cs_T9x9", "rt_T8x9"),
    ],
)
def test_secret_pairs_in_free_text_are_masked(text: str, secret: str) -> None:
    masked = Redactor().redact_text(text)
    assert secret not in masked and MASK in masked


@pytest.mark.parametrize(
    "text",
    [
        "Invalid token: expired",
        "error code=E123",
        "tokens=5",
        "token_type=Bearer",
        "status code 401",
    ],
)
def test_plain_words_about_tokens_are_kept(text: str) -> None:
    assert Redactor().redact_text(text) == text


@pytest.mark.parametrize("name", ["Location", "Content-Location", "Referer", "location"])
def test_url_headers_are_redacted_as_urls(name: str) -> None:
    value = "http://127.0.0.1:8765/callback?code=AC_abc123XYZ&state=s1&scope=a+b"
    for redactor in (STORAGE, PRESENTATION):
        shown = redactor.redact_header_value(name, value)
        assert shown == f"http://127.0.0.1:8765/callback?code={MASK}&state=s1&scope=a+b"
    with_secret = "https://app.example.com/next?access_token=at_LOC_1&page=2"
    assert "at_LOC_1" not in STORAGE.redact_header_value(name, with_secret)
    assert "page=2" in STORAGE.redact_header_value(name, with_secret)
    assert STORAGE.redact_header_value(name, "/api/v4/businesses/1") == "/api/v4/businesses/1"
    for secret, url in (
        ("sx_LOC_4", "https://app.example.com/?sessionid=sx_LOC_4&x=1"),
        ("pw_LOC_5", "https://partner:pw_LOC_5@app.example.com/next"),
        ("ck_LOC_6", "https://app.example.com/#cookie=ck_LOC_6"),
    ):
        assert secret not in STORAGE.redact_header_value(name, url), url


def test_link_header_targets_are_redacted_as_urls() -> None:
    value = (
        '<https://api.example.com/items?page=2&token=tk_LINK_1>; rel="next", '
        '<https://api.example.com/cb?code=AC_LINK_2>; rel="prev"'
    )
    shown = STORAGE.redact_header_value("Link", value)
    assert "tk_LINK_1" not in shown and "AC_LINK_2" not in shown
    assert 'page=2&token=••••••>; rel="next"' in shown and 'rel="prev"' in shown


def test_a_redirect_record_keeps_no_authorization_code() -> None:
    spec = RequestSpec(method="GET", url="https://auth.thumbtack.com/oauth2/authorize")
    record = ResponseRecord(
        request=spec,
        status=302,
        headers=(("Location", "http://127.0.0.1:8765/callback?code=AC_REC_3&state=s1"),),
    )
    assert "AC_REC_3" not in str(STORAGE.redact_record(record).headers)
