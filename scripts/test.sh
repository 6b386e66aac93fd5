#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite: lint, format check, types, the
# "core has no Qt" import contract, and pytest (offscreen). Fails if any of them fails.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh || exit 1
if [ -x scripts/test-deps.sh ]; then scripts/test-deps.sh || exit 1; fi
export QT_QPA_PLATFORM=offscreen
# In CI the suite also builds the PyInstaller bundle and starts it (about a minute).
if [ -n "${CI:-}" ] && [ -z "${THUMBTACK_TEST_BUNDLE:-}" ]; then export THUMBTACK_TEST_BUNDLE=1; fi
status=0
step() { echo "== $*"; "$@" || status=1; }
sources=""
for dir in explorer tests bench packaging; do [ -d "$dir" ] && sources="$sources $dir"; done
# shellcheck disable=SC2086
step .venv/bin/ruff check $sources
# shellcheck disable=SC2086
step .venv/bin/ruff format --check $sources
step .venv/bin/mypy
step .venv/bin/lint-imports
step .venv/bin/python -m pytest "$@"
if [ "$status" -ne 0 ]; then echo "== FAILED: see the steps above"; fi
exit "$status"
