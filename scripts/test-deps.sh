#!/usr/bin/env bash
# Installs what the tests use beyond Python:
# - the toolchains that run the generated "Copy as …" programs (Go, Java, PHP with Guzzle,
#   Ruby, Node.js): with apt when run as root, otherwise it prints the exact apt line;
# - the npm packages of the local OAuth 2.0 server (tests/oauth_server) and of the Node.js
#   copies (axios, tests/codegen_node), pinned by their package-lock.json files.
# Idempotent: a second run only compares checksums. A missing toolchain is not an error:
# the tests that need it skip and say which package to install.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_TOOLCHAINS="golang-go default-jdk-headless php-cli php-guzzlehttp-guzzle ruby"
if command -v dpkg-query >/dev/null 2>&1 && [ -z "${THUMBTACK_SKIP_TOOLCHAINS:-}" ]; then
  missing=""
  for pkg in $APT_TOOLCHAINS; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $pkg"
    fi
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "Installing the toolchains the code-generation tests run:$missing"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq || true
      # shellcheck disable=SC2086
      apt-get install -y -qq --no-install-recommends $missing >/dev/null \
        || echo "Some toolchains could not be installed; their tests will be skipped." >&2
    else
      echo "The code-generation tests skip the languages whose toolchain is missing." >&2
      echo "To run them all: sudo apt-get install -y$missing" >&2
    fi
  fi
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: the OAuth 2.0 server and Node.js copy tests will be skipped" \
    "(install Node.js >= 20.19)." >&2
  exit 0
fi
for dir in tests/oauth_server tests/codegen_node; do
  stamp="$dir/node_modules/.stamp-lock"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    continue
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
done
