"""Import and code-generation speed, each beside a yardstick measured in the same run.

* curl paste: :func:`parse_curl` of a curl line as Thumbtack's docs show it (with secret
  detection and the catalog match) against ``shlex.split`` of the same text;
* HAR import: :func:`har_plan` of a 500-entry browser log against ``json.loads`` of it;
* Postman export: :func:`suite_to_postman` of 500 saved requests against ``json.dumps``
  of their documents;
* code: :func:`generate` for all 13 targets of one request against ``shlex.join`` of the
  curl argv built by hand (what string concatenation would cost).

Not a test: ``.venv/bin/python -m bench.bench_interop [--json]``. Figures depend on the
machine and its load.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import time
from collections.abc import Callable

from bench.report import Figure, table
from explorer.core.catalog import load_default_catalog
from explorer.core.codegen import TARGETS, generate
from explorer.core.curl_import import parse_curl
from explorer.core.har_io import har_plan
from explorer.core.interchange import ImportedRequest, Suite
from explorer.core.postman import suite_to_postman
from explorer.core.request_match import match_operation
from explorer.core.saved import SavedRequest

DOCS_CURL = """curl --request POST \\
     --url https://api.thumbtack.com/api/v4/requests \\
     --header 'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXJ0bmVyIn0.c2lnbmF0dXJl' \\
     --header 'accept: application/json' \\
     --header 'content-type: application/json' \\
     --data '{"searchID":"548954743629463556","businessIDs":["468046965846925323"],
"categoryID":"201565295100608806","utmData":{"utm_source":"cma-admin"}}'"""


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _har(entries: int) -> str:
    entry = {
        "_resourceType": "fetch",
        "request": {
            "method": "POST",
            "url": "https://api.thumbtack.com/api/v4/negotiations/548954743629463556/messages",
            "headers": [
                {"name": ":authority", "value": "api.thumbtack.com"},
                {"name": "authorization", "value": "Bearer eyJhbGciOiJSUzI1NiJ9.eyJ4IjoxfQ.c2ln"},
                {"name": "content-type", "value": "application/json"},
            ],
            "postData": {"mimeType": "application/json", "text": '{"text":"Saturday works!"}'},
        },
        "response": {
            "status": 200,
            "statusText": "",
            "headers": [{"name": "content-type", "value": "application/json"}],
            "content": {"mimeType": "application/json", "text": '{"messageID":"2"}' * 20},
        },
    }
    return json.dumps({"log": {"version": "1.2", "entries": [entry] * entries}})


def measure(repeat: int) -> list[Figure]:
    catalog = load_default_catalog()
    figures = []
    curl_ms = _median_ms(lambda: match_operation(catalog, parse_curl(DOCS_CURL).spec), repeat)
    split_ms = _median_ms(lambda: shlex.split(DOCS_CURL), repeat)
    figures.append(
        Figure(
            name="curl paste (parse + secrets + match)",
            unit="ms",
            value=curl_ms,
            yardstick="shlex.split",
            yardstick_value=split_ms,
            target=None,
            samples=repeat,
        )
    )
    har = _har(500)
    figures.append(
        Figure(
            name="HAR import, 500 entries",
            unit="ms",
            value=_median_ms(lambda: har_plan(har), max(3, repeat // 20)),
            yardstick="json.loads",
            yardstick_value=_median_ms(lambda: json.loads(har), max(3, repeat // 20)),
            target=None,
            samples=max(3, repeat // 20),
        )
    )
    saved = SavedRequest(
        name="Send",
        method="POST",
        url="{{baseUrl}}/api/v4/x",
        headers=(("Authorization", "Bearer {{access_token}}"),),
        body={"text": "hi"},
        body_is_json=True,
    )
    suite = Suite(
        name="s",
        requests=tuple(ImportedRequest(folder=f"f{i % 10}", request=saved) for i in range(500)),
    )
    documents = [item.request.to_document() for item in suite.requests]
    figures.append(
        Figure(
            name="Postman export, 500 requests",
            unit="ms",
            value=_median_ms(lambda: suite_to_postman(suite), max(3, repeat // 20)),
            yardstick="json.dumps",
            yardstick_value=_median_ms(lambda: json.dumps(documents), max(3, repeat // 20)),
            target=None,
            samples=max(3, repeat // 20),
        )
    )
    spec = parse_curl(DOCS_CURL).spec
    generate("curl", spec)  # templates compiled once per process, as in the window

    def by_hand() -> str:
        argv = ["curl", spec.url, "--request", spec.method]
        for key, value in spec.headers:
            argv += ["--header", f"{key}: {value}"]
        return shlex.join([*argv, "--data-raw", (spec.body or b"").decode()])

    figures.append(
        Figure(
            name="code, all 13 targets",
            unit="ms",
            value=_median_ms(lambda: [generate(t.id, spec) for t in TARGETS], repeat),
            yardstick="shlex.join x13",
            yardstick_value=_median_ms(lambda: [by_hand() for _ in TARGETS], repeat),
            target=None,
            samples=repeat,
        )
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    figures = measure(args.repeat)
    if args.json:
        print(json.dumps([f.to_json() for f in figures], indent=2))
    else:
        print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
