"""The log file is private, HTTP libraries do not write URLs into it, and secrets in
messages are masked before they are written."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx2 as httpx
import pytest

from explorer.paths import AppPaths
from explorer.ui.app.application import setup_logging

SECRET_URL = "https://api.example/x?access_token=opq_LOGGED_123456789&client_secret=cs_LOG_9876"


@pytest.fixture
def logged() -> Iterator[AppPaths]:
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    paths = AppPaths.from_environment().ensure()
    setup_logging(paths)
    yield paths
    for handler in root.handlers[len(before) :]:
        handler.close()
        root.removeHandler(handler)
    root.setLevel(level)


def test_log_file_is_private_and_quiet_about_urls(logged: AppPaths) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    with httpx.Client(transport=transport) as client:
        client.get(SECRET_URL)
    logging.getLogger("explorer.test").info(
        "token was %s and Authorization: Bearer %s",
        "opq_LOGGED_123456789",
        "Zm9vYmFyYmF6cXV4MTIzNDU2",
    )
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = logged.log_file.read_text()
    assert logged.log_file.stat().st_mode & 0o777 == 0o600
    assert "HTTP Request" not in text
    assert "cs_LOG_9876" not in text
    assert "Zm9vYmFyYmF6cXV4MTIzNDU2" not in text
    assert "explorer.test" in text


def test_a_log_file_that_cannot_be_written_is_one_clear_line(capsys) -> None:  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    before = list(root.handlers)
    paths = AppPaths.from_environment().ensure()
    paths.log_file.mkdir(parents=True)  # not a file: it cannot be opened for writing
    problem = setup_logging(paths)
    assert problem is not None
    assert str(paths.log_file) in problem and "cannot be written" in problem
    assert capsys.readouterr().err.strip() == problem
    assert root.handlers == before  # the program runs on, without a file log
