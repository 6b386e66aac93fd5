#!/usr/bin/env bash
# Sets up everything the program needs on Debian/Ubuntu: Qt's system libraries (with apt when
# run as root, otherwise it prints the exact apt line), a virtual environment in .venv and the
# package with its test tools. Idempotent: a second run only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "Python 3.11 or newer is needed: sudo apt-get install -y python3 python3-venv" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Python 3.11 or newer is needed; $PYTHON is $("$PYTHON" -V 2>&1)." >&2
  exit 1
fi

# Qt's libraries for offscreen use, plus Xvfb for a real window on a machine with no screen.
APT_PACKAGES="libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 \
libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
libxcb-render-util0 libxcb-shape0 libxcb-xkb1 xvfb xauth fonts-dejavu-core desktop-file-utils curl"
if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for pkg in $APT_PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $pkg"
    fi
  done
  if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    missing="$missing python3-venv"
  fi
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "Installing system packages:$missing"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      # shellcheck disable=SC2086
      apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      echo "Some system packages are missing. Install them with:" >&2
      echo "  sudo apt-get install -y$missing" >&2
      exit 1
    fi
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv"
  "$PYTHON" -m venv .venv
fi

# Reinstall only when the project's metadata changed.
stamp=".venv/.stamp-install"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing the program and its test tools into .venv (first run takes a minute)"
  # (Lines about unreachable extra package indexes in a machine's pip config are noise.)
  .venv/bin/python -m pip install -q --upgrade pip 2> >(grep -v "is ignored: it is neither" >&2)
  .venv/bin/python -m pip install -q -e '.[dev]' 2> >(grep -v "is ignored: it is neither" >&2)
  echo "$want" > "$stamp"
fi
