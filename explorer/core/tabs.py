"""The window's request tabs as a file: what comes back after a restart.

This module owns ``tabs.json`` in the data directory: one versioned JSON document,
written atomically (:func:`~explorer.core.files.atomic_write`), listing the open tabs in
order (each tab's endpoint or free request, its inputs, whether it is pinned, and its last
answer) and which one was current. Nothing secret is written: inputs go through the same
filter as drafts (:func:`~explorer.core.drafts.without_secrets`), the answer through the
same storage redaction as the history (:meth:`Redactor.redact_record` with
:meth:`RedactionPolicy.for_storage`). A damaged file is set aside and reported
(:class:`~explorer.core.files.DocumentError`); the window then starts with no tabs.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.core.builder import RequestInputs
from explorer.core.drafts import without_secrets
from explorer.core.files import VersionedDocument
from explorer.core.history import (
    _record_from_dict,
    _record_to_dict,
    _spec_from_dict,
    _spec_to_dict,
)
from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.paths import AppPaths

TABS_FILE = "tabs.json"
#: The most of one answer's body the file keeps (the History keeps the whole body).
BODY_CAP_BYTES = 256 * 1024
_DOCUMENT = VersionedDocument(kind="tabs", version=1, migrations={})


@dataclass(frozen=True, kw_only=True)
class TabAnswer:
    """A tab's last answer: the record (redacted once written), its explanation and
    contract verdict (as their ``to_dict`` documents), and the inputs it answers."""

    record: ResponseRecord
    explanation: Mapping[str, Any] | None = None
    contract: Mapping[str, Any] | None = None
    #: the tab's inputs when the request was sent; None when they are not known
    inputs: RequestInputs | None = None


@dataclass(frozen=True, kw_only=True)
class TabSnapshot:
    """One tab as the file keeps it."""

    #: the endpoint's key (``Endpoint.key``); empty for a free request (a pasted URL)
    endpoint_key: str = ""
    #: for a free request: its method and URL (an endpoint's come from the description)
    method: str = "GET"
    url: str = ""
    inputs: RequestInputs = field(default_factory=RequestInputs)
    #: what "unsent changes" compares the inputs with (the last sent, or as opened)
    baseline: RequestInputs | None = None
    pinned: bool = False
    answer: TabAnswer | None = None


@dataclass(frozen=True, kw_only=True)
class TabSet:
    """The open tabs in order and the index of the current one."""

    tabs: tuple[TabSnapshot, ...] = ()
    current: int = 0


class TabStore:
    """Reads and writes the tabs file; :meth:`save` never writes a secret."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_paths(cls, paths: AppPaths) -> TabStore:
        return cls(paths.data / TABS_FILE)

    def load(self) -> TabSet:
        """The tabs in the file (none when there is no file). Raises ``DocumentError``
        when it cannot be read; a damaged file has then been set aside."""
        document = _DOCUMENT.load(self.path, default=lambda: {"version": 1, "tabs": []})
        raw_tabs = document.get("tabs")
        tabs = tuple(
            snapshot
            for entry in (raw_tabs if isinstance(raw_tabs, list) else [])
            if (snapshot := _snapshot_from(entry)) is not None
        )
        current = document.get("current", 0)
        if not isinstance(current, int) or not 0 <= current < max(1, len(tabs)):
            current = 0
        return TabSet(tabs=tabs, current=current)

    def save(self, tab_set: TabSet, *, known_secrets: Iterable[str] = ()) -> None:
        """Write ``tab_set`` atomically, every secret left out or masked."""
        _DOCUMENT.save(self.path, tabs_document(tab_set, known_secrets=known_secrets))


