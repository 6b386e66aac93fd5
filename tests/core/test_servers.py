"""A description's servers become environments; the request URL keeps their base path."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.catalog import load_catalog
from explorer.core.servers import (
    ServerError,
    expand,
    pick_server,
    server_environment,
    servers_of,
)
from explorer.core.session import build_request

DATA = Path(__file__).parents[1] / "data" / "openapi"


def test_petstore_keeps_its_v1_base_path() -> None:
    catalog = load_catalog(DATA / "oai-v3.0-petstore.yaml")
    servers = servers_of(catalog.document)
    environment = server_environment(pick_server(servers, None), title=catalog.title)
    assert environment.api_base == "http://petstore.swagger.io/v1/"
    assert not environment.speaks_thumbtack
    endpoint = next(e for e in catalog.endpoints if e.operation_id == "listPets")
    spec = build_request(endpoint, environment, [("limit", "5")], None)
    assert spec.url == "http://petstore.swagger.io/v1/pets?limit=5"
    assert spec.thumbtack is False


DOC = {
    "servers": [
        {
            "url": "https://{region}.example.com:{port}/{base}",
            "description": "Regional",
            "variables": {
                "region": {"default": "eu", "enum": ["eu", "us"]},
                "port": {"default": "8443"},
                "base": {"default": "v2"},
            },
        },
        {"url": "/relative/api"},
    ]
}


def test_variables_take_their_defaults_or_given_values() -> None:
    regional = servers_of(DOC)[0]
    assert [v.name for v in regional.variables] == ["region", "port", "base"]
    assert regional.variable("region").enum == ("eu", "us")  # type: ignore[union-attr]
    assert expand(regional) == "https://eu.example.com:8443/v2"
    assert expand(regional, {"region": "us", "port": "9"}) == "https://us.example.com:9/v2"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"region": "ap"}, "choose one of eu, us"),
        ({"zone": "1"}, "has no variable zone"),
    ],
)
def test_bad_variables_are_refused_with_the_fix(values: dict[str, str], message: str) -> None:
    with pytest.raises(ServerError, match=message):
        expand(servers_of(DOC)[0], values)


def test_relative_servers_resolve_against_the_descriptions_address() -> None:
    relative = servers_of(DOC)[1]
    environment = server_environment(relative, base_uri="https://api.example.org/openapi.json")
    assert environment.api_base == "https://api.example.org/relative/api/"
    with pytest.raises(ServerError, match="is relative"):
        server_environment(relative, base_uri="/home/me/openapi.json")


def test_pick_by_number_or_url() -> None:
    servers = servers_of(DOC)
    assert pick_server(servers, "2").url == "/relative/api"
    assert pick_server(servers, "Regional").index == 0
    with pytest.raises(ServerError, match="lists: 1: https"):
        pick_server(servers, "3")
