"""``--screenshot`` renders the real window offscreen to a PNG, with no display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage


def test_screenshot_option_writes_a_png_of_the_window(tmp_path: Path, explorer_home: Path) -> None:
    target = tmp_path / "shot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "explorer",
            "--screenshot",
            str(target),
            "--size",
            "1000x700",
            "--theme",
            "light",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1000, 700)
    # a light theme: the top-left corner (the menu bar) is light
    assert image.pixelColor(5, 5).lightness() > 180


def test_demo_screenshot_leaves_the_users_history_alone(
    tmp_path: Path, explorer_home: Path
) -> None:
    target = tmp_path / "demo.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "explorer", "--screenshot", str(target), "--demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "explorer", "history", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() in ("[]", "")
