"""Postman collections (v2.0 and v2.1) and environments in; Postman v2.1 out.

Import keeps folders, requests, headers, bodies (raw, urlencoded, form-data, GraphQL),
auth (bearer, basic, API key; OAuth 2.0 as the profile's token), saved responses (the
first becomes the request's example) and variables. Postman's ``{{name}}`` references are
the program's own, so they stay as they are. Secrets (in auth, headers, bodies, variables
marked secret or named like one) are set aside as ``{{references}}``. Whatever cannot be
translated, such as pre-request and test scripts, is listed in the plan's notes.

Export writes a v2.1 collection that Postman imports: a suite's folders become folders,
its variables the collection's variables, and each ``{{reference}}`` a request uses but the
suite does not define is declared with an empty value for the user's Postman environment.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from explorer.core.interchange import (
    ImportedRequest,
    ImportPlan,
    InterchangeError,
    SecretCollector,
    Suite,
    make_example,
    unique_name,
)
from explorer.core.models import RequestSpec
from explorer.core.redact_rules import is_reference, is_secret_key
from explorer.core.saved import SavedRequest
from explorer.core.secret_refs import SecretRef
from explorer.core.variables import VARIABLE_PATTERN

SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
_PATH_VARIABLE = re.compile(r"(?<=[^/:])/:([A-Za-z_][A-Za-z0-9_]*)")


def _load(data: bytes | str, what: str) -> Any:
    try:
        return json.loads(data)
    except ValueError as exc:
        raise InterchangeError(f"This is not a Postman {what}: it is not JSON ({exc}).") from exc


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # a v2.1 description object {content, type}
        return str(value.get("content", ""))
    return str(value)


def _kv(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _auth_params(auth: dict[str, Any], kind: str) -> dict[str, str]:
    raw = auth.get(kind)
    if isinstance(raw, list):  # v2.1: [{"key", "value", "type"}]
        return {str(p.get("key")): _text(p.get("value")) for p in _kv(raw)}
    if isinstance(raw, dict):  # v2.0: {"token": "..."}
        return {str(k): _text(v) for k, v in raw.items()}
    return {}


class _Importer:
    def __init__(self, known_secrets: Iterable[str]) -> None:
        self.collector = SecretCollector(known_secrets)
        self.notes: list[str] = []
        self.requests: list[ImportedRequest] = []
        self.names: dict[str, set[str]] = {}

    # -- scripts and unsupported parts ------------------------------------------------
    def scripts(self, owner: dict[str, Any], where: str) -> None:
        for event in _kv(owner.get("event")):
            script = event.get("script") if isinstance(event.get("script"), dict) else {}
            exec_ = script.get("exec") if isinstance(script, dict) else None
            lines = exec_ if isinstance(exec_, list) else str(exec_ or "").splitlines()
            if not any(str(line).strip() for line in lines):
                continue
            kind = "pre-request" if event.get("listen") == "prerequest" else "test"
            self.notes.append(
                f"{where} has a {kind} script ({len(lines)} line{'s' * (len(lines) != 1)}) "
                "that was not translated: scripts do not run here."
            )

    # -- auth -------------------------------------------------------------------------
    def auth_headers(
        self, auth: Any, where: str
    ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """Headers and query pairs an auth block adds."""
        if not isinstance(auth, dict):
            return [], []
        kind = str(auth.get("type", "noauth"))
        params = _auth_params(auth, kind)
        if kind == "noauth":
            return [], []
        if kind == "bearer":
            return [("Authorization", f"Bearer {params.get('token', '')}")], []
        if kind == "basic":
            user, password = params.get("username", ""), params.get("password", "")
            if "{{" in user + password:
                name = self.collector.add(
                    SecretRef(
                        name="basic_credentials", value="", where=f"the Basic auth of {where}"
                    )
                )
                self.notes.append(
                    f"The Basic auth of {where} uses variables ({user}:…); it is now "
                    f"Basic {{{{{name}}}}}: store base64 of user:password under that name."
                )
                return [("Authorization", f"Basic {{{{{name}}}}}")], []
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            return [("Authorization", f"Basic {token}")], []
        if kind == "apikey":
            key, value = params.get("key", "X-API-Key"), params.get("value", "")
            if params.get("in") == "query":
                return [], [(key, value)]
            return [(key, value)], []
        if kind == "oauth2":
            token = params.get("accessToken", "")
            self.notes.append(
                f"{where} uses Postman's OAuth 2.0 settings, which were not translated: "
                "the request sends Bearer {{access_token}}, which the program's profile fills."
            )
            if token and not is_reference(token):
                self.collector.add(
                    SecretRef(
                        name="access_token", value=token, where=f"the OAuth 2.0 settings of {where}"
                    )
                )
            return [("Authorization", "Bearer {{access_token}}")], []
        self.notes.append(f"{where} uses {kind} auth, which was not translated.")
        return [], []

    # -- URL --------------------------------------------------------------------------
    def url(self, raw: Any, where: str) -> str:
        if isinstance(raw, str):
            return raw
        if not isinstance(raw, dict):
            return ""
        text = raw.get("raw")
        url: str
        if isinstance(text, str) and text:
            url = text
        else:
            host = raw.get("host")
            host_text = ".".join(map(str, host)) if isinstance(host, list) else str(host or "")
            path = raw.get("path")
            path_text = "/".join(map(str, path)) if isinstance(path, list) else str(path or "")
            protocol = str(raw.get("protocol") or "https")
            port = f":{raw['port']}" if raw.get("port") else ""
            query = [
                (str(q.get("key")), _text(q.get("value")))
                for q in _kv(raw.get("query"))
                if not q.get("disabled")
            ]
            url = f"{protocol}://{host_text}{port}/{path_text.lstrip('/')}"
            if query:
                url += "?" + "&".join(f"{k}={v}" for k, v in query)
        for variable in _kv(raw.get("variable")):
            key = str(variable.get("key", ""))
            value = _text(variable.get("value"))
            if key and f":{key}" in url:
                url = url.replace(f":{key}", quote(value, safe="{}") if value else f"{{{{{key}}}}}")
        return url

    def finish_url(self, url: str, where: str) -> str:
        """Postman's loose URLs made ones the program can send, each change noted."""
        if url.startswith("//"):
            url = "http:" + url
            self.notes.append(
                f"The URL of {where} has no scheme: http is assumed, as Postman does."
            )
        elif "://" not in url and not url.startswith("{{"):
            url = "http://" + url
            self.notes.append(
                f"The URL of {where} has no scheme: http is assumed, as Postman does."
            )
        head, sep, query = url.partition("?")
        names = _PATH_VARIABLE.findall(head)
        if names:
            head = _PATH_VARIABLE.sub(lambda m: "/{{" + m.group(1) + "}}", head)
            self.notes.append(
                f"{where} has path variables without a value ({', '.join(names)}): they are "
                f"{', '.join('{{' + n + '}}' for n in names)}; set them before sending."
            )
        return head + sep + query

    # -- body ---------------------------------------------------------------------------
    def body(self, raw: Any, headers: list[tuple[str, str]], where: str) -> bytes | None:
        if not isinstance(raw, dict) or raw.get("disabled"):
            return None
        mode = raw.get("mode")
        has_type = any(k.lower() == "content-type" for k, _ in headers)
        if mode == "raw":
            text = str(raw.get("raw") or raw.get("content") or "")
            if not text:
                return None
            options = raw.get("options") if isinstance(raw.get("options"), dict) else {}
            language = ((options or {}).get("raw") or {}).get("language") if options else None
            if not has_type and language == "json":
                headers.append(("Content-Type", "application/json"))
            return text.encode("utf-8")
        if mode == "urlencoded":
            pairs = [
                (str(p.get("key")), _text(p.get("value")))
                for p in _kv(raw.get("urlencoded") or raw.get("content"))
                if not p.get("disabled") and p.get("enabled") is not False
            ]
            if not has_type:
                headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            return urlencode(pairs, safe="{}").encode("ascii")
        if mode == "formdata":
            return self.formdata(_kv(raw.get("formdata") or raw.get("content")), headers, where)
        if mode == "graphql":
            graphql = raw.get("graphql") if isinstance(raw.get("graphql"), dict) else {}
            document: dict[str, Any] = {"query": str((graphql or {}).get("query", ""))}
            variables = (graphql or {}).get("variables")
            if variables:
                try:
                    document["variables"] = json.loads(variables)
                except (TypeError, ValueError):
                    document["variables"] = variables
            if not has_type:
                headers.append(("Content-Type", "application/json"))
            return json.dumps(document).encode("utf-8")
        if mode == "file":
            self.notes.append(
                f"{where} sends a file from disk, which the collection does not contain."
            )
            return None
        return None

    def formdata(
        self, parts: list[dict[str, Any]], headers: list[tuple[str, str]], where: str
    ) -> bytes | None:
        import httpx2

        fields: list[tuple[str, tuple[str | None, bytes]]] = []
        for part in parts:
            if part.get("disabled") or part.get("enabled") is False:
                continue
            if part.get("type") == "file":
                self.notes.append(
                    f"The form part '{part.get('key')}' of {where} is a file on the author's "
                    "disk: it is left empty; attach the file in the request."
                )
                fields.append((str(part.get("key")), ("file", b"")))
            else:
                fields.append((str(part.get("key")), (None, _text(part.get("value")).encode())))
        if not fields:
            return None
        request = httpx2.Request("POST", "http://localhost/", files=fields)
        request.read()
        headers[:] = [(k, v) for k, v in headers if k.lower() != "content-type"]
        headers.append(("Content-Type", request.headers["content-type"]))
        return request.content

    # -- items ------------------------------------------------------------------------
    def items(self, items: Any, folder: str, inherited_auth: Any) -> None:
        for item in _kv(items):
            name = str(item.get("name") or "request")
            if isinstance(item.get("item"), list):
                sub = f"{folder}/{_folder_name(name)}" if folder else _folder_name(name)
                self.scripts(item, f"The folder '{name}'")
                auth = item.get("auth") if item.get("auth") is not None else inherited_auth
                self.items(item["item"], sub, auth)
                continue
            self.request(item, folder, inherited_auth)

    def request(self, item: dict[str, Any], folder: str, inherited_auth: Any) -> None:
        name = str(item.get("name") or "request")
        where = f"'{name}'"
        self.scripts(item, where)
        raw = item.get("request")
        if isinstance(raw, str):
            raw = {"url": raw, "method": "GET"}
        if not isinstance(raw, dict):
            self.notes.append(f"{where} has no request: left out.")
            return
        url = self.url(raw.get("url"), where)
        if not url:
            self.notes.append(f"{where} has no URL: left out.")
            return
        url = self.finish_url(url, where)
        headers = [
            (str(h.get("key")), _text(h.get("value")))
            for h in _kv(raw.get("header"))
            if not h.get("disabled") and h.get("key")
        ]
        auth = raw.get("auth") if raw.get("auth") is not None else inherited_auth
        auth_headers, auth_query = self.auth_headers(auth, where)
        names = {k.lower() for k, _ in headers}
        headers += [(k, v) for k, v in auth_headers if k.lower() not in names]
        if auth_query:
            url += ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in auth_query)
        body = self.body(raw.get("body") or raw.get("data"), headers, where)
        method = str(raw.get("method") or "GET").upper()
        spec = self.collector.template(
            RequestSpec(method=method, url=url, headers=tuple(headers), body=body)
        )
        saved = SavedRequest.from_spec(
            spec,
            name=unique_name(name, self.names.setdefault(folder, set())),
            description=_text(raw.get("description") or item.get("description")),
        )
        saved = replace(saved, headers=spec.headers, example=self.example(item, name))
        self.requests.append(ImportedRequest(folder=folder, request=saved))

    def example(self, item: dict[str, Any], name: str) -> dict[str, Any] | None:
        for response in _kv(item.get("response")):
            code = response.get("code")
            if not isinstance(code, int):
                continue
            headers = [
                (str(h.get("key")), _text(h.get("value"))) for h in _kv(response.get("header"))
            ]
            body = response.get("body")
            ctype = next((v for k, v in headers if k.lower() == "content-type"), "")
            return make_example(
                code,
                str(response.get("status") or ""),
                headers,
                body.encode("utf-8") if isinstance(body, str) else None,
                ctype,
                notes=self.notes,
                name=name,
            )
        return None

    def variables(self, values: Any, where: str) -> dict[str, str]:
        kept: dict[str, str] = {}
        for variable in _kv(values):
            key = str(variable.get("key") or variable.get("id") or "")
            if not key or variable.get("disabled") or variable.get("enabled") is False:
                continue
            value = _text(variable.get("value"))
            if variable.get("type") == "secret" or is_secret_key(key):
                if value and not is_reference(value):
                    self.collector.add(
                        SecretRef(name=key, value=value, where=f"the {where} variable '{key}'")
                    )
                continue
            kept[key] = value
        return kept


