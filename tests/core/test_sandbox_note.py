"""The note for responses the Sandbox injected on request."""

from __future__ import annotations

from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.sandbox_note import injected_fault, sandbox_fault_note


def record(request_headers=(), response_headers=()) -> ResponseRecord:  # type: ignore[no-untyped-def]
    spec = RequestSpec(method="GET", url="http://127.0.0.1:1/api/v4/x", headers=request_headers)
    return ResponseRecord(request=spec, status=502, headers=response_headers)


def test_the_request_header_names_the_fault() -> None:
    asked = record(request_headers=(("x-sandbox-fault", "proxy-oauth-failed"),))
    assert injected_fault(asked) == "proxy-oauth-failed"
    note = sandbox_fault_note(asked)
    assert note.startswith(
        "This response was injected by the Sandbox (X-Sandbox-Fault: proxy-oauth-failed)."
    )
    assert "No fault" in note


def test_the_sandbox_marker_counts_when_the_fault_was_its_default() -> None:
    marked = record(response_headers=(("X-Sandbox-Fault", "rate-limited"),))
    assert injected_fault(marked) == "rate-limited"


def test_real_answers_and_none_get_no_note() -> None:
    assert sandbox_fault_note(record()) == ""
    assert sandbox_fault_note(record(request_headers=(("X-Sandbox-Fault", "none"),))) == ""
