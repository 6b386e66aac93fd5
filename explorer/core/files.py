"""Safe file writing and versioned JSON documents.

Every settings, profile or draft file goes through :func:`atomic_write` (write a temp
file beside the target, fsync, rename), so a crash never leaves half a file. A file
that cannot be read is set aside under a ``.broken-<time>`` name and reported, never
silently overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class DocumentError(Exception):
    """A settings-like file could not be used. The message names the path and the problem."""

    def __init__(self, path: Path, problem: str, backup: Path | None = None) -> None:
        self.path = path
        self.problem = problem
        self.backup = backup
        where = f" It was set aside as {backup}." if backup else ""
        super().__init__(f"{path}: {problem}.{where}")


def atomic_write(path: Path, data: bytes | str, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


#: How long a write waits for another copy of the program to finish its own write.
LOCK_TIMEOUT_S = 20.0


@contextlib.contextmanager
def locked(path: Path, *, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the inter-process lock of ``path`` (``<name>.lock`` beside it).

    Every read-change-write of a file shared by the window and command-line runs happens
    under it, so two writers never lose each other's changes. Not re-entrant across
    calls: take it once per change.
    """
    from filelock import FileLock, Timeout

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = FileLock(str(path.with_name(f"{path.name}.lock")), timeout=timeout_s, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise DocumentError(
            path,
            f"another copy of the program has been writing it for over {timeout_s:.0f} s; "
            "wait for it to finish (or close it) and try again. Nothing was changed",
        ) from None
    try:
        yield
    finally:
        lock.release()


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when another process replaces ``path`` (None: no file)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def set_aside(path: Path) -> Path:
    """Rename a damaged file out of the way and return where it went."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.broken-{stamp}")
    counter = 1
    while backup.exists():
        backup = path.with_name(f"{path.name}.broken-{stamp}-{counter}")
        counter += 1
    os.replace(path, backup)
    return backup


def dump_json(document: Any) -> str:
    """Stable, diff-friendly JSON: sorted keys, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class VersionedDocument:
    """A JSON file with a top-level ``version`` and migrations from older versions.

    ``migrations[n]`` turns a version-``n`` document into version ``n + 1``.
    """

    kind: str
    version: int
    migrations: dict[int, Callable[[dict[str, Any]], dict[str, Any]]]

    def load(self, path: Path, *, default: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Read ``path``; a missing file gives ``default()``; a broken one raises DocumentError
        after it has been set aside (so the next save cannot overwrite what the user had)."""
        if not path.exists():
            return default()
        try:
            raw = path.read_text(encoding="utf-8")
            document = json.loads(raw)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problem = _describe_json_error(exc)
            raise DocumentError(path, problem, set_aside(path)) from exc
        if not isinstance(document, dict):
            raise DocumentError(path, "the top level is not a JSON object", set_aside(path))
        found = document.get("version", 1)
        if not isinstance(found, int) or found < 1:
            raise DocumentError(
                path, f"'version' is {found!r}, not a positive whole number", set_aside(path)
            )
        if found > self.version:
            # Written by a newer program: leave it alone, do not set it aside.
            raise DocumentError(
                path,
                f"it is a version-{found} {self.kind} file, newer than this program understands "
                f"(version {self.version}); update the program",
            )
        while found < self.version:
            document = self.migrations[found](document)
            found += 1
            document["version"] = found
        result: dict[str, Any] = document
        return result

    def save(self, path: Path, document: dict[str, Any]) -> None:
        atomic_write(path, dump_json({**document, "version": self.version}))


def _describe_json_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    return f"it cannot be read ({exc})"
