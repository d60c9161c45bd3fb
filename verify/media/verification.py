"""Re-checking every media row: its digest, that its columns say what its record says, and
that the archived file it describes is still there."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from verify import rowscan
from verify.media import index
from verify.media.info import MediaInfo


def problems(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(where, what) for each media row that is not what verify stored; nothing when all hold."""
    if not index.has_table(conn) or not index.sealed(conn):
        return
    yield from rowscan.checked_rows(
        conn,
        "media",
        "document_id, media_type, hashes, body, digest",
        "media",
        lambda where, row: _check(conn, where, row),
    )


def _check(
    conn: sqlite3.Connection, where: str, row: tuple[object, ...]
) -> Iterator[tuple[str, str]]:
    document_id, media_type, hashes, body, digest = row
    columns = (document_id, media_type, hashes, body)
    if not all(isinstance(v, str) for v in columns) or digest != index.digest_of(
        *(str(v) for v in columns)
    ):
        yield where, "record does not match its digest (changed outside verify)"
        return
    try:
        info = MediaInfo.model_validate_json(str(body))
    except ValueError:
        yield where, "media record is unreadable"
        return
    if [info.sha256, info.media_type, " ".join(info.hashes)] != [document_id, media_type, hashes]:
        yield where, "summary columns disagree with the record"
    if not conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone():
        yield where, f"document {str(document_id)[:12]} is missing"
