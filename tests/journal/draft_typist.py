"""A child process for the draft crash test: "types" into a draft, autosaving after every few
words as the editor does, until it is killed. After each save returns it prints the word count
saved (synchronous=FULL: a save that returned is on disk, whatever happens next)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from companion.crypto.kdf import KdfParams
from companion.domain.clock import SystemClock
from companion.domain.journal import draft_key_for_new
from companion.paths import DataPaths
from companion.services.container import build_services


def main() -> None:
    services = build_services(DataPaths(Path(sys.argv[1])), SystemClock(), KdfParams.for_tests())
    services.vault.unlock(os.environ["COMPANION_PASSPHRASE"])
    print("ready", flush=True)
    words: list[str] = []
    while True:
        words.extend(("word", str(len(words))))
        services.journal.save_draft(
            draft_key_for_new("reflection", "s1"),
            {"title": "After the session", "body": " ".join(words)},
            kind="reflection",
        )
        print(len(words), flush=True)


if __name__ == "__main__":
    main()
