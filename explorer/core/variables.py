"""``{{name}}`` variables: where each value comes from, substitution, and the names that
had no value.

Any text the user types in the request builder may use ``{{name}}``. A name's value comes
from, first to last:

* the built-ins the program fills itself (``{{base_url}}``, ``{{auth_base_url}}``,
  ``{{access_token}}``): their names cannot be defined by hand;
* the request's own values (typed with the request);
* values captured from a response (:mod:`explorer.core.captures`), kept for this run;
* the current environment's variables;
* the workspace's variables (every environment).

Environment and workspace variables live in one JSON file (``variables.json`` in the
configuration folder). A *secret* variable has only its name there: its value is kept in
the same store as client secrets (the OS keychain or the encrypted vault), never in a file.
Unknown names are left as typed and reported, so a request can still be sent as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from explorer.core.files import DocumentError, VersionedDocument, locked
from explorer.core.redact import MASK
from explorer.core.secrets import SecretKind, SecretStore, SecretStoreError

VARIABLE_PATTERN = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
#: ``{{`` and the start of a name just before the cursor: what completion completes.
_OPEN_REFERENCE = re.compile(r"\{\{\s*([A-Za-z0-9_.-]*)$")
WORKSPACE = "workspace"  # the scope of the variables every environment sees


@dataclass(frozen=True, kw_only=True)
class Resolved:
    """Text after ``{{name}}`` substitution, and the names that had no value."""

    text: str
    unknown: tuple[str, ...] = ()


def resolve_variables(text: str, variables: Mapping[str, str] | None) -> Resolved:
    """Replace ``{{name}}`` by its value; unknown names stay as typed and are reported."""
    values = variables or {}
    unknown: dict[str, None] = {}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        unknown[name] = None
        return match.group(0)

    return Resolved(text=VARIABLE_PATTERN.sub(substitute, text), unknown=tuple(unknown))


@dataclass(frozen=True)
class Reference:
    """One ``{{name}}`` in a text, and where (character offsets)."""

    name: str
    start: int
    end: int


def references(text: str) -> list[Reference]:
    """Every ``{{name}}`` in ``text``, in order."""
    return [Reference(m.group(1), m.start(), m.end()) for m in VARIABLE_PATTERN.finditer(text)]


def reference_at(text: str, position: int) -> Reference | None:
    """The ``{{name}}`` that covers character ``position`` (None: none does)."""
    for ref in references(text):
        if ref.start <= position <= ref.end:
            return ref
    return None


def open_reference(text_before_cursor: str) -> str | None:
    """The partial name after an unclosed ``{{`` right before the cursor (``""`` just
    after ``{{``); None when the cursor is not inside a reference being typed."""
    found = _OPEN_REFERENCE.search(text_before_cursor)
    return None if found is None else found.group(1)


def name_problem(name: str) -> str:
    """Why ``name`` cannot be a variable's name ("" when it can)."""
    if not NAME_PATTERN.match(name):
        return (
            f"{name!r} cannot be a variable name: use letters, digits, '_', '.' or '-', "
            "starting with a letter or '_' (for example searchID)"
        )
    if name in BUILTINS:
        return (
            f"{{{{{name}}}}} is filled by the program itself ({BUILTINS[name]}); "
            "choose another name"
        )
    return ""


# ----- where a value comes from ---------------------------------------------------------


class VariableSource(StrEnum):
    """Where a variable's value comes from, in the order they are looked up."""

    BUILTIN = "built-in"
    REQUEST = "request"
    CAPTURED = "captured"
    ENVIRONMENT = "environment"
    WORKSPACE = "workspace"


#: The program's own variables and what each means.
BUILTINS: dict[str, str] = {
    "base_url": "the current environment's API address, before /api/v4/...",
    "auth_base_url": "the current environment's authorization server, before /oauth2/...",
    "access_token": "the current profile's access token, added when the request is sent",
}


@dataclass(frozen=True, kw_only=True)
class Variable:
    """One variable as a request sees it: its value, where it comes from, how to show it."""

    name: str
    value: str | None  # None: a secret whose store is locked, or a built-in not known yet
    source: VariableSource
    secret: bool = False
    #: a customer's personal data (a captured name, phone...): masked in presentation mode
    personal: bool = False
    where: str = ""  # in words: "environment Sandbox (local)", "captured from POST ..."
    description: str = ""

    def shown(self, *, presentation: bool = False) -> str:
        """The value as the window may show it: secrets always masked, personal data
        masked in presentation mode."""
        if self.value is None:
            if self.name == "access_token" and self.source is VariableSource.BUILTIN:
                return "(added when sent)"
            return "(locked)" if self.secret else "(not known yet)"
        if self.secret or (presentation and self.personal):
            return MASK
        return self.value

    def origin(self) -> str:
        """Where the value comes from, in words."""
        return self.where or self.source.value


@dataclass(frozen=True, kw_only=True)
class Definition:
    """A variable the user defined (in an environment or the workspace)."""

    name: str
    value: str = ""  # empty for a secret: its value is in the secret store
    secret: bool = False
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.secret:
            data["secret"] = True
        else:
            data["value"] = self.value
        if self.description:
            data["description"] = self.description
        return data


@dataclass(frozen=True)
class Definitions:
    """Every defined variable: the workspace's, and each environment's (by id)."""

    workspace: tuple[Definition, ...] = ()
    environments: Mapping[str, tuple[Definition, ...]] = field(default_factory=dict)

    def scope(self, scope: str) -> tuple[Definition, ...]:
        if scope == WORKSPACE:
            return self.workspace
        return tuple(self.environments.get(scope, ()))

    def find(self, scope: str, name: str) -> Definition | None:
        return next((d for d in self.scope(scope) if d.name == name), None)


_DOCUMENT = VersionedDocument(kind="variables", version=1, migrations={})


def _definitions_of(raw: Any, where: str, problems: list[str]) -> tuple[Definition, ...]:
    if not isinstance(raw, list):
        problems.append(f"{where}: must be a list of variables")
        return ()
    found: list[Definition] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            problems.append(f"{where}[{index}]: needs a 'name'")
            continue
        secret = bool(item.get("secret", False))
        value = item.get("value", "")
        found.append(
            Definition(
                name=item["name"],
                value="" if secret else (value if isinstance(value, str) else str(value)),
                secret=secret,
                description=str(item.get("description", "")),
            )
        )
    return tuple(found)


def _secret_key(scope: str, name: str) -> str:
    return f"variable:{scope}:{name}"


class VariableStore:
    """The user's variables: names and plain values in ``path``, secret values in the
    secret store (``secrets()`` returns it, or None while it is locked or not chosen)."""

    def __init__(self, path: Path, secrets: Callable[[], SecretStore | None]) -> None:
        self.path = path
        self._secrets = secrets

    @classmethod
    def in_folder(cls, config: Path, secrets: Callable[[], SecretStore | None]) -> VariableStore:
        return cls(config / "variables.json", secrets)

    # ----- reading ------------------------------------------------------------------------
    def load(self) -> Definitions:
        """Every definition; a damaged file raises DocumentError (and is set aside)."""
        document = _DOCUMENT.load(self.path, default=dict)
        problems: list[str] = []
        workspace = _definitions_of(document.get("workspace", []), "workspace", problems)
        environments: dict[str, tuple[Definition, ...]] = {}
        raw_envs = document.get("environments", {})
        if isinstance(raw_envs, Mapping):
            for env_id, raw in raw_envs.items():
                environments[str(env_id)] = _definitions_of(raw, f"environments.{env_id}", problems)
        else:
            problems.append("environments: must map environment ids to lists of variables")
        if problems:
            raise DocumentError(self.path, "; ".join(problems))
        return Definitions(workspace=workspace, environments=environments)

    def secret_value(self, scope: str, name: str) -> str | None:
        """A secret variable's value (None: not stored, or the store is locked)."""
        store = self._secrets()
        if store is None:
            return None
        try:
            return store.get(_secret_key(scope, name), SecretKind.VARIABLE)
        except SecretStoreError:
            return None

    def secret_values(self) -> tuple[str, ...]:
        """Every secret variable's value that can be read: what redaction masks."""
        try:
            definitions = self.load()
        except DocumentError:
            return ()
        scopes = [(WORKSPACE, definitions.workspace), *definitions.environments.items()]
        found = (
            self.secret_value(scope, d.name) for scope, defs in scopes for d in defs if d.secret
        )
        return tuple(v for v in found if v)

    # ----- writing ------------------------------------------------------------------------
    def define(
        self,
        scope: str,
        name: str,
        value: str,
        *,
        secret: bool = False,
        description: str = "",
    ) -> Definition:
        """Add or change a variable in ``scope`` (WORKSPACE or an environment's id).

        A secret's value goes to the secret store (SecretStoreError when there is none);
        only its name is written to the file."""
        problem = name_problem(name)
        if problem:
            raise ValueError(problem)
        definition = Definition(
            name=name, value="" if secret else value, secret=secret, description=description
        )
        if secret:
            store = self._secrets()
            if store is None:
                raise SecretStoreError(
                    "No secret store is open: unlock or choose one (the Token panel's store) "
                    "and define the secret variable again."
                )
            store.set(_secret_key(scope, name), SecretKind.VARIABLE, value)
        was_secret = self._change(scope, name, definition)
        if was_secret and not secret:
            self._forget_secret(scope, name)
        return definition

    def remove(self, scope: str, name: str) -> None:
        """Delete a variable (and a secret's stored value)."""
        if self._change(scope, name, None):
            self._forget_secret(scope, name)

    def rename(self, scope: str, name: str, new_name: str) -> None:
        definitions = self.load()
        old = definitions.find(scope, name)
        if old is None:
            raise KeyError(name)
        if definitions.find(scope, new_name) is not None:
            raise ValueError(f"{new_name} is already defined here")
        value = self.secret_value(scope, name) or "" if old.secret else old.value
        self.define(scope, new_name, value, secret=old.secret, description=old.description)
        self.remove(scope, name)

    def _forget_secret(self, scope: str, name: str) -> None:
        store = self._secrets()
        if store is not None:
            store.delete(_secret_key(scope, name), SecretKind.VARIABLE)

    def _change(self, scope: str, name: str, definition: Definition | None) -> bool:
        """Replace (or with None remove) one definition; True when the old one was secret."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with locked(self.path):
            document = _DOCUMENT.load(self.path, default=dict)
            if scope == WORKSPACE:
                listed = list(document.get("workspace") or [])
            else:
                envs = document.setdefault("environments", {})
                listed = list(envs.get(scope) or [])
            old = next((d for d in listed if isinstance(d, dict) and d.get("name") == name), None)
            was_secret = bool(old and old.get("secret"))
            kept = [d for d in listed if not (isinstance(d, dict) and d.get("name") == name)]
            if definition is not None:
                at = listed.index(old) if old is not None else len(kept)
                kept.insert(at, definition.to_dict())
            if scope == WORKSPACE:
                document["workspace"] = kept
            elif kept:
                document["environments"][scope] = kept
            else:
                document["environments"].pop(scope, None)
            _DOCUMENT.save(self.path, document)
        return was_secret


# ----- captured values (this run only) --------------------------------------------------


class CapturedValues:
    """Values captured from responses in this run, per environment (never written)."""

    def __init__(self) -> None:
        self._values: dict[str, dict[str, Variable]] = {}

    def put(
        self, env_id: str, name: str, value: str, *, where: str, personal: bool = False
    ) -> None:
        self._values.setdefault(env_id, {})[name] = Variable(
            name=name,
            value=value,
            source=VariableSource.CAPTURED,
            personal=personal,
            where=where,
        )

    def forget(self, env_id: str, name: str | None = None) -> None:
        if name is None:
            self._values.pop(env_id, None)
        else:
            self._values.get(env_id, {}).pop(name, None)

    def of(self, env_id: str) -> dict[str, Variable]:
        return dict(self._values.get(env_id, {}))


# ----- the variables one request sees ----------------------------------------------------


def builtin_variables(
    *, base_url: str = "", auth_base_url: str = "", access_token: str | None = None
) -> list[Variable]:
    """The program's own variables for the current environment and profile."""
    return [
        Variable(
            name="base_url",
            value=base_url.rstrip("/") or None,
            source=VariableSource.BUILTIN,
            where="built-in",
            description=BUILTINS["base_url"],
        ),
        Variable(
            name="auth_base_url",
            value=auth_base_url.rstrip("/") or None,
            source=VariableSource.BUILTIN,
            where="built-in",
            description=BUILTINS["auth_base_url"],
        ),
        Variable(
            name="access_token",
            value=access_token,
            source=VariableSource.BUILTIN,
            secret=True,
            where="built-in",
            description=BUILTINS["access_token"],
        ),
    ]


def defined_variables(
    store: VariableStore,
    definitions: Definitions,
    scope: str,
    *,
    scope_name: str = "",
) -> list[Variable]:
    """The variables of one scope with their values (a secret's read from the store)."""
    source = VariableSource.WORKSPACE if scope == WORKSPACE else VariableSource.ENVIRONMENT
    where = "workspace" if scope == WORKSPACE else f"environment {scope_name or scope}"
    return [
        Variable(
            name=d.name,
            value=store.secret_value(scope, d.name) if d.secret else d.value,
            source=source,
            secret=d.secret,
            where=("secret, " if d.secret else "") + where,
            description=d.description,
        )
        for d in definitions.scope(scope)
    ]


def layered(*layers: Iterable[Variable]) -> dict[str, Variable]:
    """The variable each name means: the first layer that has it wins."""
    chosen: dict[str, Variable] = {}
    for layer in layers:
        for variable in layer:
            chosen.setdefault(variable.name, variable)
    return chosen


def values_of(variables: Mapping[str, Variable]) -> dict[str, str]:
    """The substitution values (names without a value are left out: they stay unknown)."""
    return {name: v.value for name, v in variables.items() if v.value is not None}


# ----- saved requests: {{base_url}}, never a Sandbox port ---------------------------------

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def with_base_references(url: str, *, base_url: str = "", auth_base_url: str = "") -> str:
    """``url`` with the current environment's address replaced by ``{{base_url}}`` (or
    ``{{auth_base_url}}`` for the authorization server), and a Sandbox address of any
    run (a loopback host serving ``/api/v4/`` or ``/oauth2/``) likewise: a saved request
    must not hold the port the Sandbox happened to use."""
    if url.startswith("{{"):
        return url
    for given, name in ((base_url, "base_url"), (auth_base_url, "auth_base_url")):
        base = given.rstrip("/")
        if base and (url == base or url.startswith(base + "/") or url.startswith(base + "?")):
            return "{{" + name + "}}" + url[len(base) :]
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return url
    if parts.scheme not in ("http", "https") or host not in _LOOPBACK:
        return url
    origin = f"{parts.scheme}://{parts.netloc}"
    rest = url[len(origin) :]
    if rest.startswith("/api/v4/") or rest == "/api/v4":
        return "{{base_url}}" + rest
    if rest.startswith("/oauth2/"):
        return "{{auth_base_url}}" + rest
    return url