def tabs_document(tab_set: TabSet, *, known_secrets: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON document of ``tab_set`` as the file holds it (secrets removed)."""
    redactor = Redactor(RedactionPolicy.for_storage(tuple(known_secrets)))
    return {
        "version": 1,
        "current": tab_set.current,
        "tabs": [_snapshot_document(tab, redactor) for tab in tab_set.tabs],
    }


def _snapshot_document(tab: TabSnapshot, redactor: Redactor) -> dict[str, Any]:
    document: dict[str, Any] = {
        "endpoint": tab.endpoint_key,
        "method": tab.method,
        "url": redactor.redact_url(tab.url),
        "inputs": without_secrets(tab.inputs).to_dict(),
        "pinned": tab.pinned,
    }
    if tab.baseline is not None:
        document["baseline"] = without_secrets(tab.baseline).to_dict()
    if tab.answer is not None:
        document["answer"] = _answer_document(tab.answer, redactor)
    return document


def _answer_document(answer: TabAnswer, redactor: Redactor) -> dict[str, Any]:
    safe = redactor.redact_record(answer.record)
    body = safe.body[:BODY_CAP_BYTES]
    request_body = safe.request.body
    if request_body is not None:
        request_body = request_body[:BODY_CAP_BYTES]
    document: dict[str, Any] = {
        "request": _spec_to_dict(safe.request, truncated=request_body != safe.request.body),
        "request_body": _bytes_document(request_body),
        "response": _record_to_dict(safe, truncated=len(body) < len(safe.body)),
        "body": _bytes_document(body),
    }
    if answer.explanation is not None:
        document["explanation"] = redactor.redact_mapping(answer.explanation)
    if answer.contract is not None:
        document["contract"] = redactor.redact_mapping(answer.contract)
    if answer.inputs is not None:
        document["inputs"] = without_secrets(answer.inputs).to_dict()
    return document


def _bytes_document(data: bytes | None) -> dict[str, str] | None:
    """Bytes as JSON: as text when they are UTF-8, else base64."""
    if data is None:
        return None
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def _bytes_from(document: Any) -> bytes | None:
    if not isinstance(document, Mapping):
        return None
    if isinstance(document.get("text"), str):
        return str(document["text"]).encode("utf-8")
    if isinstance(document.get("base64"), str):
        try:
            return base64.b64decode(str(document["base64"]), validate=True)
        except ValueError:
            return None
    return None


def _inputs_from(document: Any) -> RequestInputs | None:
    return RequestInputs.from_dict(document) if isinstance(document, Mapping) else None


def _snapshot_from(entry: Any) -> TabSnapshot | None:
    """One tab back from the file; an entry that does not fit is dropped, not guessed."""
    if not isinstance(entry, Mapping):
        return None
    key = entry.get("endpoint", "")
    url = entry.get("url", "")
    if not isinstance(key, str) or not isinstance(url, str) or not (key or url):
        return None
    method = entry.get("method")
    return TabSnapshot(
        endpoint_key=key,
        method=method if isinstance(method, str) and method else "GET",
        url=url,
        inputs=_inputs_from(entry.get("inputs")) or RequestInputs(),
        baseline=_inputs_from(entry.get("baseline")),
        pinned=entry.get("pinned") is True,
        answer=_answer_from(entry.get("answer")),
    )


def _answer_from(document: Any) -> TabAnswer | None:
    if not isinstance(document, Mapping):
        return None
    try:
        spec: RequestSpec = _spec_from_dict(
            document["request"], _bytes_from(document.get("request_body"))
        )
        record = _record_from_dict(
            document["response"], spec, _bytes_from(document.get("body")) or b""
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    explanation = document.get("explanation")
    contract = document.get("contract")
    return TabAnswer(
        record=record,
        explanation=explanation if isinstance(explanation, Mapping) else None,
        contract=contract if isinstance(contract, Mapping) else None,
        inputs=_inputs_from(document.get("inputs")),
    )


def movable_order(pinned: Sequence[bool]) -> bool:
    """Whether tabs in this order keep every pinned tab before every other one."""
    seen_unpinned = False
    for flag in pinned:
        if flag and seen_unpinned:
            return False
        seen_unpinned = seen_unpinned or not flag
    return True
