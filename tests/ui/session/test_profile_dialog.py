"""The profile editor driven as a person would: type, pick scopes, save, choose where
secrets live when there is no keychain, export and import."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.session_window import (
    DEMAND_SECRET,
    ScriptedAsk,
    controller_of,
    sandbox,
    sandbox_profile,
    save_profile_with_secret,
    session_window,
)
from PySide6.QtCore import Qt

from explorer.core.secrets import MemoryStore, SecretKind, VaultStore, vault_path
from explorer.paths import AppPaths
from explorer.ui.ask import QuestionKind
from explorer.ui.session.profile_dialog import ProfileDialog

__all__ = ["sandbox", "session_window"]


def open_dialog(window, qtbot) -> ProfileDialog:  # type: ignore[no-untyped-def]
    combo = window.profile_combo
    index = combo.findText("Manage profiles…")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    dialog = window.session_ui.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def fill_new_profile(dialog: ProfileDialog, qtbot, name: str = "My demand") -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    form = dialog.form
    qtbot.keyClicks(form.name, name)
    form.environment.setCurrentIndex(form.environment.findData("sandbox"))
    qtbot.keyClicks(form.client_id, "sandbox-demand-client")
    qtbot.keyClicks(form.client_secret, DEMAND_SECRET)
    form.scope_picker.item("demand::keywords.read").setCheckState(0, Qt.CheckState.Checked)


def save_and_wait(dialog: ProfileDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert dialog.save_button.isEnabled(), dialog.status.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved."), timeout=5000)


def test_create_a_profile_with_memory_only_secrets(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    ask = ScriptedAsk(choice=1)  # "Memory only for this run"
    window = session_window(ask)
    dialog = open_dialog(window, qtbot)
    fill_new_profile(dialog, qtbot)
    picker = dialog.form.scope_picker
    supply = picker.item("supply::negotiations.read")
    assert not supply.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "supply:: scopes are disabled" in picker.family_note.text()
    assert picker.item("demand::orders.read").flags() & Qt.ItemFlag.ItemIsEnabled
    save_and_wait(dialog, qtbot)

    question = ask.asked[0]
    assert question.kind is QuestionKind.CHOICE
    assert "keychain cannot be used" in question.text
    assert question.options == (
        "Encrypted vault file (asks for a passphrase)",
        "Memory only for this run",
    )
    controller = controller_of(window)
    assert isinstance(controller.user_store, MemoryStore)
    assert controller.user_store.get("My demand", SecretKind.CLIENT_SECRET) == DEMAND_SECRET
    assert "Memory only" in dialog.status.text()
    raw = controller.profiles.path.read_bytes()
    assert DEMAND_SECRET.encode() not in raw
    assert json.loads(raw)["profiles"][0]["scopes"] == ["demand::keywords.read"]
    settings = AppPaths.from_environment().settings_file.read_text()
    assert '"secret_store": "memory"' in settings
    # the new profile is current and works
    assert window.profile_combo.currentText() == "My demand"
    window.endpoint_tree.select("searchKeywordsV4")
    window.request_panel.url.setText(window.request_panel.url.text() + "?searchQuery=car")
    with qtbot.waitSignal(window.response_shown, timeout=10000) as blocker:
        window.send_current()
    assert blocker.args[0].status == 200


def test_vault_choice_encrypts_the_secret(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    ask = ScriptedAsk(choice=0, passphrase="a long vault passphrase")
    window = session_window(ask)
    dialog = open_dialog(window, qtbot)
    fill_new_profile(dialog, qtbot)
    save_and_wait(dialog, qtbot)
    assert ask.kinds() == [QuestionKind.CHOICE, QuestionKind.PASSPHRASE]
    assert ask.asked[1].confirm_twice
    path = vault_path(AppPaths.from_environment())
    assert DEMAND_SECRET.encode() not in path.read_bytes()
    reopened = VaultStore(path, "a long vault passphrase")
    assert reopened.get("My demand", SecretKind.CLIENT_SECRET) == DEMAND_SECRET
    assert "Encrypted vault file" in dialog.form.secret_location.text()


def test_problems_show_beside_their_fields(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    dialog = open_dialog(window, qtbot)
    fill_new_profile(dialog, qtbot)
    form = dialog.form
    form.audience.selectAll()
    qtbot.keyClicks(form.audience, "https://example.com")
    audience = form.issue_labels["audience"]
    assert audience.isVisible() and "urn:partner-api" in audience.text()
    assert dialog.save_button.isEnabled()  # a warning does not stop saving
    form.client_id.clear()
    assert form.issue_labels["client_id"].isVisible()
    assert not dialog.save_button.isEnabled()
    form.flow.setCurrentIndex(form.flow.findData("authorization_code"))
    form.redirect_uri.setText("https://example.com/callback")
    assert "127.0.0.1" in form.issue_labels["redirect_uri"].text()


def test_the_demo_profile_is_read_only(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    dialog = open_dialog(window, qtbot)
    assert dialog.form.name.text() == "Sandbox demo"
    assert not dialog.form.client_secret.isEnabled()
    assert not dialog.save_button.isEnabled()
    assert "public demo value" in dialog.form.read_only_note.text()


def test_export_and_import_share_profiles_without_secrets(  # type: ignore[no-untyped-def]
    session_window, qtbot, tmp_path: Path
) -> None:
    export = tmp_path / "team.json"
    ask = ScriptedAsk(choice=1, save_file=str(export), open_file=str(export), confirm=[True])
    window = session_window(ask)
    dialog = open_dialog(window, qtbot)
    fill_new_profile(dialog, qtbot)
    save_and_wait(dialog, qtbot)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "Exported 1 profile" in dialog.status.text()
    assert DEMAND_SECRET.encode() not in export.read_bytes()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)  # confirmed
    assert controller_of(window).profiles.names() == []
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert controller_of(window).profiles.names() == ["My demand"]
    assert "added My demand" in dialog.status.text()


def select_profile_row(dialog: ProfileDialog, name: str) -> None:
    rows = [dialog.profile_list.item(i) for i in range(dialog.profile_list.count())]
    dialog.profile_list.setCurrentItem(next(r for r in rows if r.text().startswith(name)))


def test_a_locked_vault_is_named_where_the_secret_is(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    save_profile_with_secret(sandbox_profile(), DEMAND_SECRET)  # as the command line leaves it
    ask = ScriptedAsk()
    window = session_window(ask)
    dialog = open_dialog(window, qtbot)
    select_profile_row(dialog, "My demand")
    location = dialog.form.secret_location.text()
    assert location.startswith("Stored in: Encrypted vault file")
    assert str(vault_path(AppPaths.from_environment())) in location
    assert "a fallback you choose" not in location
    assert ask.asked == []  # naming the place asked for no passphrase
    assert dialog.profile_list.minimumWidth() >= 240
    assert dialog.profile_list.currentItem().toolTip().startswith("My demand")


def test_cancelled_or_wrong_vault_passphrase_is_said_plainly(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    save_profile_with_secret(sandbox_profile(), DEMAND_SECRET)
    ask = ScriptedAsk(passphrase=["not the passphrase", None])
    window = session_window(ask)
    dialog = open_dialog(window, qtbot)
    select_profile_row(dialog, "My demand")
    qtbot.keyClicks(dialog.form.client_secret, "a-new-secret")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved the profile"), timeout=10000)
    assert QuestionKind.WARNING in ask.kinds()  # the wrong passphrase, as a warning
    assert QuestionKind.INFO not in ask.kinds()
    assert "The vault stays locked: the secret was not saved" in dialog.status.text()
    assert "Save again to enter the passphrase" in dialog.status.text()
    assert "no place was chosen" not in dialog.status.text()


def test_demo_profiles_stay_read_only_after_the_sandbox_moves(session_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = session_window()
    controller = controller_of(window)
    stale = controller.demo_profiles[0].with_changes(redirect_uri="http://127.0.0.1:1/old")
    assert controller.is_demo(stale)  # the same built-in profile, seen before the move
    dialog = open_dialog(window, qtbot)
    dialog.edit(stale)
    assert not dialog.form.client_secret.isEnabled()
    assert "public demo value" in dialog.form.read_only_note.text()


def test_the_form_says_one_client_per_flow(qtbot) -> None:  # type: ignore[no-untyped-def]
    from explorer.core.profiles import ONE_CLIENT_PER_FLOW
    from explorer.ui.session.profile_form import ProfileForm

    form = ProfileForm()
    qtbot.addWidget(form)
    assert "one oauth client per flow" in ONE_CLIENT_PER_FLOW.lower()
    assert form.flow.toolTip() == ONE_CLIENT_PER_FLOW
    assert form.client_id.toolTip() == ONE_CLIENT_PER_FLOW
    assert "flow" in form.client_id.placeholderText()
