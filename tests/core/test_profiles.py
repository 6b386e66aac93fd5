"""Profiles: validation with locations, the versioned file, broken files, export/import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.environments import PRODUCTION, STAGING, custom_environment, sandbox_environment
from explorer.core.models import Flow
from explorer.core.profiles import (
    IssueLevel,
    Profile,
    ProfileInvalid,
    ProfileNotFound,
    ProfileStore,
    validate_profile,
)
from explorer.paths import AppPaths


def store() -> ProfileStore:
    return ProfileStore(AppPaths.from_environment().ensure())


def profile(**changes: object) -> Profile:
    base = Profile(
        name="p", environment_id="staging", client_id="cid", scopes=("demand::keywords.read",)
    )
    return base.with_changes(**changes)


def messages(p: Profile, level: IssueLevel) -> list[str]:
    return [str(i) for i in validate_profile(p) if i.level is level]


def test_presets_match_the_reference() -> None:
    assert PRODUCTION.token_url == "https://auth.thumbtack.com/oauth2/token"
    assert PRODUCTION.authorize_url == "https://auth.thumbtack.com/oauth2/auth"
    assert STAGING.api_base == "https://staging-api.thumbtack.com/api/"
    assert STAGING.website == "https://staging-partner.thumbtack.com"
    sandbox = sandbox_environment("http://127.0.0.1:5000/api")
    assert sandbox.token_url == "http://127.0.0.1:5000/oauth2/token"


def test_custom_environment_reports_every_problem() -> None:
    with pytest.raises(ValueError) as caught:
        custom_environment(id="Bad Id", name="", api_base="ftp://x", token_url="ftp://y")
    text = str(caught.value)
    assert all(key in text for key in ("id:", "name:", "api_base:", "token_url:"))


def test_scope_rules() -> None:
    mixed = profile(scopes=("demand::keywords.read", "supply::messages.read"))
    errors = messages(mixed, IssueLevel.ERROR)
    assert any("mixes demand:: and supply::" in e for e in errors)
    assert any("profile.flow" in e and "authorization_code" in e for e in errors)
    unknown = messages(profile(scopes=("demand::keyword.read",)), IssueLevel.WARNING)
    assert any("profile.scopes[0]" in w and "not a documented" in w for w in unknown)
    code = profile(flow=Flow.AUTHORIZATION_CODE, scopes=("supply::messages.read",))
    assert any("offline_access" in w for w in messages(code, IssueLevel.WARNING))
    assert messages(code, IssueLevel.ERROR) == []
    cc = profile(scopes=("demand::keywords.read", "offline_access"))
    assert any("never gets" in w for w in messages(cc, IssueLevel.WARNING))
    assert any("502" in w for w in messages(profile(audience="urn:x"), IssueLevel.WARNING))


def test_round_trip_in_a_readable_versioned_file() -> None:
    s = store()
    s.save_environment(
        custom_environment(
            id="proxy",
            name="Proxy",
            api_base="https://p.example/api/",
            token_url="https://p.example/token",
        )
    )
    s.save_profile(profile(environment_id="proxy", extra_token_params=(("resource", "r"),)))
    document = json.loads(s.path.read_text())
    assert document["version"] == 1
    assert document["profiles"][0]["client_id"] == "cid"
    again = store()
    assert again.get("p") == s.get("p")
    assert again.environment("proxy").token_url == "https://p.example/token"
    with pytest.raises(ProfileNotFound, match="Known profiles: p"):
        again.get("q")


def test_unknown_environment_is_refused() -> None:
    with pytest.raises(ProfileInvalid, match="not a known environment"):
        store().save_profile(profile(environment_id="nowhere"))


def test_hand_broken_file_is_set_aside_and_reported_with_every_problem() -> None:
    s = store()
    s.save_profile(profile(name="good"))
    document = json.loads(s.path.read_text())
    document["profiles"].append(
        {
            "name": "",
            "environment": "staging",
            "client_id": "",
            "client_secret": "leaked",
            "flow": "implicit",
        }
    )
    s.path.write_text(json.dumps(document))
    fresh = store()
    problem = fresh.load()
    assert problem is not None and problem.path == fresh.path
    text = str(problem)
    for where in (
        "profiles[1].name",
        "profiles[1].client_id",
        "profiles[1].flow",
        "profiles[1].client_secret",
    ):
        assert where in text
    assert problem.backup is not None and "leaked" in problem.backup.read_text()
    assert fresh.names() == ["good"]  # the valid entry survives
    fresh.save_profile(profile(name="new"))
    assert problem.backup.exists()  # the user's text is never silently overwritten


def test_corrupt_json_is_set_aside(explorer_home: Path) -> None:
    s = store()
    s.path.parent.mkdir(parents=True, exist_ok=True)
    s.path.write_text('{"profiles": [')
    problem = s.load()
    assert problem is not None and "not valid JSON" in str(problem)
    assert problem.backup is not None and problem.backup.read_text() == '{"profiles": ['
    assert not s.path.exists()


def test_export_and_import_share_profiles_without_secrets(tmp_path: Path) -> None:
    s = store()
    s.save_environment(
        custom_environment(
            id="proxy",
            name="Proxy",
            api_base="https://p.example/",
            token_url="https://p.example/token",
        )
    )
    s.save_profile(profile(name="a", environment_id="proxy"))
    s.save_profile(profile(name="b"))
    shared = tmp_path / "team.json"
    assert s.export(shared, ["a"]) == ["a"]
    exported = json.loads(shared.read_text())
    assert [p["name"] for p in exported["profiles"]] == ["a"]
    assert [e["id"] for e in exported["environments"]] == ["proxy"]
    other = ProfileStore(
        AppPaths.from_environment({"THUMBTACK_EXPLORER_HOME": str(tmp_path / "o")})
    )
    report = other.import_file(shared)
    assert report.added == ("a",) and other.environment("proxy").name == "Proxy"
    assert other.import_file(shared).skipped == ("a",)
    assert other.import_file(shared, replace_existing=True).replaced == ("a",)
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"kind": "something-else"}')
    with pytest.raises(Exception, match="not a profiles file"):
        other.import_file(bogus)


@pytest.mark.parametrize(
    "name", ["client_assertion", "client_secret", "password", "refresh_token", "api_key"]
)
def test_secret_token_parameters_are_refused(name: str) -> None:
    bad = profile(extra_token_params=((name, "value-1"),))
    errors = messages(bad, IssueLevel.ERROR)
    assert any(f"extra_token_params.{name}" in e and "secret store" in e for e in errors)
    with pytest.raises(ProfileInvalid):
        store().save_profile(bad)
    fine = profile(extra_token_params=(("resource", "urn:x"),))
    assert not messages(fine, IssueLevel.ERROR)


def test_a_partly_invalid_file_is_copied_aside_once_however_often_it_is_read() -> None:
    s = store()
    s.save_profile(profile(name="good"))
    document = json.loads(s.path.read_text())
    document["profiles"].append({"name": "", "environment": "staging", "client_id": ""})
    s.path.write_text(json.dumps(document))
    reports = []
    for _ in range(10):
        again = store()
        reports.append((again.load() is not None, again.problem_known))
    backups = list(s.path.parent.glob("profiles.json.broken-*"))
    assert len(backups) == 1
    assert reports == [(True, False)] + [(True, True)] * 9


def test_another_processs_change_is_seen_and_kept_by_the_next_save() -> None:
    window, other = store(), store()
    window.save_profile(profile(name="from-window"))
    other.save_profile(profile(name="from-elsewhere"))
    assert window.changed_on_disk()
    window.save_profile(profile(name="from-window", client_id="changed"))
    assert window.names() == ["from-elsewhere", "from-window"]
    assert not window.changed_on_disk()
    other.remove("from-window")
    assert window.names() == ["from-elsewhere"]


def test_folders_are_private_and_exports_are_readable_by_the_user_only(
    tmp_path: Path,
) -> None:
    paths = AppPaths.from_environment({"THUMBTACK_EXPLORER_HOME": str(tmp_path / "new")})
    s = ProfileStore(paths.ensure())
    for folder in (paths.config, paths.data, paths.cache, paths.logs):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    s.save_profile(profile(name="a"))
    shared = tmp_path / "team.json"
    s.export(shared)
    assert shared.stat().st_mode & 0o777 == 0o600
    assert s.path.stat().st_mode & 0o777 == 0o600
