"""A short run of random actions on the real window (against the real Sandbox) that
fails on any unhandled exception: pytest-qt turns an exception in any slot or event
handler into a failure, and the crash reporter must have nothing to show.

The default run is short (120 actions, a fixed seed per run printed on failure); set
THUMBTACK_RANDOM_ACTIONS=6000 (and THUMBTACK_RANDOM_SEED) for the full-size run:
``THUMBTACK_RANDOM_ACTIONS=6000 .venv/bin/python -m pytest tests/ui/window/test_random_actions.py``.
"""

from __future__ import annotations

import os
import random
import string

from helpers.session_window import ScriptedAsk, catalog_endpoints, sandbox, session_window
from helpers.window_session import set_headers
from PySide6.QtWidgets import QApplication

__all__ = ["sandbox", "session_window"]

ACTIONS = int(os.environ.get("THUMBTACK_RANDOM_ACTIONS", "120"))
SEED = int(os.environ.get("THUMBTACK_RANDOM_SEED", str(random.SystemRandom().randrange(10**6))))
NASTY = ["<b>x</b>", "\x1b]0;t\x07", "{{access_token}}", "é☕", "\u202e", "%00", "'\"", "a\r\nb"]


def random_text(rng: random.Random) -> str:
    pieces = [rng.choice(string.printable) for _ in range(rng.randrange(0, 20))]
    if rng.random() < 0.5:
        pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(NASTY))
    return "".join(pieces)


def test_random_actions_raise_nothing(session_window, qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED)
    window = session_window(ScriptedAsk())
    ids = [e.operation_id for e in catalog_endpoints() if e.operation_id]
    toggles = [
        window.presentation.action,
        window.history.action,
        window.saved.view_action,
        window.webhooks.action,
        *([window.session_ui.token_action] if window.session_ui is not None else []),
        *window.theme_actions.values(),
    ]
    faults = [a for a in window.sandbox_menu.actions() if not a.isSeparator() and a.isEnabled()]
    panel = window.request_panel
    steps = [
        lambda: window.endpoint_tree.select(rng.choice(ids)),
        lambda: panel.url.setText(panel.url.text() + random_text(rng)),
        lambda: set_headers(window, f"X-Random: {random_text(rng)}"),
        window.send_action.trigger,
        window.cancel_action.trigger,
        lambda: rng.choice(toggles).trigger(),
        lambda: rng.choice(faults).trigger() if faults else None,
        lambda: window.bundles.copy_as(rng.choice(["curl", "httpx"])),
        lambda: window.resize(rng.randrange(640, 1600), rng.randrange(480, 1000)),
        window.response_pane.body_view.copy_all,
    ]
    done: list[int] = []
    print(f"random actions: {ACTIONS}, seed {SEED}")
    for _ in range(ACTIONS):
        index = rng.randrange(len(steps))
        done.append(index)
        steps[index]()
        QApplication.processEvents()
    window.cancel_action.trigger()
    qtbot.waitUntil(lambda: not window.exchange.busy, timeout=20000)
    assert window.isVisible() and len(done) == ACTIONS, f"seed {SEED}"
    assert len(set(done)) == len(steps)  # every kind of action was tried
