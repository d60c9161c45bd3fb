"""Tamper evidence, the way Git does it: a digest per stored record, the history as a chain.

Every claim, source, document and casebook setting row carries the sha256 of what it holds,
keyed by what it is (so a record copied under another id does not match either). Every event
carries the hash of its own content and of the event before it, and the casebook remembers the
newest hash, so an edited, removed or reordered history entry breaks the chain from there on.
`verify check` recomputes all of it in one streamed pass.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

HEAD_KEY = "events_head"
"""The meta row holding `SEQ HASH` of the newest event: the end of the chain."""

GENESIS = "0" * 64
"""What the first event chains from."""

SEALED_SCHEMA = 6
"""The first schema whose records carry digests."""

RECORD_TABLES = {"claims": "id", "sources": "id", "documents": "id", "meta": "key"}
"""Tables whose rows carry a digest, and the column naming each row."""


def record(kind: str, key: str, body: str) -> str:
    """The digest of one stored record: what it is (kind, key) and everything it says."""
    h = hashlib.sha256()
    h.update(f"{kind}\x00{key}\x00".encode())
    h.update(body.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def event(
    prev: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    target: str,
    before: str | None,
    after: str | None,
) -> str:
    """The hash of one history entry, chained to the one before it.

    `undone` is left out on purpose: undo flips it in place, and whether an event is undone is
    written down by the undo/redo events that follow it, which the chain does cover.
    """
    text = json.dumps([prev, seq, at, actor, action, target, before, after], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(seq, hash) of the newest event as the casebook remembers it; (0, GENESIS) when none."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
    if row is None:
        return 0, GENESIS
    seq, _, digest = str(row[0]).partition(" ")
    return int(seq), digest


def put_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value, digest) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, digest = excluded.digest",
        (key, value, record("meta", key, value)),
    )


def seal_existing(conn: sqlite3.Connection) -> None:
    """Migration step: compute digests and the event chain for a casebook written before."""
    for kind, key_col in RECORD_TABLES.items():
        value_col = "value" if kind == "meta" else "body"
        rows = conn.execute(f"SELECT {key_col}, {value_col} FROM {kind}").fetchall()
        for key, body in rows:
            conn.execute(
                f"UPDATE {kind} SET digest = ? WHERE {key_col} = ?",
                (record(kind, key, body), key),
            )
    prev, last = GENESIS, 0
    cursor = conn.execute(
        "SELECT seq, at, actor, action, target, before, after FROM events ORDER BY seq"
    )
    updates = []
    for row in cursor:
        prev = event(prev, *row)
        last = row[0]
        updates.append((prev, row[0]))
    conn.executemany("UPDATE events SET hash = ? WHERE seq = ?", updates)
    put_meta(conn, HEAD_KEY, f"{last} {prev}")
