"""Sends COUNT webhook-like deliveries to URL, CONCURRENCY at a time, from its own process.

    python bench/burst.py URL COUNT CONCURRENCY

Prints one JSON line: how long the burst took and the statuses it got back.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx

from explorer.core.inbox.events import sample_delivery


def main() -> int:
    url, count, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    bodies = [sample_delivery("MessageCreatedV4").body for _ in range(count)]
    limits = httpx.Limits(max_connections=concurrency)
    with httpx.Client(timeout=60, limits=limits) as client:

        def post(body: bytes) -> int:
            headers = {"Content-Type": "application/json", "User-Agent": "Go-http-client/1.1"}
            return client.post(url, content=body, headers=headers).status_code

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            statuses = list(pool.map(post, bodies))
        elapsed = time.perf_counter() - started
    print(json.dumps({"elapsed_s": elapsed, "statuses": sorted(set(statuses)), "sent": count}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
