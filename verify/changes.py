"""What other reviewers changed since a point in the history: which claims, or "more".

The TUI reloads only those claims when a colleague saves one, instead of re-reading every
claim's search text and the shown claim, which at 100,000 claims a busy desk would make it
do several times a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verify.store import Store


@dataclass
class Changes:
    seq: int
    """The latest event seen: where the next look starts."""
    claims: set[str] | None
    """Claims changed since the last look; None when more than claims changed (a source, the
    settings, an import), which the caller takes as "reload everything"."""


def latest(store: Store) -> int:
    row = store.conn.execute("SELECT COALESCE(max(seq), 0) FROM events").fetchone()
    return int(row[0])


def since(store: Store, seq: int) -> Changes:
    claims: set[str] = set()
    last = seq
    everything = False
    for at, target in store.conn.execute(
        "SELECT seq, target FROM events WHERE seq > ? ORDER BY seq", (seq,)
    ):
        last = int(at)
        kind, _, ident = str(target).partition(":")
        if kind == "claim":
            claims.add(ident)
        elif kind != "document":  # an archived document changes no claim by itself
            everything = True
    if last == seq and not claims:
        # Something was committed without an event (a restore, a migration): reload it all.
        everything = True
    return Changes(last, None if everything else claims)


def search_texts(store: Store, ids: set[str]) -> dict[str, str]:
    """The list filter's text of each of these claims that still exists."""
    wanted = sorted(ids)
    out: dict[str, str] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for claim_id, text in store.conn.execute(
            f"SELECT id, search FROM claims WHERE id IN ({marks})", chunk
        ):
            out[claim_id] = text
    return out
