"""Reflections benchmark (issue 4), service level: the data behind the Reflections, Search and
Insights pages on a large vault, against a plaintext SQLite FTS5 baseline in the same run.

1. Builds a demo vault in a temporary folder: 10,000 entries of 200-3,000 words with tags,
   500 sessions with vitals, doses, side effects and questionnaires (``DemoService``).
2. Copies the same indexed text (title, plain body, answers, tags) into a separate, unencrypted
   SQLite file with the same FTS5 table and tokenizer, through the standard ``sqlite3`` module.
   That is fine for a benchmark and never done by the app.
3. Measures ``SearchService.list_entries()`` (all entries, what the Reflections page loads),
   search latency over 50 queries of 1-3 words (median and p95; every query goes through the
   same parse, bm25 ranking, two snippets and a title highlight in both databases),
   ``InsightsService.overview()``, and the process's peak RSS.

Targets (issue 4): Reflections data under 300 ms, search p95 under 100 ms and within 3x of the
plaintext baseline, Insights data under 500 ms, RSS under 300 MB. The GUI's own share of those
budgets is measured later, with the pages.

Run: .venv/bin/python bench/reflections.py [--entries N] [--sessions N] [--queries N]

Issue 16: ``--bench-vaults 1000 10000 50000`` instead measures the Reflections list's first
screen (``pages.read_first``, the op the page runs on the worker: 50 rows newest first and the
counts) on the cached bench vaults of ``bench/vaults.py``, against the same first 50 rows and
count(*) from a plain SQLCipher table in the same run (the ``meta`` table of
``bench/search.py``'s baseline: id, created_at, kind, shared, tags; it has no index, so it
sorts), interleaved, median of 5; then a page 2,000 rows down, filtered first screens, the
other column orders, the tag list, and the whole-list read the page did before (every
summary and tag) against the plain table's every row.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from companion.crypto.kdf import KdfParams  # noqa: E402
from companion.domain.clock import SystemClock  # noqa: E402
from companion.domain.journal import ELLIPSIS, MARK_END, MARK_START, parse_query  # noqa: E402
from companion.paths import DataPaths  # noqa: E402
from companion.services.container import Services, build_services  # noqa: E402
from companion.services.demo import DemoOptions  # noqa: E402
from companion.services.search import EntryFilters  # noqa: E402
from companion.storage import fts  # noqa: E402

PASSPHRASE = "benchmark passphrase river stone 9"
STOPWORDS = frozenset(
    ("the", "and", "was", "with", "that", "this", "from", "there", "have", "felt", "like",
     "what", "about", "into", "were", "they", "then", "than", "them", "when", "which",
     "would", "could", "some", "more", "still", "after", "before", "while")
)  # fmt: skip
BASELINE_SQL = (
    "SELECT rowid, rank, "
    "snippet(docs, 1, :ms, :me, :ell, 24), snippet(docs, 2, :ms, :me, :ell, 24), "
    "highlight(docs, 0, :ms, :me) "
    "FROM docs WHERE docs MATCH :match AND rank MATCH :rank ORDER BY rank LIMIT :limit"
)


def build_vault(folder: Path, options: DemoOptions) -> tuple[Services, float]:
    paths = DataPaths(folder)
    paths.ensure()
    # The KDF is not what this measures; the test parameters keep unlocking quick.
    services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests())
    services.vault.create(PASSPHRASE)
    start = time.perf_counter()
    services.demo.generate(options)
    seconds = time.perf_counter() - start
    services.vault.lock()  # measure from a fresh unlock, as the app would
    services.vault.unlock(PASSPHRASE)
    return services, seconds


def build_baseline(path: Path, services: Services) -> tuple[sqlite3.Connection, list[str]]:
    """The same documents in a plaintext FTS5 table. Returns the connection and some words."""
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, answers, tags, "
        f"tokenize = '{fts.TOKENIZER}')"
    )
    sample: list[str] = []
    with services.vault.unit_of_work() as session:
        db = session.connection()
        ids = [
            i
            for (i,) in db.execute(
                fts.entry_index.select().with_only_columns(fts.entry_index.c.entry_id)
            )
        ]
        for start in range(0, len(ids), 500):
            docs = fts.load_indexed(db, ids[start : start + 500])
            connection.executemany(
                "INSERT INTO docs (title, body, answers, tags) VALUES (?, ?, ?, ?)",
                [
                    (d.document.title, d.document.body, d.document.answers, d.document.tags)
                    for d in docs
                ],
            )
            if len(sample) < 20_000:
                sample.extend(docs[0].document.body.split()[:2_000])
    connection.commit()
    return connection, sample


def pick_queries(words: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocabulary = sorted({w.strip(".,;:!?*'\"").lower() for w in words} - STOPWORDS - {""})
    vocabulary = [w for w in vocabulary if w.isalpha() and len(w) >= 4]
    return [" ".join(rng.sample(vocabulary, rng.choice((1, 1, 2, 2, 3)))) for _ in range(count)]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def _first_screens(services: Services, plain: Any, rounds: int) -> dict[str, list[float]]:
    """Ours and the plain table's first screen, interleaved; then the other orders, a deep page,
    filtered first screens and the old whole-list read, on the same vault."""
    from companion.services.entry_pages import EntryPages, ListQuery, SortColumn
    from companion.ui.reflections.pages import (
        FIRST_ROWS,
        PAGE_ROWS,
        PageRequest,
        read_first,
        shown_words,
    )

    def first(query: ListQuery) -> Callable[[], object]:
        request = PageRequest(1, shown_words(query), None, FIRST_ROWS)
        return lambda: read_first(services, request)

    pages = EntryPages(services.vault, services.journal)
    deep = ListQuery()
    last = None
    for _ in range(10):  # the key after 2,000 rows: a page that far down
        last = pages.page(deep, last, PAGE_ROWS).last
    common = services.journal.tags()[0].name
    times: dict[str, list[float]] = {"after unlock": [timed(first(ListQuery()))]}
    for _ in range(rounds):
        times.setdefault("ours", []).append(timed(first(ListQuery())))
        times.setdefault("plain", []).append(
            timed(
                lambda: (
                    plain.execute(
                        "SELECT * FROM meta ORDER BY created_at DESC LIMIT ?", (FIRST_ROWS,)
                    ).fetchall(),
                    plain.execute("SELECT count(*) FROM meta").fetchall(),
                )
            )
        )
        times.setdefault("page 11", []).append(timed(lambda: pages.page(deep, last, PAGE_ROWS)))
        times.setdefault("kind+shared", []).append(
            timed(first(ListQuery(EntryFilters(kind="reflection", shared=True))))
        )
        times.setdefault("tag (most used)", []).append(
            timed(first(ListQuery(EntryFilters(tag=common))))
        )
    for sort in list(SortColumn)[1:]:
        times[f"by {sort}"] = [timed(first(ListQuery(sort=sort))) for _ in range(3)]
    times["tags for the filter"] = [timed(services.journal.tags) for _ in range(3)]
    times["old: every summary"] = [
        timed(lambda: (services.search.list_entries(), services.journal.tags())) for _ in range(3)
    ]
    times["plain: every row"] = [
        timed(lambda: plain.execute("SELECT * FROM meta ORDER BY created_at DESC").fetchall())
        for _ in range(3)
    ]
    return times


def list_on_bench_vaults(sizes: list[int], rounds: int = 5) -> None:
    import os

    sys.path.insert(0, str(ROOT / "bench"))
    import search as search_bench

    loads = [os.getloadavg()[0]]
    results: dict[int, dict[str, list[float]]] = {}
    for count in sizes:
        services = search_bench.open_vault(count)
        plain = search_bench.baseline(count, services)
        results[count] = _first_screens(services, plain, rounds)
        services.vault.lock()
        services.worker.shutdown()
        plain.close()
        loads.append(os.getloadavg()[0])
        print(f"  {count}: first screen {statistics.median(results[count]['ours']):.1f} ms",
              flush=True)  # fmt: skip
    print(f"\nload average: {min(loads):.1f}-{max(loads):.1f} (2 cores); medians, ms")
    print(f"{'figure':<32}" + "".join(f"{n:>12}" for n in sizes))
    for name in results[sizes[0]]:
        row = "".join(
            f"{statistics.median(results[n][name]):>12.1f}" if name in results[n] else f"{'':>12}"
            for n in sizes
        )
        print(f"{name[:31]:<32}{row}")
    ratios = "".join(
        f"{statistics.median(results[n]['ours']) / statistics.median(results[n]['plain']):>11.1f}x"
        for n in sizes
    )
    print(f"{'ours / plain, first screen':<32}{ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bench-vaults", type=int, nargs="+", metavar="N")
    args = parser.parse_args()
    if args.bench_vaults:
        list_on_bench_vaults(args.bench_vaults)
        return

    with tempfile.TemporaryDirectory(prefix="companion-bench-") as tmp:
        folder = Path(tmp)
        options = DemoOptions(sessions=args.sessions, entries=args.entries, seed=args.seed)
        print(
            f"building a demo vault: {args.entries} entries, {args.sessions} sessions ...",
            flush=True,
        )
        services, build_seconds = build_vault(folder / "vault", options)
        vault_mb = services.paths.database.stat().st_size / 1e6

        # Reflections: the first call after unlock also checks the index once.
        first_list = timed(services.search.list_entries)
        list_times = [timed(services.search.list_entries) for _ in range(5)]
        count = len(services.search.list_entries())

        baseline_start = time.perf_counter()
        baseline, words = build_baseline(folder / "baseline.sqlite", services)
        baseline_seconds = time.perf_counter() - baseline_start
        queries = pick_queries(words, args.queries, args.seed)

        def vault_search(q: str) -> Callable[[], object]:
            return lambda: services.search.search(q, limit=50)

        def plain_search(q: str) -> Callable[[], object]:
            params = {
                "ms": MARK_START,
                "me": MARK_END,
                "ell": ELLIPSIS,
                "limit": 50,
                "match": parse_query(q).match,
                "rank": fts.RANK,
            }
            return lambda: baseline.execute(BASELINE_SQL, params).fetchall()

        cold_vault = [timed(vault_search(q)) for q in queries]
        cold_plain = [timed(plain_search(q)) for q in queries]
        vault_times = [timed(vault_search(q)) for q in queries]
        plain_times = [timed(plain_search(q)) for q in queries]
        hits = [len(services.search.search(q, limit=50)) for q in queries]
        filters = [EntryFilters(kind="reflection"), EntryFilters(tag="calm"),
                   EntryFilters(shared=True)]  # fmt: skip
        filtered_times = [
            timed(lambda q=q, i=i: services.search.search(q, 50, filters[i % len(filters)]))
            for i, q in enumerate(queries)
        ]

        insights_first = timed(services.insights.overview)
        insights_times = [timed(services.insights.overview) for _ in range(5)]
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        services.vault.lock()
        services.worker.shutdown()
        baseline.close()

    p95_vault, p95_plain = percentile(vault_times, 95), percentile(plain_times, 95)
    ratio = p95_vault / p95_plain if p95_plain else float("inf")
    rows = [
        (
            "Reflections data (10k summaries), median",
            statistics.median(list_times),
            "ms",
            "< 300 ms",
            statistics.median(list_times) < 300,
        ),
        ("  first call after unlock", first_list, "ms", "", None),
        ("Search p50 (warm)", statistics.median(vault_times), "ms", "", None),
        ("Search p95 (warm)", p95_vault, "ms", "< 100 ms", p95_vault < 100),
        ("  plaintext FTS5 p50", statistics.median(plain_times), "ms", "", None),
        ("  plaintext FTS5 p95", p95_plain, "ms", "", None),
        ("Search p95 vs plaintext", ratio, "x", "<= 3x", ratio <= 3),
        (
            "Search p95 with a filter (kind/tag/shared)",
            percentile(filtered_times, 95),
            "ms",
            "< 100 ms",
            percentile(filtered_times, 95) < 100,
        ),
        ("Search p95, first pass", percentile(cold_vault, 95), "ms", "", None),
        ("  plaintext, first pass", percentile(cold_plain, 95), "ms", "", None),
        (
            "Insights data, median",
            statistics.median(insights_times),
            "ms",
            "< 500 ms",
            statistics.median(insights_times) < 500,
        ),
        ("  first call", insights_first, "ms", "", None),
        ("Peak RSS", rss_mb, "MB", "< 300 MB", rss_mb < 300),
    ]
    print()
    print(
        f"vault: {count} entries, {vault_mb:.0f} MB encrypted; demo built in "
        f"{build_seconds:.1f} s; baseline copied in {baseline_seconds:.1f} s"
    )
    print(
        f"queries: {len(queries)} of 1-3 words, e.g. {', '.join(repr(q) for q in queries[:4])};"
        f" median hits {statistics.median(hits):.0f} (limit 50)"
    )
    print()
    print(f"{'measure':<44}{'value':>10}  {'target':<10}{'ok':>4}")
    print("-" * 70)
    for name, value, unit, target, ok in rows:
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{name:<44}{value:>8.1f} {unit:<2} {target:<10}{mark:>4}")


if __name__ == "__main__":
    main()
