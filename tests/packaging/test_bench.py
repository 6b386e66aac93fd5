"""The benchmark suite's parts work (figures are reported by bench/, never asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.report import Figure, table
from bench.startup import probe_once

ROOT = Path(__file__).resolve().parents[2]


def test_a_figure_compares_by_ratio_or_by_absolute_limit() -> None:
    ratio = Figure(name="x", unit="ms", value=30, yardstick="y", yardstick_value=20, target=1.3)
    absolute = Figure(
        name="m",
        unit="MB",
        value=140,
        yardstick="y",
        yardstick_value=50,
        target=150,
        absolute_limit=True,
    )
    assert (ratio.ratio, ratio.met) == (1.5, False)
    assert (absolute.ratio, absolute.met) == (2.8, True)
    text = table([ratio, absolute])
    assert "1.50x" in text and "MISSED" in text and "<= 150 MB" in text
    assert ratio.to_json()["met"] is False


def test_the_start_probe_reports_first_paint_and_memory_of_the_real_window() -> None:
    result = probe_once("app", 0.0)
    assert 0 < result["start_s"] < 60
    assert result["rss_mb"] > 20
    assert "Traceback" not in result["stderr"]


def test_the_suite_writes_json_with_ratios(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--only",
            "send",
            "--only",
            "bodies",
            "--iterations",
            "100",
            "--body-sizes",
            "1",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    document = json.loads(out.read_text())
    (figure,) = document["figures"]
    assert figure["yardstick"] == "raw httpx2.Client.get"
    assert figure["samples"] == 100 and figure["ratio"] > 0
    bodies = document["bodies"]
    assert bodies["status"] in ("absent", "ran"), bodies
    if bodies["status"] == "ran":
        assert {row["size_mb"] for row in bodies["rows"]} == {1}
        for row in bodies["rows"]:  # 6 x 1 MB + 150
            assert 156 <= row["figures"]["peak_extra_mb"]["target"] < 157
        assert "Response bodies: ran" in proc.stdout
    assert "small GET on loopback" in proc.stdout


def test_the_history_part_fills_a_real_history_and_compares_with_the_scanning_prune(
    tmp_path: Path,
) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--only",
            "history",
            "--history-count",
            "2000",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    document = json.loads(out.read_text())
    names = [f["name"] for f in document["figures"]]
    assert "history add at 2,000 (pruning)" in names
    assert "history search full text at 2,000" in names
    add = document["figures"][names.index("history add at 2,000 (pruning)")]
    assert add["yardstick"] == "count+sum scan prune" and add["yardstick_value"] > 0
    assert document["history"]["exchanges"] == 2000
    assert document["history"]["db_bytes_per_exchange"] > 0
