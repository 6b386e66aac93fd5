"""The program's own settings (theme, window state, last environment, presentation mode).

A small versioned JSON document in the config directory, written atomically. A broken
file is set aside and reported; the program then starts with defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from explorer.core.files import DocumentError, VersionedDocument

SETTINGS_DOCUMENT = VersionedDocument(kind="settings", version=1, migrations={})


class ThemeChoice(StrEnum):
    SYSTEM = "system"
    DARK = "dark"
    LIGHT = "light"
    HIGH_CONTRAST = "high-contrast"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the window remembers between runs. Never holds a secret."""

    theme: ThemeChoice = ThemeChoice.SYSTEM
    window_geometry: str = ""  # base64 of Qt's saveGeometry()
    window_state: str = ""  # base64 of Qt's saveState()
    splitters: dict[str, str] = field(default_factory=dict)  # name -> base64 state
    environment_id: str = "sandbox"
    profile_name: str = ""
    presentation_mode: bool = False
    font_scale: float = 1.0
    request_timeout_s: float = 30.0
    secret_store: str = ""  # "keyring", "vault" or "memory": the user's choice
    saved_requests_dir: str = ""
    last_endpoint: str = ""

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


class SettingsStore:
    """Loads and saves :class:`Settings` at one path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: DocumentError | None = None

    def load(self) -> Settings:
        """Read the settings; on a broken file, remember the problem and return defaults."""
        try:
            document = SETTINGS_DOCUMENT.load(self.path, default=dict)
        except DocumentError as exc:
            self.problem = exc
            return Settings()
        known = {f.name for f in fields(Settings)}
        values = {k: v for k, v in document.items() if k in known}
        try:
            if "theme" in values:
                values["theme"] = ThemeChoice(values["theme"])
            settings = Settings(**values)
        except (TypeError, ValueError) as exc:
            self.problem = DocumentError(self.path, f"a value is not valid ({exc})")
            return Settings()
        return settings

    def save(self, settings: Settings) -> None:
        """Write ``settings``, keeping what others recorded in the same file since they
        were loaded: the secret-store choice (:func:`explorer.core.secrets.record_backend`)
        and keys this version does not know."""
        try:
            on_disk = dict(SETTINGS_DOCUMENT.load(self.path, default=dict))
        except DocumentError:
            on_disk = {}
        document = {**on_disk, **asdict(settings)}
        document["theme"] = settings.theme.value
        if not settings.secret_store and on_disk.get("secret_store"):
            document["secret_store"] = on_disk["secret_store"]
        SETTINGS_DOCUMENT.save(self.path, document)
