"""The form that edits one credential profile, with its problems shown beside each field.

:class:`ScopePicker` lists the documented scopes by family and never lets demand:: and
supply:: be mixed (the other family is disabled once one is chosen, with a note).
:class:`ProfileForm` has ``load(profile)`` and ``to_model()``; the client secret it holds
is handed to the caller for the secret store and never kept in the profile.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.environments import Environment
from explorer.core.models import Flow
from explorer.core.profiles import (
    DEFAULT_REDIRECT_URI,
    DEMAND_SCOPES,
    OFFLINE_ACCESS,
    OIDC_SCOPES,
    ONE_CLIENT_PER_FLOW,
    PARTNER_AUDIENCE,
    SUPPLY_SCOPES,
    ApiKeyLocation,
    AuthKind,
    AuthMethod,
    IssueLevel,
    Profile,
    ProfileIssue,
)

OFFLINE_NOTE = (
    "offline_access asks for a refresh token, so an authorization-code sign-in keeps "
    "working after the access token expires (about an hour). Client credentials never get "
    "one: the program simply fetches a new token."
)
_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("General", OIDC_SCOPES),
    ("Demand (demand::)", DEMAND_SCOPES),
    ("Supply (supply::)", SUPPLY_SCOPES),
)


class ScopePicker(QWidget):
    """Checkable documented scopes, grouped; demand:: and supply:: are never mixed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setObjectName("scopeTree")
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumHeight(180)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.groups: dict[str, QTreeWidgetItem] = {}
        for title, scopes in _FAMILIES:
            group = QTreeWidgetItem(self.tree, [title])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.groups[title] = group
            for scope in scopes:
                item = QTreeWidgetItem(group, [scope])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                if scope == OFFLINE_ACCESS:
                    item.setToolTip(0, OFFLINE_NOTE)
                self.items[scope] = item
        self.tree.expandAll()
        self.family_note = QLabel("")
        self.family_note.setObjectName("scopeFamilyNote")
        self.family_note.setProperty("role", "dim")
        self.family_note.setWordWrap(True)
        self.offline_note = QLabel(OFFLINE_NOTE)
        self.offline_note.setProperty("role", "dim")
        self.offline_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.family_note)
        layout.addWidget(self.offline_note)
        self.tree.itemChanged.connect(self.on_tree_item_changed)
        self._update_families()

    def set_scopes(self, scopes: tuple[str, ...]) -> None:
        self.tree.blockSignals(True)
        for title in [t for t in self.groups if t == "Other"]:
            index = self.tree.indexOfTopLevelItem(self.groups.pop(title))
            self.tree.takeTopLevelItem(index)
        self.items = {s: i for s, i in self.items.items() if i.parent() in self.groups.values()}
        for scope in scopes:
            if scope not in self.items:
                other = self.groups.get("Other") or QTreeWidgetItem(self.tree, ["Other"])
                self.groups["Other"] = other
                item = QTreeWidgetItem(other, [scope])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                self.items[scope] = item
        for scope, item in self.items.items():
            item.setCheckState(
                0, Qt.CheckState.Checked if scope in scopes else Qt.CheckState.Unchecked
            )
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self._update_families()

    def scopes(self) -> tuple[str, ...]:
        return tuple(
            scope
            for scope, item in self.items.items()
            if item.checkState(0) == Qt.CheckState.Checked
        )

    def item(self, scope: str) -> QTreeWidgetItem:
        return self.items[scope]

    @Slot(QTreeWidgetItem, int)
    def on_tree_item_changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._update_families()
        self.changed.emit()

    def _update_families(self) -> None:
        chosen = self.scopes()
        demand = any(s.startswith("demand::") for s in chosen)
        supply = any(s.startswith("supply::") for s in chosen)
        self.tree.blockSignals(True)
        for scope, item in self.items.items():
            locked = (scope.startswith("supply::") and demand and not supply) or (
                scope.startswith("demand::") and supply and not demand
            )
            flags = Qt.ItemFlag.ItemIsUserCheckable
            if not locked:
                flags |= Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags)
        self.tree.blockSignals(False)
        if demand and not supply:
            note = (
                "supply:: scopes are disabled: a Thumbtack client is either demand:: or "
                "supply::, never both. Uncheck the demand:: scopes to pick supply:: ones."
            )
        elif supply and not demand:
            note = (
                "demand:: scopes are disabled: a Thumbtack client is either demand:: or "
                "supply::, never both. supply:: scopes need the authorization code flow."
            )
        else:
            note = "Pick the scopes Thumbtack granted your client: demand:: or supply::."
        self.family_note.setText(note)


