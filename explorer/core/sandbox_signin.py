"""Signing the Sandbox's demo users in without a browser, and picking a demo profile.

The built-in demo profiles (:func:`explorer.core.profiles.sandbox_demo_profiles`) use the
Sandbox's published demo clients. For the customer and pro profiles the sign-in is a real
authorization code + PKCE flow through :class:`explorer.core.auth.TokenManager` and the
loopback listener; only the browser is replaced: :func:`approve_in_sandbox` fetches the
authorize URL with ``prompt=none`` (OpenID Connect Core 1.0 §3.1.2.1: no consent page;
the Sandbox's demo users have always consented), and follows the redirect that carries
``code`` and ``state`` to the loopback listener. It refuses any authorize URL that is not
on this computer, so real environments keep using the system browser.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from explorer.core.auth import LoginRequired, TokenManager
from explorer.core.environments import Environment, EnvironmentKind
from explorer.core.loopback import LoginError
from explorer.core.models import Flow, RequestSpec
from explorer.core.profiles import (
    Profile,
    is_sandbox_demo,
    sandbox_demo_profiles,
)

#: The Sandbox's published demo client secrets (sandbox-only values, not real secrets),
#: used until the running server tells its own.
DEMO_CLIENT_SECRETS: dict[str, str] = {
    "sandbox-demand-client": "sandbox-demand-secret",
    "sandbox-customer-client": "sandbox-customer-secret",
    "sandbox-supply-client": "sandbox-supply-secret",
}
SIGN_IN_TIMEOUT_S = 20.0
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def signs_in_unattended(profile: Profile, environment: Environment) -> bool:
    """True for a built-in authorization-code demo profile talking to the Sandbox."""
    return (
        is_sandbox_demo(profile)
        and profile.flow is Flow.AUTHORIZATION_CODE
        and environment.kind is EnvironmentKind.SANDBOX
    )


def approve_in_sandbox(url: str, *, timeout_s: float = SIGN_IN_TIMEOUT_S) -> None:
    """Stand in for the browser at the Sandbox's ``/oauth2/auth``: ask with
    ``prompt=none``, then deliver the redirect (code and state, or the error) to the
    loopback listener, which checks the state as it would for a browser."""
    import httpx2 as httpx

    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in _LOOPBACK:
        raise LoginError(
            f"{parts.scheme}://{parts.netloc} is not the Sandbox on this computer; sign in "
            "to it in the browser (Log in in browser… in the Token panel)."
        )
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "prompt"]
    asked = urlunsplit(parts._replace(query=urlencode([*query, ("prompt", "none")])))
    try:
        with httpx.Client(timeout=timeout_s, follow_redirects=False, trust_env=False) as client:
            answer = client.get(asked)
            location = answer.headers.get("location", "")
            target = urlsplit(location)
            if answer.status_code not in (302, 303) or target.hostname not in _LOOPBACK:
                raise LoginError(
                    f"The Sandbox did not approve the demo sign-in (HTTP {answer.status_code} "
                    "from /oauth2/auth). Restart the Sandbox, or sign in in the browser."
                )
            client.get(location)
    except httpx.HTTPError as exc:
        raise LoginError(f"The Sandbox could not be reached to sign in ({exc}).") from exc


def sign_in(manager: TokenManager, *, cancel: threading.Event | None = None) -> None:
    """Sign a Sandbox demo user in without a browser: a real authorization code + PKCE
    flow in which :func:`approve_in_sandbox` stands in for the browser. The one sign-in
    of the window (on the first request that needs it) and of the CLI (before it calls)."""
    manager.login(cancel=cancel, timeout_s=SIGN_IN_TIMEOUT_S, open_browser=approve_in_sandbox)


def authorize_signing_in(
    manager: TokenManager, spec: RequestSpec, *, cancel: threading.Event | None = None
) -> RequestSpec:
    """``manager.authorize_request(spec)``; a Sandbox demo customer or pro without a token
    signs in first (real authorization code + PKCE, no browser)."""
    try:
        return manager.authorize_request(spec)
    except LoginRequired:
        if not signs_in_unattended(manager.profile, manager.environment):
            raise
    sign_in(manager, cancel=cancel)
    return manager.authorize_request(spec)


def demo_profile_for(scopes: Iterable[str], flows: Iterable[Flow] = ()) -> Profile | None:
    """The built-in Sandbox profile for an endpoint: one whose scopes include one of
    ``scopes``, preferring the flow the endpoint documents (the application's client
    credentials for catalog calls, a signed-in customer or pro for user calls). None when
    the endpoint names no scope any of them holds."""
    wanted = set(scopes)
    documented = list(flows)
    holding = [p for p in sandbox_demo_profiles() if wanted & set(p.scopes)]
    if not holding:
        return None
    for flow in documented:
        for profile in holding:
            if profile.flow is flow:
                return profile
    return _signed_in_first(holding)


def _signed_in_first(profiles: list[Profile]) -> Profile:
    """No built-in profile has the documented flow (or none is documented): the one a user
    signs in to, else any."""
    return next((p for p in profiles if p.flow is Flow.AUTHORIZATION_CODE), profiles[0])
