"""Builds the services once, in app.py or the CLI, and hands them down (no singletons)."""

from __future__ import annotations

from dataclasses import dataclass

from companion.crypto.kdf import KdfParams
from companion.domain.clock import Clock
from companion.paths import DataPaths
from companion.services.home import HomeService
from companion.services.profile import ProfileService
from companion.services.vault import VaultService
from companion.services.worker import DbWorker


@dataclass(frozen=True, slots=True)
class Services:
    paths: DataPaths
    clock: Clock
    vault: VaultService
    profile: ProfileService
    home: HomeService
    worker: DbWorker


def build_services(paths: DataPaths, clock: Clock, kdf: KdfParams | None = None) -> Services:
    """``kdf=None`` calibrates Argon2id on this machine when a vault is created (the real app);
    tests pass ``KdfParams.for_tests()`` explicitly to stay fast."""
    vault = VaultService(paths, kdf)
    return Services(
        paths=paths,
        clock=clock,
        vault=vault,
        profile=ProfileService(vault, clock.now),
        home=HomeService(vault, clock.now),
        worker=DbWorker(),
    )
