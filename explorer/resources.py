"""The one resolver for files shipped in ``resources/``.

In a wheel and in a PyInstaller bundle the files sit inside the package as
``explorer/resources``; in an editable checkout they sit beside the package at the
repository root. Every caller asks here instead of guessing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


class ResourceNotFoundError(FileNotFoundError):
    """A resource the program ships is missing: the installation is damaged."""


@cache
def resources_root() -> Path:
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "resources", package_dir.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise ResourceNotFoundError(
        f"The program's resources folder is missing (looked in {package_dir / 'resources'} "
        f"and {package_dir.parent / 'resources'}). Reinstall the program."
    )


def resource_path(*parts: str) -> Path:
    path = resources_root().joinpath(*parts)
    if not path.exists():
        raise ResourceNotFoundError(
            f"The resource {'/'.join(parts)} is missing from {resources_root()}. "
            "Reinstall the program."
        )
    return path


def read_text(*parts: str) -> str:
    return resource_path(*parts).read_text(encoding="utf-8")
