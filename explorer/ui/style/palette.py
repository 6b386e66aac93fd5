"""Every colour the program paints, in one table per theme: the one place widgets take colours from.

A :class:`Palette` holds the Qt palette roles (window, text, selection…) and the colours
with a meaning: problem texts, marks, badges, chips, bars, syntax colours, the waterfall.
:data:`DARK`, :data:`LIGHT` and :data:`HIGH_CONTRAST` are the themes; :func:`current` is the
one the application shows now (see :func:`explorer.ui.style.theme.apply_theme`).

:func:`pairs` names every foreground drawn on every background, with the contrast it must
reach (WCAG 2.1 AA: 4.5:1 for text, 3:1 for marks that are not text); the contrast test
checks each pair of each palette, and that no colour is left out of a pair. Colour is
never the only signal: the text or symbol beside a colour says the same thing.

Widgets whose colours are not palette roles (style sheets, painted marks) follow a theme
switch through :func:`follow_theme`.

This module imports no Qt at import time: the window's frame paints before it is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

TEXT = 4.5  # WCAG 2.1 AA, normal text (1.4.3)
NON_TEXT = 3.0  # WCAG 2.1 AA, graphical objects and marks (1.4.11)

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OTHER")
#: Status classes by value (:class:`explorer.core.models.StatusClass`), so this module need
#: not import the core's models.
STATUS_CLASSES = (
    "success",
    "informational",
    "redirect",
    "challenge",
    "rate_limited",
    "bad_request",
    "client_error",
    "not_found",
    "auth_error",
    "forbidden",
    "legal",
    "setup_error",
    "server_error",
    "network_error",
    "unknown",
)
#: Syntax colours: response tokens (:class:`explorer.core.body.TokenKind` values) and the
#: request editor's JSON (key, string, number, literal) and ``{{variables}}``.
SYNTAX = ("key", "string", "number", "keyword", "tag", "attribute", "comment", "variable")


@dataclass(frozen=True)
class Palette:
    """One theme's colours (``#rrggbb``)."""

    name: str
    dark: bool
    # ----- Qt palette roles
    window: str
    base: str
    alt_base: str
    text: str
    dim_text: str  # hints, placeholders, disabled text
    highlight: str  # selection
    highlight_text: str
    button: str
    border: str  # the Mid role: 1 px frames and splitter lines
    link: str
    # ----- texts with a meaning, on window, base and alt_base
    error: str
    warning: str  # also the Sandbox fault in the status bar
    ok: str
    inferred: str  # "unverified" marks: evidence weaker than Thumbtack's documentation
    required: str  # the "*" of a required field
    # ----- filled shapes with their own text
    banner_bg: str  # presentation mode's banner and its checked toolbar button
    banner_fg: str
    chip_bg: str  # the "unverified" chip
    chip_fg: str
    token_valid: str  # token state chips (text: token_text)
    token_expiring: str
    token_expired: str
    token_none: str
    token_text: str
    method_text: str  # text on a method badge
    methods: Mapping[str, str]  # badge background by HTTP method ("OTHER": any other)
    status: Mapping[str, tuple[str, str]]  # (background, foreground) by status class value
    # ----- bars and boxes whose text is ``text``
    notice_bg: str
    notice_border: str
    notice_error_bg: str
    notice_error_border: str
    bar_error_bg: str
    bar_error_border: str
    bar_info_bg: str
    bar_info_border: str
    match_bg: str  # a body fragment an explanation points at
    problem_line_bg: str  # a JSON line with a validation problem
    # ----- marks that are not text (3:1)
    invalid_border: str  # an invalid field's frame (its problem is also written under it)
    check_outline: str  # check-box outlines in the scope picker
    focus: str  # the keyboard focus ring (explorer.ui.style.focus_ring)
    track: str  # the waterfall's empty track
    phases: tuple[str, ...]  # waterfall bars: DNS, connect, TLS, send, wait, download
    # ----- syntax, on base
    syntax: Mapping[str, str]

    def method(self, method: str) -> str:
        return self.methods.get(method.upper(), self.methods["OTHER"])

    def status_pair(self, status_class: str) -> tuple[str, str]:
        """(background, foreground) of a status class's badge."""
        return self.status.get(str(status_class), self.status["unknown"])


def _frozen(mapping: Mapping[str, object]) -> MappingProxyType:  # type: ignore[type-arg]
    return MappingProxyType(dict(mapping))


