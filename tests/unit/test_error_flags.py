"""Errors carry flags for what their sentence promises ("nothing was written", "nothing in
the vault was changed"); code reads the flags, never the English text."""

from __future__ import annotations

import re
from pathlib import Path

import companion
from companion.errors import CompanionError
from companion.export.age import DecryptionError
from tests.support.errors import EXAMPLES, every_error_class

PACKAGE = Path(companion.__file__).parent
WRITTEN = ("nothing was written", "nothing was saved")
UNCHANGED = (
    "nothing was changed",
    "nothing in the vault",
    "unchanged",
    "nothing was imported",
    "nothing was saved",
)


def test_each_flag_matches_what_the_sentence_promises() -> None:
    checked = 0
    for cls in every_error_class():
        error = EXAMPLES[cls.__name__]() if cls.__name__ in EXAMPLES else cls()
        text = str(error).lower()
        assert error.nothing_written == any(p in text for p in WRITTEN), cls.__name__
        assert error.vault_unchanged == any(p in text for p in UNCHANGED), cls.__name__
        checked += 1
    assert checked > 25


def test_an_error_with_its_own_sentence_states_its_own_flags() -> None:
    plain = DecryptionError("This is not an age-encrypted file.", vault_unchanged=False)
    assert not plain.vault_unchanged
    assert DecryptionError().vault_unchanged
    assert CompanionError("Nothing was changed.", vault_unchanged=True).vault_unchanged


def test_no_code_decides_on_the_english_text_of_an_error() -> None:
    """e.g. ``if "nothing" not in str(error).lower()`` (two screens did): read a flag."""
    compare = re.compile(
        r"""["'][^"']*["']\s+(not\s+)?in\s+(str\((error|exc|err|e)\)|(text|message)\.lower\(\))"""
    )
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if compare.search(line)
    ]
    assert offenders == []
