#!/usr/bin/env bash
# Adds Thumbtack API Explorer to the desktop's application menu for the current user:
# the .desktop entry into ~/.local/share/applications and the icons into the hicolor theme.
# Works from the source tree (packaging/install-desktop.sh) and from the built bundle
# (dist/thumbtack-explorer/install-desktop.sh). Optional argument: the program to start
# (default: the bundle's executable when run from the bundle, else `thumbtack-explorer`).
# `install-desktop.sh --uninstall` removes what it added.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor"
name=thumbtack-explorer

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$apps/$name.desktop" "$icons"/*/apps/"$name".png "$icons/scalable/apps/$name.svg"
  echo "Removed the menu entry and icons."
  exit 0
fi

if [ -d "$here/_internal/explorer/resources/icons" ]; then
  src="$here/_internal/explorer/resources/icons"
  default_exec="$here/$name"
else
  src="$here/../resources/icons"
  default_exec="$name"
fi
exec_path="${1:-$default_exec}"
desktop="$here/$name.desktop"
if [ ! -f "$desktop" ] || [ ! -f "$src/$name.svg" ]; then
  echo "The desktop entry or icons are missing next to $0; rebuild or re-download the program." >&2
  exit 1
fi

mkdir -p "$apps" "$icons/scalable/apps"
for dir in "$src"/hicolor/*/; do
  size="$(basename "$dir")"
  mkdir -p "$icons/${size}x${size}/apps"
  cp "$dir/$name.png" "$icons/${size}x${size}/apps/$name.png"
done
cp "$src/$name.svg" "$icons/scalable/apps/$name.svg"
# Quote the program's path for the Exec key if it contains spaces.
case "$exec_path" in *" "*) exec_value="\"$exec_path\"" ;; *) exec_value="$exec_path" ;; esac
sed -e "s|^Exec=.*|Exec=$exec_value|" -e "s|^TryExec=.*|TryExec=$exec_path|" \
  "$desktop" > "$apps/$name.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" || true
echo "Added Thumbtack API Explorer to the application menu (starts $exec_path)."
