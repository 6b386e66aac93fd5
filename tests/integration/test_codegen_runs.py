"""Every "Copy as …" target, run for real against a local echo server.

For each target whose toolchain is installed (scripts/test-deps.sh installs them on
Debian), each case is generated as the masked copy the window puts on the clipboard,
run with the THUMBTACK_* variables it asks for, and what arrives at 127.0.0.1 (method,
URL, the headers the request set, body bytes) is compared with what the program itself
sends for the same request. A missing toolchain skips its target and names the package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.echo_server import Arrival, EchoServer, echo_server

from explorer.core.codegen import TARGETS, generate, target
from explorer.core.http import make_client, send
from explorer.core.models import RequestSpec
from explorer.core.secret_refs import template_secrets

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "tests" / "codegen_node" / "node_modules"
GUZZLE_AUTOLOAD = Path("/usr/share/php/GuzzleHttp/autoload.php")
TOKEN = "s3cr3t.t0ken-value"


def _cases(base: str) -> dict[str, RequestSpec]:
    return {
        "json-with-token": RequestSpec(
            method="POST",
            url=f"{base}/api/v4/negotiations/1/messages?x=a%20b&utmData[utm_source]=c&ids=1&ids=2",
            headers=(
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
                ("Authorization", f"Bearer {TOKEN}"),
                ("X-Note", 'it\'s "quoted" $HOME `x` %PATH% ^&|<>'),
            ),
            body='{"text": "Héllo \'wörld\' $(rm -rf /)\\nline ☃ 😀"}'.encode(),
        ),
        "head": RequestSpec(method="HEAD", url=f"{base}/api/v4/businesses?limit=2"),
        "binary-basic": RequestSpec(
            method="PUT",
            url=f"{base}/upload",
            headers=(
                ("Content-Type", "application/octet-stream"),
                ("Authorization", "Basic c2FuZGJveDpzZWNyZXQ="),
            ),
            body=bytes(range(256)),
        ),
        "form-secret": RequestSpec(
            method="POST",
            url=f"{base}/oauth2/token",
            headers=(("Content-Type", "application/x-www-form-urlencoded"),),
            body=b"grant_type=client_credentials&client_secret=shh-1234&audience=urn%3Apartner-api",
        ),
        "delete": RequestSpec(
            method="DELETE", url=f"{base}/api/v4/webhooks/9", headers=(("X-Empty-Ok", "1"),)
        ),
    }


@dataclass(frozen=True)
class Runner:
    """How to run one target's file, and what it needs installed."""

    needs: tuple[str, ...]
    install: str
    command: Callable[[Path], list[str]]
    file_name: str
    extra_env: Callable[[], dict[str, str]] = dict
    prepare: Callable[[Path], None] = lambda _folder: None


def _php_vendor(folder: Path) -> None:
    # What `composer require guzzlehttp/guzzle` would provide, from Debian's package.
    (folder / "vendor").mkdir(exist_ok=True)
    (folder / "vendor" / "autoload.php").write_text(
        f"<?php require '{GUZZLE_AUTOLOAD}';\n", encoding="utf-8"
    )


