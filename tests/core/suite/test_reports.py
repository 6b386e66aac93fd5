"""Reports of a real run on the Sandbox: the JUnit XML is valid against the JUnit schema
and carries each failure with its explanation; the HTML report is one self-contained file
with no secret and no customer data in it (canary scan); the JSON report keeps the data
with the secrets masked."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from explorer.core.sandbox_signin import DEMO_CLIENT_SECRETS
from explorer.core.session import Session
from explorer.core.suite.load import load_suite
from explorer.core.suite.report import html_report, json_report, junit_xml
from explorer.core.suite.runner import RunSummary, SuiteRunner
from explorer.core.suite.sending import SessionSender

SCHEMA = Path(__file__).resolve().parents[2] / "data" / "junit" / "junit.xsd"
EMAIL = "olivia.young@example.com"
PHONE = "+14155550142"


@pytest.fixture
def finished(
    session: Session, write_suite: Callable[..., Path]
) -> tuple[RunSummary, SessionSender]:
    root = write_suite(
        {
            "1-token": {
                "method": "POST",
                "url": "{{base_url}}/oauth2/token",
                "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"}],
                "body": None,
                "captures": [{"name": "token", "path": "$.access_token"}],
            },
            "2-self": {
                "url": "{{base_url}}/api/v4/users/self",
                "as": "customer",
                "assertions": [
                    {"status": 200},
                    {"jsonpath": "$.email", "equals": EMAIL},
                    {"jsonpath": "$.phoneNumber", "equals": "+10000000000"},
                ],
            },
            "3-echo": {
                "url": "{{base_url}}/api/v4/keywords/search?searchQuery=plumb",
                "headers": [{"name": "X-Debug-Token", "value": "{{token}}"}],
                "assertions": [{"status": 404}, {"header": "Content-Type", "equals": "{{token}}"}],
            },
            "4-missing": {"url": "{{base_url}}/api/v4/users/{{nowhere}}"},
        }
    )
    # the token request's form body: built by hand (a saved request keeps text bodies too)
    token_file = root / "1-token.request.json"
    document = json.loads(token_file.read_text())
    document.update(
        body="grant_type=client_credentials&audience=urn:partner-api", body_format="text"
    )
    token_file.write_text(json.dumps(document))
    sender = SessionSender(session)
    runner = SuiteRunner(load_suite(root), sender)
    list(runner.run())
    return runner.summary, sender


def _canaries(summary: RunSummary, sender: SessionSender) -> list[str]:
    token = summary.results[0].captured["token"]
    assert len(token) > 20
    return [token, *DEMO_CLIENT_SECRETS.values(), *sender.known_secrets(), EMAIL, PHONE]


def test_junit_report_is_valid_and_explains_each_failure(
    finished: tuple[RunSummary, SessionSender],
) -> None:
    summary, sender = finished
    text = junit_xml(summary, sender.known_secrets())
    xmlschema.XMLSchema(SCHEMA).validate(text)  # raises with the reason when invalid
    root = ET.fromstring(text)
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")
    cases = suite.findall("testcase")
    assert [c.find("failure") is not None for c in cases] == [False, True, True, False]
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("type") == "assertion"
    assert "$.phoneNumber" in (failure.get("message") or "")
    detail = failure.text or ""
    assert "FAIL" in detail and "ok   $.email" in detail.replace("ok  ", "ok   ", 1)
    assert "Cause:" in detail  # the explanation engine's explanation of the response
    error = cases[3].find("error")
    assert error is not None and "{{nowhere}} has no value" in (error.text or "")
    for canary in _canaries(summary, sender):
        assert canary not in text, canary


def test_html_report_is_one_file_with_no_secret_and_no_customer_data(
    finished: tuple[RunSummary, SessionSender],
) -> None:
    summary, sender = finished
    html = html_report(summary, sender.known_secrets())
    assert html.startswith("<!DOCTYPE html>")
    # self-contained: nothing loaded from elsewhere (links to documentation are fine)
    assert not re.search(r"<(script|link|img|iframe)\b", html, re.IGNORECASE)
    assert "url(" not in html and "@import" not in html
    assert "1 passed, 3 failed" in html
    assert "users/self" in html and "X-Debug-Token" in html
    for canary in _canaries(summary, sender):
        assert canary not in html, canary
    assert "eyJ" not in html  # no JWT at all


def test_json_report_masks_secrets_and_keeps_the_data(
    finished: tuple[RunSummary, SessionSender],
) -> None:
    summary, sender = finished
    document = json.loads(json_report(summary, sender.known_secrets()))
    assert (document["passed"], document["failed"], document["ok"]) == (1, 3, False)
    steps = document["steps"]
    assert [s["id"] for s in steps] == [
        "1-token.request.json",
        "2-self.request.json",
        "3-echo.request.json",
        "4-missing.request.json",
    ]
    assert steps[0]["captured"] == ["token"]
    assert EMAIL in steps[1]["response"]["body"]  # storage redaction keeps personal data
    text = json.dumps(document)
    token = summary.results[0].captured["token"]
    assert token not in text and "sandbox-demand-secret" not in text
