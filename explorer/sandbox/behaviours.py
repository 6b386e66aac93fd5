"""The Sandbox's behaviour catalogue: what it does beyond single answers, with evidence.

Each entry says what the Sandbox does and how well that is known about Thumbtack:
*documented* (Thumbtack's own page), *observed* (real traffic partners captured) or
*inferred* (the Sandbox's own choice, kept because it helps practice). The window's
Sandbox menu and ``thumbtack-explorer sandbox --behaviours`` list them; the faults have
their own catalogue in :mod:`explorer.sandbox.faults`.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.evidence import Evidence

_DOC, _OBS, _INF = Evidence.DOCUMENTED, Evidence.OBSERVED, Evidence.INFERRED


@dataclass(frozen=True, kw_only=True)
class Behaviour:
    """One thing the Sandbox does, and the evidence for it at Thumbtack."""

    id: str
    title: str
    does: str  # what the Sandbox does
    evidence: Evidence
    note: str = ""  # the source, or what is not known

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "does": self.does,
            "evidence": self.evidence.value,
            "evidence_label": self.evidence.label,
            "note": self.note,
        }


BEHAVIOURS: tuple[Behaviour, ...] = (
    Behaviour(
        id="missing-scope-401",
        title="Missing scope is a 401",
        does="A token without the route's scope gets 401 with detail "
        "'required scope(s) [<scope>] not found' and a traceID.",
        evidence=_OBS,
        note="A real staging run (2026-07-22) got exactly this for supply::businesses.list.",
    ),
    Behaviour(
        id="client-credentials-on-user-route",
        title="Application token on a user route",
        does="A client-credentials token on a route that acts for a signed-in user gets the "
        "same 401 'required scope(s) [<scope>] not found'.",
        evidence=_INF,
        note="No real answer is known; a client-credentials token cannot hold a user "
        "route's scope, so the missing-scope 401 is the likely one.",
    ),
    Behaviour(
        id="trace-id-on-401",
        title="401 bodies carry traceID",
        does="Every 401 ProblemDetails (type about:blank) carries a traceID.",
        evidence=_OBS,
        note="Seen on real 401s in 2026; the troubleshooting page's example predates it.",
    ),
    Behaviour(
        id="malformed-token",
        title="Malformed bearer token",
        does="A bearer value that is not a token at all gets its own 401 "
        "('token is malformed'), not 'token is not active'.",
        evidence=_INF,
        note="The real wording is not known.",
    ),
    Behaviour(
        id="token-not-active",
        title="Expired or revoked token",
        does="401 'invalid token. failure reason(s): [token is not active]'.",
        evidence=_DOC,
        note="Troubleshooting page.",
    ),
    Behaviour(
        id="invalid-client-token-server",
        title="invalid_client only from the token server",
        does="invalid_client (401) comes only from /oauth2/token, never from an API route.",
        evidence=_DOC,
        note="Troubleshooting page: 'HTTP 401 from /oauth2/token'.",
    ),
    Behaviour(
        id="rate-limit",
        title="120 requests a minute per client",
        does="A token bucket of 120 requests a minute per client (per address without a "
        "token); past it, 429.",
        evidence=_INF,
        note="Only a bare 429 is documented; Thumbtack publishes no numeric limit for v4.",
    ),
    Behaviour(
        id="retry-after",
        title="Retry-After on 429 and 503",
        does="The Sandbox's own 429 (from its limit) and 503 carry Retry-After.",
        evidence=_INF,
        note="Thumbtack documents no rate-limit or Retry-After headers. Kept so a client "
        "can practise waiting; the rate-limited fault answers a bare 429.",
    ),
    Behaviour(
        id="problem-type-uris",
        title="ProblemDetails type URIs",
        does="ProblemDetails bodies use type URIs under https://api.thumbtack.com/problems/ "
        "(forbidden, not-found, rate-limited, internal-error…).",
        evidence=_INF,
        note="Only …/problems/validation-error is documented; the other URIs are the "
        "Sandbox's. Do not branch on them.",
    ),
    Behaviour(
        id="webhook-envelope",
        title="Webhook envelope",
        does='Deliveries are {event: {eventType, triggeredAt, webhookID, description: ""}, data}.',
        evidence=_OBS,
        note='Real NegotiationCreatedV4 and MessageCreatedV4 deliveries; description is always "".',
    ),
    Behaviour(
        id="webhook-headers",
        title="Webhook delivery headers",
        does="Deliveries carry Content-Type: application/json and User-Agent: "
        "Go-http-client/1.1, and no signature header; Basic or custom-header credentials "
        "only when the webhook registered them.",
        evidence=_OBS,
        note="Logged real deliveries (request metadata); nothing documents a signature.",
    ),
    Behaviour(
        id="webhook-retries",
        title="Webhook retries with backoff",
        does="A delivery that fails or gets a non-2XX answer is tried up to 3 times with "
        "exponential backoff.",
        evidence=_INF,
        note="Thumbtack documents no retry policy.",
    ),
    Behaviour(
        id="webhook-order",
        title="Deliveries in creation order",
        does="The Sandbox delivers in creation order.",
        evidence=_INF,
        note="Thumbtack documents that order is not guaranteed (a message can arrive "
        "before its lead); do not rely on it.",
    ),
    Behaviour(
        id="message-created-shape",
        title="MessageCreatedV4 shape",
        does="Every message names both customer and business; attachments is absent when "
        "there are none; from is Customer or Business.",
        evidence=_OBS,
        note="Real MessageCreatedV4 deliveries (2026-09-30).",
    ),
    Behaviour(
        id="test-lead",
        title="The test lead",
        does="test-negotiation sends Thumbtack's fixed test lead: a Full Service Lawn Care "
        "request at 123 Main St, Apt 4B, San Francisco 94103 with a photo, Test Customer "
        "(phone 1234567890, a fresh 18-digit customerID), the business's real ID named "
        "'Test Business for Webhooks', no contacted businesses, no links.",
        evidence=_OBS,
        note="Two real test-lead deliveries. The route's own answer (200 {}) is inferred.",
    ),
    Behaviour(
        id="business-event-types",
        title="Business webhook event types",
        does="Business webhooks accept eight event types; IncentiveUsedV4 is refused (400).",
        evidence=_INF,
        note="A third-party reading of Thumbtack's OpenAPI file: BusinessWebhookEventTypeV4 "
        "excludes IncentiveUsedV4.",
    ),
    Behaviour(
        id="webhook-list-limit",
        title="Webhook list pagination",
        does="Webhook lists answer pagination.limit 10.",
        evidence=_OBS,
        note="A real stored business webhook list.",
    ),
    Behaviour(
        id="write-success-statuses",
        title="Success statuses of six writes",
        does="Messages, phone create, phone bulk create and orders answer 200; "
        "test-negotiation answers 200 {}; users/disconnect answers 204.",
        evidence=_INF,
        note="The real codes are not known (partners accept 200 or 201 for messages); the "
        "Sandbox answers what the description says. Webhook create's 201 is documented.",
    ),
    Behaviour(
        id="job-status-side-effect",
        title="Job status moves the lead's status",
        does="Setting a job status also moves the negotiation's status to Picked or Canceled.",
        evidence=_INF,
        note="No source mentions this side effect.",
    ),
    Behaviour(
        id="property-types",
        title="Homecare property types",
        does="propertyType accepts the legacy homecare list (unknown, apartment, "
        "single_family_home, commercial, townhouse, multi_family, other) in any case.",
        evidence=_INF,
        note="v4 documents only the example townhouse; the list is the official legacy one.",
    ),
    Behaviour(
        id="phone-numbers-e164",
        title="Phone numbers",
        does="users/self and Business.phoneNumber are E.164 (+1…); a negotiation's "
        "customer.phone is ten digits.",
        evidence=_OBS,
        note="Real stored users/self and businesses answers; real deliveries.",
    ),
    Behaviour(
        id="refresh-rotation",
        title="Refresh tokens rotate",
        does="Each refresh returns a new refresh token; the used one works for 60 more seconds.",
        evidence=_DOC,
        note="Authentication page.",
    ),
    Behaviour(
        id="revoke-endpoint",
        title="/oauth2/revoke",
        does="The Sandbox serves RFC 7009 revocation at /oauth2/revoke.",
        evidence=_INF,
        note="Not documented for Thumbtack (its auth server may have it).",
    ),
    Behaviour(
        id="one-client-per-flow",
        title="One client per flow",
        does="Three demo clients: the application (client credentials only), the customer "
        "and the pro (authorization code only). The other flow gets unauthorized_client.",
        evidence=_DOC,
        note="The exact-search page describes a clientCredentials and an authorizationCode "
        "client; partners keep two client IDs.",
    ),
    Behaviour(
        id="loopback-webhook-urls",
        title="http:// webhooks on this computer",
        does="Besides https:// URLs, webhook URLs on 127.0.0.1 or localhost over http:// "
        "are accepted, for local receivers.",
        evidence=_INF,
        note="Thumbtack requires https://; the loopback exception is the Sandbox's own.",
    ),
)

BEHAVIOURS_BY_ID: dict[str, Behaviour] = {b.id: b for b in BEHAVIOURS}
