"""The API description and the Sandbox agree: every operation, its success and each
documented error, sent to a real Sandbox over sockets and checked against the shipped
description (status, media type, body). A disagreement fails the suite.

Each response is judged twice. The program's own contract engine
(:func:`explorer.core.contract.check_response`, openapi-core) must find it conforming; and a
stricter check with JSON Schema 2020-12 (``jsonschema`` with a ``referencing`` registry over
the whole description) closes every object schema that lists its ``properties``
(``unevaluatedProperties: false``): a field the Sandbox sends and the description does not
name is a disagreement too, so the Sandbox cannot teach an invented field.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from explorer.core.catalog import Catalog, load_default_catalog
from explorer.core.contract import Verdict, check_response
from explorer.resources import resource_path
from explorer.sandbox.server import SandboxConfig, SandboxServer
from tests.sandbox.conftest import SandboxSession
from tests.sandbox.test_sandbox_endpoints import CASES, PLACEHOLDERS, ROBERTS, Case

URI = "urn:thumbtack-v4"
METHODS = ("get", "post", "put", "delete", "patch")


@functools.cache
def description() -> dict[str, Any]:
    return dict(yaml.safe_load(resource_path("openapi", "thumbtack-v4.yaml").read_text("utf-8")))


def _closed(node: Any) -> Any:
    """A copy where every object schema naming its properties admits no others."""
    if isinstance(node, dict):
        out = {key: _closed(value) for key, value in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out.setdefault("unevaluatedProperties", False)
        return out
    if isinstance(node, list):
        return [_closed(item) for item in node]
    return node


@functools.cache
def registry() -> Registry:
    resource = DRAFT202012.create_resource(_closed(copy.deepcopy(description())))
    return Registry().with_resource(URI, resource)


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = description()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operation(method: str, path: str) -> tuple[dict[str, Any], str]:
    """The operation object and its JSON pointer, for an API path template."""
    full = path if path.startswith("/oauth2") else "/api/v4" + path
    op = description()["paths"][full][method.lower()]
    return op, _pointer("paths", full, method.lower())


def _response_key(responses: dict[str, Any], status: int) -> str | None:
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            return key
    return None


@functools.cache
def catalog() -> Catalog:
    return load_default_catalog()


def contract_verdict(method: str, template: str, response: Any) -> list[str]:
    """The contract engine's problems with ``response`` (empty when it conforms)."""
    full = template if template.startswith("/oauth2") else "/api/v4" + template
    endpoint = catalog().by_route(method, full)
    assert endpoint is not None, full
    result = check_response(
        catalog(),
        endpoint,
        status=response.status_code,
        headers=list(response.headers.items()),
        body=response.content,
    )
    if result.verdict in (Verdict.CONFORMS, Verdict.NO_SCHEMA):
        return []
    return [f"{method} {template} -> {response.status_code}: {result.summary}"] + [
        f"  {p.path}: {p.message}" for p in result.problems
    ]


def disagreements(method: str, template: str, response: Any) -> list[str]:
    """What in ``response`` the description does not say (empty when they agree)."""
    return contract_verdict(method, template, response) + strict_disagreements(
        method, template, response
    )


