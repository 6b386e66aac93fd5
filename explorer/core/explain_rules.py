"""The explanation rules: loading ``resources/explain/rules.yaml``, checking it, matching.

The rules file is data a reviewer reads; this module owns its meaning. :func:`load_rules`
validates the file against ``rules.schema.json`` (jsonschema) and compiles every pattern,
reporting every problem at once with the rule it belongs to. Given a cache folder, it keeps
the checked document there as JSON under the hash of the rules and the schema, so a
later process (each CLI call is one) reads that instead of parsing YAML and running the
validator; any change to either file changes the hash and the file is checked again.
:meth:`Rule.match` says whether a rule applies to a response and how specific it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.core.evidence import Evidence
from explorer.core.evidence import parse as parse_evidence
from explorer.core.explain_body import BodyKind, ParsedBody, fragment_for
from explorer.core.models import FixAction, NetworkFailureKind, Severity
from explorer.core.status import HostKind

#: Placeholders a title, cause or fix step may use; each is filled by the engine.
PLACEHOLDERS = frozenset(
    {
        "status",
        "reason",
        "url",
        "host",
        "method",
        "location",
        "retry_after",
        "title",
        "detail",
        "error",
        "error_description",
        "message",
        "errors",
        "trace_id",
        "content_type",
        "failure_message",
        "failure_chain",
        "failure_type",
        "problem_summary",
        "required_scopes",
        "html_title",
        "body_kind",
        "redirect_target",
        "failure_details",
        "meaning",
        "www_authenticate",
        "allow",
    }
)
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

# How much each kind of condition adds to a rule's specificity.
_W_STATUS_EXACT, _W_STATUS_LIST, _W_STATUS_RANGE = 4, 3, 1
_W_HOST, _W_BODY, _W_HEADER, _W_CONTENT_TYPE, _W_FAILURE = 1, 5, 2, 2, 4


class RulesFileError(ValueError):
    """The rules file is unreadable or invalid; the message names each bad rule."""


@dataclass(frozen=True, kw_only=True)
class Facts:
    """What is known about one response, in the form rules match against."""

    status: int | None
    host: HostKind
    headers: tuple[tuple[str, str], ...]
    content_type: str
    body: ParsedBody
    failure: NetworkFailureKind | None
    failure_text: str = ""


@dataclass(frozen=True, kw_only=True)
class RuleMatch:
    """The conditions of a rule; every condition given must hold."""

    status: tuple[tuple[int, int], ...] = ()
    status_weight: int = 0
    host: HostKind = HostKind.ANY
    failure: frozenset[NetworkFailureKind] = frozenset()
    failure_text: re.Pattern[str] | None = None
    content_type: re.Pattern[str] | None = None
    headers: tuple[tuple[str, bool | re.Pattern[str]], ...] = ()
    error: frozenset[str] = frozenset()
    error_not: frozenset[str] = frozenset()
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()  # title/detail/message/type/text
    trace_id: bool | None = None
    errors: bool | None = None
    kinds: frozenset[BodyKind] = frozenset()

    @property
    def specificity(self) -> int:
        body = len(self.patterns) + (self.trace_id is not None) + (self.errors is not None)
        body += bool(self.error) + bool(self.error_not) + bool(self.kinds)
        return (
            self.status_weight
            + (_W_HOST if self.host is not HostKind.ANY else 0)
            + (_W_FAILURE if self.failure else 0)
            + (_W_BODY if self.failure_text else 0)
            + (_W_CONTENT_TYPE if self.content_type else 0)
            + _W_HEADER * len(self.headers)
            + _W_BODY * body
        )


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One explanation: when it applies and what it says."""

    id: str
    title: str
    cause: str
    fix: tuple[str, ...]
    doc_url: str
    severity: Severity
    actions: tuple[FixAction, ...]
    evidence: Evidence
    highlight: tuple[str, ...]
    priority: int
    match: RuleMatch
    order: int = 0
    evidence_note: str = ""

    @property
    def documented(self) -> bool:
        """True only for a rule graded documented."""
        return self.evidence is Evidence.DOCUMENTED

    def score(self) -> tuple[int, int, int]:
        """Higher wins: explicit priority, then specificity, then earlier in the file."""
        return (self.priority, self.match.specificity, -self.order)

    def matches(self, facts: Facts) -> tuple[str, ...] | None:
        """The body fragments that matched, or None when the rule does not apply."""
        m = self.match
        if (m.failure or facts.failure is not None) and (
            facts.failure is None or facts.failure not in m.failure
        ):
            return None
        if m.failure_text is not None and not m.failure_text.search(facts.failure_text):
            return None
        if m.status and (
            facts.status is None or not any(lo <= facts.status <= hi for lo, hi in m.status)
        ):
            return None
        if m.host is not HostKind.ANY and facts.host is not m.host:
            return None
        if m.content_type is not None and not m.content_type.search(facts.content_type):
            return None
        for name, expected in m.headers:
            value = _header(facts.headers, name)
            if expected is True and value is None:
                return None
            if expected is False and value is not None:
                return None
            if isinstance(expected, re.Pattern) and (value is None or not expected.search(value)):
                return None
        return self._match_body(facts.body)

    def _match_body(self, body: ParsedBody) -> tuple[str, ...] | None:
        m = self.match
        fragments: list[str] = []
        if m.kinds and body.kind not in m.kinds:
            return None
        error = (body.field_text("error") or "").lower()
        if m.error:
            if error not in m.error:
                return None
            fragments.append(fragment_for(body, "error") or error)
        if m.error_not and error in m.error_not:
            return None
        for name, pattern in m.patterns:
            if name == "text":
                found = pattern.search(body.text[:262144])
                if found is None:
                    return None
                fragments.append(found.group(0)[:200])
                continue
            candidates = (
                [(f, body.field_text(f)) for f in ("error_description", "detail", "title", "error")]
                if name == "message"
                else [(name, body.field_text(name))]
            )
            hit = next(((f, v) for f, v in candidates if v and pattern.search(v)), None)
            if hit is None:
                return None
            fragments.append(fragment_for(body, hit[0]) or hit[1] or "")
        if m.trace_id is not None and (body.trace_id is not None) != m.trace_id:
            return None
        if m.errors is not None and bool(body.errors) != m.errors:
            return None
        for name in self.highlight:
            fragment = fragment_for(body, name)
            if fragment:
                fragments.append(fragment)
        return tuple(dict.fromkeys(f for f in fragments if f))


