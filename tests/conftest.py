"""Shared test setup: every test gets a fresh program home and a clean environment.

Qt runs offscreen; warnings (Qt's too, via pytest-qt) are errors.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_VARIABLES_TO_CLEAR = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
)


@pytest.fixture(autouse=True)
def explorer_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh THUMBTACK_EXPLORER_HOME for each test, and no proxy or CA overrides."""
    home = tmp_path / "explorer-home"
    home.mkdir()
    monkeypatch.setenv("THUMBTACK_EXPLORER_HOME", str(home))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    for name in _VARIABLES_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    return home
