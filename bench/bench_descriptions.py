"""Benchmark: opening API descriptions, the program's loader beside the previous one.

Each case runs in a fresh process, offscreen, the way the window opens a file: the
description is loaded on the window's :class:`~explorer.ui.workers.TaskRunner` by
:func:`explorer.core.catalog.load_catalog` (what File › Open API description calls), and
the endpoint tree (:class:`~explorer.ui.endpoints.tree.EndpointTree`) is filled on the GUI
thread when it arrives. Measured:

* ``tree_s``: from the request to open until the tree is filled;
* ``stall_ms``: the longest gap between ticks of a 5 ms GUI timer meanwhile (how long the
  window froze at worst), including the tree being filled;
* ``extra_mb``: the highest resident size sampled at each timer tick (and at the end)
  minus the size just before opening;
* ``form_ms``: the slowest request form of the description to be ready (the request
  panel's ``load_endpoint``, which resolves the operation's parameters and body then, and
  its first paint; best of three), over up to ``--forms`` operations, those with the
  largest request bodies first; ``form_slice_ms``: the slowest turn in which a long form
  adds its remaining rows after it is shown (a stall, so at most 50 ms).

The yardstick is the loader the program had before (it inlined every ``$ref`` and
validated the whole file before showing anything), taken from git (commit
:data:`YARDSTICK_COMMIT`) and run the same way, in a process limited to
``--yardstick-memory`` MB and ``--yardstick-timeout`` seconds: where it runs out, the
table says so.

Cases: Stripe's and GitHub's real descriptions in JSON and YAML, Twilio's and
DigitalOcean's (multi-file), when they are in the cache folder (see
:mod:`bench.descriptions`; the bench prints which it found), and generated ones of 1,000
and 10,000 operations (cycles, long ``$ref`` chains, ``allOf``/``oneOf``, another file).
Run: ``QT_QPA_PLATFORM=offscreen python -m bench.bench_descriptions [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
YARDSTICK_COMMIT = "1260ee0"
TARGETS = {"tree_s": 1.0, "tree_s_yaml": 2.0, "tree_s_10k": 3.0, "stall_ms": 50.0}
TARGET_EXTRA_MB = 150.0
TARGET_FORM_MS = 100.0


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _yardstick_package(folder: Path) -> str:
    """The previous loader, from git, as the package ``previous_loader`` in ``folder``."""
    package = folder / "previous_loader"
    package.mkdir(exist_ok=True)
    (package / "__init__.py").write_text("")
    for name in ("catalog.py", "openapi_doc.py"):
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{YARDSTICK_COMMIT}:explorer/core/{name}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        text = text.replace("explorer.core.openapi_doc", "previous_loader.openapi_doc")
        (package / name).write_text(text)
    return str(folder)


def probe(path: str, loader: str, forms: int) -> dict[str, Any]:
    """One case in this process (the child side of :func:`measure`)."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.ui.endpoints.tree import EndpointTree
    from explorer.ui.workers import TaskRunner

    app = QApplication.instance() or QApplication([])
    tree = EndpointTree()
    tree.resize(360, 700)
    tree.show()
    runner = TaskRunner()
    app.processEvents()
    if loader == "program":
        from explorer.core.catalog import load_catalog
    else:
        from previous_loader.catalog import load_catalog  # type: ignore[import-not-found]

    before = _rss_mb()
    clock = QElapsedTimer()
    ticks = QElapsedTimer()
    state: dict[str, Any] = {
        "stall": 0.0,
        "done": False,
        "error": "",
        "catalog": None,
        "peak": before,
    }

    def tick() -> None:
        state["stall"] = max(state["stall"], ticks.nsecsElapsed() / 1e6)
        state["peak"] = max(state["peak"], _rss_mb())
        ticks.restart()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)

    def filled(catalog: Any) -> None:
        app.processEvents()
        state["tree_s"] = clock.nsecsElapsed() / 1e9
        state["catalog"] = catalog
        state["done"] = True

    def finished(_task: int, catalog: Any) -> None:
        tree.load(catalog.endpoints)  # as the window does: in slices for a long one
        if hasattr(tree, "when_filled"):
            tree.when_filled(lambda: filled(catalog))
        else:
            filled(catalog)

    def failed(_task: int, exc: object) -> None:
        state["error"] = f"{type(exc).__name__}: {exc}"[:300]
        state["done"] = True

    runner.finished.connect(finished)
    runner.failed.connect(failed)
    clock.start()
    ticks.start()
    timer.start()
    runner.submit(lambda _cancel: load_catalog(Path(path)))
    while not state["done"]:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    tick()
    result: dict[str, Any] = {"stall_ms": round(state["stall"], 1)}
    if state["error"]:
        result["error"] = state["error"]
        return result
    catalog = state["catalog"]
    result["tree_s"] = round(state["tree_s"], 3)
    result["operations"] = len(catalog.endpoints)
    # the resident size sampled at every tick (the process's own high-water mark would
    # include what starting Qt took before the description was opened)
    result["extra_mb"] = round(max(state["peak"], _rss_mb()) - before, 1)
    if forms and loader == "program":
        result.update(_forms(catalog, forms))
    return result


