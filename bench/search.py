"""Search benchmark (issue 16): the Reflections page's own query, on the 1k / 10k / 50k bench
vaults (``bench/vaults.py``), against the same query on a plain SQLCipher FTS5 table.

Ours: ``ui.reflections.page.search_first``, exactly what the page runs on the worker after the
typing pause (``SearchService.search(text, 100, filters, FIRST_PASSAGES)``: the matching passage
for the first 20 hits; the page asks for the other 80 right after, off the clock here as the
hits are already on screen, and timed on their own as "rest"): limit 100 and the page's
``EntryFilters`` (with nothing chosen that is an ``EntryFilters()`` with every field None; some
queries add a kind, the shared flag, the last 30 days or a tag, as a patient narrowing down
would). The text goes through the same ``parse_query`` (the last word also as a prefix), bm25
ranking with the column weights, two snippets and the title highlighted. "Same results as
exhaustive" checks that ours returns the baseline's top 100 (it should be 100 %).

Baseline, in the same run: a separate SQLCipher database (raw key, same pragmas) holding the
same indexed text in an FTS5 table with the same tokenizer, and a small table of the filter
fields; the same MATCH, ``rank MATCH bm25(...)``, ``ORDER BY rank LIMIT 100``, the same
snippets, and the filters as ``rowid + 0 IN (SELECT ...)`` as ours. Built once and cached
beside the vault.

Queries: 1-3 words drawn from ranks 150-4,000 of the corpus vocabulary (the words a person
looks for, neither "the" nor one-off names). Each query runs ours then baseline (interleaved),
after one warm-up pass. Goal (issue 16): p95 <= 50 ms at 50k.

Run: .venv/bin/python bench/search.py [--entries 10000 50000] [--queries 60]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import vaults  # noqa: E402

from companion.crypto.kdf import KdfParams  # noqa: E402
from companion.domain.clock import SystemClock  # noqa: E402
from companion.domain.journal import ELLIPSIS, MARK_END, MARK_START, parse_query  # noqa: E402
from companion.paths import DataPaths  # noqa: E402
from companion.services.container import Services, build_services  # noqa: E402
from companion.services.search import EntryFilters  # noqa: E402
from companion.services.search_ranking import SNIPPET_TOKENS  # noqa: E402
from companion.storage import fts  # noqa: E402
from companion.ui.reflections.listing import search_first  # noqa: E402

LIMIT = 100
BASELINE_KEY = "11" * 32
BASELINE_SQL = (
    "SELECT rowid, rank, snippet(docs, 1, :ms, :me, :ell, :tokens), "
    "snippet(docs, 2, :ms, :me, :ell, :tokens), highlight(docs, 0, :ms, :me) "
    "FROM docs WHERE docs MATCH :match AND rank MATCH :rank {where} ORDER BY rank LIMIT :limit"
)
# The cheapest plain ranking (a floor, not the baseline): bm25 as a column sorted by
# SQLite, no snippets, no highlight; ours does this, then marks titles and makes 20 passages.
RANKING_SQL = (
    "SELECT rowid, bm25(docs, {weights}) AS score FROM docs WHERE docs MATCH :match {where} "
    "ORDER BY score, rowid LIMIT :limit"
)


def open_vault(count: int) -> Services:
    folder = vaults.vault_folder(count)
    services = build_services(DataPaths(folder), SystemClock(), kdf=KdfParams.for_tests())
    services.vault.unlock(vaults.PASSPHRASE)
    return services


def baseline(count: int, services: Services) -> Any:
    import sqlcipher3

    path = vaults.cache_root() / f"search-baseline-{count}-v{vaults.VERSION}.db"
    fresh = not path.exists()
    tmp = path.with_suffix(".part")
    connection = sqlcipher3.connect(str(tmp if fresh else path), isolation_level=None)
    connection.execute(f"PRAGMA key = \"x'{BASELINE_KEY}'\"")
    for pragma in ("temp_store = MEMORY", "journal_mode = WAL", "synchronous = FULL"):
        connection.execute(f"PRAGMA {pragma}")
    if not fresh:
        return connection
    print(f"building the {count}-entry search baseline ...", flush=True)
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, answers, tags, "
        f"tokenize = '{fts.TOKENIZER}')"
    )
    connection.execute(
        "CREATE TABLE meta (id INTEGER PRIMARY KEY, created_at INTEGER, kind TEXT, "
        "shared BOOLEAN, tags TEXT)"
    )
    connection.execute("BEGIN")
    with services.vault.unit_of_work() as session:
        db = session.connection()
        rows = db.exec_driver_sql(
            "SELECT f.rowid, f.title, f.body, f.answers, f.tags, e.created_at, e.kind, e.shared "
            "FROM journal_fts f JOIN journal_fts_entry e ON e.id = f.rowid"
        )
        for row in rows:
            connection.execute("INSERT INTO docs (rowid, title, body, answers, tags) "
                               "VALUES (?, ?, ?, ?, ?)", row[:5])  # fmt: skip
            connection.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?)",
                               (row[0], row[5], row[6], row[7], row[4]))  # fmt: skip
    connection.execute("COMMIT")
    connection.close()
    tmp.replace(path)
    return baseline(count, services)


def queries(count: int, seed: int) -> list[str]:
    words, _ = vaults._vocabulary()
    rng = random.Random(seed)
    pool = [w for w in words[150:4_000] if len(w) >= 4]
    return [" ".join(rng.sample(pool, rng.choice((1, 1, 2, 2, 3)))) for _ in range(count)]


def filter_mix(services: Services, n: int) -> tuple[EntryFilters, str, dict[str, Any]]:
    """The page's filters for query n, and the same condition for the baseline."""
    now = services.clock.now()
    month = now - timedelta(days=30)
    choice = n % 10
    if choice == 6:
        return EntryFilters(kind="reflection"), "AND rowid + 0 IN (SELECT id FROM meta "\
            "WHERE kind = :kind)", {"kind": "reflection"}  # fmt: skip
    if choice == 7:
        return EntryFilters(shared=True), "AND rowid + 0 IN (SELECT id FROM meta WHERE shared)", {}
    if choice == 8:
        micros = (month - fts._EPOCH) // timedelta(microseconds=1)
        return EntryFilters(start=month), "AND rowid + 0 IN (SELECT id FROM meta "\
            "WHERE created_at >= :start)", {"start": micros}  # fmt: skip
    if choice == 9:
        tag = vaults.Writer(7).tags[3]
        where = "AND rowid + 0 IN (SELECT id FROM meta WHERE instr(char(10)||tags||char(10), :t))"
        return EntryFilters(tag=tag), where, {"t": f"\n{tag}\n"}
    return EntryFilters(), "", {}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def measure(count: int, n_queries: int, seed: int) -> dict[str, float]:
    services = open_vault(count)
    base = baseline(count, services)
    texts = queries(n_queries, seed)
    ours_ms: list[float] = []
    base_ms: list[float] = []
    hits: list[int] = []
    agree: list[float] = []
    rest_ms: list[float] = []
    floor_ms: list[float] = []
    weights = ", ".join(f"{w:.1f}" for w in fts.WEIGHTS)
    for warm in (True, False):
        for n, text in enumerate(texts):
            filters, where, extra = filter_mix(services, n)
            start = time.perf_counter()
            found = search_first(services, text, filters)
            mine = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            services.search.passages(text, [h.entry_id for h in found if not h.has_passage])
            rest = (time.perf_counter() - start) * 1000
            params = {"ms": MARK_START, "me": MARK_END, "ell": ELLIPSIS, "tokens": SNIPPET_TOKENS,
                      "match": parse_query(text).match, "rank": fts.RANK, "limit": LIMIT,
                      **extra}  # fmt: skip
            start = time.perf_counter()
            rows = base.execute(BASELINE_SQL.format(where=where), params).fetchall()
            theirs = (time.perf_counter() - start) * 1000
            ranking_only = RANKING_SQL.format(weights=weights, where=where)
            start = time.perf_counter()
            base.execute(ranking_only, {"match": params["match"], "limit": LIMIT, **extra})
            floor = (time.perf_counter() - start) * 1000
            if not warm:
                floor_ms.append(floor)
                ours_ms.append(mine)
                rest_ms.append(rest)
                base_ms.append(theirs)
                hits.append(len(found))
                agree.append(_agreement(base, found, rows))
    services.vault.lock()
    services.worker.shutdown()
    base.close()
    return {
        "p50": statistics.median(ours_ms),
        "p95": percentile(ours_ms, 95),
        "base p50": statistics.median(base_ms),
        "base p95": percentile(base_ms, 95),
        "hits": statistics.median(hits),
        "agree": statistics.mean(agree),
        "rest p50": statistics.median(rest_ms),
        "rest p95": percentile(rest_ms, 95),
        "ranking p50": statistics.median(floor_ms),
        "ranking p95": percentile(floor_ms, 95),
    }