def _header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


@dataclass(frozen=True, kw_only=True)
class RuleSet:
    """Every rule of the file, plus the defaults the engine uses."""

    rules: tuple[Rule, ...]
    trace_step: str
    source: str = ""
    ids: frozenset[str] = field(default_factory=frozenset)


def _status_ranges(spec: Any) -> tuple[tuple[tuple[int, int], ...], int]:
    items = spec if isinstance(spec, list) else [spec]
    ranges: list[tuple[int, int]] = []
    for item in items:
        if isinstance(item, int):
            ranges.append((item, item))
        elif item.endswith("xx"):
            base = int(item[0]) * 100
            ranges.append((base, base + 99))
        else:
            lo, hi = (int(part) for part in item.split("-"))
            ranges.append((lo, hi))
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        weight = _W_STATUS_EXACT
    elif all(lo == hi for lo, hi in ranges):
        weight = _W_STATUS_LIST
    else:
        weight = _W_STATUS_RANGE
    return tuple(ranges), weight


def _strings(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    items = value if isinstance(value, list) else [value]
    return frozenset(str(v).strip().lower() for v in items)


def _compile(pattern: str, where: str, problems: list[str]) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        problems.append(f"{where}: {pattern!r} is not a valid regular expression ({exc})")
        return None


def _build_rule(raw: Mapping[str, Any], order: int, problems: list[str]) -> Rule | None:
    where = f"rule '{raw['id']}'"
    spec = raw["match"]
    body = spec.get("body", {})
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for name in ("title", "detail", "message", "type", "text"):
        if name in body:
            compiled = _compile(body[name], f"{where} match.body.{name}", problems)
            if compiled is not None:
                patterns.append((name, compiled))
    headers: list[tuple[str, bool | re.Pattern[str]]] = []
    for name, expected in spec.get("headers", {}).items():
        if isinstance(expected, bool):
            headers.append((name.lower(), expected))
        else:
            compiled = _compile(expected, f"{where} match.headers.{name}", problems)
            if compiled is not None:
                headers.append((name.lower(), compiled))
    failure_text = None
    if "failure_text" in spec:
        failure_text = _compile(spec["failure_text"], f"{where} match.failure_text", problems)
    content_type = None
    if "content_type" in spec:
        content_type = _compile(spec["content_type"], f"{where} match.content_type", problems)
    status, weight = _status_ranges(spec["status"]) if "status" in spec else ((), 0)
    texts = [("title", raw["title"]), ("cause", raw["cause"])]
    texts += [(f"fix[{i}]", step) for i, step in enumerate(raw["fix"])]
    for label, text in texts:
        for name in _PLACEHOLDER.findall(text):
            if name not in PLACEHOLDERS:
                problems.append(f"{where} {label}: unknown placeholder {{{name}}}")
    match = RuleMatch(
        status=status,
        status_weight=weight,
        host=HostKind(spec.get("host", "any")),
        failure=frozenset(NetworkFailureKind(k) for k in spec.get("failure", [])),
        failure_text=failure_text,
        content_type=content_type,
        headers=tuple(headers),
        error=_strings(body.get("error")),
        error_not=_strings(body.get("error_not")),
        patterns=tuple(patterns),
        trace_id=body.get("trace_id"),
        errors=body.get("errors"),
        kinds=frozenset(BodyKind(k) for k in body.get("kind", [])),
    )
    return Rule(
        id=raw["id"],
        title=raw["title"].strip(),
        cause=" ".join(raw["cause"].split()),
        fix=tuple(" ".join(step.split()) for step in raw["fix"]),
        doc_url=raw["doc_url"],
        severity=Severity(raw["severity"]),
        actions=tuple(FixAction(a) for a in raw.get("actions", [])),
        evidence=_rule_evidence(raw),
        evidence_note=" ".join(str(raw.get("evidence_note", "")).split()),
        highlight=tuple(raw.get("highlight", [])),
        priority=raw.get("priority", 0),
        match=match,
        order=order,
    )


def _rule_evidence(raw: Mapping[str, Any]) -> Evidence:
    """``evidence`` if the rule gives it, else the older ``documented`` flag (false means
    inferred); a rule saying ``documented: false`` is never read as documented."""
    if "evidence" in raw:
        grade = parse_evidence(raw["evidence"])
        if raw.get("documented") is False and grade is Evidence.DOCUMENTED:
            return Evidence.INFERRED
        return grade
    return Evidence.DOCUMENTED if raw.get("documented") is True else Evidence.INFERRED


def _rule_name(document: Any, path: Sequence[Any]) -> str:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        try:
            rule_id = document["rules"][path[1]].get("id", "?")
        except (AttributeError, IndexError, KeyError, TypeError):
            rule_id = "?"
        return f"rule '{rule_id}' (rules[{path[1]}])"
    return "the file"


def parse_rules(text: str, *, schema: Mapping[str, Any], source: str = "rules.yaml") -> RuleSet:
    """Validate and compile a rules document; raises :class:`RulesFileError` naming each rule."""
    return _rule_set(_checked_document(text, schema, source), source)


def _checked_document(text: str, schema: Mapping[str, Any], source: str) -> Any:
    """The rules document, read from YAML and validated against ``schema``."""
    import yaml
    from jsonschema import Draft202012Validator

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
        document = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise RulesFileError(f"{source} is not valid YAML: {exc}") from None
    validator = Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    if errors:
        lines = []
        for error in errors:
            path = list(error.path)
            at = "/".join(str(p) for p in path) or "(top)"
            lines.append(f"  {_rule_name(document, path)} at {at}: {error.message}")
        raise RulesFileError(f"{source} has {len(errors)} problem(s):\n" + "\n".join(lines))
    return document


def _rule_set(document: Any, source: str) -> RuleSet:
    problems: list[str] = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for order, raw in enumerate(document["rules"]):
        if raw["id"] in seen:
            problems.append(f"rule '{raw['id']}' (rules[{order}]): the id is used twice")
        seen.add(raw["id"])
        rule = _build_rule(raw, order, problems)
        if rule is not None:
            rules.append(rule)
    if problems:
        listing = "\n  ".join(problems)
        raise RulesFileError(f"{source} has {len(problems)} problem(s):\n  {listing}")
    return RuleSet(
        rules=tuple(rules),
        trace_step=" ".join(document["defaults"]["trace_step"].split()),
        source=source,
        ids=frozenset(seen),
    )


#: Part of the cache key: a new layout of the cached document must not read an old one.
_CACHE_FORMAT = "explain-rules-1"


def load_rules(rules_path: Path, schema_path: Path, *, cache: Path | None = None) -> RuleSet:
    """Read, validate and compile the rules file at ``rules_path``.

    With ``cache`` (a folder), the checked document is kept there under the hash of both
    files and read from there while neither changes."""
    try:
        text = rules_path.read_text(encoding="utf-8")
        schema_text = schema_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesFileError(
            f"Cannot read the explanation rules ({exc}). Reinstall the program."
        ) from None
    source = rules_path.name
    key = hashlib.sha256(f"{_CACHE_FORMAT}\0{schema_text}\0{text}".encode()).hexdigest()
    kept = cache / f"{rules_path.stem}-{key[:32]}.json" if cache is not None else None
    if kept is not None:
        try:
            return _rule_set(json.loads(kept.read_text(encoding="utf-8")), source)
        except (OSError, ValueError, KeyError, TypeError, RulesFileError):
            pass  # missing or unreadable: check the file again and keep it anew
    try:
        schema = json.loads(schema_text)
    except ValueError as exc:
        raise RulesFileError(
            f"Cannot read the explanation rules ({exc}). Reinstall the program."
        ) from None
    document = _checked_document(text, schema, source)
    rules = _rule_set(document, source)
    if kept is not None:
        _keep(kept, document)
    return rules


def _keep(path: Path, document: Any) -> None:
    """Write the checked document atomically; a cache that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".rules-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, separators=(",", ":"))
        os.replace(temporary, path)
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)
