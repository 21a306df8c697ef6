"""Babel (with its CLDR data) is not loaded at start-up: importing the app leaves it out, and
the first formatted value brings it in and formats as before."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest

from companion import i18n

PROBE = (
    "import sys, companion.app\n"
    "print(sorted(m for m in sys.modules if m == 'babel' or m.startswith('babel.')))\n"
    "from datetime import date\n"
    "from companion import i18n\n"
    "i18n.set_language('es')\n"
    "print(i18n.format_number(12345.5, 1), i18n.format_date(date(2026, 12, 2), 'long'))\n"
    "print(i18n.n_('{n} session', '{n} sessions', 1200))\n"
    "print('babel.dates' in sys.modules)\n"
)


@pytest.fixture
def spanish() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("es")
    yield
    i18n.set_language(before)


def test_the_app_starts_without_babel_and_loads_it_for_the_first_value(spanish: None) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    loaded_at_start, formatted, plural, loaded_after = done.stdout.strip().splitlines()
    assert loaded_at_start == "[]"
    number = i18n.format_number(12345.5, 1)
    assert formatted == f"{number} {i18n.format_date(date(2026, 12, 2), 'long')}"
    assert number == "12.345,5"  # Spanish grouping and decimal comma, as Babel writes them
    assert plural == i18n.n_("{n} session", "{n} sessions", 1200)
    assert loaded_after == "True"
