"""Requests from an earlier Sandbox run (another port) go to the Sandbox running now."""

from __future__ import annotations

from explorer.core.models import RequestSpec
from explorer.core.reopen import on_current_sandbox, sendable

NOW = "http://127.0.0.1:48400"


def test_an_old_sandbox_url_moves_to_the_current_sandbox() -> None:
    old = "http://127.0.0.1:40801/api/v4/keywords/search?searchQuery=car"
    assert on_current_sandbox(old, NOW) == NOW + "/api/v4/keywords/search?searchQuery=car"
    spec = sendable(RequestSpec(method="GET", url=old), {}, sandbox_base=NOW)
    assert spec.url.startswith(NOW + "/api/v4/")


def test_other_urls_are_left_alone() -> None:
    for url in (
        "https://api.thumbtack.com/api/v4/keywords/search",  # not this computer
        "http://127.0.0.1:9000/health",  # not a Thumbtack path
        NOW + "/api/v4/businesses",  # already the current Sandbox
    ):
        assert on_current_sandbox(url, NOW) == url
    assert on_current_sandbox("http://127.0.0.1:1/api/v4/x", "") == "http://127.0.0.1:1/api/v4/x"
