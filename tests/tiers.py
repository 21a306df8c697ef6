"""The slow tier, in one list (a pytest plugin loaded from pyproject.toml's addopts).

Tests that take many seconds on 2 cores get the ``slow`` marker here, by node id, so the
files stay as their owners wrote them. The default run (and CI) runs them; skip them while
iterating with ``./tools/test.sh -m "not slow"``. Figures from ``--durations=30`` on a fresh
clone (2 cores, shared): the whole default run took 8 min 43 s.
"""

from __future__ import annotations

import pytest

SLOW = (
    "tests/storage/test_crash_durability.py::test_kill_nine_never_loses_a_committed_record",  # 36 s
    "tests/export/test_fuzz.py::test_malformed_json_is_always_refused",  # 27 s
    "tests/storage/test_cli.py::test_init_verify_passwd_cycle_with_a_calibrated_vault",  # 15 s
    "tests/export/test_cli_export.py::test_passphrase_out_and_import_with_the_variable",  # 10 s
    "tests/e2e/test_readme_run_command.py::test_run_script_hands_arguments_to_the_app",  # 9 s
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.split("[", 1)[0] in SLOW:
            item.add_marker(pytest.mark.slow)
