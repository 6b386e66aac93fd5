"""Variables: environment, workspace and secret variables, built-ins, captured values,
and saved requests that hold ``{{base_url}}`` instead of a Sandbox port."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.files import DocumentError
from explorer.core.redact import MASK
from explorer.core.secrets import MemoryStore, SecretStoreError, VaultStore
from explorer.core.variables import (
    WORKSPACE,
    CapturedValues,
    VariableSource,
    VariableStore,
    builtin_variables,
    defined_variables,
    layered,
    name_problem,
    open_reference,
    reference_at,
    references,
    resolve_variables,
    values_of,
    with_base_references,
)

SECRET = "partner-api-key-7f3c9a1e55"


def every_file_text(root: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", errors="replace") for p in root.rglob("*") if p.is_file()
    )


def test_plain_and_secret_variables_per_environment_and_workspace(tmp_path: Path) -> None:
    vault = VaultStore(tmp_path / "data" / "vault.bin", "correct horse", scrypt_log2_n=12)
    store = VariableStore.in_folder(tmp_path / "config", lambda: vault)
    store.define(WORKSPACE, "utm_source", "partner-site")
    store.define("sandbox", "zipCode", "94117", description="a San Francisco zip code")
    store.define("staging", "zipCode", "10001")
    store.define(WORKSPACE, "api_key", SECRET, secret=True)

    definitions = store.load()
    assert [d.name for d in definitions.workspace] == ["utm_source", "api_key"]
    assert definitions.find("sandbox", "zipCode").value == "94117"  # type: ignore[union-attr]
    assert definitions.find(WORKSPACE, "api_key").value == ""  # type: ignore[union-attr]
    assert store.secret_value(WORKSPACE, "api_key") == SECRET
    assert store.secret_values() == (SECRET,)
    # the value is in the encrypted vault only: no file holds it in plain text
    assert SECRET not in every_file_text(tmp_path)
    document = json.loads((tmp_path / "config" / "variables.json").read_text())
    assert document["workspace"][1] == {"name": "api_key", "secret": True}

    sandbox = layered(
        defined_variables(store, definitions, "sandbox", scope_name="Sandbox (local)"),
        defined_variables(store, definitions, WORKSPACE),
    )
    assert values_of(sandbox) == {
        "zipCode": "94117",
        "utm_source": "partner-site",
        "api_key": SECRET,
    }
    assert sandbox["zipCode"].where == "environment Sandbox (local)"
    assert sandbox["api_key"].secret and sandbox["api_key"].shown() == MASK
    assert sandbox["api_key"].where == "secret, workspace"
    assert sandbox["utm_source"].shown() == "partner-site"

    # a secret made plain again leaves the vault; a removed secret too
    store.define(WORKSPACE, "api_key", "now-plain")
    assert store.secret_value(WORKSPACE, "api_key") is None
    store.define(WORKSPACE, "api_key", SECRET, secret=True)
    store.remove(WORKSPACE, "api_key")
    assert store.secret_value(WORKSPACE, "api_key") is None
    assert store.load().find(WORKSPACE, "api_key") is None
    store.rename("sandbox", "zipCode", "zip")
    assert [d.name for d in store.load().scope("sandbox")] == ["zip"]


def test_a_secret_needs_an_open_store_and_a_locked_store_shows_locked(tmp_path: Path) -> None:
    memory = MemoryStore()
    opened: list[MemoryStore | None] = [None]
    store = VariableStore.in_folder(tmp_path, lambda: opened[0])
    with pytest.raises(SecretStoreError, match="No secret store is open"):
        store.define(WORKSPACE, "token", SECRET, secret=True)
    assert not (tmp_path / "variables.json").exists()
    opened[0] = memory
    store.define(WORKSPACE, "token", SECRET, secret=True)
    opened[0] = None  # locked again
    shown = defined_variables(store, store.load(), WORKSPACE)[0]
    assert shown.value is None and shown.shown() == "(locked)"
    assert "token" not in values_of({"token": shown})  # stays {{token}}: reported unknown


def test_names_that_cannot_be_defined() -> None:
    assert "cannot be a variable name" in name_problem("2fast")
    assert "filled by the program itself" in name_problem("base_url")
    assert name_problem("searchID") == ""
    store = VariableStore(Path("/nonexistent/variables.json"), lambda: None)
    with pytest.raises(ValueError, match="access_token"):
        store.define(WORKSPACE, "access_token", "x")


def test_a_damaged_file_is_reported_and_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "variables.json"
    path.write_text("{not json")
    store = VariableStore(path, lambda: None)
    with pytest.raises(DocumentError, match="not valid JSON"):
        store.load()
    assert list(tmp_path.glob("variables.json.*"))  # what the user had is kept
    path.write_text(json.dumps({"version": 1, "workspace": [{"value": "x"}]}))
    with pytest.raises(DocumentError, match=r"workspace\[0\]: needs a 'name'"):
        store.load()


def test_lookup_order_builtin_captured_environment_workspace(tmp_path: Path) -> None:
    store = VariableStore(tmp_path / "variables.json", lambda: None)
    store.define(WORKSPACE, "searchID", "from-workspace")
    store.define("sandbox", "searchID", "from-environment")
    captured = CapturedValues()
    definitions = store.load()
    env = defined_variables(store, definitions, "sandbox")
    work = defined_variables(store, definitions, WORKSPACE)
    builtins = builtin_variables(base_url="http://127.0.0.1:48400/", access_token="tok")
    chosen = layered(builtins, captured.of("sandbox").values(), env, work)
    assert chosen["searchID"].value == "from-environment"
    captured.put("sandbox", "searchID", "545691", where="captured from POST /businesses/search")
    chosen = layered(builtins, captured.of("sandbox").values(), env, work)
    assert chosen["searchID"].source is VariableSource.CAPTURED
    assert chosen["searchID"].value == "545691"
    assert chosen["base_url"].value == "http://127.0.0.1:48400"
    assert chosen["access_token"].shown() == MASK
    assert chosen["auth_base_url"].value is None  # not known: stays {{auth_base_url}}
    captured.forget("sandbox")
    assert captured.of("sandbox") == {}
    personal = CapturedValues()
    personal.put("sandbox", "customer", "Olivia Y.", where="captured", personal=True)
    customer = personal.of("sandbox")["customer"]
    assert customer.shown() == "Olivia Y."
    assert customer.shown(presentation=True) == MASK


def test_references_for_completion_hover_and_marks() -> None:
    text = "{{base_url}}/api/v4/requests?x={{ searchID }}"
    assert [(r.name, r.start, r.end) for r in references(text)] == [
        ("base_url", 0, 12),
        ("searchID", 31, 45),
    ]
    assert reference_at(text, 35).name == "searchID"  # type: ignore[union-attr]
    assert reference_at(text, 20) is None
    assert open_reference("Bearer {{") == ""
    assert open_reference("x={{sea") == "sea"
    assert open_reference("x={{searchID}} and") is None
    assert resolve_variables(text, {"base_url": "http://h"}).unknown == ("searchID",)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://127.0.0.1:48400/api/v4/businesses/search",
            "{{base_url}}/api/v4/businesses/search",
        ),
        (
            "http://localhost:51234/api/v4/negotiations/1?x=1",
            "{{base_url}}/api/v4/negotiations/1?x=1",
        ),
        ("http://127.0.0.1:51234/oauth2/token", "{{auth_base_url}}/oauth2/token"),
        ("https://api.thumbtack.com/api/v4/categories", "{{base_url}}/api/v4/categories"),
        ("https://example.com/api/v4/categories", "https://example.com/api/v4/categories"),
        ("http://127.0.0.1:8080/other", "http://127.0.0.1:8080/other"),
        ("{{base_url}}/api/v4/x", "{{base_url}}/api/v4/x"),
    ],
)
def test_saved_urls_name_the_base_not_the_port(url: str, expected: str) -> None:
    assert with_base_references(url, base_url="https://api.thumbtack.com") == expected
