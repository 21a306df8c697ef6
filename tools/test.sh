#!/usr/bin/env bash
# Runs the whole check: lint (ruff), types (mypy), layer contracts (import-linter), dead code
# (vulture) and the test suite (default tier, then slow tier), headless. Creates the
# environment on first use.
# With arguments, runs pytest once with them instead (e.g. `./tools/test.sh tests/unit -x`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh" test
cd "$COMPANION_ROOT"
# Offscreen, on the small laptop screen Companion is laid out for (tests/conftest.py says why).
export QT_QPA_PLATFORM="offscreen:configfile=$COMPANION_ROOT/tests/offscreen-1366x768.json"
export PYTHONDONTWRITEBYTECODE=1
# Tests never talk to the machine's shared speech-dispatcher: a wedged one (another program's,
# or a parallel run's) blocks QTextToSpeech's constructor forever and hung a whole run. This
# address has no server, so the real engine reports an error at once and the tests use Qt's
# "mock" engine. Set SPEECHD_ADDRESS yourself to test against a real server.
export SPEECHD_ADDRESS="${SPEECHD_ADDRESS:-unix_socket:$VENV/no-speech-server-for-tests.sock}"
# On CI the real-audio tests must run: a missing libvlc fails them instead of skipping them.
if [ "${CI:-}" = "true" ]; then export COMPANION_REQUIRE_VLC=1; fi
echo "== ruff" && "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check .
echo "== mypy" && "$VENV/bin/mypy"
echo "== import-linter" && "$VENV/bin/lint-imports" --no-cache
# Code nothing calls (tools/vulture_whitelist.py lists what only Qt, SQLAlchemy & co. call).
echo "== vulture" && "$VENV/bin/vulture" companion tests tools bench --min-confidence 60
if [ "$#" -gt 0 ]; then  # arguments: one pytest run with them (e.g. a file, -k, -m slow)
  echo "== pytest" && exec "$VENV/bin/python" -m pytest "$@"
fi
# The whole suite, in two tiers: the default tier, then the slow tier (torture rounds, real
# audio renders, the wheel in a clean venv). The bundle tier is .ci/run's third step.
# Each tier prints its wall time, so CI's log shows the default tier against its 10-minute goal.
started=$SECONDS
echo "== pytest: default tier" && "$VENV/bin/python" -m pytest -m "not slow and not bundle"
echo "== default tier: $((SECONDS - started)) s wall (goal: under 600 s on 2 cores)"
started=$SECONDS
echo "== pytest: slow tier" && "$VENV/bin/python" -m pytest -m "slow and not bundle"
echo "== slow tier: $((SECONDS - started)) s wall"
