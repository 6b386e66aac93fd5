"""A body finding quotes at most a few dozen characters of what was typed, however big."""

from __future__ import annotations

import json

import pytest

from explorer.core.validation import QUOTE_LIMIT, check_body

HUGE = "A" * 5_000_000


@pytest.mark.parametrize(
    ("schema", "document"),
    [
        ({"type": "object"}, HUGE),
        ({"type": "object", "properties": {"x": {"type": "integer"}}}, {"x": HUGE}),
        ({"enum": ["a", "b"]}, HUGE),
        ({"const": "a"}, HUGE),
        ({"oneOf": [{"type": "integer"}, {"type": "boolean"}]}, HUGE),
        ({"not": {"type": "string"}}, HUGE),
        ({"type": "array", "uniqueItems": True}, [HUGE, HUGE]),
        ({"type": "string"}, list(range(200_000))),
    ],
)
def test_a_finding_about_a_huge_value_stays_short(schema: dict, document: object) -> None:  # type: ignore[type-arg]
    findings = check_body(schema, json.dumps(document), None)
    assert findings
    for finding in findings:
        assert len(finding.message) < 500, finding.message[:200]
    if isinstance(document, str):
        assert any("AAAA" in f.message for f in findings)  # still says what it is
    assert QUOTE_LIMIT <= 100
