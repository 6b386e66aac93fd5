"""``profile`` commands: secrets from a prompt, stdin or a variable, never an argument."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import build_cli

VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}


def run(args: list[str], input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args, input=input, env=env)


ADD = [
    "profile",
    "add",
    "team",
    "--environment",
    "staging",
    "--client-id",
    "cid",
    "--scope",
    "demand::keywords.read",
    "--secret-store",
    "vault",
]


def test_add_reads_the_secret_from_stdin_and_keeps_it_out_of_files(explorer_home: Path) -> None:
    result = run([*ADD, "--secret-stdin"], input="s3cret-value\n", env=VAULT)
    assert result.exit_code == 0, result.output
    assert "Encrypted vault file" in result.output
    for path in explorer_home.rglob("*"):
        if path.is_file():
            assert b"s3cret-value" not in path.read_bytes(), path
    shown = run(["profile", "show", "team", "--json", "--secret-store", "vault"], env=VAULT)
    data = json.loads(shown.output)
    assert data["secrets"]["client_secret"] == "stored" and data["client_id"] == "cid"
    assert "s3cret-value" not in shown.output


def test_add_reads_the_secret_from_a_variable() -> None:
    result = run([*ADD, "--secret-env", "MY_SECRET"], env={**VAULT, "MY_SECRET": "from-env"})
    assert result.exit_code == 0, result.output
    listed = run(["profile", "list"])
    assert "team\tstaging\tclient_credentials\tcid" in listed.output


def test_add_prompts_for_the_secret_without_echo() -> None:
    result = run(ADD, input="typed-secret\n", env=VAULT)
    assert result.exit_code == 0, result.output
    assert "typed-secret" not in result.output


def test_there_is_no_option_for_a_secret_in_an_argument() -> None:
    result = run([*ADD, "--client-secret", "oops"], env=VAULT)
    assert result.exit_code == 2 and "No such option" in result.output


def test_invalid_profile_lists_every_error_and_exits_2() -> None:
    result = run(
        [
            "profile",
            "add",
            "bad",
            "--environment",
            "staging",
            "--client-id",
            "c",
            "--scope",
            "demand::keywords.read",
            "--scope",
            "supply::messages.read",
            "--no-secret",
        ]
    )
    assert result.exit_code == 2
    assert "mixes demand:: and supply::" in result.output
    assert "authorization_code" in result.output


def test_remove_and_unknown_profile() -> None:
    assert run([*ADD, "--secret-stdin"], input="x\n", env=VAULT).exit_code == 0
    removed = run(["profile", "remove", "team", "--secret-store", "vault"], env=VAULT)
    assert removed.exit_code == 0 and "Removed profile 'team'" in removed.output
    missing = run(["profile", "show", "team"])
    assert missing.exit_code == 1 and "no profile named 'team'" in missing.output


def test_custom_environment_is_created_with_the_profile() -> None:
    result = run(
        [
            "profile",
            "add",
            "proxy",
            "--environment",
            "my-proxy",
            "--client-id",
            "c",
            "--api-base",
            "https://proxy.example.com/api/",
            "--token-url",
            "https://proxy.example.com/oauth2/token",
            "--no-secret",
        ]
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(run(["profile", "show", "proxy", "--json"]).output)
    assert shown["environment"] == "my-proxy"


@pytest.mark.parametrize("broken", ["{not json", '{"version": 1, "profiles": [{"name": 3}]}'])
def test_a_broken_profiles_file_is_reported_and_kept(explorer_home: Path, broken: str) -> None:
    path = explorer_home / "config" / "profiles.json"
    path.parent.mkdir(parents=True)
    path.write_text(broken)
    result = run(["profile", "list"])
    assert result.exit_code == 0
    assert str(path) in result.output and "set aside" in result.output
    backups = list(path.parent.glob("profiles.json.broken-*"))
    assert len(backups) == 1 and backups[0].read_text() == broken


def test_without_a_keychain_a_secret_is_never_kept_in_memory_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from explorer.core import secrets

    monkeypatch.setattr(secrets, "keyring_status", lambda _backend=None: (False, "no keychain"))
    base = [a for a in ADD if a not in ("--secret-store", "vault")]
    for args in (base, [*base, "--secret-store", "memory"]):
        result = run([*args, "--secret-stdin"], input="s3cret\n")
        assert result.exit_code == 2, result.output
        assert "No OS keychain is available here" in result.output
        assert "--secret-store vault" in result.output and "was not saved" in result.output
        assert "Saved profile" not in result.output
    listed = run(["profile", "list"])
    assert "No profiles of your own yet" in listed.stderr and "team" not in listed.stdout
    kept = run([*base, "--secret-stdin", "--secret-store", "vault"], input="s3cret\n", env=VAULT)
    assert kept.exit_code == 0 and "Encrypted vault file" in kept.output


def test_show_warns_when_the_secret_is_missing() -> None:
    added = run([*ADD, "--no-secret"], env=VAULT)
    assert added.exit_code == 0, added.output
    shown = run(["profile", "show", "team"], env=VAULT)
    assert shown.exit_code == 0
    assert "Warning: No client secret is stored for 'team'" in shown.stderr
    data = json.loads(run(["profile", "show", "team", "--json"], env=VAULT).stdout)
    assert data["secrets"]["client_secret"] == "missing"
    assert any("No client secret is stored" in w for w in data["warnings"])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_login_prints_the_address_and_its_warning_on_lines_of_their_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda _url: False)
    added = run(
        [
            "profile", "add", "web", "--environment", "local", "--client-id", "c",
            "--flow", "authorization_code", "--scope", "demand::users.read",
            "--api-base", "http://127.0.0.1:9/api/", "--token-url",
            "http://127.0.0.1:9/oauth2/token", "--authorize-url", "http://127.0.0.1:9/oauth2/auth",
            "--redirect-uri", f"http://127.0.0.1:{free_port()}/callback",
            "--secret-stdin", "--secret-store", "vault",
        ],
        input="s\n",
        env=VAULT,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    result = run(["profile", "login", "web", "--timeout", "0.2"], env=VAULT)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    url_line = next(line for line in lines if "oauth2/auth?" in line)
    assert url_line.startswith("  http://127.0.0.1:9/oauth2/auth?") and " " not in url_line[2:]
    assert any(line.startswith("Warning: no browser could be started") for line in lines)
    assert any(line.startswith("Warning: profile.scopes: without offline_access") for line in lines)


def test_login_for_a_sandbox_profile_explains_that_call_signs_in() -> None:
    assert run([*ADD[:4], "sandbox", *ADD[5:], "--no-secret"], env=VAULT).exit_code == 0
    result = run(["profile", "login", "team"], env=VAULT)
    assert result.exit_code == 1 and "in-process Sandbox" in result.output


@pytest.mark.parametrize("name", ["client_assertion", "client_secret", "password"])
def test_add_refuses_a_secret_token_parameter(explorer_home: Path, name: str) -> None:
    result = run([*ADD, "--no-secret", "--param", f"{name}=pv_SECRET_1"], env=VAULT)
    assert result.exit_code == 2, result.output
    assert f"extra_token_params.{name}" in result.output and "secret store" in result.output
    assert "pv_SECRET_1" not in result.output
    for path in explorer_home.rglob("*"):
        if path.is_file():
            assert b"pv_SECRET_1" not in path.read_bytes(), path
    ok = run([*ADD, "--no-secret", "--param", "resource=urn:x"], env=VAULT)
    assert ok.exit_code == 0, ok.output


DEMOS = (
    "Sandbox demo",
    "Sandbox demo — customer (authorization code)",
    "Sandbox demo — pro (authorization code)",
)


def test_list_shows_the_built_in_demo_profiles_after_your_own() -> None:
    empty = run(["profile", "list"])
    assert empty.exit_code == 0
    lines = empty.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(DEMOS)
    assert all(line.endswith("\t(built in, Sandbox)") for line in lines)
    assert "No profiles of your own yet" in empty.stderr
    assert run([*ADD, "--secret-stdin"], input="s\n", env=VAULT).exit_code == 0
    lines = run(["profile", "list"]).stdout.splitlines()
    assert lines[0] == "team\tstaging\tclient_credentials\tcid"
    assert [line.split("\t")[0] for line in lines[1:]] == list(DEMOS)
    listed = json.loads(run(["profile", "list", "--json"]).stdout)
    assert [(p["name"], p["builtin"]) for p in listed] == [
        ("team", False),
        *((name, True) for name in DEMOS),
    ]
    assert listed[3]["client_id"] == "sandbox-supply-client"


def test_show_and_remove_of_a_built_in_demo_profile() -> None:
    shown = run(["profile", "show", DEMOS[1], "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["builtin"] is True and data["flow"] == "authorization_code"
    assert data["environment"] == "sandbox" and data["token"] is None
    text = run(["profile", "show", DEMOS[0]])
    assert text.exit_code == 0 and "builtin: True" in text.stdout
    removed = run(["profile", "remove", DEMOS[0]])
    assert removed.exit_code == 1
    assert "built-in Sandbox demo profile and cannot be removed" in removed.output
    assert DEMOS[0] in run(["profile", "list"]).stdout
    unknown = run(["profile", "show", "nope"])
    assert unknown.exit_code == 1 and "Known profiles: Sandbox demo, " in unknown.output


def test_a_saved_profile_with_a_demo_name_hides_the_built_in_one() -> None:
    args = ["profile", "add", DEMOS[0], "--environment", "staging", "--client-id", "mine"]
    assert run([*args, "--no-secret"]).exit_code == 0
    listed = json.loads(run(["profile", "list", "--json"]).stdout)
    assert [(p["name"], p["builtin"]) for p in listed][:2] == [(DEMOS[0], False), (DEMOS[1], True)]
    assert len(listed) == 3
    assert json.loads(run(["profile", "show", DEMOS[0], "--json"]).stdout)["client_id"] == "mine"
