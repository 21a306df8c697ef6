"""Start-up and unlock benchmark (issue 2).

1. Time from process start to the first window shown: Companion's real main() on an existing
   vault (the unlock screen) against a bare PySide6 window, measured alternately in this run.
   Target: within 1.5x of the bare window.
2. Unlock of an empty, really calibrated vault, split into the KDF (Argon2id, ~1 s by design)
   and everything after it (header MAC, opening SQLCipher, schema check, first query).
   Target: everything after the KDF under 150 ms.

Run: .venv/bin/python bench/startup.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSPHRASE = "benchmark passphrase river stone 9"


def window_time(mode: str, data_dir: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_window_probe.py"), mode, str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = proc.stdout.split()
    if not lines:
        raise SystemExit(f"{mode} probe failed: {proc.stderr[-2000:]}")
    return float(lines[0]) - start


def unlock_split(data_dir: Path, rounds: int) -> tuple[list[float], list[float], str]:
    from companion.crypto import header as hdr
    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services
    from companion.storage import vault as store

    paths = DataPaths(data_dir)
    services = build_services(paths, SystemClock())  # real calibration, as the app does
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    params = hdr.VaultHeader.from_bytes(paths.header.read_bytes()).slot(hdr.PASSPHRASE).params
    kdf_times, rest_times = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        header = store.read_header(paths)
        dek = hdr.unwrap_with_passphrase(header, PASSPHRASE)  # Argon2id + AES-GCM + header MAC
        t1 = time.perf_counter()
        engine = store.open_database(paths, dek)  # SQLCipher key, pragmas, schema check
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM profile").scalar()
        t2 = time.perf_counter()
        engine.dispose()
        dek.wipe()
        kdf_times.append(t1 - t0)
        rest_times.append(t2 - t1)
    services.worker.shutdown()
    return kdf_times, rest_times, str(params)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "vault"
        kdf_times, rest_times, params = unlock_split(data_dir, args.rounds)
        bare, app = [], []
        window_time("bare", data_dir)  # warm the OS file cache for both
        window_time("app", data_dir)
        for _ in range(args.rounds):
            bare.append(window_time("bare", data_dir))
            app.append(window_time("app", data_dir))

    def ms(values: list[float]) -> str:
        median, best = statistics.median(values) * 1000, min(values) * 1000
        return f"median {median:7.1f} ms   min {best:7.1f} ms"

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    ratio = statistics.median(app) / statistics.median(bare)
    rest = statistics.median(rest_times) * 1000
    print(f"start-up to first window ({args.rounds} rounds each, alternating)")
    print(f"  bare PySide6 window      {ms(bare)}")
    print(f"  Companion unlock screen  {ms(app)}")
    print(f"  ratio                    {ratio:.2f}x   (target <= 1.5x: {verdict(ratio <= 1.5)})")
    print(f"unlock of an empty calibrated vault ({params})")
    print(f"  KDF (Argon2id + unwrap)  {ms(kdf_times)}")
    print(f"  everything after the KDF {ms(rest_times)}   (target < 150 ms: {verdict(rest < 150)})")


if __name__ == "__main__":
    main()
