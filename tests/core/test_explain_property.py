"""Property: the engine explains any status, body and headers without raising."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.explain import INTERNAL_RULE_ID, ExplanationEngine
from explorer.core.models import Explanation, NetworkFailureKind, RequestSpec, ResponseRecord
from explorer.core.status import classify

ENGINE = ExplanationEngine.from_resources()

KEYS = st.sampled_from(
    [
        "error",
        "Error",
        "ERROR_DESCRIPTION",
        "error_description",
        "detail",
        "title",
        "type",
        "status",
        "traceID",
        "errors",
        "message",
        "x",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(st.binary(max_size=300))
    document = draw(st.dictionaries(KEYS, JSON_VALUES, max_size=6))
    text = json.dumps(document)
    if choice == 1:
        return text.encode()
    if choice == 2:  # cut anywhere
        return text.encode()[: draw(st.integers(0, len(text)))]
    prefix = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"<html>", b"  \n", b""]))
    return prefix + text.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])), "replace")


HEADERS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "Content-Type",
                "Retry-After",
                "Location",
                "WWW-Authenticate",
                "X-Trace-Id",
                "retry-after",
            ]
        )
        | st.text(max_size=12),
        st.text(max_size=60),
    ),
    max_size=5,
)
STATUSES = st.none() | st.integers(-10, 1000) | st.sampled_from([200, 202, 401, 429, 502])
URLS = st.sampled_from(
    [
        "",
        "https://auth.thumbtack.com/oauth2/token",
        "https://api.thumbtack.com/api/v4/x",
        "http://[::1",
        "not a url",
        "http://127.0.0.1:1/oauth2/token",
    ]
) | st.text(max_size=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=STATUSES,
    body=bodies(),
    headers=HEADERS,
    url=URLS,
    failure=st.none() | st.sampled_from(list(NetworkFailureKind)),
    host_kind=st.sampled_from([None, "token", "api", "bogus"]),
)
def test_engine_never_raises(*, status, body, headers, url, failure, host_kind):
    explanation = ENGINE.explain_parts(status, body, headers, url, failure, host_kind=host_kind)
    assert isinstance(explanation, Explanation)
    # Robust by design, not by the last-resort catch.
    assert explanation.rule_id != INTERNAL_RULE_ID
    assert explanation.title and explanation.cause
    json.dumps(explanation.to_dict())
    record = ResponseRecord(
        request=RequestSpec(method="GET", url=url),
        status=status,
        headers=tuple(headers),
        body=body,
    )
    same = ENGINE.explain(record, host_kind=host_kind)
    assert same.rule_id == explanation.rule_id or failure is not None
    assert classify(record).label
