"""``thumbtack-explorer sandbox``: run the Sandbox standalone until Ctrl+C.

Prints the API base URL, the token and authorize URLs and the demo client credentials
(they are public sandbox-only values, not secrets), then serves until interrupted.
"""

from __future__ import annotations

import json
import signal
import threading
from types import FrameType

import click

from explorer.commands.output import echo
from explorer.core.loopback import is_loopback_host
from explorer.sandbox.faults import FaultSyntaxError, known_fault_names, parse_faults


def _check_fault(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_faults(value)
    except FaultSyntaxError as error:
        raise click.BadParameter(str(error)) from None
    return value


@click.command(
    name="sandbox",
    help="Run the offline Sandbox (a local Thumbtack Partner API v4) until Ctrl+C.",
    epilog=f"Faults: {known_fault_names()}.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Keep 127.0.0.1; any other address needs --allow-network.",
)
@click.option(
    "--allow-network",
    is_flag=True,
    help="Allow a --host other than loopback: the Sandbox, with its published demo "
    "secrets, becomes reachable from other machines.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--fault",
    callback=_check_fault,
    metavar="NAME",
    help="Default fault for every request, e.g. rate-limited or latency=500.",
)
@click.option(
    "--token-lifetime",
    type=click.IntRange(1, 86400),
    default=3600,
    show_default=True,
    metavar="SECONDS",
    help="Access-token lifetime.",
)
@click.option(
    "--rate-limit",
    type=click.IntRange(0, 1_000_000),
    default=120,
    show_default=True,
    metavar="N",
    help="Requests a minute per client; 0 = off. The Sandbox's own limit: Thumbtack "
    "documents none (only a bare 429).",
)
@click.option(
    "--auto-approve",
    is_flag=True,
    help="Skip the consent page: /oauth2/auth redirects with a code at once.",
)
@click.option(
    "--catalogue",
    is_flag=True,
    help="Print the faults and behaviours with their evidence grades, then exit.",
)
@click.option("--json", "as_json", is_flag=True, help="With --catalogue: print JSON.")
def command(
    *,
    catalogue: bool,
    as_json: bool,
    host: str,
    allow_network: bool,
    port: int,
    fault: str | None,
    token_lifetime: int,
    rate_limit: int,
    auto_approve: bool,
) -> None:
    if catalogue or as_json:
        _print_catalogue(as_json)
        return
    from explorer.sandbox.server import SandboxConfig, SandboxError, SandboxServer

    network = not is_loopback_host(host)
    if network and not allow_network:
        raise click.UsageError(
            f"--host {host} would make the Sandbox, with its published demo client secrets, "
            "reachable from other machines. Keep the default 127.0.0.1, or add "
            "--allow-network if other machines must reach it.",
        )

    config = SandboxConfig(
        host=host,
        port=port,
        fault=fault,
        token_lifetime_s=token_lifetime,
        rate_limit_per_minute=rate_limit,
        auto_approve=auto_approve,
    )
    server = SandboxServer(config)
    try:
        server.start()
    except SandboxError as error:
        raise click.ClickException(str(error)) from None
    if network:
        everywhere = host in ("", "0.0.0.0", "::")
        where = "every network interface" if everywhere else host
        echo(
            f"Warning: the Sandbox listens on {where} (port {server.port}): other "
            "machines can reach it, and its demo client secrets are published. "
            "Stop it (Ctrl+C) when they no longer need it.",
            err=True,
        )
    done = threading.Event()

    def on_terminate(_signum: int, _frame: FrameType | None) -> None:
        done.set()

    previous = signal.signal(signal.SIGTERM, on_terminate)
    try:
        echo(
            f"Thumbtack Sandbox running (press Ctrl+C to stop)\n"
            f"  API base:      {server.api_base}   (paths /api/v4/...)\n"
            f"  Token URL:     {server.token_url}\n"
            f"  Authorize URL: {server.authorize_url}\n"
            f"  Audience:      urn:partner-api"
        )
        for client in server.demo_clients:
            grants = ", ".join(sorted(grant.value for grant in client.grant_types))
            echo(
                f"  {client.family.capitalize()} client: {client.client_id} / "
                f"{client.client_secret}  ({grants})"
            )
        if fault:
            echo(f"  Default fault: {fault}")
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    echo("Sandbox stopped.")


def _print_catalogue(as_json: bool) -> None:
    """The fault and behaviour catalogues, each entry with its evidence grade."""
    from explorer.sandbox.behaviours import BEHAVIOURS
    from explorer.sandbox.faults import FAULTS

    if as_json:
        click.echo(
            json.dumps(
                {
                    "faults": [fault.to_dict() for fault in FAULTS],
                    "behaviours": [behaviour.to_dict() for behaviour in BEHAVIOURS],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    click.echo("Faults (X-Sandbox-Fault):")
    for fault in FAULTS:
        grade = fault.evidence.label if fault.is_error else "network condition"
        status = f"{fault.status} " if fault.status else ""
        click.echo(f"  {fault.header_value:<26} {status}{fault.title}  [{grade}]")
    click.echo("\nBehaviours:")
    for behaviour in BEHAVIOURS:
        click.echo(f"  {behaviour.title}  [{behaviour.evidence.label}]")
        click.echo(f"      {behaviour.does}")
