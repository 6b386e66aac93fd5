"""``thumbtack-explorer profile list|add|show|remove|login``: credential profiles.

Secrets are read from a hidden prompt, from stdin (``--secret-stdin``) or from an
environment variable (``--secret-env NAME``), never from an argument (arguments end up in
shell history and process lists). They go to the secret store, whose location is printed.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

import click

from explorer.commands.output import echo, remember_secrets
from explorer.core.auth import AUTH_ERRORS, TokenManager, known_secrets
from explorer.core.environments import SANDBOX_ID, custom_environment
from explorer.core.models import Flow
from explorer.core.profiles import (
    DEFAULT_REDIRECT_URI,
    ONE_CLIENT_PER_FLOW,
    PARTNER_AUDIENCE,
    ApiKeyLocation,
    AuthKind,
    AuthMethod,
    IssueLevel,
    Profile,
    ProfileInvalid,
    ProfileNotFound,
    ProfileStore,
    sandbox_demo_profiles,
    validate_profile,
)
from explorer.core.redact import RedactionPolicy, Redactor
from explorer.core.secrets import (
    MemoryStore,
    SecretBackend,
    SecretKind,
    SecretStore,
    SecretStoreError,
    choose_secret_store,
    forget_profile,
)
from explorer.paths import AppPaths

PASSPHRASE_ENV = "THUMBTACK_EXPLORER_VAULT_PASSPHRASE"
NO_KEYCHAIN = (
    "No OS keychain is available here; keep the secret in the encrypted vault with "
    "--secret-store vault (you'll be asked for a passphrase, or set "
    f"{PASSPHRASE_ENV})."
)
STORE_OPTION = click.option(
    "--secret-store",
    "secret_store",
    type=click.Choice([b.value for b in SecretBackend]),
    help="Where secrets live: the OS keychain (default when there is one), an encrypted "
    f"vault file (passphrase prompted, or from ${PASSPHRASE_ENV}), or memory only.",
)
BUILTIN_MARK = "(built in, Sandbox)"


def open_profiles() -> ProfileStore:
    """The profile store; a damaged file is reported (and set aside) as a warning."""
    profiles = ProfileStore(AppPaths.from_environment().ensure())
    problem = profiles.load()
    if problem is not None and not profiles.problem_known:
        echo(f"Warning: {problem}", err=True)
    return profiles


def open_stores(
    backend: str | None, profiles: ProfileStore | None = None
) -> tuple[AppPaths, ProfileStore, SecretStore]:
    """Paths, profiles and the secret store for a command; problems become clear errors."""
    paths = AppPaths.from_environment().ensure()
    profiles = profiles or open_profiles()
    interactive = sys.stdin.isatty()

    def ask_passphrase(creating: bool) -> str:
        from_env = os.environ.get(PASSPHRASE_ENV)
        if from_env:
            return from_env
        if not interactive:
            raise SecretStoreError(
                f"The vault needs its passphrase: run in a terminal or set ${PASSPHRASE_ENV}."
            )
        return str(
            click.prompt(
                "Vault passphrase", hide_input=True, confirmation_prompt=creating, err=True
            )
        )

    def choose_fallback(reason: str) -> SecretBackend:
        echo(f"The OS keychain cannot be used: {reason}.", err=True)
        choice = click.prompt(
            "Keep secrets in an encrypted vault file (vault) or only for this run (memory)?",
            type=click.Choice(["vault", "memory"]),
            default="vault",
            err=True,
        )
        return SecretBackend(choice)

    try:
        store = choose_secret_store(
            paths,
            prefer=SecretBackend(backend) if backend else None,
            ask_passphrase=ask_passphrase,
            choose_fallback=choose_fallback if interactive else None,
        )
    except SecretStoreError as exc:
        raise click.ClickException(str(exc)) from None
    return paths, profiles, store


def read_secret(secret_stdin: bool, secret_env: str | None, prompt: str) -> str:
    if secret_stdin and secret_env:
        raise click.UsageError("Use --secret-stdin or --secret-env, not both.")
    if secret_stdin:
        value = sys.stdin.readline().strip()
    elif secret_env:
        if secret_env not in os.environ:
            raise click.UsageError(f"The environment variable {secret_env} is not set.")
        value = os.environ[secret_env].strip()
    else:
        value = str(click.prompt(prompt, hide_input=True, err=True)).strip()
    if not value:
        raise click.UsageError(f"The {prompt.lower()} is empty.")
    remember_secrets([value])
    return value


@click.group(name="profile", help="Credential profiles: list, add, show, remove, login.")
def command() -> None:
    pass


@command.command(
    name="list",
    help="List your profiles, then the built-in Sandbox demo profiles (secrets are never shown).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_profiles(as_json: bool) -> None:
    store = open_profiles()
    profiles, builtin = store.profiles(), builtin_profiles(store)
    if as_json:
        listed = [{**p.to_dict(), "builtin": False} for p in profiles]
        listed += [{**p.to_dict(), "builtin": True} for p in builtin]
        echo(json.dumps(listed, indent=2))
        return
    for p in profiles:
        how = f"{p.flow.value}\t{p.client_id}" if p.uses_oauth else _auth_summary(p)
        echo(f"{p.name}\t{p.environment_id}\t{how}")
    for p in builtin:
        echo(f"{p.name}\t{p.environment_id}\t{p.flow.value}\t{p.client_id}\t{BUILTIN_MARK}")
    if not profiles:
        echo(
            "No profiles of your own yet. Add one with: thumbtack-explorer profile add NAME ...",
            err=True,
        )


def _auth_summary(profile: Profile) -> str:
    if profile.auth is AuthKind.BASIC:
        return f"basic\t{profile.username}"
    if profile.auth is AuthKind.API_KEY:
        return f"api-key\t{profile.api_key_in.value} {profile.api_key_name}"
    return profile.auth.value


def builtin_profiles(profiles: ProfileStore) -> list[Profile]:
    """The built-in Sandbox demo profiles that no saved profile of the same name hides
    (``call --profile NAME`` prefers the saved one)."""
    saved = set(profiles.names())
    return [p for p in sandbox_demo_profiles() if p.name not in saved]


_AUTH_CHOICES = {
    "oauth2": AuthKind.OAUTH2,
    "none": AuthKind.NONE,
    "basic": AuthKind.BASIC,
    "bearer": AuthKind.BEARER,
    "api-key": AuthKind.API_KEY,
}
_SECRET_PROMPTS = {
    AuthKind.OAUTH2: "Client secret",
    AuthKind.BASIC: "Password",
    AuthKind.BEARER: "Token",
    AuthKind.API_KEY: "API key",
}


@command.command(
    name="add",
    help="Add or replace a profile. Its secret (OAuth client secret, Basic password, bearer "
    "token or API key) is prompted for, or read with --secret-stdin / --secret-env, and "
    "kept in the keychain or vault, never in the profile file.",
)
@click.argument("name")
@click.option(
    "--environment",
    "environment_id",
    required=True,
    help="production, staging, sandbox, or the id of a custom environment.",
)
@click.option(
    "--auth",
    "auth_kind",
    type=click.Choice(list(_AUTH_CHOICES)),
    default="oauth2",
    show_default=True,
    help="How requests are signed: OAuth 2.0 (a token from the token server), none, HTTP "
    "Basic (--username), a fixed bearer token, or an API key (--api-key-name, --api-key-in).",
)
@click.option("--username", default="", help="HTTP Basic: the user name.")
@click.option(
    "--api-key-name", default="", help="API key: the header, query parameter or cookie name."
)
@click.option(
    "--api-key-in",
    type=click.Choice([w.value for w in ApiKeyLocation]),
    default="header",
    show_default=True,
    help="API key: where it is sent.",
)
@click.option(
    "--client-id",
    default="",
    help="OAuth 2.0 (required for oauth2): the client Thumbtack issued for this profile's "
    "flow (one client per flow).",
)
@click.option(
    "--flow",
    type=click.Choice([f.value for f in Flow]),
    default=Flow.CLIENT_CREDENTIALS.value,
    show_default=True,
    help=ONE_CLIENT_PER_FLOW,
)
@click.option("--scope", "scopes", multiple=True, help="A scope; repeat for several.")
@click.option("--audience", default=PARTNER_AUDIENCE, show_default=True)
@click.option(
    "--auth-method",
    type=click.Choice(["basic", "post"]),
    default="basic",
    show_default=True,
    help="Client authentication: HTTP Basic or in the body.",
)
@click.option("--redirect-uri", default=DEFAULT_REDIRECT_URI, show_default=True)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="An extra token-request parameter; repeat for several.",
)
@click.option("--api-base", help="Create the custom environment with this API base.")
@click.option("--token-url", help="... and this token URL.")
@click.option("--authorize-url", default="", help="... and this authorization URL.")
@click.option(
    "--thumbtack",
    "thumbtack_env",
    is_flag=True,
    help="The custom environment is Thumbtack's Partner API (a proxy in front of it): its "
    "answers get Thumbtack's documented meanings. Other hosts get the HTTP meaning.",
)
@click.option("--secret-stdin", is_flag=True, help="Read the client secret from stdin.")
@click.option("--secret-env", metavar="VAR", help="Read the client secret from this variable.")
@click.option("--no-secret", is_flag=True, help="Keep the stored secret (or add none).")
@STORE_OPTION
def add(
    *,
    name: str,
    environment_id: str,
    auth_kind: str,
    username: str,
    api_key_name: str,
    api_key_in: str,
    client_id: str,
    flow: str,
    scopes: tuple[str, ...],
    audience: str,
    auth_method: str,
    redirect_uri: str,
    params: tuple[str, ...],
    api_base: str | None,
    token_url: str | None,
    authorize_url: str,
    thumbtack_env: bool,
    secret_stdin: bool,
    secret_env: str | None,
    no_secret: bool,
    secret_store: str | None,
) -> None:
    extra: dict[str, str] = {}
    for pair in params:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param '{pair}' is not NAME=VALUE.")
        extra[key] = value
    auth = _AUTH_CHOICES[auth_kind]
    if auth is AuthKind.OAUTH2 and not client_id.strip():
        raise click.UsageError(
            "An OAuth 2.0 profile needs --client-id. For another kind of authentication, "
            "pass --auth none, basic, bearer or api-key."
        )
    profile = Profile(
        name=name,
        environment_id=environment_id,
        auth=auth,
        username=username,
        api_key_name=api_key_name.strip(),
        api_key_in=ApiKeyLocation(api_key_in),
        client_id=client_id.strip(),
        flow=Flow(flow),
        scopes=tuple(s for scope in scopes for s in scope.split()),
        audience=audience,
        auth_method=(
            AuthMethod.CLIENT_SECRET_BASIC
            if auth_method == "basic"
            else AuthMethod.CLIENT_SECRET_POST
        ),
        redirect_uri=redirect_uri,
        extra_token_params=tuple(sorted(extra.items())),
    )
    issues = validate_profile(profile)
    errors = [i for i in issues if i.level is IssueLevel.ERROR]
    if errors:
        raise click.UsageError("The profile is not valid:\n" + "\n".join(f"  {i}" for i in errors))
    prompt = _SECRET_PROMPTS.get(auth)
    secret = None if no_secret or prompt is None else read_secret(secret_stdin, secret_env, prompt)
    _paths, profiles, store = open_stores(secret_store)
    if secret is not None and isinstance(store, MemoryStore):
        # a CLI process ends right after saving: a memory-only secret would be lost
        raise click.UsageError(NO_KEYCHAIN + " The profile was not saved.")
    if api_base or token_url:
        if not api_base or (auth is AuthKind.OAUTH2 and not token_url):
            raise click.UsageError(
                "A custom environment needs --api-base, and --token-url for an OAuth 2.0 profile."
            )
        try:
            profiles.save_environment(
                custom_environment(
                    id=environment_id,
                    name=environment_id,
                    api_base=api_base,
                    token_url=token_url or "",
                    authorize_url=authorize_url,
                    thumbtack=thumbtack_env,
                )
            )
        except ValueError as exc:
            raise click.UsageError(f"The environment is not valid: {exc}") from None
    try:
        profiles.save_profile(profile)
    except ProfileInvalid as exc:
        raise click.UsageError(
            "The profile is not valid:\n" + "\n".join(f"  {i}" for i in exc.issues)
        ) from None
    if secret is not None and auth.secret_kind is not None:
        store.set(name, auth.secret_kind, secret)
        store.delete(name, SecretKind.ACCESS_TOKEN)
    for issue in issues:
        if issue.level is IssueLevel.WARNING:
            echo(f"Warning: {issue}", err=True)
    echo(f"Saved profile '{name}' in {profiles.path}.")
    if secret is not None:
        echo(f"{prompt} stored in: {store.location}")


@command.command(
    name="show",
    help="Show a profile, where its secrets live, and its token (decoded, not verified).",
)
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@STORE_OPTION
def show(name: str, as_json: bool, secret_store: str | None) -> None:
    profiles = open_profiles()
    profile, builtin = _lookup(profiles, name)
    if builtin:
        _print_profile(_builtin_details(profile), as_json)
        return
    _paths, profiles, store = open_stores(secret_store, profiles)
    info = None
    try:
        environment = profiles.environment(profile.environment_id)
        info = TokenManager(profile, environment, store).token_info()
    except KeyError:
        pass
    has_secret = bool(store.get(name, SecretKind.CLIENT_SECRET))
    warnings = [str(i) for i in validate_profile(profile) if i.level is IssueLevel.WARNING]
    if not has_secret:
        missing = (
            f"No client secret is stored for '{name}' in {store.location}; token requests "
            f"will fail until you store one: thumbtack-explorer profile add '{name}' "
            f"--environment {profile.environment_id} --client-id {profile.client_id} "
            "--secret-store vault"
        )
        if as_json:
            warnings.insert(0, missing)
        else:
            echo(f"Warning: {missing}", err=True)
    data: dict[str, Any] = {
        **profile.to_dict(),
        "builtin": False,
        "secrets": {
            "location": store.location,
            "client_secret": "stored" if has_secret else "missing",
            "refresh_token": "stored" if store.get(name, SecretKind.REFRESH_TOKEN) else "none",
        },
        "token": info.to_dict() if info else None,
        "warnings": warnings,
    }
    _print_profile(data, as_json)


def _builtin_details(profile: Profile) -> dict[str, Any]:
    """What ``profile show`` says about a built-in Sandbox demo profile."""
    return {
        **profile.to_dict(),
        "builtin": True,
        "secrets": {
            "location": "none: the Sandbox's demo client secret is published, not a real one",
            "client_secret": "built in",
            "refresh_token": "none",
        },
        "token": None,
        "note": "Calls the in-process Sandbox, which each 'thumbtack-explorer call "
        f'--profile "{profile.name}" ...\' starts (signing in as its demo user for the '
        "authorization code flow); it keeps no tokens between commands.",
        "warnings": [],
    }


def _print_profile(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        echo(json.dumps(data, indent=2, default=str))
        return
    for key, value in data.items():
        if key == "token" and value:
            echo("token (decoded, not verified):")
            for tkey in ("issuer", "audience", "scopes", "expires_at", "has_refresh_token"):
                echo(f"  {tkey}: {value[tkey]}")
        elif isinstance(value, dict):
            echo(f"{key}:")
            for k, v in value.items():
                echo(f"  {k}: {v}")
        elif key == "warnings":
            for warning in value:
                echo(f"Warning: {warning}", err=True)
        else:
            echo(f"{key}: {value}")


@command.command(name="remove", help="Remove a profile and every secret it has.")
@click.argument("name")
@STORE_OPTION
def remove(name: str, secret_store: str | None) -> None:
    profiles = open_profiles()
    _profile, builtin = _lookup(profiles, name)
    if builtin:
        raise click.ClickException(
            f"'{name}' is a built-in Sandbox demo profile and cannot be removed; it holds "
            "no secret and calls only the in-process Sandbox."
        )
    _paths, profiles, store = open_stores(secret_store, profiles)
    profiles.remove(name)
    forget_profile(store, name)
    echo(f"Removed profile '{name}' and its secrets from {store.location}.")


@command.command(
    name="login",
    help="Get a token now: sign in through the browser "
    "(authorization code) or fetch one (client credentials).",
)
@click.argument("name")
@click.option(
    "--timeout",
    "timeout_s",
    type=float,
    default=300.0,
    show_default=True,
    help="Seconds to wait for the browser sign-in.",
)
@STORE_OPTION
def login(name: str, timeout_s: float, secret_store: str | None) -> None:
    profiles = open_profiles()
    profile, _builtin = _lookup(profiles, name)
    if profile.environment_id == SANDBOX_ID:
        raise click.ClickException(
            f"Profile '{name}' uses the in-process Sandbox, which keeps no tokens between "
            f"commands: 'thumbtack-explorer call --profile \"{name}\" ...' starts it and gets a "
            "token (signing in as its demo user for the authorization code flow) each time."
        )
    _paths, profiles, store = open_stores(secret_store, profiles)
    remember_secrets(known_secrets(store, name))
    try:
        environment = profiles.environment(profile.environment_id)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None

    for issue in validate_profile(profile):
        if issue.level is IssueLevel.WARNING:
            echo(f"Warning: {issue}", err=True)

    def open_browser(url: str) -> bool:
        sys.stdout.flush()
        echo("Opening the browser to sign in. If it does not open, visit:", err=True)
        echo(f"  {url}", err=True)
        echo("", err=True)  # whatever the browser prints starts on a line of its own
        import webbrowser

        opened = webbrowser.open(url)
        if not opened:
            echo(
                "Warning: no browser could be started here; open the address above in a "
                "browser on this machine. Waiting for the sign-in...",
                err=True,
            )
        return opened

    manager = TokenManager(profile, environment, store, open_browser=open_browser)
    cancel = threading.Event()
    try:
        if profile.flow is Flow.AUTHORIZATION_CODE:
            manager.login(cancel=cancel, timeout_s=timeout_s)
        else:
            manager.refresh()
    except KeyboardInterrupt:
        cancel.set()
        raise click.ClickException("Sign-in cancelled.") from None
    except AUTH_ERRORS as exc:
        # a token server's error text may quote the request: the secret in any encoding
        known = known_secrets(store, name)
        raise click.ClickException(
            Redactor(RedactionPolicy.for_storage(known)).redact_text(str(exc))
        ) from None
    remember_secrets(known_secrets(store, name))
    info = manager.token_info()
    echo(f"Token stored in {store.location}.")
    if info is not None:
        left = info.seconds_left()
        echo(f"Scopes: {' '.join(info.scopes) or '(none reported)'}")
        if left is not None:
            echo(f"Expires in {int(left)} s.")


def _get(profiles: ProfileStore, name: str) -> Profile:
    try:
        return profiles.get(name)
    except ProfileNotFound:
        pass
    known = [*profiles.names(), *(p.name for p in builtin_profiles(profiles))]
    hint = (
        ""
        if profiles.names()
        else " Add one with: thumbtack-explorer profile add NAME --environment "
        "production|staging|sandbox --client-id ID (the secret is prompted for; see "
        "thumbtack-explorer profile add --help)."
    )
    raise click.ClickException(f"{ProfileNotFound(name, known)}{hint}") from None


def _lookup(profiles: ProfileStore, name: str) -> tuple[Profile, bool]:
    """The saved profile ``name``, else the built-in one; and whether it is built in."""
    for profile in builtin_profiles(profiles):
        if profile.name == name:
            return profile, True
    return _get(profiles, name), False
