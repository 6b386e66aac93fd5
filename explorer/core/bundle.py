"""Support bundles: one exchange, redacted, as a file to attach to a ticket.

Three forms: HAR 1.2 (``.har``, for browser tools and HAR viewers), a JSON document with a
Markdown summary inside (``.json``), and Markdown with the JSON document in a fenced block
(``.md``). Each carries the request, response, timing, explanation, environment name,
program version and OS. Everything passes through the presentation redactor (secrets and
personal data masked) here, whatever the caller did before, so no bundle can carry a
secret. Binary bodies are base64 in HAR (``encoding: base64``).
"""

from __future__ import annotations

import base64
import json
import platform
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from explorer import __version__
from explorer.core.files import atomic_write
from explorer.core.history import Exchange
from explorer.core.models import ResponseRecord
from explorer.core.redact import MASK, RedactionPolicy, Redactor

_TEXT_TYPES = ("text/", "json", "xml", "javascript", "x-www-form-urlencoded", "yaml", "html")


class BundleFormat(StrEnum):
    """The file forms of a support bundle."""

    HAR = "har"
    JSON = "json"
    MARKDOWN = "md"

    @property
    def suffix(self) -> str:
        return f".{self.value}"


def _redacted(exchange: Exchange, known_secrets: Iterable[str]) -> Exchange:
    redactor = Redactor(RedactionPolicy.for_presentation(known_secrets))
    explanation = (
        None if exchange.explanation is None else redactor.redact_mapping(exchange.explanation)
    )
    contract = None if exchange.contract is None else redactor.redact_mapping(exchange.contract)
    return replace(
        exchange,
        record=redactor.redact_record(exchange.record),
        explanation=explanation,
        contract=contract,
        environment=redactor.redact_text(exchange.environment),
        profile=redactor.redact_text(exchange.profile),
    )


def environment_facts() -> dict[str, str]:
    """Program version and OS, for the reader of a ticket."""
    return {
        "program": "Thumbtack API Explorer",
        "version": __version__,
        "os": platform.platform(),
        "python": sys.version.split()[0],
    }


def _is_text(content_type: str, body: bytes) -> bool:
    if any(marker in content_type for marker in _TEXT_TYPES):
        return True
    if not content_type:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def _content(body: bytes, content_type: str) -> dict[str, Any]:
    if _is_text(content_type, body):
        return {"text": body.decode("utf-8", errors="replace")}
    return {"text": base64.b64encode(body).decode("ascii"), "encoding": "base64"}


def _har_timings(record: ResponseRecord) -> dict[str, float]:
    t = record.timing

    def phase(value: float | None) -> float:
        return round(value, 3) if value is not None else -1

    return {
        "blocked": -1,
        "dns": phase(t.dns_ms),
        "connect": phase(t.connect_ms),
        "ssl": phase(t.tls_ms),
        "send": max(0.0, phase(t.send_ms)),
        "wait": max(0.0, phase(t.wait_ms)),
        "receive": max(0.0, phase(t.download_ms)),
    }


def _har_entry(exchange: Exchange) -> dict[str, Any]:
    record = exchange.record
    spec = record.request
    request_type = spec.header("content-type") or ""
    har_request: dict[str, Any] = {
        "method": spec.method.upper(),
        "url": spec.url,
        "httpVersion": record.http_version or "HTTP/1.1",
        "cookies": [],
        "headers": [{"name": k, "value": v} for k, v in spec.headers],
        "queryString": [
            {"name": k, "value": v} for k, v in parse_qsl(urlsplit(spec.url).query, True)
        ],
        "headersSize": -1,
        "bodySize": len(spec.body) if spec.body is not None else 0,
    }
    if spec.body:
        post = _content(spec.body, request_type.lower())
        har_request["postData"] = {"mimeType": request_type, **post}
    content_type = record.header("content-type") or ""
    response_content = {
        "size": len(record.body),
        "mimeType": content_type,
        **(_content(record.body, record.content_type) if record.body else {"text": ""}),
    }
    entry: dict[str, Any] = {
        "startedDateTime": record.started_at or exchange.created_at or "1970-01-01T00:00:00Z",
        "time": round(record.timing.total_ms, 3),
        "request": har_request,
        "response": {
            "status": record.status or 0,
            "statusText": record.reason,
            "httpVersion": record.http_version or "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": k, "value": v} for k, v in record.headers],
            "content": response_content,
            "redirectURL": record.header("location") or "",
            "headersSize": -1,
            "bodySize": len(record.body),
        },
        "cache": {},
        "timings": _har_timings(record),
        "_operationId": spec.operation_id,
        "_environment": exchange.environment,
        "_explanation": dict(exchange.explanation) if exchange.explanation else None,
    }
    if exchange.contract:
        entry["_contract"] = dict(exchange.contract)
    if record.body_truncated:
        entry["comment"] = "The response body was cut short before it was stored."
    if record.failure is not None:
        entry["_error"] = {
            "kind": record.failure.kind.value,
            "message": record.failure.message,
            "chain": list(record.failure.chain),
        }
    return entry


