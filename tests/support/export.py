"""Export helpers: the texts the export vault carries, exporting to bytes, reading tables."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from companion.domain.export_selection import Selection
from companion.services.container import Services
from companion.services.export import ExportFormat, ExportRequest, Protection
from companion.storage.models import Base

CANARY = "CANARY-5e1d-quiet-harbour-lantern"


SHARED_TITLE = "What I want my provider to know"


SHARED_TEXT = "The colours were vivid and the music helped me stay with the feeling."


PRIVATE_TITLE = "Only for me"


def export_bytes(
    services: Services,
    tmp_path: Path,
    fmt: ExportFormat = ExportFormat.JSON,
    selection: Selection | None = None,
    name: str = "out",
) -> bytes:
    out = tmp_path / f"{name}{fmt.extension}"
    services.export.export(
        ExportRequest(selection or Selection(), fmt, Protection.plaintext(confirmed=True)), out
    )
    return out.read_bytes()


def table_counts(services: Services) -> dict[str, int]:
    with services.vault.unit_of_work() as db:
        return {
            name: int(db.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in Base.metadata.tables.items()
        }


def vault_files(services: Services) -> dict[str, bytes]:
    """The vault's bytes after a checkpoint (the shared-memory index excluded: readers touch it)."""
    with services.vault.engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    root = services.paths.root
    return {
        p.name: p.read_bytes()
        for p in sorted(root.iterdir())
        if p.is_file() and not p.name.endswith("-shm")
    }


DATA = Path(__file__).parents[1] / "export" / "data"


JRNL = DATA / "jrnl-export.json"
