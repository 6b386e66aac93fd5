"""The import contracts (the core has no Qt; explorer.ui has no cycles and imports only
downwards: app, window, features, shared pieces) are enforced by import-linter, and they
do bite."""

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


def _copy_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT / "explorer", tree / "explorer", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def _verdicts(result: subprocess.CompletedProcess[str], contract: str) -> list[str]:
    """The summary line of ``contract`` in the report (it ends with KEPT or BROKEN)."""
    return [
        line
        for line in result.stdout.splitlines()
        if line.startswith(contract) and line.endswith(("KEPT", "BROKEN"))
    ]


def test_contract_fails_when_the_core_imports_pyside6(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    (tree / "explorer" / "core" / "sneaky.py").write_text(
        '"""Breaks the rule on purpose."""\n\nfrom PySide6.QtCore import QObject\n'
    )
    result = _run_contract(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "explorer.core.sneaky" in result.stdout


def test_contract_fails_when_a_feature_imports_the_window(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    (tree / "explorer" / "ui" / "history" / "sneaky.py").write_text(
        '"""Reaches up on purpose."""\n\nfrom explorer.ui.window.main_window import MainWindow\n'
    )
    result = _run_contract(tree)
    assert result.returncode != 0
    [layers] = _verdicts(result, "The window knows the features")
    assert layers.endswith("BROKEN")
    assert "explorer.ui.history.sneaky" in result.stdout


def test_contract_fails_when_two_features_import_each_other(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    (tree / "explorer" / "ui" / "saved" / "sneaky.py").write_text(
        '"""Knows another feature on purpose."""\n\nfrom explorer.ui.history import controller\n'
    )
    result = _run_contract(tree)
    assert result.returncode != 0
    [layers] = _verdicts(result, "The window knows the features")
    assert layers.endswith("BROKEN")
    assert "explorer.ui.saved.sneaky" in result.stdout


def test_contract_fails_on_an_import_cycle_in_the_ui(tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    ui = tree / "explorer" / "ui"
    # Two shared pieces of one layer may import each other's way, but not in a circle.
    for name, other in (("workers", "redaction"), ("redaction", "workers")):
        module = ui / f"{name}.py"
        module.write_text(module.read_text() + f"\nfrom explorer.ui import {other}  # noqa\n")
    result = _run_contract(tree)
    assert result.returncode != 0
    [cycles] = _verdicts(result, "No import cycles")
    assert cycles.endswith("BROKEN")
    [layers] = _verdicts(result, "The window knows the features")
    assert layers.endswith("KEPT")