def _forms(catalog: Any, count: int) -> dict[str, Any]:
    """The slowest form to be ready (the request panel's ``load_endpoint`` and its first
    paint; best of three, another operation shown in between), and the slowest slice in
    which a long form adds the rest of its rows afterwards."""
    from PySide6.QtWidgets import QApplication

    from explorer.ui.request.composite_editors import ObjectEditor
    from explorer.ui.request.panel import RequestPanel

    app = QApplication.instance()
    assert app is not None
    panel = RequestPanel()
    panel.resize(700, 800)
    panel.show()
    endpoints = list(catalog.endpoints)
    sizes = {id(e): len(json.dumps(e.source.operation.get("requestBody", {}))) for e in endpoints}
    endpoints.sort(key=lambda e: sizes[id(e)], reverse=True)
    chosen = endpoints[:count]
    slowest, which, slice_ms = 0.0, "", 0.0
    for index, endpoint in enumerate(chosen):
        between = chosen[(index + 1) % len(chosen)]
        best = float("inf")
        for _ in range(3):
            panel.load_endpoint(between, "https://api.example.com")
            app.processEvents()
            started = time.perf_counter()
            panel.load_endpoint(endpoint, "https://api.example.com")
            panel.repaint()
            best = min(best, (time.perf_counter() - started) * 1000)
        editor = panel.body_editor
        while isinstance(editor, ObjectEditor) and not editor.complete:
            started = time.perf_counter()
            panel.on_form_slice()
            panel.repaint()
            slice_ms = max(slice_ms, (time.perf_counter() - started) * 1000)
        app.processEvents()
        if best > slowest:
            slowest, which = best, f"{endpoint.method} {endpoint.path}"
    return {
        "form_ms": round(slowest, 1),
        "form_slowest": which,
        "form_slice_ms": round(slice_ms, 1),
        "forms": len(chosen),
    }


