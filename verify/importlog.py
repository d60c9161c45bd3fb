"""Imports in the event log: one import is one action, however many batches saved it.

An import is logged under the target `import:ID`, one event per batch it was saved in (a
single event for most imports), each listing what that batch added: claims (with the
revision they were stored at), sources and documents. Undo takes back every batch of the
import together, and refuses when something the import added has been changed since (undo
that change first, or keep the import). An undone import is not redone: importing the same
file again adds exactly what is missing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from verify import match
from verify import search as fulltext
from verify.errors import StaleWriteError, VerifyError
from verify.ids import new_id

if TYPE_CHECKING:
    from verify.models import Claim
    from verify.store import Store

ACTION = "import"
PREFIX = "import:"


def new_target() -> str:
    return PREFIX + new_id("i")


def is_import(target: str) -> bool:
    return target.startswith(PREFIX)


def tx_log(
    store: Store,
    target: str,
    source: str,
    claims: Sequence[Claim] = (),
    sources: Sequence[str] = (),
    documents: Sequence[str] = (),
) -> None:
    """Log one batch of an import (inside the batch's transaction)."""
    after: dict[str, Any] = {
        "source": source,
        "count": len(claims),
        "claims": {c.id: c.revision for c in claims},
    }
    if sources:
        after["sources"] = list(sources)
    if documents:
        after["documents"] = list(documents)
    store.tx_log(ACTION, target, None, after)


def undo(conn: sqlite3.Connection, target: str, log: Callable[..., None]) -> None:
    """Remove everything the import `target` added (inside the undo's transaction).

    The caller marks and logs the undo of the newest batch; `log` records the undo of each
    earlier one, so every undone entry in the history has its undo.
    """
    rows = conn.execute(
        "SELECT seq, after FROM events WHERE target = ? AND action = ? AND undone = 0 ORDER BY seq",
        (target, ACTION),
    ).fetchall()
    if not rows:
        return
    first = rows[0][0]
    claims: dict[str, int] = {}
    sources: list[str] = []
    documents: list[str] = []
    for _, after in rows:
        batch = json.loads(after) if after else {}
        claims.update(batch.get("claims", {}))
        sources += batch.get("sources", [])
        documents += batch.get("documents", [])
    touched = [f"claim:{c}" for c in claims] + [f"source:{s}" for s in sources]
    for start in range(0, len(touched), 500):
        chunk = touched[start : start + 500]
        marks = ",".join("?" * len(chunk))
        later = conn.execute(
            f"SELECT target FROM events WHERE seq > ? AND undone = 0 AND action NOT IN "
            f"('undo', 'redo') AND target IN ({marks}) LIMIT 1",
            (first, *chunk),
        ).fetchone()
        if later is not None:
            raise StaleWriteError(
                f"{later[0]} was changed after the import; undo that change first"
            )
    indexed = fulltext.has_index(conn)
    for claim_id in claims:
        conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))
        match.unindex_claim(conn, claim_id)
        if indexed:
            fulltext.unindex(conn, claim_id)
    for source_id in sources:
        conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
    for doc_id in documents:
        # Kept when a claim still cites it (evidence attached to another claim since).
        if not conn.execute(
            "SELECT 1 FROM claims WHERE instr(body, ?) > 0 LIMIT 1", (doc_id,)
        ).fetchone():
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            _forget_evidence_files(conn, doc_id)
    for seq, _ in rows[:-1]:
        conn.execute("UPDATE events SET undone = 1 WHERE seq = ?", (seq,))
        log("undo", target, {"seq": seq}, None)


def _forget_evidence_files(conn: sqlite3.Connection, doc_id: str) -> None:
    """A removed document's web captures and media record go with it."""
    for table in ("captures", "media"):
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        if exists:
            conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))


def refuse_redo() -> VerifyError:
    return VerifyError(
        "an undone import is not redone: import the file again (only what is missing is added)"
    )
