"""Regenerate the README's table of figures from one benchmark run's JSON.

``python -m bench.readme RESULTS.json [README.md]`` replaces what lies between the
``<!-- bench:begin -->`` and ``<!-- bench:end -->`` lines of the README with the run's
figures (value, yardstick, ratio, target, met) and the response-body rows, headed by when
and where the run was made. The prose around the markers is left as it is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


def _number(value: float, unit: str) -> str:
    if unit == "ms" and value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:.3g} {unit}"


def figures_table(figures: list[dict[str, Any]]) -> list[str]:
    rows = [
        "| figure | program | yardstick | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    for f in figures:
        target = f["target_text"].replace("<=", "≤")
        if target.endswith("x"):
            target = target[:-1] + "×"
        met = "" if f["target"] is None else ("met" if f["met"] else "**missed**")
        rows.append(
            f"| {f['name']} | {_number(f['value'], f['unit'])} | {f['yardstick']}, "
            f"{_number(f['yardstick_value'], f['unit'])} | {f['ratio']:.2f}× | {target} | {met} |"
        )
    return rows


def bodies_table(bodies: dict[str, Any]) -> list[str]:
    rows = bodies.get("rows")
    if not isinstance(rows, list) or not rows:
        return []
    lines = [
        "",
        "Response bodies in the response pane (JSON, `bench/bench_bodies.py`; medians, each "
        "beside its target where it has one):",
        "",
        "| body | first paint | longest stall | fully shown | peak extra memory |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        figures = row.get("figures", {}) if isinstance(row, dict) else {}
        cells = [_cell(figures.get(name), unit) for name, unit in _BODY_COLUMNS]
        lines.append(
            f"| {row.get('size_mb', '?')} MB, {row.get('mode', '?')} | " + " | ".join(cells) + " |"
        )
    return lines


_BODY_COLUMNS = (
    ("first_paint_ms", "ms"),
    ("max_stall_ms", "ms"),
    ("total_ms", "ms"),
    ("peak_extra_mb", "MB"),
)


def _cell(figure: Any, unit: str) -> str:
    if not isinstance(figure, dict) or not isinstance(figure.get("median"), int | float):
        return "—"
    text = _number(float(figure["median"]), unit)
    target = figure.get("target")
    if isinstance(target, int | float):
        text += f" (≤ {target:g}: {'met' if figure.get('pass') else '**missed**'})"
    return text


def section(results: dict[str, Any]) -> str:
    load = results.get("load_average")
    where = f"{results.get('machine', '?')}, Python {results.get('python', '?')}"
    if isinstance(load, dict):
        where += (
            f", load average {load.get('start', '?')} at the start, "
            f"{load.get('end', '?')} at the end"
        )
    lines = [
        BEGIN,
        f"Figures of one `bench/run.sh` run ({results.get('when', '?')}; {where}), "
        "each beside its yardstick from the same run; `bench/results.json` holds them all.",
        "",
        *figures_table(results.get("figures", [])),
    ]
    bodies = results.get("bodies")
    if isinstance(bodies, dict):
        lines += bodies_table(bodies)
    lines.append(END)
    return "\n".join(lines)


def regenerate(results_path: Path, readme: Path) -> None:
    results = json.loads(results_path.read_text(encoding="utf-8"))
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{readme} has no {BEGIN} … {END} block to fill")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + section(results) + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m bench.readme RESULTS.json [README.md]", file=sys.stderr)
        return 2
    readme = Path(args[1]) if len(args) > 1 else Path(__file__).resolve().parents[1] / "README.md"
    regenerate(Path(args[0]), readme)
    print(f"Updated the figures in {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
