"""A child for the kill -9 torture rounds that imports everything once and then forks writers.

Protocol (lines on stdin/stdout):
  parent -> "round N"   : fork a writer; reply "pid P" at once.
  writer                : unlocks the vault ("ready N") and commits journal entries until it is
                          killed, printing "c N <entry id> <session id>" after each commit
                          returned (synchronous=FULL: a returned commit is on disk, whatever
                          follows); a CompanionError at unlock prints "error N <class>".
  parent -> "reap P"    : wait for the killed writer; reply "reaped P".
Forking a warm interpreter keeps each round to the cost of an unlock, so hundreds of rounds
fit in the slow tier's time budget.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from companion.crypto.kdf import KdfParams
from companion.domain.clock import SystemClock
from companion.errors import CompanionError
from companion.paths import DataPaths
from companion.services.container import build_services
from companion.storage.models import JournalEntryRow, SessionEventRow, SessionRow


def say(text: str) -> None:
    """One line in one write(2): atomic on a pipe, so a writer killed mid-line cannot leave half
    a line for the zygote's next reply to be glued onto (print() may write text and newline
    separately)."""
    os.write(1, (text + "\n").encode())


def writer(root: Path, passphrase: str, n_round: int) -> None:
    services = build_services(DataPaths(root), SystemClock(), KdfParams.for_tests())
    try:
        services.vault.unlock(passphrase)
    except CompanionError as exc:
        say(f"error {n_round} {type(exc).__name__}")
        os._exit(3)
    say(f"ready {n_round}")
    n = 0
    while True:
        n += 1
        now = datetime.now(UTC)
        with services.vault.unit_of_work() as session:
            row = SessionRow(started_at=now, intention=f"round {n_round} text {n} " * 10)
            session.add(row)
            session.flush()
            session.add(SessionEventRow(session_id=row.id, kind="phase", at=now))
            entry = JournalEntryRow(
                kind="free",
                title=f"r{n_round}-{n}",
                body="x" * ((n * 997) % 9000),  # some bodies spill onto overflow pages
                created_at=now,
                updated_at=now,
            )
            session.add(entry)
            session.flush()
            ids = f"{entry.id} {row.id}"
        say(f"c {n_round} {ids}")


def main() -> None:
    root, passphrase = Path(sys.argv[1]), os.environ["TORTURE_PASS"]
    say("ready")
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "round":
            pid = os.fork()
            if pid == 0:
                try:
                    writer(root, passphrase, int(arg))
                finally:
                    os._exit(4)
            say(f"pid {pid}")
        elif command == "reap":
            os.waitpid(int(arg), 0)
            say(f"reaped {arg}")
        elif command == "quit":
            return


if __name__ == "__main__":
    main()
