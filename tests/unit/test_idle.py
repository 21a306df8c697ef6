"""The auto-lock policy: pure, driven by a monotonic reading."""

from __future__ import annotations

import pytest

from companion.domain.idle import IdlePolicy


def test_locks_only_once_the_delay_has_passed() -> None:
    policy = IdlePolicy.minutes(10, now=1000.0)
    assert not policy.should_lock(1000.0 + 599, session_running=False)
    assert policy.seconds_until_lock(1000.0 + 599) == 1
    assert policy.should_lock(1000.0 + 600, session_running=False)


def test_activity_restarts_the_wait() -> None:
    policy = IdlePolicy.minutes(10, now=0.0)
    policy.record_activity(500.0)
    assert not policy.should_lock(1000.0, session_running=False)
    assert policy.should_lock(1100.0, session_running=False)


def test_a_stale_reading_never_extends_idleness() -> None:
    policy = IdlePolicy.minutes(1, now=100.0)
    policy.record_activity(50.0)
    assert policy.last_activity == 100.0


def test_never_during_a_session_and_not_the_moment_it_ends() -> None:
    policy = IdlePolicy.minutes(10, now=0.0)
    assert not policy.should_lock(3 * 3600.0, session_running=True)
    assert not policy.should_lock(3 * 3600.0 + 1, session_running=False)
    assert policy.should_lock(3 * 3600.0 + 600, session_running=False)


def test_changing_the_delay() -> None:
    policy = IdlePolicy.minutes(10, now=0.0)
    policy.set_delay_minutes(2)
    assert policy.should_lock(120.0, session_running=False)


@pytest.mark.parametrize("minutes", [0, -1])
def test_a_delay_must_be_positive(minutes: float) -> None:
    with pytest.raises(ValueError):
        IdlePolicy.minutes(minutes, now=0.0)
    with pytest.raises(ValueError):
        IdlePolicy.minutes(1, now=0.0).set_delay_minutes(minutes)
