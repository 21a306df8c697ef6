"""Export benchmark (issue 5), service level, on the 10,000-entry demo vault.

1. Builds the demo vault (10,000 entries of 200-3,000 words, 500 sessions; ``DemoService``).
2. Measures, each from the vault as the app has it:
   * the complete JSON export (read, render, age-encrypt to a public key, atomic write);
   * the same with a generated passphrase (adds age's scrypt, ~1-3 s by design);
   * the import of that file into a new, empty vault (decrypt, schema check, one transaction,
     search index);
   * the PDF report of the last year (sessions, questionnaires, vitals, shared entries);
   * the FHIR bundle of the same year (includes rendering the PDF it carries);
   * the process's peak RSS after each step.

Targets (issue 5): PDF of one year under 3 s, JSON export and import of the whole vault under
5 s each.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/export.py [--entries N] [--sessions N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pyrage import x25519  # noqa: E402

from companion.crypto.kdf import KdfParams  # noqa: E402
from companion.domain.clock import SystemClock  # noqa: E402
from companion.domain.export_selection import Selection  # noqa: E402
from companion.paths import DataPaths  # noqa: E402
from companion.pdf import QtPdfRenderer  # noqa: E402
from companion.services.container import Services, build_services  # noqa: E402
from companion.services.demo import DemoOptions  # noqa: E402
from companion.services.export import (  # noqa: E402
    ExportFormat,
    ExportRequest,
    Protection,
    default_zone,
)

PASSPHRASE = "benchmark passphrase river stone 9"
T = TypeVar("T")


def services_in(folder: Path) -> Services:
    paths = DataPaths(folder)
    paths.ensure()
    services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests(), pdf=QtPdfRenderer())
    services.vault.create(PASSPHRASE)
    return services


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # as the app has one
    rows: list[tuple[str, float, str, float | None]] = []
    with tempfile.TemporaryDirectory(prefix="companion-export-bench-") as tmp:
        folder = Path(tmp)
        source = services_in(folder / "source")
        options = DemoOptions(sessions=args.sessions, entries=args.entries, seed=args.seed)
        print(f"Building the demo vault ({args.entries} entries, {args.sessions} sessions)...")
        _, built = timed(lambda: source.demo.generate(options))
        source.vault.lock()
        source.vault.unlock(PASSPHRASE)
        print(f"  built in {built:.1f} s; peak RSS {rss_mb():.0f} MB")
        identity = x25519.Identity.generate()
        to_key = Protection.to_recipient(str(identity.to_public()))

        whole = ExportRequest(Selection.whole_vault(), ExportFormat.JSON, to_key)
        out = folder / "vault.json.age"
        result, seconds = timed(lambda: source.export.export(whole, out))
        size_mb = result.size / 1e6
        rows.append(("JSON export, whole vault (age to a key)", seconds, "< 5 s", 5.0))
        print(f"  JSON export: {size_mb:.0f} MB, peak RSS {rss_mb():.0f} MB")

        with_passphrase = ExportRequest(Selection.whole_vault(), ExportFormat.JSON)
        _, seconds = timed(
            lambda: source.export.export(with_passphrase, folder / "vault-pass.json.age")
        )
        rows.append(("JSON export, whole vault (age passphrase)", seconds, "info", None))

        target = services_in(folder / "target")
        key_text = str(identity)
        stages: dict[str, float] = {}

        def mark(_fraction: float, stage: str) -> None:
            stages.setdefault(stage, time.perf_counter())

        start = time.perf_counter()
        records, _ = target.importer.read_file(out, identity_text=key_text)
        checked = time.perf_counter()
        report = target.importer.import_records(records, progress=mark)
        done = time.perf_counter()
        del records
        committed = stages.get("index", done)
        rows.append(("JSON import: decrypt, parse, schema check", checked - start, "info", None))
        rows.append(("JSON import: one transaction", committed - checked, "info", None))
        rows.append(("JSON import: search index of the entries", done - committed, "info", None))
        rows.append(("JSON import into an empty vault, total", done - start, "< 5 s", 5.0))
        print(f"  imported {report.total_added} records; peak RSS {rss_mb():.0f} MB")

        today = source.clock.now().astimezone(default_zone()).date()
        year = Selection(start=today - timedelta(days=365), end=today, zone=default_zone())
        preview, seconds = timed(lambda: source.export.preview(year))
        rows.append(("Preview of one year", seconds, "info", None))
        sessions = len(preview.report.sessions)
        entries = len(preview.report.entries)
        pdf_request = ExportRequest(year, ExportFormat.PDF, to_key)
        pdf, seconds = timed(lambda: source.export.export(pdf_request, folder / "year.pdf.age"))
        rows.append(("PDF report of one year", seconds, "< 3 s", 3.0))
        fhir_request = ExportRequest(year, ExportFormat.FHIR, to_key)
        fhir, seconds = timed(lambda: source.export.export(fhir_request, folder / "year.fhir.age"))
        rows.append(("FHIR bundle of one year (with the PDF)", seconds, "info", None))
        print(
            f"  one year: {sessions} sessions, {entries} shared entries; PDF {pdf.size / 1e6:.1f}"
            f" MB, FHIR {fhir.size / 1e6:.1f} MB"
        )
        for services in (source, target):
            services.vault.lock()
            services.worker.shutdown()
    del app

    print()
    print(f"{'measure':<44}{'value':>9}  {'target':<8}{'ok':>4}")
    print("-" * 68)
    for name, value, target_text, limit in rows:
        mark = "" if limit is None else ("yes" if value < limit else "NO")
        print(f"{name:<44}{value:>7.2f} s  {target_text:<8}{mark:>4}")
    print(f"{'peak RSS of the process':<44}{rss_mb():>6.0f} MB")


if __name__ == "__main__":
    main()
