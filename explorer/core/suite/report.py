"""A run's reports: JUnit XML for CI, one self-contained HTML file for a ticket, JSON.

Every report passes through a :class:`~explorer.core.redact.Redactor` here, whatever the
caller did before: the HTML report and the JUnit XML as support bundles are (secrets and
personal data masked), the JSON report for storage (secrets masked, the data kept, so two
runs can be compared). The words of a check quote what the response held; where the
redaction masks that value in the response, it is masked in the words too.

The JUnit XML follows the Ant JUnit format that Jenkins, GitLab, GitHub and Azure read:
``testsuites`` > ``testsuite`` (with ``properties``, ``system-out``, ``system-err``) >
``testcase``, each failed step a ``failure`` (an assertion failed) or an ``error`` (it
could not be sent) whose text holds every failed check and the explanation engine's
explanation of the response.
"""

from __future__ import annotations

import contextlib
import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from explorer import __version__
from explorer.core.explain import format_explanation_text
from explorer.core.files import atomic_write
from explorer.core.media import MediaKind, media_kind
from explorer.core.models import Explanation, ResponseRecord
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.suite.checks import MISSING, body_json, find
from explorer.core.suite.model import CheckKind
from explorer.core.suite.runner import RunSummary, StepResult

#: the most of a body a report quotes
BODY_LIMIT = 64 * 1024
REPORT_VERSION = 1


def presentation_redactor(known_secrets: Iterable[str]) -> Redactor:
    return Redactor(RedactionPolicy.for_presentation(tuple(known_secrets)))


def storage_redactor(known_secrets: Iterable[str]) -> Redactor:
    return Redactor(RedactionPolicy.for_storage(tuple(known_secrets)))


# ----- one step, redacted ---------------------------------------------------------------


def _safe_checks(
    result: StepResult, redactor: Redactor, safe: ResponseRecord | None
) -> list[dict[str, Any]]:
    """The checks (their descriptions and words) with every value the redaction masks in
    the response masked where they quote it."""
    original = result.record
    body = body_json(original) if original is not None else MISSING
    masked_body = body_json(safe) if safe is not None else MISSING
    out: list[dict[str, Any]] = []
    for check in result.checks:
        texts = [check.assertion.describe(), check.words]
        assertion = check.assertion
        if assertion.kind is CheckKind.JSONPATH and body is not MISSING and assertion.target:
            value, masked = find(assertion.target, body), _at(assertion, masked_body)
            texts = [_mask_value(text, value, masked) for text in texts]
        elif assertion.kind is CheckKind.HEADER and original is not None and safe is not None:
            shown, hidden = original.header(assertion.target), safe.header(assertion.target)
            if shown and hidden is not None and shown != hidden:
                texts = [text.replace(shown, hidden) for text in texts]
        described, words = (redactor.redact_text(text) for text in texts)
        out.append(
            {
                "assertion": described,
                "kind": assertion.kind.value,
                "passed": check.passed,
                "words": words,
            }
        )
    return out


def _safe_reason(result: StepResult, checks: list[dict[str, Any]], redactor: Redactor) -> str:
    """:attr:`StepResult.reason` from the masked checks."""
    if result.error:
        return redactor.redact_text(result.error)
    failed = [str(c["words"]) for c in checks if not c["passed"]]
    if not failed:
        return ""
    return failed[0] + (f" (and {len(failed) - 1} more)" if len(failed) > 1 else "")


def safe_line(result: StepResult, redactor: Redactor) -> str:
    """:meth:`StepResult.line` with every value ``redactor`` masks in the response masked."""
    safe = redactor.redact_record(result.record) if result.record is not None else None
    reason = _safe_reason(result, _safe_checks(result, redactor, safe), redactor)
    return redactor.redact_text(result.line(reason))


def _at(assertion: Any, document: Any) -> Any:
    return MISSING if document is MISSING else find(assertion.target, document)


def _mask_value(words: str, value: Any, masked: Any) -> str:
    if value is MISSING or value == masked:
        return words
    if isinstance(value, dict | list):
        return words.replace(json.dumps(value, ensure_ascii=False)[:100], "[masked]")
    text = json.dumps(value, ensure_ascii=False)
    return words.replace(text, json.dumps(masked, ensure_ascii=False))


