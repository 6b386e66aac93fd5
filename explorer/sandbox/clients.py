"""The Sandbox's registered OAuth clients: one demo client per scope family.

Like Thumbtack's, a client's scopes come only from ``demand::`` or only from ``supply::``
(reference §2.4), and supply clients may only use the authorization-code flow (a supply
client asking for ``client_credentials`` gets ``unauthorized_client``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from explorer.sandbox import fixtures

AUDIENCE = "urn:partner-api"
GENERAL_SCOPES = ("openid", "profile", "email", "phone", "offline_access")

DEMAND_SCOPES = (
    "demand::businesses/media.read",
    "demand::businesses/reviews.read",
    "demand::businesses/search.read",
    "demand::categories.read",
    "demand::categories/request-form.read",
    "demand::keywords.read",
    "demand::messages.read",
    "demand::messages.write",
    "demand::negotiations.read",
    "demand::orders.read",
    "demand::orders.write",
    "demand::orders/availability.read",
    "demand::requests.write",
    "demand::users.disconnect",
    "demand::users.read",
    "demand::users.write",
    "demand::webhooks.read",
    "demand::webhooks.write",
)
SUPPLY_SCOPES = (
    "supply::businesses.list",
    "supply::businesses/associate-phone-numbers.read",
    "supply::businesses/associate-phone-numbers.write",
    "supply::associate-phone-numbers.read",
    "supply::associate-phone-numbers.write",
    "supply::messages.read",
    "supply::messages.write",
    "supply::negotiations.read",
    "supply::negotiations.write",
    "supply::users.disconnect",
    "supply::users.read",
    "supply::webhooks.read",
    "supply::webhooks.write",
)


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
            client_secret="sandbox-demand-secret",
            family="demand",
            scopes=DEMAND_SCOPES,
            grant_types=frozenset(GrantType),
            user_id=fixtures.DEMAND_USER_ID,
            user_label="Olivia Young (customer)",
        ),
        DemoClient(
            client_id="sandbox-supply-client",
            client_secret="sandbox-supply-secret",
            family="supply",
            scopes=SUPPLY_SCOPES,
            grant_types=frozenset({GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN}),
            user_id=fixtures.SUPPLY_USER_ID,
            user_label="Hello World (pro)",
        ),
    )
