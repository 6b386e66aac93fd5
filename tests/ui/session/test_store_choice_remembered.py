"""The secret-store choice is asked once: after it was answered, closing the window and
opening it again does not ask it again (only the vault's passphrase)."""

from __future__ import annotations

from helpers.session_window import (
    DEMAND_ID,
    DEMAND_SECRET,
    PASSPHRASE,
    ScriptedAsk,
    sandbox,
    sandbox_profile,
    session_window,
)
from PySide6.QtCore import Qt

from explorer.core.profiles import ProfileStore
from explorer.paths import AppPaths
from explorer.ui.ask import QuestionKind

__all__ = ["sandbox", "session_window"]


def choose(window, name: str) -> None:  # type: ignore[no-untyped-def]
    combo = window.profile_combo
    combo.setCurrentIndex(combo.findText(name))
    combo.activated.emit(combo.currentIndex())  # what picking it in the list does


def send(window, qtbot) -> int:  # type: ignore[no-untyped-def]
    window.endpoint_tree.select("searchKeywordsV4")
    with qtbot.waitSignal(window.response_shown, timeout=20000) as shown:
        qtbot.mouseClick(window.request_panel.send_button, Qt.MouseButton.LeftButton)
    return int(shown.args[0].status)


def test_the_choice_is_not_asked_on_the_next_launch(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    ProfileStore(AppPaths.from_environment().ensure()).save_profile(sandbox_profile())
    first_ask = ScriptedAsk(choice=0, passphrase=[PASSPHRASE, PASSPHRASE])
    first = session_window(first_ask)
    choose(first, "My demand")
    controller = first.services.session
    saved: list[object] = []
    profile = controller.profile
    assert profile is not None and profile.client_id == DEMAND_ID
    controller.save_secret(
        profile, DEMAND_SECRET, previous_name=None, forget_tokens=False, then=saved.append
    )
    qtbot.waitUntil(lambda: bool(saved), timeout=10000)
    assert QuestionKind.CHOICE in first_ask.kinds()
    assert send(first, qtbot) == 200
    first.close()  # saves the window's settings

    again = ScriptedAsk(passphrase=[PASSPHRASE])
    second = session_window(again)
    choose(second, "My demand")
    assert send(second, qtbot) == 200
    assert QuestionKind.CHOICE not in again.kinds()
    assert QuestionKind.PASSPHRASE in again.kinds()
