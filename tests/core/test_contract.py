"""The contract verdict on responses: real descriptions, real bodies, both engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from explorer.core import contract
from explorer.core.catalog import Catalog, load_catalog, load_default_catalog
from explorer.core.contract import ContractResult, Verdict, check_response, json_path

DATA = Path(__file__).resolve().parents[1] / "data" / "openapi"
JSON = [("Content-Type", "application/json")]


@pytest.fixture(scope="module")
def petstore() -> Catalog:
    return load_catalog(DATA / "swagger-petstore-3.1.yaml")


@pytest.fixture(scope="module")
def petstore30() -> Catalog:
    return load_catalog(DATA / "swagger-petstore-3.0.yaml")


def _check(catalog: Catalog, key: str, status: int, body: Any, **kw: Any) -> ContractResult:
    endpoint = catalog.lookup(key)
    assert endpoint is not None, key
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return check_response(
        catalog, endpoint, status=status, headers=kw.pop("headers", JSON), body=raw, **kw
    )


def test_a_conforming_body_conforms(petstore: Catalog) -> None:
    result = _check(
        petstore, "getPetById", 200, {"id": 7, "name": "Rex", "photoUrls": [], "status": "sold"}
    )
    assert result.verdict is Verdict.CONFORMS and result.problems == ()
    assert result.label == "conforms"


def test_a_200_whose_body_violates_gets_every_path_and_the_schemas_words(
    petstore: Catalog,
) -> None:
    body = {"id": "7", "photoUrls": ["a", 3], "status": "lost", "category": {"id": "x"}}
    result = _check(petstore, "getPetById", 200, body)
    assert result.verdict is Verdict.VIOLATES
    paths = {p.path: p.message for p in result.problems}
    assert set(paths) == {"$", "$.id", "$.photoUrls[1]", "$.status", "$.category.id"}
    assert "'name' is a required property" in paths["$"]
    assert "is not of type 'integer'" in paths["$.id"]
    assert "'available'" in paths["$.status"]  # the enum's words
    assert result.label == "violates (5)"
    status = next(p for p in result.problems if p.path == "$.status")
    assert status.parts == ("status",) and status.schema_words == "pet status in the store"


def test_an_undocumented_status_is_named_with_the_documented_ones(tmp_path: Path) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "responses": {"200": {"description": "ok"}, "404": {"description": "no"}},
                }
            }
        },
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(document))
    result = _check(load_catalog(path), "listThings", 418, {})
    assert result.verdict is Verdict.UNDOCUMENTED_STATUS
    assert result.documented == ("200", "404")
    assert result.label == "undocumented status"
    assert "documents no 418 response (it documents 200, 404)" in result.summary


def test_an_unexpected_content_type_is_named(petstore: Catalog) -> None:
    result = _check(
        petstore, "getPetById", 200, b"<html/>", headers=[("content-type", "text/html")]
    )
    assert result.verdict is Verdict.UNEXPECTED_CONTENT_TYPE
    assert result.documented == ("application/json", "application/xml")
    assert "text/html" in result.summary


def test_a_response_with_no_schema_says_there_is_nothing_to_check(petstore: Catalog) -> None:
    result = _check(petstore, "getPetById", 404, {"message": "gone"})
    assert result.verdict is Verdict.NO_SCHEMA and result.label == "no schema to check"


def test_status_ranges_and_default_are_chosen_as_openapi_says() -> None:
    catalog = load_default_catalog()
    endpoint = catalog.lookup("searchBusinessesV4")
    assert endpoint is not None
    result = check_response(
        catalog, endpoint, status=503, headers=JSON, body=json.dumps({"x": 1}).encode()
    )
    assert result.verdict is not Verdict.UNDOCUMENTED_STATUS  # 5XX covers it


def test_required_response_headers_are_checked(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/limited": {
                "get": {
                    "operationId": "limited",
                    "responses": {
                        "429": {
                            "description": "slow down",
                            "headers": {
                                "Retry-After": {
                                    "required": True,
                                    "schema": {"type": "integer"},
                                }
                            },
                        }
                    },
                }
            }
        },
    }
    path = tmp_path / "h.json"
    path.write_text(json.dumps(document))
    catalog = load_catalog(path)
    missing = _check(catalog, "limited", 429, b"", headers=[])
    assert missing.verdict is Verdict.VIOLATES
    assert [p.path for p in missing.problems] == ["header Retry-After"]
    assert "required header missing" in missing.problems[0].message
    wrong = _check(catalog, "limited", 429, b"", headers=[("retry-after", "soon")])
    assert wrong.verdict is Verdict.VIOLATES and wrong.problems[0].where == "header"
    fine = _check(catalog, "limited", 429, b"", headers=[("Retry-After", "30")])
    assert fine.verdict is Verdict.CONFORMS


def _pets(count: int, *, broken_at: int | None = None) -> list[dict[str, Any]]:
    pets: list[dict[str, Any]] = [
        {
            "id": i,
            "name": f"pet {i}",
            "photoUrls": [f"https://img.example/{i}.png"],
            "status": "available",
            "tags": [{"id": i, "name": "friendly"}],
            "category": {"id": 1, "name": "Dogs"},
        }
        for i in range(count)
    ]
    if broken_at is not None:
        pets[broken_at]["id"] = "not a number"
        del pets[broken_at]["name"]
    return pets


@pytest.mark.parametrize("fast", [False, True], ids=["openapi-core", "jsonschema-rs"])
def test_both_engines_give_the_same_verdict_and_paths(
    petstore30: Catalog, fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big bodies go to jsonschema-rs; the verdict and the paths are the same either way,
    including OpenAPI 3.0's nullable (which plain JSON Schema does not know)."""
    monkeypatch.setattr(contract, "FAST_PATH_BYTES", 1 if fast else 10**12)
    body = _pets(50, broken_at=17)
    result = _check(petstore30, "findPetsByStatus", 200, body)
    assert result.engine == ("jsonschema-rs" if fast else "openapi-core")
    assert result.verdict is Verdict.VIOLATES
    assert sorted(p.path for p in result.problems) == ["$[17]", "$[17].id"]
    assert _check(petstore30, "findPetsByStatus", 200, _pets(50)).verdict is Verdict.CONFORMS


