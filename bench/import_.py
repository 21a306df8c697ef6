"""Import benchmark (issue 16): ``companion-cli import`` of a 1k / 10k / 50k-entry JSON file
into an empty vault, against a minimal import doing the same work, in the same run.

Ours: the real command line (``python -m companion.cli import FILE``) in a child process, into
an empty vault made with the tests' fast KDF (unlocking is not what this measures); wall time
from start to exit, and the child's peak RSS.

The floor: a child process with the least code that does the same work: read the file,
``json.loads`` it, open a SQLCipher database with a raw key and the vault's pragmas (WAL,
synchronous FULL, secure_delete), create the entry, tag and link tables, an FTS5 table with the
same tokenizer and secure-delete, and the read model; insert every entry, tag and link, each
entry's text (raw Markdown, no stripping) into FTS5 and its row into the read model (word count
by ``split``); one transaction; commit; checkpoint the WAL.

Rounds alternate ours / floor (the machine is shared; the load average is printed). Each
child's CPU time (user + system, from ``wait4``) is printed too: on a loaded machine the wall
times of one run swing by 2x, CPU times far less.
Goals: 10k <= 1.5x the floor; 50k linear in N (per entry no slower than at 10k) with peak RSS
<= 500 MB.

Run: .venv/bin/python bench/import_.py [--entries 1000 10000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import vaults  # noqa: E402

FLOOR_DDL = (
    "CREATE TABLE journal_entry (id TEXT PRIMARY KEY, session_id TEXT, kind TEXT NOT NULL, "
    "title TEXT NOT NULL, body TEXT NOT NULL, mood INTEGER, shared BOOLEAN NOT NULL, "
    "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    "CREATE TABLE tag (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE entry_tag (entry_id TEXT NOT NULL REFERENCES journal_entry(id), "
    "tag_id TEXT NOT NULL REFERENCES tag(id), PRIMARY KEY (entry_id, tag_id))",
    "CREATE VIRTUAL TABLE docs USING fts5(title, body, answers, tags, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    "INSERT INTO docs(docs, rank) VALUES ('secure-delete', 1)",
    "CREATE TABLE docs_entry (id INTEGER PRIMARY KEY, entry_id TEXT NOT NULL UNIQUE, "
    "created_at TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, shared BOOLEAN, "
    "word_count INTEGER NOT NULL, preview TEXT NOT NULL)",
    "CREATE INDEX ix_docs_entry_created ON docs_entry (created_at)",
)


def floor_import(source: Path, database: Path) -> None:
    import sqlcipher3

    document = json.loads(source.read_bytes())
    records = document["records"]
    connection = sqlcipher3.connect(str(database), isolation_level=None)
    connection.execute(f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")
    for pragma in ("foreign_keys = ON", "secure_delete = ON", "temp_store = MEMORY",
                   "journal_mode = WAL", "synchronous = FULL"):  # fmt: skip
        connection.execute(f"PRAGMA {pragma}")
    for statement in FLOOR_DDL:
        connection.execute(statement)
    entries = records["journal_entry"]
    names = {t["id"]: t["name"] for t in records["tag"]}
    tags_of: dict[str, list[str]] = {}
    for link in records["entry_tag"]:
        tags_of.setdefault(link["entry_id"], []).append(names[link["tag_id"]])
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO journal_entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(e["id"], e["session_id"], e["kind"], e["title"], e["body"], e["mood"],
          e["shared_with_provider"], e["created_at"], e["updated_at"]) for e in entries],
    )  # fmt: skip
    connection.executemany(
        "INSERT INTO tag VALUES (?, ?)", [(t["id"], t["name"]) for t in records["tag"]]
    )
    connection.executemany(
        "INSERT INTO entry_tag VALUES (?, ?)",
        [(link["entry_id"], link["tag_id"]) for link in records["entry_tag"]],
    )
    connection.executemany(
        "INSERT INTO docs (rowid, title, body, answers, tags) VALUES (?, ?, ?, '', ?)",
        [(n, e["title"], e["body"], "\n".join(tags_of.get(e["id"], ())))
         for n, e in enumerate(entries, 1)],
    )  # fmt: skip
    connection.executemany(
        "INSERT INTO docs_entry VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(n, e["id"], e["created_at"], e["kind"], e["title"], e["shared_with_provider"],
          len(e["body"].split()), e["body"][:160]) for n, e in enumerate(entries, 1)],
    )  # fmt: skip
    connection.execute("COMMIT")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


Run = tuple[float, float, float]  # wall seconds, peak RSS in MB, CPU seconds (user + system)


def run_child(args: list[str], env: dict[str, str] | None = None, cwd: Path = vaults.ROOT) -> Run:
    """(seconds, peak RSS in MB, CPU seconds) of a child process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"child failed ({process.returncode}): {' '.join(args)}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def ours(source: Path, folder: Path, code: str | None = None) -> Run:
    vaults.create_empty_vault(folder)
    env = dict(os.environ, COMPANION_PASSPHRASE=vaults.PASSPHRASE)
    if code:  # another checkout of companion/ (e.g. ``git archive OLD companion``): A/B runs
        env["PYTHONPATH"] = code  # and run from there: ``-m`` puts the working folder first
    command = [sys.executable, "-m", "companion.cli", "--data-dir", str(folder), "import"]
    return run_child([*command, str(source)], env, Path(code) if code else vaults.ROOT)


