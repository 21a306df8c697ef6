"""Real vaults get calibrated Argon2id parameters, never below the floor; tests' cheap ones
come only through the explicit parameter."""

from __future__ import annotations

from companion.crypto.header import PASSPHRASE, VaultHeader
from companion.crypto.kdf import FLOOR_ITERATIONS, FLOOR_MEMORY_KIB, KdfParams, calibrate
from companion.domain.clock import ManualClock
from companion.paths import DataPaths
from companion.services.container import build_services
from tests.support.vault import PASSPHRASE as GOOD


def test_real_vault_uses_calibrated_parameters(tmp_path) -> None:  # type: ignore[no-untyped-def]
    services = build_services(DataPaths(tmp_path / "real"), ManualClock())  # no kdf override
    try:
        services.vault.create(GOOD)
        params = VaultHeader.from_bytes(services.paths.header.read_bytes()).slot(PASSPHRASE).params
        assert params is not None
        assert params.meets_floor()
        assert params.memory_kib >= FLOOR_MEMORY_KIB and params.iterations >= FLOOR_ITERATIONS
    finally:
        services.vault.lock()
        services.worker.shutdown()


def test_test_parameters_are_below_the_floor() -> None:
    assert not KdfParams.for_tests().meets_floor()


def _machine(seconds_per_gib_pass: float):  # type: ignore[no-untyped-def]
    """A model machine: time grows with memory x passes, as Argon2's does."""
    calls: list[KdfParams] = []

    def measure(params: KdfParams) -> float:
        calls.append(params)
        return seconds_per_gib_pass * params.memory_kib / (1024 * 1024) * params.iterations

    return measure, calls


def test_slow_machine_stays_at_the_floor() -> None:
    measure, calls = _machine(seconds_per_gib_pass=20.0)  # floor takes ~3.75 s
    assert calibrate(measure=measure) == KdfParams.floor()
    assert calls == [KdfParams.floor()]


def test_memory_grows_first_then_iterations_to_about_the_target() -> None:
    measure, _calls = _machine(seconds_per_gib_pass=0.4)
    params = calibrate(target_seconds=1.0, memory_cap_kib=4 * 1024 * 1024, measure=measure)
    # 512 MiB x 3 passes = 0.6 s is past half the target: memory stops there, passes add up.
    assert params.memory_kib == 512 * 1024
    assert params.iterations > FLOOR_ITERATIONS
    assert 0.75 <= measure(params) <= 1.25


def test_memory_is_capped_and_iterations_make_up_the_time() -> None:
    measure, _calls = _machine(seconds_per_gib_pass=0.4)
    params = calibrate(target_seconds=1.0, memory_cap_kib=FLOOR_MEMORY_KIB * 2, measure=measure)
    assert params.memory_kib == FLOOR_MEMORY_KIB * 2
    assert params.iterations > FLOOR_ITERATIONS
    assert 0.75 <= measure(params) <= 1.25
