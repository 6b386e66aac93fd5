"""The wheel and sdist carry resources/, and an installed wheel's command starts the window.

Builds both with ``python -m build`` (the wheel from the sdist, as an installer would),
installs the wheel with its dependencies into a fresh virtual environment in tmp, and
runs the installed ``thumbtack-explorer --screenshot`` offscreen.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"

pytestmark = pytest.mark.slow


def _shipped_resources() -> list[str]:
    """Every file under resources/, relative to it (openapi, explain rules, icons...)."""
    return sorted(p.relative_to(RESOURCES).as_posix() for p in RESOURCES.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_wheel_carries_every_resource_inside_the_package(dists: dict[str, Path]) -> None:
    names = set(zipfile.ZipFile(dists["wheel"]).namelist())
    expected = [f"explorer/resources/{name}" for name in _shipped_resources()]
    assert "explorer/resources/icons/thumbtack-explorer.svg" in expected
    assert [name for name in expected if name not in names] == []
    for size in (16, 32, 48, 64, 128, 256):
        assert f"explorer/resources/icons/hicolor/{size}/thumbtack-explorer.png" in names
    for optional in ("openapi", "explain"):  # present once those parts have landed
        if (RESOURCES / optional).is_dir():
            assert any(n.startswith(f"explorer/resources/{optional}/") for n in names)
    assert not any(n.startswith(("tests/", "bench/", "packaging/")) for n in names)


def test_sdist_carries_resources_and_packaging(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert [f"resources/{n}" for n in _shipped_resources() if f"resources/{n}" not in names] == []
    for needed in (
        "pyproject.toml",
        "packaging/thumbtack-explorer.spec",
        "packaging/thumbtack-explorer.desktop",
    ):
        assert needed in names


def test_installed_wheel_starts_offscreen_and_finds_its_resources(
    dists: dict[str, Path], tmp_path: Path, explorer_home: Path
) -> None:
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = target / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", dists["wheel"]],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", THUMBTACK_EXPLORER_HOME=str(explorer_home))
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import explorer.resources as r; print(r.__file__); print(r.resources_root())",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    module_file, root = where.stdout.split()
    site_packages = next((target / "lib").glob("python3*/site-packages"))
    assert Path(module_file).is_relative_to(site_packages)
    assert Path(root) == site_packages / "explorer" / "resources"

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    command = target / "bin" / next(iter(scripts))
    shot = tmp_path / "installed.png"
    run = subprocess.run(
        [str(command), "--screenshot", str(shot), "--size", "900x600"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (900, 600)