def to_har(exchanges: Sequence[Exchange], *, known_secrets: Iterable[str] = ()) -> dict[str, Any]:
    """A HAR 1.2 document of the exchanges, redacted."""
    secrets = tuple(known_secrets)
    facts = environment_facts()
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": facts["program"], "version": facts["version"]},
            "comment": f"OS: {facts['os']}; Python {facts['python']}. Secrets and personal "
            "data are masked.",
            "entries": [_har_entry(_redacted(exchange, secrets)) for exchange in exchanges],
        }
    }


def to_document(exchange: Exchange, *, known_secrets: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON bundle: everything about one exchange, redacted, with a Markdown summary."""
    safe = _redacted(exchange, tuple(known_secrets))
    record = safe.record
    spec = record.request
    return {
        "bundle_version": 1,
        "about": environment_facts(),
        "environment": safe.environment,
        "profile": safe.profile,
        "created_at": safe.created_at,
        "history_id": safe.id,
        "request": {
            "method": spec.method.upper(),
            "url": spec.url,
            "operation_id": spec.operation_id,
            "headers": [{"name": k, "value": v} for k, v in spec.headers],
            "body": None
            if spec.body is None
            else _content(spec.body, (spec.header("content-type") or "").lower()),
        },
        "response": {
            "status": record.status,
            "reason": record.reason,
            "http_version": record.http_version,
            "url": record.url,
            "headers": [{"name": k, "value": v} for k, v in record.headers],
            "body": _content(record.body, record.content_type),
            "body_truncated": record.body_truncated,
            "started_at": record.started_at,
            "failure": None
            if record.failure is None
            else {
                "kind": record.failure.kind.value,
                "message": record.failure.message,
                "chain": list(record.failure.chain),
            },
        },
        "timing_ms": asdict(record.timing),
        "explanation": dict(safe.explanation) if safe.explanation else None,
        "contract": dict(safe.contract) if safe.contract else None,
        "summary_markdown": _summary(safe),
    }


def _summary(safe: Exchange) -> str:
    record = safe.record
    spec = record.request
    facts = environment_facts()
    status = (
        f"{record.status} {record.reason}".strip()
        if record.status is not None
        else f"no response ({record.failure.kind.value if record.failure else 'unknown'})"
    )
    lines = [
        f"# {spec.method.upper()} {spec.url}",
        "",
        f"- **Result:** {status}",
        f"- **Operation:** {spec.operation_id or 'unknown'}",
        f"- **Environment:** {safe.environment or 'unknown'}",
        f"- **Time:** {record.timing.total_ms:.1f} ms, started {record.started_at or '?'}",
        f"- **Program:** {facts['program']} {facts['version']} on {facts['os']}",
    ]
    if record.failure is not None:
        lines.append(f"- **Failure:** {record.failure.message}")
    trace = record.header("x-trace-id") or (safe.explanation or {}).get("trace_id")
    if trace:
        lines.append(f"- **Trace ID:** {trace}")
    explanation = safe.explanation
    if explanation:
        lines += ["", f"## {explanation.get('title', 'Explanation')}", ""]
        lines.append(str(explanation.get("cause", "")))
        fixes = explanation.get("fix") or []
        if fixes:
            lines += ["", "What to do:", ""] + [f"1. {step}" for step in fixes]
        if explanation.get("doc_url"):
            lines += ["", f"Documentation: {explanation['doc_url']}"]
    contract = safe.contract
    if contract:
        lines += [
            "",
            "## Contract",
            "",
            f"Verdict: {contract.get('label') or contract.get('verdict')}",
        ]
        problems = [p for p in contract.get("problems") or [] if isinstance(p, dict)]
        if problems:
            lines.append("")
            lines += [f"- `{p.get('path', '')}`: {p.get('message', '')}" for p in problems[:50]]
            if len(problems) > 50:
                lines.append(f"- … and {len(problems) - 50} more")
    lines += ["", f"Secrets and personal data in this file are masked as {MASK}.", ""]
    return "\n".join(lines)


def to_markdown(exchange: Exchange, *, known_secrets: Iterable[str] = ()) -> str:
    """The Markdown bundle: the summary, then the whole JSON bundle in a fenced block."""
    document = to_document(exchange, known_secrets=known_secrets)
    summary = document.pop("summary_markdown")
    payload = json.dumps(document, indent=2, ensure_ascii=False)
    fence = "````" if "```" in payload else "```"
    return f"{summary}\n## Details\n\n{fence}json\n{payload}\n{fence}\n"


def render_bundle(
    exchange: Exchange, fmt: BundleFormat, *, known_secrets: Iterable[str] = ()
) -> str:
    """The text of a bundle in ``fmt``."""
    if fmt is BundleFormat.HAR:
        document = to_har([exchange], known_secrets=known_secrets)
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt is BundleFormat.JSON:
        document = to_document(exchange, known_secrets=known_secrets)
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return to_markdown(exchange, known_secrets=known_secrets)


def write_bundle(
    path: Path, exchange: Exchange, fmt: BundleFormat | str, *, known_secrets: Iterable[str] = ()
) -> Path:
    """Write the bundle atomically to ``path`` and return it."""
    chosen = BundleFormat(fmt)
    atomic_write(path, render_bundle(exchange, chosen, known_secrets=known_secrets), mode=0o600)
    return path
