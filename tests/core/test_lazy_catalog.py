"""Opening real and generated descriptions: lazily, with cycles, other files and limits."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
import yaml

from bench.descriptions import make_description
from explorer.core.catalog import CatalogError, LazyEndpoint, load_catalog
from explorer.core.description_check import check_catalog
from explorer.core.openapi_doc import Limits, parse_text

DATA = Path(__file__).resolve().parents[1] / "data" / "openapi"
REAL = sorted(
    [p for p in DATA.glob("*.yaml") if "v2.0" not in p.name]
    + list(DATA.glob("*.json"))
    + [DATA / "digitalocean" / "DigitalOcean-public.v2.yaml"]
)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_public_descriptions_open_and_every_part_resolves(path: Path) -> None:
    catalog = load_catalog(path)
    assert catalog.endpoints or catalog.incoming
    for endpoint in (*catalog.endpoints, *catalog.incoming):
        assert isinstance(endpoint.parameters, tuple)
        assert isinstance(endpoint.responses, dict)
        text = json.dumps(endpoint.body_schema)  # no cycle survives resolution
        assert "x-unresolved" not in text
    assert catalog.resolver is not None and catalog.resolver.unresolved == []


def test_a_description_resolves_nothing_until_asked() -> None:
    catalog = load_catalog(DATA / "swagger-petstore-3.0.yaml")
    endpoint = catalog.lookup("updatePet")
    assert isinstance(endpoint, LazyEndpoint)
    assert "responses" not in endpoint.__dict__ and "body_schema" not in endpoint.__dict__
    assert endpoint.body_schema is not None and endpoint.body_schema["required"] == [
        "name",
        "photoUrls",
    ]
    assert "body_schema" in endpoint.__dict__ and "responses" not in endpoint.__dict__


def test_a_schema_used_in_many_places_is_built_once() -> None:
    catalog = load_catalog(DATA / "swagger-petstore-3.0.yaml")
    update, add = catalog.lookup("updatePet"), catalog.lookup("addPet")
    assert update is not None and add is not None
    assert update.body_schema is add.body_schema  # the same resolved Pet, shared


def test_openapi_31_id_and_anchor_references_resolve() -> None:
    """Swagger's own Petstore 3.1 refers to schemas by their ``$id`` and an ``$anchor``."""
    catalog = load_catalog(DATA / "swagger-petstore-3.1.yaml")
    endpoint = catalog.lookup("PUT /pet")
    assert endpoint is not None and endpoint.body_schema is not None
    details = endpoint.body_schema["properties"]["petDetails"]
    assert details["properties"]["category"]["properties"]["name"]["type"] == "string"
    assert details["properties"]["tag"]["properties"]["id"]["type"] == "integer"
    anchored = endpoint.body_schema["properties"]["petDetailsId"]
    assert anchored["$anchor"] == "pet_details_id" and anchored["examples"] == ["10"]
    assert not check_catalog(catalog)


def test_webhooks_and_callbacks_are_listed_as_incoming_operations() -> None:
    webhooks = load_catalog(DATA / "oai-v3.1-webhook-example.yaml")
    assert [(e.section, e.path, e.method) for e in webhooks.incoming] == [
        ("Webhooks", "newPet", "POST")
    ]
    assert webhooks.incoming[0].body_schema["required"] == ["id", "name"]  # type: ignore[index]
    callbacks = load_catalog(DATA / "oai-v3.0-callback-example.yaml")
    assert [e.section for e in callbacks.incoming] == ["Callbacks of postStreams"]
    assert callbacks.incoming[0].path == "{$request.query.callbackUrl}/data"


def test_openapi_31_ref_siblings_are_kept(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": "#/components/schemas/Thing",
                                    "description": "The thing to make.",
                                }
                            }
                        }
                    },
                    "responses": {"204": {"description": "made"}},
                }
            }
        },
        "components": {"schemas": {"Thing": {"type": "object", "description": "A thing."}}},
    }
    path = tmp_path / "siblings.json"
    path.write_text(json.dumps(document))
    endpoint = load_catalog(path).lookup("POST /x")
    assert endpoint is not None and endpoint.body_schema is not None
    assert endpoint.body_schema["description"] == "The thing to make."
    assert endpoint.body_schema["type"] == "object"


CYCLE = """
openapi: 3.0.3
info: {title: Tree, version: '1'}
paths:
  /nodes:
    get:
      operationId: listNodes
      responses:
        '200':
          description: a tree
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
"""


def test_a_circular_schema_resolves_to_a_described_placeholder(tmp_path: Path) -> None:
    path = tmp_path / "tree.yaml"
    path.write_text(CYCLE)
    catalog = load_catalog(path)
    endpoint = catalog.lookup("listNodes")
    assert endpoint is not None
    node = endpoint.responses["200"]["content"]["application/json"]["schema"]
    assert node["properties"]["parent"]["x-recursive-ref"] == "#/components/schemas/Node"
    assert node["properties"]["children"]["items"]["description"].startswith("(recursive reference")
    json.dumps(node)
    assert check_catalog(catalog) == []


