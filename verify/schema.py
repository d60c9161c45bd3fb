"""The schema verify creates, derived from the migrations, and how a file differs from it.

A casebook or backup is untrusted: a trigger or view slipped into one would run inside every
later write (rewriting verdicts, event actors). So the tables and indexes in `sqlite_master`
must be exactly those the migrations create, nothing more, nothing less.
"""

from __future__ import annotations

import functools
import re
import sqlite3

from verify import dialect

Entry = tuple[str, str, str, str]
"""(type, name, table, normalised SQL) of one schema object."""


def _normalise(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def entries(conn: sqlite3.Connection) -> set[Entry]:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {(str(t), str(n), str(tb), _normalise(s)) for t, n, tb, s in rows}


@functools.lru_cache(maxsize=8)
def expected(version: int) -> frozenset[Entry]:
    """What migrations 1..version create, built in memory by running them."""
    from verify.migrations import MIGRATIONS

    conn = sqlite3.connect(":memory:")
    try:
        for v in range(1, version + 1):
            for step in MIGRATIONS[v]:
                if isinstance(step, str):
                    conn.execute(step)
                else:
                    step(conn)
        return frozenset(entries(conn))
    finally:
        conn.close()


def differences(conn: sqlite3.Connection, version: int) -> list[str]:
    """One line per schema object that is not what verify creates at `version`."""
    if dialect.on_server(conn):
        return _server_differences(conn)
    try:
        have = entries(conn)
    except sqlite3.DatabaseError as exc:
        return [f"the schema cannot be read: {exc}"]
    want = expected(version)
    out = []
    for kind, name, _, _ in sorted(have - want):
        if any(w[0] == kind and w[1] == name for w in want):
            out.append(f"{kind} {name!r} is not defined the way verify defines it")
        else:
            out.append(f"{kind} {name!r} is not part of a casebook")
    for kind, name, _, _ in sorted(want - have):
        if not any(h[0] == kind and h[1] == name for h in have):
            out.append(f"{kind} {name!r} is missing")
    return out


def _server_differences(conn: sqlite3.Connection) -> list[str]:
    """The same on PostgreSQL: tables, indexes and functions by name, and no trigger, rule
    or view that verify does not create."""
    from verify.store import pgschema

    try:
        have = {(str(k), str(n)) for k, n in conn.execute(pgschema.PRESENT)}
    except sqlite3.DatabaseError as exc:
        return [f"the schema cannot be read: {exc}"]
    want = pgschema.expected()
    out = [f"{kind} {name!r} is not part of a casebook" for kind, name in sorted(have - want)]
    out += [f"{kind} {name!r} is missing" for kind, name in sorted(want - have)]
    return out
