"""Captures in the casebook: one row per capture, keyed by the sha256 of its WARC bytes."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from verify import digests
from verify.capture.records import Capture
from verify.errors import VerifyError
from verify.ingest.documents import Archived
from verify.models import Claim
from verify.store import Store


def body_of(capture: Capture) -> str:
    return json.dumps(capture.meta(), ensure_ascii=False, sort_keys=True)


def has_table(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='captures'")
    return row.fetchone() is not None


def tx_insert(store: Store, capture: Capture, log: bool = True) -> bool:
    """Inside a transaction: keep a capture (logged in the history unless `log` is False);
    False if already kept."""
    if hashlib.sha256(capture.warc).hexdigest() != capture.id:
        raise VerifyError("capture id does not match the sha256 of its WARC")
    conn = store.conn
    if not has_table(conn):
        raise VerifyError("this casebook predates web captures; open it with verify to upgrade")
    if conn.execute("SELECT 1 FROM captures WHERE id = ?", (capture.id,)).fetchone():
        return False
    body = body_of(capture)
    conn.execute(
        "INSERT INTO captures (id, document_id, url, captured, response_record, body, warc, "
        "digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            capture.id,
            capture.document_id,
            capture.url,
            capture.captured.isoformat(),
            capture.response_record,
            body,
            capture.warc,
            digests.record("captures", capture.id, body),
        ),
    )
    if log:
        store.tx_log("capture.store", f"capture:{capture.id}", None, capture.meta())
    return True


def tx_keep(store: Store, archived: Archived) -> None:
    """Inside the transaction that archived a new document: keep the capture it came with."""
    capture = getattr(archived, "capture", None)
    if isinstance(capture, Capture):
        tx_insert(store, capture)


def store_archived(store: Store, archived: Archived) -> bool:
    """Archive a document and its capture as one action; False if the document was known."""
    with store.transaction():
        new = store.tx_insert_document(archived.document, archived.raw)
        if new:
            tx_keep(store, archived)
        return new


def _capture(row: Any) -> Capture:
    meta = json.loads(row[0])
    return Capture(
        id=meta["id"],
        url=meta["url"],
        captured=datetime.fromisoformat(meta["captured"]),
        response_record=meta["response_record"],
        payload_digest=meta["payload_digest"],
        payload_sha256=meta["payload_sha256"],
        document_id=meta["document_id"],
        origin=meta["origin"],
        warc=bytes(row[1]),
    )


def for_documents(conn: sqlite3.Connection, document_ids: Iterable[str]) -> list[Capture]:
    """The captures of these documents, oldest first."""
    if not has_table(conn):
        return []
    found: list[Capture] = []
    for doc_id in dict.fromkeys(document_ids):
        rows = conn.execute(
            "SELECT body, warc FROM captures WHERE document_id = ? ORDER BY captured, id",
            (doc_id,),
        )
        found += [_capture(r) for r in rows]
    return sorted(found, key=lambda c: (c.captured, c.id))


def all_captures(conn: sqlite3.Connection) -> list[Capture]:
    if not has_table(conn):
        return []
    rows = conn.execute("SELECT body, warc FROM captures ORDER BY captured, id")
    return [_capture(r) for r in rows]


def ids_for_documents(
    conn: sqlite3.Connection, document_ids: Iterable[str]
) -> list[tuple[str, str]]:
    """(capture id, document id) of these documents' captures, oldest first, without their
    bytes (an export reads one capture at a time)."""
    if not has_table(conn):
        return []
    found: list[tuple[str, str, str]] = []
    for doc_id in dict.fromkeys(document_ids):
        rows = conn.execute(
            "SELECT captured, id, document_id FROM captures WHERE document_id = ?", (doc_id,)
        )
        found += [(str(a), str(b), str(c)) for a, b, c in rows]
    return [(cid, doc) for _, cid, doc in sorted(found)]


def all_ids(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(capture id, document id) of every capture, oldest first."""
    if not has_table(conn):
        return []
    rows = conn.execute("SELECT id, document_id FROM captures ORDER BY captured, id")
    return [(str(a), str(b)) for a, b in rows]


def load(conn: sqlite3.Connection, capture_id: str) -> Capture:
    row = conn.execute("SELECT body, warc FROM captures WHERE id = ?", (capture_id,)).fetchone()
    if row is None:
        raise VerifyError(f"capture {capture_id[:12]} is gone")
    return _capture(row)


def cited_documents(claim: Claim) -> list[str]:
    """The documents a claim points into or attached: its origin, accounts and evidence."""
    ids = [claim.origin.document_id] if claim.origin else []
    ids += [a.origin.document_id for a in claim.accounts if a.origin]
    for item in claim.evidence:
        if item.selector:
            ids.append(item.selector.document_id)
        if item.document_id:
            ids.append(item.document_id)
    return list(dict.fromkeys(ids))
