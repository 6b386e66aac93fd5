"""``thumbtack-explorer sandbox``: prints its URLs and credentials, stops cleanly on Ctrl+C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx2 as httpx
from click.testing import CliRunner

from explorer.commands.sandbox import command
from explorer.sandbox.server import SandboxServer


def _start(*args: str) -> tuple[subprocess.Popen[str], list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if "Supply client" in line:
            break
    return process, lines


def test_runs_until_ctrl_c_and_prints_what_a_client_needs() -> None:
    process, lines = _start("--port", "0", "--fault", "latency=1", "--token-lifetime", "60")
    try:
        text = "\n".join(lines)
        base = re.search(r"API base:\s+(http://127\.0\.0\.1:\d+)", text)
        assert base, text
        assert f"Token URL:     {base.group(1)}/oauth2/token" in text
        assert f"Authorize URL: {base.group(1)}/oauth2/auth" in text
        assert "sandbox-demand-client / sandbox-demand-secret" in text
        assert "sandbox-supply-client / sandbox-supply-secret" in text
        token = httpx.post(
            f"{base.group(1)}/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-demand-client", "sandbox-demand-secret"),
        )
        assert token.json()["expires_in"] == 60
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "Sandbox stopped." in out
    assert "Traceback" not in err and err == ""


def test_sigterm_also_stops_cleanly() -> None:
    process, _lines = _start()
    process.terminate()
    out, err = process.communicate(timeout=15)
    assert process.returncode == 0 and "Sandbox stopped." in out and err == ""


def test_unknown_fault_is_a_usage_error() -> None:
    result = CliRunner().invoke(command, ["--fault", "gremlins"])
    assert result.exit_code == 2
    assert "Unknown fault 'gremlins'" in result.output


def test_busy_port_is_a_clear_error() -> None:
    with SandboxServer() as running:
        result = CliRunner().invoke(command, ["--port", str(running.port)])
    assert result.exit_code == 1
    assert "Choose another port" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_listening_beyond_loopback_needs_a_flag_and_warns() -> None:
    refused = CliRunner().invoke(command, ["--host", "0.0.0.0"])
    assert refused.exit_code == 2
    assert "--allow-network" in refused.output and "demo client secrets" in refused.output
    process, lines = _start("--host", "0.0.0.0", "--allow-network")
    try:
        assert any("API base:" in line for line in lines), lines
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0 and "Sandbox stopped." in out
    assert "Warning: the Sandbox listens on every network interface" in err
    assert "other machines can reach it" in err and "Traceback" not in err


def test_loopback_addresses_need_no_flag() -> None:
    process, _lines = _start("--host", "127.0.0.2")
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=15)
    assert process.returncode == 0 and err == "", err
