"""Redaction speed: how long the one redaction function takes on large bodies.

Prints figures for JSON (walked and re-serialised when a key is masked), form and plain
text bodies of about 1 and 10 MB, with and without personal data. Not a test: run it with
``.venv/bin/python bench/bench_redact.py``.
"""

from __future__ import annotations

import json
import statistics
import time

from explorer.core.redact import RedactionPolicy, Redactor

SECRET = "cs_live_9f8e7d6c5b4a39281706"
JWT = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1OTAyOTkzNDQ3NzAxNjI3MDMiLCJhdWQiOiJ1cm46"
    "cGFydG5lci1hcGkifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU"
)


def negotiation(index: int) -> dict[str, object]:
    return {
        "negotiationID": str(590299344770662410 + index),
        "status": "Open",
        "createdAt": "2026-09-15T04:02:24Z",
        "leadPrice": "$25.00",
        "business": {"businessID": "590297085345701895", "name": "Acme Junk Removal"},
        "customer": {
            "customerID": str(590299344770162703 + index),
            "firstName": "Dana",
            "lastName": "Reyes",
            "phone": "5615550142",
        },
        "request": {
            "requestID": str(590299344772112393 + index),
            "category": {"categoryID": "240123621172183344", "name": "Junk Removal"},
            "description": "Please call (561) 555-0142 or write to dana.reyes@example.com. "
            "The pile is behind 123 Main St Apt 4B, next to the garage.",
            "location": {
                "address1": "123 Main St",
                "address2": "Apt 4B",
                "city": "Lake Worth",
                "state": "FL",
                "zipCode": "33460",
            },
            "details": [{"question": "Frequency of services", "answer": "One time only"}],
        },
    }


def json_body(target: int, *, with_token: bool) -> bytes:
    one = len(json.dumps(negotiation(0)))
    items = [negotiation(i) for i in range(target // one + 1)]
    document: dict[str, object] = {"data": items, "pagination": {"limit": len(items)}}
    if with_token:
        document["access_token"] = JWT
    return json.dumps(document).encode()


def measure(label: str, redactor: Redactor, body: bytes, content_type: str) -> None:
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        redactor.redact_body(body, content_type)
        runs.append(time.perf_counter() - start)
    print(
        f"{label:<52} {len(body) / 1e6:6.1f} MB  median {statistics.median(runs) * 1000:7.0f} ms"
        f"  (min {min(runs) * 1000:.0f})"
    )


def main() -> None:
    storage = Redactor(RedactionPolicy.for_storage([SECRET, JWT]))
    presentation = Redactor(RedactionPolicy.for_presentation([SECRET, JWT]))
    for size in (1_000_000, 10_000_000):
        plain = json_body(size, with_token=False)
        token = json_body(size, with_token=True)
        measure("JSON, secrets only, nothing to mask", storage, plain, "application/json")
        measure("JSON, secrets only, token key masked", storage, token, "application/json")
        measure("JSON, presentation (personal data)", presentation, token, "application/json")
        text = plain.decode().replace('"', " ").encode()
        measure("text/plain, presentation", presentation, text, "text/plain")
        form = (
            "&".join(f"field{i}=value{i}" for i in range(size // 16)) + f"&client_secret={SECRET}"
        ).encode()
        measure("form-urlencoded, secrets only", storage, form, "application/x-www-form-urlencoded")


if __name__ == "__main__":
    main()
