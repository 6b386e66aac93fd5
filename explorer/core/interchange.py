"""What every import produces and every export reads: plans of saved requests, and suites.

An import (HAR, Postman, another suite) never writes straight away: it builds an
:class:`ImportPlan` the user previews (what will be created, which secrets were set aside,
what could not be translated), then :func:`apply_plan` writes it into the saved-requests
folder. A *suite* is a folder of saved requests; an optional ``.suite.json`` beside them
keeps the suite's name, description and (non-secret) variables, so a Postman collection's
variables survive the round trip.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from explorer.core.files import atomic_write, dump_json
from explorer.core.models import RequestSpec
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.saved import (
    SUFFIX,
    SavedRequest,
    SavedRequestError,
    SavedRequestStore,
    request_file_name,
)
from explorer.core.secret_refs import SecretRef, template_secrets

SUITE_FILE = ".suite.json"
MAX_EXAMPLE_BODY = 256 * 1024


class InterchangeError(ValueError):
    """A file could not be imported at all; the message says why and what to do."""


@dataclass(frozen=True, kw_only=True)
class ImportedRequest:
    """One request an import will create, in a folder (``"a/b"``, ``""`` for the top)."""

    folder: str
    request: SavedRequest


@dataclass(frozen=True, kw_only=True)
class ImportPlan:
    """What an import will create, set aside and leave out. Holds no secret value in a
    request: secrets are ``{{references}}``, their values only in ``secrets``."""

    source: str  # "HAR 1.2", "Postman collection v2.1", "suite"
    title: str
    requests: tuple[ImportedRequest, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)
    secrets: tuple[SecretRef, ...] = ()
    notes: tuple[str, ...] = ()  # what could not be translated, and why

    def preview(self) -> list[str]:
        """The preview, in words: one line per request, then secrets and notes."""
        count = len(self.requests)
        lines = [f"{self.source} “{self.title}”: {count} request{'s' * (count != 1)}"]
        for item in self.requests:
            where = f"{item.folder}/" if item.folder else ""
            example = (
                f"  (example: {item.request.example.get('status')})" if item.request.example else ""
            )
            lines.append(
                f"  {where}{item.request.name}: {item.request.method} {item.request.url}{example}"
            )
        if self.variables:
            lines.append("Variables:")
            lines += [f"  {key} = {value}" for key, value in self.variables.items()]
        if self.secrets:
            lines.append("Secrets set aside (not written; offered to be stored as secrets):")
            lines += [f"  {{{{{ref.name}}}}} from {ref.where}" for ref in self.secrets]
        if self.notes:
            lines.append("Not translated:")
            lines += [f"  - {note}" for note in self.notes]
        return lines


class SecretCollector:
    """Takes secrets out of requests of one import, one name per distinct value."""

    def __init__(self, known_secrets: Iterable[str] = ()) -> None:
        self.known = tuple(known_secrets)
        self.refs: list[SecretRef] = []

    def add(self, ref: SecretRef) -> str:
        """Keep ``ref`` (renamed if its name is taken by another value); return the name."""
        for kept in self.refs:
            if kept.value == ref.value:
                return kept.name
        taken = {kept.name for kept in self.refs}
        name, counter = ref.name, 2
        while name in taken:
            name, counter = f"{ref.name}_{counter}", counter + 1
        self.refs.append(replace(ref, name=name))
        return name

    def template(self, spec: RequestSpec) -> RequestSpec:
        templated = template_secrets(spec, self.known)
        renames = {ref.name: self.add(ref) for ref in templated.secrets}
        result = templated.spec
        if any(old != new for old, new in renames.items()):

            def sub(text: str) -> str:
                for old, new in renames.items():
                    text = text.replace("{{" + old + "}}", "{{" + new + "}}")
                return text

            result = replace(
                result,
                url=sub(result.url),
                headers=tuple((k, sub(v)) for k, v in result.headers),
                body=None if result.body is None else sub(result.body.decode()).encode(),
            )
        return result


def make_example(
    status: int,
    reason: str,
    headers: Iterable[tuple[str, str]],
    body: bytes | None,
    content_type: str = "",
    *,
    notes: list[str] | None = None,
    name: str = "",
) -> dict[str, Any]:
    """An example response for a saved request, redacted for storage; binary or large
    bodies are left out (and said so in ``notes``)."""
    redactor = Redactor(RedactionPolicy.for_storage())
    kept = [
        [key, redactor.redact_header_value(key, value)]
        for key, value in headers
        if key.lower() not in ("set-cookie", "content-length") and not key.startswith(":")
    ]
    text: str | None = None
    if body:
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError:
            decoded = None
        if decoded is None or "\x00" in decoded:
            if notes is not None:
                notes.append(
                    f"The response of '{name}' is binary ({content_type or 'no type'}, "
                    f"{len(body)} bytes): it was not kept as an example."
                )
        elif len(body) > MAX_EXAMPLE_BODY:
            if notes is not None:
                notes.append(
                    f"The response of '{name}' is {len(body)} bytes: only the status and "
                    "headers were kept as an example."
                )
        else:
            text = redactor.redact_body(body, content_type).decode("utf-8", errors="replace")
    return {"status": status, "reason": reason, "headers": kept, "body": text}


def unique_name(name: str, taken: set[str]) -> str:
    base = " ".join(name.split()) or "request"
    candidate, counter = base, 2
    while candidate.lower() in taken:
        candidate, counter = f"{base} ({counter})", counter + 1
    taken.add(candidate.lower())
    return candidate


def apply_plan(plan: ImportPlan, store: SavedRequestStore, *, under: str = "") -> list[str]:
    """Write the plan's requests under the folder ``under``; never overwrites a file (a
    name that exists gets `` (2)``). Returns the relative paths written."""
    written: list[str] = []
    for item in plan.requests:
        folder = "/".join(part for part in (under, item.folder) if part)
        file_name = request_file_name(item.request.name)
        relative = f"{folder}/{file_name}" if folder else file_name
        counter = 2
        while (store.root / relative).exists():
            stem = file_name[: -len(SUFFIX)]
            candidate = f"{stem} ({counter}){SUFFIX}"
            relative = f"{folder}/{candidate}" if folder else candidate
            counter += 1
        written.append(store.save(relative, item.request, overwrite=False))
    if plan.variables or plan.title:
        target = store.root.joinpath(*PurePosixPath(under).parts) if under else store.root
        write_suite_meta(target, name=plan.title, variables=plan.variables)
    return written


# -- suites --------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Suite:
    """A folder of saved requests as one set: for exports and for importing it elsewhere."""

    name: str
    description: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    requests: tuple[ImportedRequest, ...] = ()
    problems: tuple[str, ...] = ()  # files that could not be read, with the reason


def write_suite_meta(folder: Path, *, name: str, variables: dict[str, str]) -> None:
    path = folder / SUITE_FILE
    document: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            document = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            document = {}
    merged = dict(document.get("variables") or {})
    merged.update(variables)
    document.update({"version": 1, "name": document.get("name") or name, "variables": merged})
    atomic_write(path, dump_json(document), mode=0o644)


def read_suite(root: Path) -> Suite:
    """Every saved request under ``root`` (folders kept), with the suite's name and variables.

    A file that cannot be read is listed in ``problems`` and left as it is."""
    if not root.is_dir():
        raise InterchangeError(f"{root} is not a folder of saved requests.")
    name, description, variables = root.name, "", {}
    meta = root / SUITE_FILE
    if meta.is_file():
        try:
            document = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InterchangeError(f"{meta} cannot be read ({exc}).") from exc
        if isinstance(document, dict):
            name = str(document.get("name") or name)
            description = str(document.get("description") or "")
            raw = document.get("variables")
            if isinstance(raw, dict):
                variables = {str(k): str(v) for k, v in raw.items()}
    store = SavedRequestStore(root)
    requests: list[ImportedRequest] = []
    problems: list[str] = []

    def walk(folder: Any) -> None:
        for relative in folder.requests:
            try:
                request = store.load(relative)
            except SavedRequestError as exc:
                problems.append(str(exc))
                continue
            requests.append(ImportedRequest(folder=folder.path, request=request))
        for sub in folder.folders:
            walk(sub)

    walk(store.tree())
    return Suite(
        name=name,
        description=description,
        variables=variables,
        requests=tuple(requests),
        problems=tuple(problems),
    )


def suite_plan(root: Path) -> ImportPlan:
    """Importing another suite (a colleague's folder) into this one."""
    suite = read_suite(root)
    return ImportPlan(
        source="suite",
        title=suite.name,
        requests=suite.requests,
        variables=suite.variables,
        notes=suite.problems,
    )