def _venv_path() -> dict[str, str]:
    return {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


RUNNERS: dict[str, Runner] = {
    "curl": Runner(
        ("curl", "bash"), "apt-get install curl", lambda f: ["bash", str(f)], "request_copy.sh"
    ),
    "httpie": Runner(
        ("bash",),
        "pip install httpie (a dev dependency)",
        lambda f: ["bash", str(f)],
        "request_copy.sh",
        extra_env=_venv_path,
    ),
    "python-requests": Runner((), "", lambda f: [sys.executable, str(f)], "request_copy.py"),
    "python-httpx": Runner((), "", lambda f: [sys.executable, str(f)], "request_copy.py"),
    "javascript-fetch": Runner(
        ("node",), "apt-get install nodejs", lambda f: ["node", str(f)], "request_copy.js"
    ),
    "node-axios": Runner(
        ("node",),
        "apt-get install nodejs npm, then scripts/test-deps.sh",
        lambda f: ["node", str(f)],
        "request_copy.js",
        extra_env=lambda: {"NODE_PATH": str(NODE_MODULES)},
    ),
    "go": Runner(("go",), "apt-get install golang-go", lambda f: ["go", "run", str(f)], "main.go"),
    "java": Runner(
        ("java",), "apt-get install default-jdk-headless", lambda f: ["java", str(f)], "Main.java"
    ),
    "csharp": Runner(
        ("dotnet",), "the .NET SDK (not packaged by Debian)", lambda f: [], "Program.cs"
    ),
    "php-guzzle": Runner(
        ("php",),
        "apt-get install php-cli php-guzzlehttp-guzzle",
        lambda f: ["php", str(f)],
        "request_copy.php",
        prepare=_php_vendor,
    ),
    "ruby": Runner(
        ("ruby",), "apt-get install ruby", lambda f: ["ruby", str(f)], "request_copy.rb"
    ),
}


def _missing(runner: Runner, target_id: str) -> str | None:
    absent = [tool for tool in runner.needs if shutil.which(tool) is None]
    if target_id == "httpie" and not (Path(sys.executable).parent / "http").exists():
        absent.append("http")
    if target_id == "node-axios" and not (NODE_MODULES / "axios").is_dir():
        absent.append("axios")
    if target_id == "php-guzzle" and not GUZZLE_AUTOLOAD.exists():
        absent.append("Guzzle")
    if target_id == "csharp":
        return "running C# copies needs the .NET SDK, which Debian does not package"
    if absent:
        return f"{', '.join(absent)} not installed ({runner.install})"
    return None


@pytest.fixture(scope="module")
def server() -> Iterator[EchoServer]:
    with echo_server() as running:
        yield running


@pytest.fixture(scope="module")
def sent_by_program(server: EchoServer) -> dict[str, Arrival]:
    """What the program itself puts on the wire for each case."""
    arrived: dict[str, Arrival] = {}
    with make_client() as client:
        for name, spec in _cases(server.url).items():
            record = send(spec, client=client)
            assert record.failure is None, record.failure
            (arrival,) = server.take()
            arrived[name] = arrival
    return arrived


REENCODES_QUERY = frozenset({"java", "httpie", "python-requests", "php-guzzle"})


def _compare(spec: RequestSpec, program: Arrival, copy: Arrival, target_id: str) -> None:
    assert copy.method == program.method == spec.method
    if target_id in REENCODES_QUERY:
        # These clients send utmData%5Butm_source%5D for utmData[utm_source] (java.net.URI
        # refuses raw brackets; requests, HTTPie and Guzzle re-encode), which reads the same.
        assert copy.normalized_target() == program.normalized_target()
    else:
        assert copy.target == program.target
    for name, _value in spec.headers:
        assert copy.header_values(name) == program.header_values(name), name
    assert copy.body == program.body


def _run(
    target_id: str, spec: RequestSpec, folder: Path, server: EchoServer, *, masked: bool
) -> Arrival:
    runner = RUNNERS[target_id]
    folder.mkdir(parents=True, exist_ok=True)
    runner.prepare(folder)
    code = generate(target_id, spec, masked=masked)
    if masked:
        for ref in template_secrets(spec).secrets:
            assert ref.value not in code, f"{target_id} copy holds the secret of {ref.where}"
    path = folder / runner.file_name
    path.write_text(code, encoding="utf-8")
    env = {**os.environ, **runner.extra_env(), "GOFLAGS": "-mod=mod", "GO111MODULE": "auto"}
    env.update({ref.env_name: ref.value for ref in template_secrets(spec).secrets})
    result = subprocess.run(
        runner.command(path), capture_output=True, text=True, env=env, cwd=folder, timeout=120
    )
    assert result.returncode == 0, f"{target_id} failed:\n{code}\n{result.stdout}{result.stderr}"
    arrivals = server.take()
    assert len(arrivals) == 1, f"{target_id}: {len(arrivals)} requests arrived\n{code}"
    return arrivals[0]


RUNNABLE = [t.id for t in TARGETS if t.id in RUNNERS]


def test_every_target_but_windows_and_oauth_has_a_runner() -> None:
    assert set(RUNNABLE) == {t.id for t in TARGETS} - {"curl-windows", "python-oauth"}


@pytest.mark.parametrize("target_id", RUNNABLE)
def test_copy_sends_what_the_program_sends(
    target_id: str, server: EchoServer, sent_by_program: dict[str, Arrival], tmp_path: Path
) -> None:
    why = _missing(RUNNERS[target_id], target_id)
    if why:
        pytest.skip(f"{target(target_id).label}: {why}")
    cases = _cases(server.url)
    for name, spec in cases.items():
        arrival = _run(target_id, spec, tmp_path / name, server, masked=True)
        _compare(spec, sent_by_program[name], arrival, target_id)
    plain = _run(target_id, cases["json-with-token"], tmp_path / "plain", server, masked=False)
    _compare(cases["json-with-token"], sent_by_program["json-with-token"], plain, target_id)
