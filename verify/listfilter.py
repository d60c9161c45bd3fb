"""Filtering the claim list as the reviewer types: fast enough for one frame at 100,000 claims.

Every word of the query must occur in a claim's search text (claim, claimant, tags, accounts);
typing on extends the previous query, so each keystroke narrows the last result instead of
scanning everything again. Small result sets are ranked with rapidfuzz; when no claim has all
the words (a typo), rapidfuzz finds the closest claims instead.
"""

from __future__ import annotations

import bisect
import sqlite3

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
        self._answer: tuple[str, list[str]] | None = None
        """The last query's answer, while no edit has touched a claim in it."""

    def __len__(self) -> int:
        return len(self.ids)

    def update(self, claim_id: str, text: str) -> None:
        """One claim's search text changed (or it is new): no need to re-read the others.

        The last result stays a base to narrow from, with only this claim's place in it
        decided again: a colleague's save does not make the next look scan every claim.
        """
        try:
            i = self.ids.index(claim_id)
            self.texts[i] = text
        except ValueError:
            i = len(self.ids)
            self.ids.append(claim_id)
            self.texts.append(text)
        hits = self._last_hits
        if hits is None or not self._last_query:
            self._answer = None
            return
        at = bisect.bisect_left(hits, i)  # hits are in casebook order
        present = at < len(hits) and hits[at] == i
        matches = all(w in text for w in self._last_query.split())
        if matches and not present:
            hits.insert(at, i)
        elif present and not matches:
            del hits[at]
        if present or matches:  # its place or its rank in the answer may have changed
            self._answer = None

    def apply(self, query: str) -> list[str] | None:
        """Claim ids for `query`, best first; None means no filter (show everything)."""
        q = _words(query)
        if not q:
            self._last_query, self._last_hits, self._answer = "", None, None
            return None
        if self._answer is not None and self._answer[0] == q:
            return list(self._answer[1])
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
            self._last_hits = self._answer = None  # a fuzzy result is no base to narrow from
            return [self.ids[i] for _, _, i in found]
        if len(hits) <= RANK_LIMIT:
            scores = {i: fuzz.partial_ratio(q, texts[i]) for i in hits}
            hits = sorted(hits, key=lambda i: -scores[i])
        answer = [self.ids[i] for i in hits]
        self._answer = (q, answer)
        return list(answer)


def _words(text: str) -> str:
    """The query's words as matched; empty when too short to narrow anything."""
    q = " ".join(text.lower().split())
    return q if len(q) >= 2 else ""


def needs_index(query: str) -> bool:
    """Whether `query` matches words, and so needs every claim's search text loaded."""
    return bool(_words(parse(query)[1]))


FACETS = ("status", "verdict", "tag", "source", "assigned")
"""`status:open verdict:false tag:floods source:ministry assigned:me` narrow the list; other
words rank. `assigned:me` is the reviewer's own claims, `assigned:none` nobody's."""


def parse(query: str) -> tuple[dict[str, str], str]:
    """(facet -> value, the rest of the query as typed words)."""
    facets: dict[str, str] = {}
    words = []
    for word in query.split():
        name, sep, value = word.partition(":")
        if sep and name.lower() in FACETS and value:
            facets[name.lower()] = value
        else:
            words.append(word)
    return facets, " ".join(words)


def select(
    conn: sqlite3.Connection, index: ListFilter, query: str, me: str = ""
) -> list[str] | None:
    """Claim ids the list shows for `query`, best first; None shows every claim.

    Dropped (and so merged) claims are hidden unless `status:dropped` asks for them.
    """
    facets, text = parse(query)
    ranked = index.apply(text)
    allowed: set[str] | None = None
    for name, value in facets.items():
        ids = _facet(conn, name, me if name == "assigned" and value.lower() == "me" else value)
        allowed = ids if allowed is None else allowed & ids
    if "status" not in facets and _has_dropped(conn):
        live = {r[0] for r in conn.execute("SELECT id FROM claims WHERE status != 'dropped'")}
        allowed = live if allowed is None else allowed & live
    if allowed is None:
        return ranked
    if ranked is None:
        ranked = [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY created, id")]
    return [i for i in ranked if i in allowed]


def _has_dropped(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute("SELECT 1 FROM claims WHERE status = 'dropped' LIMIT 1").fetchone() is not None
    )


def _facet(conn: sqlite3.Connection, name: str, value: str) -> set[str]:
    raw, value = value, value.lower()
    if name == "status":
        rows = conn.execute("SELECT id FROM claims WHERE status = ?", (value,))
    elif name == "verdict":
        rows = conn.execute("SELECT id FROM claims WHERE lower(verdict) = ?", (value,))
    elif name == "assigned":
        # The name as typed, or in other case (SQL's lower() folds ASCII letters only).
        raw = "" if value == "none" else raw
        rows = conn.execute(
            "SELECT id FROM claims WHERE assignee = ? OR lower(assignee) = ?", (raw, raw.lower())
        )
    elif name == "tag":
        rows = conn.execute(
            "SELECT claims.id FROM claims, json_each(claims.body, '$.tags') AS t "
            "WHERE lower(t.value) = ? OR lower(t.value) LIKE ? ESCAPE '\\'",
            (value, _like(value) + "%"),
        )
    else:
        sources = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM sources WHERE id = ? OR lower(name) LIKE ? ESCAPE '\\'",
                (value, "%" + _like(value) + "%"),
            )
        ]
        marks = ",".join("?" * len(sources))
        if not sources:
            return set()
        rows = conn.execute(
            "SELECT claims.id FROM claims, json_each(claims.body, '$.accounts') AS a "
            f"WHERE json_extract(a.value, '$.source_id') IN ({marks}) UNION "
            "SELECT claims.id FROM claims, json_each(claims.body, '$.evidence') AS e "
            f"WHERE json_extract(e.value, '$.source_id') IN ({marks})",
            (*sources, *sources),
        )
    return {r[0] for r in rows}


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
