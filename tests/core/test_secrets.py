"""Secret stores: keychain when usable, an explicit fallback otherwise, never plain text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from explorer.core.secrets import (
    KeyringStore,
    MemoryStore,
    SecretBackend,
    SecretKind,
    SecretStore,
    SecretStoreError,
    VaultStore,
    WrongPassphrase,
    choose_secret_store,
    forget_profile,
    recorded_backend,
)
from explorer.paths import AppPaths


class DictKeyring(KeyringBackend):
    """A working keychain backend kept in a dict (stands in for the OS service)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.values:
            raise PasswordDeleteError("not found")
        del self.values[(service, username)]


def paths() -> AppPaths:
    return AppPaths.from_environment().ensure()


@pytest.mark.parametrize("make", [MemoryStore, lambda: KeyringStore(DictKeyring())])
def test_get_set_delete(make) -> None:  # type: ignore[no-untyped-def]
    store: SecretStore = make()
    assert store.get("p", SecretKind.CLIENT_SECRET) is None
    store.set("p", SecretKind.CLIENT_SECRET, "s")
    store.set("p", SecretKind.REFRESH_TOKEN, "r")
    assert store.get("p", SecretKind.CLIENT_SECRET) == "s"
    store.delete("p", SecretKind.CLIENT_SECRET)
    store.delete("p", SecretKind.CLIENT_SECRET)  # deleting twice is fine
    forget_profile(store, "p")
    assert store.get("p", SecretKind.REFRESH_TOKEN) is None


def test_vault_is_encrypted_and_reopens_with_the_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "vault.bin"
    vault = VaultStore(path, "correct horse", scrypt_log2_n=12)
    vault.set("p", SecretKind.CLIENT_SECRET, "the-client-secret")
    assert b"the-client-secret" not in path.read_bytes()
    assert "Encrypted vault file" in vault.location and str(path) in vault.location
    assert (
        VaultStore(path, "correct horse").get("p", SecretKind.CLIENT_SECRET) == "the-client-secret"
    )


def test_wrong_passphrase_is_clear_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "vault.bin"
    VaultStore(path, "right", scrypt_log2_n=12).set("p", SecretKind.ACCESS_TOKEN, "t")
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase, match="has not been changed"):
        VaultStore(path, "wrong")
    assert path.read_bytes() == before
    path.write_bytes(b"plain text, not a vault")
    with pytest.raises(SecretStoreError, match="not a vault file"):
        VaultStore(path, "right")


def test_no_keychain_without_a_chooser_means_memory_for_this_run() -> None:
    store = choose_secret_store(paths(), keyring_backend=fail.Keyring())
    assert isinstance(store, MemoryStore) and "Memory only" in store.location
    assert recorded_backend(paths()) is None  # nothing was chosen, nothing recorded


def test_no_keychain_asks_and_records_the_vault_choice() -> None:
    reasons: list[str] = []

    def choose(reason: str) -> SecretBackend:
        reasons.append(reason)
        return SecretBackend.VAULT

    creating: list[bool] = []

    def ask(is_new: bool) -> str:
        creating.append(is_new)
        return "pass phrase"

    store = choose_secret_store(
        paths(), keyring_backend=fail.Keyring(), choose_fallback=choose, ask_passphrase=ask
    )
    assert isinstance(store, VaultStore) and reasons and "keychain" in reasons[0]
    store.set("p", SecretKind.CLIENT_SECRET, "s")
    settings = json.loads(paths().settings_file.read_text())
    assert settings["secret_store"] == "vault"
    assert "pass phrase" not in paths().settings_file.read_text()
    again = choose_secret_store(paths(), keyring_backend=fail.Keyring(), ask_passphrase=ask)
    assert again.get("p", SecretKind.CLIENT_SECRET) == "s"
    assert creating == [True, False]


def test_a_working_keychain_is_used_and_recorded() -> None:
    store = choose_secret_store(paths(), keyring_backend=DictKeyring())
    assert isinstance(store, KeyringStore) and store.location.startswith("OS keychain (")
    assert recorded_backend(paths()) is SecretBackend.KEYRING


def test_asking_for_the_keychain_where_there_is_none_is_a_clear_error() -> None:
    with pytest.raises(SecretStoreError, match="encrypted vault or memory"):
        choose_secret_store(paths(), prefer=SecretBackend.KEYRING, keyring_backend=fail.Keyring())


@pytest.mark.parametrize("cost", [0, 11, 16, 23, 40, 255])
def test_a_vault_whose_cost_byte_was_changed_is_reported_damaged_at_once(
    tmp_path: Path, cost: int
) -> None:
    path = tmp_path / "vault.bin"
    VaultStore(path, "right", scrypt_log2_n=12).set("p", SecretKind.CLIENT_SECRET, "s")
    raw = bytearray(path.read_bytes())
    raw[10] = cost  # the byte after the 10-byte magic
    path.write_bytes(bytes(raw))
    with pytest.raises(SecretStoreError, match=r"is damaged .*Move the file away"):
        VaultStore(path, "right")
    assert path.read_bytes() == bytes(raw)  # left for the user to keep or move


def test_a_vault_with_a_damaged_header_or_body_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "vault.bin"
    VaultStore(path, "right", scrypt_log2_n=12).set("p", SecretKind.CLIENT_SECRET, "s")
    good = path.read_bytes()
    path.write_bytes(good[:14])  # cut inside the salt
    with pytest.raises(SecretStoreError, match="not a vault file"):
        VaultStore(path, "right")
    path.write_bytes(good[:40] + b"\x00garbage")
    with pytest.raises(SecretStoreError, match="has not been changed"):
        VaultStore(path, "right")


def test_a_vault_sees_what_another_store_wrote_to_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "vault.bin"
    first = VaultStore(path, "right", scrypt_log2_n=12)
    second = VaultStore(path, "right", scrypt_log2_n=12)  # opened before the file existed
    first.set("a", SecretKind.CLIENT_SECRET, "secret-a")
    second.set("b", SecretKind.CLIENT_SECRET, "secret-b")
    assert first.get("b", SecretKind.CLIENT_SECRET) == "secret-b"
    assert VaultStore(path, "right").get("a", SecretKind.CLIENT_SECRET) == "secret-a"
    first.delete("b", SecretKind.CLIENT_SECRET)
    assert second.get("b", SecretKind.CLIENT_SECRET) is None