def test_a_body_that_is_not_json_violates_with_a_clear_message(petstore: Catalog) -> None:
    result = _check(petstore, "getPetById", 200, b"{not json")
    assert result.verdict is Verdict.VIOLATES
    assert result.problems[0].path == "$"


def test_a_message_never_quotes_a_whole_big_body(petstore: Catalog) -> None:
    body = {"id": 1, "name": "x" * 100_000, "photoUrls": "not a list"}
    result = _check(petstore, "getPetById", 200, body)
    assert all(len(p.message) <= 320 for p in result.problems)


def test_an_inferred_operation_says_it_was_checked_against_an_inferred_schema() -> None:
    catalog = load_default_catalog()
    inferred = next(e for e in catalog.endpoints if e.inferred and "200" in e.responses)
    result = check_response(catalog, inferred, status=200, headers=JSON, body=b"{}")
    assert result.inferred
    assert "(inferred schema)" in result.label
    assert "graded inferred" in result.summary


def test_a_recursive_schema_is_checked_to_any_depth(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/tree": {
                "get": {
                    "operationId": "tree",
                    "responses": {
                        "200": {
                            "description": "a tree",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Node"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Node"},
                        },
                    },
                }
            }
        },
    }
    path = tmp_path / "tree.json"
    path.write_text(json.dumps(document))
    catalog = load_catalog(path)
    deep: dict[str, Any] = {"name": "leaf"}
    for level in range(30):
        deep = {"name": f"n{level}", "children": [deep]}
    assert _check(catalog, "tree", 200, deep).verdict is Verdict.CONFORMS
    broken = {"name": "root", "children": [{"children": []}]}
    result = _check(catalog, "tree", 200, broken)
    assert [p.path for p in result.problems] == ["$.children[0]"]


def test_a_multi_file_description_is_checked_through_its_other_files(tmp_path: Path) -> None:
    (tmp_path / "pet.json").write_text(
        json.dumps(
            {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
        )
    )
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/pet": {
                "get": {
                    "operationId": "pet",
                    "responses": {
                        "200": {
                            "description": "a pet",
                            "content": {"application/json": {"schema": {"$ref": "pet.json"}}},
                        }
                    },
                }
            }
        },
    }
    path = tmp_path / "root.json"
    path.write_text(json.dumps(document))
    catalog = load_catalog(path)
    assert _check(catalog, "pet", 200, {"id": 1}).verdict is Verdict.CONFORMS
    result = _check(catalog, "pet", 200, {"id": "one"})
    assert [p.path for p in result.problems] == ["$.id"]


def test_json_paths_quote_keys_that_are_not_names() -> None:
    assert json_path(()) == "$"
    assert json_path(("items", 0, "id")) == "$.items[0].id"
    assert json_path(("a b", "x-y")) == '$["a b"]["x-y"]'


