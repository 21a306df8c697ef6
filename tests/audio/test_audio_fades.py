"""The fade curves are pure functions of time (no Qt, no ticks)."""

from __future__ import annotations

import itertools
import math

import pytest

from companion.audio.fades import (
    TICKS_PER_SECOND,
    Fade,
    FadeCurve,
    clamp_volume,
    fade_volume,
    gain_to_volume,
    shape,
    volume_to_gain,
)


@pytest.mark.parametrize("curve", list(FadeCurve))
def test_every_curve_starts_and_ends_where_it_should(curve: FadeCurve) -> None:
    assert fade_volume(80, 10, 0.0, curve) == pytest.approx(80)
    assert fade_volume(80, 10, 1.0, curve) == pytest.approx(10)
    assert fade_volume(10, 80, 0.0, curve) == pytest.approx(10)
    assert fade_volume(10, 80, 1.0, curve) == pytest.approx(80)
    assert fade_volume(80, 10, -3.0, curve) == pytest.approx(80)  # clamped progress
    assert fade_volume(80, 10, 7.0, curve) == pytest.approx(10)


@pytest.mark.parametrize("curve", list(FadeCurve))
def test_every_curve_is_monotonic(curve: FadeCurve) -> None:
    down = [fade_volume(100, 0, i / 200, curve) for i in range(201)]
    up = [fade_volume(0, 100, i / 200, curve) for i in range(201)]
    assert all(b <= a for a, b in itertools.pairwise(down))
    assert all(b >= a for a, b in itertools.pairwise(up))


def test_the_smooth_curve_is_a_raised_cosine_with_gentle_ends() -> None:
    assert shape(0.5, FadeCurve.SMOOTH) == pytest.approx(0.5)
    assert shape(0.25, FadeCurve.SMOOTH) == pytest.approx((1 - math.cos(math.pi / 4)) / 2)
    # Flat at both ends: the first and last 1 % of the time move the volume by < 0.03 %.
    assert shape(0.01, FadeCurve.SMOOTH) < 3e-4
    assert 1 - shape(0.99, FadeCurve.SMOOTH) < 3e-4


def test_equal_power_fades_keep_the_summed_power_constant() -> None:
    for i in range(11):
        p = i / 10
        out = fade_volume(100, 0, p, FadeCurve.EQUAL_POWER) / 100
        into = fade_volume(0, 100, p, FadeCurve.EQUAL_POWER) / 100
        assert out**2 + into**2 == pytest.approx(1.0)


def test_a_fade_is_computed_from_its_start_instant_not_from_ticks() -> None:
    fade = Fade(start_volume=80, target_volume=0, started_at=1000.0, seconds=10.0)
    assert fade.volume_at(999.0) == 80  # before it starts
    assert fade.volume_at(1005.0) == pytest.approx(40.0)  # half the time: half way (cosine)
    assert fade.volume_at(1010.0) == 0
    assert fade.volume_at(5000.0) == 0  # however late the question comes
    assert not fade.is_done(1009.99)
    assert fade.is_done(1010.0)
    assert fade.ends_at == 1010.0


def test_a_zero_length_fade_is_already_at_its_target() -> None:
    fade = Fade(50, 20, started_at=3.0, seconds=0.0)
    assert fade.progress(3.0) == 1.0
    assert fade.volume_at(3.0) == 20


def test_fades_clamp_volumes_and_refuse_negative_time() -> None:
    assert Fade(150, -5, 0.0, 1.0).start_volume == 100
    assert Fade(150, -5, 0.0, 1.0).target_volume == 0
    with pytest.raises(ValueError):
        Fade(50, 0, 0.0, -1.0)
    with pytest.raises(ValueError):
        clamp_volume(float("nan"))


def test_volume_maps_to_gain_by_the_cube_law_both_engines_use() -> None:
    assert volume_to_gain(100) == 1.0
    assert volume_to_gain(50) == pytest.approx(0.125)
    assert volume_to_gain(0) == 0.0
    for volume in (0.0, 7.5, 20.0, 63.0, 100.0):
        assert gain_to_volume(volume_to_gain(volume)) == pytest.approx(volume)


def test_fades_are_reevaluated_at_least_20_times_a_second() -> None:
    assert TICKS_PER_SECOND >= 20
