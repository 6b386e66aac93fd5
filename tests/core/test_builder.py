"""Building the exact request from typed inputs, and saying what is wrong with them."""

from __future__ import annotations

import json

import pytest

from explorer.core.builder import (
    ProblemLocation,
    RequestInputs,
    build_request,
    example_inputs,
    resolve_variables,
    validate_inputs,
)
from explorer.core.catalog import Catalog, load_default_catalog
from explorer.core.models import Endpoint, Severity

BASE = "https://api.thumbtack.com"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


def _endpoint(catalog: Catalog, operation_id: str) -> Endpoint:
    endpoint = catalog.by_operation_id(operation_id)
    assert endpoint is not None
    return endpoint


def test_deep_object_and_repeated_query_keys_keep_order(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "getCategoryRecommendationsV4")
    inputs = RequestInputs(
        query_params=(
            ("zipCode", "90210"),
            ("recommendationType", "popular"),
            ("utmData[utm_source]", "cma-x y"),
            ("limit", "1"),
            ("limit", "2"),
        )
    )
    spec = build_request(endpoint, inputs, base_url=BASE + "/")
    assert spec.url == (
        f"{BASE}/api/v4/categories/recommendations?zipCode=90210&recommendationType=popular"
        "&utmData[utm_source]=cma-x%20y&limit=1&limit=2"
    )
    assert spec.method == "GET" and spec.body is None
    assert spec.operation_id == "getCategoryRecommendationsV4"


def test_path_params_are_percent_encoded_and_missing_ones_stay_visible(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "getBusinessWebhookV4")
    spec = build_request(
        endpoint, RequestInputs(path_params={"businessID": "a/b?c"}), base_url=BASE
    )
    assert spec.url == f"{BASE}/api/v4/businesses/a%2Fb%3Fc/webhooks/{{webhookID}}"


def test_variables_are_substituted_everywhere_and_inputs_override(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "sendMessageV4")
    inputs = RequestInputs(
        path_params={"negotiationID": "{{negotiationID}}"},
        headers=(("X-Trace", "{{ trace }}"),),
        body_text='{"text": "hi {{name}}"}',
        variables={"name": "Dana"},
    )
    spec = build_request(
        endpoint,
        inputs,
        base_url="{{api}}",
        variables={"api": BASE, "negotiationID": "42", "trace": "t1", "name": "ignored"},
        auth_header="Bearer secret",
    )
    assert spec.url == f"{BASE}/api/v4/negotiations/42/messages"
    assert json.loads(spec.body or b"") == {"text": "hi Dana"}
    assert spec.header("x-trace") == "t1"
    assert spec.header("Content-Type") == "application/json"
    assert spec.header("Authorization") == "Bearer secret"


def test_typed_authorization_header_wins_over_the_profile(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "getCurrentUserV4")
    spec = build_request(
        endpoint,
        RequestInputs(headers=(("authorization", "Bearer typed"),)),
        base_url=BASE,
        auth_header="Bearer profile",
    )
    assert [v for k, v in spec.headers if k.lower() == "authorization"] == ["Bearer typed"]


def test_form_body_of_token_endpoint_is_form_encoded(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "getTokenV4")
    inputs = example_inputs(endpoint)
    spec = build_request(endpoint, inputs, base_url="https://auth.thumbtack.com")
    assert spec.url == "https://auth.thumbtack.com/oauth2/token"
    assert spec.body == (
        b"grant_type=client_credentials&audience=urn%3Apartner-api"
        b"&scope=demand%3A%3Abusinesses%2Fsearch.read"
    )
    assert spec.header("content-type") == "application/x-www-form-urlencoded"


def test_resolve_variables_reports_unknown_names() -> None:
    resolved = resolve_variables("{{a}}-{{b}}-{{ b }}", {"a": "1"})
    assert resolved.text == "1-{{b}}-{{ b }}"
    assert resolved.unknown == ("b",)


def test_example_inputs_are_valid_for_every_thumbtack_endpoint(catalog: Catalog) -> None:
    for endpoint in catalog.endpoints:
        inputs = example_inputs(endpoint)
        problems = [p for p in validate_inputs(endpoint, inputs) if p.severity is Severity.ERROR]
        assert problems == [], endpoint.key


def test_example_inputs_prefill_required_and_example_values(catalog: Catalog) -> None:
    inputs = example_inputs(_endpoint(catalog, "getCategoryRecommendationsV4"))
    assert dict(inputs.query_params) == {
        "zipCode": "90210",
        "recommendationType": "popular",
        "utmData[utm_source]": "cma-example",
        "utmData[utm_medium]": "partnership",
        "limit": "10",
    }
    body = json.loads(example_inputs(_endpoint(catalog, "createRequestV4")).body_text)
    assert body["utmData"]["utm_source"] == "cma-example"