def _body_text(record: ResponseRecord) -> str:
    if not record.body:
        return ""
    if not media_kind(record.content_type, record.body).printable:
        return f"({len(record.body)} bytes of {record.content_type or 'binary data'})"
    text = record.body[:BODY_LIMIT].decode("utf-8", errors="replace")
    if (
        media_kind(record.content_type, record.body) is MediaKind.JSON
        and len(record.body) <= BODY_LIMIT
    ):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(record.body), indent=2, ensure_ascii=False)
    if len(record.body) > BODY_LIMIT:
        text += f"\n… ({len(record.body) - BODY_LIMIT} more bytes not shown)"
    return text


def _explanation_dict(explanation: Explanation | None, redactor: Redactor) -> dict[str, Any] | None:
    if explanation is None:
        return None
    return redactor.redact_mapping(explanation.to_dict())


def _explanation_text(explanation: Explanation | None, redactor: Redactor) -> str:
    if explanation is None:
        return ""
    return redactor.redact_text(format_explanation_text(explanation))


def step_document(result: StepResult, redactor: Redactor) -> dict[str, Any]:
    """One step as a JSON-ready object, redacted by ``redactor``."""
    safe = redactor.redact_record(result.record) if result.record is not None else None
    checks = _safe_checks(result, redactor, safe)
    document: dict[str, Any] = {
        "id": result.step.id,
        "name": result.step.name,
        "row": result.row,
        "title": result.title,
        "profile": redactor.redact_text(result.profile),
        "passed": result.passed,
        "reason": _safe_reason(result, checks, redactor),
        "error": redactor.redact_text(result.error),
        "checks": checks,
        "captured": sorted(result.captured),
        "contract": None
        if result.contract is None
        else redactor.redact_mapping(result.contract.to_dict()),
        "explanation": _explanation_dict(result.explanation, redactor),
        "request": None,
        "response": None,
    }
    if safe is not None:
        spec = safe.request
        document["request"] = {
            "method": spec.method,
            "url": spec.url,
            "headers": [[k, v] for k, v in spec.headers],
            "body": spec.body.decode("utf-8", errors="replace")[:BODY_LIMIT] if spec.body else None,
        }
        document["response"] = {
            "status": safe.status,
            "reason": safe.reason,
            "headers": [[k, v] for k, v in safe.headers],
            "body": _body_text(safe),
            "elapsed_ms": round(safe.timing.total_ms, 1),
            "failure": None if safe.failure is None else safe.failure.message,
        }
    return document


# ----- JSON ----------------------------------------------------------------------------


