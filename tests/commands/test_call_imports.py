"""A `call` process imports only what sending and printing need: the checked explanation
rules are read from the cache after the first call, and no `$ref` resolver, PyYAML, JSON
Schema validator, browser or sign-in listener is loaded for a plain GET."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers.echo_server import echo_server

ROOT = Path(__file__).resolve().parents[2]
#: What a plain call never needs (each costs tens of milliseconds to import).
NOT_FOR_A_CALL = (
    "referencing",
    "yaml",
    "jsonschema",
    "webbrowser",
    "http.server",
    "PySide6",
    "openapi_spec_validator",
)
CALL_AND_LIST = (
    "import sys, runpy\n"
    "sys.argv = ['thumbtack-explorer', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('explorer', run_name='__main__')\n"
    "except SystemExit as stop:\n"
    "    code = stop.code\n"
    "else:\n"
    "    code = 0\n"
    "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    "sys.exit(code)\n"
)


def _call(home: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = dict(os.environ, THUMBTACK_EXPLORER_HOME=str(home), PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", CALL_AND_LIST, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("MODULES ")), "")
    return proc, set(line.split()[1:])


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_a_plain_call_loads_no_resolver_validator_or_browser(tmp_path: Path) -> None:
    with echo_server() as server:
        url = f"{server.url}/api/v4/things?limit=2"
        first, _ = _call(tmp_path, "call", "GET", url)
        assert first.returncode == 0, first.stderr
        second, modules = _call(tmp_path, "call", "GET", url)
    assert second.returncode == 0, second.stderr
    assert "HTTP 200" in second.stdout
    assert "httpx2" in modules  # it did send
    loaded = [name for name in NOT_FOR_A_CALL if _loaded(modules, name)]
    assert not loaded, f"a plain call imported {loaded}"
    assert list((tmp_path / "cache").glob("rules-*.json"))  # the checked rules, kept


def test_listing_the_endpoints_follows_no_reference(tmp_path: Path) -> None:
    proc, modules = _call(tmp_path, "endpoints")
    assert proc.returncode == 0, proc.stderr
    assert "searchBusinesses" in proc.stdout or "Businesses" in proc.stdout
    loaded = [name for name in ("referencing", "yaml", "jsonschema") if _loaded(modules, name)]
    assert not loaded, f"listing the endpoints imported {loaded}"
