"""A request as code the user can run: curl, HTTPie and programs in the languages partners use.

Every target is one Jinja2 template under ``resources/codegen/`` fed from one
:class:`~explorer.core.models.RequestSpec`, so each copy says exactly what the explorer
would send: method, URL, headers and the body bytes. The templates only lay code out; the
quoting of literals for each language is done by the filters registered here.

A masked copy (the default) never carries a secret: every value the program's redactor
would mask (see :mod:`explorer.core.secret_refs`) is read from an environment variable
instead (``Authorization: Bearer $THUMBTACK_ACCESS_TOKEN``, ``os.environ[...]``), and a
comment at the top says which variables to set. It runs as pasted once they are set.
"""

from __future__ import annotations

import base64
import json
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit

from explorer.core.models import RequestSpec
from explorer.core.redact import MASK
from explorer.core.secret_refs import SecretRef, Templated, split_references, template_secrets
from explorer.core.variables import VARIABLE_PATTERN

__all__ = [
    "MASK",
    "TARGETS",
    "OAuthScript",
    "Target",
    "curl_script",
    "generate",
    "mask_credentials",
    "target",
    "to_curl",
    "to_httpx",
]

_CREDENTIAL = re.compile(r"\b(Bearer|Basic|Token)\s+[^\s\"',]+", re.IGNORECASE)
#: Headers an HTTP client computes itself; a copy leaves them to the client.
_CLIENT_HEADERS = frozenset({"host", "content-length", "connection", "transfer-encoding"})
#: Headers .NET keeps on the content, not on the request.
_CONTENT_HEADERS = frozenset(
    {
        "allow",
        "content-disposition",
        "content-encoding",
        "content-language",
        "content-location",
        "content-md5",
        "content-range",
        "content-type",
        "expires",
        "last-modified",
    }
)


def mask_credentials(text: str) -> str:
    """``Bearer abc.def`` -> ``Bearer ••••••`` (also Basic and Token), anywhere in ``text``."""
    return _CREDENTIAL.sub(lambda m: f"{m.group(1)} {MASK}", text)


@dataclass(frozen=True, kw_only=True)
class Target:
    """One "Copy as …" target: its id, menu label, template, highlighter and file suffix."""

    id: str
    label: str
    template: str
    lexer: str
    suffix: str


TARGETS: tuple[Target, ...] = (
    Target(id="curl", label="curl (bash)", template="curl.sh.j2", lexer="bash", suffix=".sh"),
    Target(
        id="curl-windows",
        label="curl (Windows cmd)",
        template="curl.cmd.j2",
        lexer="batch",
        suffix=".cmd",
    ),
    Target(id="httpie", label="HTTPie", template="httpie.sh.j2", lexer="bash", suffix=".sh"),
    Target(
        id="python-requests",
        label="Python (requests)",
        template="python_requests.py.j2",
        lexer="python",
        suffix=".py",
    ),
    Target(
        id="python-httpx",
        label="Python (httpx)",
        template="python_httpx.py.j2",
        lexer="python",
        suffix=".py",
    ),
    Target(
        id="javascript-fetch",
        label="JavaScript (fetch)",
        template="javascript_fetch.js.j2",
        lexer="javascript",
        suffix=".js",
    ),
    Target(
        id="node-axios",
        label="Node.js (axios)",
        template="node_axios.js.j2",
        lexer="javascript",
        suffix=".js",
    ),
    Target(id="go", label="Go (net/http)", template="go.go.j2", lexer="go", suffix=".go"),
    Target(
        id="java",
        label="Java (java.net.http)",
        template="java.java.j2",
        lexer="java",
        suffix=".java",
    ),
    Target(
        id="csharp", label="C# (HttpClient)", template="csharp.cs.j2", lexer="csharp", suffix=".cs"
    ),
    Target(
        id="php-guzzle",
        label="PHP (Guzzle)",
        template="php_guzzle.php.j2",
        lexer="php",
        suffix=".php",
    ),
    Target(id="ruby", label="Ruby (net/http)", template="ruby.rb.j2", lexer="ruby", suffix=".rb"),
    Target(
        id="python-oauth",
        label="Python with OAuth done right (authlib)",
        template="python_oauth.py.j2",
        lexer="python",
        suffix=".py",
    ),
)
_BY_ID = {t.id: t for t in TARGETS}
_ALIASES = {"httpx": "python-httpx", "requests": "python-requests", "bash": "curl"}


def target(target_id: str) -> Target:
    """The target called ``target_id``; ``KeyError`` names the known ones."""
    try:
        return _BY_ID[_ALIASES.get(target_id, target_id)]
    except KeyError:
        known = ", ".join(_BY_ID)
        raise KeyError(f"'{target_id}' is not a code target; choose one of: {known}") from None


@dataclass(frozen=True, kw_only=True)
class OAuthScript:
    """What the "Python with OAuth done right" script needs besides the request."""

    token_url: str = "https://auth.thumbtack.com/oauth2/token"
    audience: str = "urn:partner-api"
    scopes: tuple[str, ...] = ()
    client_id: str = ""


