"""The profile editor: credential profiles and environments, export and import.

Profiles are saved to the profiles file (never with a secret); the client secret goes to
the secret store off the GUI thread, and the dialog says where it lives. Where no keychain
exists, the first secret saved asks the user to choose an encrypted vault or memory only.
Every question goes through the controller's ``ask``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.files import DocumentError
from explorer.core.profiles import (
    AuthKind,
    IssueLevel,
    Profile,
    ProfileInvalid,
    ProfileIssue,
    validate_profile,
)
from explorer.ui.ask import Question, QuestionKind
from explorer.ui.session.controller import SessionController
from explorer.ui.session.environment_editor import EnvironmentEditor
from explorer.ui.session.profile_form import ProfileForm
from explorer.ui.session.style import make_checks_visible, style_session_widget

DEMO_NOTE = (
    "The Sandbox demo profile is built in and works as it is: its secret is the Sandbox's "
    "public demo value, kept in memory. Create a new profile for your own client."
)


class ProfileDialog(QDialog):
    """Edit, add, delete, export and import profiles; edit custom environments."""

    saved = Signal(object)  # Profile

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Profiles and environments")
        self.setObjectName("profileDialog")
        self.resize(900, 640)
        self.controller = controller
        self.editing: Profile | None = None

        self.tabs = QTabWidget()
        self.profile_list = QListWidget()
        self.profile_list.setObjectName("profileList")
        self.profile_list.setMinimumWidth(240)
        self.profile_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.new_button = QPushButton("New profile")
        self.delete_button = QPushButton("Delete")
        self.form = ProfileForm()
        self.status = QLabel("")
        self.status.setObjectName("profileStatus")
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("saveProfile")
        self.save_button.setDefault(True)

        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setWidget(self.form)
        right = QVBoxLayout()
        right.addWidget(self.form_scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        right.addLayout(bottom)
        page = QWidget()
        page_layout = QHBoxLayout(page)
        page_layout.addLayout(left, 2)
        page_layout.addLayout(right, 5)
        self.tabs.addTab(page, "Profiles")
        self.environments = EnvironmentEditor(controller)
        self.tabs.addTab(self.environments, "Environments")

        self.import_button = QPushButton("Import…")
        self.export_button = QPushButton("Export…")
        self.close_button = QPushButton("Close")
        self.file_note = QLabel(f"Profiles file: {controller.profiles.path} (no secrets inside)")
        self.file_note.setProperty("role", "dim")
        footer = QHBoxLayout()
        footer.addWidget(self.file_note, 1)
        for button in (self.import_button, self.export_button, self.close_button):
            footer.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(footer)

        self.profile_list.currentItemChanged.connect(self.on_list_current_changed)
        self.new_button.clicked.connect(self.on_new_clicked)
        self.delete_button.clicked.connect(self.on_delete_clicked)
        self.save_button.clicked.connect(self.on_save_clicked)
        self.import_button.clicked.connect(self.on_import_clicked)
        self.export_button.clicked.connect(self.on_export_clicked)
        self.close_button.clicked.connect(self.accept)
        self.form.changed.connect(self.on_form_changed)
        self.environments.saved.connect(self.on_environments_saved)
        style_session_widget(self)
        make_checks_visible(self.form.scope_picker.tree)
        self.on_environments_saved()
        self.reload(select=controller.profile.name if controller.profile else None)
        self._guard_damaged_file()

    # ----- list -----------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for profile in self.controller.all_profiles():
            env_name = self._env_name(profile.environment_id)
            item = QListWidgetItem(f"{profile.name}\n{env_name} · {profile.flow.value}")
            item.setData(Qt.ItemDataRole.UserRole, profile.name)
            item.setToolTip(f"{profile.name}\n{env_name} · {profile.flow.value}")
            self.profile_list.addItem(item)
            if profile.name == select:
                self.profile_list.setCurrentItem(item)
        self.profile_list.blockSignals(False)
        if self.profile_list.currentItem() is None and self.profile_list.count():
            self.profile_list.setCurrentRow(0)
        self.on_list_current_changed(self.profile_list.currentItem(), None)

    def _env_name(self, env_id: str) -> str:
        try:
            return self.controller.environment_for(env_id).name
        except KeyError:
            return f"{env_id} (unknown)"

    def _profile(self, name: str) -> Profile | None:
        return next((p for p in self.controller.all_profiles() if p.name == name), None)

    @Slot(QListWidgetItem, QListWidgetItem)
    def on_list_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is None:
            return
        profile = self._profile(str(current.data(Qt.ItemDataRole.UserRole)))
        if profile is not None:
            self.edit(profile)

    def edit(self, profile: Profile | None) -> None:
        """Show ``profile`` in the form (None: a new, empty profile)."""
        self.editing = profile
        demo = self.controller.is_demo(profile)
        shown = profile or Profile(
            name="", environment_id=self.controller.environment.id, client_id=""
        )
        self.form.load(
            shown,
            secret_location=self.controller.store_location(shown),
            read_only=DEMO_NOTE if demo else "",
        )
        self.delete_button.setEnabled(profile is not None and not demo)
        self.status.setText("")

    def focus_scopes(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.form_scroll.ensureWidgetVisible(self.form.scope_picker)
        self.form.scope_picker.tree.setFocus()

    # ----- validation and saving ------------------------------------------------------------
    def current_issues(self) -> list[ProfileIssue]:
        if self.controller.is_demo(self.editing):
            return []
        profile = self._model()
        issues = validate_profile(profile)
        previous = self.editing.name if self.editing else None
        taken = {p.name for p in self.controller.all_profiles()} - {previous}
        if profile.name in taken:
            issues.append(
                ProfileIssue(
                    location="profile.name",
                    message=f"'{profile.name}' is already a profile; choose another name",
                )
            )
        needs_secret = profile.auth.secret_kind is not None
        if (
            needs_secret
            and not self.form.secret()
            and (self.editing is None or previous != profile.name)
        ):
            what = {
                AuthKind.BASIC: "type the password for this user name",
                AuthKind.BEARER: "type the token to send as Bearer",
                AuthKind.API_KEY: "type the API key",
            }.get(profile.auth, "type the client secret Thumbtack issued with the client ID")
            issues.append(
                ProfileIssue(
                    location="profile.client_secret",
                    message=what,
                    level=IssueLevel.WARNING,
                )
            )
        return issues

    def _model(self) -> Profile:
        extra = self.editing.extra_token_params if self.editing else ()
        return self.form.to_model(extra)

    @Slot()
    def on_form_changed(self) -> None:
        issues = self.current_issues()
        self.form.show_issues(issues)
        errors = any(i.level is IssueLevel.ERROR for i in issues)
        demo = self.controller.is_demo(self.editing)
        self.save_button.setEnabled(not errors and not demo and not self._damaged_file())
        if errors:
            self._say("Fix the problems marked ✖ to save.", "error")
        elif not self.status.text().startswith("Saved"):
            self._say("")

    def _say(self, text: str, role: str = "dim") -> None:
        self.status.setText(text)
        self.status.setProperty("role", role)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    @Slot()
    def on_save_clicked(self) -> None:
        profile = self._model()
        previous = self.editing
        try:
            self.controller.profiles.save_profile(
                profile, previous_name=previous.name if previous else None
            )
        except ProfileInvalid as exc:
            self.form.show_issues(list(exc.issues))
            self._say("Fix the problems marked ✖ to save.", "error")
            return
        except OSError as exc:
            self._say(f"Could not write {self.controller.profiles.path}: {exc}", "error")
            return
        self.editing = profile
        token_fields_changed = previous is not None and (
            previous.with_changes(name=profile.name) != profile
        )
        secret = self.form.secret()
        self.save_button.setEnabled(False)
        self._say("Profile written; storing the secret…" if secret else "Saving…")
        self.controller.save_secret(
            profile,
            secret or None,
            previous_name=previous.name if previous else None,
            forget_tokens=token_fields_changed or bool(secret),
            then=lambda location: self._saved(profile, bool(secret), location),
            on_cancel=lambda: self._saved(profile, False, ""),
        )

    def _saved(self, profile: Profile, secret_written: bool, location: str) -> None:
        self.form.client_secret.clear()
        self.reload(select=profile.name)
        self.controller.profiles_changed.emit()
        if secret_written:
            self._say(f"Saved. The client secret is stored in: {location}.", "ok")
        elif location:
            self._say(f"Saved. Secrets of this profile live in: {location}.", "ok")
        elif self.controller.unlock_cancelled:
            self._say(
                "Saved the profile. The vault stays locked: the secret was not saved. "
                "Save again to enter the passphrase.",
                "warning",
            )
        else:
            self._say(
                "Saved the profile, but not its client secret: no place was chosen for "
                "secrets. Type the secret and save again to choose.",
                "warning",
            )
        self.saved.emit(profile)

    @Slot()
    def on_new_clicked(self) -> None:
        self.profile_list.clearSelection()
        self.edit(None)
        self.form.name.setFocus()

    @Slot()
    def on_delete_clicked(self) -> None:
        profile = self.editing
        if profile is None or self.controller.is_demo(profile):
            return
        if not self.controller.ask(
            Question(
                kind=QuestionKind.CONFIRM,
                title="Delete profile",
                text=f"Delete the profile '{profile.name}' and forget its secrets and tokens?",
            )
        ):
            return
        self.controller.profiles.remove(profile.name)
        self.controller.forget_secrets(profile.name)
        self.controller.profiles_changed.emit()
        self.reload()
        self._say(f"Deleted '{profile.name}'.")

    # ----- export and import ----------------------------------------------------------------
    @Slot()
    def on_export_clicked(self) -> None:
        answer = self.controller.ask(
            Question(
                kind=QuestionKind.SAVE_FILE,
                title="Export profiles",
                text=str(Path.home() / "thumbtack-profiles.json"),
            )
        )
        if not answer:
            return
        try:
            names = self.controller.profiles.export(Path(str(answer)))
        except OSError as exc:
            self._say(f"Could not export to {answer}: {exc.strerror or exc}", "error")
            return
        self._say(f"Exported {len(names)} profile(s) to {answer}. No secrets are inside.", "ok")

    @Slot()
    def on_import_clicked(self) -> None:
        answer = self.controller.ask(
            Question(kind=QuestionKind.OPEN_FILE, title="Import profiles", text="")
        )
        if not answer:
            return
        path = Path(str(answer))
        try:
            report = self.controller.profiles.import_file(path)
            if report.skipped and self.controller.ask(
                Question(
                    kind=QuestionKind.CONFIRM,
                    title="Import profiles",
                    text=f"{', '.join(report.skipped)} already exist. Replace them with the "
                    "imported ones?",
                )
            ):
                report = self.controller.profiles.import_file(path, replace_existing=True)
        except DocumentError as exc:
            self._say(f"Nothing was imported: {exc}", "error")
            return
        self.controller.profiles_changed.emit()
        self.on_environments_saved()
        self.reload()
        parts = [
            f"added {', '.join(report.added)}" if report.added else "",
            f"replaced {', '.join(report.replaced)}" if report.replaced else "",
            f"kept your {', '.join(report.skipped)}" if report.skipped else "",
        ]
        summary = "; ".join(p for p in parts if p) or "nothing new"
        self._say(f"Imported: {summary}. Exports hold no secrets: type each client secret.", "ok")

    # ----- environments and damaged files ---------------------------------------------------
    @Slot()
    def on_environments_saved(self) -> None:
        self.form.set_environments(self.controller.environments())
        self.environments.reload(
            select=self.environments.editing.id if self.environments.editing else None
        )

    def _damaged_file(self) -> bool:
        """A profiles file that could not be read and was NOT set aside must not be
        overwritten (e.g. one written by a newer version)."""
        problem = self.controller.profiles.problem
        return problem is not None and problem.backup is None and problem.path.exists()

    def _guard_damaged_file(self) -> None:
        problem = self.controller.profiles.problem
        if problem is None:
            return
        if self._damaged_file():
            self._say(f"Read only: {problem} Nothing will be saved over it.", "error")
            for button in (self.save_button, self.delete_button, self.import_button):
                button.setEnabled(False)
        else:
            self._say(f"{problem}", "warning")
