#!/usr/bin/env bash
# Installs the benchmark's yardsticks from PyPI, each in its own virtual environment under
# .bench-tools/ (never into the program's .venv): HTTPie (the CLI's yardstick) and Posting
# (the window's start-up yardstick; tree-sitter 0.25.2, as 0.26.1 crashes). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
tool() {
  local name="$1" check="$2"; shift 2
  local venv=".bench-tools/$name"
  if [ -x "$venv/bin/$check" ]; then return 0; fi
  echo "Installing the yardstick $name into $venv ..."
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install -q "$@"
}
tool httpie http httpie
tool posting posting posting "tree-sitter==0.25.2"
