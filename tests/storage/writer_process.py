"""A child process for the crash test: unlocks a vault and commits records until killed.

After each commit returns it prints the record's id, so the parent knows what was committed
(synchronous=FULL: a commit that returned is on disk, whatever happens next).
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from companion.crypto.kdf import KdfParams
from companion.domain.clock import SystemClock
from companion.paths import DataPaths
from companion.services.container import build_services
from companion.storage.models import JournalEntryRow, SessionEventRow, SessionRow


def main() -> None:
    paths = DataPaths(Path(sys.argv[1]))
    services = build_services(paths, SystemClock(), KdfParams.for_tests())
    services.vault.unlock(os.environ["COMPANION_PASSPHRASE"])
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        now = datetime.now(UTC)
        with services.vault.unit_of_work() as session:
            row = SessionRow(started_at=now, intention=f"round text {n} " * 20)
            session.add(row)
            session.flush()
            session.add(SessionEventRow(session_id=row.id, kind="phase", at=now))
            entry = JournalEntryRow(
                kind="free", title=f"t{n}", body="x" * (n % 7000), created_at=now, updated_at=now
            )
            session.add(entry)
            session.flush()
            ids = f"{row.id} {entry.id}"
        print(ids, flush=True)


if __name__ == "__main__":
    main()
