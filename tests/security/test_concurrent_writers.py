"""Several processes writing one program home lose nothing: profiles and vault secrets.

Two real processes each run ``profile add`` 40 times on the same home at the same time;
every profile and every secret must be there afterwards. Then the window's session (its
own ProfileStore and VaultStore, opened first) and a command-line run each add one: both
stay.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers.session_window import ScriptedAsk, controller_of, sandbox, session_window

from explorer.core.profiles import Profile, ProfileStore
from explorer.core.secrets import SecretKind, VaultStore, vault_path
from explorer.paths import AppPaths

PASSPHRASE = "a long test passphrase"
WORKER = Path(__file__).parents[1] / "helpers" / "add_profiles.py"
ADDS = 40
__all__ = ["sandbox", "session_window"]


def worker_env() -> dict[str, str]:
    return {
        **os.environ,
        "THUMBTACK_EXPLORER_VAULT_PASSPHRASE": PASSPHRASE,
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parents[2]), os.environ.get("PYTHONPATH", "")]
        ),
    }


def kept(paths: AppPaths, names: list[str]) -> tuple[int, int]:
    profiles = set(ProfileStore(paths).names())
    vault = VaultStore(vault_path(paths), PASSPHRASE)
    secrets = [vault.get(n, SecretKind.CLIENT_SECRET) for n in names]
    return (
        sum(n in profiles for n in names),
        sum(s == f"secret-of-{n}" for s, n in zip(secrets, names, strict=True)),
    )


def test_two_processes_adding_40_profiles_each_keep_all_80_and_their_secrets() -> None:
    paths = AppPaths.from_environment().ensure()
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), prefix, str(ADDS)],
            env=worker_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for prefix in ("a", "b")
    ]
    errors = [w.communicate(timeout=240)[1].decode() for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    names = [f"{p}-{i:02d}" for p in ("a", "b") for i in range(ADDS)]
    assert kept(paths, names) == (2 * ADDS, 2 * ADDS)


def test_the_window_and_a_command_line_run_keep_each_others_profile_and_secret() -> None:
    paths = AppPaths.from_environment().ensure()
    window_profiles = ProfileStore(paths)
    window_profiles.load()
    window_vault = VaultStore(vault_path(paths), PASSPHRASE, scrypt_log2_n=12)
    done = subprocess.run(
        [sys.executable, str(WORKER), "cli", "1"], env=worker_env(), capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()
    assert window_profiles.changed_on_disk()
    window_profiles.save_profile(
        Profile(name="window", environment_id="staging", client_id="id-window")
    )
    window_vault.set("window", SecretKind.CLIENT_SECRET, "secret-of-window")
    # the window sees the command line's profile and secret without being reopened
    assert "cli-00" in window_profiles.names()
    assert window_vault.get("cli-00", SecretKind.CLIENT_SECRET) == "secret-of-cli-00"
    assert kept(paths, ["cli-00", "window"]) == (2, 2)


def test_the_open_window_lists_a_profile_a_command_line_run_adds(  # type: ignore[no-untyped-def]
    session_window, qtbot
) -> None:
    window = session_window(ScriptedAsk())
    with qtbot.waitSignal(window.environment_ready, timeout=10000):
        window.environment_combo.setCurrentIndex(window.environment_combo.findText("Staging"))
    done = subprocess.run(
        [sys.executable, str(WORKER), "cli", "1"], env=worker_env(), capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()
    qtbot.waitUntil(lambda: window.profile_combo.findText("cli-00") >= 0, timeout=5000)
    assert "changed outside this window" in window.statusBar().currentMessage()
    # the window's own save keeps the command line's profile
    controller_of(window).profiles.save_profile(
        Profile(name="window", environment_id="staging", client_id="id-window")
    )
    assert {"cli-00", "window"} <= set(ProfileStore(AppPaths.from_environment()).names())
