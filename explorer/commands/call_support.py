"""What the ``call`` command needs around the request itself.

Owns: the in-process Sandbox a call runs against (for the default demo profile and for
any profile whose environment is ``sandbox``), the client secret such a profile uses
there, ``-H 'Name: value'`` headers, the ``--fault`` header, the warning for a
parameter the endpoint does not declare, the input checks said before sending (and
``--strict``), and recording each exchange in the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import click

from explorer.commands.options import parse_header_options
from explorer.commands.output import echo
from explorer.core.auth import AUTH_ERRORS, TokenManager
from explorer.core.builder import InputProblem, ProblemLocation
from explorer.core.environments import Environment, sandbox_environment
from explorer.core.history import HistoryError, HistoryStore
from explorer.core.models import Endpoint, ResponseRecord, Severity
from explorer.core.profiles import Profile
from explorer.core.secrets import MemoryStore, SecretKind, SecretStore
from explorer.core.session import input_problems, undeclared_params
from explorer.paths import AppPaths

FAULT_HEADER = "X-Sandbox-Fault"


@contextmanager
def running_sandbox(config: Any = None) -> Iterator[tuple[Any, Environment]]:
    """A Sandbox on a free port of 127.0.0.1 for the length of one command (``config``:
    a :class:`~explorer.sandbox.server.SandboxConfig`, default the Sandbox's own)."""
    try:
        from explorer.sandbox.server import SandboxConfig, SandboxError, SandboxServer
    except ImportError:
        raise click.ClickException(
            "The embedded Sandbox is not available in this installation; pass --profile NAME "
            "with another environment (see: thumbtack-explorer profile list)."
        ) from None
    server = SandboxServer(config if config is not None else SandboxConfig())
    try:
        server.start()
    except SandboxError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield (
            server,
            sandbox_environment(
                server.api_base, authorize_url=server.authorize_url, token_url=server.token_url
            ),
        )
    finally:
        server.stop()


def demo_secret(server: Any, client_id: str) -> str | None:
    """The published secret of the Sandbox's demo client ``client_id``, if it is one."""
    for client in getattr(server, "demo_clients", ()) or ():
        if getattr(client, "client_id", None) == client_id:
            return str(client.client_secret)
    return None


def sandbox_secrets(profile: Profile, stored: SecretStore | None, server: Any) -> MemoryStore:
    """The secrets a profile uses against the in-process Sandbox, in memory only.

    The client secret comes from the profile's store; tokens are not persisted, because
    the Sandbox that issued them stops when the command ends. A Sandbox demo client with
    no stored secret uses the Sandbox's published one (said on stderr).
    """
    secret = stored.get(profile.name, SecretKind.CLIENT_SECRET) if stored is not None else None
    if not secret:
        secret = demo_secret(server, profile.client_id)
        if secret is not None and stored is not None:
            echo(
                f"Note: profile '{profile.name}' has no stored client secret; using the "
                f"Sandbox's published secret for its demo client {profile.client_id}.",
                err=True,
            )
    if not secret:
        where = stored.location if stored is not None else "the secret store"
        raise click.ClickException(
            f"Profile '{profile.name}' has no client secret in {where}. Store it with: "
            f"thumbtack-explorer profile add '{profile.name}' --environment sandbox "
            f"--client-id {profile.client_id} --secret-store vault"
        )
    memory = MemoryStore(note="the in-process Sandbox's tokens are forgotten when it stops")
    memory.set(profile.name, SecretKind.CLIENT_SECRET, secret)
    return memory


def sign_in_unattended(tokens: TokenManager) -> None:
    """Authorization code against the in-process Sandbox, signed in as its demo user the
    way the window signs in (:func:`explorer.core.sandbox_signin.sign_in`)."""
    from explorer.core.sandbox_signin import sign_in

    try:
        sign_in(tokens)
    except AUTH_ERRORS as exc:
        raise click.ClickException(f"Signing in to the Sandbox failed: {exc}") from None
    echo("Signed in to the in-process Sandbox as its demo user.", err=True)


def parse_headers(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """``-H 'Name: value'`` options into header pairs, with a note for special headers."""
    headers = parse_header_options(
        values, param_hint="-H/--header", example="-H 'X-Request-ID: 42'"
    )
    for name, _value in headers:
        if name.lower() == FAULT_HEADER.lower():
            echo(f"Note: {FAULT_HEADER} is honoured only by the Sandbox.", err=True)
    return headers


def check_fault(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """``--fault``: the name (and any parameter) must be one the Sandbox knows."""
    if value is None:
        return None
    from explorer.sandbox.faults import FaultSyntaxError, parse_faults

    if not value.strip():
        raise click.BadParameter("give a fault name.", param_hint="--fault")
    try:
        parse_faults(value)
    except FaultSyntaxError as exc:
        raise click.BadParameter(str(exc), param_hint="--fault") from None
    return value.strip()


def warn_undeclared(endpoint: Endpoint, params: Iterable[str]) -> None:
    """Say on stderr which ``-p`` names the endpoint does not declare."""
    for name in undeclared_params(endpoint, params):
        echo(
            f"Warning: '{name}' is not a parameter of {endpoint.operation_id}; sent as a "
            "query parameter. Use -H for headers.",
            err=True,
        )


def check_inputs(
    endpoint: Endpoint,
    params: Mapping[str, str],
    body: bytes | None,
    *,
    headers: list[tuple[str, str]],
    strict: bool,
) -> None:
    """Say on stderr, one warning each, what the API would refuse in these inputs; they
    are sent anyway (the API's own validation is worth seeing) unless ``strict``, when
    an error stops the call with exit code 2. Runs before any network work. A path the
    description does not have (an ad hoc call) has nothing to check against."""
    if not endpoint.operation_id:
        return
    undeclared = set(undeclared_params(endpoint, params))
    problems = [
        p
        for p in input_problems(endpoint, params, body, headers=headers)
        if not (p.location is ProblemLocation.QUERY and p.field in undeclared)
    ]
    given = {name.lower() for name in params} | {name.lower() for name, _ in headers}
    for problem in problems:
        echo(f"Warning: {_describe(endpoint, problem, given)}", err=True)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if strict and errors:
        raise click.UsageError(
            f"Not sent: {len(errors)} input problem(s) above (--strict). Fix them, or leave "
            "out --strict to send anyway and see the API's own answer."
        )


def _describe(endpoint: Endpoint, problem: InputProblem, given: set[str]) -> str:
    """One input problem in command-line words (options, not the window's fields)."""
    if problem.location is ProblemLocation.BODY and "needs a request body" in problem.message:
        return (
            "Missing request body: this endpoint needs one; pass it with --body JSON or "
            "--body @FILE."
        )
    declared = {p.name: p for p in endpoint.parameters}
    param = declared.get(problem.field)
    if (
        param is not None
        and param.required
        and problem.severity is Severity.ERROR
        and param.name.lower() not in given
    ):
        value = "VALUE" if param.example is None else str(param.example)
        about = f"{param.description.rstrip('.')}; " if param.description else ""
        return (
            f"Missing required {param.location.value} parameter {param.name}: {about}pass it "
            f"with -p '{param.name}={value}'."
        )
    return problem.message


def record_exchange(
    record: ResponseRecord,
    *,
    explanation: Mapping[str, Any] | None,
    environment: str,
    profile: str,
    known: tuple[str, ...],
    contract: Mapping[str, Any] | None = None,
) -> int | None:
    """Store the exchange in the history (the store masks secrets); returns its id.

    A history that cannot be written is a warning on stderr, never a failed call.
    """
    try:
        with HistoryStore.open(AppPaths.from_environment()) as store:
            if store.damage is not None:
                echo(f"Warning: {store.damage}", err=True)
            return store.add(
                record,
                explanation=explanation,
                environment=environment,
                profile=profile,
                known_secrets=known,
                contract=contract,
            )
    except (HistoryError, OSError) as exc:
        echo(f"Warning: the exchange was not saved in the history: {exc}", err=True)
        return None