DARK = Palette(
    name="dark",
    dark=True,
    window="#1e1f22",
    base="#17181a",
    alt_base="#222327",
    text="#e6e6e6",
    dim_text="#a0a4ab",
    highlight="#3763c4",
    highlight_text="#ffffff",
    button="#2b2d31",
    border="#3a3d42",
    link="#7aa8ff",
    error="#ff8a80",
    warning="#f0b45a",
    ok="#7fd49b",
    inferred="#f0a830",
    required="#ff8a80",
    banner_bg="#b3261e",
    banner_fg="#ffffff",
    chip_bg="#5c3b00",
    chip_fg="#ffd58a",
    token_valid="#1f6f3f",
    token_expiring="#8a5a00",
    token_expired="#a3243b",
    token_none="#4a4f57",
    token_text="#ffffff",
    method_text="#ffffff",
    methods=_frozen(
        {
            "GET": "#1e7a48",
            "POST": "#8f5a00",
            "PUT": "#2f62cc",
            "PATCH": "#6f45c4",
            "DELETE": "#b3261e",
            "OTHER": "#5b6068",
        }
    ),
    status=_frozen(
        {
            "success": ("#1f6f3f", "#ffffff"),
            "informational": ("#3b4a63", "#ffffff"),
            "redirect": ("#3b4a63", "#ffffff"),
            "challenge": ("#8a5a00", "#ffffff"),
            "rate_limited": ("#8a5a00", "#ffffff"),
            "bad_request": ("#9c3a12", "#ffffff"),
            "client_error": ("#9c3a12", "#ffffff"),
            "not_found": ("#9c3a12", "#ffffff"),
            "auth_error": ("#a3243b", "#ffffff"),
            "forbidden": ("#a3243b", "#ffffff"),
            "legal": ("#6a2c91", "#ffffff"),
            "setup_error": ("#7a3aa8", "#ffffff"),
            "server_error": ("#b3261e", "#ffffff"),
            "network_error": ("#4a4f57", "#ffffff"),
            "unknown": ("#4a4f57", "#ffffff"),
        }
    ),
    notice_bg="#3a2f12",
    notice_border="#8a6a1c",
    notice_error_bg="#3d1a1d",
    notice_error_border="#a3243b",
    bar_error_bg="#3d1d1b",
    bar_error_border="#8c2f28",
    bar_info_bg="#1d2a3d",
    bar_info_border="#34527d",
    match_bg="#453300",
    problem_line_bg="#4a1f1c",
    invalid_border="#ff7b72",
    check_outline="#8a8f98",
    focus="#7aa8ff",
    track="#2b2d31",
    phases=("#6f8fd8", "#4fa3a5", "#9d84d6", "#c4913a", "#d0675a", "#5aa35f"),
    syntax=_frozen(
        {
            "key": "#8cc8ff",
            "string": "#e2a878",
            "number": "#b5d99c",
            "keyword": "#d4a8f7",
            "tag": "#79b8ff",
            "attribute": "#f0c674",
            "comment": "#a8aeb6",
            "variable": "#ffcc66",
        }
    ),
)

LIGHT = Palette(
    name="light",
    dark=False,
    window="#f4f5f7",
    base="#ffffff",
    alt_base="#f0f1f3",
    text="#1d1f23",
    dim_text="#585d65",
    highlight="#2f62cc",
    highlight_text="#ffffff",
    button="#e9ebee",
    border="#c9cdd3",
    link="#1d4fb8",
    error="#b3261e",
    warning="#7a4f00",
    ok="#1a6538",
    inferred="#8a5300",
    required="#b3261e",
    banner_bg="#b3261e",
    banner_fg="#ffffff",
    chip_bg="#ffe9bf",
    chip_fg="#5c3b00",
    token_valid="#d7f2e0",
    token_expiring="#ffe9bf",
    token_expired="#ffd9df",
    token_none="#e3e5e8",
    token_text="#1d1f23",
    method_text="#ffffff",
    methods=_frozen(
        {
            "GET": "#1e7a48",
            "POST": "#8f5a00",
            "PUT": "#2f62cc",
            "PATCH": "#6f45c4",
            "DELETE": "#b3261e",
            "OTHER": "#5b6068",
        }
    ),
    status=_frozen(
        {
            "success": ("#d7f2e0", "#0d4a25"),
            "informational": ("#e1e8f5", "#23324d"),
            "redirect": ("#e1e8f5", "#23324d"),
            "challenge": ("#ffe9bf", "#5c3b00"),
            "rate_limited": ("#ffe9bf", "#5c3b00"),
            "bad_request": ("#ffe0d2", "#6b2408"),
            "client_error": ("#ffe0d2", "#6b2408"),
            "not_found": ("#ffe0d2", "#6b2408"),
            "auth_error": ("#ffd9df", "#6e1023"),
            "forbidden": ("#ffd9df", "#6e1023"),
            "legal": ("#efdcfa", "#45175f"),
            "setup_error": ("#eddffa", "#4a1f6b"),
            "server_error": ("#ffd6d3", "#6d0f0a"),
            "network_error": ("#e3e5e8", "#2a2e33"),
            "unknown": ("#e3e5e8", "#2a2e33"),
        }
    ),
    notice_bg="#fff4d6",
    notice_border="#e0b44c",
    notice_error_bg="#ffe4e4",
    notice_error_border="#d05050",
    bar_error_bg="#fdecea",
    bar_error_border="#e3a39d",
    bar_info_bg="#e8f0fd",
    bar_info_border="#a9c1ea",
    match_bg="#ffe08a",
    problem_line_bg="#f8d4d0",
    invalid_border="#b3261e",
    check_outline="#6b7078",
    focus="#2f62cc",
    track="#e3e5e8",
    phases=("#3f63b8", "#267a7c", "#6f4fb0", "#8f5f10", "#b0443a", "#2e7a3a"),
    syntax=_frozen(
        {
            "key": "#0b4f9c",
            "string": "#a3361c",
            "number": "#0f6e43",
            "keyword": "#7a2eb0",
            "tag": "#1f55a8",
            "attribute": "#804600",
            "comment": "#575e68",
            "variable": "#7a4f00",
        }
    ),
)

