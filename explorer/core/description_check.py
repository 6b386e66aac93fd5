"""Checking a whole description after it opened: every ``$ref``, then the OpenAPI rules.

Opening a description (:func:`explorer.core.catalog.load_catalog`) resolves nothing, so a
large file shows its endpoints at once; this module then walks every ``$ref`` (into the
other files of a multi-file description too) and runs openapi-spec-validator. Each
problem is a :class:`Finding` that names the file, the line and column where known, the
JSON path, and what to do. The window runs :func:`check_catalog` on a worker after the
endpoint tree is shown and lists the findings as warnings; ``load_catalog(validate=True)``
raises the first one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag

import referencing
import referencing.exceptions

from explorer.core.openapi_doc import (
    CatalogError,
    file_of,
    format_location,
    make_registry,
    reference_problem,
)

if TYPE_CHECKING:
    from explorer.core.catalog import Catalog

#: the validator stops after this many findings (a broken generator can make thousands)
MAX_FINDINGS = 200
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})


class CheckCancelled(Exception):
    """The check was stopped before it finished."""


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem of a description: where it is and what to do about it."""

    file: str
    location: str  # "line L, column C (json.path)" or just the JSON path
    message: str
    hint: str = "Fix this part of the description and open it again."
    error: bool = True

    def text(self) -> str:
        return f"{self.file} at {self.location}: {self.message}"

    def as_error(self, *, more: int = 0) -> CatalogError:
        plural = "s" if more > 1 else ""
        tail = f" ({more} more problem{plural} after this one)" if more > 0 else ""
        return CatalogError(
            self.file, f"{self.message}{tail}", location=self.location, hint=self.hint
        )

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "location": self.location, "message": self.message}


def check_catalog(
    catalog: Catalog, cancel: threading.Event | None = None, *, validator: bool = True
) -> list[Finding]:
    """Every problem of the description behind ``catalog``: broken ``$ref``s first (with
    the file they are written in), then what openapi-spec-validator reports.

    Raises :class:`CheckCancelled` soon after ``cancel`` is set.
    """
    findings = list(_reference_findings(catalog, cancel))
    if validator and not findings:
        findings += _validator_findings(catalog, cancel)
    return findings


def _stop(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise CheckCancelled


def _reference_findings(catalog: Catalog, cancel: threading.Event | None) -> Iterator[Finding]:
    reader = catalog.reader
    if reader is None:
        return
    root = make_registry(catalog.document, reader).resolver(base_uri=reader.base_uri)
    queue: list[tuple[Any, Any, str]] = [(catalog.document, root, reader.base_uri)]
    walked = {reader.base_uri}
    count = 0
    while queue:
        document, resolver, uri = queue.pop(0)
        in_root = uri == reader.base_uri
        for path, ref in _iter_refs(document, ()):
            count += 1
            if count % 2000 == 0:
                _stop(cancel)
            try:
                resolved = resolver.lookup(ref)
            except referencing.exceptions.Unresolvable as exc:
                why = reference_problem(exc, ref, uri)
                yield Finding(
                    file=reader.source if in_root else file_of(uri),
                    location=reader.locate(path) if in_root else format_location(path),
                    message=f"the reference {ref!r} points to nothing ({why})",
                    hint="Correct the $ref, add what it names, or put the file it names "
                    "beside the description.",
                )
                continue
            target_file = urldefrag(str(getattr(resolved.resolver, "_base_uri", ""))).url
            if target_file and target_file not in walked:
                walked.add(target_file)
                try:
                    whole = resolved.resolver.lookup(target_file)
                except referencing.exceptions.Unresolvable:
                    continue
                queue.append((whole.contents, whole.resolver, target_file))


def _iter_refs(node: Any, path: tuple[object, ...]) -> Iterator[tuple[tuple[object, ...], str]]:
    stack: list[tuple[Any, tuple[object, ...]]] = [(node, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                yield (*where, "$ref"), ref
            for key, value in reversed(current.items()):
                if key != "$ref" and key not in _DATA_KEYS and isinstance(value, dict | list):
                    stack.append((value, (*where, key)))
        elif isinstance(current, list):
            for index in range(len(current) - 1, -1, -1):
                if isinstance(current[index], dict | list):
                    stack.append((current[index], (*where, index)))


def _validator_findings(catalog: Catalog, cancel: threading.Event | None) -> list[Finding]:
    reader = catalog.reader
    if reader is None:
        return []
    # Imported here: the validator costs ~0.4 s to import and opening does not need it.
    from openapi_spec_validator.shortcuts import get_validator_cls
    from openapi_spec_validator.validation.exceptions import ValidatorDetectError

    try:
        validator_cls = get_validator_cls(catalog.document)
    except ValidatorDetectError:
        return [
            Finding(
                file=reader.source,
                location=reader.locate(("openapi",)),
                message=f"the OpenAPI version {catalog.openapi_version!r} is not supported",
                hint="Use openapi: 3.0.x or 3.1.x.",
            )
        ]
    base_uri = reader.base_uri if reader.base_uri.startswith("file:") else ""
    findings: list[Finding] = []
    try:
        errors = validator_cls(catalog.document, base_uri=base_uri).iter_errors()
        for error in errors:
            _stop(cancel)
            findings.append(_finding(catalog, error))
            if len(findings) >= MAX_FINDINGS:
                break
    except CheckCancelled:
        raise
    except (referencing.exceptions.Unresolvable, LookupError, TypeError, ValueError):
        # The rules of OpenAPI could not all be applied; the shape of the file still can.
        for error in validator_cls.schema_validator.iter_errors(catalog.document):
            findings.append(_finding(catalog, error))
            if len(findings) >= MAX_FINDINGS:
                break
    except RecursionError:
        findings.append(
            Finding(
                file=reader.source,
                location="(top level)",
                message="the validator could not check this description (it nests too deep)",
                hint="Check it with an OpenAPI linter.",
                error=False,
            )
        )
    return findings


def _finding(catalog: Catalog, error: Any) -> Finding:
    assert catalog.reader is not None
    path = tuple(getattr(error, "absolute_path", ()) or ())
    # the validator's first paragraph says what is wrong; the rest repeats the whole value
    message = str(getattr(error, "message", error)).split("\n\n", 1)[0].strip()
    if len(message) > 300:
        message = message[:300] + "…"
    return Finding(
        file=catalog.reader.source,
        location=catalog.reader.locate(path),
        message=message,
    )


__all__ = ["MAX_FINDINGS", "CheckCancelled", "Finding", "check_catalog"]
