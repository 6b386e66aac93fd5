"""The core against a real third-party server (httpbin under gunicorn on 127.0.0.1):
statuses, timeouts, redirects and encodings are classified and explained correctly."""

from __future__ import annotations

import pytest

from explorer.core.explain import ExplanationEngine
from explorer.core.http import make_client, send
from explorer.core.models import NetworkFailureKind, RequestSpec, StatusClass
from explorer.core.status import classify

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def engine() -> ExplanationEngine:
    return ExplanationEngine.from_resources()


def _get(url: str, **spec: object):  # type: ignore[no-untyped-def]
    with make_client() as client:
        return send(RequestSpec(method="GET", url=url, **spec), client=client)  # type: ignore[arg-type]


def test_429_without_retry_after_says_back_off(httpbin_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    record = _get(httpbin_url + "/status/429")
    info = classify(record)
    assert record.status == 429
    assert info.status_class is StatusClass.RATE_LIMITED
    assert info.retry_after_s is None
    explanation = engine.explain(record)
    assert explanation.status_class is StatusClass.RATE_LIMITED
    assert explanation.fix


def test_202_from_another_host_is_accepted(httpbin_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    record = _get(httpbin_url + "/status/202")
    assert classify(record).status_class is StatusClass.SUCCESS
    assert engine.explain(record).rule_id == "http-accepted"


def test_202_from_a_host_marked_as_thumbtack_is_a_challenge(httpbin_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    record = _get(httpbin_url + "/status/202", thumbtack=True)
    assert classify(record).status_class is StatusClass.CHALLENGE
    assert not classify(record).ok
    assert "challenge" in engine.explain(record).title.lower()


def test_server_errors_and_not_found(httpbin_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    assert classify(_get(httpbin_url + "/status/503")).status_class is StatusClass.SERVER_ERROR
    assert classify(_get(httpbin_url + "/status/404")).status_class is StatusClass.NOT_FOUND


def test_read_timeout_is_named_and_explained(httpbin_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    record = _get(httpbin_url + "/delay/3", timeout_s=0.5)
    assert record.failure is not None
    assert record.failure.kind is NetworkFailureKind.READ_TIMEOUT
    explanation = engine.explain(record)
    assert explanation.status_class is StatusClass.NETWORK_ERROR
    assert "timed out" in (explanation.title + explanation.cause).lower()


def test_redirect_is_shown_not_followed(httpbin_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    record = _get(httpbin_url + "/redirect/2")
    assert record.status == 302
    assert classify(record).status_class is StatusClass.REDIRECT
    assert record.header("location")
    assert engine.explain(record).status_class is StatusClass.REDIRECT


def test_gzip_body_is_decoded_and_bearer_challenge_explained(httpbin_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    record = _get(httpbin_url + "/gzip")
    assert record.status == 200
    assert b'"gzipped": true' in record.body
    unauthorized = _get(httpbin_url + "/bearer")
    assert unauthorized.status == 401
    assert engine.explain(unauthorized).status_class is StatusClass.AUTH_ERROR
