"""Figures and how they are printed: value, yardstick, ratio, target, met or not."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One measured figure beside its yardstick from the same run."""

    name: str
    unit: str
    value: float
    yardstick: str
    yardstick_value: float
    #: the most the ratio (or, with ``absolute_limit``, the value) may be; None: shown for
    #: information, with no target
    target: float | None
    absolute_limit: bool = False
    samples: int = 0

    @property
    def ratio(self) -> float:
        return self.value / self.yardstick_value if self.yardstick_value else float("inf")

    @property
    def met(self) -> bool:
        if self.target is None:
            return True
        measured = self.value if self.absolute_limit else self.ratio
        return measured <= self.target

    def target_text(self) -> str:
        if self.target is None:
            return "(no target)"
        if self.absolute_limit:
            return f"<= {self.target:g} {self.unit}"
        return f"<= {self.target:g}x"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ratio=round(self.ratio, 3), met=self.met, target_text=self.target_text())
        return data


def table(figures: list[Figure]) -> str:
    """A plain-text table of the figures."""
    rows = [("figure", "value", "yardstick", "ratio", "target", "")]
    for f in figures:
        rows.append(
            (
                f.name,
                f"{f.value:.4g} {f.unit}",
                f"{f.yardstick_value:.4g} {f.unit} ({f.yardstick})",
                f"{f.ratio:.2f}x",
                f.target_text(),
                "" if f.target is None else "met" if f.met else "MISSED",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
