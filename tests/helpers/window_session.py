"""Driving the window's safe-to-show features: a scripted ``ask``, an authenticating
sender, and a local API that answers like Thumbtack with customer data."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from helpers import scripted_session as s
from helpers.servers import LocalServer, local_server, reply
from PySide6.QtWidgets import QApplication

from explorer.core.http import make_client, send
from explorer.core.models import RequestSpec, ResponseRecord


@dataclass
class ScriptedAsk:
    """Answers the window's modal questions from a script and remembers what was asked."""

    folders: list[Path | None] = field(default_factory=list)
    texts: list[str | None] = field(default_factory=list)
    confirms: list[bool] = field(default_factory=list)
    files: list[tuple[Path, str] | None] = field(default_factory=list)
    opens: list[Path | None] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def folder(self, title: str, start: str = "") -> Path | None:
        self.asked.append(("folder", title))
        return self.folders.pop(0)

    def save_file(self, title: str, start: str, filters: list[str]) -> tuple[Path, str] | None:
        self.asked.append(("save_file", title))
        return self.files.pop(0)

    def open_file(self, title: str, start: str, filters: list[str]) -> Path | None:
        self.asked.append(("open_file", title))
        return self.opens.pop(0)

    def text(self, title: str, label: str, default: str = "") -> str | None:
        self.asked.append(("text", f"{title}: {default}"))
        return self.texts.pop(0)

    def confirm(self, title: str, text: str, *, action: str = "OK") -> bool:
        self.asked.append(("confirm", text))
        return self.confirms.pop(0)

    def error(self, title: str, text: str) -> None:
        self.errors.append(text)


def authed_perform(
    token: str = s.ACCESS_TOKEN,
) -> Callable[[RequestSpec, threading.Event], ResponseRecord]:
    """Sends like the real window: the current access token is added on the worker."""

    def perform(spec: RequestSpec, cancel: threading.Event) -> ResponseRecord:
        headers = tuple((k, v) for k, v in spec.headers if k.lower() != "authorization")
        authorized = replace(spec, headers=(*headers, ("Authorization", f"Bearer {token}")))
        with make_client() as client:
            return send(authorized, client=client, cancel=cancel)

    return perform


def thumbtack_like(h: http.server.BaseHTTPRequestHandler) -> None:
    """/negotiations -> the NegotiationV4 example; /token -> tokens; /status/N -> N."""
    path = h.path.split("?")[0]
    if "/status/" in path:
        code = int(path.rsplit("/", 1)[1])
        problem = {"type": "about:blank", "title": "Problem", "status": code, "traceID": "tr-9"}
        reply(code, json.dumps(problem).encode(), "application/problem+json")(h)
    elif path.endswith("/token"):
        body = {
            "access_token": s.ACCESS_TOKEN,
            "refresh_token": s.REFRESH_TOKEN,
            "token_type": "bearer",
            "expires_in": 3600,
        }
        reply(200, json.dumps(body).encode(), headers={"Set-Cookie": f"sid={s.REFRESH_TOKEN}"})(h)
    elif path.endswith("/expired"):
        problem = {"title": "Unauthorized", "detail": f"token {s.ACCESS_TOKEN} has expired"}
        reply(401, json.dumps(problem).encode(), "application/problem+json")(h)
    else:
        reply(200, json.dumps(s.NEGOTIATION, indent=2).encode(), headers={"X-Trace-Id": "t-1"})(h)


@contextmanager
def thumbtack_server() -> Iterator[LocalServer]:
    with local_server(thumbtack_like) as server:
        yield server


def set_headers(window: Any, text: str) -> None:
    """Type free headers ("Name: value" lines) into the request panel."""
    window.request_panel.param_form.extra_headers.setPlainText(text)


def send_url(window: Any, qtbot: Any, url: str, *, method: str = "GET", body: str = "") -> Any:
    """Type a URL (and body) into the request panel, send, and wait for the history row."""
    panel = window.request_panel
    panel.method.setCurrentText(method)
    panel.url.setText(url)
    panel.raw.setPlainText(body)
    recorded = window.history.service.recorded
    with (
        qtbot.waitSignal(recorded, timeout=10000),
        qtbot.waitSignal(window.response_shown, timeout=10000) as shown,
    ):
        window.send_current()
    return shown.args[0]


@pytest.fixture(autouse=True)
def keep_app_look(qapp: QApplication) -> Iterator[None]:
    """Presentation mode changes the application's font; put it back after each test."""
    font, palette, sheet = qapp.font(), qapp.palette(), qapp.styleSheet()
    base = qapp.property("explorer_base_point_size")
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setProperty("explorer_base_point_size", base)


def shown_text(window: Any) -> str:
    """Everything the response pane shows: body, headers table, raw body and request."""
    pane = window.response_pane
    parts = [pane.body_view.text(), pane.raw_view.text(), pane.request.toPlainText()]
    for row in range(pane.headers.rowCount()):
        for col in range(pane.headers.columnCount()):
            item = pane.headers.item(row, col)
            parts.append(item.text() if item else "")
    return "\n".join(parts)


def explanation_text(window: Any) -> str:
    """Every label of the explanation panel."""
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in window.explanation_panel.findChildren(QLabel))
