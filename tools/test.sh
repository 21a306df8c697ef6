#!/usr/bin/env bash
# Runs the whole check: lint (ruff), types (mypy), layer contracts (import-linter) and the
# test suite, headless. Creates the environment on first use. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh" test
cd "$COMPANION_ROOT"
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
echo "== ruff" && "$VENV/bin/ruff" check .
echo "== mypy" && "$VENV/bin/mypy"
echo "== import-linter" && "$VENV/bin/lint-imports" --no-cache
echo "== pytest" && exec "$VENV/bin/python" -m pytest "$@"
