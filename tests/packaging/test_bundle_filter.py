"""What the PyInstaller bundle leaves out: the GTK theme plugin and only what it alone needs."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT = "PySide6/Qt"


@pytest.fixture(scope="module")
def bundle_filter() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bundle_filter", ROOT / "packaging" / "bundle_filter.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _graph() -> tuple[list[tuple[str, str, str]], dict[str, list[str]]]:
    """A small bundle: the xcb and gtk3 plugins, Qt, glib shared, GTK only via the plugin."""
    entries = {
        f"{QT}/plugins/platforms/libqxcb.so": ["/q/libQt6XcbQpa.so.6"],
        f"{QT}/plugins/platformthemes/libqgtk3.so": [
            "/q/libQt6Gui.so.6",
            "/usr/lib/libgtk-3.so.0",
            "/usr/lib/libglib-2.0.so.0",
        ],
        f"{QT}/plugins/platformthemes/libqxdgdesktopportal.so": ["/q/libQt6DBus.so.6"],
        f"{QT}/plugins/generic/libqevdevmouseplugin.so": ["/q/libQt6Gui.so.6"],
        f"{QT}/lib/libQt6XcbQpa.so.6": ["/q/libQt6Gui.so.6"],
        f"{QT}/lib/libQt6Gui.so.6": ["/q/libQt6Core.so.6"],
        f"{QT}/lib/libQt6DBus.so.6": ["/q/libQt6Core.so.6"],
        f"{QT}/lib/libQt6Core.so.6": ["/usr/lib/libglib-2.0.so.0"],
        "libgtk-3.so.0": ["/usr/lib/libgdk-3.so.0", "/usr/lib/libglib-2.0.so.0"],
        "libgdk-3.so.0": ["/usr/lib/libcairo.so.2"],
        "libcairo.so.2": [],
        "libglib-2.0.so.0": [],
    }
    source = {
        dest: (f"/q/{Path(dest).name}" if dest.startswith(f"{QT}/lib") else f"/usr/lib/{dest}")
        for dest in entries
        if not dest.startswith(f"{QT}/plugins")
    }
    source.update({d: f"/plugins/{Path(d).name}" for d in entries if d.startswith(f"{QT}/plugins")})
    imports = {source[dest]: deps for dest, deps in entries.items()}
    binaries = [(dest, source[dest], "BINARY") for dest in entries]
    return binaries, imports


def test_drops_the_gtk_theme_and_the_libraries_only_it_needs(bundle_filter: ModuleType) -> None:
    binaries, imports = _graph()
    drop = bundle_filter.files_to_drop(binaries, lambda path: imports.get(path, []))
    assert drop == {
        f"{QT}/plugins/platformthemes/libqgtk3.so",
        f"{QT}/plugins/generic/libqevdevmouseplugin.so",
        "libgtk-3.so.0",
        "libgdk-3.so.0",
        "libcairo.so.2",
    }  # glib and Qt stay: the xcb plugin and QtCore need them


def test_keeps_everything_when_there_is_nothing_to_drop(bundle_filter: ModuleType) -> None:
    binaries = [("libfoo.so", "/usr/lib/libfoo.so", "BINARY")]
    assert bundle_filter.files_to_drop(binaries, lambda _path: []) == set()


def test_filter_removes_dropped_files_and_links_to_them(bundle_filter: ModuleType) -> None:
    entries = [
        (f"{QT}/lib/libQt6Network.so.6", "/q/libQt6Network.so.6", "BINARY"),
        ("libQt6Network.so.6", f"{QT}/lib/libQt6Network.so.6", "SYMLINK"),
        ("libQt6Core.so.6", f"{QT}/lib/libQt6Core.so.6", "SYMLINK"),
    ]
    kept = bundle_filter.filter_entries(entries, {f"{QT}/lib/libQt6Network.so.6"})
    assert kept == [("libQt6Core.so.6", f"{QT}/lib/libQt6Core.so.6", "SYMLINK")]
