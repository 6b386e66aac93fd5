"""Each httpx exception class, with a realistic cause chain, through the classifier and engine."""

from __future__ import annotations

import itertools
import socket
import ssl

import httpx2 as httpx
import pytest

from explorer.core.explain import ExplanationEngine
from explorer.core.http import Cancelled, classify_exception, exception_chain, make_client, send
from explorer.core.models import (
    NetworkFailure,
    NetworkFailureKind,
    RequestSpec,
    StatusClass,
)
from explorer.core.status import classify

URL = "https://api.thumbtack.com/api/v4/categories"


@pytest.fixture(scope="module")
def engine() -> ExplanationEngine:
    return ExplanationEngine.from_resources()


def raised(outer: BaseException, *causes: BaseException) -> BaseException:
    """``outer`` raised from ``causes[0]``, raised from ``causes[1]``..., as httpx does."""
    chain = [outer, *causes]
    for upper, lower in itertools.pairwise(chain):
        upper.__cause__ = lower
    try:
        raise outer
    except BaseException as exc:
        return exc


def failure_of(exc: BaseException) -> NetworkFailure:
    return NetworkFailure(
        kind=classify_exception(exc),
        exception_type=type(exc).__name__,
        message=str(exc) or type(exc).__name__,
        chain=exception_chain(exc),
    )


CASES = [
    pytest.param(
        raised(
            httpx.ConnectError("[Errno -2] Name or service not known"),
            socket.gaierror(-2, "Name or service not known"),
        ),
        NetworkFailureKind.DNS,
        "network-dns",
        "could not be turned into an address",
        id="ConnectError<-gaierror",
    ),
    pytest.param(
        raised(
            httpx.ConnectError("[Errno 111] Connection refused"),
            ConnectionRefusedError(111, "Connection refused"),
        ),
        NetworkFailureKind.REFUSED,
        "network-refused",
        "Nothing accepted the connection",
        id="ConnectError<-ConnectionRefusedError",
    ),
    pytest.param(
        raised(
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
            ssl.SSLCertVerificationError(
                1,
                "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed "
                "certificate (_ssl.c:1006)",
            ),
        ),
        NetworkFailureKind.TLS,
        "network-tls-verify",
        "could not be verified",
        id="ConnectError<-SSLCertVerificationError",
    ),
    pytest.param(
        raised(
            httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER] wrong version number"),
            ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"),
        ),
        NetworkFailureKind.TLS,
        "network-tls-plain-http",
        "plain HTTP",
        id="ConnectError<-SSLError-wrong-version",
    ),
    pytest.param(
        raised(
            httpx.ConnectError("[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert"),
            ssl.SSLError(1, "[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version"),
        ),
        NetworkFailureKind.TLS,
        "network-tls",
        "TLS handshake",
        id="ConnectError<-SSLError-handshake",
    ),
    pytest.param(
        raised(
            httpx.ConnectError("[Errno 101] Network is unreachable"),
            OSError(101, "Network is unreachable"),
        ),
        NetworkFailureKind.OTHER,
        "network-unreachable",
        "no route",
        id="ConnectError<-ENETUNREACH",
    ),
    pytest.param(
        raised(httpx.ConnectTimeout("timed out"), TimeoutError("timed out")),
        NetworkFailureKind.CONNECT_TIMEOUT,
        "network-connect-timeout",
        "could be set up in time",
        id="ConnectTimeout",
    ),
    pytest.param(
        raised(httpx.ReadTimeout("The read operation timed out"), TimeoutError("timed out")),
        NetworkFailureKind.READ_TIMEOUT,
        "network-read-timeout",
        "no answer arrived in time",
        id="ReadTimeout",
    ),
    pytest.param(
        raised(httpx.WriteTimeout("The write operation timed out")),
        NetworkFailureKind.WRITE_TIMEOUT,
        "network-write-timeout",
        "could not be sent in time",
        id="WriteTimeout",
    ),
    pytest.param(
        raised(httpx.PoolTimeout("Timed out waiting for a connection")),
        NetworkFailureKind.POOL_TIMEOUT,
        "network-pool-timeout",
        "no connection became free",
        id="PoolTimeout",
    ),
    pytest.param(
        raised(
            httpx.ReadError("[Errno 104] Connection reset by peer"),
            ConnectionResetError(104, "Connection reset by peer"),
        ),
        NetworkFailureKind.RESET,
        "network-reset",
        "closed or reset the connection",
        id="ReadError<-ConnectionResetError",
    ),
    pytest.param(
        raised(httpx.WriteError("[Errno 32] Broken pipe"), BrokenPipeError(32, "Broken pipe")),
        NetworkFailureKind.RESET,
        "network-reset",
        "closed or reset the connection",
        id="WriteError<-BrokenPipeError",
    ),
    pytest.param(
        raised(
            httpx.ConnectError("[Errno 103] Software caused connection abort"),
            ConnectionAbortedError(103, "Software caused connection abort"),
        ),
        NetworkFailureKind.RESET,
        "network-reset",
        "closed or reset the connection",
        id="ConnectError<-ConnectionAbortedError",
    ),
    pytest.param(
        raised(httpx.RemoteProtocolError("Server disconnected without sending a response.")),
        NetworkFailureKind.PROTOCOL,
        "network-protocol",
        "broke the HTTP protocol",
        id="RemoteProtocolError",
    ),
    pytest.param(  # a header the user typed, not the server's fault
        raised(httpx.LocalProtocolError("Illegal header value b'a\\nb'")),
        NetworkFailureKind.INVALID_HEADER,
        "network-invalid-header",
        "The request was not sent",
        id="LocalProtocolError",
    ),
    pytest.param(  # Content-Length promised more than arrived
        raised(
            httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body: "
                "received 10 bytes, expected 100"
            )
        ),
        NetworkFailureKind.RESET,
        "network-reset",
        "closed or reset the connection",
        id="RemoteProtocolError-body-cut-short",
    ),
    pytest.param(
        raised(httpx.DecodingError("Error -3 while decompressing data: incorrect header check")),
        NetworkFailureKind.PROTOCOL,
        "network-protocol",
        "broke the HTTP protocol",
        id="DecodingError",
    ),
    pytest.param(
        raised(httpx.ProxyError("407 Proxy Authentication Required")),
        NetworkFailureKind.PROXY,
        "network-proxy",
        "the proxy refused or failed it",
        id="ProxyError",
    ),
    pytest.param(
        raised(
            httpx.ProxyError("[Errno 111] Connection refused"),
            ConnectionRefusedError(111, "Connection refused"),
        ),
        NetworkFailureKind.PROXY,
        "network-proxy",
        "the proxy refused or failed it",
        id="ProxyError<-ConnectionRefusedError",
    ),
    pytest.param(
        raised(httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'.")),
        NetworkFailureKind.INVALID_URL,
        "network-invalid-url",
        "not valid",
        id="UnsupportedProtocol",
    ),
    pytest.param(
        raised(httpx.InvalidURL("Invalid port: ':1'"), ValueError("invalid literal for int()")),
        NetworkFailureKind.INVALID_URL,
        "network-invalid-url",
        "not valid",
        id="InvalidURL",
    ),
    pytest.param(
        raised(httpx.TooManyRedirects("Exceeded maximum allowed redirects.")),
        NetworkFailureKind.TOO_MANY_REDIRECTS,
        "network-too-many-redirects",
        "did not end",
        id="TooManyRedirects",
    ),
    pytest.param(
        raised(httpx.ReadError("boom"), Cancelled()),
        NetworkFailureKind.CANCELLED,
        "network-cancelled",
        "cancelled",
        id="Cancelled",
    ),
    pytest.param(
        raised(httpx.CloseError("close failed")),
        NetworkFailureKind.OTHER,
        "network-other",
        "no HTTP response",
        id="CloseError",
    ),
]


