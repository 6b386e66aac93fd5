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
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
from explorer.commands.contract_support import (
    contract_json,
    contract_option,
    fails,
    judge,
    print_contract,
)
from explorer.commands.output import echo, remember_secrets
from explorer.core.auth import AUTH_ERRORS, TokenError, TokenManager, known_secrets
from explorer.core.bodies import (
    MULTIPART_TYPE,
    TEXT_TYPE,
    BodyError,
    BodyInput,
    BodyKind,
    encode,
    guess_type,
    parse_form_option,
)
from explorer.core.catalog import Catalog, CatalogError
from explorer.core.catalog import load_catalog as open_catalog
from explorer.core.contract import ContractResult, masked
from explorer.core.credentials import MissingCredential, StaticAuth
from explorer.core.environments import SANDBOX_ID, Environment, url_environment
from explorer.core.http import DEFAULT_TIMEOUT_S
from explorer.core.media import (
    MediaKind,
    base_type,
    body_summary,
    describe_size,
    is_json_type,
    media_kind,
)
from explorer.core.models import Endpoint, FixAction, Flow, ResponseRecord
from explorer.core.profiles import (
    AuthKind,
    Profile,
    ProfileStore,
    sandbox_demo_profile,
    sandbox_demo_profiles,
)
from explorer.core.redact import RedactionPolicy, Redactor, redactor_for_output
from explorer.core.sandbox_note import sandbox_fault_note
from explorer.core.sandbox_signin import DEMO_CLIENT_SECRETS
from explorer.core.secrets import MemoryStore, SecretKind, SecretStore
from explorer.core.servers import (
    ServerError,
    oauth_urls,
    pick_server,
    server_environment,
    servers_of,
)
from explorer.core.session import (
    BadInput,
    CallService,
    Target,
    UnknownEndpoint,
    check_buildable,
    load_catalog,
    parse_params,
    parse_target,
    resolve,
)
from explorer.core.status import classify

