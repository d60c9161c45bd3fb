""" "Already checked?": find earlier checks of a claim, fast, in a casebook of any size.

Candidates come from a BM25 inverted index kept in the casebook (updated with every claim
write, so it is always current and costs O(claim) per write); the best candidates are then
re-ranked by meaning (a sentence encoder's cosine, verify.embed, whose vector for each claim is
kept beside its postings) and by wording (character n-grams and rapidfuzz, which reward
near-identical phrasing that bag-of-words misses).
Text is normalised the way social posts need: links go, dates of "— author (@handle) date"
tails go, and handles and hashtags become words (@realDonaldTrump -> real donald trump,
#DefundTheCBC -> defund the cbc), because who posted and whom it names often say which
claim it is. Weights were chosen on the CLEF CheckThat! 2020 train split; the dev split is
only measured (bench/match_eval.py).
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from verify.lang import language, words

if TYPE_CHECKING:
    import numpy as np

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
MAX_QUERY_CHARS = 5000
COMMON_SHARE = 0.2
"""Terms in more than this share of claims are skipped: they barely move BM25 and cost most."""

_REPLACE_VECTOR = (
    " ON CONFLICT (claim_id) DO UPDATE SET digest = excluded.digest, vector = excluded.vector"
)
"""Replace a stored vector (an upsert both SQLite and PostgreSQL take)."""
_URL = re.compile(r"(https?://\S+|pic\.twitter\.com/\S+|www\.\S+)")
_TAIL_DATE = re.compile(r"\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}")
_HANDLE = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
# Letters and digits of any script: Cyrillic words are terms too (Russian and Ukrainian claims).
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
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


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    # Loaded on first use: the package loads every language's stemmer, which commands that
    # never index or match a claim (`verify show`, `list`) should not pay for.
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # The vocabulary is small next to the number of words read: stem each word once.
    return str(_stemmer().stemWord(word))


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
    """The index terms of `text`: stems, without function words, in its own language."""
    normal = normalize(text)
    out: list[str] = []
    lang = ""
    for token in _TOKEN.findall(normal):
        if token.isascii():
            if token not in STOPWORDS:
                out.append(_stem(token))
        elif words.is_cyrillic(token):
            lang = lang or language(normal)
            if not words.is_stopword(token, lang):
                out.append(words.stem(token, lang))
        else:
            out.append(token)
    return out


def indexed_text(claim_text: str, extra: dict[str, Any]) -> str:
    """What a claim is matched on: its text and the headline of its fact-check."""
    title = extra.get("title")
    return f"{claim_text} {title}" if isinstance(title, str) and title else claim_text


# -- maintaining the index (inside the caller's transaction) -------------------------------


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


# -- vectors -------------------------------------------------------------------------------

_prepared: dict[str, np.ndarray] = {}
"""Unit vectors of texts encoded ahead of the writes and look-ups that need them: a text is
encoded once per action (in batches, several times faster), never inside a transaction."""
_prepared_across: dict[str, np.ndarray] = {}
"""The same for the multilingual encoder (verify.lang.encoder)."""
ACROSS_PREFIX = "ml:"
"""Each claim's multilingual vector is a second match_vectors row, under this prefix and the
claim's id: English-only look-ups never read it, and no schema change was needed."""
RERANK = 20
"""How many of a cross-language look-up's nearest claims (by the multilingual encoder) the finer
model re-scores (verify.lang.reranker): on NTREX the right English sentence is among the
nearest 10 for 89% of Ukrainian sentences, the nearest 30 for 95%."""
ACROSS_LANGUAGES = ("ru", "uk")
RERANK_LANGUAGES = ("uk",)
"""Queries whose candidates the re-ranker re-scores. Not Russian: the multilingual encoder was
trained on it and alone does better (NTREX reported speech through this search: recall@1 0.992
alone, 0.982 re-ranked)."""
"""Queries in these languages are compared with claims in any language by the multilingual
encoder; English queries keep the English encoder (better on English, measured on CLEF)."""


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
        if across:
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
    blob = _pack(vector[None, :] if vector is not None else _encode_across([text]))[0]
    conn.execute(
        "INSERT INTO match_vectors (claim_id, digest, vector) VALUES (?, ?, ?)" + _REPLACE_VECTOR,
        (key, digest, blob),
    )


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
    return _encode_across([text])[0] if vector is None else vector


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
            _unstored_across.update(zip(map(_digest, todo), _encode_across(todo), strict=True))
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


def _partial_ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.partial_ratio(a, b))


def wording_similarity(query: str, claim_text: str, title: str | None = None) -> float:
    """0..1, how alike two wordings are (see `Match.similarity`); arguments normalised."""
    target = f"{claim_text} {title}" if title else claim_text
    cosine = _cosine(_ngrams(query), _ngrams(target))
    partial = _partial_ratio(claim_text, query) / 100
    return (cosine + PARTIAL_WEIGHT * partial) / (1 + PARTIAL_WEIGHT)


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
