#!/usr/bin/env bash
# Re-pins every Python dependency, on purpose. Nothing else upgrades them: tools/env.sh,
# CI and tools/build_bundle.sh install exactly what requirements/*.txt say (with hashes).
#   usage: tools/lock.sh                   keep current pins where still allowed
#          tools/lock.sh --upgrade         newest versions pyproject.toml allows
#          tools/lock.sh --upgrade-package zxcvbn   one package only
# Then run ./tools/test.sh and commit pyproject.toml with requirements/ together.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV="${UV:-}"
if [ -z "$UV" ]; then
  if command -v uv >/dev/null 2>&1; then UV="$(command -v uv)"; else
    tools_venv="$ROOT/.venv-lock"
    [ -x "$tools_venv/bin/uv" ] || { python3 -m venv "$tools_venv" && "$tools_venv/bin/pip" install -q uv; }
    UV="$tools_venv/bin/uv"
  fi
fi
compile() {  # output file, then extras
  local out="$1"; shift
  "$UV" pip compile pyproject.toml "$@" --universal --python-version 3.11 --generate-hashes \
    --no-header --quiet ${LOCK_ARGS:-} -o "$out"
}
LOCK_ARGS="$*"
compile requirements/lock.txt --extra test --extra build   # development, tests and CI
compile requirements/runtime.txt                           # what the app needs, nothing more
compile requirements/bundle.txt --extra build              # the desktop bundle's build
echo "locked: requirements/lock.txt runtime.txt bundle.txt" >&2
