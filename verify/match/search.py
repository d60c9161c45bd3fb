"""Searching: BM25 candidates from the word index, re-ranked by meaning and wording.

Weights were chosen on the CLEF CheckThat! 2020 train split; the dev split is only measured
(bench/match_eval.py).
"""

from __future__ import annotations

import heapq
import math
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any

from verify.lang import language
from verify.match.across import (
    ACROSS_LANGUAGES,
    RERANK,
    RERANK_LANGUAGES,
    _across_cosines,
    _reranked,
)
from verify.match.text import _cosine, _ngrams, _partial_ratio, normalize, terms
from verify.match.vectors import _meanings

K1 = 1.2
B = 0.4
"""Light length normalisation: fact-check claims are short and similar in length."""
CANDIDATES = 30
"""How many BM25 candidates the re-ranker looks at."""
NGRAM_WEIGHT = 1.0
"""Weight of character 4-gram cosine similarity (catches spelling and word-form variants)."""
PARTIAL_WEIGHT = 0.3
"""Weight of rapidfuzz partial_ratio (the claim's wording found inside a longer post)."""
MEANING_WEIGHT = 3.0
"""Weight of the sentence encoder's cosine (same claim in other words)."""
COMMON_SHARE = 0.2
"""Terms in more than this share of claims are skipped: they barely move BM25 and cost most."""


def wording_similarity(query: str, claim_text: str, title: str | None = None) -> float:
    """0..1, how alike two wordings are (see `Match.similarity`); arguments normalised."""
    target = f"{claim_text} {title}" if title else claim_text
    cosine = _cosine(_ngrams(query), _ngrams(target))
    partial = _partial_ratio(claim_text, query) / 100
    return (cosine + PARTIAL_WEIGHT * partial) / (1 + PARTIAL_WEIGHT)


@dataclass(frozen=True)
class Match:
    claim_id: str
    ref: str
    score: float
    """0..1: how likely this is the same claim."""
    text: str
    verdict: str | None
    similarity: float = 0.0
    """0..1, absolute: how alike the wordings are, whatever else is in the casebook.

    Meaning only ranks: claims about the same kind of event (two deadly strikes) are close in
    meaning, so a cosine would call them "already checked" when they are not."""
    meaning: float = 0.0
    """Cosine of the two texts' meaning vectors (the sentence encoder's)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id,
            "ref": self.ref,
            "score": round(self.score, 4),
            "text": self.text,
            "verdict": self.verdict,
        }


def _bm25_candidates(
    conn: sqlite3.Connection, query_terms: list[str], limit: int, exclude: str | None
) -> list[tuple[str, float]]:
    docs, total = conn.execute("SELECT docs, total_length FROM match_stats WHERE id = 1").fetchone()
    if not docs or not query_terms:
        return []
    avgdl = total / docs
    qtf = Counter(query_terms)
    scores: dict[str, float] = {}
    order: dict[str, int] = {}
    unique = list(qtf)
    marks = ",".join("?" * len(unique))
    df = dict(
        conn.execute(
            f"SELECT term, count(*) FROM match_terms WHERE term IN ({marks}) GROUP BY term", unique
        ).fetchall()
    )
    for term in unique:
        n = df.get(term, 0)
        if n == 0 or (n > COMMON_SHARE * docs and docs > 1000):
            continue
        idf = math.log(1 + (docs - n + 0.5) / (n + 0.5))
        norm = K1 * (1 - B), K1 * B / avgdl
        weight = qtf[term] * idf * (K1 + 1)
        for claim_id, tf, length, seq in conn.execute(
            "SELECT claim_id, tf, length, seq FROM match_terms WHERE term = ?", (term,)
        ):
            order[claim_id] = seq
            denom = tf + norm[0] + norm[1] * length
            scores[claim_id] = scores.get(claim_id, 0.0) + weight * tf / denom
    if exclude:
        scores.pop(exclude, None)
    # Equal scores (the same claim checked twice): the earlier check first.
    return heapq.nlargest(limit, scores.items(), key=lambda kv: (kv[1], -order[kv[0]]))


def search(
    conn: sqlite3.Connection, text: str, top: int = 5, exclude: str | None = None
) -> list[Match]:
    """Earlier claims most likely to be the same as `text`, best first."""
    query = normalize(text)
    limit = max(CANDIDATES, top)
    candidates = _bm25_candidates(conn, terms(text), limit, exclude)
    across: dict[str, float] | None = None
    lang = language(text)
    if lang in ACROSS_LANGUAGES:
        # A Russian or Ukrainian statement: the English check of it shares no word with it,
        # so candidates also come from the multilingual encoder, which then scores meaning.
        across = _across_cosines(conn, text, exclude)
        seen = {c for c, _ in candidates}
        nearest = heapq.nlargest(max(RERANK, top), across.items(), key=lambda kv: kv[1])
        candidates += [(c, 0.0) for c, _ in nearest if c not in seen]
    if not candidates:
        return []
    best = max(candidates[0][1], 1e-9)
    ids = [c for c, _ in candidates]
    marks = ",".join("?" * len(ids))
    rows = {
        r[0]: r
        for r in conn.execute(
            f"SELECT id, ref, text, verdict, json_extract(body, '$.extra.title') FROM claims "
            f"WHERE id IN ({marks})",
            ids,
        )
    }
    if across is None:
        meanings = _meanings(conn, text, rows, exclude)
    elif lang in RERANK_LANGUAGES:
        meanings = _reranked(text, {c: r[2] for c, r in rows.items()})
    else:
        meanings = {c: across.get(c, 0.0) for c in rows}
    query_grams = _ngrams(query)
    ranked = []
    for claim_id, bm25 in candidates:
        row = rows.get(claim_id)
        if row is None:
            continue
        claim_text = normalize(row[2])
        target = f"{claim_text} {normalize(row[4])}" if row[4] else claim_text
        cosine = _cosine(query_grams, _ngrams(target))
        partial = _partial_ratio(claim_text, query) / 100
        meaning = meanings[claim_id]
        score = (
            bm25 / best
            + NGRAM_WEIGHT * cosine
            + PARTIAL_WEIGHT * partial
            + MEANING_WEIGHT * max(meaning, 0.0)
        ) / (1 + NGRAM_WEIGHT + PARTIAL_WEIGHT + MEANING_WEIGHT)
        similarity = (cosine + PARTIAL_WEIGHT * partial) / (1 + PARTIAL_WEIGHT)
        ranked.append(Match(claim_id, row[1], score, row[2], row[3], similarity, meaning))
    ranked.sort(key=lambda m: -m.score)  # stable: ties keep BM25's earlier-check-first order
    return ranked[:top]
