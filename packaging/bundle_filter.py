"""Which files the PyInstaller bundle leaves out: Qt's GTK3 theme and unused Qt plugins.

Qt's ``platformthemes/libqgtk3.so`` links GTK 3, so on a machine with GTK installed the
build copies GTK, GDK, ATK, cairo, pango and friends into the bundle. The program uses
Qt's own style, so the plugin goes, and with it every library that only it needs. The
libraries are found from the real link graph (``ldd``), not guessed by name, so a
library that Qt itself also needs (glib, fontconfig, ...) stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

#: (destination in the bundle, source path, PyInstaller type code)
Entry = tuple[str, str, str]
Imports = Callable[[str], Iterable[str]]

GTK_PLUGIN = re.compile(r"platformthemes/libqgtk3\.so$")
#: Qt plugins for hardware and features a desktop API explorer does not use.
UNUSED_PLUGINS = re.compile(
    r"plugins/(egldeviceintegrations|generic|networkinformation|tls|qmltooling|designer|"
    r"sqldrivers|printsupport|platforminputcontexts/libqtvirtualkeyboard|"
    r"platforms/lib(qeglfs|qlinuxfb|qminimalegl|qvnc|qvkkhrdisplay))"
)


def _dest(entry: Entry) -> str:
    return entry[0].replace("\\", "/")


def _closure(starts: Iterable[str], imports: Imports) -> set[str]:
    seen: set[str] = set()
    stack = [str(Path(s).resolve()) for s in starts]
    while stack:
        path = stack.pop()
        if path in seen:
            continue
        seen.add(path)
        stack.extend(str(Path(dep).resolve()) for dep in imports(path) if dep)
    return seen


def files_to_drop(binaries: list[Entry], imports: Imports) -> set[str]:
    """Destinations of the unwanted plugins and the libraries only they need."""
    plugins = [
        e for e in binaries if GTK_PLUGIN.search(_dest(e)) or UNUSED_PLUGINS.search(_dest(e))
    ]
    if not plugins:
        return set()
    by_source = {str(Path(e[1]).resolve()): e for e in binaries}
    reachable_from_dropped = _closure((e[1] for e in plugins), imports)
    kept_roots = [src for src in by_source if src not in reachable_from_dropped]
    still_needed = _closure(kept_roots, imports)
    drop = {_dest(e) for e in plugins}
    drop.update(
        _dest(by_source[src]) for src in reachable_from_dropped - still_needed if src in by_source
    )
    return drop


def ldd_imports(path: str) -> list[str]:
    """Resolved link-time dependencies of a shared library, as PyInstaller sees them."""
    from PyInstaller.depend import bindepend

    return [full for _name, full in bindepend.get_imports(path) if full]


def filter_entries(entries: list[Entry], drop: set[str]) -> list[Entry]:
    """``entries`` without the dropped files and without symbolic links to them."""
    return [
        e
        for e in entries
        if _dest(e) not in drop and not (e[2] == "SYMLINK" and e[1].replace("\\", "/") in drop)
    ]
