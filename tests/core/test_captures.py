"""Captures: a value from a response (JSONPath into the body, or a header) carried into
the next request's ``{{variables}}``."""

from __future__ import annotations

import json

import pytest

from explorer.core.captures import (
    Capture,
    CaptureError,
    CaptureSource,
    captured_values,
    evaluate,
    jsonpath_of,
    path_at,
    run_captures,
    suggested_name,
)
from explorer.core.models import NetworkFailure, RequestSpec, ResponseRecord
from explorer.core.variables import resolve_variables

SEARCH = {
    "searchID": "545691258236567552",
    "data": [
        {"businessID": "479288677004124167", "businessName": "Max", "rating": 4.9},
        {"businessID": "468046965846925323", "businessName": "Robert", "rating": 4.1},
    ],
    "metadata": {"categoryID": "201565295100608806", "zip code": "94117"},
}


def record(body: object, *, status: int = 200, headers: tuple[tuple[str, str], ...] = ()):  # type: ignore[no-untyped-def]
    raw = body if isinstance(body, bytes) else json.dumps(body, indent=2).encode()
    return ResponseRecord(
        request=RequestSpec(method="POST", url="http://127.0.0.1:1/api/v4/businesses/search"),
        status=status,
        headers=(("Content-Type", "application/json"), *headers),
        body=raw,
    )


@pytest.mark.parametrize(
    ("text", "name", "source", "expression"),
    [
        ("searchID <- $.searchID", "searchID", CaptureSource.BODY, "$.searchID"),
        ("searchID ← $.searchID", "searchID", CaptureSource.BODY, "$.searchID"),
        ("first = $.data[0].businessID", "first", CaptureSource.BODY, "$.data[0].businessID"),
        ("etag <- header ETag", "etag", CaptureSource.HEADER, "ETag"),
    ],
)
def test_a_capture_is_written_as_name_arrow_where(
    text: str, name: str, source: CaptureSource, expression: str
) -> None:
    capture = Capture.parse(text)
    assert (capture.name, capture.source, capture.expression) == (name, source, expression)
    assert Capture.from_dict(capture.to_dict()) == capture
    assert Capture.parse(str(capture)) == capture


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("searchID", "name <- $.path"),
        ("2x <- $.a", "cannot be a variable name"),
        ("a <- searchID", "start it with $"),
        ("a <- $.[[[", "not a JSONPath"),
        ("a <- header Bad Header", "not a header name"),
    ],
)
def test_a_capture_that_cannot_work_says_what_to_write(text: str, words: str) -> None:
    with pytest.raises(CaptureError, match=words.replace("$", r"\$").replace("[", r"\[")):
        Capture.parse(text)


def test_from_dict_needs_exactly_one_place() -> None:
    with pytest.raises(CaptureError, match="exactly one"):
        Capture.from_dict({"name": "a", "path": "$.a", "header": "ETag"})
    with pytest.raises(CaptureError, match="needs a 'name'"):
        Capture.from_dict({"path": "$.a"})


def test_captures_carry_the_search_id_into_the_create_request() -> None:
    captures = [
        Capture.parse("searchID <- $.searchID"),
        Capture.parse("businessID <- $.data[0].businessID"),
        Capture.parse("best <- $.data[?(@.rating > 4.5)].businessName"),
        Capture.parse("zip <- $.metadata['zip code']"),
        Capture.parse("count <- $.data.`len`"),
        Capture.parse("request_id <- header X-Request-ID"),
    ]
    results = run_captures(captures, record(SEARCH, headers=(("x-request-id", "r-1"),)))
    values = captured_values(results)
    assert values == {
        "searchID": "545691258236567552",
        "businessID": "479288677004124167",
        "best": "Max",
        "zip": "94117",
        "count": "2",
        "request_id": "r-1",
    }
    body = '{"searchID": "{{searchID}}", "businessIDs": ["{{businessID}}"]}'
    resolved = resolve_variables(body, values)
    assert json.loads(resolved.text) == {
        "searchID": "545691258236567552",
        "businessIDs": ["479288677004124167"],
    }
    assert resolved.unknown == ()


def test_an_object_or_number_is_captured_as_json_text() -> None:
    results = run_captures(
        [Capture.parse("first <- $.data[0]"), Capture.parse("rating <- $.data[1].rating")],
        record(SEARCH),
    )
    assert json.loads(results[0].value or "") == SEARCH["data"][0]  # type: ignore[index]
    assert results[1].value == "4.1"


def test_a_capture_that_finds_nothing_says_why_and_sets_nothing() -> None:
    results = run_captures(
        [
            Capture.parse("searchID <- $.searchId"),
            Capture.parse("etag <- header ETag"),
            Capture.parse("none <- $.nothing"),
        ],
        record(SEARCH),
    )
    assert [r.found for r in results] == [False, False, False]
    assert "$.searchId matches nothing" in results[0].problem
    assert "no ETag header" in results[1].problem
    assert captured_values(results) == {}
    text = run_captures([Capture.parse("a <- $.a")], record(b"<html>oops</html>"))
    assert text[0].problem == "the response body is not JSON"
    failed = ResponseRecord(
        request=RequestSpec(method="GET", url="http://127.0.0.1:1/"),
        failure=NetworkFailure(kind="refused", message="refused", exception_type="ConnectError"),
    )
    assert evaluate(Capture.parse("a <- $.a"), failed).problem == "there was no response to read"


def test_customer_data_is_marked_personal_and_ids_are_not() -> None:
    lead = {
        "negotiationID": "519153480500518912",
        "customer": {"displayName": "Olivia Y.", "phone": "+14155550123"},
    }
    results = run_captures(
        [
            Capture.parse("negotiationID <- $.negotiationID"),
            Capture.parse("customer <- $.customer.displayName"),
            Capture.parse("phone <- $.customer.phone"),
        ],
        record(lead),
    )
    assert [r.personal for r in results] == [False, True, True]


def test_a_place_in_the_body_text_becomes_a_jsonpath_and_a_name() -> None:
    text = json.dumps(SEARCH, indent=2)
    offset = text.index("468046965846925323") + 3
    parts = path_at(text, offset)
    assert parts == ("data", 1, "businessID")
    assert jsonpath_of(parts) == "$.data[1].businessID"
    assert suggested_name(parts) == "businessID"
    key = path_at(text, text.index('"zip code"') + 1)
    assert key == ("metadata", "zip code")
    assert jsonpath_of(key) == "$.metadata['zip code']"
    assert suggested_name(key) == "zip_code"
    capture = Capture(name="zip", expression=jsonpath_of(key))
    assert run_captures([capture], record(SEARCH))[0].value == "94117"
    assert path_at("not json", 2) is None
    assert path_at(text, len(text) + 5) is None
