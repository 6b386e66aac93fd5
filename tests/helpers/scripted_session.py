"""A scripted session with known secrets and customer data, for "nothing leaks" tests.

The values are distinctive so a search of raw bytes for them cannot match by chance. The
customer comes from the NegotiationV4 example of the reference (Dana Reyes, 123 Main St).
"""

from __future__ import annotations

import base64
import json

from explorer.core.models import RequestSpec, ResponseRecord, Timing

CLIENT_ID = "tt-client-4411"
CLIENT_SECRET = "cs_live_Q8zT5wLm2pR7vX1nB4kJ"
ACCESS_TOKEN = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiI1OTAyOTkzNDQ3NzAxNjI3MDMiLCJhdWQiOiJ1cm46cGFydG5lci1hcGkiLCJleHAiOjE4MDB9."
    "Zm9vYmFyLXNpZ25hdHVyZS1mb3ItdGVzdHMtb25seQ"
)
REFRESH_TOKEN = "rt_9Hc2Wq7Yz3Lp0Vb8Nd6Tf1Xs"
AUTH_CODE = "ac_7Gm3Kq9Zr2Tw5Yv8"
CODE_VERIFIER = "cv_R3dT8mQ1wZ6yL0pK4nV7bX2cF5hJ9sG"
KNOWN_SECRETS = (CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN)
SECRETS = (CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, AUTH_CODE, CODE_VERIFIER)

FIRST_NAME = "Dana"
LAST_NAME = "Reyes"
PHONE = "5615550142"
PHONE_FORMATTED = "(561) 555-0142"
EMAIL = "dana.reyes@example.com"
ADDRESS1 = "123 Main St"
ADDRESS2 = "Apt 4B"
PERSONAL = (LAST_NAME, PHONE, PHONE_FORMATTED, EMAIL, ADDRESS1)

NEGOTIATION = {
    "event": {"eventType": "NegotiationCreatedV4", "webhookID": "590298304139583503"},
    "data": {
        "negotiationID": "590299344770662410",
        "status": "Open",
        "business": {"businessID": "590297085345701895", "name": "Acme Junk Removal"},
        "customer": {
            "customerID": "590299344770162703",
            "firstName": FIRST_NAME,
            "lastName": LAST_NAME,
            "phone": PHONE,
        },
        "request": {
            "requestID": "590299344772112393",
            "category": {"categoryID": "240123621172183344", "name": "Junk Removal"},
            "description": f"Call me on {PHONE_FORMATTED} or write to {EMAIL}.",
            "location": {
                "address1": ADDRESS1,
                "address2": ADDRESS2,
                "city": "Lake Worth",
                "state": "FL",
                "zipCode": "33460",
            },
        },
    },
}

TOKEN_URL = "https://auth.thumbtack.test/oauth2/token"
API = "https://api.thumbtack.test/api/v4"


def basic_header() -> str:
    raw = f"{CLIENT_ID}:{CLIENT_SECRET}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def token_exchange() -> ResponseRecord:
    """The authorization-code token request and its response."""
    form = (
        f"grant_type=authorization_code&code={AUTH_CODE}&code_verifier={CODE_VERIFIER}"
        f"&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback"
    )
    spec = RequestSpec(
        method="POST",
        url=TOKEN_URL,
        headers=(
            ("Authorization", basic_header()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ),
        body=form.encode(),
        operation_id="oauthToken",
    )
    body = {
        "access_token": ACCESS_TOKEN,
        "refresh_token": REFRESH_TOKEN,
        "token_type": "bearer",
        "expires_in": 3600,
    }
    return ResponseRecord(
        request=spec,
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        headers=(("Content-Type", "application/json"), ("Set-Cookie", f"sid={REFRESH_TOKEN}")),
        body=json.dumps(body).encode(),
        timing=Timing(dns_ms=1.0, connect_ms=2.0, send_ms=0.5, wait_ms=20.0, total_ms=25.0),
        started_at="2026-09-15T04:02:24Z",
        url=TOKEN_URL,
    )


def negotiation_exchange(status: int = 200) -> ResponseRecord:
    """An API call with the access token, answered with customer data."""
    url = f"{API}/negotiations/590299344770662410?access_token={ACCESS_TOKEN}"
    spec = RequestSpec(
        method="GET",
        url=url,
        headers=(("Authorization", f"Bearer {ACCESS_TOKEN}"), ("Accept", "application/json")),
        operation_id="getNegotiationV4",
    )
    return ResponseRecord(
        request=spec,
        status=status,
        reason="OK" if status == 200 else "Error",
        http_version="HTTP/1.1",
        headers=(("Content-Type", "application/json"), ("X-Trace-Id", "trace-123")),
        body=json.dumps(NEGOTIATION, indent=2).encode(),
        timing=Timing(wait_ms=30.0, total_ms=41.5),
        started_at="2026-09-15T04:03:00Z",
        url=url,
    )


def error_exchange() -> ResponseRecord:
    """A 401 whose body quotes the token (as some servers do)."""
    spec = RequestSpec(
        method="GET",
        url=f"{API}/businesses",
        headers=(("Authorization", f"Bearer {ACCESS_TOKEN}"),),
        operation_id="listBusinessesV4",
    )
    problem = {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": f"token {ACCESS_TOKEN} has expired",
        "traceID": "abc-401",
    }
    return ResponseRecord(
        request=spec,
        status=401,
        reason="Unauthorized",
        headers=(("Content-Type", "application/problem+json"),),
        body=json.dumps(problem).encode(),
        timing=Timing(total_ms=12.0),
    )


def all_exchanges() -> list[ResponseRecord]:
    return [token_exchange(), negotiation_exchange(), error_exchange()]


def leaks(data: bytes, values: tuple[str, ...]) -> list[str]:
    """Which of ``values`` appear in ``data`` (as UTF-8, JSON-escaped or URL-encoded)."""
    from urllib.parse import quote

    found = []
    for value in values:
        forms = {value, json.dumps(value)[1:-1], quote(value, safe="")}
        if any(form.encode() in data for form in forms):
            found.append(value)
    return found