def test_missing_required_parameter_and_body_are_named(catalog: Catalog) -> None:
    problems = validate_inputs(_endpoint(catalog, "sendMessageV4"), RequestInputs())
    assert {(p.location, p.field) for p in problems} == {
        (ProblemLocation.PATH, "negotiationID"),
        (ProblemLocation.BODY, "body"),
    }
    assert "'negotiationID' is required; fill it in" in problems[0].message + problems[1].message


def test_invalid_json_points_at_line_and_column(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "sendMessageV4")
    inputs = RequestInputs(path_params={"negotiationID": "1"}, body_text='{\n  "text": \n}')
    (problem,) = validate_inputs(endpoint, inputs)
    assert (problem.line, problem.column) == (3, 1)
    assert problem.message.startswith("The body is not valid JSON")
    assert "line 3, column 1" in problem.message


def test_wrong_types_enums_and_unknown_fields_are_explained(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "createBusinessWebhookV4")
    body = {
        "webhookURL": "http://plain.example.com",
        "eventTypes": ["NewLead"],
        "enabled": "yes",
        "colour": "red",
    }
    inputs = RequestInputs(path_params={"businessID": "1"}, body_text=json.dumps(body))
    messages = {p.field: p.message for p in validate_inputs(endpoint, inputs)}
    assert messages["enabled"] == "'enabled' must be true or false; it is \"yes\"."
    assert messages["eventTypes[0]"].startswith(
        "'eventTypes[0]' must be one of \"NegotiationCreatedV4\""
    )
    assert "pattern ^https://" in messages["webhookURL"]
    assert "'colour'" in messages["body"] and "remove or rename" in messages["body"]


def test_unknown_field_without_additional_properties_is_a_warning(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "postJobStatusV4")
    inputs = RequestInputs(
        path_params={"negotiationID": "1"}, body_text='{"status": "job_complete", "note": 1}'
    )
    (problem,) = validate_inputs(endpoint, inputs)
    assert problem.severity is Severity.WARNING and problem.field == "note"
    assert problem.json_path == ("note",)


def test_parameter_types_and_ranges_are_checked(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "listMessagesV4")
    inputs = RequestInputs(
        path_params={"negotiationID": "1"},
        query_params=(("limit", "many"), ("sentAfter", "yesterday")),
    )
    messages = {p.field: p.message for p in validate_inputs(endpoint, inputs)}
    assert messages["limit"] == "'limit' must be a whole number; 'many' is not. Type digits only."
    assert "valid date-time" in messages["sentAfter"]
    over = RequestInputs(path_params={"negotiationID": "1"}, query_params=(("limit", "50"),))
    assert [p.message for p in validate_inputs(endpoint, over)] == ["'limit' must be at most 20."]


def test_unknown_query_parameter_and_variable_are_warnings(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "searchKeywordsV4")
    inputs = RequestInputs(query_params=(("searchQuery", "{{q}}"), ("serchQuery", "x")))
    problems = validate_inputs(endpoint, inputs, variables={})
    assert all(p.severity is Severity.WARNING for p in problems)
    assert {p.location for p in problems} == {ProblemLocation.QUERY, ProblemLocation.VARIABLE}
    assert any("{{q}} has no value" in p.message for p in problems)


def test_variables_inside_json_are_resolved_before_checking(catalog: Catalog) -> None:
    endpoint = _endpoint(catalog, "searchBusinessesV4")
    text = (
        '{"searchQuery": "handyman", "zipCode": "90210", "limit": {{limit}},'
        ' "utmData": {"utm_source": "{{utm}}"}}'
    )
    problems = validate_inputs(
        endpoint, RequestInputs(body_text=text), variables={"limit": "5", "utm": "cma-a"}
    )
    assert problems == []
    bad = validate_inputs(
        endpoint, RequestInputs(body_text=text), variables={"limit": "5", "utm": "partner"}
    )
    assert [p.field for p in bad] == ["utmData.utm_source"]


def test_inputs_round_trip_through_dicts() -> None:
    inputs = RequestInputs(
        path_params={"a": "1"},
        query_params=(("k", "1"), ("k", "2")),
        headers=(("X", "y"),),
        body_text="{}",
        variables={"v": "w"},
    )
    assert RequestInputs.from_dict(json.loads(json.dumps(inputs.to_dict()))) == inputs
    assert RequestInputs.from_dict({"query_params": [["only-one"]], "body_text": 5}) == (
        RequestInputs()
    )
