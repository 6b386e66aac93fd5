"""``thumbtack-explorer call OPERATION_ID|METHOD PATH``: one request from the command line.

Gets or refreshes the token as needed, prints the pre-flight warnings, then the status,
headers, body and explanation (``--json``: one object). Without ``--profile`` it starts the
embedded Sandbox in this process and uses its demo client; ``--as customer`` or ``--as pro``
(or ``--profile`` with a built-in demo profile's name) signs in to it as the demo customer
or pro (authorization code, no browser). Exit codes: 0 for a 2xx answer, 1 for an HTTP
error or a failure, 2 for a usage error.

Secrets are always masked in what is printed (headers, bodies, explanations): credential
headers, secret fields such as ``access_token``, and the profile's own client secret and
tokens wherever they appear; ``--redact`` also masks personal data, for output that is
shown or pasted elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from explorer.commands.call_support import (
    FAULT_HEADER,
    check_fault,
    check_inputs,
    demo_secret,
    parse_headers,
    record_exchange,
    running_sandbox,
    sandbox_secrets,
    sign_in_unattended,
    warn_undeclared,
)
from explorer.commands.output import binary_summary, echo, is_binary, remember_secrets
from explorer.core.auth import AUTH_ERRORS, TokenError, TokenManager, known_secrets
from explorer.core.environments import SANDBOX_ID
from explorer.core.models import FixAction, Flow, ResponseRecord
from explorer.core.profiles import (
    Profile,
    ProfileStore,
    sandbox_demo_profile,
    sandbox_demo_profiles,
)
from explorer.core.redact import RedactionPolicy, Redactor, redactor_for_output
from explorer.core.sandbox_note import sandbox_fault_note
from explorer.core.sandbox_signin import DEMO_CLIENT_SECRETS
from explorer.core.secrets import MemoryStore, SecretKind, SecretStore
from explorer.core.session import (
    BadInput,
    CallService,
    UnknownEndpoint,
    check_buildable,
    load_catalog,
    parse_params,
    resolve,
)

DEMO_SECRET = DEMO_CLIENT_SECRETS["sandbox-demand-client"]  # published Sandbox demo value
DEMO_ROLES = ("app", "customer", "pro")  # the order of sandbox_demo_profiles()
_DEMO_HINTS = {
    FixAction.USE_SANDBOX_CUSTOMER: "--as customer",
    FixAction.USE_SANDBOX_PRO: "--as pro",
}


def _demo_profile(profile_name: str | None, role: str | None) -> Profile | None:
    """The built-in Sandbox profile asked for by ``--as`` or by name (a saved profile of
    the same name wins), else None."""
    demos = sandbox_demo_profiles()
    if role is not None:
        if profile_name:
            raise click.UsageError("Use --as or --profile, not both.")
        return demos[DEMO_ROLES.index(role)]
    found = [p for p in demos if p.name == profile_name]
    if not found:
        return None
    from explorer.commands.profile import open_profiles

    return None if profile_name in open_profiles().names() else found[0]


@contextmanager
def _sandbox_service(
    profile: Profile | None = None, stored: SecretStore | None = None
) -> Iterator[CallService]:
    """The in-process Sandbox, called with ``profile`` (default: the demo profile)."""
    with running_sandbox() as (server, environment):
        if profile is None:
            profile = sandbox_demo_profile()
            store = MemoryStore()
            secret = demo_secret(server, profile.client_id) or DEMO_SECRET
            store.set(profile.name, SecretKind.CLIENT_SECRET, secret)
        else:
            store = sandbox_secrets(profile, stored, server)
        tokens = TokenManager(profile, environment, store)
        if profile.flow is Flow.AUTHORIZATION_CODE:
            sign_in_unattended(tokens, server)
        yield CallService(profile=profile, environment=environment, tokens=tokens)


def _saved_profile(name: str) -> tuple[Profile, ProfileStore]:
    from explorer.commands.profile import _get, open_profiles

    profiles = open_profiles()
    return _get(profiles, name), profiles


@contextmanager
def _profile_service(
    profile: Profile, profiles: ProfileStore, secret_store: str | None
) -> Iterator[CallService]:
    from explorer.commands.profile import open_stores

    _paths, profiles, store = open_stores(secret_store, profiles)
    if profile.environment_id == SANDBOX_ID:
        with _sandbox_service(profile, store) as service:
            yield service
        return
    try:
        environment = profiles.environment(profile.environment_id)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    yield CallService(
        profile=profile, environment=environment, tokens=TokenManager(profile, environment, store)
    )


def _read_body(body: str | None) -> bytes | None:
    if body is None:
        return None
    if body.startswith("@"):
        path = Path(body[1:]).expanduser()
        try:
            return path.read_bytes()
        except OSError as exc:
            raise click.UsageError(f"Cannot read the body file {path}: {exc.strerror}.") from None
    return body.encode("utf-8")


def _explain(record: ResponseRecord) -> tuple[dict[str, Any] | None, str]:
    """The explanation as a dict and as text; (None, "") when the engine is not present."""
    try:
        from explorer.core.explain import ExplanationEngine, format_explanation_text

        explanation = ExplanationEngine.from_resources().explain(record)
    except Exception:  # explanations are a help, never a reason for the call to fail
        return None, ""
    return explanation.to_dict(), format_explanation_text(explanation)


def _known_secrets(service: CallService) -> tuple[str, ...]:
    """The profile's client secret and tokens, to mask wherever they appear."""
    if service.tokens is None or service.profile is None:
        return ()
    known = known_secrets(service.tokens.secret_store, service.profile.name)
    remember_secrets(known)
    return known


