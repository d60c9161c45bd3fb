"""Which claim a proposed claim belongs to: candidates ranked for merging, best first.

A proposed claim belongs with a claim when it tells the same story as that claim or as one of
its accounts: "the deaths were caused by X" belongs with the claim whose second account blames
X, even when its first account, by another speaker, shares few words with it. So each
candidate is scored by its best-matching text (the claim or any account) against the proposed
claim's texts, in wording and in meaning, rather than by all its texts run together (which
dilutes a claim exactly when it has competing accounts, the claims most worth merging into).

The "already checked?" index and the most recent claims give the pool; dropped and merged
claims are never offered, nor the same wording twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, utils

from verify.models import Claim
from verify.store import Store

CANDIDATES = 30
"""Likely claims from the "already checked?" index; any claim can still be chosen."""
BY_MEANING = 15
"""How many of the likeliest (by the index, and by wording) are also compared by meaning:
the model costs several milliseconds a text, and the picker opens while the reviewer waits."""
RECENT = 200
"""Recent claims offered after the likely ones, so any claim can still be chosen."""


@dataclass(frozen=True)
class Candidate:
    claim_id: str
    text: str
    score: float
    """0..100: how closely the candidate's best text matches the proposed claim's."""


def candidates(store: Store, claim_id: str, limit: int = 50) -> list[Candidate]:
    claim = store.get_claim(claim_id)
    likely = [m.claim_id for m in store.similar(claim.text, top=CANDIDATES, exclude=claim_id)]
    ids = likely + [r.id for r in store.summaries(limit=RECENT) if r.id not in likely]
    rows = store.summaries_for([i for i in ids if i != claim_id])
    seen_texts: set[str] = {_key(claim.text)}
    pool: list[Claim] = []
    for cid in ids:
        row = rows.get(cid)
        if row is None or row.status == "dropped":
            continue
        if _key(row.text) in seen_texts:
            continue
        seen_texts.add(_key(row.text))
        pool.append(store.get_claim(cid))
    query = _texts(claim)
    wording = {c.id: max(_wording(q, t) for q in query for t in _texts(c)) for c in pool}
    # Meaning for the likeliest and the closest in wording; the rest follow by wording.
    by_wording = sorted(pool, key=lambda c: -wording[c.id])[:BY_MEANING]
    chosen = {c.id for c in by_wording} | set(likely[:BY_MEANING])
    compared = [c for c in pool if c.id in chosen]
    meaning = _meaning(query, compared)
    out = [Candidate(c.id, c.text, (wording[c.id] + meaning[c.id]) / 2) for c in compared]
    out.sort(key=lambda c: -c.score)
    rest = [Candidate(c.id, c.text, wording[c.id] / 2) for c in pool if c.id not in chosen]
    rest.sort(key=lambda c: -c.score)
    return (out + rest)[:limit]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _texts(claim: Claim) -> list[str]:
    """The claim and each account's statement, each once."""
    return list(dict.fromkeys([claim.text, *(a.statement for a in claim.accounts if a.statement)]))


def _wording(a: str, b: str) -> float:
    # Shared words (set) balanced by overall likeness (sort), so a short text that shares
    # three words does not beat the one that tells the same story.
    return (
        fuzz.token_set_ratio(a, b, processor=utils.default_process)
        + fuzz.token_sort_ratio(a, b, processor=utils.default_process)
    ) / 2


def _meaning(query: Sequence[str], claims: Sequence[Claim]) -> dict[str, float]:
    """0..100 per claim: the best cosine between a query text and any of the claim's texts."""
    if not claims:
        return {}
    from verify import embed

    texts = list(dict.fromkeys(t for c in claims for t in _texts(c)))
    vectors = embed.encode([*query, *texts])
    q, t = vectors[: len(query)], vectors[len(query) :]
    best = (q @ t.T).max(axis=0)
    by_text = dict(zip(texts, best.tolist(), strict=True))
    return {c.id: 100 * float(np.clip(max(by_text[t] for t in _texts(c)), 0, 1)) for c in claims}
