"""Token work against a real third-party OAuth 2.0 server on 127.0.0.1 (oauth2-mock-server).

Both flows, refresh before expiry, rotation, the 401 retry, wrong secret, wrong audience,
state mismatch and a busy loopback port, with real sockets throughout.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx2 as httpx
import pytest
from helpers.servers import local_server
from oauth_server import MockOAuthServer, oauth_mock_server

from explorer.core.auth import TokenManager
from explorer.core.environments import Environment, custom_environment
from explorer.core.loopback import LoopbackPortBusy, StateMismatch
from explorer.core.models import FixAction, Flow, RequestSpec
from explorer.core.profiles import AuthMethod, Profile, ProfileStore
from explorer.core.redact import MASK
from explorer.core.secrets import MemoryStore, SecretKind, VaultStore
from explorer.core.session import CallService, Session, build_request, resolve
from explorer.paths import AppPaths

pytestmark = pytest.mark.integration

CLIENTS = {"test-client": "test-secret", "user-client": "user-secret"}


@pytest.fixture(scope="module")
def oauth() -> Iterator[MockOAuthServer]:
    with oauth_mock_server(clients=CLIENTS) as server:
        yield server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def env_for(server: MockOAuthServer, api_base: str = "http://127.0.0.1:9/api/") -> Environment:
    return custom_environment(
        id="mock",
        name="Mock OAuth",
        api_base=api_base,
        token_url=server.token_url,
        authorize_url=server.authorize_url,
    )


def cc_profile(**changes: object) -> Profile:
    base = Profile(
        name="cc",
        environment_id="mock",
        client_id="test-client",
        scopes=("demand::keywords.read",),
        extra_token_params=(("extra_param", "kept"),),
    )
    return base.with_changes(**changes)


def code_profile(port: int) -> Profile:
    return Profile(
        name="user",
        environment_id="mock",
        client_id="user-client",
        flow=Flow.AUTHORIZATION_CODE,
        scopes=("supply::negotiations.read", "offline_access"),
        redirect_uri=f"http://127.0.0.1:{port}/callback",
    )


def store_with(profile: str, secret: str) -> MemoryStore:
    store = MemoryStore()
    store.set(profile, SecretKind.CLIENT_SECRET, secret)
    return store


class HeadlessBrowser:
    """Stands in for the system browser: follows the authorize redirect to the listener."""

    def __init__(self, tamper_state: bool = False) -> None:
        self.pages: list[httpx.Response] = []
        self._tamper = tamper_state
        self._threads: list[threading.Thread] = []

    def __call__(self, url: str) -> bool:
        if self._tamper:
            parts = urlsplit(url)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            query["state"] = "forged-state-value"
            url = urlunsplit(parts._replace(query=urlencode(query)))

        def visit() -> None:
            self.pages.append(httpx.get(url, follow_redirects=True, timeout=10))

        thread = threading.Thread(target=visit, daemon=True)
        self._threads.append(thread)
        thread.start()
        return True

    def page(self) -> httpx.Response:
        """The page the browser ended on (after the listener answered)."""
        for thread in self._threads:
            thread.join(10)
        assert self.pages, "the browser got no page"
        return self.pages[-1]


def test_client_credentials_sends_audience_scope_and_extra_params(oauth: MockOAuthServer) -> None:
    manager = TokenManager(cc_profile(), env_for(oauth), store_with("cc", "test-secret"))
    token = manager.get_token()
    assert manager.get_token() == token  # cached, not fetched again
    info = manager.token_info()
    assert info is not None and info.is_jwt and not info.verified
    assert info.audience == ("urn:partner-api",)
    assert info.issuer == oauth.url
    assert info.scopes == ("demand::keywords.read",)
    left = info.seconds_left()
    assert left is not None and 3500 < left <= 3600
    mine = [e for e in oauth.log() if e["client_id"] == "test-client"]
    assert mine[-1] == {
        "grant_type": "client_credentials",
        "audience": "urn:partner-api",
        "method": "basic",
        "client_id": "test-client",
        "scope": "demand::keywords.read",
        "extra": "kept",
    }


def test_client_secret_post_puts_credentials_in_the_body(oauth: MockOAuthServer) -> None:
    profile = cc_profile(auth_method=AuthMethod.CLIENT_SECRET_POST)
    TokenManager(profile, env_for(oauth), store_with("cc", "test-secret")).get_token()
    assert oauth.log()[-1]["method"] == "post"


def test_wrong_secret_keeps_status_and_body(oauth: MockOAuthServer) -> None:
    manager = TokenManager(cc_profile(), env_for(oauth), store_with("cc", "not-the-secret"))
    with pytest.raises(Exception) as caught:
        manager.get_token()
    error = caught.value
    assert type(error).__name__ == "TokenError"
    assert error.status == 401  # type: ignore[attr-defined]
    assert json.loads(error.body)["error"] == "invalid_client"  # type: ignore[attr-defined]
    assert "invalid_client" in str(error) and oauth.token_url in str(error)


def test_wrong_audience_is_refused_with_the_documented_words(oauth: MockOAuthServer) -> None:
    profile = cc_profile(audience="urn:wrong")
    manager = TokenManager(profile, env_for(oauth), store_with("cc", "test-secret"))
    with pytest.raises(Exception) as caught:
        manager.get_token()
    error = caught.value
    assert error.status == 400  # type: ignore[attr-defined]
    assert b"has not been whitelisted" in error.body  # type: ignore[attr-defined]
    assert error.error == "invalid_request"  # type: ignore[attr-defined]


def test_authorization_code_with_pkce_then_refresh_rotation(oauth: MockOAuthServer) -> None:
    browser = HeadlessBrowser()
    store = store_with("user", "user-secret")
    manager = TokenManager(code_profile(free_port()), env_for(oauth), store, open_browser=browser)
    first = manager.login(timeout_s=20)
    assert browser.page().status_code == 200 and "Signed in" in browser.page().text
    refresh_1 = store.get("user", SecretKind.REFRESH_TOKEN)
    assert refresh_1
    assert oauth.log()[-1]["grant_type"] == "authorization_code"
    assert oauth.log()[-1]["audience"] == "urn:partner-api"
    second = manager.refresh()
    refresh_2 = store.get("user", SecretKind.REFRESH_TOKEN)
    assert second != first and refresh_2 and refresh_2 != refresh_1  # rotated and stored
    entry = oauth.log()[-1]
    assert entry["grant_type"] == "refresh_token" and entry["audience"] == "urn:partner-api"
    # The old refresh token is single use: the server refuses it.
    store.set("user", SecretKind.REFRESH_TOKEN, refresh_1)
    with pytest.raises(Exception) as caught:
        manager.refresh()
    assert caught.value.error == "invalid_grant"  # type: ignore[attr-defined]
    assert store.get("user", SecretKind.REFRESH_TOKEN) is None  # dead token forgotten


def test_token_is_refreshed_before_expiry(oauth: MockOAuthServer) -> None:
    shift = [0.0]
    store = store_with("user", "user-secret")
    manager = TokenManager(
        code_profile(free_port()),
        env_for(oauth),
        store,
        open_browser=HeadlessBrowser(),
        clock=lambda: time.time() + shift[0],
    )
    first = manager.login(timeout_s=20)
    shift[0] = 3600 - 40  # 40 s left: still fine (leeway 30 s)
    assert manager.get_token() == first
    shift[0] = 3600 - 20  # 20 s left: refreshed before it expires
    assert manager.get_token() != first
    assert oauth.log()[-1]["grant_type"] == "refresh_token"


def test_short_lived_tokens_are_not_refetched_on_every_call() -> None:
    with oauth_mock_server(clients=CLIENTS, token_ttl=60) as server:
        manager = TokenManager(cc_profile(), env_for(server), store_with("cc", "test-secret"))
        token = manager.get_token()
        assert manager.get_token() == token
        assert manager.get_token() == token
        assert len(server.log()) == 1


def test_redirect_with_another_state_is_rejected(oauth: MockOAuthServer) -> None:
    browser = HeadlessBrowser(tamper_state=True)
    manager = TokenManager(
        code_profile(free_port()),
        env_for(oauth),
        store_with("user", "user-secret"),
        open_browser=browser,
    )
    with pytest.raises(StateMismatch, match="1 redirect"):  # rejected, then the wait ran out
        manager.login(timeout_s=2)
    assert browser.page().status_code == 400 and "Sign-in failed" in browser.page().text


def test_busy_loopback_port_names_the_port_and_the_fix(oauth: MockOAuthServer) -> None:
    opened: list[str] = []
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        manager = TokenManager(
            code_profile(port),
            env_for(oauth),
            store_with("user", "user-secret"),
            open_browser=opened.append,
        )
        with pytest.raises(LoopbackPortBusy) as caught:
            manager.login(timeout_s=5)
    assert str(port) in str(caught.value) and "redirect URI" in str(caught.value)
    assert opened == []  # the browser is not opened for a sign-in that cannot finish


def test_call_retries_once_after_token_is_not_active(oauth: MockOAuthServer) -> None:
    seen_tokens: list[str] = []
    body_401 = (
        b'{"type":"about:blank","title":"Unauthorized","status":401,'
        b'"detail":"invalid token. failure reason(s): [token is not active]"}'
    )

    def api(h) -> None:  # type: ignore[no-untyped-def]
        seen_tokens.append(h.headers.get("Authorization", ""))
        status, body = (401, body_401) if len(seen_tokens) == 1 else (200, b'{"data":[]}')
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    with local_server(api) as server:
        env = env_for(oauth, api_base=f"{server.url}/api/")
        manager = TokenManager(cc_profile(), env, store_with("cc", "test-secret"))
        service = CallService(profile=cc_profile(), environment=env, tokens=manager, catalog=[])
        endpoint, _ = resolve("GET /api/v4/keywords/search", [])
        spec = build_request(endpoint, env, {"searchQuery": "car"}, None)
        result = service.call(endpoint, spec)
    assert result.record.status == 200 and result.retried
    assert len(seen_tokens) == 2 and seen_tokens[0] != seen_tokens[1]
    assert all(t.startswith("Bearer ") for t in seen_tokens)


def _token_not_active_once(seen_tokens: list[str]):  # type: ignore[no-untyped-def]
    """An API that answers the first request with the documented 401, then 200."""
    body_401 = (
        b'{"type":"about:blank","title":"Unauthorized","status":401,'
        b'"detail":"invalid token. failure reason(s): [token is not active]"}'
    )

    def api(h) -> None:  # type: ignore[no-untyped-def]
        seen_tokens.append(h.headers.get("Authorization", ""))
        status, body = (401, body_401) if len(seen_tokens) == 1 else (200, b'{"data":[]}')
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return api


def _window_session(oauth: MockOAuthServer, api_base: str) -> Session:
    paths = AppPaths.from_environment().ensure()
    session = Session(paths)
    session.profiles.save_environment(env_for(oauth, api_base=api_base))
    session.profiles.save_profile(cc_profile())
    session.user_store = store_with("cc", "test-secret")
    session.environment = session.environment_for("mock")
    assert session.choose_profile("cc") is not None
    return session


@pytest.mark.parametrize("mask", [True, False])
def test_the_window_session_sends_on_the_same_path_as_the_cli(
    oauth: MockOAuthServer, explorer_home: Path, mask: bool
) -> None:
    seen_tokens: list[str] = []
    used: list[str] = []
    with local_server(_token_not_active_once(seen_tokens)) as server:
        session = _window_session(oauth, f"{server.url}/api/")
        spec = RequestSpec(method="GET", url=f"{server.url}/api/v4/keywords/search?q=car")
        record = session.perform(
            spec, threading.Event(), mask=mask, on_token=lambda m: used.append(m.profile.name)
        )
        session.close()
    # refreshed once on "token is not active" and sent again, as CallService.call does
    assert record.status == 200
    assert len(seen_tokens) == 2 and seen_tokens[0] != seen_tokens[1]
    assert used == ["cc"]
    shown = record.request.header("Authorization")
    if mask:  # the window's face: the token is never in the record it shows
        assert shown == f"Bearer {MASK}"
    else:
        assert shown == seen_tokens[1]
    token = seen_tokens[1].removeprefix("Bearer ")
    assert token in session.token_state(session.active)[1]  # known, so masked everywhere


def test_a_token_that_cannot_be_had_becomes_an_explained_record(
    oauth: MockOAuthServer, explorer_home: Path
) -> None:
    with local_server(_token_not_active_once([])) as server:
        session = _window_session(oauth, f"{server.url}/api/")
        session.user_store = store_with("cc", "not-the-secret")
        session.reactivate()
        spec = RequestSpec(method="GET", url=f"{server.url}/api/v4/keywords/search")
        record = session.perform(spec, threading.Event())
        session.close()
    # the token server's own answer, shown as the exchange (never raised), explained
    assert record.status == 401 and b"invalid_client" in record.body
    assert "not-the-secret" not in repr(record.request)
    explanation = session.explain(record)
    assert explanation is not None and FixAction.OPEN_PROFILE_EDITOR in explanation.actions


def test_no_secret_or_token_reaches_a_file_in_plain_text(
    oauth: MockOAuthServer, explorer_home: Path
) -> None:
    paths = AppPaths.from_environment().ensure()
    profiles = ProfileStore(paths)
    env = env_for(oauth)
    profiles.save_environment(env)
    profiles.save_profile(cc_profile())
    vault = VaultStore(paths.data / "vault.bin", "correct horse battery staple")
    vault.set("cc", SecretKind.CLIENT_SECRET, "test-secret")
    manager = TokenManager(cc_profile(), env, vault)
    token = manager.get_token()
    user_store = store_with("user", "user-secret")
    user = TokenManager(code_profile(free_port()), env, user_store, open_browser=HeadlessBrowser())
    user.login(timeout_s=20)
    refresh = user_store.get("user", SecretKind.REFRESH_TOKEN)
    assert refresh is not None
    vault.set("user", SecretKind.REFRESH_TOKEN, refresh)
    profiles.export(explorer_home / "team-profiles.json")
    secrets = [b"test-secret", token.encode(), token.split(".")[1].encode(), refresh.encode()]
    files = [p for p in explorer_home.rglob("*") if p.is_file()]
    assert any(p.name == "vault.bin" for p in files) and any(
        p.name == "profiles.json" for p in files
    )
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret not in data, f"{path} holds a secret in plain text"
