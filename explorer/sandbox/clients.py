"""The Sandbox's registered OAuth clients: one demo client per flow.

Like Thumbtack's, a client's scopes come only from ``demand::`` or only from ``supply::``
(reference §2.4), and each client has one flow: Thumbtack issues a partner one client for
client credentials and another for the authorization code (the exact-search page; partners
keep two client IDs). So the Sandbox has an application client (client credentials,
demand:: catalogue and search scopes), a customer client (authorization code, demand::
scopes that act for a customer) and a pro client (authorization code, supply:: scopes).
A client asking for the other flow gets ``unauthorized_client``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from explorer.core.profiles import (
    DEMAND_AUTHORIZATION_CODE_SCOPES,
    DEMAND_CLIENT_CREDENTIALS_SCOPES,
    OIDC_SCOPES,
    SANDBOX_APP_CLIENT,
    SANDBOX_CUSTOMER_CLIENT,
    SANDBOX_PRO_CLIENT,
    SUPPLY_SCOPES,
)
from explorer.core.sandbox_signin import DEMO_CLIENT_SECRETS
from explorer.sandbox import fixtures

AUDIENCE = "urn:partner-api"
GENERAL_SCOPES = OIDC_SCOPES


class GrantType(StrEnum):
    """The OAuth 2.0 grants the token endpoint knows."""

    CLIENT_CREDENTIALS = "client_credentials"
    AUTHORIZATION_CODE = "authorization_code"
    REFRESH_TOKEN = "refresh_token"


@dataclass(frozen=True, kw_only=True)
class DemoClient:
    """A registered client: credentials, allowed scopes and grants, and its demo user."""

    client_id: str
    client_secret: str
    family: str  # "demand" or "supply"
    scopes: tuple[str, ...]
    grant_types: frozenset[GrantType]
    user_id: str  # who the consent page signs in as
    user_label: str

    @property
    def allowed_scopes(self) -> frozenset[str]:
        return frozenset(self.scopes) | frozenset(GENERAL_SCOPES)


def demo_clients() -> tuple[DemoClient, ...]:
    """The three demo clients every Sandbox accepts, one per flow and scope family."""
    user_grants = frozenset({GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN})
    return (
        DemoClient(
            client_id=SANDBOX_APP_CLIENT,
            client_secret=DEMO_CLIENT_SECRETS[SANDBOX_APP_CLIENT],
            family="demand",
            scopes=DEMAND_CLIENT_CREDENTIALS_SCOPES,
            grant_types=frozenset({GrantType.CLIENT_CREDENTIALS}),
            user_id=fixtures.DEMAND_USER_ID,
            user_label="the application (no user)",
        ),
        DemoClient(
            client_id=SANDBOX_CUSTOMER_CLIENT,
            client_secret=DEMO_CLIENT_SECRETS[SANDBOX_CUSTOMER_CLIENT],
            family="demand",
            scopes=DEMAND_AUTHORIZATION_CODE_SCOPES,
            grant_types=user_grants,
            user_id=fixtures.DEMAND_USER_ID,
            user_label="Olivia Young (customer)",
        ),
        DemoClient(
            client_id=SANDBOX_PRO_CLIENT,
            client_secret=DEMO_CLIENT_SECRETS[SANDBOX_PRO_CLIENT],
            family="supply",
            scopes=SUPPLY_SCOPES,
            grant_types=user_grants,
            user_id=fixtures.SUPPLY_USER_ID,
            user_label="Hello World (pro)",
        ),
    )
