"""What each webhook event means, which API calls follow it, samples, and the ordering note.

The words here repeat the reference (``thumbtack-partner-api.md`` §7 and the graded
evidence): each event says how well it is known (:class:`Grade`), and the UI shows that
grade beside the words. Follow-up calls name an operation of the description and where in
the delivery's ``data`` each path parameter comes from, so a button can open the request
with the IDs filled. Samples are built like real deliveries (the real test lead's content,
the real ``MessageCreatedV4`` keys); events whose payload was never captured get an
envelope-true sample whose ``data`` is marked as an illustration.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from explorer.core.inbox.model import THUMBTACK_USER_AGENT, Delivery


class Grade(StrEnum):
    """How well an event is known."""

    CONFIRMED = "confirmed by real deliveries"
    SPEC = "from the API description only; payload never captured"
    DOUBTFUL = "listed by the description, contradicted by its own event list"


@dataclass(frozen=True, kw_only=True)
class FollowUp:
    """An API call that usually follows an event, with where its path IDs come from."""

    label: str
    operation_id: str
    params: Mapping[str, str]  # path parameter -> key path in ``data`` ("business.businessID")


@dataclass(frozen=True, kw_only=True)
class ResolvedFollowUp:
    """A follow-up with its IDs read from one delivery; ``missing`` names absent ones."""

    label: str
    operation_id: str
    path_params: Mapping[str, str]
    missing: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass(frozen=True, kw_only=True)
class EventInfo:
    """The meaning of one event type."""

    event_type: str
    meaning: str
    grade: Grade
    advice: tuple[str, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()


_NEGOTIATION = {"negotiationID": "negotiationID"}
_MESSAGE_NEGOTIATION = {"negotiationID": "negotiationID"}
_DEDUPE = (
    "Thumbtack documents no retry policy and self-serve webhooks can run beside API ones, so "
    "the same event may arrive twice: de-duplicate on {key}."
)
_PRESET = (
    "An on-demand (preset) job event. The event name comes from the API description "
    "(second-hand copy); its statuses are won, lost, expired, declined and cancelled and it "
    "has a deepLink, but no real payload has been captured."
)

EVENTS: dict[str, EventInfo] = {
    "NegotiationCreatedV4": EventInfo(
        event_type="NegotiationCreatedV4",
        meaning="A customer contacted the business: a new lead. `data` is the negotiation "
        "(NegotiationV4): customer, request, estimate and lead price. The customer's "
        "e-mail address is not included.",
        grade=Grade.CONFIRMED,
        advice=(
            _DEDUPE.format(key="negotiationID"),
            "Answer 2XX quickly and do the work afterwards: Thumbtack treats 4XX and 5XX as "
            "not processed.",
            "There is no lead-updated event: poll GET /negotiations/{id} for status changes.",
        ),
        follow_ups=(
            FollowUp(
                label="GET the negotiation", operation_id="getNegotiationV4", params=_NEGOTIATION
            ),
            FollowUp(label="List its messages", operation_id="listMessagesV4", params=_NEGOTIATION),
            FollowUp(
                label="Reply with a message", operation_id="sendMessageV4", params=_NEGOTIATION
            ),
        ),
    ),
    "MessageCreatedV4": EventInfo(
        event_type="MessageCreatedV4",
        meaning="The customer or the business sent a message in a negotiation; `from` says "
        "who (Customer or Business). Real customer messages also carry `business`, and "
        "`attachments` can be absent.",
        grade=Grade.CONFIRMED,
        advice=(
            _DEDUPE.format(key="messageID"),
            'Messages can arrive before their negotiation: the "Lead Description" and '
            '"Quick Reply" messages may come first (documented). Both can be ignored.',
            "Do not decide the sender from the presence of `business`; read `from`.",
        ),
        follow_ups=(
            FollowUp(
                label="GET the negotiation",
                operation_id="getNegotiationV4",
                params=_MESSAGE_NEGOTIATION,
            ),
            FollowUp(
                label="List its messages",
                operation_id="listMessagesV4",
                params=_MESSAGE_NEGOTIATION,
            ),
            FollowUp(
                label="Reply with a message",
                operation_id="sendMessageV4",
                params=_MESSAGE_NEGOTIATION,
            ),
        ),
    ),
    "ReviewCreatedV4": EventInfo(
        event_type="ReviewCreatedV4",
        meaning="A customer reviewed the business. The event is in the API description and "
        "the self-serve webhook page lists reviews, but no payload has been captured: the "
        "fields of `data` are unknown.",
        grade=Grade.SPEC,
        follow_ups=(
            FollowUp(
                label="List the business's reviews",
                operation_id="listBusinessReviewsV4",
                params={"businessID": "businessID"},
            ),
            FollowUp(
                label="Respond to the review",
                operation_id="respondToReviewV4",
                params={"businessID": "businessID", "reviewID": "reviewID"},
            ),
        ),
    ),
    "IncentiveUsedV4": EventInfo(
        event_type="IncentiveUsedV4",
        meaning="Listed in the description's webhooks section but not in its business event "
        "types (BusinessWebhookEventTypeV4), so a business webhook probably cannot subscribe "
        "to it. No payload has been captured.",
        grade=Grade.DOUBTFUL,
    ),
    **{
        name: EventInfo(
            event_type=name,
            meaning=f"{_PRESET} This one: {what}.",
            grade=Grade.SPEC,
            follow_ups=(
                FollowUp(
                    label="GET the order", operation_id="getOrderV4", params={"orderID": "orderID"}
                ),
            ),
        )
        for name, what in (
            ("PresetJobMatchedV4", "the job was matched to the business"),
            ("PresetJobStatusChangedV4", "the job's status changed"),
            ("PresetJobCancelledV4", "the job was cancelled"),
            ("PresetJobUpdatedV4", "the job was updated"),
            ("PresetJobCompletedV4", "the job was completed"),
        )
    },
}


def event_info(event_type: str) -> EventInfo | None:
    return EVENTS.get(event_type)


def _dig(data: Mapping[str, Any], key_path: str) -> str | None:
    node: Any = data
    for part in key_path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    if isinstance(node, str | int) and not isinstance(node, bool) and str(node):
        return str(node)
    return None


def follow_ups(event_type: str, data: Mapping[str, Any]) -> list[ResolvedFollowUp]:
    """The follow-up calls of ``event_type`` with IDs read from ``data``."""
    info = EVENTS.get(event_type)
    if info is None:
        return []
    resolved = []
    for follow in info.follow_ups:
        params: dict[str, str] = {}
        missing: list[str] = []
        for name, key_path in follow.params.items():
            value = _dig(data, key_path)
            if value is None:
                missing.append(name)
            else:
                params[name] = value
        resolved.append(
            ResolvedFollowUp(
                label=follow.label,
                operation_id=follow.operation_id,
                path_params=params,
                missing=tuple(missing),
            )
        )
    return resolved


# ------------------------------------------------------------------------- ordering


def ordering_note(delivery: Delivery, negotiation_arrival: int | None) -> str:
    """The documented ordering quirk for a message delivery, or ''.

    ``negotiation_arrival`` is the id of the first recorded ``NegotiationCreatedV4`` with
    this delivery's negotiationID (None when none has arrived).
    """
    if delivery.event_type != "MessageCreatedV4" or not delivery.negotiation_id:
        return ""
    quirk = (
        ' Thumbtack documents that a negotiation\'s first messages ("Lead Description", '
        '"Quick Reply") can arrive before the lead itself.'
    )
    if negotiation_arrival is None:
        return (
            f"This message's negotiation ({delivery.negotiation_id}) has not arrived yet." + quirk
        )
    if delivery.id is not None and negotiation_arrival > delivery.id:
        return (
            f"This message arrived before its negotiation ({delivery.negotiation_id}), which "
            f"came later as delivery #{negotiation_arrival}." + quirk
        )
    return ""


# -------------------------------------------------------------------------- samples


@dataclass(frozen=True, kw_only=True)
class SampleDelivery:
    """A delivery as Thumbtack would send it; ``note`` says how true its data is."""

    event_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...]
    note: str


def new_id() -> str:
    """An 18-digit numeric ID like Thumbtack's (int64 sent as a string)."""
    return str(5 * 10**17 + secrets.randbelow(4 * 10**17))


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def delivery_headers(length: int) -> tuple[tuple[str, str], ...]:
    """The headers of a Thumbtack delivery (Go's HTTP client), before credentials."""
    return (
        ("User-Agent", THUMBTACK_USER_AGENT),
        ("Content-Length", str(length)),
        ("Content-Type", "application/json"),
        ("Accept-Encoding", "gzip"),
    )


