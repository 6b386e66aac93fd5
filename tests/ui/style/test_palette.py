"""One palette for the whole window, and every pair in it meets WCAG 2.1 AA contrast."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest
from coloraide import Color

from explorer.core.body import TokenKind
from explorer.core.models import StatusClass
from explorer.ui.style.palette import (
    DECORATIVE,
    METHODS,
    PALETTES,
    STATUS_CLASSES,
    SYNTAX,
    TEXT,
    Palette,
    colour_names,
    pairs,
)

UI = Path(__file__).resolve().parents[3] / "explorer" / "ui"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
#: f-string pieces are tokens of their own from Python 3.12 on (whole strings before).
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
NAMED = re.compile(r"\b(?:color|background)\s*:\s*(?!palette\()(?!transparent)[a-z]+\b")


def ratio(fg: str, bg: str) -> float:
    return float(Color(fg).contrast(Color(bg), method="wcag21"))


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.name)
def test_every_pair_of_every_palette_meets_wcag_aa(palette: Palette) -> None:
    failing = [
        f"{pair.what}: {pair.fg} on {pair.bg} is {ratio(pair.fg, pair.bg):.2f}:1, "
        f"needs {pair.least}:1"
        for pair in pairs(palette)
        if ratio(pair.fg, pair.bg) < pair.least
    ]
    assert not failing, "\n".join(failing)


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.name)
def test_no_colour_escapes_the_contrast_check(palette: Palette) -> None:
    """A colour added to a palette is drawn on something: it must be named in a pair."""
    checked = {name for pair in pairs(palette) for name in (pair.fg_name, pair.bg_name)}
    unchecked = set(colour_names(palette)) - checked - DECORATIVE
    assert not unchecked, f"colours in no contrast pair: {sorted(unchecked)}"
    assert all(pair.least >= 3.0 for pair in pairs(palette))


def test_the_palettes_name_every_status_class_method_and_token_kind() -> None:
    assert set(STATUS_CLASSES) == {str(c) for c in StatusClass}
    assert {kind.name.lower() for kind in TokenKind} <= set(SYNTAX)
    for palette in PALETTES:
        assert set(palette.status) == set(STATUS_CLASSES), palette.name
        assert set(palette.methods) == set(METHODS), palette.name
        assert set(palette.syntax) == set(SYNTAX), palette.name
        # text on every surface is the strongest pair: well above the minimum
        assert ratio(palette.text, palette.base) >= 2 * TEXT


def test_the_ratio_is_wcag_s() -> None:
    """The yardstick itself: black on white is 21:1, a colour on itself 1:1."""
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#777777", "#777777") == pytest.approx(1.0)
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def colour_literals(path: Path) -> list[str]:
    found = []
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type not in STRING_TOKENS:
            continue
        for match in (*HEX.finditer(token.string), *NAMED.finditer(token.string)):
            found.append(f"{path.relative_to(UI.parent.parent)}:{token.start[0]}: {match[0]}")
    return found


def test_colours_come_from_the_palette_module_only() -> None:
    """No widget keeps its own colour table: every colour literal is in style/palette.py."""
    palette_module = UI / "style" / "palette.py"
    sources = [p for p in UI.rglob("*.py") if p != palette_module]
    assert len(sources) > 40
    stray = [hit for path in sources for hit in colour_literals(path)]
    assert not stray, "colours outside explorer/ui/style/palette.py:\n" + "\n".join(stray)
    assert colour_literals(palette_module)  # the check does find colours where they are