@pytest.mark.parametrize(("exc", "kind", "rule_id", "phrase"), CASES)
def test_exception_class_gets_its_explanation(engine, exc, kind, rule_id, phrase):
    failure = failure_of(exc)
    assert failure.kind is kind
    explanation = engine.explain_parts(None, b"", (), URL, failure)
    assert explanation.rule_id == rule_id
    assert explanation.status_class is StatusClass.NETWORK_ERROR
    assert phrase.lower() in explanation.cause.lower()
    # The user sees the chain as a detail, never as the whole explanation.
    if len(failure.chain) > 1 and kind is not NetworkFailureKind.CANCELLED:
        assert failure.chain[-1] in explanation.cause
    assert explanation.cause != failure.message


def test_real_refused_connection_on_localhost(engine):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The port is closed again: nothing listens there.
    spec = RequestSpec(method="GET", url=f"http://127.0.0.1:{port}/api/v4/categories", timeout_s=5)
    with make_client(timeout_s=5) as client:
        record = send(spec, client=client)
    assert record.failure is not None
    assert record.failure.kind is NetworkFailureKind.REFUSED
    assert classify(record).label == "Network: refused"
    explanation = engine.explain(record)
    assert explanation.rule_id == "network-refused"
    assert "127.0.0.1" in explanation.cause
    assert "Connection refused" in explanation.cause


def test_a_lost_answer_to_a_post_warns_before_retrying() -> None:
    from explorer.core.explain import ExplanationEngine
    from explorer.core.models import NetworkFailure, NetworkFailureKind, RequestSpec, ResponseRecord

    engine = ExplanationEngine.from_resources()
    failure = NetworkFailure(
        kind=NetworkFailureKind.RESET,
        exception_type="RemoteProtocolError",
        message="peer closed connection without sending complete message body",
    )
    url = "http://127.0.0.1:48400/api/v4/requests"
    post = engine.explain(
        ResponseRecord(request=RequestSpec(method="POST", url=url), failure=failure)
    )
    assert post.fix[0].startswith("Careful before retrying this POST")
    get = engine.explain(
        ResponseRecord(request=RequestSpec(method="GET", url=url), failure=failure)
    )
    assert not any(step.startswith("Careful") for step in get.fix)