def sample_delivery(
    event_type: str,
    *,
    webhook_id: str | None = None,
    business_id: str | None = None,
    negotiation_id: str | None = None,
    now: datetime | None = None,
) -> SampleDelivery:
    """A realistic delivery of ``event_type`` (raises KeyError for an unknown event)."""
    if event_type not in EVENTS:
        known = ", ".join(EVENTS)
        raise KeyError(f"'{event_type}' is not a webhook event; choose one of {known}.")
    moment = now or datetime.now(UTC)
    business = business_id or new_id()
    negotiation = negotiation_id or new_id()
    data, note = _sample_data(event_type, business, negotiation, moment)
    payload = {
        "event": {
            "eventType": event_type,
            "description": "",
            "webhookID": webhook_id or new_id(),
            "triggeredAt": _stamp(moment),
        },
        "data": data,
    }
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return SampleDelivery(
        event_type=event_type, body=body, headers=delivery_headers(len(body)), note=note
    )


def _sample_data(
    event_type: str, business: str, negotiation: str, moment: datetime
) -> tuple[dict[str, Any], str]:
    customer = new_id()
    if event_type == "NegotiationCreatedV4":
        start = (moment + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
        return {
            "negotiationID": negotiation,
            "createdAt": _stamp(moment - timedelta(seconds=5)),
            "status": "Open",
            "chargeState": "Created",
            "leadPrice": "$25.00",
            "leadPriceBreakdown": {"subtotal": "$23.15", "salesTax": "$1.85"},
            "business": {"businessID": business, "name": "Test Business for Webhooks"},
            "customer": {
                "customerID": customer,
                "firstName": "Test",
                "lastName": "Customer",
                "phone": "1234567890",
            },
            "estimate": {
                "type": "Fixed",
                "total": "$150.00",
                "pricePerUnit": "150.00",
                "unitName": "service",
                "unitQuantity": 1,
            },
            "request": {
                "requestID": new_id(),
                "customerID": customer,
                "category": {"categoryID": "240123621172183344", "name": "Full Service Lawn Care"},
                "description": "Test request: mow the front and back lawn.",
                "location": {
                    "address1": "123 Main St",
                    "address2": "Apt 4B",
                    "city": "San Francisco",
                    "state": "CA",
                    "zipCode": "94103",
                },
                "details": [{"question": "Frequency of services", "answer": "One time only"}],
                "proposedTimes": [
                    {"start": _stamp(start), "end": _stamp(start + timedelta(hours=1))}
                ],
                "attachments": [
                    {
                        "fileName": "lawn.jpg",
                        "mimeType": "image/jpeg",
                        "fileSize": 20480,
                        "url": "https://example.com/lawn.jpg",
                    }
                ],
                "travelPreferences": ["ProviderTravelToCustomer"],
                "contactedBusinesses": [],
            },
        }, (
            'Modelled on Thumbtack\'s real test lead ("Test Business for Webhooks", '
            '"Test Customer", Fixed $150.00, lead price $25.00); IDs are fresh.'
        )
    if event_type == "MessageCreatedV4":
        return {
            "messageID": new_id(),
            "negotiationID": negotiation,
            "customer": {"customerID": customer, "displayName": "Test C."},
            "business": {"businessID": business, "displayName": "Test Business for Webhooks"},
            "from": "Customer",
            "text": "Hi! Is Saturday morning still available?",
            "sentAt": _stamp(moment),
        }, (
            "The keys of a real MessageCreatedV4 delivery (a customer message carries "
            "`business` too, and no `attachments`); text and IDs are made up."
        )
    if event_type == "ReviewCreatedV4":
        return {
            "reviewID": new_id(),
            "businessID": business,
            "negotiationID": negotiation,
            "rating": 5,
            "reviewText": "Quick, friendly and tidy.",
            "reviewerName": "Test C.",
            "createTime": _stamp(moment),
        }, (
            "Illustration only: no ReviewCreatedV4 payload has been captured. These fields "
            "follow the API's Review object and may not be what Thumbtack sends."
        )
    if event_type.startswith("PresetJob"):
        status = {
            "PresetJobCancelledV4": "cancelled",
            "PresetJobCompletedV4": "won",
        }.get(event_type, "won")
        return {
            "orderID": new_id(),
            "businessID": business,
            "status": status,
            "deepLink": "https://www.thumbtack.com/pro",
        }, (
            f"Illustration only: no {event_type} payload has been captured; only its "
            "statuses and a deepLink are described. Field names here are guesses."
        )
    return {"businessID": business}, (
        f"Illustration only: no {event_type} payload has been captured."
    )
