"""The note that tells a user a response was injected by the Sandbox, not earned.

A request that carries ``X-Sandbox-Fault: NAME`` (the window's Sandbox menu, ``call
--fault``) gets the documented error NAME whatever the request holds, and the
Sandbox marks such answers with the same header. The explanation's own fix (a new token,
the right audience) cannot cure it, so the window and the CLI show this note beside it.
"""

from __future__ import annotations

from explorer.core.models import ResponseRecord

FAULT_HEADER = "X-Sandbox-Fault"


def _named(value: str | None) -> str | None:
    if value and value.strip() and value.strip().lower() != "none":
        return value.strip()
    return None


def injected_fault(record: ResponseRecord) -> str | None:
    """The fault the Sandbox says it applied; with no answer at all (a dropped
    connection), the fault the request asked for. A fault asked for where it cannot
    happen (``invalid-client`` on an API path) is not applied and not reported."""
    if record.status is not None:
        return _named(record.header(FAULT_HEADER))
    return _named(record.request.header(FAULT_HEADER))


def sandbox_fault_note(record: ResponseRecord) -> str:
    """One paragraph for an injected response, or "" for a real one."""
    fault = injected_fault(record)
    if fault is None:
        return ""
    return (
        f"This response was injected by the Sandbox ({FAULT_HEADER}: {fault}). The fix "
        "below cannot cure it: pick Sandbox ▸ No fault in the window (from the command "
        "line, leave out --fault) to see the real answer."
    )
