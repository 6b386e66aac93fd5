"""Every Thumbtack fact of the shipped description carries one evidence grade, and the
description says what real traffic showed (evidence file §c)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from explorer.commands.endpoints import command as endpoints_command
from explorer.core.catalog import load_catalog, load_default_catalog
from explorer.core.evidence import Evidence, field_grades, grade_of
from explorer.resources import resource_path

GRADES = {"documented", "observed", "inferred"}
METHODS = ("get", "post", "put", "delete", "patch")


@functools.cache
def doc() -> dict[str, Any]:
    return dict(yaml.safe_load(resource_path("openapi", "thumbtack-v4.yaml").read_text("utf-8")))


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc()["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield method, path, op
    for name, item in doc()["webhooks"].items():
        for method, op in item.items():
            yield method, f"webhook {name}", op


def _properties(schema: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(schema, dict):
        return
    for name, sub in (schema.get("properties") or {}).items():
        yield f"{where}.{name}", sub
        yield from _properties(sub, f"{where}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from _properties(schema["items"], f"{where}[]")
    for key in ("oneOf", "anyOf", "allOf"):
        for index, sub in enumerate(schema.get(key) or []):
            yield from _properties(sub, f"{where}.{key}{index}")


def graded_nodes() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every node that states a Thumbtack fact: operations, parameters, body fields,
    responses and their headers, error bodies, schemas and their properties."""
    for method, path, op in operations():
        where = f"{method.upper()} {path}"
        yield where, op
        for param in op.get("parameters", []):
            yield f"{where} param {param['name']}", param
            yield from _properties(param.get("schema"), f"{where} param {param['name']}")
        body = op.get("requestBody")
        if body:
            yield f"{where} body", body
            for media in body.get("content", {}).values():
                yield from _properties(media.get("schema"), f"{where} body")
        for code, response in op.get("responses", {}).items():
            if "$ref" not in response:
                yield f"{where} {code}", response
                for media in (response.get("content") or {}).values():
                    yield from _properties(media.get("schema"), f"{where} {code}")
    for name, response in doc()["components"]["responses"].items():
        yield f"response {name}", response
        for hname, header in (response.get("headers") or {}).items():
            yield f"response {name} header {hname}", header
    for name, schema in doc()["components"]["schemas"].items():
        yield f"schema {name}", schema
        yield from _properties(schema, f"schema {name}")


def test_every_fact_carries_exactly_one_known_grade() -> None:
    ungraded = [where for where, node in graded_nodes() if node.get("x-evidence") not in GRADES]
    assert ungraded == []
    scopes = [
        where
        for method, where, op in operations()
        if op.get("security") and op["x-evidence-scopes"] not in GRADES
    ]
    assert scopes == []


def test_nothing_marked_inferred_is_graded_anything_else() -> None:
    wrong = [
        where
        for where, node in graded_nodes()
        if node.get("x-inferred") is True and node.get("x-evidence") != "inferred"
    ]
    assert wrong == []


def _op(op_id: str) -> dict[str, Any]:
    return next(op for _m, _p, op in operations() if op.get("operationId") == op_id)


@pytest.mark.parametrize(
    ("op_id", "status"),
    [
        ("sendMessageV4", "200"),
        ("createAssociatePhoneNumberV4", "200"),
        ("bulkCreateAssociatePhoneNumbersV4", "200"),
        ("createTestNegotiationV4", "200"),
        ("disconnectUserV4", "204"),
        ("createOrderV4", "200"),
    ],
)
def test_the_six_disputed_success_statuses_are_one_each_and_graded_inferred(
    op_id: str, status: str
) -> None:
    responses = _op(op_id)["responses"]
    assert [code for code in responses if code.startswith("2")] == [status]
    assert responses[status]["x-evidence"] == "inferred" and responses[status]["x-evidence-note"]


def test_the_description_follows_real_traffic() -> None:
    schemas = doc()["components"]["schemas"]
    assert schemas["Business"]["properties"]["phoneNumber"]["x-evidence"] == "observed"
    e164 = schemas["User"]["properties"]["phoneNumber"]["pattern"]
    assert (
        e164.startswith("^\\+")
        and schemas["User"]["properties"]["phoneNumber"]["x-evidence"] == "observed"
    )
    business_events = schemas["BusinessWebhookInput"]["properties"]["eventTypes"]["items"]["enum"]
    assert "IncentiveUsedV4" not in business_events and len(business_events) == 8
    create = _op("createBusinessWebhookV4")["requestBody"]["content"]["application/json"]
    assert create["schema"]["$ref"].endswith("/BusinessWebhookInput")
    assert schemas["WebhookList"]["example"]["pagination"] == {"limit": 10}
    message = schemas["MessageV4"]
    assert "attachments" not in message.get("required", [])
    assert message["properties"]["business"]["x-evidence"] == "observed"
    params = {p["name"]: p for p in _op("searchCategoriesV4")["parameters"]}
    assert params["utmData"]["x-evidence"] == "inferred" and not params["utmData"]["required"]
    homecare = {p["name"]: p for p in _op("getHomecareCategoriesV4")["parameters"]}
    assert "enum" not in homecare["propertyType"]["schema"]
    assert "single_family_home" in homecare["propertyType"]["description"]
    envelope = schemas["WebhookEnvelope"]
    assert envelope["x-delivery-headers"]["User-Agent"] == "Go-http-client/1.1"
    assert envelope["properties"]["event"]["properties"]["description"]["const"] == ""


