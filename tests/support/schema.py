"""A vault's schema as comparable values: each table's columns, foreign keys and indexes
(the indexes as SQLite keeps them, name and statement: the inspector skips an index on an
expression, such as the Reflections list's mood order)."""

from __future__ import annotations

from sqlalchemy import Engine, inspect


def indexes(engine: Engine, table: str) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = ? ORDER BY name",
            (table,),
        ).all()
    return [(str(name), " ".join(str(sql).split())) for name, sql in rows]


def schema(engine: Engine) -> dict[str, object]:
    insp = inspect(engine)
    return {
        name: (
            sorted((c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(name)),
            sorted(tuple(fk["constrained_columns"]) for fk in insp.get_foreign_keys(name)),
            indexes(engine, name),
        )
        for name in insp.get_table_names()
    }
