"""A pasted curl command line turned into a request, as curl itself would have sent it.

Reads bash/zsh quoting (``'…'``, ``"…"``, ``$'…'``, backslashes, ``\\`` line ends) and
Windows cmd quoting (``^`` escapes and line ends, ``"…"`` with ``\\"`` inside, the ``^"…^"``
words browsers copy). Understands the options people paste: the method, URL, headers,
``-d``/``--data*``, ``--json``, ``-F`` form parts, ``-u``, ``-G``, ``-I``, ``-L``,
``--compressed``, ``-A``, ``-e``, ``-b``, ``-m``; options that change only how curl prints
are accepted silently, and anything else is listed as ignored, never guessed at.

Secrets are never kept: a Bearer token, Basic credentials, a client secret in the body or
an API key in the URL become ``{{name}}`` references, and the values come back separately
so the caller can offer to store them as secrets (see :mod:`explorer.core.secret_refs`).
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus, urlsplit, urlunsplit

from explorer.core.models import RequestSpec
from explorer.core.secret_refs import SecretRef, template_secrets


class CurlParseError(ValueError):
    """The text is not a curl command that can be read; the message says what to fix."""


@dataclass(frozen=True, kw_only=True)
class CurlImport:
    """What a pasted command sends (secrets as ``{{references}}``), and what was set aside."""

    spec: RequestSpec
    secrets: tuple[SecretRef, ...] = ()
    notes: tuple[str, ...] = ()  # options ignored, files not read, in words


#: options that take a value and change nothing about the request itself
_IGNORED_WITH_VALUE = frozenset(
    {
        "-o",
        "--output",
        "-w",
        "--write-out",
        "--connect-timeout",
        "--retry",
        "--retry-delay",
        "--retry-max-time",
        "-c",
        "--cookie-jar",
        "-D",
        "--dump-header",
        "--trace",
        "--trace-ascii",
        "--stderr",
        "--max-redirs",
        "--resolve",
        "--connect-to",
        "-r",
        "--range",
        "--limit-rate",
        "--cacert",
        "--capath",
        "--interface",
        "-y",
        "--speed-time",
        "-Y",
        "--speed-limit",
        "-x",
        "--proxy",
        "-U",
        "--proxy-user",
        "--output-dir",
    }
)
#: flags that change only how curl talks or prints
_IGNORED_FLAGS = frozenset(
    {
        "-s",
        "--silent",
        "-S",
        "--show-error",
        "-v",
        "--verbose",
        "-i",
        "--include",
        "-f",
        "--fail",
        "--fail-with-body",
        "-g",
        "--globoff",
        "--http1.0",
        "--http1.1",
        "--http2",
        "--http2-prior-knowledge",
        "--http3",
        "--no-progress-meter",
        "-#",
        "--progress-bar",
        "-N",
        "--no-buffer",
        "--raw",
        "--tr-encoding",
        "-O",
        "--remote-name",
        "-J",
        "--remote-header-name",
        "--no-keepalive",
        "--tcp-nodelay",
        "--path-as-is",
        "-4",
        "--ipv4",
        "-6",
        "--ipv6",
        "--ssl-reqd",
        "-q",
        "--disable",
        "--location-trusted",
        "-n",
        "--netrc",
    }
)
_WITH_VALUE = frozenset(
    {
        "-X",
        "--request",
        "-H",
        "--header",
        "-d",
        "--data",
        "--data-ascii",
        "--data-raw",
        "--data-binary",
        "--data-urlencode",
        "--json",
        "-F",
        "--form",
        "--form-string",
        "-u",
        "--user",
        "-A",
        "--user-agent",
        "-e",
        "--referer",
        "-b",
        "--cookie",
        "-m",
        "--max-time",
        "--url",
        "-T",
        "--upload-file",
        "--oauth2-bearer",
        "-E",
        "--cert",
        "--key",
    }
    | _IGNORED_WITH_VALUE
)
_SHORT_FLAGS = frozenset("sSviIfgLGkN#qn46OJ")


def looks_like_curl(text: str) -> bool:
    """True when ``text`` starts like a curl command (``curl …`` or ``curl.exe …``)."""
    first = text.lstrip().split(None, 1)[0].lower() if text.strip() else ""
    return first in ("curl", "curl.exe") or first.endswith(("/curl", "\\curl.exe"))


# -- words -------------------------------------------------------------------------------
def _is_windows(text: str) -> bool:
    stripped = text.strip()
    return (
        stripped.lower().startswith("curl.exe")
        or "^\n" in text
        or "^\r\n" in text
        or '^"' in text
        or stripped.endswith("^")
    )


def _bash_words(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    in_word = False
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            if index + 1 < length and text[index + 1] == "\n":
                index += 2
                continue
            if index + 1 < length:
                current.append(text[index + 1])
                in_word = True
            index += 2
            continue
        if char == "'":
            end = text.find("'", index + 1)
            if end < 0:
                raise CurlParseError(_unclosed("'", text, index))
            current.append(text[index + 1 : end])
            in_word, index = True, end + 1
            continue
        if char == "$" and index + 1 < length and text[index + 1] == "'":
            value, index = _ansi_c(text, index + 2)
            current.append(value)
            in_word = True
            continue
        if char == '"':
            index += 1
            while True:
                if index >= length:
                    raise CurlParseError(_unclosed('"', text, text.rfind('"', 0, index)))
                inner = text[index]
                if inner == '"':
                    index += 1
                    break
                if inner == "\\" and index + 1 < length and text[index + 1] in '"\\$`\n':
                    if text[index + 1] != "\n":
                        current.append(text[index + 1])
                    index += 2
                    continue
                current.append(inner)
                index += 1
            in_word = True
            continue
        if char == "#" and not in_word:
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
            continue
        if char in " \t\r\n;|&":
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            index += 1
            if char in ";|&":
                # another command: keep the one that is curl (``printf … | curl …``)
                if words and looks_like_curl(words[0]):
                    break
                words, current, in_word = [], [], False
            continue
        current.append(char)
        in_word = True
        index += 1
    if in_word:
        words.append("".join(current))
    return words


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


def _ansi_c(text: str, index: int) -> tuple[str, int]:
    """A bash ``$'…'`` string from ``index`` (after the quote): its value and the next index."""
    out: list[str] = []
    start = index - 2
    while index < len(text):
        char = text[index]
        if char == "'":
            return "".join(out), index + 1
        if char == "\\" and index + 1 < len(text):
            nxt = text[index + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                index += 2
                continue
            if nxt in "xuU":
                size = {"x": 2, "u": 4, "U": 8}[nxt]
                digits = ""
                while len(digits) < size and index + 2 + len(digits) < len(text):
                    candidate = text[index + 2 + len(digits)]
                    if candidate not in "0123456789abcdefABCDEF":
                        break
                    digits += candidate
                if digits:
                    out.append(chr(int(digits, 16)))
                    index += 2 + len(digits)
                    continue
            if nxt in "01234567":
                digits = nxt
                while len(digits) < 3 and text[index + 1 + len(digits)] in "01234567":
                    digits += text[index + 1 + len(digits)]
                out.append(chr(int(digits, 8)))
                index += 1 + len(digits)
                continue
            out.append(char + nxt)
            index += 2
            continue
        out.append(char)
        index += 1
    raise CurlParseError(_unclosed("$'", text, start))


def _cmd_layer(text: str) -> str:
    """What cmd.exe hands to the program: ``^`` escapes and ``^``-continued lines resolved."""
    out: list[str] = []
    quoted = False
    index = 0
    text = text.replace("\r\n", "\n")
    while index < len(text):
        char = text[index]
        if char == '"':
            quoted = not quoted
            out.append(char)
        elif char == "^" and not quoted and index + 1 < len(text):
            nxt = text[index + 1]
            if nxt == "\n":
                # ^ at a line end continues the line; ^ + two newlines is a newline
                if index + 2 < len(text) and text[index + 2] == "\n":
                    out.append("\n")
                    index += 3
                    continue
                index += 2
                continue
            out.append(nxt)
            index += 2
            continue
        elif char == "\n" and not quoted:
            out.append(" ")
        else:
            out.append(char)
        index += 1
    if quoted:
        raise CurlParseError(_unclosed('"', text, text.rfind('"')))
    return "".join(out)


def _crt_words(text: str) -> list[str]:
    """Split like the Microsoft C runtime: quotes group, ``\\"`` is a quote character."""
    words: list[str] = []
    current: list[str] = []
    in_word = quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            count = 0
            while index < len(text) and text[index] == "\\":
                count += 1
                index += 1
            if index < len(text) and text[index] == '"':
                current.append("\\" * (count // 2))
                if count % 2:
                    current.append('"')
                    index += 1
                in_word = True
                continue
            current.append("\\" * count)
            in_word = True
            continue
        if char == '"':
            if quoted and index + 1 < len(text) and text[index + 1] == '"':
                current.append('"')
                index += 2
                continue
            quoted = not quoted
            in_word = True
            index += 1
            continue
        if char in " \t\n" and not quoted:
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            index += 1
            continue
        current.append(char)
        in_word = True
        index += 1
    if quoted:
        raise CurlParseError(
            'The curl command has an unclosed " quote. Copy the whole command again.'
        )
    if in_word:
        words.append("".join(current))
    return words


def _unclosed(quote: str, text: str, at: int) -> str:
    snippet = text[max(at, 0) : max(at, 0) + 30].replace("\n", " ")
    return (
        f"The curl command has an unclosed {quote} quote (at “{snippet}…”). "
        "Copy the whole command again; nothing was imported."
    )


def _is_rem(line: str) -> bool:
    stripped = line.lstrip().lower()
    return stripped == "rem" or stripped.startswith("rem ")


def split_command(text: str) -> list[str]:
    """The words of a pasted command line, in bash or Windows cmd quoting."""
    if _is_windows(text):
        return _crt_words(_cmd_layer(text))
    return _bash_words(text)


# -- options -----------------------------------------------------------------------------
def _expand(words: list[str]) -> list[str]:
    """``-sSL`` -> ``-s -S -L``; ``-XPOST`` -> ``-X POST``; ``--opt=value`` stays as is."""
    out: list[str] = []
    for word in words:
        if len(word) > 2 and word[0] == "-" and word[1] != "-":
            flags = word[1:]
            for position, letter in enumerate(flags):
                option = f"-{letter}"
                if option in _WITH_VALUE:
                    out.append(option)
                    rest = flags[position + 1 :]
                    if rest:
                        out.append(rest)
                    break
                out.append(option)
            continue
        out.append(word)
    return out


@dataclass
class _State:
    method: str | None = None
    url: str | None = None
    headers: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    data: list[str] = dataclasses.field(default_factory=list)
    binary: list[bytes] = dataclasses.field(default_factory=list)
    form: list[tuple[str, str, str | None]] = dataclasses.field(default_factory=list)
    json: bool = False
    get: bool = False
    head: bool = False
    follow: bool = False
    timeout: float | None = None
    user: str | None = None
    notes: list[str] = dataclasses.field(default_factory=list)
    extra_urls: list[str] = dataclasses.field(default_factory=list)


def _read_file(name: str, base: Path | None, state: _State, what: str) -> bytes | None:
    if base is None:
        state.notes.append(
            f"{what} comes from the file '{name}', which a pasted command cannot read: "
            "it was left empty. Attach the file in the request's body."
        )
        return None
    path = (base / name).expanduser() if name != "-" else None
    if path is None:
        state.notes.append(f"{what} is read from standard input in the command: left empty.")
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        state.notes.append(f"{what}: the file '{name}' could not be read ({exc.strerror}).")
        return None


def _add_data(option: str, value: str, state: _State, base: Path | None) -> None:
    if option == "--data-urlencode":
        name, sep, content = value.partition("=")
        if not sep:
            at_name, at_sep, file_name = value.partition("@")
            if at_sep:
                raw = _read_file(file_name, base, state, "A --data-urlencode value")
                encoded = quote_plus((raw or b"").decode("utf-8", errors="replace"))
                state.data.append(f"{at_name}={encoded}" if at_name else encoded)
                return
            state.data.append(quote_plus(value))
            return
        state.data.append(f"{name}={quote_plus(content)}" if name else quote_plus(content))
        return
    if value.startswith("@") and option not in ("--data-raw",):
        raw = _read_file(value[1:], base, state, "The body")
        if raw is None:
            return
        if option == "--data-binary":
            state.binary.append(raw)
            return
        state.data.append(raw.decode("utf-8", errors="replace").replace("\r", "").replace("\n", ""))
        return
    state.data.append(value)


def _add_form(option: str, value: str, state: _State, base: Path | None) -> None:
    name, sep, content = value.partition("=")
    if not sep:
        state.notes.append(f"The form part '{value}' has no '=': it was ignored.")
        return
    if option == "--form-string" or not content.startswith(("@", "<")):
        state.form.append((name, content, None))
        return
    file_name = content[1:].split(";", 1)[0]
    raw = _read_file(file_name, base, state, f"The form part '{name}'")
    if content.startswith("<"):
        state.form.append((name, (raw or b"").decode("utf-8", errors="replace"), None))
    else:
        state.form.append((name, (raw or b"").decode("latin-1"), Path(file_name).name))


def _apply(words: list[str], state: _State, base: Path | None) -> None:
    index = 0
    while index < len(words):
        word = words[index]
        option, _, attached = word.partition("=") if word.startswith("--") else (word, "", "")
        if word.startswith("--") and "=" in word and option in _WITH_VALUE:
            value: str | None = attached
        elif option in _WITH_VALUE:
            if index + 1 >= len(words):
                raise CurlParseError(f"The curl option {option} needs a value after it.")
            index += 1
            value = words[index]
        else:
            value = None
        index += 1
        if value is None:
            _flag(word, state)
            continue
        _option(option, value, state, base)


def _flag(word: str, state: _State) -> None:
    if word in ("-I", "--head"):
        state.head = True
    elif word in ("-G", "--get"):
        state.get = True
    elif word in ("-L", "--location"):
        state.follow = True
    elif word == "--compressed":
        pass  # the program always accepts gzip, deflate and brotli and decodes them
    elif word in ("-k", "--insecure"):
        state.notes.append(
            "--insecure was not kept: the program always checks the server's certificate."
        )
    elif word in _IGNORED_FLAGS:
        pass
    elif word.startswith("-") and word != "-":
        state.notes.append(f"The curl option {word} is not understood here and was ignored.")
    elif state.url is None:
        state.url = word
    else:
        state.extra_urls.append(word)


def _option(option: str, value: str, state: _State, base: Path | None) -> None:
    if option in ("-X", "--request"):
        state.method = value.upper()
    elif option == "--url":
        if state.url is None:
            state.url = value
        else:
            state.extra_urls.append(value)
    elif option in ("-H", "--header"):
        _header(value, state, base)
    elif option in (
        "-d",
        "--data",
        "--data-ascii",
        "--data-raw",
        "--data-binary",
        "--data-urlencode",
    ):
        _add_data(option, value, state, base)
    elif option == "--json":
        state.json = True
        _add_data("--data-binary", value, state, base)
    elif option in ("-F", "--form", "--form-string"):
        _add_form(option, value, state, base)
    elif option in ("-u", "--user"):
        state.user = value
    elif option in ("-A", "--user-agent"):
        state.headers.append(("User-Agent", value))
    elif option in ("-e", "--referer"):
        state.headers.append(("Referer", value.removesuffix(";auto")))
    elif option in ("-b", "--cookie"):
        if "=" in value:
            state.headers.append(("Cookie", value))
        else:
            state.notes.append(f"Cookies from the file '{value}' were not read.")
    elif option in ("-m", "--max-time"):
        try:
            state.timeout = float(value)
        except ValueError:
            state.notes.append(f"--max-time {value} is not a number of seconds: ignored.")
    elif option == "--oauth2-bearer":
        state.headers.append(("Authorization", f"Bearer {value}"))
    elif option in ("-T", "--upload-file"):
        raw = _read_file(value, base, state, "The uploaded file")
        state.binary.append(raw or b"")
        state.method = state.method or "PUT"
    elif option in ("-E", "--cert", "--key"):
        state.notes.append(f"{option} (a client certificate) was not kept.")
    # anything else in _IGNORED_WITH_VALUE: accepted, changes nothing


def _header(value: str, state: _State, base: Path | None) -> None:
    if value.startswith("@"):
        raw = _read_file(value[1:], base, state, "Headers")
        for line in (raw or b"").decode("utf-8", errors="replace").splitlines():
            if line.strip():
                _header(line, state, base)
        return
    name, sep, rest = value.partition(":")
    if not sep:
        if name.endswith(";"):
            state.headers.append((name[:-1].strip(), ""))  # "Name;" sends an empty header
        else:
            state.notes.append(f"The header '{value}' has no ':' and was ignored.")
        return
    name = name.strip()
    if not rest.strip():
        # "Name:" removes a header curl would add; nothing to send
        state.headers = [(k, v) for k, v in state.headers if k.lower() != name.lower()]
        return
    state.headers.append((name, rest.strip()))


def _has(headers: list[tuple[str, str]], name: str) -> bool:
    return any(key.lower() == name.lower() for key, _ in headers)


def _multipart(state: _State) -> tuple[bytes, str]:
    """The multipart body curl sends for ``-F`` parts (built by httpx2, as the program sends)."""
    import httpx2

    parts: list[tuple[str, tuple[str | None, bytes]]] = [
        (name, (file_name, content.encode("latin-1" if file_name else "utf-8")))
        for name, content, file_name in state.form
    ]
    request = httpx2.Request("POST", "http://localhost/", files=parts)
    request.read()
    return request.content, request.headers["content-type"]


def _build(state: _State) -> RequestSpec:
    if state.url is None:
        raise CurlParseError(
            "The curl command has no URL. Paste a command such as "
            "curl https://api.thumbtack.com/api/v4/businesses"
        )
    url = state.url
    if "://" not in url:
        url = "http://" + url  # what curl assumes
    parts = urlsplit(url)
    if not parts.hostname:
        raise CurlParseError(f"'{state.url}' is not a URL curl could call.")
    headers = list(state.headers)
    body: bytes | None = None
    data_text = "&".join(state.data)
    method = state.method
    if state.get and (state.data or state.binary):
        query = "&".join(q for q in (parts.query, data_text) if q)
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
        method = method or ("HEAD" if state.head else "GET")
    elif state.form:
        body, content_type = _multipart(state)
        if not _has(headers, "content-type"):
            headers.append(("Content-Type", content_type))
        method = method or "POST"
    elif state.data or state.binary:
        body = b"".join(state.binary) + (
            (b"&" if state.binary and data_text else b"") + data_text.encode("utf-8")
        )
        if state.json:
            if not _has(headers, "content-type"):
                headers.append(("Content-Type", "application/json"))
            if not _has(headers, "accept"):
                headers.append(("Accept", "application/json"))
        elif not _has(headers, "content-type"):
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        method = method or "POST"
    if state.user is not None and not _has(headers, "authorization"):
        user = state.user if ":" in state.user else state.user + ":"
        token = base64.b64encode(user.encode("utf-8")).decode("ascii")
        headers.append(("Authorization", f"Basic {token}"))
    if parts.username is not None and not _has(headers, "authorization"):
        credentials = f"{parts.username}:{parts.password or ''}"
        token = base64.b64encode(credentials.encode("utf-8")).decode("ascii")
        headers.append(("Authorization", f"Basic {token}"))
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        url = urlunsplit((parts.scheme, netloc, *urlsplit(url)[2:]))
    method = method or ("HEAD" if state.head else "GET")
    if "#" in url:
        url = url.split("#", 1)[0]  # curl never sends the fragment
    return RequestSpec(
        method=method,
        url=url,
        headers=tuple(headers),
        body=body,
        timeout_s=state.timeout or 30.0,
        follow_redirects=state.follow,
    )


_ENV_REFERENCE = re.compile(r"\$\{?THUMBTACK_([A-Z0-9_]+)\}?|%THUMBTACK_([A-Z0-9_]+)%")


def _env_references(spec: RequestSpec) -> RequestSpec:
    """``$THUMBTACK_ACCESS_TOKEN`` (a masked copy, pasted back) -> ``{{access_token}}``."""

    def sub(text: str) -> str:
        return _ENV_REFERENCE.sub(lambda m: "{{" + (m.group(1) or m.group(2)).lower() + "}}", text)

    body = spec.body
    if body is not None and b"THUMBTACK_" in body:
        body = sub(body.decode("utf-8", errors="surrogateescape")).encode(
            "utf-8", errors="surrogateescape"
        )
    return dataclasses.replace(
        spec,
        url=sub(spec.url),
        headers=tuple((key, sub(value)) for key, value in spec.headers),
        body=body,
    )


def parse_curl(
    text: str, *, known_secrets: Iterable[str] = (), files_from: Path | None = None
) -> CurlImport:
    """The request a pasted curl command sends; :class:`CurlParseError` if it has none.

    ``files_from`` is the folder ``@file`` arguments are read from (the CLI passes the
    current folder); without it they are listed in the notes and left empty.
    """
    if not text or not text.strip():
        raise CurlParseError("Nothing to import: paste a curl command.")
    lines = text.strip().splitlines()
    while lines and (lines[0].lstrip().startswith(("#", "::")) or _is_rem(lines[0])):
        lines.pop(0)  # the comment a copy starts with
    words = split_command("\n".join(lines))
    if not words or not looks_like_curl(words[0]):
        raise CurlParseError(
            "This is not a curl command: it should start with 'curl'. Paste the whole "
            "command, for example curl https://api.thumbtack.com/api/v4/businesses"
        )
    state = _State()
    _apply(_expand(words[1:]), state, files_from)
    spec = _build(state)
    notes = list(state.notes)
    if state.extra_urls:
        notes.append(
            f"The command names more than one URL; only {spec.url} was imported "
            f"(not {', '.join(state.extra_urls)})."
        )
    spec = _env_references(spec)
    templated = template_secrets(spec, known_secrets)
    for ref in templated.secrets:
        notes.append(
            f"The value of {ref.where} is a secret and was not kept: the request uses "
            f"{{{{{ref.name}}}}}; store the value as a secret to use it."
        )
    return CurlImport(spec=templated.spec, secrets=templated.secrets, notes=tuple(notes))