def measure(
    path: Path, loader: str, *, forms: int, memory_mb: int, timeout_s: float, pythonpath: str
) -> dict[str, Any]:
    """One case in a fresh process (the yardstick limited in memory and time)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), pythonpath]))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    code = (
        "import json, resource, sys\n"
        f"limit = {memory_mb} * 1024 * 1024\n"
        "if limit: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
        "from bench.bench_descriptions import probe\n"
        f"print(json.dumps(probe({str(path)!r}, {loader!r}, {forms})))\n"
    )
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish in {timeout_s:.0f} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        took = time.perf_counter() - started
        return {"error": f"{tail[:200]} (after {took:.0f} s)"}
    return dict(json.loads(lines[-1]))


def cases(folder: Path) -> list[tuple[str, Path, str]]:
    """``(name, path, kind)`` of every case; kind says which target applies."""
    from bench.descriptions import REAL_DESCRIPTIONS, make_description, real_description

    found: list[tuple[str, Path, str]] = []
    for name, label in REAL_DESCRIPTIONS.items():
        path = real_description(name)
        if path is not None:
            found.append((label, path, "yaml" if path.suffix in {".yaml", ".yml"} else "json"))
    found.append(
        ("Generated, 1,000 operations (JSON)", make_description(folder / "g1k", 1000), "json")
    )
    found.append(
        (
            "Generated, 10,000 operations (YAML, two files)",
            make_description(folder / "g10k", 10_000, fmt="yaml", split=True, version="3.0.3"),
            "10k",
        )
    )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--forms", type=int, default=150, help="request forms timed per case")
    parser.add_argument("--yardstick-memory", type=int, default=4096, help="MB")
    parser.add_argument("--yardstick-timeout", type=float, default=120.0, help="seconds")
    args = parser.parse_args(argv)
    from bench.descriptions import cache_folder

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        yardstick_path = _yardstick_package(folder)
        all_cases = cases(folder)
        real = [name for name, _path, _kind in all_cases if not name.startswith("Generated")]
        print(f"real descriptions found in {cache_folder()}: {len(real)}", flush=True)
        for name, path, kind in all_cases:
            program = measure(
                path,
                "program",
                forms=args.forms,
                memory_mb=0,
                timeout_s=600,
                pythonpath=yardstick_path,
            )
            previous = measure(
                path,
                "previous",
                forms=0,
                memory_mb=args.yardstick_memory,
                timeout_s=args.yardstick_timeout,
                pythonpath=yardstick_path,
            )
            target = {"json": 1.0, "yaml": 2.0, "10k": 3.0}[kind]
            rows.append(
                {"case": name, "target_s": target, "program": program, "previous": previous}
            )
            print(_row(rows[-1]), flush=True)
    print()
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


def _fmt(side: dict[str, Any], key: str, unit: str) -> str:
    if "error" in side:
        return "-"
    value = side.get(key)
    return "-" if value is None else f"{value:g} {unit}"


def _row(row: dict[str, Any]) -> str:
    program, previous = row["program"], row["previous"]
    return f"{row['case']}: program {program} | previous {previous}"


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "description",
        "ops",
        "tree (program)",
        "tree (previous)",
        "ratio",
        "target",
        "stall (program / previous)",
        "extra MB (program / previous)",
        "slowest form (target <= 100 ms)",
        "",
    )
    lines = [head]
    for row in rows:
        program, previous = row["program"], row["previous"]
        ok = "error" not in program
        ratio = "-"
        if ok and "error" not in previous and previous.get("tree_s"):
            ratio = f"{program['tree_s'] / previous['tree_s']:.2f}x"
        elif ok and "error" in previous:
            ratio = "previous failed"
        met = (
            ok
            and program["tree_s"] <= row["target_s"]
            and program["stall_ms"] <= TARGETS["stall_ms"]
            and program["extra_mb"] <= TARGET_EXTRA_MB
            and program.get("form_ms", 0) <= TARGET_FORM_MS
            and program.get("form_slice_ms", 0) <= TARGETS["stall_ms"]
        )
        lines.append(
            (
                row["case"],
                str(program.get("operations", "-")),
                _fmt(program, "tree_s", "s") if ok else f"ERROR {program['error']}",
                _fmt(previous, "tree_s", "s") if "error" not in previous else previous["error"],
                ratio,
                f"<= {row['target_s']:g} s",
                f"{_fmt(program, 'stall_ms', 'ms')} / {_fmt(previous, 'stall_ms', 'ms')}",
                f"{_fmt(program, 'extra_mb', 'MB')} / {_fmt(previous, 'extra_mb', 'MB')}",
                f"{_fmt(program, 'form_ms', 'ms')} (then slices of "
                f"{_fmt(program, 'form_slice_ms', 'ms')})",
                "met" if met else "MISSED",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


if __name__ == "__main__":
    raise SystemExit(main())
