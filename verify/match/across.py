"""Look-ups across languages: the multilingual vectors of every claim, and the re-ranker."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from verify.match import vectors
from verify.match.text import MAX_QUERY_CHARS
from verify.match.vectors import _digest, _pack, _prepared_across, _unpack

if TYPE_CHECKING:
    import numpy as np

RERANK = 20
"""How many of a cross-language look-up's nearest claims (by the multilingual encoder) the finer
model re-scores (verify.lang.reranker): on NTREX the right English sentence is among the
nearest 10 for 89% of Ukrainian sentences, the nearest 30 for 95%."""
ACROSS_LANGUAGES = ("ru", "uk")
"""Queries in these languages are compared with claims in any language by the multilingual
encoder; English queries keep the English encoder (better on English, measured on CLEF)."""
RERANK_LANGUAGES = ("uk",)
"""Queries whose candidates the re-ranker re-scores. Not Russian: the multilingual encoder was
trained on it and alone does better (NTREX reported speech through this search: recall@1 0.992
alone, 0.982 re-ranked)."""


_unstored_across: dict[bytes, np.ndarray] = {}
"""Multilingual vectors of claims written before claims had them, by digest of their text,
encoded once per process when a cross-language look-up needs them."""


def _across_cosines(conn: sqlite3.Connection, query: str, exclude: str | None) -> dict[str, float]:
    """Multilingual cosine between the query and every claim (a scan: such queries are few)."""
    ids, matrix = across_vectors(conn)
    if not ids:
        return {}
    cosines = matrix @ across_vector(query)
    out = {cid: float(c) for cid, c in zip(ids, cosines, strict=True)}
    if exclude:
        out.pop(exclude, None)
    return out


def across_vector(text: str) -> np.ndarray:
    """The multilingual vector of `text`: prepared, or encoded now."""
    vector = _prepared_across.get(text)
    return vectors._encode_across([text])[0] if vector is None else vector


def cyrillic_vectors(conn: sqlite3.Connection) -> tuple[list[str], np.ndarray]:
    """The stored multilingual vectors of claims with a word in Cyrillic (Russian, Ukrainian):
    found through the term index's Cyrillic range, so an English casebook reads next to
    nothing."""
    import numpy as np

    rows = conn.execute(
        "SELECT substr(claim_id, 4), vector FROM match_vectors WHERE claim_id IN "
        "(SELECT 'ml:' || claim_id FROM match_terms WHERE term >= ? AND term < ?)",
        ("\u0400", "\u0530"),
    ).fetchall()
    if not rows:
        return [], np.zeros((0, 0), dtype=np.float32)
    return [r[0] for r in rows], _unpack([r[1] for r in rows])


def across_vectors(
    conn: sqlite3.Connection, encode_missing: bool = True
) -> tuple[list[str], np.ndarray]:
    """Every claim's id and multilingual unit vector (one row each); with `encode_missing`
    false, only the claims whose vector is stored."""
    import numpy as np

    # A range over the primary key: only the multilingual rows are read (":" + 1 is ";").
    rows = conn.execute(
        "SELECT substr(claim_id, 4), vector FROM match_vectors "
        "WHERE claim_id >= 'ml:' AND claim_id < 'ml;'"
    ).fetchall()
    ids = [r[0] for r in rows]
    blobs = [r[1] for r in rows]
    have = set(ids)
    missing = [
        (cid, text)
        for cid, text in (conn.execute("SELECT id, text FROM claims") if encode_missing else [])
        if cid not in have
    ]
    if missing:
        todo = [t for _, t in missing if _digest(t) not in _unstored_across]
        if todo:
            _unstored_across.update(
                zip(map(_digest, todo), vectors._encode_across(todo), strict=True)
            )
        ids += [cid for cid, _ in missing]
        blobs += _pack(np.stack([_unstored_across[_digest(t)] for _, t in missing]))
    return ids, _unpack(blobs) if blobs else np.zeros((0, 0), dtype=np.float32)


_reranked_vectors: dict[bytes, np.ndarray] = {}
"""Re-ranker vectors of claim texts by digest, kept for the process (a session's look-ups
meet the same candidates again)."""


def _reranked(query: str, texts: dict[str, str]) -> dict[str, float]:
    """The re-ranker's cosine between the query and each candidate claim's text."""
    from verify.lang import reranker

    todo = [t for t in dict.fromkeys(texts.values()) if _digest(t) not in _reranked_vectors]
    vectors = reranker.encode([query[:MAX_QUERY_CHARS], *(t[:MAX_QUERY_CHARS] for t in todo)])
    if len(_reranked_vectors) > 100_000:
        _reranked_vectors.clear()
    _reranked_vectors.update(zip(map(_digest, todo), vectors[1:], strict=True))
    return {c: float(_reranked_vectors[_digest(t)] @ vectors[0]) for c, t in texts.items()}
