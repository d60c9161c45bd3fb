"""Filtering the claim list as the reviewer types: fast enough for one frame at 100,000 claims.

Every word of the query must occur in a claim's search text (claim, claimant, tags, accounts);
typing on extends the previous query, so each keystroke narrows the last result instead of
scanning everything again. Small result sets are ranked with rapidfuzz; when no claim has all
the words (a typo), rapidfuzz finds the closest claims instead.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

RANK_LIMIT = 5000
"""Rank results by similarity only up to this many; beyond it list order is as useful."""
FUZZY_LIMIT = 200


class ListFilter:
    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        self.texts = texts
        self._last_query = ""
        self._last_hits: list[int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def update(self, claim_id: str, text: str) -> None:
        """One claim's search text changed (or it is new): no need to re-read the others."""
        try:
            self.texts[self.ids.index(claim_id)] = text
        except ValueError:
            self.ids.append(claim_id)
            self.texts.append(text)
        self._last_query, self._last_hits = "", None

    def apply(self, query: str) -> list[str] | None:
        """Claim ids for `query`, best first; None means no filter (show everything)."""
        q = " ".join(query.lower().split())
        if len(q) < 2:
            self._last_query, self._last_hits = "", None
            return None
        words = q.split()
        pool: range | list[int]
        if self._last_hits is not None and q.startswith(self._last_query) and self._last_query:
            pool = self._last_hits
        else:
            pool = range(len(self.texts))
        texts = self.texts
        hits = [i for i in pool if all(w in texts[i] for w in words)]
        self._last_query, self._last_hits = q, hits
        if not hits:
            # Nothing has every word: the reviewer may have mistyped. Closest claims instead.
            found = process.extract(
                q, texts, scorer=fuzz.partial_ratio, limit=FUZZY_LIMIT, score_cutoff=70
            )
            self._last_hits = None  # a fuzzy result is not a base to narrow from
            return [self.ids[i] for _, _, i in found]
        if len(hits) <= RANK_LIMIT:
            scores = {i: fuzz.partial_ratio(q, texts[i]) for i in hits}
            hits = sorted(hits, key=lambda i: -scores[i])
        return [self.ids[i] for i in hits]
