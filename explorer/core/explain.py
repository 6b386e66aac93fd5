"""Why a response looks the way it does: response or failure -> :class:`Explanation`.

:class:`ExplanationEngine` holds the rules read from ``resources/explain/rules.yaml``
(see :mod:`explorer.core.explain_rules`), finds the most specific rule that applies to a
response and fills in its text with what the body, headers and failure say. A response
no rule knows gets an honest "not documented" explanation with everything known.
:meth:`ExplanationEngine.explain` never raises. :func:`format_explanation_text` renders
an explanation for a terminal; the CLI commands share it.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from explorer.core.evidence import Evidence
from explorer.core.explain_body import BodyKind, ParsedBody, parse_body, required_scopes
from explorer.core.explain_rules import Facts, Rule, RuleSet, load_rules
from explorer.core.http_status import challenge_text, phrase
from explorer.core.models import (
    Endpoint,
    Explanation,
    FixAction,
    NetworkFailure,
    NetworkFailureKind,
    ResponseRecord,
    Severity,
    StatusClass,
)
from explorer.core.status import (
    NO_RETRY_AFTER,
    Headers,
    HostKind,
    StatusInfo,
    classify_failure,
    classify_status,
    infer_host_kind,
    parse_retry_after,
    thumbtack_meanings,
)

UNDOCUMENTED_RULE_ID = "not-documented"
INTERNAL_RULE_ID = "explanation-failed"
_PLACEHOLDER_AND_STOP = re.compile(r"\{([a-z_]+)\}(\.?)")
_ENDS_SENTENCE = (".", "!", "?", "…")
_WRAPPED_PLACEHOLDER = re.compile(r"([(“\"])\{([a-z_]+)\}([)”\"])")
_TRACE_HEADER = re.compile(r"trace[-_]?id", re.IGNORECASE)
_MAX_ERRORS = 10
_MAX_FIELD = 500
#: characters a token can be made of (JWT, opaque, base64, URL-encoded).
_TOKEN_CHAR = re.compile(r"[A-Za-z0-9\-._~+/=%]+")

__all__ = [
    "ExplanationEngine",
    "Rule",
    "RuleSet",
    "format_explanation_text",
]


def _normalise_headers(headers: Headers | None) -> tuple[tuple[str, str], ...]:
    if headers is None:
        return ()
    items = headers.items() if isinstance(headers, Mapping) else headers
    out: list[tuple[str, str]] = []
    for item in items:
        try:
            key, value = item
        except (TypeError, ValueError):
            continue
        out.append((str(key).strip().lower(), str(value).strip()))
    return tuple(out)


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    return next((value for key, value in headers if key == name), None)


def _short(text: str, limit: int = _MAX_FIELD) -> str:
    """``text`` on one line, cut to ``limit`` characters, never inside a token-like word.

    A token cut in half matches neither the JWT pattern nor the literal value a redactor
    knows, so the cut backs off to the last character that cannot be part of a token and
    the partial word is dropped. Callers still redact the result.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = limit - 1
    if _TOKEN_CHAR.fullmatch(text[cut - 1 : cut + 1]):
        start = cut
        while start > 0 and _TOKEN_CHAR.fullmatch(text[start - 1]):
            start -= 1
        cut = start
    return text[:cut].rstrip() + "…"


def _format_error_item(item: Any) -> str:
    if isinstance(item, str):
        return _short(item, 200)
    if isinstance(item, Mapping):
        lowered = {str(k).lower(): v for k, v in item.items()}
        where = next(
            (
                lowered[k]
                for k in ("field", "name", "path", "pointer", "parameter", "param")
                if lowered.get(k) not in (None, "")
            ),
            None,
        )
        what = next(
            (
                lowered[k]
                for k in ("message", "detail", "reason", "description", "title", "code")
                if lowered.get(k) not in (None, "")
            ),
            None,
        )
        if where is not None or what is not None:
            parts = [str(p) for p in (where, what) if p is not None]
            return _short(": ".join(parts), 200)
    try:
        return _short(json.dumps(item, ensure_ascii=False, default=str), 200)
    except (TypeError, ValueError, RecursionError):
        return _short(repr(item), 200)


