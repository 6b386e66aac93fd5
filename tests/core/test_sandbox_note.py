"""The note for responses the Sandbox injected on request."""

from __future__ import annotations

from explorer.core.models import RequestSpec, ResponseRecord
from explorer.core.sandbox_note import injected_fault, sandbox_fault_note


def record(request_headers=(), response_headers=(), status=502) -> ResponseRecord:  # type: ignore[no-untyped-def]
    spec = RequestSpec(method="GET", url="http://127.0.0.1:1/api/v4/x", headers=request_headers)
    return ResponseRecord(request=spec, status=status, headers=response_headers)


def test_the_request_header_names_the_fault_when_no_answer_came() -> None:
    asked = record(request_headers=(("x-sandbox-fault", "proxy-oauth-failed"),), status=None)
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


def test_an_answer_without_the_sandbox_marker_was_not_injected() -> None:
    """invalid-client asked on an API path is not injected (only the token server answers
    it): the real answer comes back unmarked and gets no note."""
    asked = record(request_headers=(("X-Sandbox-Fault", "invalid-client"),), status=200)
    assert injected_fault(asked) is None and sandbox_fault_note(asked) == ""
    marked = record(
        request_headers=(("X-Sandbox-Fault", "proxy-oauth-failed"),),
        response_headers=(("X-Sandbox-Fault", "proxy-oauth-failed"),),
    )
    assert injected_fault(marked) == "proxy-oauth-failed"