#: For low vision: black and white, with pure, strong accents; the badges keep their hues.
HIGH_CONTRAST = Palette(
    name="high contrast",
    dark=True,
    window="#000000",
    base="#000000",
    alt_base="#101010",
    text="#ffffff",
    dim_text="#d0d0d0",
    highlight="#ffff00",
    highlight_text="#000000",
    button="#1a1a1a",
    border="#ffffff",
    link="#80c0ff",
    error="#ff9a9a",
    warning="#ffd24d",
    ok="#7dff9a",
    inferred="#ffc04d",
    required="#ff9a9a",
    banner_bg="#ffff00",
    banner_fg="#000000",
    chip_bg="#ffc04d",
    chip_fg="#000000",
    token_valid="#7dff9a",
    token_expiring="#ffd24d",
    token_expired="#ff9a9a",
    token_none="#d0d0d0",
    token_text="#000000",
    method_text="#000000",
    methods=_frozen(
        {
            "GET": "#7dff9a",
            "POST": "#ffd24d",
            "PUT": "#80c0ff",
            "PATCH": "#d4a8ff",
            "DELETE": "#ff9a9a",
            "OTHER": "#d0d0d0",
        }
    ),
    status=_frozen(
        {
            "success": ("#7dff9a", "#000000"),
            "informational": ("#80c0ff", "#000000"),
            "redirect": ("#80c0ff", "#000000"),
            "challenge": ("#ffd24d", "#000000"),
            "rate_limited": ("#ffd24d", "#000000"),
            "bad_request": ("#ffb080", "#000000"),
            "client_error": ("#ffb080", "#000000"),
            "not_found": ("#ffb080", "#000000"),
            "auth_error": ("#ff9a9a", "#000000"),
            "forbidden": ("#ff9a9a", "#000000"),
            "legal": ("#d4a8ff", "#000000"),
            "setup_error": ("#d4a8ff", "#000000"),
            "server_error": ("#ff9a9a", "#000000"),
            "network_error": ("#d0d0d0", "#000000"),
            "unknown": ("#d0d0d0", "#000000"),
        }
    ),
    notice_bg="#2a2200",
    notice_border="#ffd24d",
    notice_error_bg="#2a0000",
    notice_error_border="#ff9a9a",
    bar_error_bg="#2a0000",
    bar_error_border="#ff9a9a",
    bar_info_bg="#001a33",
    bar_info_border="#80c0ff",
    match_bg="#3d3200",
    problem_line_bg="#4a0000",
    invalid_border="#ff9a9a",
    check_outline="#ffffff",
    focus="#ffff00",
    track="#333333",
    phases=("#80c0ff", "#4de0e0", "#d4a8ff", "#ffd24d", "#ff9a9a", "#7dff9a"),
    syntax=_frozen(
        {
            "key": "#80c0ff",
            "string": "#ffc080",
            "number": "#7dff9a",
            "keyword": "#e0b0ff",
            "tag": "#80c0ff",
            "attribute": "#ffd24d",
            "comment": "#d0d0d0",
            "variable": "#ffff00",
        }
    ),
)

PALETTES = (DARK, LIGHT, HIGH_CONTRAST)


