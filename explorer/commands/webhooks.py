"""``thumbtack-explorer webhooks``: a local inbox for Thumbtack's webhook deliveries.

``listen`` runs the inbox's listener on 127.0.0.1 (or an address the user explicitly
chooses) and prints each delivery as it is recorded, one line each (``--json``: one JSON
object per line), with its credential check and contract verdict. ``send`` delivers a
sample of an event, or a recorded delivery, to the user's own endpoint with the
credentials the webhook would carry. ``list`` and ``show`` read the recorded deliveries.
Secrets never reach the terminal: credentials are checked, then shown masked.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import click

from explorer.commands.output import echo, safe_text
from explorer.core.inbox.events import EVENTS, event_info, ordering_note, sample_delivery
from explorer.core.inbox.listener import (
    AnswerPlan,
    InboxConfig,
    InboxListener,
)
from explorer.core.inbox.model import (
    CredentialState,
    Delivery,
    EndpointAnswer,
    VerdictState,
    WebhookCredentials,
)
from explorer.core.inbox.replay import check_url, deliver
from explorer.core.inbox.store import DeliveryFilter, InboxError, InboxStore
from explorer.core.loopback import is_loopback_host
from explorer.paths import AppPaths

_SHOWN_BODY = 64 * 1024
_EVENT_CHOICE = click.Choice(list(EVENTS), case_sensitive=False)


@contextmanager
def _store(database: Path | None = None) -> Iterator[InboxStore]:
    try:
        store = InboxStore(database) if database else InboxStore.open(AppPaths.from_environment())
    except InboxError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    except InboxError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


def _credentials(
    username: str | None, password_stdin: bool, header: str | None
) -> WebhookCredentials:
    """The credentials from the options; secrets only ever come from stdin or --header."""
    if username is not None and header is not None:
        raise click.UsageError("Give --username (HTTP Basic) or --header, not both.")
    if password_stdin and username is None and header is None:
        raise click.UsageError(
            "--password-stdin goes with --username (the password) or --header NAME (its value)."
        )
    secret = ""
    if password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
        if not secret:
            raise click.UsageError("--password-stdin read nothing: pipe the secret in.")
    try:
        if username is not None:
            if not password_stdin:
                raise click.UsageError(
                    "--username needs --password-stdin: pipe the password in, e.g. "
                    '\'printf %s "$PASS" | thumbtack-explorer webhooks listen --username U '
                    "--password-stdin'."
                )
            return WebhookCredentials.basic(username, secret)
        if header is not None:
            text = header if ":" in header else f"{header}: {secret}"
            if ":" in header and password_stdin:
                raise click.UsageError(
                    "With --password-stdin give only the header's name: --header NAME."
                )
            return WebhookCredentials.header(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return WebhookCredentials()


def _credential_options(func: Any) -> Any:
    func = click.option(
        "--header",
        metavar="'NAME: VALUE'",
        help="A custom header the webhook carries. With --password-stdin give only NAME and "
        "pipe the value in (a value typed here is visible in the process list).",
    )(func)
    func = click.option(
        "--password-stdin",
        is_flag=True,
        help="Read the Basic password (or the --header value) from standard input.",
    )(func)
    func = click.option("--username", help="The webhook's HTTP Basic username.")(func)
    return func


@click.group(
    name="webhooks",
    help="A local inbox for webhook deliveries: listen, check, replay to your endpoint.",
)
def command() -> None:
    pass


# ------------------------------------------------------------------------------ listen


def _line(delivery: Delivery, note: str, *, color: bool) -> str:
    event = safe_text(delivery.event_type or "(no eventType)")
    cred = delivery.credential
    verdict = delivery.verdict
    cred_text = f"credentials {cred.state.value}"
    verdict_text = f"contract {verdict.state.value}"
    if color and cred.failed:
        cred_text = click.style(cred_text, fg="red", bold=True)
    elif color and cred.state is CredentialState.OK:
        cred_text = click.style(cred_text, fg="green")
    if color and verdict.failed:
        verdict_text = click.style(verdict_text, fg="red", bold=True)
    elif color and verdict.state is VerdictState.VALID:
        verdict_text = click.style(verdict_text, fg="green")
    lines = [
        f"#{delivery.id}  {delivery.received_at}  {safe_text(delivery.method)} "
        f"{safe_text(delivery.path)}  {event}  "
        f"from {safe_text(delivery.source)}  {cred_text}  {verdict_text}  "
        f"answered {delivery.answered_status}"
    ]
    if cred.failed:
        sent = f" Sent: {cred.sent}." if cred.sent else ""
        lines.append(f"    credentials: {cred.summary}{sent}")
    if verdict.state is not VerdictState.VALID:
        lines.append(f"    contract: {verdict.summary}")
    if delivery.forward is not None:
        lines.append(f"    forwarded: {_answer_line(delivery.forward)}")
    if note:
        lines.append(f"    order: {note}")
    return "\n".join([lines[0], *(safe_text(line) for line in lines[1:])])


def _answer_line(answer: EndpointAnswer) -> str:
    status = answer.status if answer.status is not None else "no answer"
    return f"{answer.url} → {status} in {answer.total_ms:.0f} ms. {answer.explanation}"


@command.command(name="listen")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Anything but loopback lets other machines send to "
    "the inbox; the command warns when you choose that.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="The port; 0 picks a free one.",
)
@_credential_options
@click.option(
    "--status",
    "answer_status",
    type=click.IntRange(200, 599),
    default=200,
    show_default=True,
    help="The status to answer each delivery with (e.g. 500 to see how a sender retries).",
)
@click.option(
    "--delay",
    type=click.FloatRange(0, 120),
    default=0.0,
    show_default=True,
    help="Seconds to wait before answering.",
)
@click.option("--forward", "forward_url", help="Pass each delivery on to this URL as well.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per delivery.")
@click.option(
    "--database",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record into this SQLite file instead of the history database.",
)
@click.option("--until-stdin-closes", is_flag=True, hidden=True)
def listen_command(
    *,
    host: str,
    port: int,
    username: str | None,
    password_stdin: bool,
    header: str | None,
    answer_status: int,
    delay: float,
    forward_url: str | None,
    as_json: bool,
    database: Path | None,
    until_stdin_closes: bool,
) -> None:
    """Receive deliveries and print each one as it arrives (Ctrl+C stops)."""
    credentials = _credentials(username, password_stdin, header)
    if forward_url is not None:
        try:
            forward_url = check_url(forward_url)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--forward") from None
    config = InboxConfig(
        credentials=credentials,
        answer=AnswerPlan(status=answer_status, delay_s=delay),
        forward_url=forward_url or "",
    )
    color = sys.stdout.isatty()
    printing = threading.Lock()

    with _store(database) as store:

        def shown(delivery: Delivery) -> None:
            note = ""
            with suppress(InboxError):
                note = ordering_note(delivery, store.negotiation_arrival(delivery.negotiation_id))
            with printing:
                if as_json:
                    document = delivery.to_dict()
                    document["orderingNote"] = note
                    echo(json.dumps(document, ensure_ascii=False))
                else:
                    click.echo(_line(delivery, note, color=color))  # escaped in _line

        def failed(message: str) -> None:
            with printing:
                echo(f"Error: {message}", err=True)

        listener = InboxListener(
            store, host=host, port=port, config=config, on_delivery=shown, on_error=failed
        )
        try:
            listener.start()
        except OSError as exc:
            raise click.ClickException(exc.strerror or str(exc)) from None
        if not is_loopback_host(host):
            echo(
                f"Warning: listening on {host}, not only on this machine: anyone who can reach "
                f"port {listener.port} can send deliveries to the inbox. Use --host 127.0.0.1 "
                "unless you mean it.",
                err=True,
            )
        checks = credentials.describe() if credentials.configured else "no credentials checked"
        echo(
            f"Inbox listening on {listener.url} ({checks}; answering {answer_status}"
            + (f" after {delay:g} s" if delay else "")
            + (f"; forwarding to {forward_url}" if forward_url else "")
            + "). Give this URL as the webhookURL. Ctrl+C stops.",
            err=True,
        )
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        if until_stdin_closes:  # run by the window: end with it, even if it is killed

            def watch_stdin() -> None:
                while sys.stdin.readline():
                    pass
                stop.set()

            threading.Thread(target=watch_stdin, daemon=True).start()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            listener.stop()
        echo(f"Stopped. {listener.received} delivery(ies) recorded.", err=True)


# -------------------------------------------------------------------------------- send


@command.command(name="send")
@click.argument("event_type", required=False, type=_EVENT_CHOICE, metavar="EVENT_TYPE")
@click.option("--to", "url", required=True, help="Your endpoint's URL.")
@click.option(
    "--from-inbox",
    "from_inbox",
    type=int,
    metavar="ID",
    help="Send a recorded delivery (see 'webhooks list') instead of a sample.",
)
@_credential_options
@click.option(
    "--timeout",
    type=click.FloatRange(0.5, 300),
    default=10.0,
    show_default=True,
    help="Seconds to wait for your endpoint's answer.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
def send_command(
    *,
    event_type: str | None,
    url: str,
    from_inbox: int | None,
    username: str | None,
    password_stdin: bool,
    header: str | None,
    timeout: float,
    as_json: bool,
) -> None:
    """Deliver a sample of EVENT_TYPE (or a recorded delivery) to your endpoint.

    Exits 0 when the endpoint answers 2XX, 1 otherwise.
    """
    try:
        target = check_url(url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--to") from None
    credentials = _credentials(username, password_stdin, header)
    canonical = {name.lower(): name for name in EVENTS}
    chosen = canonical.get((event_type or "").lower(), "")
    note = ""
    if from_inbox is not None:
        with _store() as store:
            recorded = store.get(from_inbox)
        if recorded is None:
            raise click.ClickException(
                f"There is no delivery {from_inbox} in the inbox; "
                "'thumbtack-explorer webhooks list' shows the ids."
            )
        if chosen and recorded.event_type and chosen != recorded.event_type:
            raise click.UsageError(
                f"Delivery {from_inbox} is a {recorded.event_type}, not {chosen}; "
                "leave EVENT_TYPE out or give the matching one."
            )
        body, headers, method = recorded.body, recorded.headers, recorded.method
        chosen = recorded.event_type
        note = f"recorded delivery #{from_inbox}"
    elif chosen:
        sample = sample_delivery(chosen)
        body, headers, method = sample.body, sample.headers, "POST"
        note = f"sample — {sample.note}"
    else:
        raise click.UsageError(
            "Give an EVENT_TYPE (one of " + ", ".join(EVENTS) + ") or --from-inbox ID."
        )
    answer = deliver(
        target, body, headers, credentials=credentials, method=method, timeout_s=timeout
    )
    if as_json:
        document = {"eventType": chosen, "source": note, **answer.to_dict()}
        echo(json.dumps(document, ensure_ascii=False))
    else:
        echo(f"Sent {chosen or 'delivery'} ({note}) with {credentials.describe()}.")
        if answer.status is None:
            echo(f"No answer after {answer.total_ms:.0f} ms: {answer.error}")
        else:
            echo(f"{answer.status} in {answer.total_ms:.0f} ms")
            if answer.body:
                echo(_body_text(answer.body))
        echo(answer.explanation)
    if not answer.accepted:
        sys.exit(1)


# ------------------------------------------------------------------------ list / show


def _body_text(body: bytes) -> str:
    try:
        text = body[:_SHOWN_BODY].decode("utf-8")
    except UnicodeDecodeError:
        return f"({len(body)} bytes of binary data)"
    return text + ("\n… (cut short)" if len(body) > _SHOWN_BODY else "")


@command.command(name="list")
@click.option("--event", "event_type", type=_EVENT_CHOICE, help="Only this event type.")
@click.option("--failed", is_flag=True, help="Only failed credential or contract checks.")
@click.option("--search", "text", default="", help="Text anywhere in the body or path.")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
def list_command(
    *, event_type: str | None, failed: bool, text: str, limit: int, as_json: bool
) -> None:
    """List recorded deliveries, newest first."""
    canonical = {name.lower(): name for name in EVENTS}
    where = DeliveryFilter(event_type=canonical.get((event_type or "").lower(), ""), text=text)
    with _store() as store:
        rows = store.list(where, limit=limit * 4 if failed else limit)
    if failed:
        rows = [d for d in rows if d.credential.failed or d.verdict.failed][:limit]
    if as_json:
        for row in rows:
            echo(json.dumps(row.to_dict(), ensure_ascii=False))
        return
    if not rows:
        echo("No deliveries recorded yet; 'thumbtack-explorer webhooks listen' starts one.")
        return
    for row in rows:
        echo(
            f"{row.id:>6}  {row.received_at[:19].replace('T', ' ')}  "
            f"{row.event_type or '(none)':<26} credentials {row.credential.state.value:<11} "
            f"contract {row.verdict.state.value:<19} answered {row.answered_status}"
        )


@command.command(name="show")
@click.argument("delivery_id", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_command(delivery_id: int, as_json: bool) -> None:
    """Show one recorded delivery with its checks and what its event means."""
    with _store() as store:
        delivery = store.get(delivery_id)
        if delivery is None:
            raise click.ClickException(
                f"There is no delivery {delivery_id} in the inbox; "
                "'thumbtack-explorer webhooks list' shows the ids."
            )
        note = ordering_note(delivery, store.negotiation_arrival(delivery.negotiation_id))
    if as_json:
        document = delivery.to_dict()
        document["orderingNote"] = note
        echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    echo(f"# {delivery.id}  {delivery.received_at}  from {delivery.source}")
    echo(f"> {delivery.method} {delivery.path}")
    for key, value in delivery.headers:
        echo(f"> {key}: {value}")
    echo(">")
    echo(_body_text(delivery.body))
    echo("")
    echo(f"Credentials: {delivery.credential.state.value}. {delivery.credential.summary}")
    if delivery.credential.sent:
        echo(f"  Sent: {delivery.credential.sent}")
    echo(f"Contract: {delivery.verdict.state.value}. {delivery.verdict.summary}")
    for finding in delivery.verdict.findings:
        echo(f"  - {finding.where}: {finding.message}")
    info = event_info(delivery.event_type)
    if info is not None:
        echo(f"Event: {info.event_type} ({info.grade.value}). {info.meaning}")
        for advice in info.advice:
            echo(f"  - {advice}")
    if note:
        echo(f"Order: {note}")
    echo(f"Answered {delivery.answered_status}.")
    if delivery.forward is not None:
        echo(f"Forwarded: {_answer_line(delivery.forward)}")