def _folder_name(name: str) -> str:
    cleaned = "".join("-" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in name)
    return cleaned.strip(" .") or "folder"


def postman_plan(
    data: bytes | str,
    *,
    environment: bytes | str | None = None,
    known_secrets: Iterable[str] = (),
) -> ImportPlan:
    """The saved requests a Postman collection becomes (with an optional environment)."""
    document = _load(data, "collection")
    if isinstance(document, dict) and isinstance(document.get("collection"), dict):
        document = document["collection"]  # as the Postman API wraps it
    if not isinstance(document, dict):
        raise InterchangeError("This is not a Postman collection: the top level is not an object.")
    info = document.get("info")
    if not isinstance(info, dict):
        if isinstance(document.get("requests"), list):
            raise InterchangeError(
                "This is a Postman v1 collection, which is not supported. In Postman, "
                "export it again as Collection v2.1."
            )
        raise InterchangeError("This is not a Postman collection: it has no 'info'.")
    schema = str(info.get("schema", ""))
    version = "v2.1" if "v2.1" in schema else "v2.0" if "v2.0" in schema else ""
    if not version:
        raise InterchangeError(
            f"This Postman collection's schema ({schema or 'none'}) is not v2.0 or v2.1. In "
            "Postman, export it again as Collection v2.1."
        )
    importer = _Importer(known_secrets)
    importer.scripts(document, "The collection")
    variables = importer.variables(document.get("variable"), "collection")
    if environment is not None:
        env = _load(environment, "environment")
        if not isinstance(env, dict) or not isinstance(env.get("values"), list):
            raise InterchangeError("This is not a Postman environment: it has no 'values' list.")
        variables.update(importer.variables(env["values"], f"environment '{env.get('name', '')}'"))
    importer.items(document.get("item"), "", document.get("auth"))
    return ImportPlan(
        source=f"Postman collection {version}",
        title=str(info.get("name") or "Postman collection"),
        requests=tuple(importer.requests),
        variables=variables,
        secrets=tuple(importer.collector.refs),
        notes=tuple(importer.notes),
    )