def _issue_label(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(f"issue_{name}")
    label.setWordWrap(True)
    label.hide()
    return label


SECRET_LABELS = {
    AuthKind.OAUTH2: "Client secret",
    AuthKind.BASIC: "Password",
    AuthKind.BEARER: "Token",
    AuthKind.API_KEY: "API key",
}


class ProfileForm(QWidget):
    """Edits one profile; ``issues`` shows validation problems beside their fields."""

    changed = Signal()

    FIELDS = (
        "name",
        "environment",
        "auth",
        "username",
        "api_key_name",
        "api_key_in",
        "client_id",
        "client_secret",
        "flow",
        "scopes",
        "audience",
        "auth_method",
        "redirect_uri",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit()
        self.name.setObjectName("profileName")
        self.name.setPlaceholderText("e.g. Staging demand")
        self.environment = QComboBox()
        self.environment.setObjectName("profileEnvironment")
        self.auth = QComboBox()
        self.auth.setObjectName("profileAuth")
        for kind in AuthKind:
            self.auth.addItem(kind.label, kind)
        self.username = QLineEdit()
        self.username.setObjectName("profileUsername")
        self.api_key_name = QLineEdit()
        self.api_key_name.setObjectName("profileApiKeyName")
        self.api_key_name.setPlaceholderText("e.g. X-API-Key (the description's securitySchemes)")
        self.api_key_in = QComboBox()
        self.api_key_in.setObjectName("profileApiKeyIn")
        for where, label in (
            (ApiKeyLocation.HEADER, "A header"),
            (ApiKeyLocation.QUERY, "A query parameter"),
            (ApiKeyLocation.COOKIE, "A cookie"),
        ):
            self.api_key_in.addItem(label, where)
        self.client_id = QLineEdit()
        self.client_id.setObjectName("profileClientId")
        self.client_id.setPlaceholderText("The client Thumbtack issued for this profile's flow")
        self.client_id.setToolTip(ONE_CLIENT_PER_FLOW)
        self.client_secret = QLineEdit()
        self.client_secret.setObjectName("profileClientSecret")
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.client_secret.setPlaceholderText("Type to set or replace; empty keeps the stored one")
        self.secret_location = QLabel("")
        self.secret_location.setObjectName("secretLocation")
        self.secret_location.setProperty("role", "dim")
        self.secret_location.setWordWrap(True)
        self.flow = QComboBox()
        self.flow.setObjectName("profileFlow")
        self.flow.addItem("Client credentials (no user)", Flow.CLIENT_CREDENTIALS)
        self.flow.addItem("Authorization code (a user signs in)", Flow.AUTHORIZATION_CODE)
        self.flow.setToolTip(ONE_CLIENT_PER_FLOW)
        self.scope_picker = ScopePicker()
        self.audience = QLineEdit(PARTNER_AUDIENCE)
        self.audience.setObjectName("profileAudience")
        self.auth_method = QComboBox()
        self.auth_method.setObjectName("profileAuthMethod")
        self.auth_method.addItem("HTTP Basic (default)", AuthMethod.CLIENT_SECRET_BASIC)
        self.auth_method.addItem("In the request body", AuthMethod.CLIENT_SECRET_POST)
        self.redirect_uri = QLineEdit(DEFAULT_REDIRECT_URI)
        self.redirect_uri.setObjectName("profileRedirectUri")
        self.issue_labels = {name: _issue_label(name) for name in self.FIELDS}
        self.read_only_note = QLabel("")
        self.read_only_note.setProperty("role", "dim")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.hide()
        self._read_only = False

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.read_only_note)
        rows: tuple[tuple[str, str, QWidget], ...] = (
            ("Name", "name", self.name),
            ("Environment", "environment", self.environment),
            ("Authentication", "auth", self.auth),
            ("User name", "username", self.username),
            ("API key name", "api_key_name", self.api_key_name),
            ("API key sent in", "api_key_in", self.api_key_in),
            ("Client ID", "client_id", self.client_id),
            ("Client secret", "client_secret", self.client_secret),
            ("Flow", "flow", self.flow),
            ("Scopes", "scopes", self.scope_picker),
            ("Audience", "audience", self.audience),
            ("Client authentication", "auth_method", self.auth_method),
            ("Redirect URI", "redirect_uri", self.redirect_uri),
        )
        self._form = form
        self._rows = {key: widget for _title, key, widget in rows}
        for title, key, widget in rows:
            form.addRow(title, widget)
            if key == "client_secret":
                form.addRow("", self.secret_location)
            form.addRow("", self.issue_labels[key])

        for edit in (
            self.name,
            self.client_id,
            self.client_secret,
            self.audience,
            self.username,
            self.api_key_name,
        ):
            edit.textChanged.connect(self.changed)
        for combo in (self.auth, self.api_key_in):
            combo.currentIndexChanged.connect(self.changed)
        self.auth.currentIndexChanged.connect(self._show_auth_rows)
        self.redirect_uri.textChanged.connect(self.changed)
        for combo in (self.environment, self.flow, self.auth_method):
            combo.currentIndexChanged.connect(self.changed)
        self.scope_picker.changed.connect(self.changed)
        self.flow.currentIndexChanged.connect(self._update_redirect)
        self._update_redirect()
        self._show_auth_rows()

    def set_environments(self, environments: list[Environment]) -> None:
        current = self.environment.currentData()
        self.environment.blockSignals(True)
        self.environment.clear()
        for env in environments:
            self.environment.addItem(env.name, env.id)
        index = self.environment.findData(current)
        self.environment.setCurrentIndex(max(0, index))
        self.environment.blockSignals(False)

    def load(self, profile: Profile, *, secret_location: str, read_only: str = "") -> None:
        self.blockSignals(True)
        self.name.setText(profile.name)
        self.environment.setCurrentIndex(max(0, self.environment.findData(profile.environment_id)))
        self.auth.setCurrentIndex(max(0, self.auth.findData(profile.auth)))
        self.username.setText(profile.username)
        self.api_key_name.setText(profile.api_key_name)
        self.api_key_in.setCurrentIndex(max(0, self.api_key_in.findData(profile.api_key_in)))
        self.client_id.setText(profile.client_id)
        self.client_secret.clear()
        self.flow.setCurrentIndex(max(0, self.flow.findData(profile.flow)))
        self.scope_picker.set_scopes(profile.scopes)
        self.audience.setText(profile.audience)
        self.auth_method.setCurrentIndex(max(0, self.auth_method.findData(profile.auth_method)))
        self.redirect_uri.setText(profile.redirect_uri)
        self.secret_location.setText(f"Stored in: {secret_location}")
        self.blockSignals(False)
        self._read_only = bool(read_only)
        self.read_only_note.setText(read_only)
        self.read_only_note.setVisible(bool(read_only))
        for widget in (
            self.name,
            self.environment,
            self.auth,
            self.username,
            self.api_key_name,
            self.api_key_in,
            self.client_id,
            self.client_secret,
            self.flow,
            self.scope_picker,
            self.audience,
            self.auth_method,
        ):
            widget.setEnabled(not read_only)
        self._update_redirect()
        self._show_auth_rows()
        self.changed.emit()

    def to_model(self, extra: tuple[tuple[str, str], ...] = ()) -> Profile:
        return Profile(
            name=self.name.text().strip(),
            environment_id=str(self.environment.currentData() or ""),
            auth=self.auth_kind(),
            username=self.username.text(),
            api_key_name=self.api_key_name.text().strip(),
            api_key_in=ApiKeyLocation(self.api_key_in.currentData()),
            client_id=self.client_id.text().strip(),
            flow=Flow(self.flow.currentData()),
            scopes=self.scope_picker.scopes(),
            audience=self.audience.text().strip(),
            auth_method=AuthMethod(self.auth_method.currentData()),
            redirect_uri=self.redirect_uri.text().strip(),
            extra_token_params=extra,
        )

    def secret(self) -> str:
        return self.client_secret.text().strip()

    def auth_kind(self) -> AuthKind:
        data = self.auth.currentData()
        return AuthKind(data) if data else AuthKind.OAUTH2

    @Slot()
    def _show_auth_rows(self) -> None:
        """Show the fields of the chosen kind of authentication only; the secret's row is
        named after what it holds (client secret, password, token, API key)."""
        kind = self.auth_kind()
        oauth = kind is AuthKind.OAUTH2
        shown = {
            "username": kind is AuthKind.BASIC,
            "api_key_name": kind is AuthKind.API_KEY,
            "api_key_in": kind is AuthKind.API_KEY,
            "client_id": oauth,
            "client_secret": kind is not AuthKind.NONE,
            "flow": oauth,
            "scopes": oauth,
            "audience": oauth,
            "auth_method": oauth,
            "redirect_uri": oauth,
        }
        for key, visible in shown.items():
            self._form.setRowVisible(self._rows[key], visible)
            if not visible:
                self._form.setRowVisible(self.issue_labels[key], False)
        self._form.setRowVisible(self.secret_location, kind is not AuthKind.NONE)
        label = self._form.labelForField(self.client_secret)
        if isinstance(label, QLabel):
            label.setText(SECRET_LABELS.get(kind, "Client secret"))

    def show_issues(self, issues: list[ProfileIssue]) -> None:
        """Put each problem beside its field (errors red, warnings amber)."""
        grouped: dict[str, list[ProfileIssue]] = {key: [] for key in self.FIELDS}
        for issue in issues:
            key = issue.location.split(".", 1)[-1].split(".")[0].split("[")[0]
            grouped.get(key, grouped["name"]).append(issue)
        for key, label in self.issue_labels.items():
            found = grouped[key]
            if not found:
                label.hide()
                continue
            error = any(i.level is IssueLevel.ERROR for i in found)
            label.setProperty("role", "error" if error else "warning")
            label.style().unpolish(label)
            label.style().polish(label)
            label.setText("\n".join(("✖ " if error else "⚠ ") + i.message for i in found))
            label.show()

    @Slot()
    def _update_redirect(self) -> None:
        code = self.flow.currentData() == Flow.AUTHORIZATION_CODE
        self.redirect_uri.setEnabled(code and not self._read_only)
