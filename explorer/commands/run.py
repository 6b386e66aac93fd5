"""``thumbtack-explorer run SUITE``: run a suite headless, for CI and for a quick check.

SUITE is a folder of saved requests with assertions (see :mod:`explorer.core.suite.model`)
or the name of a suite shipped with the program (``smoke``). One line is printed per step
as it finishes (the failing assertion in words under a failed one), then a final
``N passed, N failed`` line. Exit codes: 0 when every assertion of every step passed, 1
when some failed (or the run was stopped), 2 for a usage error (an option, a suite or a
data file that cannot be used; every problem is listed).

``--env sandbox`` (the default) starts the embedded Sandbox in this process, with its
per-client rate limit off (it is the Sandbox's own invention; Thumbtack documents none),
and calls it with the built-in demo profiles, so a suite runs with no set-up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from explorer.commands.output import echo, remember_secrets
from explorer.core.environments import SANDBOX_ID, Environment
from explorer.core.session import Session
from explorer.core.suite.load import load_rows, load_suite
from explorer.core.suite.model import Suite, SuiteError
from explorer.core.suite.runner import RunSummary, SuiteRunner
from explorer.core.suite.sending import SessionSender
from explorer.resources import ResourceNotFoundError, resource_path

#: suites shipped with the program, by the name ``run`` takes
SHIPPED = ("smoke",)


def shipped_suite(name: str) -> Path | None:
    """The folder of the shipped suite ``name``, or None."""
    if name not in SHIPPED:
        return None
    try:
        return resource_path("suites", name)
    except ResourceNotFoundError:
        return None


def _suite_folder(text: str) -> Path:
    path = Path(text).expanduser()
    if path.is_dir():
        return path
    shipped = shipped_suite(text)
    if shipped is not None:
        return shipped
    if path.is_file():
        raise click.UsageError(
            f"{path} is a file; a suite is a folder of saved requests (*.request.json). "
            "Give the folder."
        )
    raise click.UsageError(
        f"There is no folder '{text}'. Give the path of a folder of saved requests, or the "
        f"name of a suite shipped with the program: {', '.join(SHIPPED)}."
    )


def _report_path(value: Path | None, option: str) -> Path | None:
    if value is None:
        return None
    path = value.expanduser()
    if path.is_dir():
        raise click.UsageError(f"{option} {path} is a folder; give a file name.")
    if not path.parent.is_dir():
        raise click.UsageError(
            f"{option}: the folder {path.parent} does not exist; create it or choose another."
        )
    return path


def _environment(session: Session, name: str) -> Environment:
    wanted = name.strip().lower()
    known = session.environments()
    for environment in known:
        if wanted in (environment.id.lower(), environment.name.lower()):
            return environment
    listed = ", ".join(e.id for e in known)
    raise click.UsageError(
        f"There is no environment '{name}' (there are: {listed}). Add one with: "
        "thumbtack-explorer profile add NAME --environment ID --api-base URL ..."
    )


@contextlib.contextmanager
def _session(
    env_name: str, profile_name: str | None, secret_store: str | None
) -> Iterator[Session]:
    """A core Session on the chosen environment (the in-process Sandbox for ``sandbox``),
    with the user's secret store where the run needs it."""
    from explorer.commands.profile import open_profiles, open_stores
    from explorer.paths import AppPaths

    profiles = open_profiles()
    session = Session(AppPaths.from_environment().ensure(), profiles=profiles)
    environment = _environment(session, env_name)
    try:
        if environment.id != SANDBOX_ID:
            _paths, _profiles, store = open_stores(secret_store, profiles)
            session.user_store = store
            session.environment = session.environment_for(environment.id)
            yield session
            return
        from explorer.commands.call_support import running_sandbox, sandbox_secrets
        from explorer.sandbox.server import SandboxConfig

        config = SandboxConfig(auto_approve=True, rate_limit_per_minute=0)
        with running_sandbox(config) as (server, _started):
            secrets = {c.client_id: c.client_secret for c in server.demo_clients}
            session.set_sandbox(server.api_base, server.authorize_url, server.token_url, secrets)
            session.environment = session.environment_for(SANDBOX_ID)
            saved = [p for p in profiles.profiles() if p.name == profile_name]
            if saved and saved[0].environment_id == SANDBOX_ID:
                _paths, _profiles, store = open_stores(secret_store, profiles)
                session.user_store = sandbox_secrets(saved[0], store, server)
            yield session
    finally:
        session.close()


