"""A PostgreSQL casebook copied into a portable SQLite casebook file (`verify backup`).

Rows are copied as stored, digests and the history's hash chain with them, from one
consistent snapshot of the server; the copy's full-text index is rebuilt the SQLite way.
The file is built under a hidden partial name and renamed, as every backup is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from verify.store.pgschema import COPIED
from verify.store.sqlite import build_backup_file

if TYPE_CHECKING:
    from verify.store.core import StoreBase

BATCH = 500


def to_sqlite(store: StoreBase, dest: Path) -> Path:
    from verify import search

    source = store.conn

    def build(tmp: Path) -> None:
        copy = type(store).open(tmp, create=True, migration_backup=False, actor=store.actor)
        try:
            # One snapshot for every table: the copy is the casebook at one moment.
            source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                with copy.transaction():
                    for table in COPIED:
                        copy.conn.execute(f"DELETE FROM {table}")
                        _copy_table(source, copy.conn, table)
                    search.rebuild(copy.conn)
            finally:
                source.execute("ROLLBACK")
        finally:
            copy.close()

    return build_backup_file(dest, build)


def _columns(conn: Any, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]


def _copy_table(source: Any, target: Any, table: str) -> None:
    columns = [c for c in _columns(source, table) if c in set(_columns(target, table))]
    names = ", ".join(columns)
    marks = ", ".join("?" * len(columns))
    order = "seq" if table == "events" else "rowid" if table != "match_terms" else "term, claim_id"
    if table in ("match_docs", "match_stats", "match_vectors"):
        order = columns[0]
    last: tuple[Any, ...] | None = None
    key = order.split(", ")
    while True:
        # Paged by key so a large casebook is never held in memory at once.
        where, args = "", ()
        if last is not None:
            where = f" WHERE ({order}) > ({', '.join('?' * len(key))})"
            args = last
        rows = source.execute(
            f"SELECT {names}, {order} FROM {table}{where} ORDER BY {order} LIMIT {BATCH}", args
        ).fetchall()
        if not rows:
            return
        target.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks})",
            [row[: len(columns)] for row in rows],
        )
        last = tuple(rows[-1][len(columns) :])