# -- export --------------------------------------------------------------------------------
def _postman_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    result: dict[str, Any] = {"raw": url}
    if parts.scheme:
        result["protocol"] = parts.scheme
    netloc = parts.netloc
    host, _, port = netloc.rpartition(":") if netloc.count(":") == 1 else (netloc, "", "")
    if host:
        result["host"] = host.split(".")
    if port:
        result["port"] = port
    path = [segment for segment in parts.path.split("/") if segment != ""]
    if not parts.scheme and path and VARIABLE_PATTERN.fullmatch(path[0]):
        # "{{base_url}}/api/v4/...": the variable is the host (scheme and all), as Postman
        # itself writes it; newman builds the URL from host and path, not from raw
        result["host"], path = [path[0]], path[1:]
    if path:
        result["path"] = path
    if parts.query:
        result["query"] = [
            {"key": k, "value": v} for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ]
    return result


def _postman_request(saved: SavedRequest) -> dict[str, Any]:
    spec = saved.to_spec()
    request: dict[str, Any] = {
        "method": spec.method,
        "header": [{"key": k, "value": v} for k, v in spec.headers],
        "url": _postman_url(spec.url),
    }
    if saved.description:
        request["description"] = saved.description
    if spec.body is not None:
        request["body"] = {"mode": "raw", "raw": spec.body.decode("utf-8", errors="replace")}
        if saved.body_is_json:
            request["body"]["options"] = {"raw": {"language": "json"}}
    return request


