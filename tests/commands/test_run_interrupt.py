"""Ctrl+C during ``run`` (a real process on the in-process Sandbox): it stops at once,
says how far it got, ends with its count and exits 1, with no traceback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest


def _slow_suite(tmp_path: Path) -> Path:
    root = tmp_path / "slow"
    root.mkdir()
    for number in range(4):
        step = {
            "version": 1,
            "name": f"slow {number}",
            "method": "GET",
            "url": "/api/v4/keywords/search?searchQuery=plumb",
            "headers": [{"name": "X-Sandbox-Fault", "value": "latency=10000"}],
        }
        (root / f"{number}.request.json").write_text(json.dumps(step))
    return root


def _start(command: list[str]) -> subprocess.Popen[str]:
    """Start ``command`` with Ctrl+C handled as in a terminal (a process started in the
    background by a shell inherits an ignored SIGINT; a handler set here is reset to the
    default in the child)."""
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("parallel", ["1", "2"])
def test_ctrl_c_stops_the_run_and_says_so(tmp_path: Path, parallel: str) -> None:
    suite = str(_slow_suite(tmp_path))
    proc = _start([sys.executable, "-m", "explorer", "run", suite, "--parallel", parallel])
    assert proc.stdout is not None
    first = proc.stdout.readline()  # printed once the Sandbox is up: a step is under way
    assert first.startswith("Running slow: 4 steps")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=9)  # well before the first 10 s step would end
    assert proc.returncode == 1
    lines = out.strip().splitlines()
    assert "Stopped after 0 of 4 steps." in lines
    assert lines[-1] == "0 passed, 0 failed, 4 not run"
    assert "Traceback" not in out + err