DEMO_SECRET = DEMO_CLIENT_SECRETS["sandbox-demand-client"]  # published Sandbox demo value
DEMO_ROLES = ("app", "customer", "pro")  # the order of sandbox_demo_profiles()
_DEMO_HINTS = {
    FixAction.USE_SANDBOX_CUSTOMER: "--as customer",
    FixAction.USE_SANDBOX_APP: "--as app",
    FixAction.USE_SANDBOX_PRO: "--as pro",
    FixAction.USE_SANDBOX_APP: "--as app",
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
            sign_in_unattended(tokens)
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
    if not profile.uses_oauth and profile.environment_id == SANDBOX_ID:
        with running_sandbox() as (_server, environment):
            profiles.set_runtime_environment(environment)
            yield _static_service(profile, profiles, store)
        return
    if not profile.uses_oauth:
        yield _static_service(profile, profiles, store)
        return
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


def _static_service(profile: Profile, profiles: ProfileStore, store: SecretStore) -> CallService:
    """A profile that signs without OAuth (or not at all): no token server, no Sandbox
    sign-in; its environment must be a saved one (the Sandbox's port changes per run)."""
    try:
        environment = profiles.environment(profile.environment_id)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    auth = None if profile.auth is AuthKind.NONE else StaticAuth(profile, store)
    if auth is not None:
        try:
            auth.secret()
        except MissingCredential as exc:
            raise click.ClickException(str(exc)) from None
    return CallService(profile=profile, environment=environment, tokens=None, auth=auth)


def _read_body(body: str, *, option: str = "--body") -> bytes:
    if body.startswith("@"):
        path = Path(body[1:]).expanduser()
        try:
            return path.read_bytes()
        except OSError as exc:
            raise click.UsageError(
                f"Cannot read the body file {path} ({option}): {exc.strerror}."
            ) from None
    return body.encode("utf-8")


def _explain(
    record: ResponseRecord, endpoint: Endpoint | None = None
) -> tuple[dict[str, Any] | None, str]:
    """The explanation as a dict and as text; (None, "") when the engine is not present."""
    try:
        from explorer.core.explain import ExplanationEngine, format_explanation_text

        explanation = ExplanationEngine.from_resources().explain(
            record, endpoint=endpoint if endpoint is not None and endpoint.operation_id else None
        )
    except Exception:  # explanations are a help, never a reason for the call to fail
        return None, ""
    return explanation.to_dict(), format_explanation_text(explanation)


def _known_secrets(service: CallService) -> tuple[str, ...]:
    """The profile's client secret and tokens (or password, token, API key), to mask
    wherever they appear."""
    if service.auth is not None:
        known = service.auth.known_secrets()
    elif service.tokens is None or service.profile is None:
        return ()
    else:
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


def _for_output(
    record: ResponseRecord,
    *,
    redact: bool,
    known: tuple[str, ...],
    endpoint: Endpoint | None = None,
) -> _Output:
    """Redact first, then explain the redacted record.

    The explanation quotes parts of the body cut to a few hundred characters; a token cut
    in the middle would no longer be recognised, so the engine only ever sees the masked
    record. Secrets (the profile's own values included) are always masked; ``redact``
    adds personal data.
    """
    redactor = _redactor(redact, known)
    safe = redactor.redact_record(record)
    explanation, text = _explain(safe, endpoint)
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
    text = record.body.decode("utf-8", errors="replace")
    kind = media_kind(record.content_type, record.body)
    if kind is MediaKind.JSON or (kind is MediaKind.TEXT and text[:1] in "{["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    return text


@click.command(
    name="call",
    help="Send one request: OPERATION_ID, METHOD PATH or METHOD URL (a full http:// or "
    "https:// URL is sent to that host, with no credentials unless --profile's environment "
    "is that host). Without --profile it uses the Sandbox's demo profile.",
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
    help="A path, query or header parameter; repeat for several (a repeated name is sent "
    "as often as given, in order, after any query written in the path).",
)
@click.option(
    "-H",
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="A request header; repeat for several. -H 'Content-Type: …' sets the body's type.",
)
@click.option("--body", metavar="JSON|@FILE", help="A JSON body, or @FILE to read it from a file.")
@click.option(
    "--data",
    metavar="TEXT|@FILE",
    help="A raw body sent as given: text, or @FILE for a file's exact bytes (any type; "
    "say it with -H 'Content-Type: …').",
)
@click.option(
    "--form",
    "form",
    multiple=True,
    metavar="NAME=VALUE",
    help="A form field; repeat for several. NAME=@FILE adds a file part (multipart); "
    "without files the form is URL-encoded.",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0, min_open=True, max=3600),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    metavar="SECONDS",
    help="Give up when the server has not answered in this many seconds.",
)
@click.option("--follow", is_flag=True, help="Follow redirects (up to 20).")
@click.option(
    "--spec",
    "spec_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Call an operation of another OpenAPI 3.0/3.1 description (JSON or YAML) instead "
    "of Thumbtack's; the request goes to one of its servers.",
)
@click.option(
    "--server",
    metavar="N|URL",
    help="With --spec: which of its servers to call, by number (1 = the first, the "
    "default) or by its URL as written in the description.",
)
@click.option(
    "--server-var",
    "server_vars",
    multiple=True,
    metavar="NAME=VALUE",
    help="With --spec: a server variable (default: the description's); repeat for several.",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="FILE",
    help="Write the response body's exact bytes to FILE (a one-line summary is printed).",
)
@click.option(
    "-i", "--include", is_flag=True, help="Also print the response headers (as received)."
)
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
@contract_option
def command(
    *,
    target: tuple[str, ...],
    profile_name: str | None,
    role: str | None,
    params: tuple[str, ...],
    headers: tuple[str, ...],
    body: str | None,
    data: str | None,
    form: tuple[str, ...],
    timeout_s: float,
    follow: bool,
    spec_file: Path | None,
    server: str | None,
    server_vars: tuple[str, ...],
    output: Path | None,
    include: bool,
    fault: str | None,
    strict: bool,
    no_history: bool,
    as_json: bool,
    redact: bool,
    secret_store: str | None,
    contract_mode: str,
) -> None:
    ctx = click.get_current_context()
    if profile_name is not None and not profile_name.strip():
        raise click.UsageError(
            "--profile needs a profile name (see: thumbtack-explorer profile list); leave it "
            "out to use the Sandbox's demo profile."
        )
    try:
        where = parse_target(" ".join(target))
        values = [*where.query, *parse_params(params)]
    except BadInput as exc:
        raise click.UsageError(str(exc)) from None
    extra_headers = parse_headers(headers)
    # everything the user typed is checked here, before any token, sign-in or Sandbox
    demo = _demo_profile(profile_name, role)
    saved = _saved_profile(profile_name) if profile_name and demo is None else None
    if fault is not None and saved is not None and saved[0].environment_id != SANDBOX_ID:
        raise click.UsageError(
            f"--fault works only against the Sandbox, and profile '{profile_name}' calls "
            f"the environment '{saved[0].environment_id}'. Leave out --profile, or use a "
            "profile whose environment is sandbox."
        )
    if fault is not None and where.origin:
        raise click.UsageError(
            "--fault works only against the Sandbox; a full URL is sent to its own host. "
            "Give the path alone (for example GET /api/v4/businesses/search)."
        )
    catalog, server_env = _description(spec_file, server, server_vars, where)
    try:
        endpoint, path_values = resolve(
            where.text, load_catalog() if catalog is None else catalog.endpoints
        )
    except (UnknownEndpoint, BadInput) as exc:
        raise click.UsageError(str(exc)) from None
    values = [*path_values.items(), *values]
    payload = _request_body(endpoint, body=body, data=data, form=form, headers=extra_headers)
    try:
        check_buildable(endpoint, values, payload.content if payload.check_json else None)
    except BadInput as exc:
        raise click.UsageError(str(exc)) from None
    check_inputs(
        endpoint,
        dict(_first_values(values)),
        payload.content if payload.check_json else None,
        headers=extra_headers,
        strict=strict,
    )
    if fault is not None:
        extra_headers.append((FAULT_HEADER, fault))
    service_cm = _service(where, saved, demo, secret_store, server_env)
    with service_cm as service:
        _known_secrets(service)  # masked in every line printed from here on
        _check_authorization(service, extra_headers)
        try:
            spec = service.build(
                endpoint,
                values,
                payload.content,
                headers=extra_headers,
                content_type=payload.content_type,
                timeout_s=timeout_s,
                follow_redirects=follow,
                check_json=payload.check_json,
            )
        except BadInput as exc:
            raise click.UsageError(str(exc)) from None
        warn_undeclared(endpoint, [name for name, _ in values])
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
        shown = _for_output(raw, redact=redact, known=known, endpoint=endpoint)
        verdict = judge(endpoint, raw, None, mode=contract_mode)
        shown_verdict = (
            None if verdict is None else masked(verdict, _redactor(redact, known), raw.body)
        )
        if not no_history:
            stored = (
                _for_output(raw, redact=False, known=known, endpoint=endpoint) if redact else shown
            )
            _remember(stored, service, known, contract=shown_verdict)
    saved_to = _save_body(raw, output) if output is not None else None
    record, explanation, explanation_text = shown.record, shown.explanation, shown.explanation_text
    if as_json:
        printable = media_kind(record.content_type, record.body).printable
        echo(
            json.dumps(
                {
                    "status": record.status,
                    "headers": dict(record.headers),
                    "body": _body_value(record) if printable else None,
                    "body_summary": None
                    if printable
                    else body_summary(record.content_type, record.body),
                    "body_file": str(saved_to) if saved_to is not None else None,
                    "elapsed_ms": round(record.timing.total_ms, 1),
                    "explanation": explanation,
                    "sandbox_note": shown.sandbox_note or None,
                    "retried": result.retried,
                    "failure": None if record.failure is None else record.failure.message,
                    "contract": contract_json(shown_verdict),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        _print_record(record, explanation_text, result.retried, include=include, saved_to=saved_to)
        print_contract(shown_verdict)
    ok = classify(raw).ok
    if contract_mode == "strict" and fails(shown_verdict):
        ok = False
    ctx.exit(0 if ok else 1)


@dataclass(frozen=True, kw_only=True)
class _Payload:
    content: bytes | None = None
    content_type: str | None = None
    check_json: bool = True  # a --body (JSON) is checked; --data and --form are sent as given


def _request_body(
    endpoint: Endpoint,
    *,
    body: str | None,
    data: str | None,
    form: tuple[str, ...],
    headers: list[tuple[str, str]],
) -> _Payload:
    """The body from --body, --data or --form (one of them), with its Content-Type; a
    ``-H Content-Type`` the user gave wins (a multipart one gets the boundary)."""
    given = [name for name, value in (("--body", body), ("--data", data)) if value is not None]
    if form:
        given.append("--form")
    if len(given) > 1:
        raise click.UsageError(
            f"Give one body: {' and '.join(given)} cannot be combined. Use --body for JSON, "
            "--data for raw text or a file, --form for form fields and files."
        )
    typed = next((value for name, value in headers if name.lower() == "content-type"), None)
    declared = endpoint.body_media_type if endpoint.operation_id else None
    try:
        if body is not None:
            if typed is not None and not is_json_type(typed):
                return _Payload(content=_read_body(body), check_json=False)
            return _Payload(content=_read_body(body), content_type=declared)
        if data is not None:
            raw = _read_body(data, option="--data")
            if typed is None and declared is None and data.startswith("@"):
                media = guess_type(Path(data[1:]))
            else:
                media = declared or TEXT_TYPE
            return _Payload(content=raw, content_type=media, check_json=False)
        if form:
            fields = tuple(parse_form_option(item) for item in form)
            wants_multipart = any(f.is_file for f in fields) or (
                base_type(typed or declared) == MULTIPART_TYPE
            )
            kind = BodyKind.MULTIPART if wants_multipart else BodyKind.FORM
            encoded = encode(BodyInput(kind=kind, fields=fields))
            assert encoded is not None
            if typed is not None and base_type(typed) == MULTIPART_TYPE:
                # the boundary is chosen when the body is encoded: the typed header gets it
                headers[:] = [(k, v) for k, v in headers if k.lower() != "content-type"]
            return _Payload(
                content=encoded.content, content_type=encoded.content_type, check_json=False
            )
    except BodyError as exc:
        raise click.UsageError(str(exc)) from None
    return _Payload()


def _first_values(values: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in values:
        out.setdefault(name, value)
    return out


def _description(
    spec: Path | None, server: str | None, server_vars: tuple[str, ...], where: Target
) -> tuple[Catalog | None, Environment | None]:
    """``--spec``'s catalog and the environment of its chosen server (none without it)."""
    if spec is None:
        if server is not None or server_vars:
            raise click.UsageError(
                "--server and --server-var choose among the servers of a description: give "
                "it with --spec FILE."
            )
        return None, None
    try:
        catalog = open_catalog(spec)
    except CatalogError as exc:
        raise click.UsageError(str(exc)) from None
    if where.origin:
        if server is not None or server_vars:
            raise click.UsageError(
                "A full URL says where to send; leave out --server/--server-var, or give the "
                "path alone to use the description's server."
            )
        return catalog, None
    try:
        values = dict(_first_values(parse_params(server_vars)))
        token_url, authorize_url = oauth_urls(catalog.document)
        environment = server_environment(
            pick_server(servers_of(catalog.document), server),
            values,
            base_uri=catalog.base_uri or catalog.source,
            title=catalog.title,
            token_url=token_url,
            authorize_url=authorize_url,
        )
    except (ServerError, BadInput) as exc:
        raise click.UsageError(str(exc)) from None
    return catalog, environment


def _service(
    where: Target,
    saved: tuple[Profile, ProfileStore] | None,
    demo: Profile | None,
    secret_store: str | None,
    server_env: Environment | None = None,
) -> AbstractContextManager[CallService]:
    """Who sends: the profile's environment, a description's server, or (a full URL
    elsewhere) the URL's host; a profile's credentials go only to its own API's origin."""
    if server_env is not None:
        return _server_service(server_env, saved, secret_store)
    if where.origin:
        if saved is not None:
            environment = _saved_environment(saved)
            if environment is not None and _origin(environment.api_base) == where.origin:
                return _profile_service(*saved, secret_store)
            echo(
                f"Note: {where.origin} is not the API of profile '{saved[0].name}'; the "
                "request is sent without the profile's credentials.",
                err=True,
            )
        elif demo is not None:
            echo(
                f"Note: {where.origin} is not the Sandbox; the request is sent without "
                "the demo profile's credentials.",
                err=True,
            )
        return nullcontext(
            CallService(profile=None, environment=url_environment(where.origin), tokens=None)
        )
    return _profile_service(*saved, secret_store) if saved else _sandbox_service(demo)


@contextmanager
def _server_service(
    server_env: Environment,
    saved: tuple[Profile, ProfileStore] | None,
    secret_store: str | None,
) -> Iterator[CallService]:
    """A description's server, signed by ``saved``'s profile when the server is that
    profile's API (same origin)."""
    origin = _origin(server_env.api_base)
    if saved is not None:
        environment = _saved_environment(saved)
        if environment is not None and _origin(environment.api_base) == origin:
            with _profile_service(*saved, secret_store) as service:
                service.environment = server_env
                yield service
            return
        echo(
            f"Note: {origin} is not the API of profile '{saved[0].name}'; the request is "
            "sent without the profile's credentials.",
            err=True,
        )
    yield CallService(profile=None, environment=server_env, tokens=None)


def _saved_environment(saved: tuple[Profile, ProfileStore]) -> Environment | None:
    profile, profiles = saved
    if profile.environment_id == SANDBOX_ID:
        return None
    try:
        return profiles.environment(profile.environment_id)
    except KeyError:
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc}"


def _check_authorization(service: CallService, headers: list[tuple[str, str]]) -> None:
    """``-H Authorization`` is sent as typed when nothing else signs the request; when the
    profile does, the call is refused rather than one of them silently replaced."""
    if not any(name.lower() == "authorization" for name, _ in headers):
        return
    signs = service.tokens is not None or (
        service.auth is not None and service.auth.sets_authorization
    )
    if not signs:
        return
    name = service.profile.name if service.profile is not None else "the demo profile"
    how = (
        "its own access token"
        if service.tokens is not None
        else f"its {service.profile.auth.label if service.profile else ''} credentials"
    )
    raise click.UsageError(
        f"-H Authorization conflicts with profile '{name}', which signs the request with "
        f"{how}. Leave out -H Authorization to use the profile, or use a profile without "
        "authentication (profile add NAME --auth none …) to send your own header."
    )


def _save_body(record: ResponseRecord, output: Path) -> Path | None:
    """Write the body's exact bytes to ``output``; a failure to write is a clear error."""
    if record.failure is not None:
        return None
    try:
        # a new file is the user's only (0600); an existing one keeps the mode they gave it
        fd = os.open(output.expanduser(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(record.body)
    except OSError as exc:
        raise click.ClickException(
            f"Cannot write the body to {output}: {exc.strerror or type(exc).__name__}. "
            "Choose a file in a folder you can write to."
        ) from None
    return output


def _remember(
    stored: _Output,
    service: CallService,
    known: tuple[str, ...],
    *,
    contract: ContractResult | None = None,
) -> None:
    """Record the exchange (already masked for storage) in the history."""
    record_exchange(
        stored.record,
        explanation=stored.explanation,
        contract=contract_json(contract),
        environment=service.environment.name,
        profile=service.profile.name if service.profile is not None else "",
        known=known,
    )


def _print_record(
    record: ResponseRecord,
    explanation_text: str,
    retried: bool,
    *,
    include: bool,
    saved_to: Path | None,
) -> None:
    if record.failure is not None:
        echo(f"No response: {record.failure.kind.value}: {record.failure.message}")
    else:
        echo(
            f"HTTP {record.status} {record.reason}  ({record.timing.total_ms:.0f} ms"
            + (", retried once with a fresh token)" if retried else ")")
        )
        if include:
            for key, value in record.headers:
                echo(f"{key}: {value}")
        echo("")
        if saved_to is not None:
            media = base_type(record.content_type) or "no Content-Type"
            echo(
                f"Body: {describe_size(len(record.body))} ({len(record.body)} bytes, "
                f"{media}) written to {saved_to}"
            )
        elif not media_kind(record.content_type, record.body).printable:
            echo(
                body_summary(record.content_type, record.body)
                + " not printed; save it with --output FILE"
            )
        elif record.body:
            value = _body_value(record)
            echo(
                json.dumps(value, indent=2, ensure_ascii=False)
                if not isinstance(value, str)
                else value
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
        status = exc.record.status
        if status is not None and 200 <= status < 300:
            # a success status carrying no usable token: "200 OK, the API answered" would
            # contradict the error above
            explanation = None
            text = (
                f"The token server answered {status} {exc.record.reason}, but not with a "
                "usable token, so the API was not called. Check the profile's token URL: it "
                "must be the OAuth token endpoint, which answers with a JSON object holding "
                "access_token and a numeric expires_in."
            )
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
