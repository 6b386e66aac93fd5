"""HAR 1.2 in and out: a browser's network log as saved requests, and saved requests as HAR.

Import: each entry becomes a saved request in a folder named after its host, with its
response kept as an example. Cookies, HTTP/2 pseudo-headers and the headers a client
computes (Host, Content-Length) are dropped; secrets (tokens, API keys, client secrets)
become ``{{references}}`` offered to be stored as secrets. A browser's images, fonts,
styles and scripts are left out unless asked for; binary bodies are reported, not
imported as text.

Export: the requests as they are saved (references kept, secrets never), each with its
example as the response, redacted like everything the program writes.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from explorer import __version__
from explorer.core.interchange import (
    ImportedRequest,
    ImportPlan,
    InterchangeError,
    SecretCollector,
    make_example,
    unique_name,
)
from explorer.core.models import RequestSpec
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.saved import SavedRequest

#: browser resource types that are not API calls
_PAGE_RESOURCES = frozenset(
    {"image", "font", "stylesheet", "script", "media", "manifest", "texttrack", "document"}
)
_DROPPED_HEADERS = frozenset({"cookie", "host", "content-length", "connection"})


def _load(data: bytes | str) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise InterchangeError(
            f"This is not a HAR file: it is not JSON ({exc}). Save the network log again "
            "(in the browser's Network panel: Export HAR)."
        ) from exc
    log = document.get("log") if isinstance(document, dict) else None
    if not isinstance(log, dict) or not isinstance(log.get("entries"), list):
        raise InterchangeError(
            "This is not a HAR file: it has no log.entries. Save the network log again "
            "(in the browser's Network panel: Export HAR)."
        )
    return log


def _pairs(items: Any) -> list[tuple[str, str]]:
    if not isinstance(items, list):
        return []
    return [
        (str(item.get("name", "")), str(item.get("value", "")))
        for item in items
        if isinstance(item, dict) and item.get("name")
    ]


def _request_body(request: dict[str, Any], name: str, notes: list[str]) -> bytes | None:
    post = request.get("postData")
    if not isinstance(post, dict):
        size = request.get("bodySize")
        if isinstance(size, int) and size > 0:
            notes.append(
                f"The body of '{name}' ({size} bytes) is not in the HAR (browsers leave out "
                "binary uploads): it was imported without a body."
            )
        return None
    text = post.get("text")
    if isinstance(text, str):
        if post.get("encoding") == "base64":
            try:
                return base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                notes.append(f"The body of '{name}' is marked base64 but is not: left out.")
                return None
        return text.encode("utf-8")
    params = _pairs(post.get("params"))
    if params:
        if any(isinstance(p, dict) and p.get("fileName") for p in post.get("params", [])):
            notes.append(f"'{name}' uploads a file the HAR does not contain: left out.")
        return urlencode(params).encode("ascii")
    notes.append(f"The body of '{name}' is not in the HAR (browsers leave out binary uploads).")
    return None


def har_plan(
    data: bytes | str, *, known_secrets: Iterable[str] = (), include_page_resources: bool = False
) -> ImportPlan:
    """The saved requests a HAR file becomes; :class:`InterchangeError` if it is not HAR."""
    log = _load(data)
    collector = SecretCollector(known_secrets)
    notes: list[str] = []
    requests: list[ImportedRequest] = []
    names: dict[str, set[str]] = {}
    skipped = 0
    creator = log.get("creator") if isinstance(log.get("creator"), dict) else {}
    for index, entry in enumerate(log["entries"], start=1):
        request = entry.get("request") if isinstance(entry, dict) else None
        if not isinstance(request, dict) or not isinstance(request.get("url"), str):
            notes.append(f"Entry {index} has no request URL: left out.")
            continue
        url = request["url"]
        kind = str(entry.get("_resourceType", "")).lower()
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            notes.append(f"Entry {index} ({scheme}: URL) is not an HTTP request: left out.")
            continue
        if kind in _PAGE_RESOURCES and not include_page_resources:
            skipped += 1
            continue
        method = str(request.get("method") or "GET").upper()
        parts = urlsplit(url)
        label = f"{method} {parts.path or '/'}"
        headers = [
            (key, value)
            for key, value in _pairs(request.get("headers"))
            if not key.startswith(":") and key.lower() not in _DROPPED_HEADERS
        ]
        had_cookies = any(key.lower() == "cookie" for key, _ in _pairs(request.get("headers")))
        body = _request_body(request, label, notes)
        spec = collector.template(
            RequestSpec(method=method, url=url.split("#", 1)[0], headers=tuple(headers), body=body)
        )
        if had_cookies:
            notes.append(f"The browser's cookies were left out of '{label}'.")
        host = parts.hostname or "requests"
        name = unique_name(label, names.setdefault(host, set()))
        saved = SavedRequest.from_spec(spec, name=name)
        saved = replace(saved, headers=spec.headers, example=_example(entry, name, notes))
        requests.append(ImportedRequest(folder=host, request=saved))
    if skipped:
        notes.append(
            f"{skipped} entries for the page itself (documents, images, fonts, styles, "
            "scripts) were left out; import them too with the page-resources option."
        )
    title = str(creator.get("name") or "HAR") if isinstance(creator, dict) else "HAR"
    return ImportPlan(
        source="HAR 1.2",
        title=title,
        requests=tuple(requests),
        secrets=tuple(collector.refs),
        notes=tuple(notes),
    )


def _example(entry: dict[str, Any], name: str, notes: list[str]) -> dict[str, Any] | None:
    response = entry.get("response")
    if not isinstance(response, dict):
        return None
    status = response.get("status")
    if not isinstance(status, int) or status <= 0:
        return None  # the browser got no response (blocked, cancelled)
    raw_content = response.get("content")
    content: dict[str, Any] = raw_content if isinstance(raw_content, dict) else {}
    text = content.get("text")
    body: bytes | None = None
    if isinstance(text, str):
        if content.get("encoding") == "base64":
            try:
                body = base64.b64decode(text)
            except (binascii.Error, ValueError):
                body = None
        else:
            body = text.encode("utf-8")
    mime = str(content.get("mimeType", ""))
    return make_example(
        status,
        str(response.get("statusText", "")),
        _pairs(response.get("headers")),
        body,
        mime,
        notes=notes,
        name=name,
    )


# -- export --------------------------------------------------------------------------------
def _har_request(spec: RequestSpec) -> dict[str, Any]:
    parts = urlsplit(spec.url)
    entry: dict[str, Any] = {
        "method": spec.method,
        "url": spec.url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [{"name": k, "value": v} for k, v in spec.headers],
        "queryString": [
            {"name": k, "value": v} for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ],
        "headersSize": -1,
        "bodySize": len(spec.body) if spec.body is not None else 0,
    }
    if spec.body is not None:
        mime = spec.header("content-type") or ""
        try:
            entry["postData"] = {"mimeType": mime, "text": spec.body.decode("utf-8")}
        except UnicodeDecodeError:
            entry["postData"] = {
                "mimeType": mime,
                "text": base64.b64encode(spec.body).decode("ascii"),
                "encoding": "base64",
            }
    return entry


def _har_response(example: dict[str, Any] | None) -> dict[str, Any]:
    if not example:
        return {
            "status": 0,
            "statusText": "",
            "httpVersion": "",
            "cookies": [],
            "headers": [],
            "content": {"size": 0, "mimeType": ""},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
            "_note": "not sent yet: a saved request with no example response",
        }
    headers = [
        {"name": str(pair[0]), "value": str(pair[1])}
        for pair in example.get("headers", [])
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]
    body = example.get("body")
    text = body if isinstance(body, str) else ""
    mime = next((h["value"] for h in headers if h["name"].lower() == "content-type"), "")
    content: dict[str, Any] = {"size": len(text.encode("utf-8")), "mimeType": mime}
    if isinstance(body, str):
        content["text"] = body
    location = next((h["value"] for h in headers if h["name"].lower() == "location"), "")
    return {
        "status": int(example.get("status") or 0),
        "statusText": str(example.get("reason") or ""),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": headers,
        "content": content,
        "redirectURL": location,
        "headersSize": -1,
        "bodySize": content["size"],
    }


def requests_to_har(
    requests: Sequence[SavedRequest], *, known_secrets: Iterable[str] = ()
) -> dict[str, Any]:
    """A HAR 1.2 log of saved requests (with their examples as responses), redacted."""
    redactor = Redactor(RedactionPolicy.for_storage(known_secrets))
    entries = []
    for saved in requests:
        spec = redactor.redact_spec(saved.to_spec())
        entries.append(
            {
                "startedDateTime": "1970-01-01T00:00:00.000Z",
                "time": 0,
                "comment": saved.name,
                "request": _har_request(spec),
                "response": _har_response(saved.example),
                "cache": {},
                "timings": {"send": 0, "wait": 0, "receive": 0},
            }
        )
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "Thumbtack API Explorer", "version": __version__},
            "entries": entries,
        }
    }
