"""Every kind of authentication a profile can use arrives as httpbin (a real third-party
server on 127.0.0.1) reports it, and its secret stays out of the profile file and of
everything printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from explorer.cli import build_cli
from explorer.core.redact import MASK

pytestmark = pytest.mark.integration

VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}
SECRET = "s3cret-Value-42"


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(build_cli(lambda o: 0), list(args), input=input, env=VAULT)


def add(httpbin_url: str, name: str, *options: str, secret: str | None = SECRET) -> None:
    result = run(
        "profile", "add", name, "--environment", "httpbin", "--api-base", httpbin_url,
        *options,
        *(("--secret-stdin",) if secret is not None else ()),
        "--secret-store", "vault",
        input=None if secret is None else secret + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def call(name: str, path: str, tmp_path: Path, *extra: str) -> tuple[Result, bytes]:
    saved = tmp_path / "body.out"
    result = run(
        "call", "GET", path, "--profile", name, "--secret-store", "vault", "--output", str(saved),
        "--no-history", *extra,
    )  # fmt: skip
    return result, saved.read_bytes() if saved.exists() else b""


def test_http_basic(httpbin_url: str, tmp_path: Path) -> None:
    add(httpbin_url, "hb-basic", "--auth", "basic", "--username", "ann")
    result, body = call("hb-basic", f"/basic-auth/ann/{SECRET}", tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(body) == {"authenticated": True, "user": "ann"}
    assert SECRET not in result.output


def test_wrong_basic_password_is_a_401_with_its_scheme(httpbin_url: str, tmp_path: Path) -> None:
    add(httpbin_url, "hb-wrong", "--auth", "basic", "--username", "ann")
    result, _ = call("hb-wrong", "/basic-auth/ann/other", tmp_path)
    assert result.exit_code == 1
    assert "HTTP 401" in result.output and "Basic" in result.output
    assert "thumbtack" not in result.output.lower()


def test_bearer_token(httpbin_url: str, tmp_path: Path) -> None:
    add(httpbin_url, "hb-bearer", "--auth", "bearer")
    result, body = call("hb-bearer", "/bearer", tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(body) == {"authenticated": True, "token": SECRET}


def test_api_key_in_a_header(httpbin_url: str, tmp_path: Path) -> None:
    add(httpbin_url, "hb-key", "--auth", "api-key", "--api-key-name", "X-API-Key")
    result, body = call("hb-key", "/headers", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(body)["headers"]["X-Api-Key"] == SECRET
    assert SECRET not in result.output and MASK in result.output


def test_api_key_in_the_query(httpbin_url: str, tmp_path: Path) -> None:
    add(
        httpbin_url,
        "hb-query",
        "--auth",
        "api-key",
        "--api-key-name",
        "key",
        "--api-key-in",
        "query",
    )
    result, body = call("hb-query", "/get?page=2", tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(body)["args"] == {"page": "2", "key": SECRET}
    assert SECRET not in result.output


def test_api_key_in_a_cookie(httpbin_url: str, tmp_path: Path) -> None:
    add(
        httpbin_url,
        "hb-cookie",
        "--auth",
        "api-key",
        "--api-key-name",
        "session",
        "--api-key-in",
        "cookie",
    )
    result, body = call("hb-cookie", "/cookies", tmp_path)
    assert result.exit_code == 0, result.output
    assert json.loads(body)["cookies"] == {"session": SECRET}


def test_no_auth_profile_sends_a_typed_authorization(httpbin_url: str, tmp_path: Path) -> None:
    add(httpbin_url, "hb-none", "--auth", "none", secret=None)
    result, body = call("hb-none", "/headers", tmp_path, "-H", "Authorization: Token abc")
    assert result.exit_code == 0, result.output
    assert json.loads(body)["headers"]["Authorization"] == "Token abc"
    _plain, body = call("hb-none", "/headers", tmp_path)
    assert "Authorization" not in json.loads(body)["headers"]


def test_a_typed_authorization_is_refused_when_the_profile_signs(
    httpbin_url: str, tmp_path: Path
) -> None:
    add(httpbin_url, "hb-signs", "--auth", "bearer")
    result, body = call("hb-signs", "/headers", tmp_path, "-H", "Authorization: Token abc")
    assert result.exit_code == 2
    assert "-H Authorization conflicts with profile 'hb-signs'" in result.output
    assert body == b""  # nothing was sent


def test_secrets_stay_out_of_the_profile_file(
    httpbin_url: str, explorer_home: Path, tmp_path: Path
) -> None:
    add(httpbin_url, "hb-file", "--auth", "basic", "--username", "ann")
    files = [p for p in explorer_home.rglob("*") if p.is_file()]
    profiles = next(p for p in files if p.name == "profiles.json")
    data = json.loads(profiles.read_text())
    assert any(p.get("auth") == "basic" and p.get("username") == "ann" for p in data["profiles"])
    assert all(SECRET.encode() not in p.read_bytes() for p in files)


def test_a_profile_without_its_secret_says_how_to_store_it(
    httpbin_url: str, tmp_path: Path
) -> None:
    add(httpbin_url, "hb-nosecret", "--auth", "bearer", "--no-secret", secret=None)
    result, _ = call("hb-nosecret", "/bearer", tmp_path)
    assert result.exit_code == 1
    assert "has no token" in result.output and "profile add 'hb-nosecret'" in result.output
    assert "Traceback" not in result.output


def test_the_windows_session_signs_with_a_basic_profile(httpbin_url: str) -> None:
    import threading

    from explorer.core.environments import custom_environment
    from explorer.core.models import RequestSpec
    from explorer.core.profiles import AuthKind, Profile
    from explorer.core.redact import MASK
    from explorer.core.secrets import MemoryStore, SecretKind
    from explorer.core.session import Session
    from explorer.paths import AppPaths

    session = Session(AppPaths.from_environment().ensure())
    environment = custom_environment(id="hb", name="httpbin", api_base=httpbin_url, token_url="")
    session.profiles.save_environment(environment)
    profile = Profile(name="ann", environment_id="hb", auth=AuthKind.BASIC, username="ann")
    session.profiles.save_profile(profile)
    session.user_store = MemoryStore()
    session.user_store.set("ann", SecretKind.PASSWORD, SECRET)
    session.environment, session.profile = environment, profile
    spec = RequestSpec(method="GET", url=f"{httpbin_url}/basic-auth/ann/{SECRET}")
    record = session.perform(spec, threading.Event())
    session.close()
    assert record.status == 200, record
    assert json.loads(record.body) == {"authenticated": True, "user": "ann"}
    assert record.request.header("authorization") == f"Basic {MASK}"
    assert SECRET not in repr(record.request)  # masked in the URL too