# -- quoting filters: one per language, literals only --------------------------------------
def _c_like(text: str, *, ascii_only: bool, unicode_escape: str = "\\u{:04x}") -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(unicode_escape.format(code))
        elif ascii_only and code > 0x7E:
            if code > 0xFFFF:
                high, low = divmod(code - 0x10000, 0x400)
                out.append(unicode_escape.format(0xD800 + high))
                out.append(unicode_escape.format(0xDC00 + low))
            else:
                out.append(unicode_escape.format(code))
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _quote_go(text: str) -> str:
    return _c_like(text, ascii_only=False, unicode_escape="\\x{:02x}")


def _quote_java(text: str) -> str:
    return _c_like(text, ascii_only=True)


def _quote_js(text: str) -> str:
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _quote_single(text: str) -> str:
    """PHP and Ruby single-quoted literals: only ``\\`` and ``'`` are special."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _quote_py(text: str) -> str:
    return repr(text)


def _quote_sh(text: str) -> str:
    return shlex.quote(text)


_DQ_SAFE = re.compile(r"[^\"\\$`!]*")


def _sh_value(pieces: list[tuple[str, bool]]) -> str:
    """A shell word: literal parts quoted, variables as ``$NAME`` (inside double quotes)."""
    if not any(is_var for _, is_var in pieces):
        return shlex.quote("".join(text for text, _ in pieces))
    if all(is_var or _DQ_SAFE.fullmatch(text) for text, is_var in pieces):
        return '"' + "".join(f"${text}" if is_var else text for text, is_var in pieces) + '"'
    return "".join(f'"${text}"' if is_var else shlex.quote(text) for text, is_var in pieces if text)


_CMD_SPECIAL = re.compile(r'[\^&|<>()%!"]')


def _cmd_literal(text: str) -> str:
    """Text inside a ``^"…^"`` word of Windows cmd, as curl.exe will receive it."""
    out: list[str] = []
    backslashes = 0
    for char in text:
        if char == "\\":
            backslashes += 1
            continue
        if char == '"':
            out.append("\\" * (backslashes * 2 + 1) + '^"')
        else:
            out.append("\\" * backslashes)
            if char == "\n":
                out.append("^\n\n")
            elif char == "\r":
                continue
            elif _CMD_SPECIAL.match(char):
                out.append("^" + char)
            else:
                out.append(char)
        backslashes = 0
    out.append("\\" * (backslashes * 2))
    return "".join(out)


def _cmd_value(pieces: list[tuple[str, bool]]) -> str:
    """A cmd word: ``^"…^"`` with cmd and C runtime quoting; variables as ``%NAME%``."""
    inner = "".join(f"%{text}%" if is_var else _cmd_literal(text) for text, is_var in pieces)
    return f'^"{inner}^"'


def _quote_cmd(text: str) -> str:
    return _cmd_value([(text, False)])


def _uri_safe(url: str) -> str:
    """A URL every client's parser accepts (Java's URI, Ruby's URI): brackets, spaces and
    other characters outside RFC 3986 percent-encoded; what is already encoded stays."""
    return quote(url, safe="%:/?#@!$&'()*+,;=-._~")


@cache
def _environment() -> Any:
    import jinja2

    from explorer.resources import resource_path

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_path("codegen"))),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        {
            "q_py": _quote_py,
            "q_js": _quote_js,
            "q_go": _quote_go,
            "q_java": _quote_java,
            "q_cs": _quote_java,
            "q_php": _quote_single,
            "q_rb": _quote_single,
            "q_sh": _quote_sh,
            "q_cmd": _quote_cmd,
            "sh_value": _sh_value,
            "cmd_value": _cmd_value,
            "uri_safe": _uri_safe,
        }
    )
    return env


@dataclass(frozen=True, kw_only=True)
class _Header:
    name: str
    value: list[tuple[str, bool]]
    content: bool  # a .NET content header
    repeat: bool  # an earlier header has the same name


def _context(templated: Templated, masked: bool) -> dict[str, Any]:
    spec = templated.spec
    env_of: Mapping[str, str] = {ref.name: ref.env_name for ref in templated.secrets}

    def pieces(text: str) -> list[tuple[str, bool]]:
        split = split_references(text, env_of)
        return [(env_of[part] if is_var else part, is_var) for part, is_var in split]

    headers: list[_Header] = []
    seen: set[str] = set()
    for key, value in spec.headers:
        lowered = key.lower()
        if lowered in _CLIENT_HEADERS:
            continue
        headers.append(
            _Header(
                name=key,
                value=pieces(value),
                content=lowered in _CONTENT_HEADERS,
                repeat=lowered in seen,
            )
        )
        seen.add(lowered)
    body_text: list[tuple[str, bool]] | None = None
    body_base64: str | None = None
    if spec.body is not None:
        try:
            body_text = pieces(spec.body.decode("utf-8"))
        except UnicodeDecodeError:
            body_base64 = base64.b64encode(spec.body).decode("ascii")
    parts = urlsplit(spec.url)
    url_pieces = pieces(spec.url)
    target_path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    env_names = [ref.env_name for ref in templated.secrets]
    return {
        "method": spec.method.upper(),
        "url": url_pieces,
        "url_has_vars": any(is_var for _, is_var in url_pieces),
        "url_text": spec.url,
        "scheme": parts.scheme or "https",
        "host": parts.hostname or "",
        "port": parts.port or (443 if parts.scheme == "https" else 80),
        "target": pieces(target_path),
        "headers": headers,
        "content_type": spec.header("content-type"),
        "has_body": spec.body is not None,
        "body_text": body_text,
        "body_base64": body_base64,
        "is_head": spec.method.upper() == "HEAD",
        "timeout": spec.timeout_s,
        "follow_redirects": spec.follow_redirects,
        "masked": masked,
        "env_names": env_names,
        "secrets": [
            {"env": ref.env_name, "where": ref.where, "name": ref.name} for ref in templated.secrets
        ],
        "uses_env": bool(env_names),
        "globoff": any(ch in spec.url for ch in "[]{}"),
    }


def _plain(spec: RequestSpec) -> Templated:
    return _with_references(Templated(spec=spec, secrets=()))


def _with_references(templated: Templated) -> Templated:
    """``{{name}}`` references left in a request (a saved request's ``{{access_token}}``,
    an unset variable) are read from ``THUMBTACK_NAME`` too, so the copy still runs."""
    spec = templated.spec
    texts = [spec.url, *(value for _, value in spec.headers)]
    if spec.body is not None:
        texts.append(spec.body.decode("utf-8", errors="replace"))
    known = {ref.name for ref in templated.secrets}
    extra: list[SecretRef] = []
    for text in texts:
        for match in VARIABLE_PATTERN.finditer(text):
            name = match.group(1)
            if name not in known and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                known.add(name)
                extra.append(SecretRef(name=name, value="", where=f"the variable {{{{{name}}}}}"))
    if not extra:
        return templated
    return Templated(spec=spec, secrets=(*templated.secrets, *extra))


def generate(
    target_id: str,
    spec: RequestSpec,
    *,
    masked: bool = True,
    known_secrets: Iterable[str] = (),
    oauth: OAuthScript | None = None,
) -> str:
    """The code for ``spec`` in the target ``target_id``.

    ``masked=False`` keeps the real values: only for an explicit, confirmed "copy with
    secrets". A masked copy reads every secret from a ``THUMBTACK_…`` environment variable.
    """
    chosen = target(target_id)
    templated = _with_references(template_secrets(spec, known_secrets)) if masked else _plain(spec)
    context = _context(templated, masked)
    if chosen.id == "python-oauth":
        context.update(_oauth_context(templated, oauth or OAuthScript()))
    rendered: str = _environment().get_template(chosen.template).render(**context)
    return rendered


def _oauth_context(templated: Templated, oauth: OAuthScript) -> dict[str, Any]:
    """The OAuth script reads its own credentials; the request's bearer token is dropped."""
    headers = [h for h in _context(templated, True)["headers"] if h.name.lower() != "authorization"]
    others: list[SecretRef] = [ref for ref in templated.secrets if ref.name != "access_token"]
    return {
        "headers": headers,
        "token_url": oauth.token_url,
        "audience": oauth.audience,
        "scopes": " ".join(oauth.scopes),
        "client_id": oauth.client_id,
        "env_names": [ref.env_name for ref in others],
        "secrets": [{"env": r.env_name, "where": r.where, "name": r.name} for r in others],
    }