def test_a_result_survives_being_saved_and_read_back(petstore: Catalog) -> None:
    result = _check(petstore, "getPetById", 200, {"id": "x"})
    again = ContractResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again is not None
    assert again.verdict is result.verdict and again.label == result.label
    assert [p.path for p in again.problems] == [p.path for p in result.problems]
    assert [p.parts for p in again.problems] == [p.parts for p in result.problems]
    assert again.stored and "when the response was received" in again.summary
    assert again.summary.startswith(result.summary)
    twice = ContractResult.from_dict(again.to_dict())  # the marker is not said twice
    assert twice is not None and twice.summary == again.summary
    assert ContractResult.from_dict({"verdict": "nonsense"}) is None


def test_json_paths_read_back_into_parts() -> None:
    for parts in [(), ("items", 0, "id"), ("a b", "x-y", 3), ("a.b", '"q"', "[x]")]:
        assert contract.parts_of(json_path(parts)) == parts
    assert contract.parts_of("header X-Request-Id") == ()
    assert contract.parts_of("$[") == ()


def test_a_large_body_is_judged_in_another_process_with_the_same_verdict(
    petstore30: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Megabytes of JSON are parsed and validated in a separate process (the window's
    interpreter lock stays free); the verdict and its paths are those of this process."""
    body = json.dumps(_pets(400, broken_at=123)).encode()
    monkeypatch.setattr(contract, "PROCESS_BYTES", 10**12)
    here = _check(petstore30, "findPetsByStatus", 200, body)
    monkeypatch.setattr(contract, "PROCESS_BYTES", 1024)
    try:
        there = _check(petstore30, "findPetsByStatus", 200, body)
        assert there.engine.endswith(", in a separate process")
        assert there.verdict is here.verdict is Verdict.VIOLATES
        assert [(p.path, p.message) for p in there.problems] == [
            (p.path, p.message) for p in here.problems
        ]
        assert any(p.path == "$[123].id" for p in there.problems)
        assert there.operation == here.operation and there.status == 200
        conforming = json.dumps(_pets(400)).encode()
        assert _check(petstore30, "findPetsByStatus", 200, conforming).verdict is Verdict.CONFORMS
        teapot = _check(petstore30, "findPetsByStatus", 418, body)  # the "default" response
        monkeypatch.setattr(contract, "PROCESS_BYTES", 10**12)
        assert teapot.verdict is _check(petstore30, "findPetsByStatus", 418, body).verdict
    finally:
        contract.shutdown_checking_process()


def test_a_changed_description_file_is_read_again_by_the_checking_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    def write(kind: str, stamp: int) -> Path:
        path = tmp_path / "d.json"
        path.write_text(
            json.dumps(
                {
                    "openapi": "3.1.0",
                    "info": {"title": "t", "version": "1"},
                    "paths": {
                        "/items": {
                            "get": {
                                "operationId": "items",
                                "responses": {
                                    "200": {
                                        "description": "ok",
                                        "content": {
                                            "application/json": {
                                                "schema": {"type": "array", "items": {"type": kind}}
                                            }
                                        },
                                    }
                                },
                            }
                        }
                    },
                }
            )
        )
        os.utime(path, (stamp, stamp))
        return path

    monkeypatch.setattr(contract, "PROCESS_BYTES", 1024)
    body = json.dumps(list(range(2000))).encode()
    try:
        first = load_catalog(write("integer", 1_000_000))
        assert _check(first, "items", 200, body).verdict is Verdict.CONFORMS
        second = load_catalog(write("string", 2_000_000))
        result = _check(second, "items", 200, body)
        assert result.engine.endswith(", in a separate process")
        assert result.verdict is Verdict.VIOLATES and result.problems[0].path == "$[0]"
    finally:
        contract.shutdown_checking_process()


def test_a_description_that_is_no_file_is_checked_here(monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.catalog import parse_catalog

    text = (DATA / "swagger-petstore-3.0.yaml").read_text()
    catalog = parse_catalog(text, source="<pasted>")
    monkeypatch.setattr(contract, "PROCESS_BYTES", 1024)
    result = _check(catalog, "findPetsByStatus", 200, json.dumps(_pets(100)).encode())
    assert result.verdict is Verdict.CONFORMS
    assert "separate process" not in result.engine


def _request(url: str, *, body: Any = None, content_type: str = "application/json") -> Any:
    from explorer.core.models import RequestSpec

    raw = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    headers = (("Content-Type", content_type),) if raw is not None else ()
    return RequestSpec(
        method="POST" if raw is not None else "GET", url=url, headers=headers, body=raw
    )


def test_a_request_is_judged_by_the_engine_of_its_response(petstore: Catalog) -> None:
    """Path, query and body against the operation, by openapi-core, before it is sent."""
    pet = petstore.lookup("getPetById")
    assert pet is not None
    bad = contract.check_request(petstore, pet, _request("https://x.example/api/v3/pet/abc"))
    assert bad.verdict is Verdict.VIOLATES and bad.side == "request"
    assert [p.path for p in bad.problems] == ["path parameter petId"]
    assert "integer" in bad.problems[0].message
    assert bad.summary.startswith("The request breaks the description of GET /pet/{petId}")
    good = contract.check_request(petstore, pet, _request("https://x.example/api/v3/pet/7"))
    assert good.verdict is Verdict.CONFORMS, good.problems
    assert good.summary.startswith("The request matches")

    add = petstore.lookup("addPet")
    assert add is not None
    url = "https://x.example/api/v3/pet"
    wrong = contract.check_request(petstore, add, _request(url, body={"id": "x"}))
    paths = sorted(p.path for p in wrong.problems)
    assert paths == ["$", "$", "$.id"]
    assert any("'name' is a required property" in p.message for p in wrong.problems)
    assert wrong.problems[0].parts in {(), ("id",)}
    csv = contract.check_request(petstore, add, _request(url, body=b"a,b", content_type="text/csv"))
    assert [p.where for p in csv.problems] == ["content-type"]
    assert "application/json" in csv.problems[0].message
    missing = contract.check_request(petstore, add, _request(url))
    assert [p.message for p in missing.problems] == [
        "the description requires a body; there is none"
    ]
    fine = {"name": "Rex", "photoUrls": ["https://img.example/rex.png"]}
    assert contract.check_request(petstore, add, _request(url, body=fine)).verdict is (
        Verdict.CONFORMS
    )


def test_a_required_query_parameter_missing_from_a_request_is_named() -> None:
    catalog = load_default_catalog()
    endpoint = next(
        e
        for e in catalog.endpoints
        if any(p.required and p.location.value == "query" for p in e.parameters)
    )
    required = next(p for p in endpoint.parameters if p.required and p.location.value == "query")
    result = contract.check_request(catalog, endpoint, _request(f"http://127.0.0.1{endpoint.path}"))
    assert f"query parameter {required.name}" in [p.path for p in result.problems]


def test_a_webhook_delivery_is_checked_against_the_descriptions_webhooks() -> None:
    from explorer.core.inbox.checks import default_webhook_schemas
    from explorer.core.inbox.events import sample_delivery

    schemas = default_webhook_schemas()
    assert schemas.document is not None
    sample = json.loads(sample_delivery("MessageCreatedV4").body)
    good = contract.check_webhook_body(
        schemas.document,
        "MessageCreatedV4",
        json.dumps(sample).encode(),
        base_uri=schemas.base_uri,
    )
    assert good == []
    sample["data"]["negotiationID"] = 12345
    bad = contract.check_webhook_body(
        schemas.document, "MessageCreatedV4", json.dumps(sample).encode(), base_uri=schemas.base_uri
    )
    assert [p.parts for p in bad] == [("data", "negotiationID")]


def test_a_style_the_engine_cannot_read_is_said_to_be_unchecked_not_a_violation(
    tmp_path: Path,
) -> None:
    """openapi-core cannot read some deepObject parameters (Stripe's ``created``: bounds
    or a time): an absent one is not judged, a present one is said to be unchecked; never
    a violation the request does not have."""
    from explorer.core.models import RequestSpec

    # as Stripe's ``created``: an object of bounds, or a time
    deep = {
        "anyOf": [
            {"type": "object", "properties": {"gt": {"type": "integer"}}},
            {"type": "integer"},
        ]
    }
    card = {"type": "object", "properties": {"number": {"type": "string"}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/charges": {
                "post": {
                    "operationId": "charge",
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {
                            "name": "created",
                            "in": "query",
                            "style": "deepObject",
                            "explode": True,
                            "schema": deep,
                        },
                    ],
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"type": "object", "properties": {"card": card}},
                                "encoding": {"card": {"style": "deepObject", "explode": True}},
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "charges.json"
    path.write_text(json.dumps(document))
    catalog = load_catalog(path)
    endpoint = catalog.lookup("charge")
    assert endpoint is not None

    def judge(query: str, body: bytes | None = None) -> ContractResult:
        headers = (("Content-Type", "application/x-www-form-urlencoded"),) if body else ()
        spec = RequestSpec(
            method="POST", url=f"https://x.example/charges{query}", headers=headers, body=body
        )
        return contract.check_request(catalog, endpoint, spec)

    assert judge("?limit=3").verdict is Verdict.CONFORMS
    wrong = judge("?limit=many")
    assert [p.path for p in wrong.problems] == ["query parameter limit"]
    present = judge("?created[gt]=5")
    assert present.verdict is Verdict.NO_SCHEMA and present.problems == ()
    assert present.note.startswith("query parameter created not checked")
    assert judge("", b"card[number]=4242").verdict is Verdict.CONFORMS