def _load(folder: Path, data: Path | None) -> tuple[Suite, list[dict[str, str]] | None]:
    try:
        suite = load_suite(folder)
        data_file = data.expanduser() if data is not None else suite.data
        rows = load_rows(data_file) if data_file is not None else None
    except SuiteError as exc:
        count = len(exc.problems)
        listed = "\n".join(f"  {problem}" for problem in exc.problems)
        raise click.UsageError(
            f"The suite cannot be run: {count} problem{'s' if count != 1 else ''}.\n{listed}"
        ) from None
    return suite, rows


def _environment_variables(session: Session) -> tuple[dict[str, str], tuple[str, ...]]:
    """The chosen environment's variables over the workspace's (as the window has them),
    and the values of the secret ones (masked in everything printed and written)."""
    from explorer.core.files import DocumentError
    from explorer.core.variables import (
        WORKSPACE,
        VariableStore,
        defined_variables,
        layered,
        values_of,
    )

    store = VariableStore.in_folder(session.paths.config, lambda: session.user_store)
    try:
        definitions = store.load()
    except DocumentError as exc:
        echo(f"Warning: the variables were not read: {exc}", err=True)
        return {}, ()
    environment = session.environment
    chosen = layered(
        defined_variables(store, definitions, environment.id, scope_name=environment.name),
        defined_variables(store, definitions, WORKSPACE),
    )
    secrets = tuple(v.value for v in chosen.values() if v.secret and v.value)
    return values_of(chosen), secrets