def to_curl(spec: RequestSpec, *, masked: bool = True, known_secrets: Iterable[str] = ()) -> str:
    """A bash command line that sends ``spec`` with curl (masked: secrets from variables)."""
    return generate("curl", spec, masked=masked, known_secrets=known_secrets)


def to_httpx(spec: RequestSpec, *, masked: bool = True, known_secrets: Iterable[str] = ()) -> str:
    """A small Python program that sends ``spec`` with httpx and prints the response."""
    return generate("python-httpx", spec, masked=masked, known_secrets=known_secrets)


def curl_script(
    requests: Iterable[tuple[str, RequestSpec]],
    *,
    masked: bool = True,
    known_secrets: Iterable[str] = (),
) -> str:
    """A bash script with one curl command per ``(name, request)``, secrets from variables."""
    items = []
    env_names: dict[str, str] = {}
    for name, spec in requests:
        templated = (
            _with_references(template_secrets(spec, known_secrets)) if masked else _plain(spec)
        )
        for ref in templated.secrets:
            env_names.setdefault(ref.env_name, ref.where)
        body = (
            _environment()
            .get_template("curl.sh.j2")
            .render(**{**_context(templated, masked), "fragment": True})
        )
        items.append({"name": name.replace("\n", " "), "command": body})
    rendered: str = (
        _environment()
        .get_template("curl_script.sh.j2")
        .render(items=items, env_names=env_names, masked=masked)
    )
    return rendered
