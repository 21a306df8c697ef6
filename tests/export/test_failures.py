"""Exports that cannot be written: a read-only folder, a full disk, a folder that disappears
mid-write. Each gives a plain error, leaves no partial file (or the previous one), and changes
nothing in the vault. And the plaintext canary after an encrypted export and a backup."""

from __future__ import annotations

import logging
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyrage import x25519

from companion.domain.export_selection import EntryChoice, Selection
from companion.errors import CompanionError, ReadOnlyStorageError, StorageFullError
from companion.logsetup import configure_logging
from companion.services.container import Services
from companion.services.export import (
    ExportFolderError,
    ExportFormat,
    ExportRequest,
    Protection,
)
from tests.support.cli import read_only_folder
from tests.support.export import CANARY, vault_files
from tests.support.vault import PASSPHRASE, assert_absent

# To a public key: the same atomic write as a passphrase, without seconds of scrypt per test.
EVERYTHING = ExportRequest(
    Selection(entries=EntryChoice.ALL),
    ExportFormat.JSON,
    Protection.to_recipient(str(x25519.Identity.generate().to_public())),
)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_read_only_folder(filled: Services, tmp_path: Path) -> None:
    before = vault_files(filled)
    with read_only_folder(tmp_path / "ro") as folder:
        with pytest.raises(ReadOnlyStorageError, match="cannot be written"):
            filled.export.export(EVERYTHING, folder / "export.json.age")
        assert _leftovers(folder) == []
    assert vault_files(filled) == before


def test_missing_folder(filled: Services, tmp_path: Path) -> None:
    with pytest.raises(ExportFolderError):
        filled.export.export(EVERYTHING, tmp_path / "nowhere" / "export.json.age")


def test_full_disk_with_a_file_size_limit(filled: Services, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    previous = out_dir / "export.json.age"
    previous.write_bytes(b"the previous export")
    before = vault_files(filled)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        with pytest.raises(StorageFullError, match="disk is full"):
            filled.export.export(EVERYTHING, previous)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)
    assert _leftovers(out_dir) == ["export.json.age"]
    assert previous.read_bytes() == b"the previous export"
    assert vault_files(filled) == before


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "tiny"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"no tmpfs here: {mounted.stderr!r}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_full_disk_on_a_small_tmpfs(filled: Services, tiny_disk: Path) -> None:
    before = vault_files(filled)
    with pytest.raises(StorageFullError):
        filled.export.export(EVERYTHING, tiny_disk / "export.json.age")
    assert _leftovers(tiny_disk) == []
    assert vault_files(filled) == before


def test_folder_disappears_mid_write(
    filled: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    before = vault_files(filled)
    real_replace = os.replace

    def unplugged(src: str, dst: str) -> None:
        shutil.rmtree(folder)  # the stick is pulled between the write and the rename
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", unplugged)
    with pytest.raises(CompanionError, match="could not be written"):
        filled.export.export(EVERYTHING, folder / "export.json.age")
    monkeypatch.undo()
    assert not folder.exists()
    assert vault_files(filled) == before


def test_canary_nowhere_after_encrypted_export_and_backup(
    filled: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_dir))
    configure_logging(filled.paths)
    export_dir = tmp_path / "exports"
    export_dir.mkdir()
    filled.export.export(  # one with a generated passphrase too
        ExportRequest(Selection(entries=EntryChoice.ALL), ExportFormat.JSON),
        export_dir / "passphrase.json.age",
    )
    key = str(x25519.Identity.generate().to_public())
    for fmt in ExportFormat:
        filled.export.export(
            ExportRequest(Selection(entries=EntryChoice.ALL), fmt, Protection.to_recipient(key)),
            export_dir / f"e{fmt.extension}.age",
        )
    filled.backup.backup_now()
    filled.backup.backup_to(export_dir / "manual.companion-backup")
    folders = [filled.paths.root, temp_dir, export_dir, filled.backup.folder]
    assert_absent(folders, [CANARY, PASSPHRASE])
    filled.vault.lock()
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert_absent(folders, [CANARY, PASSPHRASE])