def _postman_response(saved: SavedRequest, request: dict[str, Any]) -> list[dict[str, Any]]:
    example = saved.example
    if not example:
        return []
    body = example.get("body")
    return [
        {
            "name": f"{saved.name} ({example.get('status')})",
            "originalRequest": request,
            "status": str(example.get("reason") or ""),
            "code": int(example.get("status") or 0),
            "header": [
                {"key": str(pair[0]), "value": str(pair[1])}
                for pair in example.get("headers", [])
                if isinstance(pair, list | tuple) and len(pair) == 2
            ],
            "body": body if isinstance(body, str) else "",
        }
    ]


def suite_to_postman(suite: Suite) -> dict[str, Any]:
    """A Postman v2.1 collection of the suite (folders, requests, examples, variables)."""
    root: list[dict[str, Any]] = []
    folders: dict[str, list[dict[str, Any]]] = {"": root}

    def folder_items(path: str) -> list[dict[str, Any]]:
        if path in folders:
            return folders[path]
        parent, _, name = path.rpartition("/")
        items: list[dict[str, Any]] = []
        folder_items(parent).append({"name": name, "item": items})
        folders[path] = items
        return items

    used: dict[str, None] = {}
    for item in suite.requests:
        request = _postman_request(item.request)
        for text in _texts(request):
            for match in VARIABLE_PATTERN.finditer(text):
                used[match.group(1)] = None
        entry: dict[str, Any] = {"name": item.request.name, "request": request}
        entry["response"] = _postman_response(item.request, request)
        folder_items(item.folder).append(entry)
    variables = [{"key": k, "value": v, "type": "string"} for k, v in suite.variables.items()]
    for name in used:
        if name not in suite.variables:
            variables.append(
                {
                    "key": name,
                    "value": "",
                    "type": "string",
                    "description": "Set this in your Postman environment"
                    + (
                        " (a secret)."
                        if is_secret_key(name) or name == "basic_credentials"
                        else "."
                    ),
                }
            )
    info: dict[str, Any] = {
        "_postman_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"thumbtack-explorer:{suite.name}")),
        "name": suite.name,
        "schema": SCHEMA_V21,
    }
    if suite.description:
        info["description"] = suite.description
    collection: dict[str, Any] = {"info": info, "item": root}
    if variables:
        collection["variable"] = variables
    return collection


def _texts(request: dict[str, Any]) -> list[str]:
    texts = [request["url"]["raw"]]
    texts += [str(h["value"]) for h in request["header"]]
    if "body" in request:
        texts.append(request["body"]["raw"])
    return texts
