"""Rebuilding a request for a retry or a one-click fix from the current state.

A fix ("Refresh token and retry", "Set audience and retry", "Retry") must send what the
user asked for under what is chosen *now*: the current profile's token, the current
environment's base URL and the Sandbox menu's current fault. Replaying the headers of the
answer that failed would carry an old ``X-Sandbox-Fault`` or an old token and fail again.

The request the user asked for is kept apart from what the program added when sending
(``Authorization`` from the profile, ``X-Sandbox-Fault`` from the Sandbox menu): the
added headers are re-derived at every send, never replayed.
"""

from __future__ import annotations

from dataclasses import replace

from explorer.core.models import RequestSpec
from explorer.core.sandbox_note import FAULT_HEADER

ADDED_WHEN_SENT = ("authorization", FAULT_HEADER.lower())


def without_added_headers(spec: RequestSpec) -> RequestSpec:
    """``spec`` without the headers the program adds when sending (token, Sandbox fault)."""
    kept = tuple((k, v) for k, v in spec.headers if k.lower() not in ADDED_WHEN_SENT)
    return spec if len(kept) == len(spec.headers) else replace(spec, headers=kept)


def rebased(spec: RequestSpec, old_base: str, new_base: str) -> RequestSpec:
    """``spec`` moved from ``old_base`` to ``new_base`` (the environment changed since it
    was built); a URL outside ``old_base`` (typed by hand) stays as it is."""
    old, new = old_base.rstrip("/"), new_base.rstrip("/")
    if not old or not new or old == new:
        return spec
    if spec.url == old or spec.url.startswith(old + "/") or spec.url.startswith(old + "?"):
        return replace(spec, url=new + spec.url[len(old) :])
    return spec


def with_sandbox_fault(spec: RequestSpec, fault: str | None, *, sandbox_base: str) -> RequestSpec:
    """``spec`` with ``X-Sandbox-Fault: fault`` when it is bound for the Sandbox at
    ``sandbox_base`` (empty: not on the Sandbox) and does not name a fault itself."""
    if not fault or not sandbox_base or not spec.url.startswith(sandbox_base.rstrip("/")):
        return spec
    if spec.header(FAULT_HEADER) is not None:
        return spec
    return replace(spec, headers=(*spec.headers, (FAULT_HEADER, fault)))


def rebuild_for_retry(asked: RequestSpec, *, asked_base: str, current_base: str) -> RequestSpec:
    """The request to send again: what the user asked for, moved to the current
    environment. The current token and Sandbox fault are added when it is sent."""
    return rebased(asked, asked_base, current_base)
