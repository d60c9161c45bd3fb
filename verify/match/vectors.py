"""Each claim's meaning vectors: encoded outside transactions, stored, compared."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from verify.match.text import MAX_QUERY_CHARS

if TYPE_CHECKING:
    import numpy as np

_REPLACE_VECTOR = (
    " ON CONFLICT (claim_id) DO UPDATE SET digest = excluded.digest, vector = excluded.vector"
)
_prepared: dict[str, np.ndarray] = {}
"""Unit vectors of texts encoded ahead of the writes and look-ups that need them: a text is
encoded once per action (in batches, several times faster), never inside a transaction."""
_prepared_across: dict[str, np.ndarray] = {}
"""The same for the multilingual encoder (verify.lang.encoder)."""
ACROSS_PREFIX = "ml:"
"""Each claim's multilingual vector is a second match_vectors row, under this prefix and the
claim's id: English-only look-ups never read it, and no schema change was needed."""


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _pack(vectors: np.ndarray) -> list[bytes]:
    import numpy as np

    # int8 keeps 100,000 claims' vectors in 38 MB; cosines change by less than 0.01.
    scale = 127 / np.maximum(np.abs(vectors).max(axis=1, keepdims=True), 1e-9)
    return [row.tobytes() for row in np.round(vectors * scale).astype(np.int8)]


def _unpack(blobs: list[bytes]) -> np.ndarray:
    import numpy as np

    vectors = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), -1)
    vectors = vectors.astype(np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def _encode(texts: list[str]) -> np.ndarray:
    from verify import embed

    # A query read from JSON can hold an unpaired surrogate, which the tokenizer refuses.
    return embed.encode(
        [t[:MAX_QUERY_CHARS].encode("utf-8", "replace").decode("utf-8") for t in texts]
    )


def _encode_across(texts: list[str]) -> np.ndarray:
    from verify.lang import encoder

    return encoder.encode([t[:MAX_QUERY_CHARS] for t in texts])


@contextmanager
def prepared(
    texts: list[str],
    progress: Callable[[int, int], None] | None = None,
    known: dict[str, np.ndarray] | None = None,
) -> Iterator[None]:
    """Encode, in batches, the texts that writes and look-ups inside this block will need.

    `known` holds vectors the caller already has (the check-worthiness pass encodes some
    sentences anyway): they are used as they are, not encoded again.
    """
    added: list[str] = []
    added_across: list[str] = []
    try:
        for text, vector in (known or {}).items():
            if text not in _prepared:
                _prepared[text] = vector
                added.append(text)
        todo = [t for t in dict.fromkeys(texts) if t not in _prepared]
        step = 256
        for start in range(0, len(todo), step):
            chunk = todo[start : start + step]
            _prepared.update(zip(chunk, _encode(chunk), strict=True))
            added.extend(chunk)
            if progress is not None:
                progress(min(start + step, len(todo)), len(todo))
        across = [t for t in dict.fromkeys(texts) if t not in _prepared_across]
        if across and not _across_later:
            _prepared_across.update(zip(across, _encode_across(across), strict=True))
            added_across.extend(across)
        yield
    finally:
        for text in added:
            _prepared.pop(text, None)
        for text in added_across:
            _prepared_across.pop(text, None)


_later = False
"""Inside `vectors_later()`: a write without a prepared vector leaves the claim without one."""


@contextmanager
def vectors_later() -> Iterator[None]:
    """Write claims without encoding them; `fill_vectors` adds their vectors afterwards.

    A big import is then searchable as soon as its claims are saved: a look-up encodes the
    few candidates that have no vector yet (`_meanings`), so it ranks exactly as it will
    once every vector is in place.
    """
    global _later
    before, _later = _later, True
    try:
        yield
    finally:
        _later = before


_across_later = False
"""Inside `across_later()`: claims are written without their multilingual vector."""


@contextmanager
def across_later() -> Iterator[None]:
    """Write claims without their multilingual vector (and so without loading that encoder).

    For a casebook holding no Russian or Ukrainian claim: nothing reads those vectors there (an
    English look-up uses the English encoder, an English statement is compared across
    languages only with Cyrillic claims, and a Cyrillic look-up encodes the missing ones), and
    the first Cyrillic document ingested stores them before it is compared (verify.ingest).
    """
    global _across_later
    before, _across_later = _across_later, True
    try:
        yield
    finally:
        _across_later = before


def has_cyrillic_claims(conn: sqlite3.Connection) -> bool:
    """Whether any claim has a word in Cyrillic (the term index's Cyrillic range)."""
    row = conn.execute(
        "SELECT 1 FROM match_terms WHERE term >= ? AND term < ? LIMIT 1", ("\u0400", "\u0530")
    ).fetchone()
    return row is not None


def _store_vector(conn: sqlite3.Connection, claim_id: str, text: str) -> None:
    digest = _digest(text)
    row = conn.execute(
        "SELECT digest FROM match_vectors WHERE claim_id = ?", (claim_id,)
    ).fetchone()
    if row is not None and row[0] == digest:
        # A verdict or note changed, not the claim: its meaning is the same.
        _store_across(conn, claim_id, text, digest)
        return
    vector = _prepared.get(text)
    if vector is None and _later:
        # Both vectors come later (fill_vectors), encoded outside this transaction.
        conn.execute(
            "DELETE FROM match_vectors WHERE claim_id IN (?, ?)",
            (claim_id, ACROSS_PREFIX + claim_id),
        )
        return
    _store_across(conn, claim_id, text, digest)
    blob = _pack(vector[None, :] if vector is not None else _encode([text]))[0]
    conn.execute(
        "INSERT INTO match_vectors (claim_id, digest, vector) VALUES (?, ?, ?)" + _REPLACE_VECTOR,
        (claim_id, digest, blob),
    )


def _store_across(conn: sqlite3.Connection, claim_id: str, text: str, digest: bytes) -> None:
    key = ACROSS_PREFIX + claim_id
    row = conn.execute("SELECT digest FROM match_vectors WHERE claim_id = ?", (key,)).fetchone()
    if row is not None and row[0] == digest:
        return
    vector = _prepared_across.get(text)
    if vector is None and _across_later:
        conn.execute("DELETE FROM match_vectors WHERE claim_id = ?", (key,))
        return
    blob = _pack(vector[None, :] if vector is not None else _encode_across([text]))[0]
    conn.execute(
        "INSERT INTO match_vectors (claim_id, digest, vector) VALUES (?, ?, ?)" + _REPLACE_VECTOR,
        (key, digest, blob),
    )


VECTOR_KINDS = ("", ACROSS_PREFIX)
"""The vectors every claim has, by key prefix: English meaning, and across languages."""


def count_unencoded(conn: sqlite3.Connection, prefix: str) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM claims c LEFT JOIN match_vectors v "
            "ON v.claim_id = ? || c.id WHERE v.claim_id IS NULL",
            (prefix,),
        ).fetchone()[0]
    )


