"""The note that tells a user a response was injected by the Sandbox, not earned.

A request that carries ``X-Sandbox-Fault: NAME`` (the window's Sandbox menu, ``call
--fault``) gets the documented error NAME whatever the request holds, and the
Sandbox marks such answers with the same header. The explanation's own fix (a new token,
the right audience) cannot cure it, so the window and the CLI show this note beside it.
"""

from __future__ import annotations

from explorer.core.models import ResponseRecord

FAULT_HEADER = "X-Sandbox-Fault"


def injected_fault(record: ResponseRecord) -> str | None:
    """The fault the request asked for (or the Sandbox says it applied), else None."""
    for value in (record.request.header(FAULT_HEADER), record.header(FAULT_HEADER)):
        if value and value.strip() and value.strip().lower() != "none":
            return value.strip()
    return None


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
