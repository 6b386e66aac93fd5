"""The shipped description, third-party descriptions, and broken ones with their location."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from explorer.core.catalog import (
    Catalog,
    CatalogError,
    load_catalog,
    load_default_catalog,
    parse_catalog,
)
from explorer.core.models import Flow, ParamLocation
from explorer.resources import resource_path

_REPO = Path(__file__).resolve().parents[2]
#: The shared reference sits beside the repository (or beside the folder of worktrees).
REFERENCE = next(
    (
        candidate
        for candidate in (
            folder / "shared" / "reference" / "thumbtack-endpoints.json"
            for folder in (_REPO.parent, _REPO.parent.parent)
        )
        if candidate.exists()
    ),
    _REPO.parent / "shared" / "reference" / "thumbtack-endpoints.json",
)

#: The v4 operations of the reference (sections Authentication to On-Demand Orders).
EXPECTED_ROUTES = {
    ("GET", "/oauth2/auth"),
    ("POST", "/oauth2/token"),
    ("GET", "/api/v4/categories/recommendations"),
    ("GET", "/api/v4/categories/homecare"),
    ("GET", "/api/v4/categories/{categoryID}/request-form"),
    ("GET", "/api/v4/categories/search"),
    ("GET", "/api/v4/keywords/search"),
    ("POST", "/api/v4/businesses/search"),
    ("POST", "/api/v4/businesses/search-filtered"),
    ("POST", "/api/v4/requests"),
    ("GET", "/api/v4/businesses/{businessID}/reviews"),
    ("POST", "/api/v4/businesses/{businessID}/reviews/{reviewID}/response"),
    ("GET", "/api/v4/reviews"),
    ("GET", "/api/v4/users/self"),
    ("POST", "/api/v4/users/webhooks"),
    ("GET", "/api/v4/users/webhooks"),
    ("GET", "/api/v4/users/webhooks/{webhookID}"),
    ("PUT", "/api/v4/users/webhooks/{webhookID}"),
    ("DELETE", "/api/v4/users/webhooks/{webhookID}"),
    ("POST", "/api/v4/users/disconnect"),
    ("GET", "/api/v4/businesses"),
    ("GET", "/api/v4/businesses/{businessID}"),
    ("POST", "/api/v4/businesses/{businessID}/webhooks"),
    ("GET", "/api/v4/businesses/{businessID}/webhooks"),
    ("GET", "/api/v4/businesses/{businessID}/webhooks/{webhookID}"),
    ("PUT", "/api/v4/businesses/{businessID}/webhooks/{webhookID}"),
    ("DELETE", "/api/v4/businesses/{businessID}/webhooks/{webhookID}"),
    ("POST", "/api/v4/businesses/{businessID}/webhooks/test-negotiation"),
    ("GET", "/api/v4/businesses/{businessID}/associate-phone-numbers"),
    ("POST", "/api/v4/businesses/{businessID}/associate-phone-numbers"),
    ("POST", "/api/v4/businesses/{businessID}/associate-phone-numbers-bulk-create"),
    ("PUT", "/api/v4/businesses/{businessID}/associate-phone-numbers/{phoneNumberID}"),
    ("DELETE", "/api/v4/businesses/{businessID}/associate-phone-numbers/{phoneNumberID}"),
    ("GET", "/api/v4/negotiations/{negotiationID}"),
    ("GET", "/api/v4/businesses/{businessID}/negotiations"),
    ("POST", "/api/v4/negotiations/{negotiationID}/job-status"),
    ("GET", "/api/v4/negotiations/{negotiationID}/messages"),
    ("POST", "/api/v4/negotiations/{negotiationID}/messages"),
    ("POST", "/api/v4/orders"),
    ("GET", "/api/v4/orders/{orderID}"),
    ("PUT", "/api/v4/orders/{orderID}"),
    ("POST", "/api/v4/orders/{orderID}/cancel"),
    ("GET", "/api/v4/orders/availability"),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


def test_shipped_description_is_valid_openapi_31() -> None:
    document, base_uri = read_from_filename(str(resource_path("openapi", "thumbtack-v4.yaml")))
    assert document["openapi"].startswith("3.1")
    validate(document, base_uri=base_uri)  # raises on any problem


def test_every_expected_route_is_present(catalog: Catalog) -> None:
    routes = {(e.method, e.path) for e in catalog.endpoints}
    assert routes == EXPECTED_ROUTES
    assert len({e.operation_id for e in catalog.endpoints}) == len(catalog.endpoints)


def test_every_v4_route_of_the_reference_is_present(catalog: Catalog) -> None:
    if not REFERENCE.exists():
        pytest.skip(f"the reference list is not beside the repository ({REFERENCE})")
    endpoints = json.loads(REFERENCE.read_text(encoding="utf-8"))["endpoints"]
    wanted = {(e["method"], e["path"]) for e in endpoints if e["base"] in {"api", "auth"}}
    assert wanted <= {(e.method, e.path) for e in catalog.endpoints}
    assert wanted == EXPECTED_ROUTES


def test_endpoints_carry_docs_security_and_sections(catalog: Catalog) -> None:
    assert catalog.sections == (
        "Authentication",
        "Categories",
        "Keywords",
        "Businesses Search",
        "Requests",
        "Reviews",
        "Users",
        "Businesses",
        "Negotiations",
        "Messages",
        "On-Demand Orders",
    )
    for endpoint in catalog.endpoints:
        assert endpoint.doc_url.startswith("https://developers.thumbtack.com/"), endpoint.key
        assert endpoint.summary
        if endpoint.server == "api":
            assert endpoint.flows, endpoint.key
    send = catalog.by_operation_id("sendMessageV4")
    assert send is not None
    assert send.flows == (Flow.AUTHORIZATION_CODE,)
    assert "supply::messages.write" in send.scopes
    assert send.body_schema is not None and send.body_schema["required"] == ["text"]
    assert send.body_example == {"text": "Hello world"}
    keywords = catalog.lookup("GET /api/v4/keywords/search")
    assert keywords is not None and keywords.flows == (Flow.CLIENT_CREDENTIALS,)
    assert keywords.scopes == ("demand::keywords.read",)


def test_auth_operations_use_the_auth_server(catalog: Catalog) -> None:
    token = catalog.by_operation_id("getTokenV4")
    assert token is not None and token.server == "auth"
    assert token.body_media_type == "application/x-www-form-urlencoded"
    assert {"400", "401"} <= set(token.responses)
    assert token.responses["401"]["content"]["application/json"]["schema"]["required"] == ["error"]
    assert catalog.by_route("get", "/oauth2/auth").server == "auth"  # type: ignore[union-attr]


def test_deep_object_utm_data_becomes_bracketed_query_parameters(catalog: Catalog) -> None:
    endpoint = catalog.by_operation_id("getCategoryRecommendationsV4")
    assert endpoint is not None
    names = {p.name: p for p in endpoint.parameters}
    utm = names["utmData[utm_source]"]
    assert utm.location is ParamLocation.QUERY and utm.required
    assert not names["utmData[utm_medium]"].required
    assert names["zipCode"].required and names["zipCode"].example == "90210"


def test_inferred_facts_are_marked(catalog: Catalog) -> None:
    orders = catalog.in_section("On-Demand Orders")
    assert orders and all(e.inferred and e.inferred_notes for e in orders)
    review_response = catalog.by_operation_id("respondToReviewV4")
    assert review_response is not None and not review_response.inferred
    assert any("responseText" in note for note in review_response.inferred_notes)
    assert review_response.body_schema["properties"]["responseText"]["x-inferred"] is True  # type: ignore[index]
    search = catalog.by_operation_id("searchCategoriesV4")
    assert search is not None and search.inferred
    assert all(p.inferred for p in search.parameters)


def test_error_responses_are_shared_components(catalog: Catalog) -> None:
    endpoint = catalog.by_operation_id("searchBusinessesV4")
    assert endpoint is not None
    assert {"400", "401", "403", "404", "429", "451", "502", "5XX"} <= set(endpoint.responses)
    problem = endpoint.responses["400"]["content"]["application/json"]["schema"]
    assert "traceID" in problem["properties"] and "errors" in problem["properties"]
    proxy = endpoint.responses["502"]["content"]["application/json"]["schema"]
    assert set(proxy["properties"]) == {"error", "detail"}


def test_fuzzy_find_ranks_operation_ids_paths_and_summaries(catalog: Catalog) -> None:
    assert catalog.fuzzy_find("sendMessage")[0].endpoint.operation_id == "sendMessageV4"
    top = catalog.fuzzy_find("kw srch")[0]
    assert top.endpoint.operation_id == "searchKeywordsV4"
    by_path = catalog.fuzzy_find("associate-phone")
    assert by_path and all("associate" in m.endpoint.path for m in by_path)
    assert catalog.fuzzy_find("autocomplete")[0].endpoint.operation_id == "searchKeywordsV4"
    assert catalog.fuzzy_find("zzzqqq") == ()
    assert len(catalog.fuzzy_find("")) == len(catalog.endpoints)


PETSTORE_30 = """
openapi: 3.0.3
info: {title: Petstore, version: 1.0.0}
servers: [{url: 'https://petstore.example.com/v1'}]
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string, example: Rex}
        tag: {type: string, nullable: true}
        parent: {$ref: '#/components/schemas/Pet'}
  securitySchemes:
    petauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: 'https://x/token', scopes: {read: r, write: w}}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
  /pets:
    post:
      tags: [pets]
      security: [{petauth: [write]}]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses:
        '201': {description: created}
