"""The Linux desktop entry and the icons it names."""

from __future__ import annotations

import configparser
import importlib.util
import shutil
import subprocess
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "packaging" / "thumbtack-explorer.desktop"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)


@pytest.fixture(scope="module")
def render_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "render_icons", ROOT / "packaging" / "render_icons.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_starts_the_installed_command_with_the_shipped_icon() -> None:
    entry = _entry()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Thumbtack API Explorer"
    assert entry["Exec"].split()[0] in scripts
    assert entry["TryExec"] in scripts
    assert entry["Terminal"] == "false"
    assert (ICONS / f"{entry['Icon']}.svg").is_file()
    for size in SIZES:
        assert (ICONS / "hicolor" / str(size) / f"{entry['Icon']}.png").is_file()
    assert entry["Categories"].endswith(";")
    assert "Development" in entry["Categories"].split(";")
    assert entry["StartupWMClass"] == entry["Icon"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_desktop_entry_passes_desktop_file_validate() -> None:
    proc = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout + proc.stderr


def test_committed_png_icons_have_their_sizes_and_are_not_blank() -> None:
    for size in SIZES:
        image = QImage(str(ICONS / "hicolor" / str(size) / "thumbtack-explorer.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # the tile is opaque
        assert image.pixelColor(0, 0).alpha() < 128  # the rounded corner is not


def test_render_icons_draws_every_size_from_the_svg(
    render_icons: ModuleType, tmp_path: Path
) -> None:
    written = render_icons.render(ICONS / "thumbtack-explorer.svg", tmp_path, (24, 40))
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "24/thumbtack-explorer.png",
        "40/thumbtack-explorer.png",
    ]
    assert QImage(str(written[1])).width() == 40


@pytest.mark.qt_log_ignore("Cannot read file")  # the warning Qt prints for it
def test_render_icons_refuses_a_broken_svg(render_icons: ModuleType, tmp_path: Path) -> None:
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg")
    with pytest.raises(SystemExit, match="not a valid SVG"):
        render_icons.render(broken, tmp_path / "out")
    assert not (tmp_path / "out").exists()
