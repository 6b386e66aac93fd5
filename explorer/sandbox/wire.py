"""The Sandbox's request and response values, independent of the socket that carries them.

The HTTP handler in :mod:`explorer.sandbox.server` turns bytes into a :class:`Request`,
the application answers with a :class:`Response`, and the handler writes it (applying any
network fault). Handlers signal errors by raising :class:`ApiError`, which carries a
ready :class:`Response`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True, kw_only=True)
class Request:
    """One parsed HTTP request."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes = b""
    client_host: str = "127.0.0.1"

    def header(self, name: str) -> str | None:
        value = self.headers.get(name)
        return None if value is None else str(value)

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()


@dataclass(frozen=True, kw_only=True)
class Response:
    """One HTTP response ready to be written."""

    status: int
    body: bytes = b""
    content_type: str | None = JSON
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def with_headers(self, *extra: tuple[str, str]) -> Response:
        return Response(
            status=self.status,
            body=self.body,
            content_type=self.content_type,
            headers=self.headers + tuple(extra),
        )


def json_response(
    status: int,
    payload: Any,
    *,
    content_type: str = JSON,
    headers: tuple[tuple[str, str], ...] = (),
) -> Response:
    """A JSON response (compact, UTF-8)."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Response(status=status, body=body, content_type=content_type, headers=headers)


def html_response(status: int, html: str, *, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status=status, body=html.encode("utf-8"), content_type=HTML, headers=headers)


def empty_response(status: int = 204) -> Response:
    return Response(status=status, body=b"", content_type=None)


class ApiError(Exception):
    """Raised by handlers to answer with an error response."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"HTTP {response.status}")
        self.response = response
