"""Benchmark vaults of 1k / 10k / 50k journal entries, built the way a patient would get them:
a JSON file from elsewhere, brought in with ``companion-cli import``.

The corpus: zxcvbn's ``english_wikipedia`` list (the 30,000 most frequent words of English
Wikipedia, in rank order, shipped with the zxcvbn package Companion already depends on). Words
are drawn with Zipf weights (1/rank), so common words are common and rare words rare, as in
real prose; none of it comes from Companion's own demo word lists. Each entry has 200-3,000
words in sentences and paragraphs, with the Markdown a person writes (headings, lists,
emphasis, links); 0-3 tags from 40; a mix of kinds, moods and sharing. Everything is derived
from ``--seed``, so the same N always gives the same vault.

The vault is created with the tests' fast KDF (``KdfParams.for_tests()``) unless ``--kdf real``:
the benches that use these vaults measure lists, search, import and export, not unlocking.
Vaults are cached in ``~/.cache/companion-bench/`` (or ``$COMPANION_BENCH_CACHE``), one folder
per size, seed and KDF, with the import file beside them, so a bench run does not rebuild them.

Run: .venv/bin/python bench/vaults.py [--entries 1000 10000 50000] [--kdf test|real]
From a bench: ``from vaults import vault_folder, import_file``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSPHRASE = "benchmark passphrase river stone 9"
VERSION = 1  # bump when the generator changes, so old caches are not reused
END = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
SIZES = (1_000, 10_000, 50_000)


def cache_root() -> Path:
    env = os.environ.get("COMPANION_BENCH_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "companion-bench"


# --------------------------------------------------------------------------------------------
# The corpus


def _vocabulary() -> tuple[list[str], list[float]]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    ranked = [w for w in FREQUENCY_LISTS["english_wikipedia"] if w.isalpha() and w.isascii()]
    ranked = [w for w in ranked if w not in {"doc", "https", "http", "www", "com"}]
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(ranked))))
    return ranked, cumulative


class Writer:
    """Deterministic prose from the ranked vocabulary."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words, self.cumulative = _vocabulary()
        self.tags = self.words[400:440]

    def draw(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)

    def sentence(self, n: int) -> str:
        words = self.draw(n)
        rng = self.rng
        if n > 6 and rng.random() < 0.15:
            i = rng.randrange(n)
            words[i] = f"*{words[i]}*" if rng.random() < 0.6 else f"**{words[i]}**"
        if n > 8 and rng.random() < 0.03:
            i = rng.randrange(n - 1)
            words[i] = f"[{words[i]} {words[i + 1]}](https://example.org/{words[i]})"
            del words[i + 1]
        text = " ".join(words)
        if n > 10 and rng.random() < 0.3:
            cut = rng.randrange(3, n - 3)
            head = " ".join(words[:cut])
            text = head + ", " + " ".join(words[cut:])
        return text[0].upper() + text[1:] + rng.choice(".......?!")

    def body(self, total: int) -> str:
        rng = self.rng
        blocks: list[str] = []
        left = total
        while left > 0:
            roll = rng.random()
            if roll < 0.06 and blocks:
                blocks.append("## " + " ".join(self.draw(rng.randint(2, 5))).capitalize())
                continue
            if roll < 0.12:
                items = []
                for _ in range(rng.randint(2, 5)):
                    n = min(left, rng.randint(3, 10))
                    items.append("- " + " ".join(self.draw(n)))
                    left -= n
                blocks.append("\n".join(items))
                continue
            sentences = []
            for _ in range(rng.randint(2, 7)):
                n = min(left, rng.randint(5, 24))
                if n <= 0:
                    break
                sentences.append(self.sentence(n))
                left -= n
            blocks.append(" ".join(sentences))
        return "\n\n".join(blocks)


