"""Status classification: the documented table, challenges, set-up errors, Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from explorer.core.models import (
    NetworkFailure,
    NetworkFailureKind,
    RequestSpec,
    ResponseRecord,
    StatusClass,
)
from explorer.core.status import (
    NO_RETRY_AFTER,
    HostKind,
    StatusIcon,
    classify,
    classify_status,
    infer_host_kind,
    legend,
    parse_retry_after,
)

API = "https://api.thumbtack.com/api/v4/businesses"


def record(status: int | None, body: bytes = b"", headers=(), failure=None) -> ResponseRecord:
    return ResponseRecord(
        request=RequestSpec(method="GET", url=API),
        status=status,
        headers=tuple(headers),
        body=body,
        failure=failure,
    )


@pytest.mark.parametrize(
    ("code", "status_class", "label", "meaning_part"),
    [
        (200, StatusClass.SUCCESS, "200 OK", "OK"),
        (202, StatusClass.CHALLENGE, "202 Challenge", "did not reach the API"),
        (400, StatusClass.BAD_REQUEST, "400 Bad request", "missing required parameter"),
        (401, StatusClass.AUTH_ERROR, "401 Unauthorized", "invalid auth key"),
        (403, StatusClass.FORBIDDEN, "403 Forbidden", "blocked IP or User-Agent"),
        (404, StatusClass.NOT_FOUND, "404 Not found", "does not exist"),
        (429, StatusClass.RATE_LIMITED, "429 Rate limited", "too many requests"),
        (451, StatusClass.LEGAL, "451 Unavailable for legal reasons", "sanctioned country"),
        (500, StatusClass.SERVER_ERROR, "500 Server error", "server error at Thumbtack"),
        (503, StatusClass.SERVER_ERROR, "503 Server error", "server error at Thumbtack"),
    ],
)
def test_documented_table_rows(code, status_class, label, meaning_part):
    info = classify(record(code))
    assert info.status_class is status_class
    assert info.code == code
    assert info.label == label
    assert meaning_part in info.meaning
    assert info.documented is True


def test_202_is_an_amber_challenge_not_a_success():
    info = classify(record(202, b"<html><body>Checking your browser</body></html>"))
    assert info.status_class is StatusClass.CHALLENGE
    assert info.icon is StatusIcon.WARNING
    assert info.meaning.startswith("challenge: the request did not reach the API")


@pytest.mark.parametrize(
    "body",
    [
        b'{"error":"proxy_oauth_failed","detail":"Error: oauth_400:invalid_request"}',
        b'\xef\xbb\xbf { "detail": "x", "Error" : "PROXY_OAUTH_FAILED" }',
    ],
)
def test_502_proxy_oauth_failed_is_a_setup_error(body):
    info = classify(record(502, body))
    assert info.status_class is StatusClass.SETUP_ERROR
    assert info.label == "502 Set-up error"
    assert "not an outage" in info.meaning


def test_plain_502_is_a_server_error():
    info = classify(record(502, b"<html>Bad Gateway</html>"))
    assert info.status_class is StatusClass.SERVER_ERROR


def test_429_with_retry_after_seconds():
    info = classify(record(429, headers=[("Retry-After", "30")]))
    assert info.retry_after_s == 30.0
    assert "retry after 30 s" in info.meaning


def test_429_with_retry_after_http_date():
    when = datetime.now(UTC) + timedelta(seconds=120)
    info = classify(record(429, headers=[("retry-after", format_datetime(when, usegmt=True))]))
    assert info.retry_after_s is not None
    assert 100 <= info.retry_after_s <= 121


def test_429_without_retry_after_says_back_off():
    info = classify(record(429))
    assert info.retry_after_s is None
    assert NO_RETRY_AFTER in info.meaning


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        (" 12 ", 12.0),
        ("1.5", 1.5),
        ("-3", None),
        ("nan", None),
        ("soon", None),
        ("", None),
        (None, None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past: no wait
    ],
)
def test_parse_retry_after(value, expected):
    assert parse_retry_after(value) == expected


def test_parse_retry_after_date_relative_to_now():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:01:30 GMT", now=now) == 90.0


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (NetworkFailureKind.DNS, "Network: DNS"),
        (NetworkFailureKind.REFUSED, "Network: refused"),
        (NetworkFailureKind.TLS, "Network: TLS"),
        (NetworkFailureKind.READ_TIMEOUT, "Network: read timeout"),
        (NetworkFailureKind.RESET, "Network: reset"),
    ],
)
def test_network_failures_have_their_own_badge(kind, label):
    failure = NetworkFailure(kind=kind, exception_type="X", message="m")
    info = classify(record(None, failure=failure))
    assert info.status_class is StatusClass.NETWORK_ERROR
    assert info.label == label
    assert info.code is None
    expected_icon = StatusIcon.CLOCK if "timeout" in kind.value else StatusIcon.NETWORK
    assert info.icon is expected_icon


@pytest.mark.parametrize(
    ("code", "status_class", "documented"),
    [
        (100, StatusClass.INFORMATIONAL, False),
        (204, StatusClass.SUCCESS, False),
        (301, StatusClass.REDIRECT, False),
        (418, StatusClass.CLIENT_ERROR, False),
        (700, StatusClass.UNKNOWN, False),
        (None, StatusClass.UNKNOWN, False),
    ],
)
def test_codes_outside_the_table(code, status_class, documented):
    info = classify_status(code)
    assert info.status_class is status_class
    assert info.documented is documented


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://auth.thumbtack.com/oauth2/token", HostKind.TOKEN),
        ("https://staging-auth.thumbtack.com/oauth2/token", HostKind.TOKEN),
        ("http://127.0.0.1:8123/oauth2/token/", HostKind.TOKEN),
        ("https://staging-auth.thumbtack.com/anything", HostKind.TOKEN),
        ("https://api.thumbtack.com/api/v4/categories", HostKind.API),
        ("http://127.0.0.1:8123/api/v4/categories", HostKind.API),
        ("", HostKind.API),
        ("http://[::1", HostKind.API),
    ],
)
def test_infer_host_kind(url, kind):
    assert infer_host_kind(url) is kind


def test_legend_covers_every_badge_kind_with_text():
    rows = legend()
    classes = {row.status_class for row in rows}
    assert {
        StatusClass.SUCCESS,
        StatusClass.CHALLENGE,
        StatusClass.REDIRECT,
        StatusClass.AUTH_ERROR,
        StatusClass.RATE_LIMITED,
        StatusClass.SETUP_ERROR,
        StatusClass.SERVER_ERROR,
        StatusClass.NETWORK_ERROR,
    } <= classes
    assert all(row.label and row.meaning and row.icon for row in rows)


def test_classify_survives_a_broken_record():
    broken = record(200, body=b"\x00\xff" * 10)
    assert classify(broken).status_class is StatusClass.SUCCESS
    assert classify(record(200), host_kind="bogus").status_class is StatusClass.SUCCESS


def test_401_from_the_token_server_says_the_client_was_refused():
    token = ResponseRecord(
        request=RequestSpec(method="POST", url="https://auth.thumbtack.com/oauth2/token"),
        status=401,
    )
    info = classify(token)
    assert info.label == "401 Unauthorized"
    assert info.meaning == "Unauthorized: the token server refused the client"
    assert info.status_class is StatusClass.AUTH_ERROR
    assert classify(record(401)).meaning == "Unauthorized: invalid auth key"  # the API's
    assert classify(record(401), host_kind=HostKind.TOKEN).meaning.endswith("refused the client")


def test_the_badge_agrees_with_a_finer_explanation() -> None:
    from explorer.core.explain import ExplanationEngine
    from explorer.core.status import agreeing

    engine = ExplanationEngine.from_resources()
    json_type = [("content-type", "application/json")]
    url = "https://api.thumbtack.com/api/v4/x"
    scope = b'{"detail": "required scope(s) [demand::x] not found"}'
    for status in (401, 403):
        explanation = engine.explain_parts(status, scope, json_type, url)
        info = agreeing(classify_status(status, body_json={"detail": "x"}), explanation)
        if "scope" in explanation.title.lower():
            assert "scope" in info.meaning.lower()
            assert "blocked" not in info.meaning.lower()
        assert info.status_class is explanation.status_class
    broken = engine.explain_parts(200, b'{"a": [1', json_type, url)
    info = agreeing(classify_status(200), broken)
    assert info.status_class is not StatusClass.SUCCESS
    assert info.label == "200 Body not usable"
    plain = engine.explain_parts(404, b"", json_type, url)
    assert agreeing(classify_status(404), plain) == classify_status(404)
    assert agreeing(classify_status(404), None) == classify_status(404)
