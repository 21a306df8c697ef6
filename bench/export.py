"""Export benchmark (issues 5 and 16): ``companion-cli export`` on the 1k / 10k / 50k bench
vaults, against a minimal export doing the same work, in the same run.

Ours: the real command line (``python -m companion.cli export``) in a child process, on a copy
of the cached bench vault (``bench/vaults.py``: built through ``companion-cli import``, the
tests' fast KDF): wall time from start to exit, and the child's peak RSS.

* ``--complete --format json --recipient KEY``: the whole vault, age-encrypted to a key (moving
  to a new computer);
* ``--format pdf`` of the last year (sessions, questionnaires, vitals and the entries marked
  "share with provider"), age-encrypted to a key: what a provider gets.

The floor for the JSON export: a child process with the least code that does the same work:
unwrap the vault's key with the passphrase (the same KDF call), open the database with
``sqlcipher3`` and the raw key, read every row of every data table, ``json.dumps`` them,
age-encrypt the bytes to the key with ``pyrage``, write a temporary file, fsync, rename. No
schema, no selection, no checks. The PDF has no such floor; its goal is absolute (< 3 s).

Rounds alternate ours / floor (the machine is shared; the load average is printed).
Goals: JSON export no slower than 1.5x the floor and linear in N; PDF of one year < 3 s.

Run: .venv/bin/python bench/export.py [--entries 1000 10000 50000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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

YEAR = ("2025-12-01", "2026-11-30")  # the bench vaults' last entry is on 30 Nov 2026
SKIP_TABLES = ("alembic_version", "sqlite_", "journal_fts")  # bookkeeping and the search index


def floor_export(data_dir: Path, out: Path, recipient: str) -> None:
    import sqlcipher3
    from pyrage import encrypt, x25519

    from companion.crypto import header as hdr
    from companion.paths import DataPaths

    paths = DataPaths(data_dir)
    dek = hdr.unwrap_with_passphrase(
        hdr.VaultHeader.from_bytes(paths.header.read_bytes()), vaults.PASSPHRASE
    )
    connection = sqlcipher3.connect(str(paths.database))
    connection.execute(f"PRAGMA key = \"x'{dek.hex()}'\"")
    names = [
        row[0]
        for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not row[0].startswith(SKIP_TABLES)
    ]
    records = {}
    for name in names:
        cursor = connection.execute(f'SELECT * FROM "{name}"')  # noqa: S608 (names from the file)
        columns = [d[0] for d in cursor.description]
        records[name] = [dict(zip(columns, row, strict=True)) for row in cursor]
    connection.close()
    data = json.dumps({"records": records}, ensure_ascii=False).encode()
    sealed = encrypt(data, [x25519.Recipient.from_str(recipient)])
    temporary = out.with_name(out.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(sealed)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(out)


Run = tuple[float, float, float]  # wall seconds, peak RSS in MB, CPU seconds (user + system)


def run_child(args: list[str], env: dict[str, str] | None = None) -> Run:
    """(seconds, peak RSS in MB, CPU seconds) of a child process. Compiled bytecode, as an
    installed Companion has it: this machine sets PYTHONDONTWRITEBYTECODE, and compiling every
    module from source cost each child ~0.8 s of CPU (the cache is bench/memory.py's too)."""
    env = dict(env if env is not None else os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "companion-bench-pycache")
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=vaults.ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed: {' '.join(args)}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def ours(folder: Path, out: Path, recipient: str, *export_args: str) -> Run:
    env = dict(os.environ, COMPANION_PASSPHRASE=vaults.PASSPHRASE)
    command = [sys.executable, "-m", "companion.cli", "--data-dir", str(folder), "export"]
    command += [*export_args, "--recipient", recipient, "--out", str(out)]
    return run_child(command, env)


def ours_json(folder: Path, out: Path, recipient: str) -> Run:
    return ours(folder, out, recipient, "--format", "json", "--complete")


def ours_pdf(folder: Path, out: Path, recipient: str) -> Run:
    span = ("--from", YEAR[0], "--to", YEAR[1])
    return ours(folder, out, recipient, "--format", "pdf", *span)


def floor(folder: Path, out: Path, recipient: str) -> Run:
    command = [sys.executable, __file__, "--floor", str(folder), str(out), recipient]
    return run_child(command)


Step = Callable[[Path, Path, str], Run]
STEPS: tuple[tuple[str, Step], ...] = (("json", ours_json), ("floor", floor), ("pdf", ours_pdf))


def measure(count: int, rounds: int, recipient: str, loads: list[float]) -> dict[str, list[Run]]:
    runs: dict[str, list[Run]] = {name: [] for name, _ in STEPS}
    with tempfile.TemporaryDirectory(prefix="companion-export-bench-") as tmp:
        folder = Path(tmp) / "vault"  # a copy: an export may write to the vault (its log)
        shutil.copytree(vaults.vault_folder(count), folder)
        for round_ in range(rounds):
            for name, fn in STEPS[:: 1 if round_ % 2 == 0 else -1]:
                loads.append(os.getloadavg()[0])
                out = Path(tmp) / f"{name}-{round_}.age"
                runs[name].append(fn(folder, out, recipient))
                size = out.stat().st_size / 1e6
                seconds, rss, cpu = runs[name][-1]
                print(
                    f"  {count:>6} {name:<5} {seconds:6.2f} s (CPU {cpu:5.2f} s) {rss:5.0f} MB"
                    f"  {size:6.1f} MB out"
                )
    return runs


def report(results: dict[int, dict[str, list[Run]]], loads: list[float]) -> None:
    print(f"\nload average during the runs: {min(loads):.1f}-{max(loads):.1f} (2 cores)")
    print(f"{'figure':<36}{'ours':>10}{'floor':>10}{'ratio':>7}  goal")
    for count, runs in results.items():
        mine = statistics.median(s for s, _, _ in runs["json"])
        base = statistics.median(s for s, _, _ in runs["floor"])
        pdf = statistics.median(s for s, _, _ in runs["pdf"])
        pdf_cpu = statistics.median(c for _, _, c in runs["pdf"])
        print(f"{f'JSON export, {count} entries':<36}{mine:>8.2f} s{base:>8.2f} s"
              f"{mine / base:>6.2f}x  <= 1.5x")  # fmt: skip
        print(f"{'  per 1,000 entries':<36}{mine / count * 1000:>8.2f} s"
              f"{base / count * 1000:>8.2f} s")  # fmt: skip
        rss, base_rss = max(r for _, r, _ in runs["json"]), max(r for _, r, _ in runs["floor"])
        print(f"{'  peak RSS':<36}{rss:>7.0f} MB{base_rss:>7.0f} MB")
        print(f"{'PDF of one year, shared entries':<36}{pdf:>8.2f} s{'':>10}{'':>7}  < 3 s")
        print(f"{'  its CPU time (user + system)':<36}{pdf_cpu:>8.2f} s")
        print(f"{'  peak RSS':<36}{max(r for _, r, _ in runs['pdf']):>7.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--floor", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor_export(Path(args.floor[0]), Path(args.floor[1]), args.floor[2])
        return
    from pyrage import x25519

    recipient = str(x25519.Identity.generate().to_public())
    loads: list[float] = []
    results = {count: measure(count, args.rounds, recipient, loads) for count in args.entries}
    report(results, loads)


if __name__ == "__main__":
    main()
