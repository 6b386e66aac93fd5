"""The Sandbox's mutable world: fixtures plus everything created by writes.

One :class:`SandboxState` per server. Every read and write of its dictionaries happens
under ``state.lock`` (handlers run on many threads). Writes last for the server's
lifetime; a new server starts from the same deterministic fixtures.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from explorer.sandbox import fixtures
from explorer.sandbox.fixtures import Business, Category

MAX_SEARCHES = 10_000


def iso(timestamp: float) -> str:
    """RFC 3339 UTC with second precision, e.g. ``2024-06-13T17:18:01Z``."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SandboxState:
    """Fixture data and the server-lifetime results of writes (thread-safe via ``lock``)."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self._ids = itertools.count(600_000_000_000_000_001)
        self.categories: dict[str, Category] = {c.category_id: c for c in fixtures.CATEGORIES}
        self.businesses: dict[str, Business] = {
            b.business_id: b for b in fixtures.make_businesses()
        }
        self.reviews: dict[str, list[dict[str, Any]]] = {
            bid: fixtures.make_reviews(b) for bid, b in self.businesses.items()
        }
        self.users = fixtures.make_users()
        self.searches: dict[str, dict[str, Any]] = {}
        self.requests: dict[str, dict[str, Any]] = {}
        self.negotiations: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.webhooks: dict[str, dict[str, Any]] = {}
        self.phone_numbers: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self._seed()

    # -- helpers ---------------------------------------------------------------------------

    def new_id(self) -> str:
        with self.lock:
            return str(next(self._ids))

    def now(self) -> str:
        return iso(self.clock())

    def category_ref(self, category_id: str) -> dict[str, str]:
        category = self.categories[category_id]
        return {"categoryID": category.category_id, "name": category.name}

    def businesses_in(self, category_id: str) -> list[Business]:
        return [b for b in self.businesses.values() if b.category_id == category_id]

    def owned_businesses(self, user_id: str) -> list[Business]:
        return [b for b in self.businesses.values() if b.owner_user_id == user_id]

    def record_search(
        self, category_id: str, zip_code: str, business_ids: list[str], search_id: str | None = None
    ) -> str:
        with self.lock:
            if len(self.searches) >= MAX_SEARCHES:  # searches are short-lived: drop the oldest
                self.searches.pop(next(iter(self.searches)))
            search_id = search_id or self.new_id()
            self.searches[search_id] = {
                "categoryID": category_id,
                "zipCode": zip_code,
                "businessIDs": business_ids,
            }
            return search_id

    def new_negotiation(
        self,
        *,
        business: Business,
        customer: dict[str, Any],
        request: dict[str, Any],
        negotiation_id: str | None = None,
        created_at: str | None = None,
        business_name: str | None = None,
        links: bool = True,
    ) -> dict[str, Any]:
        """Build and store a NegotiationV4 (reference §7.1) with an empty message list.

        ``links=False`` leaves out ``requestReviewLink``/``refundRequestLink`` (the real
        test lead has none)."""
        with self.lock:
            negotiation_id = negotiation_id or self.new_id()
            negotiation = {
                "negotiationID": negotiation_id,
                "createdAt": created_at or self.now(),
                "status": "Open",
                "chargeState": "Created",
                "leadPrice": "$25.00",
                "leadPriceBreakdown": {"subtotal": "$23.15", "salesTax": "$1.85"},
                "customer": customer,
                "business": {
                    "businessID": business.business_id,
                    "name": business_name or business.name,
                    "imageURL": f"{fixtures.IMAGE_CDN}{business.business_id}/small",
                    "phoneNumber": business.phone,
                },
                "estimate": {
                    "type": "Fixed",
                    "pricePerUnit": "150.00",
                    "unitQuantity": 1,
                    "unitName": "service",
                    "total": "$150.00",
                },
                "request": request,
            }
            if links:
                negotiation["requestReviewLink"] = (
                    f"https://www.thumbtack.com/reviews/{negotiation_id}"
                )
                negotiation["refundRequestLink"] = (
                    f"https://www.thumbtack.com/refunds/{negotiation_id}"
                )
            self.negotiations[negotiation_id] = negotiation
            self.messages.setdefault(negotiation_id, [])
            return negotiation

    def customer_of(self, user_id: str) -> dict[str, Any]:
        user = self.users[user_id]
        return {
            "customerID": user_id,
            "firstName": user["firstName"],
            "lastName": user["lastName"],
            # Negotiations carry the customer's phone as ten digits (real deliveries),
            # while users/self gives it in E.164.
            "phone": str(user["phoneNumber"]).removeprefix("+1"),
        }

    def request_object(
        self,
        *,
        category_id: str,
        customer_id: str,
        zip_code: str,
        request_id: str | None = None,
        description: str = "Looking for help with my project.",
    ) -> dict[str, Any]:
        category = self.categories[category_id]
        return {
            "requestID": request_id or self.new_id(),
            "customerID": customer_id,
            "description": description,
            "category": self.category_ref(category_id),
            "proposedTimes": [],
            "location": {
                "address1": "",
                "address2": "",
                "city": "San Francisco",
                "state": "CA",
                "zipCode": zip_code,
            },
            "travelPreferences": ["ProviderTravelToCustomer"],
            "details": [{"question": "Category", "answer": category.name}],
            "attachments": [],
        }

    # -- seed ------------------------------------------------------------------------------

    def _seed(self) -> None:
        kitchen = fixtures.KITCHEN_REMODEL
        kitchen_ids = [b.business_id for b in self.businesses_in(kitchen)]
        self.record_search(kitchen, "94117", kitchen_ids, search_id=fixtures.SEED_SEARCH)
        handyman = [b.business_id for b in self.businesses_in("109125193401647362")]
        self.record_search("109125193401647362", "90210", handyman, search_id="545691258236567552")
        request = self.request_object(
            category_id=kitchen,
            customer_id=fixtures.DEMAND_USER_ID,
            zip_code="94117",
            request_id="548955282027569156",
            description="Full kitchen renovation",
        )
        request["details"].append(
            {"question": "Project scope", "answer": "Full kitchen renovation"}
        )
        self.requests[request["requestID"]] = request
        self.new_negotiation(
            business=self.businesses[fixtures.ROBERTS_REMODELING],
            customer=self.customer_of(fixtures.DEMAND_USER_ID),
            request=request,
            negotiation_id=fixtures.SEED_NEGOTIATION,
            created_at="2024-06-13T17:18:01Z",
        )
        self.messages[fixtures.SEED_NEGOTIATION] = fixtures.seed_messages()
        phone_id = "710000000000000001"
        self.phone_numbers[phone_id] = {
            "phoneNumberID": phone_id,
            "businessID": fixtures.ROBERTS_REMODELING,
            "phoneNumber": "+14155550123",
            "name": "Robert",
            "createdTime": "2024-06-01T12:00:00Z",
            "updatedTime": "2024-06-01T12:00:00Z",
            "lastActivityTime": "2024-06-12T09:30:00Z",
            "isDeleted": False,
        }
        order_id = "720000000000000001"
        self.orders[order_id] = {
            "orderID": order_id,
            "status": "schedulingReady",
            "configurationID": "730000000000000001",
            "categoryID": "219264413294461288",
            "externalOrder": {"externalOrderID": "partner-order-1001"},
            "user": {
                "firstName": "Olivia",
                "lastName": "Young",
                "phone": "4155550142",
                "zipCode": "94117",
            },
            "schedulingWindow": {"start": "2026-12-01T16:00:00Z", "end": "2026-12-01T20:00:00Z"},
            "createdAt": "2026-11-20T10:00:00Z",
            "updatedAt": "2026-11-20T10:00:00Z",
        }
