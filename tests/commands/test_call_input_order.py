"""``call`` checks everything typed (body JSON, -p, -H, --fault, path parameters) before
any network work: no token, no sign-in, no Sandbox for input that is refused anyway."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from explorer.cli import build_cli
from explorer.commands import call

pytest.importorskip("explorer.sandbox.server", reason="the Sandbox is not in this build")

VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}


def run(args: list[str], input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_cli(lambda o: 0), args, input=input, env=VAULT)


@pytest.fixture
def sandbox_starts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the Sandboxes the command starts (each really starts)."""
    started: list[str] = []
    real = call.running_sandbox

    @contextlib.contextmanager
    def counted() -> Iterator[Any]:
        started.append("sandbox")
        with real() as running:
            yield running

    monkeypatch.setattr(call, "running_sandbox", counted)
    return started


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--body", "{bad"], "The body is not valid JSON"),
        (["-p", "no-equals-sign"], "is not NAME=VALUE"),
        (["-H", "NoColon"], "-H/--header"),
        (["--fault", "explode"], "Unknown fault 'explode'"),
    ],
)
def test_bad_input_is_refused_before_signing_in(
    sandbox_starts: list[str], extra: list[str], expected: str
) -> None:
    result = run(["call", "createRequestV4", "--as", "customer", *extra])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Signed in" not in result.stderr
    assert sandbox_starts == []


def test_a_missing_path_parameter_is_refused_before_the_sandbox_starts(
    sandbox_starts: list[str],
) -> None:
    result = run(["call", "getBusinessV4", "--as", "pro"])
    assert result.exit_code == 2
    assert "needs the path parameter(s) businessID" in result.output
    assert sandbox_starts == []


def test_fault_for_a_profile_off_the_sandbox_is_refused_before_its_secrets_are_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from explorer.commands import profile

    added = run(
        ["profile", "add", "stage", "--environment", "staging", "--client-id", "c", "--no-secret"]
    )
    assert added.exit_code == 0, added.output
    opened: list[str] = []
    real = profile.open_stores
    monkeypatch.setattr(profile, "open_stores", lambda *a: opened.append("x") or real(*a))
    result = run(["call", "searchKeywordsV4", "--profile", "stage", "--fault", "rate-limited"])
    assert result.exit_code == 2
    assert "--fault works only against the Sandbox" in result.output
    assert opened == []


def test_good_input_still_reaches_the_sandbox(sandbox_starts: list[str]) -> None:
    result = run(["call", "getCurrentUserV4", "--as", "customer", "--json"])
    assert result.exit_code == 0, result.output
    assert "Signed in to the in-process Sandbox" in result.stderr
    assert sandbox_starts == ["sandbox"]
