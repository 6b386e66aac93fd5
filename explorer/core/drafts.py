"""Per-endpoint drafts: what the user typed, kept across endpoint switches and restarts.

This module owns the drafts file (``drafts.json`` in the data directory): one versioned
JSON document, written atomically, keyed by the catalog's title and the endpoint's key.
A damaged file is set aside and reported (:class:`~explorer.core.files.DocumentError`),
never emptied in place. An ``Authorization`` header value is never stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from explorer.core.builder import RequestInputs
from explorer.core.files import VersionedDocument
from explorer.paths import AppPaths

DRAFTS_FILE = "drafts.json"
_DOCUMENT = VersionedDocument(kind="drafts", version=1, migrations={})
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization"})


def _empty() -> dict[str, Any]:
    return {"version": 1, "catalogs": {}}


class DraftStore:
    """Drafts of one user, read once and saved on every change.

    Call :meth:`load` first; when it raises ``DocumentError`` the damaged file has been
    set aside and the store starts empty, so later saves cannot overwrite it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._document: dict[str, Any] = _empty()

    @classmethod
    def for_paths(cls, paths: AppPaths) -> DraftStore:
        return cls(paths.data / DRAFTS_FILE)

    def load(self) -> None:
        self._document = _empty()
        document = _DOCUMENT.load(self.path, default=_empty)
        catalogs = document.get("catalogs")
        self._document = {"version": 1, "catalogs": catalogs if isinstance(catalogs, dict) else {}}

    def get(self, catalog: str, endpoint_key: str) -> RequestInputs | None:
        entry = self._document["catalogs"].get(catalog, {}).get(endpoint_key)
        if not isinstance(entry, dict):
            return None
        return RequestInputs.from_dict(entry.get("inputs", {}))

    def put(self, catalog: str, endpoint_key: str, inputs: RequestInputs) -> None:
        """Keep ``inputs`` (minus any Authorization value) and save the file."""
        safe = RequestInputs(
            path_params=inputs.path_params,
            query_params=inputs.query_params,
            headers=tuple(
                (k, v) for k, v in inputs.headers if k.strip().lower() not in _SECRET_HEADERS
            ),
            body_text=inputs.body_text,
            variables=inputs.variables,
        )
        entries = self._document["catalogs"].setdefault(catalog, {})
        entries[endpoint_key] = {
            "inputs": safe.to_dict(),
            "saved_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        self.save()

    def remove(self, catalog: str, endpoint_key: str) -> None:
        entries = self._document["catalogs"].get(catalog, {})
        if entries.pop(endpoint_key, None) is not None:
            self.save()

    def keys(self, catalog: str) -> tuple[str, ...]:
        return tuple(self._document["catalogs"].get(catalog, {}))

    def save(self) -> None:
        _DOCUMENT.save(self.path, self._document)
