"""The program's offline help: its concepts, Thumbtack's status table and documented errors.

:func:`topics` gives every help topic, in the order the help view lists them. The concept
pages are the Markdown files in ``resources/help`` (shipped with the program, readable with
no network); "Status codes" and "Errors the program explains" are built here from the same
sources the badge and the explanation panel use (:func:`explorer.core.status.legend` and
the explanation rules), so help and window never disagree. Each entry carries its evidence
grade and its source; :func:`status_anchor` and :func:`rule_anchor` name the entry of one
status or one explanation, for help that opens where the user is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from explorer.core.evidence import MEANINGS, Evidence

STATUS_TOPIC = "status-codes"
ERRORS_TOPIC = "errors"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Topic:
    """One page of help: Markdown (a concept page) or HTML (a generated table)."""

    id: str
    title: str
    text: str
    kind: Literal["markdown", "html"]


def status_anchor(code: int | None) -> str:
    return f"status-{code if code is not None else 'none'}"


def rule_anchor(rule_id: str) -> str:
    return f"rule-{rule_id}"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _readable(template: str) -> str:
    """A rule's text with its placeholders as ‹words› (they are filled from the response)."""
    return _PLACEHOLDER.sub(lambda m: f"‹{m.group(1).replace('_', ' ')}›", template.strip())


def _grade(evidence: Evidence) -> str:
    return f'<i title="{_e(MEANINGS[evidence])}">[{_e(evidence.label)}]</i>'


def _source(url: str) -> str:
    return f'<a href="{_e(url)}">{_e(url)}</a>' if url else "this program"


def status_table_html() -> str:
    """Every status badge kind: its words, what it means and whose meaning it is."""
    from explorer.core.status import TROUBLESHOOTING_URL, legend

    rows = []
    for info in legend():
        grade = Evidence.DOCUMENTED if info.documented else Evidence.INFERRED
        code = str(info.code) if info.code is not None else "—"
        rows.append(
            f'<tr><td><a name="{status_anchor(info.code)}"></a><b>{_e(code)}</b></td>'
            f"<td>{_e(info.label)}</td><td>{_e(info.meaning)}</td>"
            f"<td>{_grade(grade)}</td>"
            f"<td>{_source(info.doc_url or (TROUBLESHOOTING_URL if info.documented else ''))}"
            "</td></tr>"
        )
    return (
        "<h1>Status codes</h1>"
        "<p>What the status badge says for an answer from Thumbtack (the Sandbox, the "
        "Production and Staging presets, or an environment marked as Thumbtack's). The badge "
        "always shows a symbol and words beside its colour. A grade says where each meaning "
        "comes from: <i>[documented]</i> is a row of Thumbtack's status table; "
        "<i>[our inference]</i> is this program's reading of a code the table does not "
        "list. Answers from other hosts get the HTTP standard's meaning (RFC 9110).</p>"
        '<table border="1" cellspacing="0" cellpadding="4">'
        "<tr><th>Code</th><th>Badge</th><th>Meaning</th><th>Grade</th><th>Source</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def errors_html() -> str:
    """Every explanation the program gives for Thumbtack's answers, with grade and source."""
    from explorer.core.explain_rules import load_rules
    from explorer.resources import resource_path

    rules = load_rules(
        resource_path("explain", "rules.yaml"), resource_path("explain", "rules.schema.json")
    ).rules
    entries = []
    for rule in rules:
        fixes = "".join(f"<li>{_e(_readable(step))}</li>" for step in rule.fix)
        note = f"<br><i>{_e(rule.evidence_note)}</i>" if rule.evidence_note else ""
        entries.append(
            f'<a name="{rule_anchor(rule.id)}"></a>'
            f"<h3>{_e(_readable(rule.title))}</h3>"
            f"<p>{_e(_readable(rule.cause))}</p>"
            + (f"<p><b>What to do</b></p><ol>{fixes}</ol>" if fixes else "")
            + f"<p>Grade: {_grade(rule.evidence)}{note}<br>Source: {_source(rule.doc_url)}</p>"
        )
    return (
        "<h1>Errors the program explains</h1>"
        "<p>Each answer from Thumbtack gets one of these explanations in the explanation "
        "panel; ‹words› are filled in from the answer itself. "
        "<i>[documented]</i>: Thumbtack's own page says it. "
        "<i>[seen in real traffic]</i>: partners captured it; no Thumbtack page says it. "
        "<i>[our inference]</i>: this program's best reading, not confirmed.</p>" + "".join(entries)
    )


def _concept_pages() -> list[Topic]:
    from explorer.resources import resource_path

    folder = resource_path("help")
    pages = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        first = text.lstrip().splitlines()[0] if text.strip() else path.stem
        title = first.lstrip("#").strip() or path.stem
        topic_id = path.stem.split("-", 1)[-1] if path.stem[:2].isdigit() else path.stem
        pages.append(Topic(topic_id, title, text, "markdown"))
    return pages


@cache
def topics() -> tuple[Topic, ...]:
    """Every help topic: the concept pages, then the status table and the errors."""
    return (
        *_concept_pages(),
        Topic(STATUS_TOPIC, "Status codes", status_table_html(), "html"),
        Topic(ERRORS_TOPIC, "Errors the program explains", errors_html(), "html"),
    )


def topic(topic_id: str) -> Topic | None:
    return next((t for t in topics() if t.id == topic_id), None)
