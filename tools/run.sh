#!/usr/bin/env bash
# Runs Companion, creating its environment on first use. Arguments pass to the app,
# e.g. `tools/run.sh --data-dir /path/to/folder`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh" ""  # no extras (an explicit "", or bash would pass our own arguments on)
cd "$COMPANION_ROOT"
exec "$VENV/bin/python" main.py "$@"
