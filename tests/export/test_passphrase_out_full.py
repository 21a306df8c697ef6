"""--passphrase-out on a full or read-only disk never leaves an export nobody can open."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.services.container import Services
from tests.support.cli import cli, one_line_error, read_only_folder
from tests.support.vault import PASSPHRASE

ENV = {"COMPANION_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def folder(filled: Services) -> Path:
    filled.vault.lock()
    return filled.paths.root


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "full"
    disk.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True
    ).returncode:
        pytest.skip("a small tmpfs needs root")
    try:
        fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:  # fill it to the last block
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def _export(folder: Path, secret: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return cli(
        "--data-dir", str(folder), "export", "--format", "json", "--complete",
        "--passphrase-out", str(secret), "--out", str(out), env=ENV,
    )  # fmt: skip


def test_passphrase_out_on_a_full_disk_removes_the_export(
    folder: Path, full_disk: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.json.age"
    result = _export(folder, full_disk / "passphrase.txt", out)
    line = one_line_error(result)
    assert "disk is full" in line and "export was removed" in line
    assert not out.exists()
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


def test_passphrase_out_in_a_read_only_folder_removes_the_export(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.json.age"
    with read_only_folder(tmp_path / "ro") as ro:
        line = one_line_error(_export(folder, ro / "passphrase.txt", out))
    assert "export was removed" in line
    assert not out.exists()
