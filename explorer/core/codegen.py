"""A request as code the user can run: a curl command line or a Python httpx2 snippet.

This module owns the two "Copy as" texts. Both are produced from a
:class:`~explorer.core.models.RequestSpec`, so they say exactly what the explorer would
send. Secrets never leave through them: every header value and the body pass through a
``redact`` callable (the program's redaction function); the default masks credentials
in ``Authorization``-style values as ``Bearer ••••••``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

from explorer.core.models import RequestSpec

Redact = Callable[[str], str]

MASK = "••••••"
_CREDENTIAL = re.compile(r"\b(Bearer|Basic|Token)\s+[^\s\"',]+", re.IGNORECASE)


def mask_credentials(text: str) -> str:
    """``Bearer abc.def`` -> ``Bearer ••••••`` (also Basic and Token), anywhere in ``text``."""
    return _CREDENTIAL.sub(lambda m: f"{m.group(1)} {MASK}", text)


def _body_text(spec: RequestSpec) -> str | None:
    if spec.body is None:
        return None
    return spec.body.decode("utf-8", errors="replace")


def to_curl(spec: RequestSpec, *, redact: Redact | None = mask_credentials) -> str:
    """A shell command line (POSIX quoting) that sends ``spec`` with curl.

    Pass ``redact=None`` only where the text stays on the user's own screen.
    """
    clean = redact or (lambda text: text)
    parts = ["curl"]
    if any(ch in spec.url for ch in "[]{}"):
        parts.append("--globoff")  # deep-object names like utmData[utm_source] are literal
    if spec.method != "GET" or spec.body is not None:
        parts += ["--request", spec.method]
    parts.append(shlex.quote(spec.url))
    for key, value in spec.headers:
        parts += ["--header", shlex.quote(f"{key}: {clean(value)}")]
    body = _body_text(spec)
    if body is not None:
        parts += ["--data-raw", shlex.quote(clean(body))]
    lines: list[str] = []
    current = parts[0]
    for index in range(1, len(parts)):
        token = parts[index]
        if token.startswith("--"):
            lines.append(current)
            current = f"  {token}"
        else:
            current += f" {token}"
    lines.append(current)
    return " \\\n".join(lines) + "\n"


def to_httpx(spec: RequestSpec, *, redact: Redact | None = mask_credentials) -> str:
    """A small Python program that sends ``spec`` with httpx2 and prints the response."""
    clean = redact or (lambda text: text)
    lines = [
        "import httpx2 as httpx",
        "",
        "response = httpx.request(",
        f"    {spec.method!r},",
        f"    {spec.url!r},",
    ]
    if spec.headers:
        lines.append("    headers=[")
        lines += [f"        ({key!r}, {clean(value)!r})," for key, value in spec.headers]
        lines.append("    ],")
    body = _body_text(spec)
    if body is not None:
        lines.append(f"    content={clean(body)!r}.encode(),")
    lines += [
        f"    timeout={spec.timeout_s!r},",
        f"    follow_redirects={spec.follow_redirects!r},",
        ")",
        "print(response.status_code, response.reason_phrase)",
        "print(response.text)",
    ]
    return "\n".join(lines) + "\n"
