"""A retry is rebuilt from what the user asked for under the current state."""

from __future__ import annotations

from explorer.core.models import RequestSpec
from explorer.core.resend import rebuild_for_retry, with_sandbox_fault, without_added_headers


def spec(url: str, *headers: tuple[str, str]) -> RequestSpec:
    return RequestSpec(method="GET", url=url, headers=headers)


def test_added_headers_are_dropped_and_the_users_kept() -> None:
    sent = spec(
        "http://127.0.0.1:9/api/v4/x",
        ("Authorization", "Bearer ••••"),
        ("x-sandbox-fault", "token-expired"),
        ("X-Trace", "1"),
    )
    assert without_added_headers(sent).headers == (("X-Trace", "1"),)


def test_a_retry_moves_to_the_current_environment_only_for_its_own_base() -> None:
    asked = spec("http://127.0.0.1:9/api/v4/x?a=1")
    moved = rebuild_for_retry(asked, asked_base="http://127.0.0.1:9", current_base="https://s.test")
    assert moved.url == "https://s.test/api/v4/x?a=1"
    typed = spec("http://127.0.0.19/api/v4/x")
    same = rebuild_for_retry(typed, asked_base="http://127.0.0.1", current_base="https://s.test")
    assert same.url == typed.url


def test_the_fault_goes_only_to_the_sandbox_and_never_twice() -> None:
    base = "http://127.0.0.1:9"
    on = with_sandbox_fault(spec(f"{base}/api/v4/x"), "waf", sandbox_base=base)
    assert on.header("X-Sandbox-Fault") == "waf"
    assert with_sandbox_fault(on, "other", sandbox_base=base).header("X-Sandbox-Fault") == "waf"
    off = with_sandbox_fault(spec("https://api.test/x"), "waf", sandbox_base=base)
    assert off.header("X-Sandbox-Fault") is None
    assert with_sandbox_fault(spec(f"{base}/x"), "waf", sandbox_base="").headers == ()
