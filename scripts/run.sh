#!/usr/bin/env bash
# Sets everything up, then opens the main window on the embedded Sandbox.
# Extra arguments go to the program, e.g.: scripts/run.sh --theme dark
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/thumbtack-explorer "$@"