def unencoded(
    conn: sqlite3.Connection, after: int, limit: int, prefix: str = ""
) -> list[tuple[int, str, str]]:
    """(rowid, id, text) of up to `limit` claims past rowid `after` that have no vector
    of the kind `prefix` names."""
    return conn.execute(
        "SELECT c.rowid, c.id, c.text FROM claims c LEFT JOIN match_vectors v "
        "ON v.claim_id = ? || c.id WHERE c.rowid > ? AND v.claim_id IS NULL "
        "ORDER BY c.rowid LIMIT ?",
        (prefix, after, limit),
    ).fetchall()


def encode_packed(texts: list[str], prefix: str = "") -> list[bytes]:
    """Stored vectors of `texts` (encoded outside any transaction)."""
    return _pack(_encode_across(texts) if prefix == ACROSS_PREFIX else _encode(texts))


def tx_store_vectors(
    conn: sqlite3.Connection, rows: list[tuple[str, str, bytes]], prefix: str = ""
) -> None:
    """Store (claim id, text, vector) rows encoded earlier; a claim deleted or reworded
    meanwhile is skipped (its own write saw to its vector)."""
    conn.executemany(
        "INSERT INTO match_vectors (claim_id, digest, vector) "
        "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM claims WHERE id = ? AND text = ?)"
        + _REPLACE_VECTOR,
        [(prefix + cid, _digest(text), blob, cid, text) for cid, text, blob in rows],
    )


def _query_vector(conn: sqlite3.Connection, query: str, own_id: str | None) -> np.ndarray:
    """The query's vector: prepared, or stored (the query is a claim's own text), or encoded."""
    vector = _prepared.get(query)
    if vector is not None:
        return vector
    if own_id is not None:
        # "Already checked?" on a stored claim: its vector is kept; encoding it again on
        # every look-up would cost milliseconds each time the claim is shown.
        row = conn.execute(
            "SELECT digest, vector FROM match_vectors WHERE claim_id = ?", (own_id,)
        ).fetchone()
        if row is not None and row[0] == _digest(query):
            stored: np.ndarray = _unpack([row[1]])[0]
            return stored
    encoded: np.ndarray = _encode([query])[0]
    return encoded


def _meanings(
    conn: sqlite3.Connection, query: str, rows: dict[str, Any], own_id: str | None
) -> dict[str, float]:
    """Cosine between the query and each candidate claim."""
    ids = list(rows)
    marks = ",".join("?" * len(ids))
    stored = dict(
        conn.execute(
            f"SELECT claim_id, vector FROM match_vectors WHERE claim_id IN ({marks})", ids
        ).fetchall()
    )
    missing = [i for i in ids if i not in stored]
    if missing:  # written by a version without vectors and not yet re-indexed
        stored.update(zip(missing, _pack(_encode([rows[i][2] for i in missing])), strict=True))
    query_vector = _query_vector(conn, query, own_id)
    cosines = _unpack([stored[i] for i in ids]) @ query_vector
    return {claim_id: float(c) for claim_id, c in zip(ids, cosines, strict=True)}