def _parse_vars(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in values:
        name, sep, value = raw.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{raw}' is not NAME=VALUE.", param_hint="--var")
        out[name.strip()] = value
    return out


@click.command(
    name="run",
    help="Run a suite: SUITE is a folder of saved requests with assertions, or 'smoke' "
    "(every documented v4 endpoint, checked for status and contract). One line per step, "
    "then 'N passed, N failed'. Exit 0 when every assertion passed, 1 when some failed, 2 "
    "for a usage error.",
)
@click.argument("suite_name", metavar="SUITE")
@click.option(
    "--env",
    "env_name",
    default="sandbox",
    show_default=True,
    metavar="NAME",
    help="The environment to run against: sandbox (started in this process), staging, "
    "production, or a custom environment's id.",
)
@click.option(
    "--profile",
    "profile_name",
    metavar="NAME",
    help="The profile for steps that name none (a step whose endpoint needs another OAuth "
    "flow uses a profile of the environment with that flow). Default on the Sandbox: its "
    "demo profiles.",
)
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Run the suite once per row of this CSV (header line) or JSON (list of objects) "
    "file; each column is a {{variable}}.",
)
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="NAME=VALUE",
    help="A variable for every step; repeat for several (wins over .suite.json's).",
)
@click.option(
    "--junit",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write a JUnit XML report (for CI) with each failure and its explanation.",
)
@click.option(
    "--html",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write one self-contained HTML report to attach to a ticket (secrets and "
    "personal data masked).",
)
@click.option(
    "--json",
    "json_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write the whole run as JSON (secrets masked), e.g. as a baseline.",
)
@click.option("--bail", is_flag=True, help="Stop at the first step that fails.")
@click.option(
    "--parallel",
    type=click.IntRange(1, 32),
    default=1,
    show_default=True,
    metavar="N",
    help="Send up to N steps at once; a step still waits for the earlier steps whose "
    "captures it uses.",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0, min_open=True, max=3600),
    metavar="SECONDS",
    help="Give up on a step when the server has not answered in this many seconds "
    "(default: the request's own, 30).",
)
@click.option(
    "--redact",
    is_flag=True,
    help="Also mask personal data in what is printed. Secrets are always masked.",
)
@click.option(
    "--secret-store",
    type=click.Choice(["keyring", "vault", "memory"]),
    help="Where the profiles' secrets live (see 'profile add --help').",
)
def command(
    *,
    suite_name: str,
    env_name: str,
    profile_name: str | None,
    data: Path | None,
    variables: tuple[str, ...],
    junit: Path | None,
    html: Path | None,
    json_file: Path | None,
    bail: bool,
    parallel: int,
    timeout_s: float | None,
    redact: bool,
    secret_store: str | None,
) -> None:
    ctx = click.get_current_context()
    if profile_name is not None and not profile_name.strip():
        raise click.UsageError(
            "--profile needs a profile name (see: thumbtack-explorer profile list)."
        )
    folder = _suite_folder(suite_name)
    reports = {
        "junit": _report_path(junit, "--junit"),
        "html": _report_path(html, "--html"),
        "json": _report_path(json_file, "--json"),
    }
    extra = _parse_vars(variables)
    suite, rows = _load(folder, data)
    with _session(env_name, profile_name, secret_store) as session:
        defined, secret_values = _environment_variables(session)
        remember_secrets(secret_values)
        sender = SessionSender(
            session, profile=profile_name, timeout_s=timeout_s, secrets=secret_values
        )
        problem = sender.check_profile()
        if problem:
            raise click.UsageError(problem)
        runner = SuiteRunner(
            suite,
            sender,
            rows=rows,
            variables={**defined, **extra},
            parallel=parallel,
            bail=bail,
        )
        planned = runner.planned()
        rows_note = f" x {len(rows)} row{'s' if len(rows) != 1 else ''}" if rows else ""
        heading = (
            f"Running {suite.name}: {len(suite.steps)} steps{rows_note} on "
            f"{session.environment.name}" + (f", {parallel} at once" if parallel > 1 else "")
        )
        _run(runner, sender, heading, redact=redact)
        summary = runner.summary
        known = (*sender.known_secrets(), *summary.secret_values)
        remember_secrets(known)
    written, problems = _write_reports(summary, known, reports)
    if summary.stopped:
        echo(f"Stopped after {len(summary.results)} of {planned} steps.")
    for kind, path in written:
        echo(f"{kind} report: {path}")
    for problem in problems:
        echo(f"Error: {problem}", err=True)
    echo(f"{summary.counts()}")
    ctx.exit(0 if summary.ok and not problems else 1)


def _run(runner: SuiteRunner, sender: SessionSender, heading: str, *, redact: bool) -> None:
    """Print ``heading``, then each step as it finishes; Ctrl+C (from the heading on)
    stops the run."""
    results = runner.run()
    try:
        echo(heading)
        for result in results:
            known = (*sender.known_secrets(), *runner.secret_values())
            remember_secrets(known)  # tokens arrive during the run: masked from now on
            if redact:
                from explorer.core.suite.report import presentation_redactor, safe_line

                echo(safe_line(result, presentation_redactor(known)))
            else:
                echo(result.line())
    except KeyboardInterrupt:
        runner.stop()
        close = getattr(results, "close", None)
        if close is not None:
            close()


def _write_reports(
    summary: RunSummary, known: tuple[str, ...], reports: dict[str, Path | None]
) -> tuple[list[tuple[str, Path]], list[str]]:
    """Write each report asked for; a report that cannot be written is a problem in
    words (the others are still written, and the run's result is still said)."""
    from explorer.core.suite.report import html_report, json_report, junit_xml, write_report

    makers: dict[str, Any] = {"junit": junit_xml, "html": html_report, "json": json_report}
    names = {"junit": "JUnit", "html": "HTML", "json": "JSON"}
    written: list[tuple[str, Path]] = []
    problems: list[str] = []
    for kind, path in reports.items():
        if path is None:
            continue
        try:
            write_report(path, makers[kind](summary, known))
        except OSError as exc:
            problems.append(
                f"The {names[kind]} report could not be written to {path}: "
                f"{exc.strerror or exc}. Choose a file in a folder you can write to."
            )
            continue
        written.append((names[kind], path))
    return written, problems
