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
    conn: sqlite3.Connection,
    query_terms: list[str],
    limit: int,
    exclude: str | None,
    prune: bool = True,
) -> list[tuple[str, float]]:
    """The `limit` best claims by BM25, best first.

    Exact top k by MaxScore: terms are read in order of the most they can add to a claim, and
    once the terms still unread could not lift a claim not yet seen to the k-th score so far,
    they are read only for the claims that the rest could still lift to it. Common terms
    have the longest postings and the smallest weights, so at 100,000 claims most of their
    rows are never read. `prune=False` reads every posting (the same answer, slower).
    """
    docs, total = conn.execute("SELECT docs, total_length FROM match_stats WHERE id = 1").fetchone()
    if not docs or not query_terms:
        return []
    avgdl = total / docs
    qtf = Counter(query_terms)
    unique = list(qtf)
    marks = ",".join("?" * len(unique))
    norm = K1 * (1 - B), K1 * B / avgdl
    stats = {
        term: (n, top_tf, least_length)
        for term, n, top_tf, least_length in conn.execute(
            "SELECT term, count(*), max(tf), min(length) FROM match_terms "
            f"WHERE term IN ({marks}) GROUP BY term",
            unique,
        )
    }
    weights: list[tuple[str, float]] = []
    bounds: dict[str, float] = {}
    for term in unique:
        n, top_tf, least_length = stats.get(term, (0, 0, 0))
        if n == 0 or (n > COMMON_SHARE * docs and docs > 1000):
            continue
        idf = math.log(1 + (docs - n + 0.5) / (n + 0.5))
        weights.append((term, qtf[term] * idf * (K1 + 1)))
        # The most this term adds to any claim: its largest count in the shortest claim.
        bounds[term] = weights[-1][1] * top_tf / (top_tf + norm[0] + norm[1] * least_length)
    weights.sort(key=lambda tw: -bounds[tw[0]])
    rest = [sum(bounds[t] for t, _ in weights[i:]) for i in range(len(weights) + 1)]
    scores: dict[str, float] = {}
    order: dict[str, int] = {}
    alive: list[str] | None = None
    for i, (term, weight) in enumerate(weights):
        if prune and len(scores) >= limit:
            seen = scores if alive is None else {c: scores[c] for c in alive}
            threshold = heapq.nlargest(limit, seen.values())[-1]
            if alive is not None or rest[i] < threshold:
                # No claim unseen so far can reach the top k; of those seen, only the ones
                # that the unread terms could still lift to it are read further.
                alive = [c for c, score in seen.items() if score + rest[i] >= threshold]
        if alive is None:
            rows = conn.execute(
                "SELECT claim_id, tf, length, seq FROM match_terms WHERE term = ?", (term,)
            ).fetchall()
        else:
            rows = []
            for start in range(0, len(alive), 500):
                chunk = alive[start : start + 500]
                rows += conn.execute(
                    "SELECT claim_id, tf, length, seq FROM match_terms WHERE term = ? "
                    f"AND claim_id IN ({','.join('?' * len(chunk))})",
                    (term, *chunk),
                ).fetchall()
        for claim_id, tf, length, seq in rows:
            if claim_id == exclude:
                continue
            order[claim_id] = seq
            scores[claim_id] = scores.get(claim_id, 0.0) + weight * tf / (
                tf + norm[0] + norm[1] * length
            )
    ranked = scores.items() if alive is None else ((c, scores[c]) for c in alive)
    # Equal scores (the same claim checked twice): the earlier check first.
    return heapq.nlargest(limit, ranked, key=lambda kv: (kv[1], -order[kv[0]]))


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
