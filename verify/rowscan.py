"""Reading a table row by row for `verify check`, so one unreadable row stops nothing else."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

Problem = tuple[str, str]


def checked_rows(
    conn: sqlite3.Connection,
    table: str,
    columns: str,
    kind: str,
    check: Callable[[str, tuple[object, ...]], Iterator[Problem]],
) -> Iterator[Problem]:
    """(where, what) for each row of `table` that `check` finds wrong, named `kind` and the
    first 12 characters of its first column; a row that cannot be read, or that breaks the
    checker itself, is damage too."""
    rowids = [int(r[0]) for r in conn.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
    for rowid in rowids:
        try:
            row = conn.execute(
                f"SELECT {columns} FROM {table} WHERE rowid = ?", (rowid,)
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            yield f"{table} row {rowid}", f"cannot be read: {exc}"
            continue
        if row is None:
            continue
        where = f"{kind} {str(row[0])[:12]}"
        try:
            yield from check(where, row)
        except Exception as exc:  # a row built to break the checker is damage too
            yield where, f"{kind} cannot be checked ({type(exc).__name__}: {exc})"
