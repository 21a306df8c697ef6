"""Argon2id (from ``cryptography``) with parameters calibrated on the user's own machine."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_BYTES = 32
SALT_BYTES = 16
ARGON2_VERSION = 0x13  # the only version `cryptography` implements (RFC 9106)

FLOOR_MEMORY_KIB = 64 * 1024
FLOOR_ITERATIONS = 3
DEFAULT_LANES = 4
TARGET_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class KdfParams:
    memory_kib: int
    iterations: int
    lanes: int = DEFAULT_LANES

    @classmethod
    def floor(cls) -> KdfParams:
        return cls(FLOOR_MEMORY_KIB, FLOOR_ITERATIONS, DEFAULT_LANES)

    @classmethod
    def for_tests(cls) -> KdfParams:
        """Cheap parameters so tests stay fast. Real vaults never get these (see calibrate)."""
        return cls(memory_kib=8 * 1024, iterations=1, lanes=1)

    def meets_floor(self) -> bool:
        return self.memory_kib >= FLOOR_MEMORY_KIB and self.iterations >= FLOOR_ITERATIONS

    def validate(self) -> None:
        """Rejects values out of Argon2's range or absurd for a desktop (a tampered header)."""
        if not (1 <= self.lanes <= 64):
            raise ValueError("lanes out of range")
        if not (1 <= self.iterations <= 1000):
            raise ValueError("iterations out of range")
        if not (8 * self.lanes <= self.memory_kib <= 16 * 1024 * 1024):
            raise ValueError("memory out of range")


def derive(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    params.validate()
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


def total_memory_kib() -> int:
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        page_size = os.sysconf("SC_PAGE_SIZE")
        return int(pages * page_size // 1024)
    except (ValueError, OSError, AttributeError):
        return 4 * 1024 * 1024  # assume 4 GiB where the OS does not say


def time_derivation(params: KdfParams) -> float:
    """Seconds one derivation with ``params`` takes on this machine."""
    start = time.perf_counter()
    derive(b"calibration", os.urandom(SALT_BYTES), params)
    return time.perf_counter() - start


def calibrate(
    target_seconds: float = TARGET_SECONDS,
    memory_cap_kib: int | None = None,
    measure: Callable[[KdfParams], float] = time_derivation,
) -> KdfParams:
    """Finds parameters that take about ``target_seconds`` here, never below the floor.

    Memory grows first (it is what makes GPU guessing expensive), up to a quarter of RAM;
    then iterations. Each step is measured, so a slow machine stays at the floor.
    """
    cap = memory_cap_kib if memory_cap_kib is not None else total_memory_kib() // 4
    cap = max(cap, FLOOR_MEMORY_KIB)
    params = KdfParams.floor()
    elapsed = measure(params)
    while elapsed < target_seconds / 2 and params.memory_kib * 2 <= cap:
        params = KdfParams(params.memory_kib * 2, params.iterations, params.lanes)
        elapsed = measure(params)
    max_iterations = 20
    while params.iterations < max_iterations:
        per_pass = elapsed / params.iterations
        if elapsed + per_pass > target_seconds * 1.25:
            break
        params = KdfParams(params.memory_kib, params.iterations + 1, params.lanes)
        elapsed = measure(params)
    return params
