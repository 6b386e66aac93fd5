"""Per-endpoint drafts: what the user typed, kept across endpoint switches and restarts.

This module owns the drafts file (``drafts.json`` in the data directory): one versioned
JSON document, written atomically, keyed by the catalog's title and the endpoint's key.
A damaged file is set aside and reported (:class:`~explorer.core.files.DocumentError`),
never emptied in place.

No secret is written: a header whose name says it holds a credential (``Authorization``,
``Cookie``, ``X-Api-Key``, ``*-Token``...) is left out, a parameter or variable holding a
secret (``access_token``, ``client_secret``, a JWT...) is kept with an empty value, and
the body text passes through the storage redactor, so a secret typed into it comes back as
the mask and must be typed again. ``{{variable}}`` references are kept as they are.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from explorer.core.builder import RequestInputs
from explorer.core.files import VersionedDocument
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.redact_rules import is_reference, is_secret_header, is_secret_key
from explorer.paths import AppPaths

DRAFTS_FILE = "drafts.json"
_DOCUMENT = VersionedDocument(kind="drafts", version=1, migrations={})


def _empty() -> dict[str, Any]:
    return {"version": 1, "catalogs": {}}


def without_secrets(inputs: RequestInputs) -> RequestInputs:
    """``inputs`` as it may be written to a file: secret headers dropped, secret parameter
    and variable values emptied, the body text redacted."""
    redactor = Redactor(RedactionPolicy.for_storage())

    def value(key: str, text: str) -> str:
        if is_reference(text):
            return text
        if is_secret_key(key) or redactor.redact_text(text) != text:
            return ""
        return text

    headers = tuple(
        (k, v)
        for k, v in inputs.headers
        if is_reference(v) or (not is_secret_header(k) and redactor.redact_text(v) == v)
    )
    body = inputs.body_text
    if body:
        raw = body.encode("utf-8", errors="surrogatepass")
        body = redactor.redact_body(raw).decode("utf-8", errors="surrogatepass")
    return RequestInputs(
        path_params={k: value(k, v) for k, v in inputs.path_params.items()},
        query_params=tuple((k, value(k, v)) for k, v in inputs.query_params),
        headers=headers,
        body_text=body,
        variables={k: value(k, v) for k, v in inputs.variables.items()},
    )


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
        """Keep ``inputs`` (with every secret left out) and save the file."""
        safe = without_secrets(inputs)
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
