"""The "core has no Qt" contract is enforced by import-linter, and it does bite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _run_contract(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_contract_holds_on_the_real_tree(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT / "explorer", tree / "explorer", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    result = _run_contract(tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_contract_fails_when_the_core_imports_pyside6(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT / "explorer", tree / "explorer", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    (tree / "explorer" / "core" / "sneaky.py").write_text(
        '"""Breaks the rule on purpose."""\n\nfrom PySide6.QtCore import QObject\n'
    )
    result = _run_contract(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "explorer.core.sneaky" in result.stdout
