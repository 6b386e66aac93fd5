"""Pre-flight checks: set-up mistakes caught before the round trip.

Thumbtack's documented error bodies are all set-up mistakes (the wrong token server for
the environment, a wrong audience, a token without the needed scope). :func:`preflight`
looks at the endpoint, the profile, the environment and (if there is one) the decoded
token, and returns warnings that each name the fix. The caller shows them with a
"send anyway" choice; nothing here blocks a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from explorer.core.auth import TokenInfo
from explorer.core.environments import (
    PRODUCTION,
    STAGING,
    Environment,
    EnvironmentKind,
    host_of,
)
from explorer.core.models import Endpoint, FixAction, Flow
from explorer.core.profiles import (
    ONE_CLIENT_PER_FLOW,
    PARTNER_AUDIENCE,
    SANDBOX_CUSTOMER_PROFILE,
    Profile,
    is_sandbox_demo,
)
from explorer.core.sandbox_signin import demo_profile_for


class PreflightCode(StrEnum):
    """Every kind of pre-flight warning."""

    ENVIRONMENT_MISMATCH = "environment_mismatch"
    TOKEN_FROM_OTHER_SERVER = "token_from_other_server"
    WRONG_AUDIENCE = "wrong_audience"
    TOKEN_AUDIENCE = "token_audience"
    MISSING_SCOPE = "missing_scope"
    TOKEN_LACKS_SCOPE = "token_lacks_scope"
    USER_CONTEXT_REQUIRED = "user_context_required"
    SUPPLY_WITH_CLIENT_CREDENTIALS = "supply_with_client_credentials"


@dataclass(frozen=True, kw_only=True)
class PreflightWarning:
    """A likely set-up mistake, the fix in words and the one-click fix (if any)."""

    code: PreflightCode
    message: str
    fix: FixAction | None = None


def _family(host: str) -> str | None:
    """'production' or 'staging' for Thumbtack's own hosts, None for anything else."""
    if not host.endswith("thumbtack.com"):
        return None
    return "staging" if host.split(".", maxsplit=1)[0].startswith("staging") else "production"


def _demo_switch(
    endpoint: Endpoint, profile: Profile, environment: Environment
) -> tuple[str, FixAction] | None:
    """On the Sandbox with a built-in demo profile: the demo profile whose client has the
    endpoint's scopes (as a sentence and the one-click fix), when it is another one."""
    if environment.kind is not EnvironmentKind.SANDBOX or not is_sandbox_demo(profile):
        return None
    target = demo_profile_for(endpoint.scopes, endpoint.flows)
    if target is None or target == profile:
        return None
    if target.flow is Flow.CLIENT_CREDENTIALS:
        return (
            f" On the Sandbox, switch to the built-in profile '{target.name}': the "
            "application's own client credentials, as this endpoint documents.",
            FixAction.USE_SANDBOX_APP,
        )
    fix = (
        FixAction.USE_SANDBOX_CUSTOMER
        if target.name == SANDBOX_CUSTOMER_PROFILE
        else FixAction.USE_SANDBOX_PRO
    )
    return (
        f" On the Sandbox, switch to the built-in profile '{target.name}': it signs in "
        "as the demo user by itself.",
        fix,
    )


def working_fixes(
    actions: tuple[FixAction, ...],
    endpoint: Endpoint,
    profile: Profile | None,
    environment: Environment,
) -> tuple[FixAction, ...]:
    """``actions`` with "Edit scopes…" replaced by the fix that works for a built-in
    Sandbox profile (which cannot be edited): switching to the built-in profile that holds
    the endpoint's scope. Other profiles keep their actions."""
    if profile is None or FixAction.OPEN_SCOPE_EDITOR not in actions:
        return actions
    switch = _demo_switch(endpoint, profile, environment)
    if switch is None:
        return actions
    fixed = (switch[1] if a is FixAction.OPEN_SCOPE_EDITOR else a for a in actions)
    return tuple(dict.fromkeys(fixed))