def floor(source: Path, folder: Path) -> Run:
    folder.mkdir()
    return run_child([sys.executable, __file__, "--floor", str(source), str(folder / "f.db")])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--floor", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument(
        "--before", metavar="DIR", help="also run the import of the companion/ package in DIR"
    )
    args = parser.parse_args()
    if args.floor:
        floor_import(Path(args.floor[0]), Path(args.floor[1]))
        return
    results: dict[int, dict[str, list[Run]]] = {}
    loads = []
    for count in args.entries:
        source = vaults.import_file(count)
        runs: dict[str, list[Run]] = {"ours": [], "floor": [], "before": []}
        steps: list[tuple[str, Callable[[Path, Path], Run]]] = [
            ("ours", ours),
            ("floor", floor),
        ]
        if args.before:
            steps.append(("before", lambda s, f: ours(s, f, args.before)))
        for round_ in range(args.rounds):
            for name, fn in steps[:: 1 if round_ % 2 == 0 else -1]:
                with tempfile.TemporaryDirectory(prefix="companion-import-bench-") as tmp:
                    loads.append(os.getloadavg()[0])
                    runs[name].append(fn(source, Path(tmp) / "v"))
                    wall, rss, cpu = runs[name][-1]
                    print(f"  {count:>6} {name:<6} {wall:6.1f} s {rss:5.0f} MB  CPU {cpu:5.1f} s",
                          flush=True)  # fmt: skip
        results[count] = runs
    print(f"\nload average during the runs: {min(loads):.1f}-{max(loads):.1f} (2 cores)")
    print(f"{'figure':<34}{'ours':>10}{'floor':>10}{'ratio':>7}  goal")
    for count, runs in results.items():
        mine = statistics.median(s for s, _, _ in runs["ours"])
        base = statistics.median(s for s, _, _ in runs["floor"])
        rss = max(r for _, r, _ in runs["ours"])
        base_rss = max(r for _, r, _ in runs["floor"])
        cpu = statistics.median(c for _, _, c in runs["ours"])
        base_cpu = statistics.median(c for _, _, c in runs["floor"])
        goal = "<= 1.5x" if count <= 10_000 else "linear"
        print(f"{f'import {count} entries, median':<34}{mine:>8.1f} s{base:>8.1f} s"
              f"{mine / base:>6.2f}x  {goal}")  # fmt: skip
        print(f"{'  CPU (user + system), median':<34}{cpu:>8.1f} s{base_cpu:>8.1f} s"
              f"{cpu / base_cpu:>6.2f}x  (less sensitive to the load)")  # fmt: skip
        paired = sorted(a[0] / b[0] for a, b in zip(runs["ours"], runs["floor"], strict=True))
        print(f"{'  each round, ours / floor':<34}"
              + " ".join(f"{r:.2f}x" for r in paired)
              + f"  (median {statistics.median(paired):.2f}x)")  # fmt: skip
        if runs["before"]:
            old = statistics.median(s for s, _, _ in runs["before"])
            old_rss = max(r for _, r, _ in runs["before"])
            old_cpu = statistics.median(c for _, _, c in runs["before"])
            print(f"{'  --before code (same run)':<34}{old:>8.1f} s{base:>8.1f} s"
                  f"{old / base:>6.2f}x  peak RSS {old_rss:.0f} MB")  # fmt: skip
            print(f"{'  --before code, CPU':<34}{old_cpu:>8.1f} s{base_cpu:>8.1f} s"
                  f"{old_cpu / base_cpu:>6.2f}x")  # fmt: skip
        per_k, base_per_k = mine / count * 1000, base / count * 1000
        print(f"{'  per 1,000 entries':<34}{per_k:>8.2f} s{base_per_k:>8.2f} s")
        print(f"{'  peak RSS':<34}{rss:>7.0f} MB{base_rss:>7.0f} MB{'':>7}  <= 500 MB")


if __name__ == "__main__":
    main()
