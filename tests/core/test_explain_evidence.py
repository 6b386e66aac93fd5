"""Explanations carry their evidence grade, and real 401 bodies are explained as such."""

from __future__ import annotations

import json
from typing import Any

import pytest

from explorer.core.evidence import Evidence
from explorer.core.explain import ExplanationEngine as Explainer
from explorer.core.explain import format_explanation_text
from explorer.core.models import Explanation, FixAction, RequestSpec, ResponseRecord, StatusClass

API = "https://api.thumbtack.com/api/v4/businesses"


def _record(status: int, body: Any, content_type: str = "application/problem+json") -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return ResponseRecord(
        request=RequestSpec(method="GET", url=API),
        status=status,
        headers=(("Content-Type", content_type),),
        body=raw,
        url=API,
    )


@pytest.fixture(scope="module")
def explainer() -> Explainer:
    return Explainer.from_resources()


@pytest.mark.parametrize(
    ("detail", "scopes"),
    [
        ("required scope(s) [supply::businesses.list] not found", "supply::businesses.list"),
        ("required scope(s) [demand::keywords.read] not found", "demand::keywords.read"),
        (
            "invalid token. failure reason(s): [required scope(s) [supply::negotiations.read "
            "supply::messages.read] not found]",
            "supply::negotiations.read supply::messages.read",
        ),
        ("Required Scope(s) [ supply::webhooks.write ] not found", "supply::webhooks.write"),
    ],
)
@pytest.mark.parametrize("content_type", ["application/problem+json", "application/json"])
def test_a_missing_scope_401_is_explained_as_seen_in_real_traffic(
    explainer: Explainer, detail: str, scopes: str, content_type: str
) -> None:
    body = {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": detail,
        "traceID": "5f1c0e2d9a8b7c6d",
    }
    explanation = explainer.explain(_record(401, body, content_type))
    assert explanation.rule_id == "missing-scope"
    assert explanation.grade is Evidence.OBSERVED and not explanation.documented
    assert scopes in explanation.title and scopes in explanation.fix[0]
    assert FixAction.OPEN_SCOPE_EDITOR in explanation.actions
    assert FixAction.COPY_TRACE_ID in explanation.actions
    assert explanation.trace_id == "5f1c0e2d9a8b7c6d"
    data = explanation.to_dict()
    assert data["evidence"] == "observed" and data["documented"] is False
    assert data["evidence_label"] == "seen in real traffic"
    text = format_explanation_text(explanation)
    assert "seen in real traffic" in text.splitlines()[0]


@pytest.mark.parametrize(
    "detail",
    [
        "invalid token. failure reason(s): [token is not active]",
        "no bearer token",
        "invalid token. failure reason(s): [token is malformed]",
    ],
)
def test_every_401_with_a_trace_id_offers_to_copy_it(explainer: Explainer, detail: str) -> None:
    body = {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": detail,
        "traceID": "0123456789abcdef",
    }
    explanation = explainer.explain(_record(401, body))
    assert explanation.trace_id == "0123456789abcdef"
    assert FixAction.COPY_TRACE_ID in explanation.actions
    assert any("0123456789abcdef" in step for step in explanation.fix)


def test_a_malformed_token_is_not_explained_as_expired(explainer: Explainer) -> None:
    body = {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": "invalid token. failure reason(s): [token is malformed: not a JWT]",
        "traceID": "0123456789abcdef",
    }
    explanation = explainer.explain(_record(401, body))
    assert explanation.rule_id == "token-malformed"
    assert explanation.grade is Evidence.INFERRED
    assert "expired" not in explanation.title.lower()


def test_no_rule_that_is_not_documented_reads_as_documented(explainer: Explainer) -> None:
    grades = {rule.evidence for rule in explainer.rules}
    assert grades == set(Evidence)
    for rule in explainer.rules:
        assert isinstance(rule.evidence, Evidence)
        assert rule.documented == (rule.evidence is Evidence.DOCUMENTED)


def test_an_explanation_graded_below_documented_is_never_documented() -> None:
    for grade in (Evidence.OBSERVED, Evidence.INFERRED):
        made = Explanation(
            rule_id="x",
            status_class=StatusClass.UNKNOWN,
            title="t",
            cause="c",
            documented=True,
            evidence=grade,
        )
        assert made.documented is False and made.to_dict()["evidence"] == grade.value
    legacy = Explanation(
        rule_id="x", status_class=StatusClass.UNKNOWN, title="t", cause="c", documented=False
    )
    assert legacy.grade is Evidence.INFERRED


@pytest.mark.parametrize(
    "detail",
    [
        "required scope(s) [supply::businesses.list] not found",
        "invalid token. failure reason(s): [required scope(s) [supply::businesses.list] not found]",
    ],
)
def test_the_badge_names_a_missing_scope(detail: str) -> None:
    from explorer.core.status import classify_status

    body = {"type": "about:blank", "title": "Unauthorized", "status": 401, "detail": detail}
    info = classify_status(401, body_json=body)
    assert info.label == "401 Missing scope"
    assert "supply::businesses.list" in info.meaning and "real traffic" in info.meaning
    plain = classify_status(401, body_json={**body, "detail": "token is not active"})
    assert plain.label == "401 Unauthorized"