@dataclass(frozen=True)
class Pair:
    """A foreground painted on a background, and the contrast it must reach."""

    what: str
    fg: str
    bg: str
    least: float = TEXT
    fg_name: str = ""
    bg_name: str = ""


def pairs(p: Palette) -> Iterator[Pair]:
    """Every foreground the program paints on every background it paints it on."""

    def pair(what: str, fg: str, bg: str, least: float = TEXT) -> Pair:
        fg_value, bg_value = _value(p, fg), _value(p, bg)
        return Pair(what, fg_value, bg_value, least, fg, bg)

    surfaces = ("window", "base", "alt_base")
    for fg in ("text", "dim_text", "error", "warning", "ok", "inferred", "required", "link"):
        for bg in surfaces:
            yield pair(f"{fg} text on {bg}", fg, bg)
    yield pair("text on a button", "text", "button")
    yield pair("selected text", "highlight_text", "highlight")
    yield pair("presentation banner", "banner_fg", "banner_bg")
    yield pair("unverified chip", "chip_fg", "chip_bg")
    for state in ("valid", "expiring", "expired", "none"):
        yield pair(f"token chip ({state})", "token_text", f"token_{state}")
    for method in METHODS:
        yield pair(f"{method} badge", "method_text", f"methods.{method}")
    for status_class in STATUS_CLASSES:
        yield pair(
            f"{status_class} status badge", f"status.{status_class}.1", f"status.{status_class}.0"
        )
    for box in (
        "notice_bg",
        "notice_error_bg",
        "bar_error_bg",
        "bar_info_bg",
        "match_bg",
        "problem_line_bg",
    ):
        yield pair(f"text on {box}", "text", box)
    for kind in SYNTAX:
        yield pair(f"{kind} syntax on base", f"syntax.{kind}", "base")
        yield pair(f"{kind} syntax on a matched fragment", f"syntax.{kind}", "match_bg")
    # marks that are not text: 3:1 against what is around them
    yield pair("invalid field frame", "invalid_border", "base", NON_TEXT)
    yield pair("check-box outline", "check_outline", "base", NON_TEXT)
    for surface in (*surfaces, "button"):
        yield pair(f"focus ring on {surface}", "focus", surface, NON_TEXT)
    for index in range(len(p.phases)):
        yield pair(f"waterfall phase {index + 1}", f"phases.{index}", "track", NON_TEXT)


#: Colours drawn only as decoration around something that carries the meaning (1 px
#: frames around fields and bars whose text has its own contrast): not held to a ratio.
DECORATIVE = frozenset(
    {"border", "notice_border", "notice_error_border", "bar_error_border", "bar_info_border"}
)


def _value(p: Palette, name: str) -> str:
    head, *rest = name.split(".")
    value: object = getattr(p, head)
    for part in rest:
        if isinstance(value, tuple):
            value = value[int(part)]
        else:
            assert isinstance(value, Mapping)
            value = value[part]
    assert isinstance(value, str), name
    return value


def colour_names(p: Palette) -> list[str]:
    """Every colour of ``p`` by its name in :func:`pairs` (``methods.GET``, ``status.legal.0``)."""
    names: list[str] = []
    for field in fields(p):
        value = getattr(p, field.name)
        if field.name in ("name", "dark"):
            continue
        if isinstance(value, str):
            names.append(field.name)
        elif isinstance(value, tuple):
            names += [f"{field.name}.{i}" for i in range(len(value))]
        else:
            for key, item in value.items():
                if isinstance(item, tuple):
                    names += [f"{field.name}.{key}.{i}" for i in range(len(item))]
                else:
                    names.append(f"{field.name}.{key}")
    return names


def by_name(name: str) -> Palette:
    for palette in PALETTES:
        if palette.name == name:
            return palette
    raise KeyError(name)


def current() -> Palette:
    """The palette the application shows now (light before a theme is applied)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    name = app.property("explorer_palette") if app is not None else None
    if isinstance(name, str):
        try:
            return by_name(name)
        except KeyError:
            pass
    dark = bool(app.property("explorer_dark")) if app is not None else False
    return DARK if dark else LIGHT


def for_dark(dark: bool) -> Palette:
    """The palette now shown when it is as dark as asked, else the plain dark or light one."""
    shown = current()
    if shown.dark == dark:
        return shown
    return DARK if dark else LIGHT


def follow_theme(widget: QWidget, restyle: Callable[[Palette], None]) -> None:
    """Call ``restyle(palette)`` now and whenever the application's theme changes, for as
    long as ``widget`` lives (for colours that are not palette roles: style sheets,
    painted marks, rich text)."""
    from explorer.ui.style._follow import ThemeFollower

    ThemeFollower(widget, restyle, current)