@dataclass(frozen=True, kw_only=True)
class _Output:
    """What is printed: the record and explanation, masked as the user asked."""

    record: ResponseRecord
    explanation: dict[str, Any] | None
    explanation_text: str
    sandbox_note: str = ""


def _for_output(record: ResponseRecord, *, redact: bool, known: tuple[str, ...]) -> _Output:
    """Redact first, then explain the redacted record.

    The explanation quotes parts of the body cut to a few hundred characters; a token cut
    in the middle would no longer be recognised, so the engine only ever sees the masked
    record. Secrets (the profile's own values included) are always masked; ``redact``
    adds personal data.
    """
    redactor = _redactor(redact, known)
    safe = redactor.redact_record(record)
    explanation, text = _explain(safe)
    note = sandbox_fault_note(safe)
    return _Output(
        record=safe,
        explanation=None if explanation is None else redactor.redact_mapping(explanation),
        explanation_text="\n\n".join(t for t in (note, redactor.redact_text(text)) if t),
        sandbox_note=note,
    )


def _redactor(redact: bool, known: tuple[str, ...]) -> Redactor:
    if redact:
        return redactor_for_output(True, known)
    return Redactor(RedactionPolicy.for_storage(known))


def _body_value(record: ResponseRecord) -> Any:
    if is_binary(record.body, record.content_type):
        return binary_summary(record.body, record.content_type)
    text = record.body.decode("utf-8", errors="replace")
    if "json" in record.content_type or text[:1] in "{[":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    return text