def json_report(summary: RunSummary, known_secrets: Iterable[str] = ()) -> str:
    """The whole run as JSON (secrets masked; for a baseline to compare later runs with)."""
    redactor = storage_redactor((*known_secrets, *summary.secret_values))
    document = {
        "kind": "thumbtack-explorer-run",
        "version": REPORT_VERSION,
        "program": f"Thumbtack API Explorer {__version__}",
        "suite": summary.suite,
        "environment": summary.environment,
        "started_at": summary.started_at,
        "elapsed_s": round(summary.elapsed_s, 3),
        "passed": summary.passed,
        "failed": summary.failed,
        "not_run": summary.not_run,
        "stopped": summary.stopped,
        "ok": summary.ok,
        "steps": [step_document(r, redactor) for r in summary.results],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ----- JUnit XML -------------------------------------------------------------------------


def failure_text(result: StepResult, redactor: Redactor) -> str:
    """What a CI reader needs about a failed step: each check, the request and status,
    and the explanation of the response."""
    safe = redactor.redact_record(result.record) if result.record is not None else None
    lines: list[str] = []
    if result.error:
        lines.append(redactor.redact_text(result.error))
    for check in _safe_checks(result, redactor, safe):
        lines.append(f"{'ok  ' if check['passed'] else 'FAIL'} {check['words']}")
    if safe is not None:
        said = (
            f"{safe.status} {safe.reason}".strip()
            if safe.status is not None
            else f"no response ({safe.failure.message if safe.failure else 'unknown'})"
        )
        lines += ["", f"{safe.request.method} {safe.request.url}", f"-> {said}"]
    text = _explanation_text(result.explanation, redactor)
    if text:
        lines += ["", text]
    return "\n".join(lines)


def _timestamp(started_at: str) -> str:
    try:
        moment = datetime.fromisoformat(started_at.replace("Z", "+00:00"))
    except ValueError:
        moment = datetime.now()
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _classname(summary: RunSummary, result: StepResult) -> str:
    folder = str(PurePosixPath(result.step.id).parent)
    parts = [summary.suite or "suite", *([] if folder == "." else folder.split("/"))]
    return ".".join(p.replace(".", "_") for p in parts)


def junit_xml(summary: RunSummary, known_secrets: Iterable[str] = ()) -> str:
    """The run as JUnit XML (Ant format), redacted as support bundles are."""
    redactor = presentation_redactor(
        (*known_secrets, *summary.secret_values, *summary.personal_values)
    )
    errors = sum(1 for r in summary.results if r.error)
    failures = summary.failed - errors
    total_time = f"{summary.elapsed_s:.3f}"
    root = ET.Element(
        "testsuites",
        name=summary.suite,
        tests=str(len(summary.results)),
        failures=str(failures),
        errors=str(errors),
        time=total_time,
    )
    suite = ET.SubElement(
        root,
        "testsuite",
        name=summary.suite or "suite",
        package=summary.suite or "suite",
        id="0",
        tests=str(len(summary.results)),
        failures=str(failures),
        errors=str(errors),
        skipped=str(summary.not_run),
        time=total_time,
        timestamp=_timestamp(summary.started_at),
        hostname=socket.gethostname() or "localhost",
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("environment", redactor.redact_text(summary.environment)),
        ("program", f"Thumbtack API Explorer {__version__}"),
        ("stopped", "true" if summary.stopped else "false"),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    for result in summary.results:
        case = ET.SubElement(
            suite,
            "testcase",
            name=redactor.redact_text(result.title),
            classname=_classname(summary, result),
            time=f"{result.elapsed_ms / 1000:.3f}",
        )
        if result.passed:
            continue
        kind = "error" if result.error else "failure"
        safe = redactor.redact_record(result.record) if result.record is not None else None
        element = ET.SubElement(
            case,
            kind,
            message=_safe_reason(result, _safe_checks(result, redactor, safe), redactor),
            type="not sent" if result.error else "assertion",
        )
        element.text = failure_text(result, redactor)
    out = ET.SubElement(suite, "system-out")
    out.text = "\n".join(safe_line(r, redactor) for r in summary.results) + (
        f"\n{summary.counts()}"
    )
    ET.SubElement(suite, "system-err").text = ""
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# ----- HTML -------------------------------------------------------------------------------


def html_report(summary: RunSummary, known_secrets: Iterable[str] = ()) -> str:
    """One self-contained HTML file (no script, no outside resource), redacted as support
    bundles are: secrets and personal data masked."""
    import jinja2

    from explorer.resources import read_text

    redactor = presentation_redactor(
        (*known_secrets, *summary.secret_values, *summary.personal_values)
    )
    steps = []
    for result in summary.results:
        document = step_document(result, redactor)
        document["explanation_text"] = _explanation_text(result.explanation, redactor)
        steps.append(document)
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(read_text("reports", "run.html.j2"))
    return template.render(
        summary={
            "suite": redactor.redact_text(summary.suite),
            "environment": redactor.redact_text(summary.environment),
            "started_at": summary.started_at,
            "elapsed_s": f"{summary.elapsed_s:.2f}",
            "counts": summary.counts(),
            "passed": summary.passed,
            "failed": summary.failed,
            "ok": summary.ok,
            "stopped": summary.stopped,
        },
        steps=steps,
        program=f"Thumbtack API Explorer {__version__}",
    )


def write_report(path: Any, text: str) -> None:
    """Write a report file (whole or not at all), readable by its owner only."""
    atomic_write(path, text, mode=0o600)
