"""Generated API descriptions with the features of real large ones, and where real ones live.

:func:`make_description` writes an OpenAPI description of any number of operations that
uses what makes Stripe's and GitHub's files hard: long ``$ref`` chains, schemas that refer
to each other in cycles, ``allOf``/``oneOf``/``anyOf``, shared parameters and responses,
expandable fields (``anyOf: [string, $ref]``) and, with ``split=True``, schemas in other
files referred to by relative paths (a multi-file description, as DigitalOcean's).

:func:`real_description` finds a real public description in the cache folder
(``$THUMBTACK_BENCH_DESCRIPTIONS``, else ``~/.cache/thumbtack-explorer-bench/descriptions``)
when one was put there; the bench says which ones it used.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

#: the public descriptions the bench looks for in the cache folder
REAL_DESCRIPTIONS = {
    "stripe.json": "Stripe (2020-08-27, 417 operations, JSON)",
    "stripe.yaml": "Stripe (2023-08-16, 468 operations, YAML)",
    "github.json": "GitHub REST (2020, 623 operations, JSON)",
    "github.yaml": "GitHub REST (2020, 623 operations, YAML)",
    "twilio_api_v2010.json": "Twilio API v2010 (197 operations, JSON)",
    "digitalocean/specification/DigitalOcean-public.v2.yaml": (
        "DigitalOcean (multi-file YAML, 659 operations)"
    ),
}


def cache_folder() -> Path:
    configured = os.environ.get("THUMBTACK_BENCH_DESCRIPTIONS", "").strip()
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "thumbtack-explorer-bench" / "descriptions"


def real_description(name: str) -> Path | None:
    path = cache_folder() / name
    return path if path.exists() else None


def _schemas(count: int, prefix: str) -> dict[str, Any]:
    """``count`` object schemas in a web of references: chains, cycles and compositions."""
    schemas: dict[str, Any] = {}
    for i in range(count):
        name = f"{prefix}{i}"
        nxt = f"{prefix}{(i + 1) % count}"
        back = f"{prefix}{(i * 7 + 3) % count}"
        schemas[name] = {
            "type": "object",
            "description": f"Object {i}, linked to {nxt} and {back}.",
            "required": ["id", "kind"],
            "properties": {
                "id": {"type": "string", "example": f"obj_{i}"},
                "kind": {"type": "string", "enum": ["a", "b", "c"]},
                "created": {"type": "integer", "minimum": 0},
                "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                # an expandable field: an id, or the whole object (a cycle through the web)
                "next": {"anyOf": [{"type": "string"}, {"$ref": f"#/components/schemas/{nxt}"}]},
                "related": {"type": "array", "items": {"$ref": f"#/components/schemas/{back}"}},
                "detail": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {"type": "object", "properties": {"note": {"type": "string"}}},
                    ]
                },
                "choice": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {"type": "string", "maxLength": 40},
                    ]
                },
            },
        }
    schemas["Base"] = {
        "type": "object",
        "properties": {
            "label": {"type": "string"},
            "parent": {"$ref": "#/components/schemas/Base"},
        },
    }
    return schemas


def make_description(
    folder: Path,
    operations: int,
    *,
    schemas: int = 300,
    fmt: str = "json",
    split: bool = False,
    version: str = "3.1.0",
) -> Path:
    """Write a description with ``operations`` operations into ``folder``; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    components: dict[str, Any] = {
        "schemas": _schemas(schemas, "Thing"),
        "parameters": {
            "Limit": {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
            },
            "Expand": {
                "name": "expand",
                "in": "query",
                "style": "form",
                "explode": True,
                "schema": {"type": "array", "items": {"type": "string"}},
            },
        },
        "responses": {
            "Error": {
                "description": "An error.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        },
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    }
    error_schema = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["message"],
                "properties": {"message": {"type": "string"}, "code": {"type": "string"}},
            }
        },
    }
    if split:
        (folder / "schemas").mkdir(exist_ok=True)
        (folder / "schemas" / "error.yaml").write_text(yaml.safe_dump(error_schema))
        components["schemas"]["Error"] = {"$ref": "schemas/error.yaml"}
    else:
        components["schemas"]["Error"] = error_schema
    paths: dict[str, Any] = {}
    sections = max(1, min(60, operations // 40))
    for i in range(operations):
        resource = f"/v1/section{i % sections}/things{i}"
        method = ("get", "post", "delete")[i % 3]
        target = f"#/components/schemas/Thing{i % schemas}"
        operation: dict[str, Any] = {
            "operationId": f"op{i}",
            "summary": f"Operation {i} on things",
            "tags": [f"Section {i % sections}"],
            "parameters": [
                {"$ref": "#/components/parameters/Limit"},
                {"$ref": "#/components/parameters/Expand"},
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {"application/json": {"schema": {"$ref": target}}},
                },
                "4XX": {"$ref": "#/components/responses/Error"},
            },
            "security": [{"bearer": []}],
        }
        if method == "post":
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": target}}},
            }
        paths.setdefault(f"{resource}/{{id}}", {})[method] = operation
    document = {
        "openapi": version,
        "info": {"title": f"Generated API ({operations} operations)", "version": "1.0"},
        "servers": [{"url": "https://api.example.com"}],
        "tags": [{"name": f"Section {i}"} for i in range(sections)],
        "paths": paths,
        "components": components,
    }
    path = folder / f"generated-{operations}.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(document), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def instance(index: int) -> dict[str, Any]:
    """A value that conforms to ``Thing{index}`` of a generated description."""
    value: dict[str, Any] = {
        "id": f"obj_{index}",
        "kind": "a",
        "created": 1700000000,
        "metadata": {"source": "bench"},
        "next": f"obj_{index + 1}",
        "related": [],
        "detail": {"label": "x", "note": "y"},
        "choice": "short",
    }
    return value
