"""Paths follow THUMBTACK_EXPLORER_HOME; settings round-trip and survive a broken file."""

from __future__ import annotations

from pathlib import Path

from explorer.core.settings import Settings, SettingsStore, ThemeChoice
from explorer.paths import AppPaths
from explorer.resources import resource_path, resources_root


def test_home_variable_puts_everything_under_one_folder(explorer_home: Path) -> None:
    paths = AppPaths.from_environment().ensure()
    for directory in (paths.config, paths.data, paths.cache, paths.logs):
        assert directory.is_dir()
        assert explorer_home in directory.parents


def test_platformdirs_without_home() -> None:
    paths = AppPaths.from_environment({})
    assert "thumbtack-explorer" in str(paths.config)


def test_settings_round_trip(explorer_home: Path) -> None:
    paths = AppPaths.from_environment().ensure()
    store = SettingsStore(paths.settings_file)
    store.save(Settings(theme=ThemeChoice.DARK, font_scale=1.25, splitters={"main": "AAA="}))
    loaded = SettingsStore(paths.settings_file).load()
    assert loaded.theme is ThemeChoice.DARK
    assert loaded.font_scale == 1.25
    assert loaded.splitters == {"main": "AAA="}


def test_broken_settings_give_defaults_and_are_kept_aside(explorer_home: Path) -> None:
    paths = AppPaths.from_environment().ensure()
    paths.settings_file.write_text("{not json")
    store = SettingsStore(paths.settings_file)
    assert store.load() == Settings()
    assert store.problem is not None and store.problem.backup is not None
    assert store.problem.backup.read_text() == "{not json"


def test_resources_are_found() -> None:
    assert resources_root().is_dir()
    assert resource_path().is_dir()
