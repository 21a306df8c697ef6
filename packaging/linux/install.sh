#!/usr/bin/env bash
# Installs this Companion bundle for the current user: the folder goes to
# ~/.local/opt/Companion, the programs are linked into ~/.local/bin, and the desktop entry,
# icons and AppStream metainfo go where the desktop finds them. Run it from the extracted
# folder: ./install.sh    (./install.sh --uninstall removes it again; your vault stays)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP_ID="io.github.companionapp.Companion"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
DEST="$HOME/.local/opt/Companion"
BIN="$HOME/.local/bin"

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$DEST" "$BIN/companion" "$BIN/companion-cli" \
    "$DATA/applications/$APP_ID.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml"
  find "$DATA/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
  echo "Companion was removed. Your vault and journal were not touched."
  exit 0
fi

mkdir -p "$DEST" "$BIN" "$DATA/applications" "$DATA/metainfo" "$DATA/icons"
if [ "$HERE" != "$DEST" ]; then
  rm -rf "$DEST" && cp -a "$HERE" "$DEST"
fi
ln -sf "$DEST/companion" "$BIN/companion"
ln -sf "$DEST/companion-cli" "$BIN/companion-cli"
sed "s|^Exec=companion|Exec=$DEST/companion|" "$DEST/share/applications/$APP_ID.desktop" \
  > "$DATA/applications/$APP_ID.desktop"
cp "$DEST/share/metainfo/$APP_ID.metainfo.xml" "$DATA/metainfo/"
cp -r "$DEST/share/icons/hicolor" "$DATA/icons/"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "Companion is installed. Find it in your applications menu, or run: companion"