def _agreement(base: Any, found: list[Any], rows: list[Any]) -> float:
    """Share of the exhaustive ranking's results (the baseline's) that ours also returns,
    matched by creation time (the two databases number rows independently); 1.0 means the
    same set."""
    if not rows:
        return 1.0
    query = "SELECT created_at FROM meta WHERE id = ?"
    theirs = {int(base.execute(query, (int(r[0]),)).fetchone()[0]) for r in rows}
    ours = {(h.created_at - fts._EPOCH) // timedelta(microseconds=1) for h in found}
    return len(theirs & ours) / len(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    loads = [os.getloadavg()[0]]
    results = {}
    for count in args.entries:
        results[count] = measure(count, args.queries, args.seed)
        loads.append(os.getloadavg()[0])
        print(f"  {count}: " + ", ".join(f"{k} {v:.1f}" for k, v in results[count].items()),
              f"(load {loads[-1]:.1f})", flush=True)  # fmt: skip
    print(f"\nload average: {min(loads):.1f}-{max(loads):.1f} (2 cores); "
          f"{args.queries} queries of 1-3 words, limit {LIMIT}, 4 in 10 with a filter")  # fmt: skip
    print(f"{'figure':<30}{'ours':>9}{'baseline':>10}{'ratio':>7}  goal")
    for count, r in results.items():
        for p in ("p50", "p95"):
            goal = "<= 50 ms at 50k" if p == "p95" else ""
            print(f"{f'search {count}: {p}':<30}{r[p]:>6.1f} ms{r['base ' + p]:>7.1f} ms"
                  f"{r[p] / r['base ' + p]:>6.2f}x  {goal}")  # fmt: skip
        print(f"{f'  median hits (limit {LIMIT})':<30}{r['hits']:>9.0f}")
        print(f"{'  same results as exhaustive':<30}{r['agree']:>9.1%}")
        print(f"{'  other 80 passages p50/p95':<30}{r['rest p50']:>6.1f} / {r['rest p95']:.1f} ms")
        print(f"{'  plain ranking only p50/p95':<30}"
              f"{r['ranking p50']:>6.1f} / {r['ranking p95']:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
