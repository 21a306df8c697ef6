"""Search over date-ordered rowids: every write path keeps the index in date order, ranking is
exact up to ``WINDOW`` matches and bounded above it (newest matches plus older title and tag
matches), date filters are rowid ranges that never lose an entry, and migration 0006 puts a
vault indexed in writing order into date order on a real SQLCipher file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import insert, text

from companion.crypto.secret import SecretKey
from companion.domain.clock import ManualClock
from companion.domain.journal import MARK_START, search_document
from companion.services import search_ranking
from companion.services.container import Services
from companion.services.journal import EntryInput
from companion.services.search import EntryFilters
from companion.storage import fts, fts_order, migrate
from companion.storage.engine import open_engine

DAY = timedelta(days=1)
T0 = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


def ids(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.entry_id for h in hits]


def in_order(services: Services) -> bool:
    with services.vault.engine.connect() as connection:
        return fts_order.in_date_order(connection)


def test_every_write_path_keeps_rowids_in_date_order(
    unlocked_services: Services, manual_clock: ManualClock
) -> None:
    journal = unlocked_services.journal
    late = journal.create(EntryInput(body="late"), created_at=T0 + 30 * DAY)
    early = journal.create(EntryInput(body="early"), created_at=T0)
    twins = [journal.create(EntryInput(body=f"twin {n}"), created_at=T0 + DAY) for n in range(3)]
    journal.create_many([(EntryInput(body=f"many {n}"), T0 - n * DAY) for n in range(5)])
    journal.update(early.id, EntryInput(body="early, edited"))
    manual_clock.advance(60)
    journal.update(twins[1].id, EntryInput(body="twin edited"))
    journal.delete(twins[0].id)
    journal.create(EntryInput(body="again"), created_at=T0 + DAY)  # reuses a freed slot
    revisions = journal.revisions(early.id)
    journal.restore(early.id, revisions[0].id)
    assert in_order(unlocked_services)
    with unlocked_services.vault.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, entry_id FROM journal_fts_entry")).all()
        fts_rowids = connection.execute(text("SELECT rowid FROM journal_fts")).scalars().all()
    assert sorted(r[0] for r in rows) == sorted(fts_rowids)  # index and read model agree
    by_rowid = [entry_id for _, entry_id in sorted(rows)]
    assert by_rowid.index(early.id) < by_rowid.index(twins[1].id) < by_rowid.index(late.id)
    assert unlocked_services.journal.reindex() == 10 and in_order(unlocked_services)


def test_import_indexes_in_date_order(unlocked_services: Services, tmp_path: Path) -> None:
    from companion.domain.export_selection import Selection
    from tests.support.export import export_bytes

    journal = unlocked_services.journal
    for n in (5, 1, 9, 3):
        journal.create(EntryInput(title=f"Day {n}", body="harbour"), created_at=T0 + n * DAY)
    data = export_bytes(unlocked_services, tmp_path, selection=Selection.whole_vault(), name="x")
    for summary in unlocked_services.search.list_entries():
        journal.delete(summary.id)
    journal.create(EntryInput(title="Day 4", body="harbour"), created_at=T0 + 4 * DAY)
    report = unlocked_services.importer.import_bytes(data)
    assert report.total_added >= 4 and in_order(unlocked_services)
    listed = [s.title for s in unlocked_services.search.list_entries()]
    assert listed == ["Day 9", "Day 5", "Day 4", "Day 3", "Day 1"]


def test_ranking_is_exact_below_the_window_and_bounded_above_it(
    unlocked_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    old_title = journal.create(
        EntryInput(kind="reflection", title="Lantern", body="Nothing else here."),
        created_at=T0 - 400 * DAY,
    )
    old_tag = journal.create(
        EntryInput(kind="reflection", title="Walk", body="By the water.", tags=("lantern",)),
        created_at=T0 - 300 * DAY,
    )
    texts = []  # body matches, oldest first; the oldest says the word most (best bm25)
    for n in range(8):
        body = "lantern " * (8 - n) + "and the evening was quiet and long. " * 3
        texts.append(
            journal.create(
                EntryInput(kind="reflection", title=f"Day {n}", body=body), created_at=T0 + n * DAY
            )
        )
    full = ids(search.search("lantern", 100))
    assert full[:2] == [old_title.id, old_tag.id]
    assert full[2:] == [e.id for e in texts]  # more repeats of the word rank higher

    monkeypatch.setattr(search_ranking, "WINDOW", 3)
    bounded = ids(search.search("lantern", 100))
    # the three newest body matches, and the older title and tag matches, best first
    assert bounded == [old_title.id, old_tag.id, texts[5].id, texts[6].id, texts[7].id]
    assert ids(search.search("lantern", 2)) == [old_title.id, old_tag.id]
    # a filter that leaves fewer than the limit in the window widens it (x4): here the three
    # newest matches are free writing, and twelve cover every reflection, ranked exactly
    for n in range(8, 11):
        journal.create(
            EntryInput(kind="free", title=f"Free {n}", body="lantern"), created_at=T0 + n * DAY
        )
    only = ids(search.search("lantern", 100, EntryFilters(kind="reflection")))
    assert only == full
    # ... and the limit is met inside the first window: no widening, bounded as before
    assert ids(search.search("lantern", 1, EntryFilters(kind="free"))) == [
        ids(search.search("lantern", 100, EntryFilters(kind="free")))[0]
    ]
    # a date filter is a rowid range: the older title and tag matches are out of it
    since = ids(search.search("lantern", 100, EntryFilters(kind="reflection", start=T0 + 3 * DAY)))
    assert since == [e.id for e in texts[3:]]
    recent = set(ids(search.search("lantern", 100, EntryFilters(start=T0 + 6 * DAY))))
    free = set(ids(search.search("lantern", 100, EntryFilters(kind="free"))))
    assert recent == {texts[6].id, texts[7].id} | free and len(free) == 3


def test_date_filters_are_exact_to_the_microsecond(unlocked_services: Services) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    edge = T0 + timedelta(microseconds=500)  # same millisecond as T0
    at = {
        "before": journal.create(EntryInput(body="pebble"), created_at=T0),
        "edge": journal.create(EntryInput(body="pebble"), created_at=edge),
        "after": journal.create(EntryInput(body="pebble"), created_at=edge + timedelta(seconds=1)),
    }
    for filters, expected in (
        (EntryFilters(start=edge), {"edge", "after"}),
        (EntryFilters(end=edge), {"before"}),
        (EntryFilters(start=edge, end=edge + timedelta(microseconds=1)), {"edge"}),
        (EntryFilters(start=T0 - DAY, end=T0 + DAY), {"before", "edge", "after"}),
    ):
        found = set(ids(search.search("pebble", 100, filters)))
        assert found == {at[name].id for name in expected}, filters


def test_rowids_for_far_dates_and_shared_minutes() -> None:
    assert fts.rowid_floor(T0) < fts.rowid_floor(T0 + timedelta(minutes=1))
    assert fts.rowid_floor(T0) == fts.rowid_floor(T0 + timedelta(seconds=59))
    far = datetime(9999, 12, 31, tzinfo=UTC)
    ancient = datetime(1, 1, 1, tzinfo=UTC)
    assert -(2**63) <= fts.rowid_floor(ancient) < fts.rowid_floor(T0) < fts.rowid_floor(far)
    assert fts.rowid_floor(far) + fts.SLOTS <= 2**63 - 1


def _old_style_index(connection: object, docs: list[tuple[str, datetime, str, str]]) -> None:
    """The index as code before 0006 wrote it: rowids 1, 2, 3... in writing order."""
    for rowid, (entry_id, at, title, body) in enumerate(docs, start=1):
        doc = search_document(title, body, [], ["sea"])
        connection.execute(  # type: ignore[attr-defined]
            insert(fts.entry_index),
            {"id": rowid, "entry_id": entry_id, "created_at": at, "updated_at": at,
             "kind": "free", "title": doc.title, "session_id": None, "mood": None,
             "shared": False, "word_count": doc.word_count, "preview": doc.preview},
        )  # fmt: skip
        connection.execute(  # type: ignore[attr-defined]
            text(fts._INSERT_DOCUMENT),
            {"rowid": rowid, "title": doc.title, "body": doc.body, "answers": doc.answers,
             "tags": doc.tags},
        )  # fmt: skip


def test_migration_0006_renumbers_an_old_index_on_a_sqlcipher_vault(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = open_engine(path, SecretKey(b"m" * 32))
    docs = [  # written out of date order, two in the same millisecond
        ("e1", T0 + 5 * DAY, "Fifth", "an otter in the harbour"),
        ("e2", T0, "First", "the harbour at dawn, an otter"),
        ("e3", T0 + 9 * DAY, "Ninth", "no animals today"),
        ("e4", T0 + timedelta(microseconds=10), "Second", "harbour seals and an otter"),
    ]
    try:
        with engine.begin() as connection:
            command.upgrade(migrate.alembic_config(connection), "0005")
            _old_style_index(connection, docs)
            assert not fts_order.in_date_order(connection)
            before = connection.execute(
                text("SELECT rowid, rank FROM journal_fts WHERE journal_fts MATCH 'otter' "
                     "AND rank MATCH :r ORDER BY rank"), {"r": fts.RANK}
            ).all()  # fmt: skip
        migrate.upgrade_to_head(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.begin() as connection:
            assert fts_order.in_date_order(connection)
            rows: dict[str, int] = dict(
                connection.execute(text("SELECT entry_id, id FROM journal_fts_entry")).all()
            )
            assert sorted(rows, key=rows.__getitem__) == ["e2", "e4", "e1", "e3"]
            after = connection.execute(
                text("SELECT rowid, rank FROM journal_fts WHERE journal_fts MATCH 'otter' "
                     "AND rank MATCH :r ORDER BY rank"), {"r": fts.RANK}
            ).all()  # fmt: skip
            old_ids = {rowid: docs[rowid - 1][0] for rowid, _ in before}
            new_ids = {v: k for k, v in rows.items()}
            # the same entries with the same scores (equal scores may swap places)
            assert sorted((old_ids[r], s) for r, s in before) == sorted(
                (new_ids[r], s) for r, s in after
            )
            assert len(after) == 3
            title = connection.execute(
                text("SELECT title FROM journal_fts WHERE rowid = :r"), {"r": rows["e4"]}
            ).scalar_one()
            assert title == "Second"
            connection.execute(
                text("INSERT INTO journal_fts(journal_fts) VALUES ('integrity-check')")
            )
            config = connection.execute(
                text("SELECT v FROM journal_fts_config WHERE k = 'secure-delete'")
            ).scalar_one()
            assert config == 1
            names = set(connection.execute(text("SELECT name FROM sqlite_master")).scalars().all())
            assert not any("next" in n or "renumber" in n for n in names)
            assert {"ix_journal_fts_entry_created_at", "ix_journal_fts_entry_kind"} <= names
            # later writes keep the order next to the renumbered rows
            fts.index_entries(
                connection,
                [fts.IndexedEntry("e5", T0, T0, "free", None, None, False,
                                  search_document("Third", "otter", [], []))],
            )  # fmt: skip
            assert fts_order.in_date_order(connection)
    finally:
        engine.dispose()
    assert b"otter" not in path.read_bytes()  # still encrypted


def test_passages_for_the_first_hits_then_on_request(unlocked_services: Services) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    for n in range(5):
        journal.create(
            EntryInput(title=f"Day {n}", body=f"First words here. Then the kestrel {n}."),
            created_at=T0 + n * DAY,
        )
    journal.create(EntryInput(title="Kestrel", body="Only the title says it."), created_at=T0)
    everything = search.search("kestrel", 100)
    assert all(h.has_passage for h in everything)
    first = search.search("kestrel", 100, passages=2)
    assert [h.entry_id for h in first] == [h.entry_id for h in everything]
    assert [h.has_passage for h in first] == [True, True, False, False, False, False]
    assert all(h.snippet == h.snippet.replace(MARK_START, "") for h in first[2:])  # first words
    later = search.passages("kestrel", [h.entry_id for h in first[2:]] + ["gone"])
    assert later == {h.entry_id: h.snippet for h in everything[2:]}
    assert search.passages("", [first[0].entry_id]) == {}


def test_more_entries_in_one_minute_than_slots_spill_and_stay_findable(
    unlocked_services: Services,
) -> None:
    journal, search = unlocked_services.journal, unlocked_services.search
    later = journal.create(EntryInput(body="gull later"), created_at=T0 + timedelta(minutes=1))
    count = fts.SLOTS + 4
    same = [journal.create(EntryInput(body=f"gull {n}"), created_at=T0) for n in range(count)]
    journal.create_many([(EntryInput(body="gull batch"), T0) for _ in range(count)])
    with unlocked_services.vault.engine.connect() as connection:
        rowids = connection.execute(text("SELECT id FROM journal_fts_entry")).scalars().all()
    assert len(set(rowids)) == 2 * count + 1 and min(rowids) >= fts.rowid_floor(T0)
    everything = set(ids(search.search("gull", 500)))
    assert everything == {later.id, *(e.id for e in same)} | {
        s.id for s in search.list_entries() if s.id not in {later.id, *(e.id for e in same)}
    }
    assert len(everything) == 2 * count + 1
    assert set(ids(search.search("gull", 500, EntryFilters(start=T0)))) == everything
    before_later = EntryFilters(end=T0 + timedelta(seconds=30))
    assert later.id not in set(ids(search.search("gull", 500, before_later)))
    assert len(search.search("gull", 500, before_later)) == 2 * count
    unlocked_services.journal.reindex()  # the migration's numbering spills the same way
    with unlocked_services.vault.engine.connect() as connection:
        from companion.storage import fts_order

        assert fts_order.renumber(connection) == 2 * count + 1
        assert len(set(connection.execute(text("SELECT id FROM journal_fts_entry")).scalars())) == (
            2 * count + 1
        )
        connection.rollback()
