"""PySide's import hook no longer reads the source of each module imported after it (it
kept every line in linecache); modules that use PySide are still told apart."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest

from explorer.ui.app.application import skip_pyside_source_scan


def test_modules_imported_later_are_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feature = sys.modules["shibokensupport.feature"]
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)
    skip_pyside_source_scan()
    plain = tmp_path / "plain_module_for_scan.py"
    plain.write_text("VALUE = 41 + 1\n", encoding="utf-8")
    qt = tmp_path / "qt_module_for_scan.py"
    qt.write_text("from PySide6.QtCore import QObject\nBASE = QObject\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import plain_module_for_scan  # type: ignore[import-not-found]
    import qt_module_for_scan  # type: ignore[import-not-found]

    assert plain_module_for_scan.VALUE == 42
    assert str(plain) not in linecache.cache and str(qt) not in linecache.cache
    assert feature._mod_uses_pyside(qt_module_for_scan) is True
    assert feature._mod_uses_pyside(plain_module_for_scan) is False
    assert feature.pyside_feature_dict.get("qt_module_for_scan") == 0  # uses PySide
    assert feature.pyside_feature_dict.get("plain_module_for_scan") == -1  # ignored
    for name in ("plain_module_for_scan", "qt_module_for_scan"):
        sys.modules.pop(name, None)
