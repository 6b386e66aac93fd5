"""The Sandbox's registered OAuth clients: one demo client per scope family.

Like Thumbtack's, a client's scopes come only from ``demand::`` or only from ``supply::``
(reference §2.4), and supply clients may only use the authorization-code flow (a supply
client asking for ``client_credentials`` gets ``unauthorized_client``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from explorer.core.profiles import DEMAND_SCOPES, OIDC_SCOPES, SUPPLY_SCOPES
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
    """The two demo clients every Sandbox accepts."""
    return (
        DemoClient(
            client_id="sandbox-demand-client",
            client_secret=DEMO_CLIENT_SECRETS["sandbox-demand-client"],
            family="demand",
            scopes=DEMAND_SCOPES,
            grant_types=frozenset(GrantType),
            user_id=fixtures.DEMAND_USER_ID,
            user_label="Olivia Young (customer)",
        ),
        DemoClient(
            client_id="sandbox-supply-client",
            client_secret=DEMO_CLIENT_SECRETS["sandbox-supply-client"],
            family="supply",
            scopes=SUPPLY_SCOPES,
            grant_types=frozenset({GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN}),
            user_id=fixtures.SUPPLY_USER_ID,
            user_label="Hello World (pro)",
        ),
    )