def test_error_bodies_say_a_missing_scope_is_a_401_with_a_trace_id() -> None:
    responses = doc()["components"]["responses"]
    unauthorized = responses["Unauthorized"]
    examples = unauthorized["content"]["application/problem+json"]["examples"]
    scope = examples["missingScope"]["value"]
    assert scope["status"] == 401 and scope["detail"].startswith("required scope(s) [")
    assert all("traceID" in example["value"] for example in examples.values())
    assert "scope" not in responses["Forbidden"]["description"].split("A missing scope")[0]
    retry_after = responses["RateLimited"]["headers"]["Retry-After"]
    assert retry_after["x-evidence"] == "inferred"
    type_uri = doc()["components"]["schemas"]["ProblemDetails"]["properties"]["type"]
    assert "validation-error" in type_uri["x-evidence-note"]
    assert "inference" in type_uri["x-evidence-note"]


def test_the_next_checks_are_recorded_for_staging() -> None:
    checks = doc()["info"]["x-next-checks"]
    assert len(checks) == 5
    notes = " ".join(str(node.get("x-inferred-note", "")) for _where, node in graded_nodes())
    for check in checks:
        assert check in notes, check
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    section = readme.split("## What is not yet confirmed", 1)[1].split("\n## ", 1)[0]
    for words in ("401 body", "success status", "PUT vs PATCH", "405 `Allow`", "/reviews"):
        assert words in section


def test_the_catalog_reads_the_grades() -> None:
    catalog = load_default_catalog()
    by_id = {e.operation_id: e for e in catalog.endpoints}
    assert by_id["createOrderV4"].evidence is Evidence.INFERRED
    assert by_id["getBusinessV4"].evidence is Evidence.OBSERVED
    assert by_id["searchKeywordsV4"].evidence is Evidence.DOCUMENTED
    assert by_id["listBusinessesV4"].scope_evidence is Evidence.OBSERVED
    for endpoint in catalog.endpoints:
        if endpoint.inferred:
            assert endpoint.evidence is Evidence.INFERRED
        for param in endpoint.parameters:
            if param.inferred:
                assert param.evidence is Evidence.INFERRED
    job = field_grades(by_id["postJobStatusV4"].body_schema, by_id["postJobStatusV4"].evidence)
    assert job["partnerStatusChangedAt"] is Evidence.INFERRED


def test_an_ungraded_description_is_the_documentation_itself(tmp_path: Path) -> None:
    spec = tmp_path / "plain.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      operationId: a\n      parameters:\n"
        "      - {name: q, in: query, schema: {type: string}}\n"
        "      - {name: r, in: query, x-inferred: true, schema: {type: string}}\n"
        "      responses: {'200': {description: ok}}\n",
        encoding="utf-8",
    )
    endpoint = load_catalog(spec).endpoints[0]
    assert endpoint.evidence is Evidence.DOCUMENTED
    grades = {p.name: p.evidence for p in endpoint.parameters}
    assert grades == {"q": Evidence.DOCUMENTED, "r": Evidence.INFERRED}
    assert grade_of({"x-evidence": "documented", "x-inferred": True}) is Evidence.INFERRED
    assert grade_of({}) is Evidence.INFERRED


def test_cli_json_carries_the_grades_and_never_documents_an_inference() -> None:
    result = CliRunner().invoke(endpoints_command, ["--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    raw = {op["operationId"]: op for _m, _p, op in operations() if "operationId" in op}
    assert {row["evidence"] for row in rows} == GRADES
    for row in rows:
        op = raw[row["operation_id"]]
        assert row["evidence"] == grade_of(op).value
        assert row["evidence_label"] in {"documented", "seen in real traffic", "our inference"}
        if op.get("x-inferred") or row["inferred"]:
            assert row["evidence"] == "inferred"
        by_name = {p["name"]: p for p in op.get("parameters", [])}
        for param in row["parameters"]:
            source = by_name.get(param["name"].split("[")[0], {})
            if source.get("x-inferred") or source.get("x-evidence") == "inferred":
                assert param["evidence"] == "inferred", (row["operation_id"], param)
            assert param["evidence"] in GRADES
        for field in row["body_fields"]:
            assert field["evidence"] in GRADES
        for response in row["responses"]:
            assert response["evidence"] in GRADES
    send = next(r for r in rows if r["operation_id"] == "sendMessageV4")
    assert {r["status"]: r["evidence"] for r in send["responses"]}["200"] == "inferred"
    job = next(r for r in rows if r["operation_id"] == "postJobStatusV4")
    fields = {f["name"]: f["evidence"] for f in job["body_fields"]}
    assert fields["invoiceAmountInCents"] == "inferred"
