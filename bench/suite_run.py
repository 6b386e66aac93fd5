"""A 200-request suite: ``thumbtack-explorer run`` beside newman on the same requests.

One Sandbox runs in its own process (rate limit off) for both sides. The suite is written
as saved requests with assertions (status 200 and ``$.data`` present); the yardstick is
the same folder exported as a Postman collection by the program's own exporter
(:func:`explorer.core.postman.suite_to_postman`), with a first request that fetches the
client-credentials token and the same two checks as Postman tests. Both sides are whole
processes, timed from start to exit, alternating, median of ``runs``:

- ``run`` one process, and ``run --parallel 4``;
- ``newman run`` (installed from the npm registry into ``bench/newman`` on first use).

The memory figure runs the engine in this process on the same Sandbox: resident memory
after a 2,000-step run (200 steps x 10 data rows, every result kept) minus before it
(after a warm-up step).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.report import Figure

ROOT = Path(__file__).resolve().parent.parent
NEWMAN_DIR = Path(__file__).resolve().parent / "newman"
NEWMAN = NEWMAN_DIR / "node_modules" / ".bin" / "newman"
CLIENT_ID = "sandbox-demand-client"
CLIENT_SECRET = "sandbox-demand-secret"  # the Sandbox's published demo secret
SCOPES = (
    "demand::keywords.read",
    "demand::categories.read",
    "demand::businesses/search.read",
)
PASSPHRASE = "a benchmark passphrase, not a secret"
UTM = "utmData[utm_source]={{utm_source}}"
REQUESTS: tuple[dict[str, Any], ...] = (
    {"method": "GET", "url": "{{base_url}}/api/v4/keywords/search?searchQuery={{query}}"},
    {
        "method": "GET",
        "url": "{{base_url}}/api/v4/categories/recommendations?zipCode={{zipCode}}"
        f"&recommendationType=popular&{UTM}",
    },
    {
        "method": "GET",
        "url": "{{base_url}}/api/v4/categories/homecare?zipCode={{zipCode}}"
        f"&propertyType=townhouse&{UTM}",
    },
    {
        "method": "POST",
        "url": "{{base_url}}/api/v4/businesses/search",
        "body": {
            "searchQuery": "{{query}}",
            "zipCode": "{{zipCode}}",
            "utmData": {"utm_source": "{{utm_source}}"},
            "limit": 3,
        },
    },
)
VARIABLES = {"query": "handyman", "zipCode": "90210", "utm_source": "cma-example"}


def ensure_newman() -> Path:
    """newman from the npm registry, as pinned in bench/newman/package-lock.json."""
    if not NEWMAN.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is not installed; install Node.js 20 (scripts/test-deps.sh)")
        print("  installing newman into bench/newman (npm) ...", flush=True)
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=NEWMAN_DIR,
            check=True,
        )
    return NEWMAN


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sandbox_process(env: dict[str, str]) -> Iterator[str]:
    """``thumbtack-explorer sandbox`` in its own process; yields its base URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "sandbox", "--port", str(port), "--rate-limit", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the Sandbox did not start") from None
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def write_suite(folder: Path, steps: int) -> Path:
    """``steps`` saved requests cycling over :data:`REQUESTS`, each asserting its status
    and that ``$.data`` is there; the suite's variables in .suite.json."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(steps):
        shape = REQUESTS[number % len(REQUESTS)]
        body = shape.get("body")
        document = {
            "version": 1,
            "name": f"step {number:03d}",
            "method": shape["method"],
            "url": shape["url"],
            "headers": [{"name": "Accept", "value": "application/json"}]
            + ([{"name": "Content-Type", "value": "application/json"}] if body else []),
            "body": body,
            "body_format": "json" if body else "none",
            "assertions": [{"status": 200}, {"jsonpath": "$.data", "exists": True}],
        }
        (folder / f"{number:03d}.request.json").write_text(json.dumps(document, indent=2))
    (folder / ".suite.json").write_text(
        json.dumps({"version": 1, "name": "bench", "variables": VARIABLES}, indent=2)
    )
    return folder


def postman_collection(folder: Path, out: Path) -> Path:
    """The suite exported by the program's exporter, plus the token request and the same
    checks as Postman tests (newman does not fetch OAuth tokens itself)."""
    from explorer.core.interchange import read_suite
    from explorer.core.postman import suite_to_postman

    collection = suite_to_postman(read_suite(folder))
    checks = [
        "pm.test('status is 200', function () { pm.response.to.have.status(200); });",
        "pm.test('$.data exists', function () { pm.expect(pm.response.json().data).to.exist; });",
    ]
    for item in collection["item"]:
        item["event"] = [{"listen": "test", "script": {"type": "text/javascript", "exec": checks}}]
    form = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("audience", "urn:partner-api"),
        ("scope", " ".join(SCOPES)),
    ]
    token = {
        "name": "token",
        "request": {
            "auth": {"type": "noauth"},
            "method": "POST",
            "url": "{{base_url}}/oauth2/token",
            "header": [{"key": "Content-Type", "value": "application/x-www-form-urlencoded"}],
            "body": {"mode": "urlencoded", "urlencoded": [{"key": k, "value": v} for k, v in form]},
        },
        "event": [
            {
                "listen": "test",
                "script": {
                    "type": "text/javascript",
                    "exec": [
                        "pm.collectionVariables.set('access_token', pm.response.json()"
                        ".access_token);"
                    ],
                },
            }
        ],
    }
    collection["item"].insert(0, token)
    collection["auth"] = {
        "type": "bearer",
        "bearer": [{"key": "token", "value": "{{access_token}}", "type": "string"}],
    }
    collection["variable"] = [
        {"key": k, "value": v, "type": "string"} for k, v in VARIABLES.items()
    ] + [{"key": "access_token", "value": "", "type": "string"}]
    out.write_text(json.dumps(collection, indent=2))
    return out


def _add_profile(env: dict[str, str], base: str) -> None:
    args = [
        sys.executable, "-m", "explorer", "profile", "add", "bench-app",
        "--environment", "bench", "--api-base", base,
        "--token-url", f"{base}/oauth2/token", "--authorize-url", f"{base}/oauth2/auth",
        "--thumbtack", "--client-id", CLIENT_ID, "--secret-env", "BENCH_CLIENT_SECRET",
        "--secret-store", "vault",
    ]  # fmt: skip
    for scope in SCOPES:
        args += ["--scope", scope]
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)


def _timed(command: list[str], env: dict[str, str], expect: int = 0) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode != expect:
        raise RuntimeError(
            f"{' '.join(command[:4])} … exited {done.returncode}:\n"
            f"{done.stdout.decode()[-2000:]}{done.stderr.decode()[-2000:]}"
        )
    return elapsed


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _memory(base: str, folder: Path, rows: int, env: dict[str, str]) -> dict[str, float]:
    """RSS of this process before and after a ``steps x rows`` run of the engine."""
    import gc

    from explorer.core.environments import Environment, EnvironmentKind
    from explorer.core.profiles import Profile
    from explorer.core.secrets import MemoryStore, SecretKind
    from explorer.core.session import Session
    from explorer.core.suite.load import load_suite
    from explorer.core.suite.runner import SuiteRunner
    from explorer.core.suite.sending import SessionSender
    from explorer.paths import AppPaths

    home = Path(env["THUMBTACK_EXPLORER_HOME"]) / "memory"
    paths = AppPaths.from_environment({"THUMBTACK_EXPLORER_HOME": str(home)}).ensure()
    session = Session(paths)
    environment = Environment(
        id="bench",
        name="bench",
        kind=EnvironmentKind.CUSTOM,
        api_base=base,
        authorize_url=f"{base}/oauth2/auth",
        token_url=f"{base}/oauth2/token",
        thumbtack=True,
    )
    session.profiles.set_runtime_environment(environment)
    profile = Profile(name="bench-app", environment_id="bench", client_id=CLIENT_ID, scopes=SCOPES)
    session.profiles.save_profile(profile)
    session.user_store = MemoryStore()
    session.user_store.set(profile.name, SecretKind.CLIENT_SECRET, CLIENT_SECRET)
    session.environment = environment
    suite = load_suite(folder)
    sender = SessionSender(session, profile=profile.name)
    warm = SuiteRunner(suite, sender)
    for _result in warm.run():
        break  # imports, token, catalog and the first connection
    warm.stop()
    gc.collect()
    before = _rss_mb()
    runner = SuiteRunner(suite, sender, rows=[dict(VARIABLES) for _ in range(rows)])
    count = sum(1 for _ in runner.run())
    summary = runner.summary
    gc.collect()
    after = _rss_mb()
    session.close()
    if summary.failed:
        raise RuntimeError(f"the memory run failed: {summary.counts()}")
    return {"steps": count, "rss_before_mb": before, "rss_after_mb": after}


def measure(
    steps: int = 200, runs: int = 3, memory_rows: int = 10
) -> tuple[list[Figure], dict[str, Any]]:
    newman = ensure_newman()
    work = Path(tempfile.mkdtemp(prefix="bench-suite-"))
    env = {
        **os.environ,
        "THUMBTACK_EXPLORER_HOME": str(work / "home"),
        "THUMBTACK_EXPLORER_VAULT_PASSPHRASE": PASSPHRASE,
        "BENCH_CLIENT_SECRET": CLIENT_SECRET,
        "QT_QPA_PLATFORM": "offscreen",
    }
    try:
        folder = write_suite(work / "suite", steps)
        collection = postman_collection(folder, work / "suite.postman_collection.json")
        with sandbox_process(env) as base:
            _add_profile(env, base)
            run = [sys.executable, "-m", "explorer", "run", str(folder), "--env", "bench",
                   "--profile", "bench-app"]  # fmt: skip
            sides = {
                "run": run,
                "run --parallel 4": [*run, "--parallel", "4"],
                "newman": [str(newman), "run", str(collection), "--env-var", f"base_url={base}"],
            }
            times: dict[str, list[float]] = {name: [] for name in sides}
            for command in sides.values():  # one untimed run each: caches, token server
                _timed(command, env)
            for _ in range(runs):
                for name, command in sides.items():
                    times[name].append(_timed(command, env))
            memory = _memory(base, folder, memory_rows, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    figures = [
        Figure(
            name=f"run: {steps}-request suite, one process (wall)",
            unit="s",
            value=median["run"],
            yardstick="newman, same requests",
            yardstick_value=median["newman"],
            target=0.5,
            samples=runs,
        ),
        Figure(
            name=f"run --parallel 4: {steps}-request suite (wall)",
            unit="s",
            value=median["run --parallel 4"],
            yardstick="newman, same requests",
            yardstick_value=median["newman"],
            target=0.25,
            samples=runs,
        ),
        Figure(
            name=f"memory after a {memory['steps']}-step run (more than before)",
            unit="MB",
            value=memory["rss_after_mb"] - memory["rss_before_mb"],
            yardstick="resident before the run",
            yardstick_value=memory["rss_before_mb"],
            target=100.0,
            absolute_limit=True,
            samples=1,
        ),
    ]
    return figures, {"times_s": times, "median_s": median, "memory": memory}


if __name__ == "__main__":
    from bench.report import table

    found, details = measure()
    print(table(found))
    print(json.dumps(details, indent=2))