def _errors_text(body: ParsedBody) -> str:
    items = body.errors
    if not items:
        return ""
    shown = [_format_error_item(item) for item in items[:_MAX_ERRORS]]
    more = f" (and {len(items) - _MAX_ERRORS} more)" if len(items) > _MAX_ERRORS else ""
    return "; ".join(shown) + more


def _problem_summary(body: ParsedBody) -> str:
    parts: list[str] = []
    title = body.field_text("title")
    detail = body.field_text("detail") or body.field_text("error_description")
    if title:
        parts.append(f"“{_short(title, 200)}”")
    if detail and detail != title:
        parts.append(_short(detail, 300))
    errors = _errors_text(body)
    if errors:
        parts.append(f"errors: {errors}")
    if not parts:
        return ""
    return sentence("The body says: " + " — ".join(parts))


def sentence(text: str) -> str:
    """``text`` ending in one full stop (none added after its own ".", "!", "?" or "…")."""
    text = text.rstrip()
    return text if not text or text.endswith(_ENDS_SENTENCE) else text + "."


def _best_first(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(sorted(rules, key=lambda r: r.score(), reverse=True))


def _off_thumbtack(rule: Rule) -> Rule:
    """A network-failure rule for any host: without its link to Thumbtack's pages."""
    return replace(rule, doc_url="") if "thumbtack.com" in rule.doc_url else rule


class ExplanationEngine:
    """Finds the rule for a response and fills in its text. Build once, share freely.

    ``rules`` are Thumbtack's documented meanings, for its hosts; ``http_rules`` the HTTP
    meanings for any other host (without them, every host gets Thumbtack's)."""

    def __init__(self, rules: RuleSet, http_rules: RuleSet | None = None) -> None:
        self._rules = rules
        self._http_rules = http_rules
        # Best first, so the first rule that matches wins.
        self._ordered = _best_first(rules.rules)
        self._http_ordered: tuple[Rule, ...] = ()
        if http_rules is not None:
            network = (_off_thumbtack(r) for r in rules.rules if r.match.failure)
            self._http_ordered = _best_first((*http_rules.rules, *network))

    @classmethod
    def from_resources(cls) -> ExplanationEngine:
        """The engine over the shipped rules; raises RulesFileError if they are damaged."""
        from explorer.paths import AppPaths
        from explorer.resources import resource_path

        schema = resource_path("explain", "rules.schema.json")
        cache = AppPaths.from_environment().cache  # the checked rules, by their hash
        return cls(
            load_rules(resource_path("explain", "rules.yaml"), schema, cache=cache),
            load_rules(resource_path("explain", "http.yaml"), schema, cache=cache),
        )

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self._rules.rules

    def explain(
        self,
        record: ResponseRecord,
        *,
        host_kind: str | None = None,
        endpoint: Endpoint | None = None,
    ) -> Explanation:
        """Explain a response or a network failure. Never raises.

        Thumbtack's meanings apply where the request says they do (see
        :func:`explorer.core.status.thumbtack_meanings`); elsewhere the HTTP meaning,
        with what ``endpoint``'s description documents for the status."""
        try:
            url = record.url or record.request.url
            return self._explain(
                status=record.status,
                body=record.body,
                headers=record.headers,
                url=url,
                failure=record.failure,
                host_kind=host_kind,
                reason=record.reason,
                method=record.request.method,
                thumbtack=thumbtack_meanings(record.request, url=url),
                request_headers=record.request.headers,
                endpoint=endpoint,
            )
        except Exception as exc:  # the panel must always have something to say
            return self._internal_failure(exc)

    def explain_parts(
        self,
        status: int | None,
        body: bytes = b"",
        headers: Headers | None = None,
        url: str = "",
        failure: NetworkFailure | NetworkFailureKind | None = None,
        *,
        host_kind: str | None = None,
        reason: str = "",
        thumbtack: bool | None = None,
    ) -> Explanation:
        """Explain from loose parts (the CLI, tests). Never raises. ``thumbtack`` None:
        Thumbtack's meanings when ``url`` is one of its hosts (or there is no URL)."""
        try:
            return self._explain(
                status=status,
                body=body,
                headers=headers,
                url=url,
                failure=failure,
                host_kind=host_kind,
                reason=reason,
                method="",
                thumbtack=thumbtack_meanings(url=url) if thumbtack is None else thumbtack,
            )
        except Exception as exc:
            return self._internal_failure(exc)

    def _explain(
        self,
        *,
        status: int | None,
        body: bytes | str | None,
        headers: Headers | None,
        url: str,
        failure: NetworkFailure | NetworkFailureKind | None,
        host_kind: str | None,
        reason: str,
        method: str,
        thumbtack: bool = True,
        request_headers: Headers | None = None,
        endpoint: Endpoint | None = None,
    ) -> Explanation:
        if self._http_rules is None:
            thumbtack = True
        if isinstance(body, str):
            body = body.encode("utf-8", errors="replace")
        body = body if isinstance(body, bytes | bytearray) else b""
        if isinstance(status, bool) or not isinstance(status, int):
            status = None
        norm_headers = _normalise_headers(headers)
        content_type = _header(norm_headers, "content-type") or ""
        parsed = parse_body(bytes(body), content_type)
        kind = HostKind(host_kind) if host_kind in ("token", "api") else infer_host_kind(url)
        failure_kind: NetworkFailureKind | None = None
        failure_obj: NetworkFailure | None = None
        if isinstance(failure, NetworkFailure):
            failure_kind, failure_obj = failure.kind, failure
        elif isinstance(failure, NetworkFailureKind):
            failure_kind = failure
        facts = Facts(
            status=None if failure_kind else status,
            host=kind,
            headers=norm_headers,
            content_type=content_type.split(";")[0].strip().lower(),
            body=parsed,
            failure=failure_kind,
            failure_text=(
                "\n".join((failure_obj.message, *failure_obj.chain)) if failure_obj else ""
            ),
        )
        info = (
            classify_failure(failure_kind)
            if failure_kind is not None
            else classify_status(
                status,
                body_json=parsed.json if parsed.json is not None else dict(parsed.fields),
                host_kind=kind,
                headers=norm_headers,
                reason=reason,
                thumbtack=thumbtack,
                request_headers=request_headers,
            )
        )
        trace_id = parsed.trace_id or next(
            (value[:200] for key, value in norm_headers if _TRACE_HEADER.search(key) and value),
            None,
        )
        retry_after_s = _retry_after(info, norm_headers)
        values = self._values(
            facts=facts,
            info=info,
            url=url,
            reason=reason,
            method=method,
            failure=failure_obj,
            trace_id=trace_id,
            thumbtack=thumbtack,
        )
        rules = self._ordered if thumbtack else self._http_ordered
        ruleset = self._rules if thumbtack or self._http_rules is None else self._http_rules
        explanation: Explanation | None = None
        for rule in rules:
            fragments = rule.matches(facts)
            if fragments is not None:
                explanation = self._render(
                    rule,
                    info=info,
                    values=values,
                    fragments=fragments,
                    trace_id=trace_id,
                    retry_after_s=retry_after_s,
                    ruleset=ruleset,
                )
                break
        if explanation is None:
            explanation = self._undocumented(
                info=info,
                values=values,
                body=parsed,
                trace_id=trace_id,
                retry_after_s=retry_after_s,
                ruleset=ruleset,
                thumbtack=thumbtack,
            )
        if not thumbtack:
            explanation = with_description(
                replace(explanation, source="http", doc_url=explanation.doc_url or info.doc_url),
                endpoint,
                facts.status,
            )
        return _warn_unsafe_retry(explanation, method=method, failure=failure_obj)

    def _values(
        self,
        *,
        facts: Facts,
        info: StatusInfo,
        url: str,
        reason: str,
        method: str,
        failure: NetworkFailure | None,
        trace_id: str | None,
        thumbtack: bool = True,
    ) -> dict[str, str]:
        body = facts.body
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        retry = _retry_after(info, facts.headers) if facts.failure is None else None
        if retry is None and facts.status == 429:
            retry_text = NO_RETRY_AFTER if thumbtack else "there is no Retry-After: back off"
        elif retry is not None:
            retry_text = f"Retry-After says wait {retry:g} s"
        else:
            retry_text = ""
        location = _header(facts.headers, "location") or ""
        chain = " ← ".join(failure.chain) if failure and failure.chain else ""
        return {
            "redirect_target": f"to {_short(location, 300)}"
            if location
            else "with no Location header",
            "failure_details": f"Technical detail: {_short(chain, 600)}." if chain else "",
            "status": str(facts.status) if facts.status is not None else "no status",
            "reason": _short(reason or phrase(facts.status or 0), 80),
            "url": _short(url, 300),
            "host": host or "the server",
            "method": method,
            "location": _short(_header(facts.headers, "location") or "", 300),
            "retry_after": retry_text,
            "title": _short(body.field_text("title") or ""),
            "detail": _short(body.field_text("detail") or ""),
            "error": _short(body.field_text("error") or "", 100),
            "error_description": _short(body.field_text("error_description") or ""),
            "message": _short(body.message),
            "errors": _errors_text(body),
            "trace_id": trace_id or "",
            "content_type": _short(facts.content_type, 100),
            "failure_message": _short(failure.message, 300) if failure else "",
            "failure_chain": _short(" ← ".join(failure.chain), 600) if failure else "",
            "failure_type": failure.exception_type if failure else "",
            "problem_summary": _problem_summary(body),
            "required_scopes": " ".join(
                required_scopes(" ".join(filter(None, (body.field_text("detail"), body.message))))
            ),
            "html_title": body.html_title,
            "body_kind": body.kind.value,
            "meaning": info.meaning,
            "www_authenticate": _short(
                challenge_text(_header(facts.headers, "www-authenticate")), 200
            ),
            "allow": f"It allows: {_short(allow, 200)}."
            if (allow := _header(facts.headers, "allow"))
            else "",
        }

    @staticmethod
    def _fill(template: str, values: Mapping[str, str]) -> str:
        # A placeholder alone in brackets or quotes disappears with them when it is empty.
        template = _WRAPPED_PLACEHOLDER.sub(
            lambda m: m.group(0) if values.get(m.group(2)) else "", template
        )

        def put(m: re.Match[str]) -> str:
            value = values.get(m.group(1), "{" + m.group(1) + "}")
            # A quoted message that ends its own sentence gets no second full stop.
            return value if value.rstrip().endswith(_ENDS_SENTENCE) else value + m.group(2)

        text = _PLACEHOLDER_AND_STOP.sub(put, template)
        return " ".join(text.split()).replace(" .", ".").strip()

    def _render(
        self,
        rule: Rule,
        *,
        info: StatusInfo,
        values: Mapping[str, str],
        fragments: tuple[str, ...],
        trace_id: str | None,
        retry_after_s: float | None,
        ruleset: RuleSet | None = None,
    ) -> Explanation:
        fix = [self._fill(step, values) for step in rule.fix]
        actions = list(rule.actions)
        if trace_id:
            if FixAction.COPY_TRACE_ID not in actions:
                actions.append(FixAction.COPY_TRACE_ID)
            fix.append(self._fill((ruleset or self._rules).trace_step, values))
        else:
            actions = [a for a in actions if a is not FixAction.COPY_TRACE_ID]
        if retry_after_s is None and FixAction.RETRY_AFTER in actions:
            # No countdown without a Retry-After; the window offers a plain retry instead.
            actions = [FixAction.RETRY if a is FixAction.RETRY_AFTER else a for a in actions]
        return Explanation(
            rule_id=rule.id,
            status_class=info.status_class,
            title=self._fill(rule.title, values),
            cause=self._fill(rule.cause, values),
            fix=tuple(step for step in fix if step),
            doc_url=rule.doc_url,
            severity=rule.severity,
            actions=tuple(dict.fromkeys(actions)),
            matched=fragments,
            evidence=rule.evidence,
            evidence_note=rule.evidence_note,
            trace_id=trace_id,
            retry_after_s=retry_after_s,
        )

    def _undocumented(
        self,
        *,
        info: StatusInfo,
        values: Mapping[str, str],
        body: ParsedBody,
        trace_id: str | None,
        retry_after_s: float | None,
        ruleset: RuleSet | None = None,
        thumbtack: bool = True,
    ) -> Explanation:
        known = [f"{info.label}: {info.meaning}."]
        if values["reason"]:
            known.append(f"Reason phrase: {values['reason']}.")
        if values["failure_details"]:
            known.append(values["failure_details"])
        summary = values["problem_summary"]
        if summary:
            known.append(summary)
        elif body.kind is BodyKind.HTML:
            title = f": {body.html_title}" if body.html_title else ""
            known.append(f"The body is an HTML page{title}.")
        elif body.kind is BodyKind.EMPTY:
            known.append("The body is empty.")
        elif body.message:
            known.append(f"The body says: {_short(body.message, 300)}.")
        fix = ["Check the request against the endpoint's page in the API reference."]
        actions: list[FixAction] = []
        if trace_id:
            fix.append(self._fill((ruleset or self._rules).trace_step, values))
            actions.append(FixAction.COPY_TRACE_ID)
        severity = {
            StatusClass.SUCCESS: Severity.INFO,
            StatusClass.INFORMATIONAL: Severity.INFO,
            StatusClass.REDIRECT: Severity.WARNING,
        }.get(info.status_class, Severity.ERROR)
        return Explanation(
            rule_id=UNDOCUMENTED_RULE_ID,
            status_class=info.status_class,
            title=f"{info.label}: not documented",
            cause=(
                "Thumbtack's documentation does not describe this response. What is known: "
                if thumbtack
                else "This is not a standard HTTP status. What is known: "
            )
            + " ".join(known),
            fix=tuple(fix),
            doc_url="",
            severity=severity,
            actions=tuple(actions),
            documented=False,
            trace_id=trace_id,
            retry_after_s=retry_after_s,
        )

    @staticmethod
    def _internal_failure(exc: Exception) -> Explanation:
        return Explanation(
            rule_id=INTERNAL_RULE_ID,
            status_class=StatusClass.UNKNOWN,
            title="No explanation available",
            cause=f"The response could not be explained ({type(exc).__name__}). The body, "
            "headers and status are still shown as received.",
            fix=("Read the status and body directly.",),
            severity=Severity.WARNING,
            documented=False,
        )


def _described(endpoint: Endpoint | None, status: int | None) -> str:
    """What the loaded description documents for ``status`` of ``endpoint``, in words."""
    if endpoint is None or status is None or not endpoint.responses:
        return ""
    responses = {str(key).upper(): value for key, value in endpoint.responses.items()}
    name = endpoint.operation_id or f"{endpoint.method.upper()} {endpoint.path}"
    for key in (str(status), f"{status // 100}XX", "DEFAULT"):
        if key in responses:
            value = responses[key]
            text = value.get("description", "") if isinstance(value, Mapping) else ""
            text = _short(str(text), 300) if text else ""
            listed = "as the default response" if key == "DEFAULT" else f"as {key}"
            said = f": “{text.rstrip('.')}”" if text else " without a description"
            return f"The API description documents this answer of {name} {listed}{said}."
    codes = ", ".join(sorted(responses))
    return f"The API description of {name} does not list {status} (it lists {codes})."


def with_description(
    explanation: Explanation, endpoint: Endpoint | None, status: int | None
) -> Explanation:
    """``explanation`` with what ``endpoint``'s description documents for ``status``."""
    said = _described(endpoint, status)
    if not said:
        return explanation
    return replace(explanation, cause=f"{explanation.cause} {said}".strip())


def _retry_after(info: StatusInfo, headers: Iterable[tuple[str, str]]) -> float | None:
    """Seconds to wait: the 429 badge's figure, or a Retry-After on any other response."""
    if info.retry_after_s is not None:
        return info.retry_after_s
    if info.status_class is StatusClass.NETWORK_ERROR:
        return None
    for key, value in headers:
        if key.lower() == "retry-after":
            return parse_retry_after(value)
    return None


#: What the terminal shows beside an explanation's title, by grade.
EVIDENCE_MARKERS: dict[Evidence, str] = {
    Evidence.DOCUMENTED: "",
    Evidence.OBSERVED: "  [seen in real traffic: not on Thumbtack's pages]",
    Evidence.INFERRED: "  [unverified: our inference, not confirmed by Thumbtack]",
}


def format_explanation_text(expl: Explanation, *, width: int = 88) -> str:
    """An explanation as plain text for a terminal: title, cause, numbered fix steps, link."""
    marker = (
        EVIDENCE_MARKERS[expl.grade]
        if expl.source == "thumbtack" or expl.documented
        else "  [unverified: an inference]"
    )
    lines = [f"{expl.severity.value.upper()}: {expl.title}{marker}", ""]
    lines += textwrap.wrap(f"Cause: {expl.cause}", width=width, subsequent_indent="  ")
    if expl.fix:
        lines += ["", "Fix:"]
        for number, step in enumerate(expl.fix, start=1):
            lines += textwrap.wrap(
                f"{number}. {step}", width=width, initial_indent="  ", subsequent_indent="     "
            )
    if expl.doc_url:
        lines += ["", f"Docs: {expl.doc_url}"]
    if expl.trace_id:
        lines.append(f"traceID: {expl.trace_id}")
    if expl.retry_after_s is not None:
        lines.append(f"Retry after: {expl.retry_after_s:g} s")
    if expl.matched:
        lines.append("Matched: " + "  ".join(expl.matched))
    if expl.evidence_note:
        lines.append(f"Evidence: {expl.grade.label}. {expl.evidence_note}")
    lines.append(f"Rule: {expl.rule_id} ({expl.status_class.value})")
    return "\n".join(lines)


#: Failures after which the server may already have acted on the request.
_MAYBE_DONE = frozenset(
    {
        NetworkFailureKind.RESET,
        NetworkFailureKind.READ_TIMEOUT,
        NetworkFailureKind.PROTOCOL,
        NetworkFailureKind.CANCELLED,
        NetworkFailureKind.OTHER,
    }
)
UNSAFE_RETRY_STEP = (
    "Careful before retrying this {method}: the request was sent, so the server may already "
    "have acted on it (for example created the record). Check first (list or get it) to "
    "avoid a duplicate."
)


def _warn_unsafe_retry(
    explanation: Explanation, *, method: str, failure: NetworkFailure | None
) -> Explanation:
    """A POST or PATCH whose answer was lost may have happened: say so before any retry."""
    if failure is None or failure.kind not in _MAYBE_DONE:
        return explanation
    if method.upper() not in ("POST", "PATCH"):
        return explanation
    step = UNSAFE_RETRY_STEP.format(method=method.upper())
    return replace(explanation, fix=(step, *explanation.fix))
