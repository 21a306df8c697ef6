"""Vault helpers shared across the suite: the test passphrases, what is on disk, damage."""

from __future__ import annotations

from pathlib import Path

from companion.paths import DataPaths
from companion.services.container import Services

PASSPHRASE = "correct horse battery staple 42"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes under ``folder`` (for "nothing changed on disk" checks)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.parent.name != "logs"
    }


LONG_BODY = "long words here " * 20_000  # about 320 KB: dozens of overflow pages


def damage_a_long_entry(services: Services) -> tuple[str, str]:
    """Writes a short and a long entry, then flips one bit in a page in the middle of the
    database file, which lands in the long body's overflow chain; leaves the vault unlocked.
    Returns (short entry id, long entry id). The page's HMAC fails when it is read, as a bad
    disk sector or a sync tool's torn copy would make it, while the rest of the vault opens."""
    from companion.services.journal_model import EntryInput

    short = services.journal.create(EntryInput(kind="free", title="Short", body="A short day."))
    long = services.journal.create(EntryInput(kind="free", title="Long", body=LONG_BODY))
    services.journal.checkpoint()
    services.vault.lock()
    data = bytearray(services.paths.database.read_bytes())
    page = 4096
    data[(len(data) // page // 2) * page + 2000] ^= 0x10
    services.paths.database.write_bytes(bytes(data))
    services.vault.unlock(PASSPHRASE)
    return short.id, long.id


WORDS = "lantern orchard quietly seventeen harbour violet pebble thunder mosaic drift "


LONG_STRONG = (WORDS * 3)[:200]


def vault_on_disk(paths: DataPaths) -> dict[str, bytes]:
    """The vault on disk: header, database and its WAL/SHM files, byte for byte."""
    return {
        name: data
        for name, data in snapshot(paths.root).items()
        if name.startswith((paths.header.name, paths.database.name))
    }


def _forms(secret: str) -> list[bytes]:
    return [secret.encode("utf-8"), secret.encode("utf-16-le"), secret.encode("utf-16-be")]


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def assert_absent(folders: list[Path], secrets: list[str]) -> None:
    """No file under ``folders`` holds any of ``secrets`` in plaintext (UTF-8 or UTF-16)."""
    for folder in folders:
        for path in _files_under(folder):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for secret in secrets:
                for form in _forms(secret):
                    assert form not in data, f"plaintext found in {path}"
