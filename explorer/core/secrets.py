"""Where secrets live: client secrets, refresh tokens and cached access tokens.

:class:`SecretStore` is the protocol; the implementations are the OS keychain
(:class:`KeyringStore`, through ``keyring``), an encrypted vault file unlocked by a
passphrase (:class:`VaultStore`: Fernet with a Scrypt-derived key) and memory for this run
only (:class:`MemoryStore`). There is no plain-text store. :func:`choose_secret_store` picks
the keychain when one works and otherwise makes the user choose a fallback, recording the
choice (never the passphrase) in the settings file.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from explorer.core.files import DocumentError, VersionedDocument, atomic_write, file_stamp, locked
from explorer.paths import AppPaths

SERVICE_NAME = "thumbtack-explorer"


class SecretKind(StrEnum):
    """The kinds of secret kept per profile: OAuth's three, and the one secret of each
    other kind of authentication (HTTP Basic's password, a fixed bearer token, an API key)."""

    CLIENT_SECRET = "client_secret"
    REFRESH_TOKEN = "refresh_token"
    ACCESS_TOKEN = "access_token"
    PASSWORD = "password"
    BEARER_TOKEN = "bearer_token"
    API_KEY = "api_key"
    #: the value of a secret ``{{variable}}`` (the "profile" is its scope and name)
    VARIABLE = "variable"


class SecretBackend(StrEnum):
    """The user's choice of store, as recorded in the settings."""

    KEYRING = "keyring"
    VAULT = "vault"
    MEMORY = "memory"


class SecretStoreError(Exception):
    """A store could not be used; the message says why and what to do."""


class WrongPassphrase(SecretStoreError):
    """The vault's passphrase is wrong (or the file was damaged). The file is untouched."""


@runtime_checkable
class SecretStore(Protocol):
    """Get, set and delete one secret by (profile name, kind)."""

    @property
    def location(self) -> str:
        """Where the secrets are, in words for the UI."""
        ...

    def get(self, profile: str, kind: SecretKind) -> str | None: ...

    def set(self, profile: str, kind: SecretKind, value: str) -> None: ...

    def delete(self, profile: str, kind: SecretKind) -> None: ...


def forget_profile(store: SecretStore, profile: str) -> None:
    """Delete every secret of ``profile``."""
    for kind in SecretKind:
        store.delete(profile, kind)


class MemoryStore:
    """Secrets kept in this process only; gone when the program exits."""

    def __init__(self, *, note: str = "") -> None:
        self._values: dict[tuple[str, SecretKind], str] = {}
        self._note = note

    @property
    def location(self) -> str:
        return "Memory only (this run)" + (f": {self._note}" if self._note else "")

    def get(self, profile: str, kind: SecretKind) -> str | None:
        return self._values.get((profile, kind))

    def set(self, profile: str, kind: SecretKind, value: str) -> None:
        self._values[(profile, kind)] = value

    def delete(self, profile: str, kind: SecretKind) -> None:
        self._values.pop((profile, kind), None)


def keyring_status(backend: Any | None = None) -> tuple[bool, str]:
    """Whether the OS keychain can be used, and its name or the reason it cannot."""
    try:
        import keyring
        from keyring.backends import fail

        chosen = backend if backend is not None else keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration must not stop the program
        return False, f"the keyring package failed to load ({exc})"
    if isinstance(chosen, fail.Keyring) or getattr(chosen, "priority", 1) <= 0:
        return False, "no OS keychain service is running (common on headless Linux)"
    if type(chosen).__name__ == "ChainerBackend" and not getattr(chosen, "backends", ()):
        return False, "no OS keychain service is running (common on headless Linux)"
    return True, _backend_name(chosen)


def _backend_name(backend: Any) -> str:
    name = getattr(backend, "name", "") or type(backend).__name__
    return str(name).split(" ")[0].rsplit(".", 1)[-1]


class KeyringStore:
    """The OS keychain (macOS Keychain, Windows Credential Locker, Secret Service)."""

    def __init__(self, backend: Any | None = None) -> None:
        import keyring

        self._backend = backend if backend is not None else keyring.get_keyring()

    @property
    def location(self) -> str:
        return f"OS keychain ({_backend_name(self._backend)})"

    def _user(self, profile: str, kind: SecretKind) -> str:
        return f"{profile}:{kind.value}"

    def get(self, profile: str, kind: SecretKind) -> str | None:
        from keyring.errors import KeyringError

        try:
            value = self._backend.get_password(SERVICE_NAME, self._user(profile, kind))
        except KeyringError as exc:
            raise SecretStoreError(
                f"The OS keychain refused to read the {kind.value} of '{profile}' ({exc}). "
                "Unlock the keychain and try again."
            ) from exc
        return None if value is None else str(value)

    def set(self, profile: str, kind: SecretKind, value: str) -> None:
        from keyring.errors import KeyringError

        try:
            self._backend.set_password(SERVICE_NAME, self._user(profile, kind), value)
        except KeyringError as exc:
            raise SecretStoreError(
                f"The OS keychain refused to store the {kind.value} of '{profile}' ({exc}). "
                "Unlock the keychain and try again."
            ) from exc

    def delete(self, profile: str, kind: SecretKind) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self._backend.delete_password(SERVICE_NAME, self._user(profile, kind))
        except PasswordDeleteError:
            return
        except KeyringError as exc:
            raise SecretStoreError(
                f"The OS keychain refused to delete the {kind.value} of '{profile}' ({exc})."
            ) from exc


_MAGIC = b"TTXVAULT1\n"
_SALT_BYTES = 16
#: The Scrypt costs (log2 of N) this program writes: 15 by default, 12 for quick tests.
#: Anything else in a file is damage (23 would take half a minute and gigabytes).
VAULT_COSTS = range(12, 16)
DEFAULT_VAULT_COST = 15


class VaultStore:
    """Secrets in one file encrypted with Fernet; the key is derived by Scrypt from a
    passphrase and a random salt kept in the file's header. Every write is atomic.

    The window and command-line runs share the file: each change takes the file's
    inter-process lock, reads the file again and applies only that change; a read sees
    what another process stored since.
    """

    def __init__(
        self, path: Path, passphrase: str, *, scrypt_log2_n: int = DEFAULT_VAULT_COST
    ) -> None:
        if not passphrase:
            raise SecretStoreError("The vault needs a passphrase; an empty one protects nothing.")
        if scrypt_log2_n not in VAULT_COSTS:
            raise ValueError(f"scrypt_log2_n must be in {VAULT_COSTS}")
        self.path = path
        self._passphrase = passphrase.encode("utf-8")
        self._values: dict[str, str] = {}
        self._log2_n = scrypt_log2_n
        self._salt = os.urandom(_SALT_BYTES)
        self._fernet: Any = None
        self._stamp: tuple[int, int, int] | None = None
        if not self._reload():
            self._fernet = self._make_fernet()

    @property
    def location(self) -> str:
        return f"Encrypted vault file {self.path}"

    def _damaged(self, what: str) -> SecretStoreError:
        return SecretStoreError(
            f"The vault file {self.path} is damaged ({what}); the secrets in it cannot be "
            "read. Move the file away (rename it), then store the client secrets again with "
            "'profile add' or the profile editor."
        )

    def _reload(self) -> bool:
        """Read the file if it changed since the last read; False when there is none."""
        stamp = file_stamp(self.path)
        if stamp is None:
            self._stamp = None
            return False
        if stamp == self._stamp:
            return True
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            self._stamp = None
            return False
        log2_n, salt, token = self._read_header(raw)
        if self._fernet is None or (log2_n, salt) != (self._log2_n, self._salt):
            self._log2_n, self._salt = log2_n, salt
            self._fernet = self._make_fernet()
        self._values = self._decrypt(token)
        self._stamp = stamp
        return True

    def _read_header(self, raw: bytes) -> tuple[int, bytes, bytes]:
        head = len(_MAGIC)
        if not raw.startswith(_MAGIC) or len(raw) < head + 1 + _SALT_BYTES:
            raise SecretStoreError(
                f"{self.path} is not a vault file written by this program; move it away "
                "(secrets stored there cannot be read)."
            )
        log2_n = raw[head]
        if log2_n not in VAULT_COSTS:
            raise self._damaged(
                f"its header asks for key cost {log2_n}, which this program never writes"
            )
        salt = raw[head + 1 : head + 1 + _SALT_BYTES]
        return log2_n, salt, raw[head + 1 + _SALT_BYTES :]

    def _make_fernet(self) -> Any:
        from cryptography.fernet import Fernet
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        kdf = Scrypt(salt=self._salt, length=32, n=2**self._log2_n, r=8, p=1)
        return Fernet(base64.urlsafe_b64encode(kdf.derive(self._passphrase)))

    def _decrypt(self, token: bytes) -> dict[str, str]:
        from cryptography.fernet import InvalidToken

        try:
            plain = self._fernet.decrypt(token)
        except InvalidToken:
            raise WrongPassphrase(
                f"The passphrase does not open the vault {self.path}. Type it again; the file "
                "has not been changed."
            ) from None
        try:
            data = json.loads(plain.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise self._damaged("its contents are not a secrets table") from None
        if not isinstance(data, dict):
            raise SecretStoreError(f"{self.path} holds no secrets table; move it away.")
        return {str(k): str(v) for k, v in data.items()}

    def _key(self, profile: str, kind: SecretKind) -> str:
        return f"{profile}\x00{kind.value}"

    def _change(self, key: str, value: str | None) -> None:
        """Set (or, with None, delete) one secret in the file as it is now."""
        with contextlib.ExitStack() as held:
            try:
                held.enter_context(locked(self.path))
            except DocumentError as exc:
                raise SecretStoreError(str(exc)) from None
            self._reload()
            if value is None:
                if self._values.pop(key, None) is None:
                    return
            else:
                self._values[key] = value
            token = self._fernet.encrypt(json.dumps(self._values).encode("utf-8"))
            header = _MAGIC + bytes([self._log2_n]) + self._salt
            atomic_write(self.path, header + token, mode=0o600)
            self._stamp = file_stamp(self.path)

    def get(self, profile: str, kind: SecretKind) -> str | None:
        self._reload()
        return self._values.get(self._key(profile, kind))

    def set(self, profile: str, kind: SecretKind, value: str) -> None:
        self._change(self._key(profile, kind), value)

    def delete(self, profile: str, kind: SecretKind) -> None:
        self._change(self._key(profile, kind), None)


def vault_path(paths: AppPaths) -> Path:
    return paths.data / "vault.bin"


#: ``ask_passphrase(creating)``: the passphrase for the vault; ``creating`` is True when the
#: vault does not exist yet (ask twice). Raise to give up.
AskPassphrase = Callable[[bool], str]
#: ``choose_fallback(reason)``: VAULT or MEMORY, shown to the user with the reason.
ChooseFallback = Callable[[str], SecretBackend]

_SETTINGS = VersionedDocument(kind="settings", version=1, migrations={})


def recorded_backend(paths: AppPaths) -> SecretBackend | None:
    """The store the user chose before, from the settings file."""
    try:
        document = _SETTINGS.load(paths.settings_file, default=dict)
    except DocumentError:
        return None
    value = document.get("secret_store", "")
    try:
        return SecretBackend(value) if value else None
    except ValueError:
        return None


def record_backend(paths: AppPaths, backend: SecretBackend) -> None:
    """Record the choice in the settings file, keeping every other setting."""
    with contextlib.suppress(DocumentError):
        document = _SETTINGS.load(paths.settings_file, default=dict)
        document["secret_store"] = backend.value
        _SETTINGS.save(paths.settings_file, document)


def choose_secret_store(
    paths: AppPaths,
    *,
    prefer: SecretBackend | None = None,
    ask_passphrase: AskPassphrase | None = None,
    choose_fallback: ChooseFallback | None = None,
    keyring_backend: Any | None = None,
) -> SecretStore:
    """The store to use: ``prefer``, else the recorded choice, else the OS keychain if it
    works, else the fallback the user picks through ``choose_fallback``. Without a chooser
    (a non-interactive run) the secrets stay in memory for this run, and ``location`` says so.
    """
    usable, detail = keyring_status(keyring_backend)
    wanted = prefer or recorded_backend(paths)
    if wanted is SecretBackend.KEYRING and not usable:
        if prefer is not None:
            raise SecretStoreError(
                f"The OS keychain cannot be used: {detail}. Choose the "
                "encrypted vault or memory only."
            )
        wanted = None  # the keychain went away since the choice was made: ask again
    if wanted is None and vault_path(paths).exists():
        # the settings were reset or lost, but a vault is there: the user chose it before
        # (the keychain would be a new, empty store)
        wanted = SecretBackend.VAULT
    if wanted is None and usable:
        wanted = SecretBackend.KEYRING
    if wanted is None:
        if choose_fallback is None:
            return MemoryStore(note=f"{detail}; secrets are forgotten when the program exits")
        wanted = choose_fallback(detail)
    store = _open(paths, wanted, ask_passphrase, keyring_backend)
    if wanted is not recorded_backend(paths):
        record_backend(paths, wanted)
    return store


def _open(
    paths: AppPaths,
    backend: SecretBackend,
    ask_passphrase: AskPassphrase | None,
    keyring_backend: Any | None,
) -> SecretStore:
    if backend is SecretBackend.KEYRING:
        return KeyringStore(keyring_backend)
    if backend is SecretBackend.MEMORY:
        return MemoryStore()
    if ask_passphrase is None:
        raise SecretStoreError(
            "The encrypted vault needs a passphrase, and none can be asked "
            "for here; run interactively or choose memory only."
        )
    path = vault_path(paths)
    return VaultStore(path, ask_passphrase(not path.exists()))
