"""The word index kept in the casebook: updated inside the transaction of every claim write."""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

from verify.match.text import indexed_text, terms
from verify.match.vectors import ACROSS_PREFIX, _store_vector, prepared


def index_claim(conn: sqlite3.Connection, claim_id: str, text: str, claim_text: str) -> None:
    """Index `text` (claim and headline) for words and `claim_text` for meaning."""
    _store_vector(conn, claim_id, claim_text)
    _index_terms(conn, claim_id, text)


def _index_terms(conn: sqlite3.Connection, claim_id: str, text: str) -> None:
    _unindex_terms(conn, claim_id)
    counts = Counter(terms(text))
    length = sum(counts.values())
    row = conn.execute("SELECT rowid FROM claims WHERE id = ?", (claim_id,)).fetchone()
    seq = row[0] if row else 0
    conn.executemany(
        "INSERT INTO match_terms (term, claim_id, tf, length, seq) VALUES (?, ?, ?, ?, ?)",
        [(term, claim_id, tf, length, seq) for term, tf in counts.items()],
    )
    conn.execute("INSERT INTO match_docs (claim_id, length) VALUES (?, ?)", (claim_id, length))
    conn.execute(
        "UPDATE match_stats SET docs = docs + 1, total_length = total_length + ? WHERE id = 1",
        (length,),
    )


def unindex_claim(conn: sqlite3.Connection, claim_id: str) -> None:
    conn.execute(
        "DELETE FROM match_vectors WHERE claim_id IN (?, ?)", (claim_id, ACROSS_PREFIX + claim_id)
    )
    _unindex_terms(conn, claim_id)


def _unindex_terms(conn: sqlite3.Connection, claim_id: str) -> None:
    row = conn.execute("SELECT length FROM match_docs WHERE claim_id = ?", (claim_id,)).fetchone()
    if row is None:
        return
    conn.execute("DELETE FROM match_terms WHERE claim_id = ?", (claim_id,))
    conn.execute("DELETE FROM match_docs WHERE claim_id = ?", (claim_id,))
    conn.execute(
        "UPDATE match_stats SET docs = docs - 1, total_length = total_length - ? WHERE id = 1",
        (row[0],),
    )


def rebuild(conn: sqlite3.Connection) -> None:
    """Index every claim's words from scratch (the migration that adds the index)."""
    conn.execute("DELETE FROM match_terms")
    conn.execute("DELETE FROM match_docs")
    conn.execute("UPDATE match_stats SET docs = 0, total_length = 0 WHERE id = 1")
    for claim_id, text, body in conn.execute("SELECT id, text, body FROM claims").fetchall():
        _index_terms(conn, claim_id, indexed_text(text, _extra(body)))


def rebuild_vectors(conn: sqlite3.Connection) -> None:
    """Encode every claim from scratch (the migration that adds vectors)."""
    conn.execute("DELETE FROM match_vectors")
    rows = conn.execute("SELECT id, text FROM claims").fetchall()
    with prepared([text for _, text in rows]):
        for claim_id, text in rows:
            _store_vector(conn, claim_id, text)


def _extra(body: str) -> dict[str, Any]:
    import json

    try:
        extra = json.loads(body).get("extra", {})
    except (ValueError, AttributeError):
        return {}
    return extra if isinstance(extra, dict) else {}
