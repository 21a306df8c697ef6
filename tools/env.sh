#!/usr/bin/env bash
# Prepares everything Companion needs, on first use and whenever the lock changes: the Debian
# packages (VLC, the Qt runtime libraries, the fonts the look depends on, speech, Xvfb for
# screenshots), a virtual environment in .venv with exactly the pinned versions from
# requirements/ (hash-checked), and the project installed into it (editable, no dependencies).
# Sourced by run.sh, test.sh and build_bundle.sh.
#   usage: source tools/env.sh [EXTRAS]     e.g. `source tools/env.sh test`
# EXTRAS: "" (the app: requirements/runtime.txt), test (requirements/lock.txt: app, tests, build)
set -euo pipefail

COMPANION_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export COMPANION_ROOT
VENV="$COMPANION_ROOT/.venv"
EXTRAS="${1:-}"

# Debian/Ubuntu system packages. Nothing here downloads anything but named packages.
APT_PACKAGES=(
  python3-venv python3-dev
  libvlc5 vlc-plugin-base
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  fontconfig fonts-dejavu-core fonts-dejavu-extra
  speech-dispatcher speech-dispatcher-espeak-ng libspeechd2 espeak-ng
)
# The UI is laid out and tested in DejaVu Sans (fonts-dejavu-*): tests/ui/test_cards_at_200_percent.py
# fails if the app font is anything else. sox and ffmpeg measure and convert sound in tests;
# poppler-utils (pdftotext, pdftoppm, pdfinfo, pdfimages) reads the PDFs as a clinic's tools do.
# age decrypts an export encrypted for the provider, as the provider would.
if [ "$EXTRAS" = "test" ]; then APT_PACKAGES+=(xvfb xauth dbus-daemon sox ffmpeg poppler-utils age appstream desktop-file-utils git); fi

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ -n "${COMPANION_NO_SYSTEM_INSTALL:-}" ]; then  # tests: say what is missing, install nothing
      echo "companion: these system packages are needed first (not installed: COMPANION_NO_SYSTEM_INSTALL is set):" >&2
      echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
      exit 1
    elif [ "$(id -u)" = "0" ]; then
      echo "companion: installing system packages: ${missing[*]}" >&2
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      echo "companion: installing system packages: ${missing[*]}" >&2
      sudo apt-get update -qq
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    else
      echo "companion: these system packages are needed first:" >&2
      echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi
else
  echo "companion: not a Debian system; see README (macOS / Windows) for VLC and Python." >&2
fi

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "companion: Python 3.11 or newer is needed ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "companion: creating the environment in .venv (first run only)..." >&2
  "$PYTHON" -m venv "$VENV"
fi

# Install from the lock (pinned, hash-checked), then the project itself without dependencies.
# Reinstall only when the lock or pyproject.toml (entry points, package data) changes.
if [ "$EXTRAS" = "test" ]; then LOCK="$COMPANION_ROOT/requirements/lock.txt"
else LOCK="$COMPANION_ROOT/requirements/runtime.txt"; fi
export COMPANION_LOCK="$LOCK"
stamp="$VENV/.companion-installed${EXTRAS:+-$EXTRAS}"
want="$(cat "$LOCK" "$COMPANION_ROOT/pyproject.toml" "$COMPANION_ROOT/setup.py" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "companion: installing Python packages into .venv (from ${LOCK#"$COMPANION_ROOT"/})..." >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    --require-hashes -r "$LOCK" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    -e "$COMPANION_ROOT" >&2
  echo "$want" > "$stamp"
fi
