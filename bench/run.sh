#!/usr/bin/env bash
# Runs the benchmark suite (figures beside their yardsticks, with ratios and targets).
# Arguments go to `python -m bench`, e.g.: bench/run.sh --json bench-results.json
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec .venv/bin/python -m bench "$@"