def entries(count: int, seed: int) -> Iterator[dict[str, object]]:
    writer = Writer(seed)
    rng = writer.rng
    span = timedelta(days=max(365, count // 5))
    for n in range(count):
        created = END - span * rng.random()
        stamp = created.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        title = "" if rng.random() < 0.1 else " ".join(writer.draw(rng.randint(2, 7))).capitalize()
        kind = rng.choices(("free", "reflection", "integration"), (6, 3, 1))[0]
        yield {
            "id": f"bench{seed:03d}{n:024d}",
            "session_id": None,
            "kind": kind,
            "title": title[:300],
            "body": writer.body(rng.randint(200, 3_000)),
            "mood": rng.randint(0, 10) if rng.random() < 0.5 else None,
            "dissociation_body": None,
            "dissociation_surroundings": None,
            "dissociation_time": None,
            "shared_with_provider": rng.random() < 0.25,
            "created_at": stamp,
            "updated_at": stamp,
            "_tags": rng.sample(writer.tags, rng.choice((0, 1, 1, 2, 3))),
        }


def write_import_file(path: Path, count: int, seed: int) -> None:
    """A Companion JSON export (format 1) with ``count`` entries, written as a stream."""
    from companion.export.schema import FORMAT_NAME, FORMAT_VERSION
    from companion.export.tables import KINDS

    tag_ids = {name: f"benchtag{n:03d}" for n, name in enumerate(Writer(seed).tags)}
    links: list[dict[str, str]] = []
    used: set[str] = set()
    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8") as out:
        out.write(
            json.dumps(
                {
                    "format": FORMAT_NAME,
                    "version": FORMAT_VERSION,
                    "exported_at": END.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    "generator": "companion bench/vaults.py",
                    "scope": {
                        "complete": False,
                        "from": None,
                        "to": None,
                        "parts": ["entries"],
                        "entries": "all",
                    },
                }
            )[:-1]
        )
        out.write(', "records": {"journal_entry": [\n')
        for n, entry in enumerate(entries(count, seed)):
            tags = entry.pop("_tags")
            assert isinstance(tags, list)
            for name in tags:
                links.append({"entry_id": str(entry["id"]), "tag_id": tag_ids[name]})
                used.add(name)
            out.write((",\n" if n else "") + json.dumps(entry, ensure_ascii=False))
        out.write("],\n")
        tags_json = [{"id": tag_ids[t], "name": t} for t in sorted(used)]
        out.write(f'"tag": {json.dumps(tags_json)},\n"entry_tag": {json.dumps(links)}')
        for kind in KINDS:
            if kind.name not in ("journal_entry", "tag", "entry_tag"):
                out.write(f',\n"{kind.name}": []')
        out.write("}}\n")
    tmp.replace(path)


# --------------------------------------------------------------------------------------------
# The vault


def cli(
    data_dir: Path, *args: str, passphrase: str = PASSPHRASE
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COMPANION_PASSPHRASE=passphrase)
    return subprocess.run(
        [sys.executable, "-m", "companion.cli", "--data-dir", str(data_dir), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


def create_empty_vault(data_dir: Path, kdf: str = "test") -> None:
    """An empty vault: ``companion-cli init`` for the real KDF, else the tests' fast KDF."""
    if kdf == "real":
        cli(data_dir, "init")
        return
    from companion.crypto.kdf import KdfParams
    from companion.domain.clock import SystemClock
    from companion.paths import DataPaths
    from companion.services.container import build_services

    paths = DataPaths(data_dir)
    paths.ensure()
    services = build_services(paths, SystemClock(), kdf=KdfParams.for_tests())
    services.vault.create(PASSPHRASE)
    services.vault.lock()
    services.worker.shutdown()


def import_file(count: int, seed: int = 7) -> Path:
    """The cached import file of ``count`` entries (written on first use)."""
    path = cache_root() / f"entries-{count}-s{seed}-v{VERSION}.json"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_import_file(path, count, seed)
    return path


def vault_folder(count: int, seed: int = 7, kdf: str = "test", *, verbose: bool = True) -> Path:
    """The cached vault folder of ``count`` entries, built through ``companion-cli import``.
    Benches only read it."""
    folder = cache_root() / f"vault-{count}-s{seed}-{kdf}-v{VERSION}"
    if (folder / "ready").exists():
        return folder
    source = import_file(count, seed)
    shutil.rmtree(folder, ignore_errors=True)
    if verbose:
        print(f"building the {count}-entry bench vault in {folder} ...", flush=True)
    start = time.perf_counter()
    create_empty_vault(folder, kdf)
    result = cli(folder, "import", str(source))
    (folder / "ready").write_text(
        f"{count} entries imported in {time.perf_counter() - start:.1f} s\n{result.stdout}"
    )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kdf", choices=("test", "real"), default="test")
    args = parser.parse_args()
    for count in args.entries:
        start = time.perf_counter()
        path = import_file(count, args.seed)
        print(f"{path}: {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - start:.1f} s")
        folder = vault_folder(count, args.seed, args.kdf)
        print((folder / "ready").read_text().splitlines()[0])


if __name__ == "__main__":
    main()
