"""The explanation engine: every rule, fed its documented body and realistic variations."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from typing import Any

import pytest

from explorer.core.explain import (
    UNDOCUMENTED_RULE_ID,
    ExplanationEngine,
    format_explanation_text,
)
from explorer.core.models import (
    Explanation,
    FixAction,
    NetworkFailureKind,
    RequestSpec,
    ResponseRecord,
    StatusClass,
)
from explorer.core.status import NO_RETRY_AFTER, classify
from tests.core.explain_cases import (
    API,
    CASES,
    INVALID_CLIENT,
    NEEDS_FAILURE_TEXT,
    PROXY_OAUTH_FAILED,
    TOKEN,
    TOKEN_NOT_ACTIVE,
    Case,
)


@pytest.fixture(scope="module")
def engine() -> ExplanationEngine:
    return ExplanationEngine.from_resources()


def explain_case(
    engine: ExplanationEngine,
    case: Case,
    body: bytes | None = None,
    headers: tuple[tuple[str, str], ...] | None = None,
) -> Explanation:
    return engine.explain_parts(
        case.status,
        case.body_bytes() if body is None else body,
        case.headers if headers is None else headers,
        case.url,
        NetworkFailureKind(case.failure) if case.failure else None,
        thumbtack=True,
    )


def test_every_rule_has_a_case(engine):
    covered = {case.rule_id for case in CASES} | NEEDS_FAILURE_TEXT
    assert covered == {rule.id for rule in engine.rules}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.rule_id)
def test_each_rule_explains_its_case(engine, case):
    explanation = explain_case(engine, case)
    rule = next(r for r in engine.rules if r.id == case.rule_id)
    assert explanation.rule_id == case.rule_id
    assert explanation.documented is rule.documented
    assert explanation.severity is rule.severity
    assert explanation.title and explanation.cause
    assert "{" not in explanation.title + explanation.cause + "".join(explanation.fix)
    for text in case.cause_has:
        assert text in explanation.cause
    if case.failure is None:
        info = classify(
            ResponseRecord(
                request=RequestSpec(method="GET", url=case.url),
                status=case.status,
                headers=case.headers,
                body=case.body_bytes(),
            )
        )
        assert explanation.status_class is info.status_class
    else:
        assert explanation.status_class is StatusClass.NETWORK_ERROR


def _recase(key: str) -> str:
    return "ERROR_DESCRIPTION" if key == "error_description" else key[:1].upper() + key[1:]


VARIANTS: dict[str, Callable[[dict[str, Any]], tuple[bytes, str]]] = {
    "pretty": lambda d: (json.dumps(d, indent=4).encode() + b"\n", "application/json"),
    "spaces": lambda d: (
        b"  \r\n" + json.dumps(d, separators=(" , ", " : ")).encode() + b"\t\r\n",
        "application/json",
    ),
    "reversed-keys": lambda d: (json.dumps(dict(reversed(d.items()))).encode(), ""),
    "extra-fields": lambda d: (
        json.dumps({"requestId": "r-1", **d, "meta": {"nested": [1, {"x": None}]}}).encode(),
        "application/json",
    ),
    "key-casing": lambda d: (json.dumps({_recase(k): v for k, v in d.items()}).encode(), ""),
    "bom": lambda d: (codecs.BOM_UTF8 + json.dumps(d).encode(), "application/json"),
    "utf-16": lambda d: (json.dumps(d).encode("utf-16"), "application/json; charset=utf-16"),
    "charset": lambda d: (json.dumps(d).encode("latin-1"), "application/json; Charset=ISO-8859-1"),
    "problem+json": lambda d: (json.dumps(d).encode(), "application/problem+json; charset=utf-8"),
}

JSON_CASES = [case for case in CASES if case.is_json]


VARIANT_CASES = [
    pytest.param(case, variant, id=f"{case.rule_id}-{variant}")
    for case in JSON_CASES
    for variant in sorted(VARIANTS)
    # problem+json is an error format: not tried on successes
    if not (variant == "problem+json" and case.status is not None and case.status < 400)
]


@pytest.mark.parametrize(("case", "variant"), VARIANT_CASES)
def test_variations_get_the_same_explanation(engine, case, variant):
    body, content_type = VARIANTS[variant](case.body)
    headers = case.headers + ((("Content-Type", content_type),) if content_type else ())
    explanation = explain_case(engine, case, body=body, headers=headers)
    assert explanation.rule_id == case.rule_id
    for text in case.cause_has:
        assert text in explanation.cause
    decoded = body.decode(content_type.rpartition("=")[2] if "=" in content_type else "utf-8-sig")
    for fragment in explanation.matched:
        assert fragment in decoded


@pytest.mark.parametrize(
    "detail",
    [
        "invalid token. failure reason(s): [token is not active]",
        "Token is NOT active",
        "the access token is not active anymore",
        "failure reason(s): [token  is\tnot active, audience mismatch]",
    ],
)
@pytest.mark.parametrize("field_name", ["detail", "Detail", "error_description", "title"])
def test_token_not_active_phrasings(engine, detail, field_name):
    body = {"type": "about:blank", "status": 401, field_name: detail}
    explanation = engine.explain_parts(401, json.dumps(body).encode(), {}, API)
    assert explanation.rule_id == "token-not-active"
    assert FixAction.REFRESH_TOKEN_AND_RETRY in explanation.actions


def test_documented_invalid_client_highlights_the_error_field(engine):
    body = json.dumps(INVALID_CLIENT, separators=(",", ":")).encode()
    explanation = engine.explain_parts(401, body, {"Content-Type": "application/json"}, TOKEN)
    assert '"error":"invalid_client"' in explanation.matched
    assert FixAction.USE_ENVIRONMENT_TOKEN_SERVER in explanation.actions
    assert explanation.fix[0].startswith("Use the token URL of the same environment")


def test_error_value_casing_and_whitespace(engine):
    body = b'{ "Error" : " Invalid_Client ", "ERROR_DESCRIPTION": "x" }'
    assert engine.explain_parts(401, body, (), TOKEN).rule_id == "invalid-client"


def test_documented_proxy_oauth_failed(engine):
    body = json.dumps(PROXY_OAUTH_FAILED).encode()
    explanation = engine.explain_parts(502, body, (), API)
    assert explanation.rule_id == "proxy-oauth-failed"
    assert explanation.status_class is StatusClass.SETUP_ERROR
    assert explanation.actions == (FixAction.SET_AUDIENCE_AND_RETRY,)
    assert any(f.startswith('"detail"') for f in explanation.matched)


def test_message_fields_read_in_documented_order(engine):
    body = {"error": "invalid_grant", "title": "T", "detail": "D", "error_description": "ED"}
    explanation = engine.explain_parts(400, json.dumps(body).encode(), (), TOKEN)
    assert "(ED)" in explanation.cause


@pytest.mark.parametrize(
    ("status", "body", "rule_id", "status_class"),
    [
        (
            401,
            b"<html><body>Unauthorized by proxy</body></html>",
            "html-error-page",
            StatusClass.AUTH_ERROR,
        ),
        (
            502,
            b"<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>",
            "html-error-page",
            StatusClass.SERVER_ERROR,
        ),
        (
            202,
            b"<!DOCTYPE html><html><script>challenge()</script></html>",
            "waf-challenge",
            StatusClass.CHALLENGE,
        ),
        (
            429,
            b"<html><title>Too many requests</title></html>",
            "rate-limited",
            StatusClass.RATE_LIMITED,
        ),
        (
            403,
            b"  \n<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD></HTML>",
            "forbidden-waf-page",
            StatusClass.FORBIDDEN,
        ),
    ],
)
def test_html_bodies_from_proxies(engine, status, body, rule_id, status_class):
    explanation = engine.explain_parts(status, body, {"content-type": "text/html"}, API)
    assert explanation.rule_id == rule_id
    assert explanation.status_class is status_class


def test_truncated_json_error_body_is_still_read(engine):
    full = json.dumps(TOKEN_NOT_ACTIVE)
    cut = full[: full.index("active") + len("active")].encode()
    assert engine.explain_parts(401, cut, (), API).rule_id == "token-not-active"
    cut = json.dumps(PROXY_OAUTH_FAILED)[:60].encode()
    assert engine.explain_parts(502, cut, (), API).rule_id == "proxy-oauth-failed"


def test_non_utf8_body_decoded_by_declared_charset(engine):
    body = '{"title":"Requête invalide","status":400}'.encode("latin-1")
    explanation = engine.explain_parts(
        400, body, {"Content-Type": "application/json; charset=latin-1"}
    )
    assert "Requête invalide" in explanation.cause


def test_undeclared_non_utf8_body_does_not_break(engine):
    body = b'{"title":"Requ\xeate","status":400}'
    explanation = engine.explain_parts(400, body)
    assert explanation.rule_id == "bad-request"
    assert "Requête" in explanation.cause


def test_empty_error_body(engine):
    explanation = engine.explain_parts(401, b"", (), API)
    assert explanation.rule_id == "unauthorized"
    assert "body says" not in explanation.cause


def test_unknown_error_is_honestly_not_documented(engine):
    body = {"error": "teapot_error", "error_description": "short and stout"}
    explanation = engine.explain_parts(
        418, json.dumps(body).encode(), (), API, reason="I'm a teapot"
    )
    assert explanation.rule_id == UNDOCUMENTED_RULE_ID
    assert explanation.documented is False
    assert explanation.status_class is StatusClass.CLIENT_ERROR
    assert "418" in explanation.title
    assert "short and stout" in explanation.cause
    assert "I'm a teapot" in explanation.cause


def test_unknown_status_with_trace_id_offers_copy(engine):
    body = b'{"traceID":"abc123","foo":1}'
    explanation = engine.explain_parts(422, body)
    assert explanation.rule_id == UNDOCUMENTED_RULE_ID
    assert explanation.trace_id == "abc123"
    assert FixAction.COPY_TRACE_ID in explanation.actions


def test_trace_id_gives_copy_action_and_support_step(engine):
    body = json.dumps({"title": "Internal Server Error", "status": 500, "traceID": "feca6"})
    explanation = engine.explain_parts(500, body.encode())
    assert explanation.trace_id == "feca6"
    assert FixAction.COPY_TRACE_ID in explanation.actions
    assert explanation.fix[-1] == (
        "Give this traceID (feca6) to your Account Manager or partnerships@thumbtack.com "
        "when you report the problem."
    )
    assert '"traceID": "feca6"' in explanation.matched


def test_trace_id_from_a_header(engine):
    explanation = engine.explain_parts(500, b"", {"X-Trace-Id": "hdr-1"})
    assert explanation.trace_id == "hdr-1"
    assert FixAction.COPY_TRACE_ID in explanation.actions


def test_no_copy_action_without_a_trace_id(engine):
    explanation = engine.explain_parts(500, b"")
    assert explanation.trace_id is None
    assert FixAction.COPY_TRACE_ID not in explanation.actions


def test_rate_limit_with_and_without_retry_after(engine):
    waiting = engine.explain_parts(429, b"", {"Retry-After": "30"})
    assert waiting.retry_after_s == 30.0
    assert FixAction.RETRY_AFTER in waiting.actions
    assert "wait 30 s" in waiting.cause
    blind = engine.explain_parts(429, b"")
    assert blind.retry_after_s is None
    assert FixAction.RETRY_AFTER not in blind.actions
    assert FixAction.RETRY in blind.actions
    assert NO_RETRY_AFTER in blind.cause


def test_host_kind_is_inferred_or_given(engine):
    assert engine.explain_parts(401, b"", (), TOKEN).rule_id == "token-server-unauthorized"
    assert engine.explain_parts(401, b"", (), API).rule_id == "unauthorized"
    given = engine.explain_parts(401, b"", (), API, host_kind="token")
    assert given.rule_id == "token-server-unauthorized"


def test_explain_a_record_uses_the_final_url(engine):
    record = ResponseRecord(
        request=RequestSpec(method="POST", url="https://example.invalid/start"),
        status=401,
        body=json.dumps(INVALID_CLIENT).encode(),
        headers=(("content-type", "application/json"),),
        url=TOKEN,
    )
    explanation = engine.explain(record)
    assert explanation.rule_id == "invalid-client"
    assert engine.explain(record, host_kind="api").rule_id == "invalid-client"


def test_redirect_names_the_target(engine):
    explanation = engine.explain_parts(302, b"", {"Location": "https://www.thumbtack.com/login"})
    assert explanation.rule_id == "redirect-to-login"
    assert "https://www.thumbtack.com/login" in explanation.cause
    plain = engine.explain_parts(307, b"")
    assert plain.rule_id == "redirect"
    assert "with no Location header" in plain.title


def test_to_dict_is_json_ready(engine):
    data = engine.explain_parts(400, json.dumps(CASES[8].body).encode()).to_dict()
    assert json.loads(json.dumps(data))["rule_id"] == "validation-error"
    assert {"rule_id", "status_class", "title", "cause", "fix", "doc_url", "severity"} <= set(data)


def test_format_explanation_text(engine):
    documented = engine.explain_parts(401, json.dumps(TOKEN_NOT_ACTIVE).encode(), (), API)
    text = format_explanation_text(documented)
    assert text.splitlines()[0] == "ERROR: Access token expired (token is not active)"
    assert "\n  1. Refresh the token and send the request again." in text
    assert "Docs: https://developers.thumbtack.com/docs/getting-started/troubleshooting" in text
    assert "unverified" not in text
    inferred = engine.explain_parts(400, b'{"error":"invalid_grant"}', (), TOKEN)
    assert "[unverified" in format_explanation_text(inferred).splitlines()[0]


def test_explain_never_raises_on_a_broken_record(engine):
    record = ResponseRecord(request=RequestSpec(method="GET", url=API), status=200)
    object.__setattr__(record, "body", object())  # a damaged value from a buggy caller
    object.__setattr__(record, "headers", 5)
    explanation = engine.explain(record)
    assert isinstance(explanation, Explanation)


LONG_JWT = (
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9."
    + "eyJzdWIiOiJ1c2VyLTQyIiwiZW1haWwiOiJkYW5hQGV4YW1wbGUuY29tIiwic2NvcGUiOiJkZW1hbmQ6OmJ1" * 5
    + ".5_AEnuZhRF7CwJcTsK10uF6wI1mbuV5dXdVJGVx2GMM"
)


@pytest.mark.parametrize("token", [LONG_JWT, "opq_" + "9Hc2Wq7Yz3" * 40])
def test_a_long_token_in_the_body_is_never_quoted_cut_in_half(
    engine: ExplanationEngine, token: str, explorer_home: Any
) -> None:
    from explorer.core.history import HistoryStore
    from explorer.core.redact import RedactionPolicy, Redactor
    from explorer.paths import AppPaths

    body = {"title": "Unauthorized", "status": 401, "detail": f"token {token} is not valid"}
    rec = ResponseRecord(
        request=RequestSpec(method="GET", url=API),
        status=401,
        reason="Unauthorized",
        headers=(("Content-Type", "application/problem+json"),),
        body=json.dumps(body).encode(),
    )
    explanation = engine.explain(rec)
    assert "The body says" in explanation.cause and "Unauthorized" in explanation.cause
    assert len(explanation.cause) < len(token)  # the excerpt was cut
    redacted = Redactor(RedactionPolicy.for_presentation((token,)))
    cause = redacted.redact_mapping(explanation.to_dict())["cause"]
    assert token[:40] not in cause and token[-300:-260] not in cause
    paths = AppPaths.from_environment().ensure()
    with HistoryStore.open(paths) as history:
        history.add(rec, explanation=explanation, known_secrets=(token,))
    raw = b"".join(p.read_bytes() for p in paths.data.glob("history.sqlite3*"))
    assert token[:40].encode() not in raw and token[100:140].encode() not in raw
