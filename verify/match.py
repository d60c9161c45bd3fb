""" "Already checked?": find earlier checks of a claim, fast, in a casebook of any size.

Candidates come from a BM25 inverted index kept in the casebook (updated with every claim
write, so it is always current and costs O(claim) per write); the best candidates are then
re-ranked with rapidfuzz, which rewards near-identical wording that bag-of-words misses.
Text is normalised the way social posts need: links go, dates of "— author (@handle) date"
tails go, and handles and hashtags become words (@realDonaldTrump -> real donald trump,
#DefundTheCBC -> defund the cbc), because who posted and whom it names often say which
claim it is. Weights were chosen on the CLEF CheckThat! 2020 train split; the dev split is
only measured (bench/match_eval.py).
"""

from __future__ import annotations

import heapq
import math
import re
import sqlite3
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer
from rapidfuzz import fuzz

K1 = 1.2
B = 0.4
"""Light length normalisation: fact-check claims are short and similar in length."""
CANDIDATES = 30
"""How many BM25 candidates the re-ranker looks at."""
NGRAM_WEIGHT = 1.0
"""Weight of character 4-gram cosine similarity (catches spelling and word-form variants)."""
PARTIAL_WEIGHT = 0.3
"""Weight of rapidfuzz partial_ratio (the claim's wording found inside a longer post)."""
MAX_QUERY_CHARS = 5000
COMMON_SHARE = 0.2
"""Terms in more than this share of claims are skipped: they barely move BM25 and cost most."""

_URL = re.compile(r"(https?://\S+|pic\.twitter\.com/\S+|www\.\S+)")
_TAIL_DATE = re.compile(r"\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}")
_HANDLE = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves says said say rt amp via""".split()
)

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # The vocabulary is small next to the number of words read: stem each word once.
    return str(_stemmer.stemWord(word))


def _words(tag: str) -> str:
    return _CAMEL.sub(" ", tag).replace("_", " ")


def _ngrams(text: str, n: int = 4) -> Counter[str]:
    padded = f" {text} "
    return Counter(padded[i : i + n] for i in range(len(padded) - n + 1))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def normalize(text: str) -> str:
    """Text as it should be compared: no links, handles or tweet tails; hashtags as words."""
    text = unicodedata.normalize("NFKC", text[:MAX_QUERY_CHARS])
    text = _TAIL_DATE.sub(") ", text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(lambda m: " " + _words(m.group(0)[1:]) + " ", text)
    text = _HASHTAG.sub(lambda m: " " + _words(m.group(1)) + " ", text)
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(text.split()).lower()


def terms(text: str) -> list[str]:
    return [_stem(t) for t in _TOKEN.findall(normalize(text)) if t not in STOPWORDS]


def indexed_text(claim_text: str, extra: dict[str, Any]) -> str:
    """What a claim is matched on: its text and the headline of its fact-check."""
    title = extra.get("title")
    return f"{claim_text} {title}" if isinstance(title, str) and title else claim_text


# -- maintaining the index (inside the caller's transaction) -------------------------------


def index_claim(conn: sqlite3.Connection, claim_id: str, text: str) -> None:
    unindex_claim(conn, claim_id)
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
    """Index every claim from scratch (used by the migration that adds the index)."""
    import json

    conn.execute("DELETE FROM match_terms")
    conn.execute("DELETE FROM match_docs")
    conn.execute("UPDATE match_stats SET docs = 0, total_length = 0 WHERE id = 1")
    rows = conn.execute("SELECT id, text, body FROM claims").fetchall()
    for claim_id, text, body in rows:
        try:
            extra = json.loads(body).get("extra", {})
        except ValueError:
            extra = {}
        index_claim(conn, claim_id, indexed_text(text, extra if isinstance(extra, dict) else {}))


# -- searching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    claim_id: str
    ref: str
    score: float
    """0..1: how likely this is the same claim."""
    text: str
    verdict: str | None
    similarity: float = 0.0
    """0..1, absolute: how alike the wordings are, whatever else is in the casebook."""

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
    candidates = _bm25_candidates(conn, terms(text), max(CANDIDATES, top), exclude)
    if not candidates:
        return []
    best = candidates[0][1]
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
    query_grams = _ngrams(query)
    ranked = []
    for claim_id, bm25 in candidates:
        row = rows.get(claim_id)
        if row is None:
            continue
        claim_text = normalize(row[2])
        target = f"{claim_text} {normalize(row[4])}" if row[4] else claim_text
        cosine = _cosine(query_grams, _ngrams(target))
        partial = fuzz.partial_ratio(claim_text, query) / 100
        score = (bm25 / best + NGRAM_WEIGHT * cosine + PARTIAL_WEIGHT * partial) / (
            1 + NGRAM_WEIGHT + PARTIAL_WEIGHT
        )
        similarity = (cosine + PARTIAL_WEIGHT * partial) / (1 + PARTIAL_WEIGHT)
        ranked.append(Match(claim_id, row[1], score, row[2], row[3], similarity))
    ranked.sort(key=lambda m: -m.score)  # stable: ties keep BM25's earlier-check-first order
    return ranked[:top]