@click.command(
    name="call",
    help="Send one request: OPERATION_ID or METHOD PATH. Without "
    "--profile it uses the Sandbox's demo profile.",
)
@click.argument("target", nargs=-1, required=True)
@click.option("--profile", "profile_name", help="The profile to call with.")
@click.option(
    "--as",
    "role",
    type=click.Choice(DEMO_ROLES),
    help="Call the embedded Sandbox as its demo application (client credentials), customer "
    "or pro (both sign in by themselves).",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A path, query or header parameter; repeat for several.",
)
@click.option(
    "-H",
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="A request header; repeat for several.",
)
@click.option("--body", help="A JSON body, or @FILE to read it from a file.")
@click.option(
    "--fault",
    callback=check_fault,
    metavar="NAME",
    help=f"Sandbox only: ask it for a fault ({FAULT_HEADER}: NAME), e.g. rate-limited, "
    "token-expired, latency=500 (see: thumbtack-explorer sandbox --help).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Do not send when the inputs have a problem the API would refuse (a required "
    "parameter missing, a value of the wrong type): exit 2 instead. Without it such "
    "problems are warnings and the request is sent as typed.",
)
@click.option("--no-history", is_flag=True, help="Do not record this exchange in the history.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object: status, headers, body, elapsed_ms, explanation.",
)
@click.option(
    "--redact",
    is_flag=True,
    help="Also mask personal data (customer names, e-mails, phones, addresses) in everything "
    "printed, for screen-shares and tickets. Secrets are always masked.",
)
@click.option(
    "--secret-store",
    type=click.Choice(["keyring", "vault", "memory"]),
    help="Where the profile's secrets live (see 'profile add --help').",
)
def command(
    *,
    target: tuple[str, ...],
    profile_name: str | None,
    role: str | None,
    params: tuple[str, ...],
    headers: tuple[str, ...],
    body: str | None,
    fault: str | None,
    strict: bool,
    no_history: bool,
    as_json: bool,
    redact: bool,
    secret_store: str | None,
) -> None:
    ctx = click.get_current_context()
    if profile_name is not None and not profile_name.strip():
        raise click.UsageError(
            "--profile needs a profile name (see: thumbtack-explorer profile list); leave it "
            "out to use the Sandbox's demo profile."
        )
    try:
        values = parse_params(params)
    except BadInput as exc:
        raise click.UsageError(str(exc)) from None
    extra_headers = parse_headers(headers)
    payload = _read_body(body)
    # everything the user typed is checked here, before any token, sign-in or Sandbox
    demo = _demo_profile(profile_name, role)
    saved = _saved_profile(profile_name) if profile_name and demo is None else None
    if fault is not None and saved is not None and saved[0].environment_id != SANDBOX_ID:
        raise click.UsageError(
            f"--fault works only against the Sandbox, and profile '{profile_name}' calls "
            f"the environment '{saved[0].environment_id}'. Leave out --profile, or use a "
            "profile whose environment is sandbox."
        )
    try:
        endpoint, path_values = resolve(" ".join(target), load_catalog())
        values = {**path_values, **values}
        check_buildable(endpoint, values, payload)
    except (UnknownEndpoint, BadInput) as exc:
        raise click.UsageError(str(exc)) from None
    check_inputs(endpoint, values, payload, headers=extra_headers, strict=strict)
    if fault is not None:
        extra_headers.append((FAULT_HEADER, fault))
    service_cm = _profile_service(*saved, secret_store) if saved else _sandbox_service(demo)
    with service_cm as service:
        _known_secrets(service)  # masked in every line printed from here on
        try:
            spec = service.build(endpoint, values, payload, headers=extra_headers)
        except BadInput as exc:
            raise click.UsageError(str(exc)) from None
        warn_undeclared(endpoint, values)
        warnings = service.check(endpoint)
        for warning in warnings:
            echo(f"Pre-flight warning: {warning.message}", err=True)
        for hint in sorted({_DEMO_HINTS[w.fix] for w in warnings if w.fix in _DEMO_HINTS}):
            echo(f"  From the command line: {hint}", err=True)
        try:
            result = service.call(endpoint, spec)
        except TokenError as exc:
            known = _known_secrets(service)
            if exc.record is not None and not no_history:
                _remember(_for_output(exc.record, redact=False, known=known), service, known)
            _report_token_error(exc, as_json, redact, known)
            ctx.exit(1)
        except AUTH_ERRORS as exc:
            raise click.ClickException(str(exc)) from None
        known = _known_secrets(service)
        raw = result.record
        shown = _for_output(raw, redact=redact, known=known)
        if not no_history:
            stored = _for_output(raw, redact=False, known=known) if redact else shown
            _remember(stored, service, known)
    record, explanation, explanation_text = shown.record, shown.explanation, shown.explanation_text
    if as_json:
        echo(
            json.dumps(
                {
                    "status": record.status,
                    "headers": dict(record.headers),
                    "body": _body_value(record),
                    "elapsed_ms": round(record.timing.total_ms, 1),
                    "explanation": explanation,
                    "sandbox_note": shown.sandbox_note or None,
                    "retried": result.retried,
                    "failure": None if record.failure is None else record.failure.message,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        _print_record(record, explanation_text, result.retried)
    ok = raw.failure is None and raw.status is not None and 200 <= raw.status < 300
    ctx.exit(0 if ok else 1)


def _remember(stored: _Output, service: CallService, known: tuple[str, ...]) -> None:
    """Record the exchange (already masked for storage) in the history."""
    record_exchange(
        stored.record,
        explanation=stored.explanation,
        environment=service.environment.name,
        profile=service.profile.name if service.profile is not None else "",
        known=known,
    )


def _print_record(record: ResponseRecord, explanation_text: str, retried: bool) -> None:
    if record.failure is not None:
        echo(f"No response: {record.failure.kind.value}: {record.failure.message}")
    else:
        echo(
            f"HTTP {record.status} {record.reason}  ({record.timing.total_ms:.0f} ms"
            + (", retried once with a fresh token)" if retried else ")")
        )
        for key, value in record.headers:
            echo(f"{key}: {value}")
        echo("")
        value = _body_value(record)
        echo(
            json.dumps(value, indent=2, ensure_ascii=False) if not isinstance(value, str) else value
        )
    if explanation_text:
        echo("")
        echo(explanation_text)


def _report_token_error(
    exc: TokenError, as_json: bool, redact: bool, known: tuple[str, ...]
) -> None:
    record, explanation, text = exc.record, None, ""
    if exc.record is not None:
        shown = _for_output(exc.record, redact=redact, known=known)
        record, explanation, text = shown.record, shown.explanation, shown.explanation_text
    message = _redactor(redact, known).redact_text(str(exc))
    if as_json:
        echo(
            json.dumps(
                {
                    "status": exc.status,
                    "headers": dict(record.headers) if record else {},
                    "body": _body_value(record) if record else None,
                    "elapsed_ms": round(record.timing.total_ms, 1) if record else None,
                    "explanation": explanation,
                    "error": message,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    echo(f"Error: {message}", err=True)
    if text:
        echo(text, err=True)
