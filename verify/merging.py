"""Which claim a proposed claim belongs to: candidates ranked for merging, best first.

The "already checked?" index finds candidates by meaning and wording; they are then ranked
by how much of the proposed claim and its accounts the candidate (with its accounts and
claimant) shares, so the claim the same people speak about comes first. Dropped and merged
claims are never offered, nor the same wording twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from verify.store import Store, search_text

CANDIDATES = 30
RECENT = 200
"""Recent claims offered after the likely ones, so any claim can still be chosen."""


@dataclass(frozen=True)
class Candidate:
    claim_id: str
    text: str
    score: float
    """0..100: how much of the proposed claim and its accounts the candidate shares."""


def candidates(store: Store, claim_id: str, limit: int = 50) -> list[Candidate]:
    claim = store.get_claim(claim_id)
    query = search_text(claim)
    ids = [m.claim_id for m in store.similar(claim.text, top=CANDIDATES, exclude=claim_id)]
    ids += [r.id for r in store.summaries(limit=RECENT) if r.id not in ids]
    rows = store.summaries_for([i for i in ids if i != claim_id])
    texts = _search_texts(store, list(rows))
    out: list[Candidate] = []
    seen_texts: set[str] = {" ".join(claim.text.lower().split())}
    for cid in ids:
        row = rows.get(cid)
        if row is None or row.status == "dropped":
            continue
        key = " ".join(row.text.lower().split())
        if key in seen_texts:
            continue
        seen_texts.add(key)
        text = texts.get(cid, row.text)
        # Shared words (set) balanced by overall likeness (sort), so a short claim that
        # shares three words does not beat the one that tells the same story.
        score = (
            fuzz.token_set_ratio(query, text, processor=utils.default_process)
            + fuzz.token_sort_ratio(query, text, processor=utils.default_process)
        ) / 2
        out.append(Candidate(cid, row.text, score))
    out.sort(key=lambda c: -c.score)
    return out[:limit]


def _search_texts(store: Store, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT id, search FROM claims WHERE id IN ({marks})"
        out.update({r[0]: r[1] for r in store.conn.execute(sql, chunk)})
    return out
