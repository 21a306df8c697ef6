"""Memory of the running app (issue 16): opening a vault that is up to date loads neither
Alembic (~17 MB of modules: only a new vault or a real migration needs it) nor zxcvbn's word
lists (~13 MB: only choosing a passphrase needs them). Checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from companion.crypto.kdf import KdfParams
from companion.domain.clock import SystemClock
from companion.paths import DataPaths
from companion.services.container import build_services
from companion.storage import migrate
from tests.support.vault import PASSPHRASE

OPEN = """
import sys
from pathlib import Path
from companion.domain.clock import SystemClock
from companion.paths import DataPaths
from companion.services.container import build_services

services = build_services(DataPaths(Path(sys.argv[1])), SystemClock())
services.vault.unlock(sys.argv[2])
services.journal.tags()
print(sorted(m for m in sys.modules if m.split(".")[0] in ("alembic", "zxcvbn")))
services.vault.lock()
services.worker.shutdown()
"""


def test_opening_an_up_to_date_vault_loads_neither_alembic_nor_zxcvbn(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests())
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    services.worker.shutdown()
    done = subprocess.run(
        [sys.executable, "-c", OPEN, str(paths.root), PASSPHRASE],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "[]", done.stderr[-2000:]


def test_the_head_revision_is_the_migration_scripts_head() -> None:
    assert migrate.head_revision() == migrate.scripts_head_revision()


def test_building_the_services_drops_the_source_lines_pyside_made_linecache_keep(
    tmp_path: Path,
) -> None:
    """PySide reads every imported module's source; linecache kept it all (~30 MB)."""
    import linecache

    import sqlalchemy

    from companion.app import build_services_for

    linecache.getlines(str(sqlalchemy.__file__))
    assert str(sqlalchemy.__file__) in linecache.cache
    services = build_services_for(
        DataPaths(tmp_path / "data"), SystemClock(), KdfParams.for_tests()
    )
    services.worker.shutdown()
    assert str(sqlalchemy.__file__) not in linecache.cache
