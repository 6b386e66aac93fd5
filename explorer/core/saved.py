"""Saved requests: one human-readable ``*.request.json`` file per request, in folders.

The folder is the user's (often a git repository shared by a QA team), so every file is
written with sorted keys, a two-space indent and a trailing newline: saving the same
request twice gives the same bytes. No secret is ever written: an ``Authorization`` value
becomes ``{{access_token}}`` and anything else that looks like a secret (a JWT, a known
client secret or token, a credential header, a secret JSON or form field) is refused with a
message saying which part and how to replace it by a ``{{variable}}`` reference. A file that
cannot be read is reported with its path and problem and left exactly as it is.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from explorer.core.captures import Capture, CaptureError
from explorer.core.files import atomic_write, dump_json
from explorer.core.models import RequestSpec
from explorer.core.redact import RedactionPolicy, Redactor, is_reference
from explorer.core.variables import with_base_references

SUFFIX = ".request.json"
FORMAT_VERSION = 1
_BAD_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


class SavedRequestError(Exception):
    """A saved request could not be read, written or moved. Names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True, kw_only=True)
class SavedRequest:
    """What a saved-request file holds. ``body`` is parsed JSON, text, or None."""

    name: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: Any = None
    body_is_json: bool = False
    operation_id: str | None = None
    description: str = ""
    #: an example response kept with the request (from a HAR or a Postman collection):
    #: ``{"status": int, "reason": str, "headers": [[name, value]], "body": str}``
    example: dict[str, Any] | None = None
    #: values to take from each response into ``{{variables}}`` (``searchID <- $.searchID``)
    captures: tuple[Capture, ...] = ()
    #: what a suite run checks in the response, as written in the file (one object per
    #: assertion; read and judged by :mod:`explorer.core.suite`)
    assertions: tuple[dict[str, Any], ...] = ()
    #: the profile a suite run sends this request with ("" = the run's choice)
    profile: str = ""
    #: who sends it in a suite run, when no profile is named: "app" (client
    #: credentials), "customer" or "pro" (authorization code), as ``call --as`` says
    role: str = ""

    @classmethod
    def from_spec(
        cls,
        spec: RequestSpec,
        *,
        name: str,
        description: str = "",
        base_url: str = "",
        auth_base_url: str = "",
        captures: tuple[Capture, ...] = (),
    ) -> SavedRequest:
        """From a built request: the Authorization value becomes ``{{access_token}}`` and
        the environment's address ``{{base_url}}`` (a Sandbox port is never saved)."""
        headers = tuple(
            (key, _auth_reference(value) if key.lower() == "authorization" else value)
            for key, value in spec.headers
        )
        body: Any = None
        is_json = False
        if spec.body is not None:
            text = spec.body.decode("utf-8", errors="replace")
            try:
                body, is_json = json.loads(text), True
            except ValueError:
                body = text
        return cls(
            name=name,
            method=spec.method.upper(),
            url=with_base_references(spec.url, base_url=base_url, auth_base_url=auth_base_url),
            headers=headers,
            body=body,
            body_is_json=is_json,
            operation_id=spec.operation_id,
            description=description,
            captures=captures,
        )

    def to_spec(self) -> RequestSpec:
        """A request (``{{variables}}`` still in it: the caller substitutes them)."""
        body: bytes | None = None
        if self.body is not None:
            text = json.dumps(self.body, indent=2) if self.body_is_json else str(self.body)
            body = text.encode("utf-8")
        return RequestSpec(
            method=self.method,
            url=self.url,
            headers=self.headers,
            body=body,
            operation_id=self.operation_id,
        )

    def to_document(self) -> dict[str, Any]:
        document = self._document()
        if self.example is not None:
            document["example"] = self.example
        if self.captures:
            document["captures"] = [capture.to_dict() for capture in self.captures]
        # suite keys only when set: a request without them keeps its bytes
        if self.assertions:
            document["assertions"] = list(self.assertions)
        if self.profile:
            document["profile"] = self.profile
        if self.role:
            document["as"] = self.role
        return document

    def _document(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "name": self.name,
            "description": self.description,
            "method": self.method,
            "url": self.url,
            "operation_id": self.operation_id,
            "headers": [{"name": k, "value": v} for k, v in self.headers],
            "body": self.body,
            "body_format": "json" if self.body_is_json else ("text" if self.body else "none"),
        }

    @classmethod
    def from_document(cls, doc: Any, path: Path) -> SavedRequest:
        if not isinstance(doc, dict):
            raise SavedRequestError(path, "the top level is not a JSON object")
        version = doc.get("version", 1)
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise SavedRequestError(
                path, f"it is format version {version!r}; this program reads version 1"
            )
        problems = [
            f"'{key}' is missing or not text"
            for key in ("name", "method", "url")
            if not isinstance(doc.get(key), str)
        ]
        headers = doc.get("headers", [])
        if not isinstance(headers, list) or not all(
            isinstance(h, dict)
            and isinstance(h.get("name"), str)
            and isinstance(h.get("value"), str)
            for h in headers
        ):
            problems.append('\'headers\' must be a list of {"name": ..., "value": ...}')
        captures: list[Capture] = []
        raw_captures = doc.get("captures", [])
        if not isinstance(raw_captures, list):
            problems.append("'captures' must be a list")
        else:
            for index, item in enumerate(raw_captures):
                try:
                    captures.append(Capture.from_dict(item))
                except CaptureError as exc:
                    problems.append(f"captures[{index}]: {exc}")
        items = doc.get("assertions", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.append("'assertions' must be a list of objects")
        if not isinstance(doc.get("profile", ""), str):
            problems.append("'profile' must be a profile's name (text)")
        if doc.get("as", "") not in ("", "app", "customer", "pro"):
            problems.append("'as' must be app, customer or pro")
        if problems:
            raise SavedRequestError(path, "; ".join(problems))
        return cls(
            name=doc["name"],
            method=doc["method"].upper(),
            url=doc["url"],
            headers=tuple((h["name"], h["value"]) for h in headers),
            body=doc.get("body"),
            body_is_json=doc.get("body_format") == "json",
            operation_id=doc.get("operation_id"),
            description=str(doc.get("description", "")),
            example=doc["example"] if isinstance(doc.get("example"), dict) else None,
            captures=tuple(captures),
            assertions=tuple(doc.get("assertions", [])),
            profile=doc.get("profile", ""),
            role=doc.get("as", ""),
        )


@dataclass(frozen=True, kw_only=True)
class SavedFolder:
    """A folder in the tree: its relative path, sub-folders and request files."""

    path: str  # relative to the root, "" for the root itself, "/"-separated
    folders: tuple[SavedFolder, ...] = ()
    requests: tuple[str, ...] = field(default=())  # relative file paths

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


def _auth_reference(value: str) -> str:
    if is_reference(value):
        return value
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() == "bearer" or not rest:
        return "Bearer {{access_token}}" if rest else "{{access_token}}"
    return value if is_reference(rest) else f"{scheme} {{{{access_token}}}}"


def find_secrets(request: SavedRequest, known_secrets: Iterable[str] = ()) -> list[str]:
    """Every part of ``request`` that looks like a secret, in words (empty: safe to save)."""
    redactor = Redactor(RedactionPolicy.for_storage(known_secrets))
    found: list[str] = []
    if redactor.redact_url(request.url) != request.url:
        found.append("the URL")
    for key, value in request.headers:
        if redactor.redact_header_value(key, value) != value:
            found.append(f"the header '{key}'")
    if request.body is not None:
        if request.body_is_json:
            if redactor.redact_json(request.body) != request.body:
                found.append("the body")
        else:
            text = str(request.body)
            if redactor.redact_body(text.encode("utf-8"), "").decode("utf-8") != text:
                found.append("the body")
    if redactor.redact_text(request.description) != request.description:
        found.append("the description")
    if request.example is not None and redactor.redact_json(request.example) != request.example:
        found.append("the example response")
    if redactor.redact_json(list(request.assertions)) != list(request.assertions):
        found.append("the assertions")
    return found


class SavedRequestStore:
    """Saved requests under one folder the user picked. Paths are relative, "/"-separated."""

    def __init__(self, root: Path) -> None:
        self.root = root
        #: the current environment's ``(base_url, auth_base_url)``: saved as references
        self.bases: tuple[str, str] = ("", "")

    def _resolve(self, relative: str, *, request: bool = True) -> Path:
        parts = PurePosixPath(relative.replace("\\", "/")).parts
        if not parts or any(p in ("..", ".", "") or _BAD_NAME.search(p) for p in parts):
            raise SavedRequestError(
                self.root / relative,
                'the name must be a path inside the folder, without .. or any of <>:"|?*',
            )
        path = self.root.joinpath(*parts)
        if request and not path.name.endswith(SUFFIX):
            path = path.with_name(path.name + SUFFIX)
        return path

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def load(self, relative: str) -> SavedRequest:
        """Read one saved request; a broken file raises SavedRequestError and stays as is."""
        path = self._resolve(relative)
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SavedRequestError(path, "there is no such saved request") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SavedRequestError(path, f"it cannot be read ({exc})") from exc
        try:
            document = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SavedRequestError(
                path, f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from exc
        request = SavedRequest.from_document(document, path)
        migrated = with_base_references(request.url)
        if migrated != request.url:
            # an older file holds the port of an earlier Sandbox run: store {{base_url}}
            request = replace(request, url=migrated)
            with contextlib.suppress(OSError):  # read-only: it still opens, on {{base_url}}
                atomic_write(path, dump_json(request.to_document()), mode=0o600)
        return request

    def save(
        self,
        relative: str,
        request: SavedRequest,
        *,
        known_secrets: Iterable[str] = (),
        overwrite: bool = True,
    ) -> str:
        """Write ``request``; refuses (SavedRequestError) if any part looks like a secret.

        Returns the relative path written."""
        path = self._resolve(relative)
        if not overwrite and path.exists():
            raise SavedRequestError(path, "a saved request with this name already exists")
        base_url, auth_base_url = self.bases
        request = replace(
            request,
            url=with_base_references(request.url, base_url=base_url, auth_base_url=auth_base_url),
            headers=tuple(
                (k, _auth_reference(v) if k.lower() == "authorization" else v)
                for k, v in request.headers
            ),
        )
        leaks = find_secrets(request, known_secrets)
        if leaks:
            raise SavedRequestError(
                path,
                f"not saved: {', '.join(leaks)} looks like it holds a secret. Replace the "
                "value with a {{variable}} reference such as {{access_token}} or "
                "{{client_secret}} and save again",
            )
        atomic_write(path, dump_json(request.to_document()), mode=0o600)
        return self._relative(path)

    def rename(self, relative: str, new_relative: str) -> str:
        """Move or rename a request (creating folders); never overwrites another file."""
        source = self._resolve(relative)
        target = self._resolve(new_relative)
        if not source.exists():
            raise SavedRequestError(source, "there is no such saved request")
        if target.exists():
            raise SavedRequestError(target, "a saved request with this name already exists")
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.replace(source, target)
        return self._relative(target)

    def delete(self, relative: str) -> None:
        path = self._resolve(relative)
        try:
            path.unlink()
        except FileNotFoundError:
            raise SavedRequestError(path, "there is no such saved request") from None

    def make_folder(self, relative: str) -> str:
        path = self._resolve(relative, request=False)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self._relative(path)

    def tree(self) -> SavedFolder:
        """Every folder and request file under the root, sorted by name."""
        return self._scan(self.root)

    def _scan(self, folder: Path) -> SavedFolder:
        folders: list[SavedFolder] = []
        requests: list[str] = []
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name.lower())
        except OSError:
            entries = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                folders.append(self._scan(entry))
            elif entry.name.endswith(SUFFIX):
                requests.append(self._relative(entry))
        relative = "" if folder == self.root else self._relative(folder)
        return SavedFolder(path=relative, folders=tuple(folders), requests=tuple(requests))


def request_file_name(name: str) -> str:
    """A safe file name (without folder) for a request called ``name``."""
    cleaned = _BAD_NAME.sub("-", name).strip(" .") or "request"
    return cleaned + SUFFIX
