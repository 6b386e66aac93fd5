"""Where the program keeps its files: config, data, cache and logs.

One module owns every directory. ``THUMBTACK_EXPLORER_HOME`` puts all of them under one
folder (tests, portable use, scripted checks); otherwise platformdirs picks the
platform's usual places.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HOME_ENV = "THUMBTACK_EXPLORER_HOME"
APP_NAME = "thumbtack-explorer"


@dataclass(frozen=True)
class AppPaths:
    """The program's directories. Created on first use by :meth:`ensure`."""

    config: Path
    data: Path
    cache: Path
    logs: Path

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> AppPaths:
        env = os.environ if environ is None else environ
        home = env.get(HOME_ENV, "").strip()
        if home:
            root = Path(home).expanduser().resolve()
            return cls(
                config=root / "config",
                data=root / "data",
                cache=root / "cache",
                logs=root / "logs",
            )
        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            config=Path(dirs.user_config_dir),
            data=Path(dirs.user_data_dir),
            cache=Path(dirs.user_cache_dir),
            logs=Path(dirs.user_log_dir),
        )

    def ensure(self) -> AppPaths:
        """Create the directories, readable by the user only (0700): they hold profiles,
        history and the vault. Folders the program did not create keep their mode."""
        for directory in (self.config, self.data, self.cache, self.logs):
            if not directory.is_dir():
                directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                os.chmod(directory, 0o700)
        return self

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.logs / "explorer.log"