def preflight(
    endpoint: Endpoint,
    profile: Profile,
    environment: Environment,
    token_info: TokenInfo | None,
) -> list[PreflightWarning]:
    """The warnings for sending ``endpoint`` with ``profile`` in ``environment``."""
    out: list[PreflightWarning] = []
    api_family = _family(host_of(environment.api_base))
    token_family = _family(host_of(environment.token_url))
    if api_family and token_family and api_family != token_family:
        right = PRODUCTION if api_family == "production" else STAGING
        out.append(
            PreflightWarning(
                code=PreflightCode.ENVIRONMENT_MISMATCH,
                message=f"The API base is {api_family} ({environment.api_base}) but the token "
                f"server is {token_family} ({environment.token_url}). Tokens and clients do "
                f"not cross environments (401 invalid_client or 'token is not active'). Use "
                f"{right.token_url} with this API base, and the {api_family} client ID.",
                fix=FixAction.USE_ENVIRONMENT_TOKEN_SERVER,
            )
        )
    if token_info is not None and token_info.issuer and api_family:
        issuer_family = _family(host_of(token_info.issuer))
        if issuer_family and issuer_family != api_family:
            out.append(
                PreflightWarning(
                    code=PreflightCode.TOKEN_FROM_OTHER_SERVER,
                    message=f"The token was issued by {token_info.issuer} ({issuer_family}), but "
                    f"the call goes to {api_family}. Forget the token and get a new one "
                    "from this environment's token server.",
                    fix=FixAction.USE_ENVIRONMENT_TOKEN_SERVER,
                )
            )
    if profile.audience != PARTNER_AUDIENCE:
        out.append(
            PreflightWarning(
                code=PreflightCode.WRONG_AUDIENCE,
                message=f"The profile's audience is '{profile.audience}'; Thumbtack accepts only "
                f"'{PARTNER_AUDIENCE}' and otherwise answers 502 proxy_oauth_failed. Set "
                f"the audience to {PARTNER_AUDIENCE} and get a new token.",
                fix=FixAction.SET_AUDIENCE_AND_RETRY,
            )
        )
    elif (
        token_info is not None
        and token_info.audience
        and PARTNER_AUDIENCE not in token_info.audience
    ):
        out.append(
            PreflightWarning(
                code=PreflightCode.TOKEN_AUDIENCE,
                message=f"The current token is for {', '.join(token_info.audience)}, not "
                f"{PARTNER_AUDIENCE}. Get a new token (it will carry the profile's "
                "audience).",
                fix=FixAction.SET_AUDIENCE_AND_RETRY,
            )
        )
    supply = [s for s in profile.scopes if s.startswith("supply::")]
    if supply and profile.flow is Flow.CLIENT_CREDENTIALS:
        out.append(
            PreflightWarning(
                code=PreflightCode.SUPPLY_WITH_CLIENT_CREDENTIALS,
                message=f"supply:: scopes ({', '.join(supply)}) are granted only through the "
                "authorization code flow (a pro signs in); client credentials will be "
                "refused. Switch the profile's flow to authorization_code, with the client "
                "Thumbtack issued for that flow. " + ONE_CLIENT_PER_FLOW,
                fix=FixAction.OPEN_PROFILE_EDITOR,
            )
        )
    switch = _demo_switch(endpoint, profile, environment)
    said = False  # the switch is offered in words once, as a button on each warning
    if (
        endpoint.flows
        and Flow.CLIENT_CREDENTIALS not in endpoint.flows
        and profile.flow is Flow.CLIENT_CREDENTIALS
    ):
        out.append(
            PreflightWarning(
                code=PreflightCode.USER_CONTEXT_REQUIRED,
                message=f"{endpoint.method} {endpoint.path} acts for a signed-in user "
                "(authorizationCode), but this profile uses client credentials (no user); "
                "such a token never carries the route's scope, so expect 401 'required "
                "scope(s) [...] not found' (our inference). Use a profile with your "
                "authorization-code client (Thumbtack issues one client per flow, each "
                "with its own client ID) and sign in." + (switch[0] if switch else ""),
                fix=switch[1] if switch else FixAction.OPEN_PROFILE_EDITOR,
            )
        )
        said = True
    if endpoint.scopes and not set(endpoint.scopes) & set(profile.scopes):
        needed = " or ".join(endpoint.scopes)
        out.append(
            PreflightWarning(
                code=PreflightCode.MISSING_SCOPE,
                message=f"{endpoint.method} {endpoint.path} needs the scope {needed}, which the "
                "profile does not request; Thumbtack would answer 401 'required scope(s) "
                f"[{endpoint.scopes[0]}] not found'. Add it in the profile's scopes (if "
                "Thumbtack granted it to your client) and get a new token."
                + (switch[0] if switch and not said else ""),
                fix=switch[1] if switch else FixAction.OPEN_SCOPE_EDITOR,
            )
        )
    elif (
        endpoint.scopes
        and token_info is not None
        and token_info.scopes
        and not set(endpoint.scopes) & set(token_info.scopes)
    ):
        out.append(
            PreflightWarning(
                code=PreflightCode.TOKEN_LACKS_SCOPE,
                message=f"The current token was granted {' '.join(token_info.scopes)}, without "
                f"{' or '.join(endpoint.scopes)} (Thumbtack answers 401 'required scope(s) "
                "[...] not found'). Get a new token; if it still lacks the scope, ask your "
                "account manager to grant it to the client.",
                fix=FixAction.REFRESH_TOKEN_AND_RETRY,
            )
        )
    return out


#: A few words per warning for the request builder's readiness line.
HEADLINES: dict[PreflightCode, str] = {
    PreflightCode.ENVIRONMENT_MISMATCH: "the API and the token server are different environments",
    PreflightCode.TOKEN_FROM_OTHER_SERVER: "the token comes from another environment",
    PreflightCode.WRONG_AUDIENCE: "the profile's audience is not urn:partner-api",
    PreflightCode.TOKEN_AUDIENCE: "the token's audience is not urn:partner-api",
    PreflightCode.MISSING_SCOPE: "needs a scope the profile does not request",
    PreflightCode.TOKEN_LACKS_SCOPE: "the token lacks the scope this endpoint needs",
    PreflightCode.USER_CONTEXT_REQUIRED: "needs a user sign-in (authorization code flow)",
    PreflightCode.SUPPLY_WITH_CLIENT_CREDENTIALS: "supply:: scopes need a pro sign-in",
}


def headline(warning: PreflightWarning) -> str:
    """The warning in a few words (its message says the rest)."""
    return HEADLINES.get(warning.code, warning.message)
