"""A restore's safety net: the current vault's files are moved aside (``previous-vault-<time>/``
in the data folder) before the backup is put in place, and moved back if anything fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from companion.fsutil import fsync_dir, storage_error
from companion.services.backup_archive import DB_NAME, HEADER_NAME


def _vault_files(root: Path) -> list[Path]:
    return [
        root / HEADER_NAME,
        root / DB_NAME,
        root / f"{DB_NAME}-wal",
        root / f"{DB_NAME}-shm",
    ]


def move_aside(root: Path, now: datetime) -> Path | None:
    present = [p for p in _vault_files(root) if p.exists()]
    if not present:
        return None
    aside = root / f"previous-vault-{now.astimezone(UTC).strftime('%Y%m%d-%H%M%S')}"
    n = 1
    while aside.exists():
        n += 1
        aside = root / f"previous-vault-{now.astimezone(UTC).strftime('%Y%m%d-%H%M%S')}-{n}"
    try:
        aside.mkdir(mode=0o700)
        for file in present:
            os.replace(file, aside / file.name)
        fsync_dir(aside)
        fsync_dir(root)
    except OSError as exc:
        put_back(root, aside)
        raise storage_error(exc) from exc
    return aside


def put_back(root: Path, aside: Path | None) -> None:
    """Removes whatever the restore put in place and moves the previous vault back."""
    for file in _vault_files(root):
        with contextlib.suppress(OSError):
            file.unlink()
    if aside is None or not aside.exists():
        return
    for file in aside.iterdir():
        os.replace(file, root / file.name)
    shutil.rmtree(aside, ignore_errors=True)
    fsync_dir(root)
