"""Failures of the machine (a home that cannot be made, a full disk, no permission, input
nested too deeply) are one clear line with what to do; nothing saved is harmed."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from explorer.cli import build_cli
from explorer.core import files

VAULT = {"THUMBTACK_EXPLORER_VAULT_PASSPHRASE": "a long test passphrase"}
ADD = [
    "profile", "add", "team", "--environment", "staging", "--client-id", "cid",
    "--scope", "demand::keywords.read", "--secret-env", "S", "--secret-store", "vault",
]  # fmt: skip


def run(args: list[str], env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        build_cli(lambda o: 0), args, env={**VAULT, "S": "sec", **(env or {})}
    )


def one_clear_line(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("args", [["profile", "list"], ADD, ["history", "list"]])
def test_a_home_that_cannot_be_created_is_one_line(tmp_path: Path, args: list[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run(args, env={"THUMBTACK_EXPLORER_HOME": str(blocker / "home")})
    one_clear_line(result, str(blocker), "Check the path")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, ("disk is full", "nothing was changed")),
        (errno.EACCES, ("Permission denied", "THUMBTACK_EXPLORER_HOME")),
        (errno.EROFS, ("read-only", "THUMBTACK_EXPLORER_HOME")),
    ],
)
def test_a_write_the_disk_refuses_is_one_line_and_keeps_the_saved_profiles(
    monkeypatch: pytest.MonkeyPatch, code: int, words: tuple[str, ...]
) -> None:
    assert run(ADD).exit_code == 0
    home = Path(os.environ["THUMBTACK_EXPLORER_HOME"])
    before = (home / "config" / "profiles.json").read_bytes()
    real_mkstemp = tempfile.mkstemp

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, name = real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]
        os.close(fd)
        os.unlink(name)
        raise OSError(code, os.strerror(code), name)

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    result = run([*ADD[:2], "other", *ADD[3:]])
    one_clear_line(result, *words)
    assert (home / "config" / "profiles.json").read_bytes() == before
    assert not list((home / "config").glob(".*.tmp"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes every folder")
def test_a_read_only_home_is_one_line() -> None:
    assert run(ADD).exit_code == 0
    config = Path(os.environ["THUMBTACK_EXPLORER_HOME"]) / "config"
    config.chmod(0o500)
    try:
        one_clear_line(run([*ADD[:2], "other", *ADD[3:]]), "Permission denied")
    finally:
        config.chmod(0o700)


def test_a_body_nested_200000_deep_is_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    result = run(["call", "POST", "/api/v4/requests", "--body", f"@{deep}"])
    one_clear_line(result, "nested too deeply")


def test_a_partly_invalid_profiles_file_is_reported_once() -> None:
    assert run(ADD).exit_code == 0
    path = Path(os.environ["THUMBTACK_EXPLORER_HOME"]) / "config" / "profiles.json"
    path.write_text(path.read_text().replace('"client_id": "cid"', '"client_id": ""'))
    warnings = [run(["profile", "list"]).stderr.count("not valid") for _ in range(5)]
    assert warnings == [1, 0, 0, 0, 0]
    assert len(list(path.parent.glob("profiles.json.broken-*"))) == 1
