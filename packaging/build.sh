#!/usr/bin/env bash
# Builds the one-folder application dist/thumbtack-explorer/ with PyInstaller, then checks
# that it starts (renders its window offscreen to a PNG) and prints the build time and size.
# Sets up .venv first (scripts/bootstrap.sh) and installs PyInstaller from the `package`
# extra when it is missing. Run it from anywhere: packaging/build.sh
# With --archive it also packs dist/thumbtack-explorer-VERSION-linux-ARCH.tar.gz to hand out.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=no
case "${1:-}" in
  "") ;;
  --archive) archive=yes ;;
  *) echo "usage: packaging/build.sh [--archive]" >&2; exit 2 ;;
esac
scripts/bootstrap.sh
if ! .venv/bin/python -c 'import PyInstaller' >/dev/null 2>&1; then
  echo "Installing PyInstaller (the 'package' extra) into .venv"
  .venv/bin/python -m pip install -q -e '.[dev,package]'
fi

started=$(date +%s.%N)
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/thumbtack-explorer.spec
finished=$(date +%s.%N)

bundle=dist/thumbtack-explorer
cp packaging/thumbtack-explorer.desktop packaging/install-desktop.sh "$bundle/"
shot="$(mktemp -d)/window.png"
if ! QT_QPA_PLATFORM=offscreen THUMBTACK_EXPLORER_HOME="$(dirname "$shot")/home" \
    "$bundle/thumbtack-explorer" --screenshot "$shot" >/dev/null; then
  echo "The bundle was built but does not start: run $bundle/thumbtack-explorer --screenshot x.png" >&2
  exit 1
fi
rm -rf "$(dirname "$shot")"
seconds=$(awk -v a="$started" -v b="$finished" 'BEGIN { printf "%.1f", b - a }')
if [ "$archive" = yes ]; then
  version="$(.venv/bin/python -c 'import explorer; print(explorer.__version__)')"
  tarball="dist/thumbtack-explorer-$version-linux-$(uname -m).tar.gz"
  tar -C dist -czf "$tarball" thumbtack-explorer
  echo "Packed $tarball ($(du -h "$tarball" | cut -f1))"
fi
echo "Built $bundle in ${seconds} s: $(du -sh "$bundle" | cut -f1) on disk," \
  "$(find "$bundle" -type f | wc -l) files. Start it with $bundle/thumbtack-explorer"
