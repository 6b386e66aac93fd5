#!/usr/bin/env bash
# Installs the npm packages the tests use (the local OAuth 2.0 server in tests/oauth_server),
# pinned by its package-lock.json. Idempotent: a second run only compares a checksum.
# Without Node.js it says so and succeeds: the tests that need the server then skip.
set -euo pipefail
cd "$(dirname "$0")/../tests/oauth_server"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: the OAuth 2.0 server tests will be skipped (install Node.js >= 20.19)." >&2
  exit 0
fi
stamp="node_modules/.stamp-lock"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -d node_modules/oauth2-mock-server ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
