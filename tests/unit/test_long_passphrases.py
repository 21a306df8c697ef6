"""zxcvbn 4.5 raises ValueError above 72 characters. The policy scores the first 72: every
length from 1 to 200 gets an answer, a long strong passphrase is accepted and a long weak one
is still refused."""

from __future__ import annotations

import pytest

from companion.domain.passphrase import MAX_CHECKED, assess
from tests.support.vault import LONG_STRONG


def test_max_checked_is_within_what_zxcvbn_accepts() -> None:
    from zxcvbn import zxcvbn

    zxcvbn("x" * MAX_CHECKED)  # raises ValueError if the limit is ever lowered again


@pytest.mark.parametrize("length", range(1, 201))
def test_passphrase_policy_answers_for_every_length_up_to_200(length: int) -> None:
    strength = assess(LONG_STRONG[:length], ["companion"])
    assert 0 <= strength.score <= 4
    if length >= 40:
        assert strength.acceptable, (length, strength.reason)


@pytest.mark.parametrize("length", [72, 73, 77, 150, 200])
def test_long_weak_passphrase_is_still_refused(length: int) -> None:
    strength = assess("a" * length)
    assert not strength.acceptable
    assert strength.reason


def test_77_character_passphrase_is_accepted() -> None:
    passphrase = LONG_STRONG[:77]
    assert len(passphrase) == 77
    assert assess(passphrase).acceptable


def test_long_non_ascii_passphrase_is_scored() -> None:
    strength = assess("żółw łąka ćma źdźbło " * 6)
    assert len("żółw łąka ćma źdźbło " * 6) > 72
    assert strength.acceptable
