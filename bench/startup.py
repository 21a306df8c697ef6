"""Start-up and unlock benchmark (issue 16, items 6 and 7).

1. Time from process start to the first painted frame of the first window, under Xvfb (the X
   server a desktop would be; started here unless ``--display`` names one): Companion's real
   main() on an existing vault (the unlock window) against a bare PySide6 window (a QLabel),
   interleaved A/B in this run, with the same probe (``bench/_window_probe.py``: the first paint
   event's frame flushed to the X server). The window mapped (its first Expose) is shown too.
   ``--before DIR`` adds a third arm: the same probe on another source tree (e.g. ``git archive``
   of an earlier commit), to measure a change in the same run. Goal: within 1.5x of the bare
   window.
2. Unlock of an empty, really calibrated vault, split into the KDF (Argon2id, ~1 s by design)
   and everything after it (header MAC, opening SQLCipher, schema check, first query).
   Target: everything after the KDF under 150 ms.

``--instructions`` also counts the instructions each arm executes to its first frame, once, under
valgrind's callgrind: a figure the machine's load does not move (the wall-clock ratio grows with
the load on this shared 2-core machine).

Run: .venv/bin/python bench/startup.py [--rounds N] [--before DIR] [--instructions]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PYCACHE = Path(tempfile.gettempdir()) / "companion-bench-pycache"
PASSPHRASE = "benchmark passphrase river stone 9"
ARM_NAMES = {"bare": "bare PySide6 window", "app": "Companion unlock", "before": "--before tree"}


@contextlib.contextmanager
def xvfb(display: str | None) -> Iterator[str]:
    """An X server for the run: ``display`` if given, else a fresh Xvfb (1366x768, 24 bits)."""
    if display:
        yield display
        return
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def probe_env(display: str, tree: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(tree), "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("QT_SCALE_FACTOR", None)
    # Compiled bytecode, as an installed Companion (a wheel, the bundle) has it: without it every
    # module is compiled from source at each start (this machine sets PYTHONDONTWRITEBYTECODE).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def window_time(mode: str, data_dir: Path, display: str, tree: Path = ROOT) -> tuple[float, float]:
    """Seconds from process start to the window mapped and to its first frame painted."""
    env = probe_env(display, tree)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_window_probe.py"), mode, str(data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    words = proc.stdout.split()
    if len(words) < 2:
        raise SystemExit(f"{mode} probe failed: {proc.stderr[-2000:]}")
    return float(words[0]) - start, float(words[1]) - start


def instructions(mode: str, data_dir: Path, display: str, tree: Path = ROOT) -> int:
    """Instructions the probe's process executes from its start to its first frame painted
    (callgrind; Qt's D-Bus helper, a forked child, is not counted)."""
    env = {**probe_env(display, tree), "COMPANION_BENCH_COUNTING": "1"}
    command = [sys.executable, str(ROOT / "bench" / "_window_probe.py"), mode, str(data_dir)]
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    first = re.search(r"^==(\d+)==", proc.stderr, re.MULTILINE)
    counted = first and re.search(rf"^=={first[1]}== Collected : (\d+)", proc.stderr, re.MULTILINE)
    if not counted or len(proc.stdout.split()) < 2:
        raise SystemExit(f"{mode} count failed: {proc.stderr[-2000:]}")
    return int(counted[1])


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
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--display", help="an X display to use instead of a fresh Xvfb")
    parser.add_argument("--before", type=Path, help="another source tree, measured as a third arm")
    parser.add_argument("--no-kdf", action="store_true", help="skip the unlock split")
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions (valgrind)"
    )
    args = parser.parse_args()
    arms: dict[str, tuple[str, Path]] = {"bare": ("bare", ROOT), "app": ("app", ROOT)}
    if args.before:
        arms["before"] = ("app", args.before.resolve())
    load = os.getloadavg()[0]
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in arms}
    with tempfile.TemporaryDirectory() as tmp, xvfb(args.display) as display:
        data_dir = Path(tmp) / "vault"
        kdf_times, rest_times, params = unlock_split(data_dir, 1 if args.no_kdf else args.rounds)
        for mode, tree in arms.values():
            window_time(mode, data_dir, display, tree)  # warm the OS file cache for each
        for index in range(args.rounds):
            names = list(arms) if index % 2 == 0 else list(reversed(arms))
            for name in names:
                mode, tree = arms[name]
                results[name].append(window_time(mode, data_dir, display, tree))
        counts: dict[str, int] = {}
        if args.instructions:
            counts = {
                name: instructions(mode, data_dir, display, tree)
                for name, (mode, tree) in arms.items()
            }
    print_results(args.rounds, load, results)
    print_counts(counts)
    rest = statistics.median(rest_times) * 1000
    print(f"unlock of an empty calibrated vault ({params})")
    print(f"  KDF (Argon2id + unwrap)  {ms(kdf_times)}")
    print(f"  everything after the KDF {ms(rest_times)}   (target < 150 ms: {verdict(rest < 150)})")


def ms(values: list[float]) -> str:
    median, best = statistics.median(values) * 1000, min(values) * 1000
    return f"median {median:7.1f} ms   min {best:7.1f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def print_results(rounds: int, load: float, results: dict[str, list[tuple[float, float]]]) -> None:
    print(f"start-up under Xvfb ({rounds} rounds each, interleaved; load {load:.2f} at start)")
    for column, what in ((1, "first frame painted"), (0, "window mapped (Expose)")):
        print(f" to the {what}")
        bare = statistics.median(r[column] for r in results["bare"])
        for name, runs in results.items():
            values = [r[column] for r in runs]
            ratio = statistics.median(values) / bare
            print(f"  {ARM_NAMES[name]:<22} {ms(values)}   {ratio:.2f}x bare")
    ratio = statistics.median(r[1] for r in results["app"]) / statistics.median(
        r[1] for r in results["bare"]
    )
    print(f"goal: first frame <= 1.5x bare: {ratio:.2f}x, {verdict(ratio <= 1.5)}")
    print(f"load at the end: {os.getloadavg()[0]:.2f}")


def print_counts(counts: dict[str, int]) -> None:
    if not counts:
        return
    print(" instructions to the first frame painted (callgrind, once each)")
    for name, count in counts.items():
        print(f"  {ARM_NAMES[name]:<22} {count / 1e6:9.1f} M   {count / counts['bare']:.2f}x bare")


if __name__ == "__main__":
    main()
