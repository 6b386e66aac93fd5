"""Integration fixtures: httpbin on 127.0.0.1 for the tests of this folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.httpbin import running_httpbin


@pytest.fixture(scope="module")
def httpbin_url() -> Iterator[str]:
    with running_httpbin() as url:
        yield url
