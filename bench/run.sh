#!/usr/bin/env bash
# The whole benchmark report in one command: every figure of the program beside its
# yardstick from the same run, with ratio and target; writes bench/results.json (or the
# file given with --json) and regenerates the README's table of figures from it.
# Other arguments go to `python -m bench`, e.g.: bench/run.sh --only start --runs 3
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
bench/tools.sh
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
out="bench/results.json"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --json) out="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
.venv/bin/python -m bench --json "$out" "${args[@]}"
.venv/bin/python -m bench.readme "$out" README.md
