"""A small keep-alive HTTP/1.1 server on 127.0.0.1 for the request benchmark.

Runs in its own process (``python bench/loopback_server.py``) so it does not share the
client's interpreter lock; prints ``PORT <n>`` once listening and serves until stdin
closes or it is terminated. ``GET /small`` answers a ~300-byte JSON document.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading

SMALL = json.dumps(
    {
        "data": [
            {"businessID": "590297085345701895", "name": "Acme Junk Removal", "status": "Active"},
            {"businessID": "590297085345701896", "name": "Bright Cleaning", "status": "Active"},
        ],
        "pagination": {"limit": 2, "nextPageToken": None},
    }
).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the small JSON document, keeping the connection open."""

    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; without this, Nagle's algorithm and the
    # client's delayed ACK add 40 ms to every request and hide what is being measured.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(SMALL)))
        self.end_headers()
        self.wfile.write(SMALL)

    def log_message(self, *_args: object) -> None:
        pass


def main() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdin.read()  # the parent closes our stdin to stop us
    server.shutdown()


if __name__ == "__main__":
    main()