def strict_disagreements(method: str, template: str, response: Any) -> list[str]:
    """The stricter JSON Schema check (no field the description does not name)."""
    op, pointer = operation(method, template)
    where = f"{method} {template} -> {response.status_code}"
    key = _response_key(op["responses"], response.status_code)
    if key is None:
        return [f"{where}: status not in the description ({sorted(op['responses'])})"]
    spec = _resolve(op["responses"][key])
    content = spec.get("content") or {}
    media = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
    if not content:
        return [] if not response.content else [f"{where}: a body the description has not"]
    if media not in content:
        return [f"{where}: media type {media or 'none'} not in {sorted(content)}"]
    if "schema" not in content[media]:
        return []
    if media.endswith("json"):
        instance: Any = json.loads(response.content)
    else:
        instance = response.text
    # Validate against the schema where it stands in the description (refs resolve there).
    if "$ref" in op["responses"][key]:
        base = op["responses"][key]["$ref"]
    else:
        base = pointer + _pointer("responses", key)[1:]
    schema = {"$ref": f"{URI}{base}/content/{quote(media.replace('/', '~1'), safe='~')}/schema"}
    validator = Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())
    return [
        f"{where}: {'/'.join(map(str, error.absolute_path)) or 'body'}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


@pytest.fixture(scope="module")
def session() -> Iterator[SandboxSession]:
    server = SandboxServer(
        SandboxConfig(auto_approve=True, rate_limit_per_minute=0, webhook_backoff_s=0.05)
    )
    server.start()
    api = SandboxSession(server)
    yield api
    api.close()
    server.stop()


def _token(api: SandboxSession, who: str) -> str:
    return api.cc() if who == "cc" else api.user(who)


def _path(api: SandboxSession, case: Case, token: str) -> str:
    path = case.path or case.template
    for placeholder, create in PLACEHOLDERS.items():
        if placeholder in path:
            path = path.replace(placeholder, create(api, token))
    return path


def _send(
    api: SandboxSession, case: Case, token: str | None, owner: str | None = None, **extra: Any
) -> Any:
    """Send the case with ``token``; resources its path needs are made with ``owner``."""
    kwargs: dict[str, Any] = {"params": case.params, **extra}
    if case.body is not None and "json" not in kwargs and "content" not in kwargs:
        kwargs["json"] = case.body()
    owner = owner or token or _token(api, case.who)
    return api.call(case.method, _path(api, case, owner), token, **kwargs)


#: Scopes of each client's family, to find one a route does not take.
OTHER_SCOPES = {
    "cc": ("demand::keywords.read", "demand::orders.read"),
    "demand": ("demand::users.read", "demand::messages.read"),
    "supply": ("supply::users.read", "supply::messages.read"),
}


def test_every_operation_of_the_description_has_a_case() -> None:
    described = {
        f"{method.upper()} {path.removeprefix('/api/v4')}"
        for path, item in description()["paths"].items()
        if path.startswith("/api/v4")
        for method in item
        if method in METHODS
    }
    assert described == {f"{c.method} {c.template}" for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.template}")
def test_success_agrees_with_the_description(session: SandboxSession, case: Case) -> None:
    response = _send(session, case, _token(session, case.who))
    op, _ = operation(case.method, case.template)
    success = sorted(code for code in op["responses"] if str(code).startswith("2"))
    assert success == [str(response.status_code)], (success, response.text)
    assert disagreements(case.method, case.template, response) == []


#: How the Sandbox is made to give each documented error: a fault (sent as X-Sandbox-Fault)
#: or a real cause.
FAULT_FOR = {
    "400": "validation-error",
    "403": "blocked-client",
    "404": "not-found",
    "429": "rate-limited",
    "451": "sanctioned-country",
    "502": "proxy-oauth-failed",
    "5XX": "server-error",
}


def _error_cases() -> list[tuple[Case, str]]:
    out = []
    for case in CASES:
        op, _ = operation(case.method, case.template)
        out += [(case, code) for code in op["responses"] if not str(code).startswith("2")]
    return out


@pytest.mark.parametrize(
    ("case", "code"), _error_cases(), ids=lambda v: v if isinstance(v, str) else v.template
)
def test_each_documented_error_agrees_with_the_description(
    session: SandboxSession, case: Case, code: str
) -> None:
    token = _token(session, case.who)
    if code == "401":
        response = _send(session, case, None, owner=token)
        assert response.status_code == 401
        assert disagreements(case.method, case.template, response) == []
        # and a token without the route's scope: the 401 real traffic shows
        op, _ = operation(case.method, case.template)
        scoped = {s for req in op.get("security", []) for s in req.get("oauth2", [])}
        if scoped:
            other = next(s for s in OTHER_SCOPES[case.who] if s not in scoped)
            stranger = (
                session.cc(scope=other) if case.who == "cc" else session.user(case.who, other)
            )
            response = _send(session, case, stranger, owner=token)
            assert response.status_code == 401, response.text
            assert response.json()["detail"].startswith("required scope(s) [")
            assert disagreements(case.method, case.template, response) == []
        return
    headers = {"X-Sandbox-Fault": FAULT_FOR[code]}
    response = _send(session, case, token, headers=headers)
    expected = 500 if code == "5XX" else int(code)
    assert response.status_code == expected, response.text
    assert disagreements(case.method, case.template, response) == []


def test_a_real_not_found_and_a_real_validation_error_agree(session: SandboxSession) -> None:
    supply = session.user("supply")
    missing = session.call("GET", f"/businesses/{ROBERTS}/webhooks/999", supply)
    assert missing.status_code == 404
    assert disagreements("GET", "/businesses/{businessID}/webhooks/{webhookID}", missing) == []
    bad = session.call("POST", f"/businesses/{ROBERTS}/webhooks", supply, json={"enabled": 1})
    assert bad.status_code == 400
    assert disagreements("POST", "/businesses/{businessID}/webhooks", bad) == []


def test_the_token_endpoint_agrees_with_the_description(session: SandboxSession) -> None:
    ok = session.token_request({"grant_type": "client_credentials", "audience": AUDIENCE})
    assert ok.status_code == 200
    assert disagreements("POST", "/oauth2/token", ok) == []
    refused = session.token_request(
        {"grant_type": "client_credentials", "audience": AUDIENCE}, client=session.SUPPLY
    )
    assert refused.status_code == 400
    assert disagreements("POST", "/oauth2/token", refused) == []
    unknown = session.token_request(
        {"grant_type": "client_credentials", "audience": AUDIENCE}, client=("who", "nope")
    )
    assert unknown.status_code == 401
    assert disagreements("POST", "/oauth2/token", unknown) == []


def test_the_checker_finds_a_disagreement() -> None:
    """The check itself can fail: an invented field, a wrong status, a wrong media type."""

    class Fake:
        def __init__(self, status: int, body: Any, media: str = "application/json") -> None:
            self.status_code = status
            self.content = json.dumps(body).encode()
            self.text = self.content.decode()
            self.headers = {"content-type": media}

    strict = strict_disagreements

    good = {"businessID": "1", "name": "A", "imageURL": "x", "phoneNumber": "+14155550100"}
    assert disagreements("GET", "/businesses/{businessID}", Fake(200, good)) == []
    invented = Fake(200, {**good, "rating": 5})
    assert any("rating" in d for d in strict("GET", "/businesses/{businessID}", invented))
    assert disagreements("GET", "/businesses/{businessID}", Fake(201, good))
    assert disagreements("GET", "/businesses/{businessID}", Fake(200, good, "text/plain"))
    bad_phone = Fake(200, {**good, "phoneNumber": "4155550100"})
    assert disagreements("GET", "/businesses/{businessID}", bad_phone)


AUDIENCE = "urn:partner-api"