"""


def test_third_party_openapi_30_yaml_loads(tmp_path: Path) -> None:
    path = tmp_path / "petstore.yaml"
    path.write_text(PETSTORE_30, encoding="utf-8")
    catalog = load_catalog(path)
    assert catalog.title == "Petstore" and catalog.servers[0].url.endswith("/v1")
    get = catalog.lookup("GET /pets/{petId}")
    assert get is not None and get.operation_id == "getPetsByPetId" and get.section == "Other"
    assert get.parameters[0].required
    post = catalog.by_operation_id("postPets")
    assert post is not None and post.section == "pets"
    assert post.flows == (Flow.CLIENT_CREDENTIALS,) and post.scopes == ("write",)
    assert post.body_example == {"name": "Rex"}
    assert post.body_schema["properties"]["tag"]["type"] == ["string", "null"]  # type: ignore[index]
    assert "recursive" in post.body_schema["properties"]["parent"]["description"]  # type: ignore[index]
    assert catalog.sections == ("Other", "pets")


def test_third_party_openapi_31_json_loads(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Todo", "version": "2"},
        "paths": {
            "/todos": {
                "post": {
                    "operationId": "addTodo",
                    "tags": ["todos"],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Todo"},
                                "examples": {
                                    "one": {"value": {"title": "Buy milk", "done": False}}
                                },
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                },
                "get": {
                    "operationId": "listTodos",
                    "parameters": [
                        {
                            "name": "done",
                            "in": "query",
                            "schema": {"type": "boolean", "default": False},
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                },
            },
        },
        "components": {
            "schemas": {
                "Todo": {
                    "type": "object",
                    "required": ["title"],
                    "properties": {
                        "title": {"type": "string"},
                        "done": {"type": ["boolean", "null"]},
                    },
                }
            }
        },
    }
    path = tmp_path / "todo.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    catalog = load_catalog(path)
    add = catalog.by_operation_id("addTodo")
    assert add is not None and add.body_example == {"title": "Buy milk", "done": False}
    assert add.body_schema["required"] == ["title"]  # type: ignore[index]
    assert catalog.by_operation_id("listTodos").parameters[0].schema["default"] is False  # type: ignore[union-attr]


def _broken(tmp_path: Path, name: str, text: str) -> CatalogError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path, validate=True)
    assert str(path) in str(info.value)
    return info.value


def test_bad_yaml_names_line_and_column(tmp_path: Path) -> None:
    error = _broken(tmp_path, "bad.yaml", PETSTORE_30.replace("tags: [pets]", "tags: [pets"))
    assert error.location.startswith("line 32, column")
    assert "not valid YAML" in str(error)


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    error = _broken(tmp_path, "bad.json", '{"openapi": "3.1.0",\n  "info": }')
    assert error.location == "line 2, column 11"


def test_bad_ref_names_the_json_path(tmp_path: Path) -> None:
    text = PETSTORE_30.replace("schemas/Pet'}}}\n  /pets:", "schemas/Nope'}}}\n  /pets:")
    error = _broken(tmp_path, "badref.yaml", text)
    assert "paths./pets/{petId}.get.responses.200.content.application/json.schema.$ref" in (
        error.location
    )
    assert "'#/components/schemas/Nope' points to nothing" in str(error)


@pytest.mark.parametrize(("removed", "word"), [("paths", "'paths'"), ("info", "'info'")])
def test_missing_top_level_fields_are_named(tmp_path: Path, removed: str, word: str) -> None:
    document = yaml.safe_load(PETSTORE_30)
    del document[removed]
    error = _broken(tmp_path, f"no-{removed}.yaml", yaml.safe_dump(document))
    assert word.strip("'") in error.problem and "is a required property" in error.problem
    assert "On instance" not in error.problem  # the whole file is not quoted back
    assert "(top level)" in error.location


def test_schema_error_names_line_and_json_path(tmp_path: Path) -> None:
    text = PETSTORE_30.replace("      responses:\n        '201'", "      responsez:\n        '201'")
    error = _broken(tmp_path, "noresponses.yaml", text)
    assert error.location.endswith("(paths./pets.post)")
    assert error.location.startswith("line ")
    assert re.search("[\"']responses[\"'] is a required property", error.problem)


def test_swagger_2_and_missing_file_are_explained(tmp_path: Path) -> None:
    error = _broken(tmp_path, "swagger.yaml", "swagger: '2.0'\ninfo: {title: x, version: '1'}\n")
    assert "not an OpenAPI 3.0 or 3.1" in str(error) and "Swagger 2.0" in error.hint
    with pytest.raises(CatalogError, match="does not exist"):
        load_catalog(tmp_path / "missing.yaml")


def test_text_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(CatalogError, match="not an OpenAPI description"):
        parse_catalog("- just\n- a list\n", source="list.yaml")