def _multi_file(tmp_path: Path, *, missing: str = "") -> Path:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "common").mkdir()
    (tmp_path / "paths").mkdir()
    root = {
        "openapi": "3.1.0",
        "info": {"title": "Multi", "version": "1"},
        "paths": {"/pets": {"$ref": "paths/pets.yaml"}},
    }
    pets = {
        "get": {
            "operationId": "listPets",
            "parameters": [{"$ref": "../common/parameters.yaml#/limit"}],
            "responses": {
                "200": {
                    "description": "pets",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"$ref": "../schemas/pet.yaml"}}
                        }
                    },
                },
                "default": {"$ref": "../common/responses.yaml#/Error"},
            },
        }
    }
    pet = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer"}, "owner": {"$ref": "owner.yaml"}},
    }
    files = {
        "root.yaml": root,
        "paths/pets.yaml": pets,
        "schemas/pet.yaml": pet,
        "schemas/owner.yaml": {"type": "object", "properties": {"name": {"type": "string"}}},
        "common/parameters.yaml": {
            "limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        },
        "common/responses.yaml": {
            "Error": {
                "description": "error",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    }
    for name, content in files.items():
        if name != missing:
            (tmp_path / name).write_text(yaml.safe_dump(content))
    return tmp_path / "root.yaml"


def test_a_multi_file_description_follows_relative_references(tmp_path: Path) -> None:
    catalog = load_catalog(_multi_file(tmp_path))
    endpoint = catalog.lookup("listPets")
    assert endpoint is not None
    assert [p.name for p in endpoint.parameters] == ["limit"]
    items = endpoint.responses["200"]["content"]["application/json"]["schema"]["items"]
    assert items["properties"]["owner"]["properties"]["name"]["type"] == "string"
    assert check_catalog(catalog) == []


def test_a_missing_other_file_is_named_with_the_file_and_json_path_that_refer_to_it(
    tmp_path: Path,
) -> None:
    catalog = load_catalog(_multi_file(tmp_path, missing="schemas/owner.yaml"))
    endpoint = catalog.lookup("listPets")
    assert endpoint is not None  # the tree still opens; the schema says what is missing
    items = endpoint.responses["200"]["content"]["application/json"]["schema"]["items"]
    placeholder = items["properties"]["owner"]
    assert "owner.yaml" in placeholder["x-unresolved"]
    assert str(tmp_path / "schemas" / "pet.yaml") in placeholder["x-unresolved"]
    assert "properties.owner.$ref" in placeholder["x-unresolved"]
    findings = check_catalog(catalog)
    assert len(findings) == 1
    assert findings[0].file == str(tmp_path / "schemas" / "pet.yaml")
    assert findings[0].location == "properties.owner.$ref"
    assert "does not exist" in findings[0].message and "owner.yaml" in findings[0].message


def test_a_missing_path_file_refuses_with_the_file_and_json_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(_multi_file(tmp_path, missing="paths/pets.yaml"))
    assert info.value.source.endswith("root.yaml")
    assert "paths./pets.$ref" in info.value.location
    assert "pets.yaml does not exist" in info.value.problem


def test_swagger_2_is_asked_to_be_converted_first() -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(DATA / "oai-v2.0-yaml-petstore.yaml")
    assert "Swagger 2.0" in info.value.problem
    assert "Convert this Swagger 2.0 file to OpenAPI 3 first" in info.value.hint


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["openapi: 3.1.0", "info: {title: bomb, version: '1'}", "paths: {}"]
    lines.append("x-a0: &a0 [" + ", ".join(["lol"] * width) + "]")
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"x-a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_ends_at_once_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(_alias_bomb())
    started = time.perf_counter()
    with pytest.raises(CatalogError, match="alias bomb") as info:
        load_catalog(path)
    assert time.perf_counter() - started < 10
    assert str(path) in str(info.value)


def test_the_alias_limit_holds_without_the_fast_yaml_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml_rs", None)  # as if it were not installed
    with pytest.raises(CatalogError, match="alias bomb"):
        parse_text(_alias_bomb(), source="bomb.yaml")
    # a few honest aliases are fine
    fine = "a: &x {type: string}\nb: *x\nc: *x\n"
    assert parse_text(fine, source="ok.yaml") == {
        "a": {"type": "string"},
        "b": {"type": "string"},
        "c": {"type": "string"},
    }


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_too_deep_nesting_is_refused_with_a_clear_message(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"deep.{suffix}"
    deep = "[" * 200_000 + "]" * 200_000
    path.write_text('{"openapi": "3.1.0", "x": ' + deep + "}")
    with pytest.raises(CatalogError, match="levels deep"):
        load_catalog(path)


def test_a_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(CatalogError, match="more than the 1 KB"):
        parse_text("a: " + "x" * 4096, source="big.yaml", limits=Limits(max_bytes=1024))


def test_a_generated_large_description_opens_with_every_feature(tmp_path: Path) -> None:
    path = make_description(tmp_path, 600, schemas=80, fmt="yaml", split=True, version="3.0.3")
    catalog = load_catalog(path)
    assert len(catalog.endpoints) == 600
    body = catalog.lookup("op1")
    assert body is not None and body.body_schema is not None
    assert body.body_schema["properties"]["next"]["anyOf"][1]["properties"]["id"]
    error = body.responses["4XX"]["content"]["application/json"]["schema"]
    assert error["required"] == ["error"]  # from schemas/error.yaml
    assert check_catalog(catalog, validator=False) == []


def test_validation_findings_are_listed_not_refused_and_name_the_place() -> None:
    """DigitalOcean's description puts ``$ref`` where an operation belongs, which the
    OpenAPI rules do not allow; it opens, and the check lists each place."""
    catalog = load_catalog(DATA / "digitalocean" / "DigitalOcean-public.v2.yaml")
    assert len(catalog.endpoints) == 4
    assert catalog.lookup("oneClicks_list") is not None
    findings = check_catalog(catalog)
    assert findings
    assert all(f.file.endswith("DigitalOcean-public.v2.yaml") for f in findings)
    assert any("(paths./v2/1-clicks.get)" in f.location for f in findings)
