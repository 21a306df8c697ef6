#!/usr/bin/env bash
# Builds the Linux desktop bundle with PyInstaller: one folder (dist/bundle/Companion/) and
# a tar.gz of it (dist/Companion-<version>-linux-<arch>.tar.gz) holding the two programs
# (companion, companion-cli), Python, Qt, SQLCipher, the assets, the .desktop file, icons,
# AppStream metainfo and an install script.
#
# Exactly the pinned versions: a build environment (.venv-bundle) is made from
# requirements/bundle.txt (hash-checked), the project's wheel is built and installed into it
# with --no-deps, and PyInstaller runs there. libvlc is taken from the system at run time
# when present (Qt Multimedia otherwise). An AppImage is not built: appimagetool is in
# neither Debian's nor PyPI's packages.
#   usage: tools/build_bundle.sh [OUT_DIR]      (default: dist/)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/dist}" && cd "${1:-$ROOT/dist}" && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv-bundle"
WORK="$ROOT/build/bundle"
LOCK="$ROOT/requirements/bundle.txt"
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [ ! -x "$VENV/bin/python" ]; then
  echo "bundle: creating the build environment (.venv-bundle)..." >&2
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.bundle-installed"
want="$(sha256sum "$LOCK" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bundle: installing the pinned build dependencies..." >&2
  "$VENV/bin/python" -m pip install --quiet --require-hashes -r "$LOCK" >&2
  echo "$want" > "$stamp"
fi

rm -rf "$WORK" && mkdir -p "$WORK/wheel"
rm -rf "$ROOT/build/lib" "$ROOT"/build/bdist.*  # setuptools' staging: no stale modules in the wheel
echo "bundle: building the wheel..." >&2
"$VENV/bin/python" -m pip wheel --quiet --no-deps --no-build-isolation \
  --wheel-dir "$WORK/wheel" "$ROOT" >&2
"$VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall "$WORK"/wheel/companion-*.whl >&2
VERSION="$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("companion"))')"

echo "bundle: running PyInstaller..." >&2
rm -rf "$OUT/bundle"
(cd "$WORK" && "$VENV/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$OUT/bundle" --workpath "$WORK/pyinstaller" \
  "$ROOT/packaging/pyinstaller/companion-linux.spec") >&2

APP="$OUT/bundle/Companion"
APP_ID="io.github.companionapp.Companion"
mkdir -p "$APP/share/applications" "$APP/share/metainfo" "$APP/share/icons"
cp "$ROOT/packaging/linux/$APP_ID.desktop" "$APP/share/applications/"
cp "$ROOT/packaging/linux/$APP_ID.metainfo.xml" "$APP/share/metainfo/"
cp -r "$ROOT/packaging/icons/hicolor" "$APP/share/icons/"
cp "$ROOT/packaging/linux/install.sh" "$APP/install.sh"
cp "$ROOT/assets/music/LICENSE" "$APP/MUSIC-LICENSE"
chmod +x "$APP/install.sh"

ARCH="$(uname -m)"
TARBALL="$OUT/Companion-$VERSION-linux-$ARCH.tar.gz"
tar -C "$OUT/bundle" -czf "$TARBALL" Companion
echo "$TARBALL"
