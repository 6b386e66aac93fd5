"""What the program imports before its window first paints, started as the desktop entry
starts it (a fresh process, the real entry point, no arguments).

The first frame needs only Qt's core, GUI and widget modules, the settings and the
window's frame. Every other module — panels, docks, dialogs, the HTTP client, the API
description, new features — must be imported after that first paint, so a module added
to this path makes this test fail with its name and the way to fix it.
"""

from __future__ import annotations

import sys

from bench.startup import probe_once

#: The program's modules the first frame is built from. Add to this only a module the
#: frame itself cannot paint without; everything else is imported after the first paint.
FIRST_FRAME = {
    "explorer",
    "explorer.app",
    "explorer.core",
    "explorer.core.files",
    "explorer.core.settings",
    "explorer.options",
    "explorer.paths",
    "explorer.ui",
    "explorer.ui.app",
    "explorer.ui.app.application",
    "explorer.ui.app.crash",
    "explorer.ui.style",
    "explorer.ui.style.theme",
    "explorer.ui.style.palette",  # the first frame's colours (plain data, no Qt import)
    "explorer.ui.window",
    "explorer.ui.window.main_window",
}
#: Packages from outside the standard library that may be loaded by then.
OUTSIDE_STDLIB = {
    "PySide6",
    "shiboken6",
    "shibokensupport",
    "signature_bootstrap",
    "__feature__",
    "__main__",
    "_distutils_hack",  # setuptools' import hook, present in some environments
    "platformdirs",  # where the settings are
}
QT_MODULES = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"}


def test_only_the_frame_is_imported_before_the_first_paint() -> None:
    loaded = set(probe_once("app", 0.0)["modules"])

    extra = sorted(m for m in loaded if m.split(".")[0] == "explorer" and m not in FIRST_FRAME)
    assert not extra, (
        f"imported before the window's first paint: {extra}. Import them where they are "
        "first used, after the first paint (see explorer/ui/app/application.py, "
        "after_first_paint), or inside the function that needs them."
    )
    outside = sorted(
        {m.split(".")[0] for m in loaded}
        - set(sys.stdlib_module_names)
        - OUTSIDE_STDLIB
        - {"explorer"}
    )
    assert not outside, f"libraries imported before the first paint: {outside}"
    qt = sorted(m for m in loaded if m.startswith("PySide6.Qt") and m not in QT_MODULES)
    assert not qt, f"Qt modules imported before the first paint: {qt}"
    # The list stays exact: a module that left the path is taken off it.
    assert loaded >= FIRST_FRAME, sorted(FIRST_FRAME - loaded)
